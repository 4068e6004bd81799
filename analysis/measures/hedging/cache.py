"""Speed machinery of the hedging measure: nothing here changes a result.

The packaged lexicon (parsed and compiled into one regular expression), its
legacy subset and the learned acceptance layer are read once per process and
kept: ``read_once`` marks the loaders whose result is kept, ``forget`` drops
what they kept (``make train`` calls it after rewriting hedges.csv and
model.json). A reader of the method can skip this module.
"""
from __future__ import annotations

from functools import lru_cache

_KEPT = []


def read_once(loader):
    """``loader`` (no arguments) runs on the first call; later calls return that result."""
    kept = lru_cache(maxsize=1)(loader)
    _KEPT.append(kept)
    return kept


def forget() -> None:
    """Drop every kept result: the next call of each loader reads its file again."""
    for kept in _KEPT:
        kept.cache_clear()
