"""The tokens the context checks and the learned layer look at around a cue.

These are not the text layer's words (``analysis.pipeline.text.words``), on
purpose: a punctuation mark is a token of its own (a check stops at a clause
boundary, the layer sees "," or "." as a neighbour), an amount keeps its
currency sign and per cent ("$300", "50%") and a dotted abbreviation is split.
The committed learned layer (``model.json``) was trained on features made of
these tokens, so they must stay as they are for its weights to mean what they
meant in training.
"""
from __future__ import annotations

import re

TOKEN = r"[$£€]?\d[\d,.]*%?|\w+(?:['’‘-]\w+)*|[^\w\s]"
TOKEN_RE = re.compile(TOKEN)
_NEXT_RE = re.compile(r"\s*(" + TOKEN + ")")
LOOKBEHIND = 60  # characters searched for the tokens before a cue: the pass stays linear in the text


def next_tokens(text: str, end: int, n: int = 2) -> list[str]:
    """The ``n`` tokens after ``end``, nearest first."""
    out = []
    pos = end
    for _ in range(n):
        m = _NEXT_RE.match(text, pos)
        if not m:
            break
        out.append(m.group(1))
        pos = m.end()
    return out


def prev_tokens(text: str, start: int, n: int = 2) -> list[str]:
    """The ``n`` tokens before ``start``, nearest last."""
    window = text[max(0, start - LOOKBEHIND):start]
    return TOKEN_RE.findall(window)[-n:]


def nth(tokens: list[str], i: int) -> str:
    """``tokens[i]`` in lower case, "" when there is no such token."""
    return tokens[i].lower() if -len(tokens) <= i < len(tokens) else ""
