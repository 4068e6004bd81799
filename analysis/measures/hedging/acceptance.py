"""The learned acceptance layer: a linear model that decides single cue occurrences.

Cues marked ``accept=model`` (and, in ``uncertainty_cues``, every cue) that
pass their rule must also be accepted here: a logistic regression over the
cue, its category and its neighbouring tokens (``candidate_features``),
trained on CoNLL-2010 Wikipedia by ``make train``
(``analysis/measures/hedging/model.json``).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from analysis.measures.hedging.cache import read_once
from analysis.measures.hedging.lexicon import LexiconEntry
from analysis.measures.hedging.rules import is_numeral
from analysis.measures.hedging.tokens import next_tokens, prev_tokens
from analysis.measures.linear import LinearModel, load_model

MODEL_NAME = "hedging"  # analysis/measures/hedging/model.json: the learned acceptance layer


def _feature_token(tok: str) -> str:
    if not tok:
        return ""
    if is_numeral(tok) and not tok.isalpha():
        return "<num>"
    return tok.lower()


def candidate_features(text: str, start: int, end: int, entry: LexiconEntry) -> dict:
    """The named features the acceptance layer sees for one cue occurrence:
    the cue, its category, the two tokens on either side (numbers as <num>,
    <s> / </s> at the edges) and their pairings with the cue."""
    prev = prev_tokens(text, start, 2)
    nxt = next_tokens(text, end, 2)
    p1 = _feature_token(prev[-1]) if prev else "<s>"
    p2 = _feature_token(prev[-2]) if len(prev) > 1 else "<s>"
    n1 = _feature_token(nxt[0]) if nxt else "</s>"
    n2 = _feature_token(nxt[1]) if len(nxt) > 1 else "</s>"
    cue, cat = entry.cue, entry.category
    return {"cat=" + cat: 1.0, "cue=" + cue: 1.0,
            "p1=" + p1: 1.0, "n1=" + n1: 1.0,
            "p2p1=" + p2 + " " + p1: 1.0, "n1n2=" + n1 + " " + n2: 1.0,
            "p1+cue=" + p1 + " " + cue: 1.0, "cue+n1=" + cue + " " + n1: 1.0,
            "cat+p1=" + cat + " " + p1: 1.0, "cat+n1=" + cat + " " + n1: 1.0}


@dataclass(frozen=True, eq=False)
class Acceptor:
    """A learned acceptance layer: a LinearModel over ``candidate_features`` and
    the probability threshold at or above which an occurrence is accepted."""

    model: LinearModel
    threshold: float

    def score(self, text: str, start: int, end: int, entry: LexiconEntry) -> float:
        """Log-odds that the occurrence is a hedge, minus the threshold's log-odds."""
        model = self.model
        w, logit = model.weights, model.intercept[1] - model.intercept[0]
        for name in candidate_features(text, start, end, entry):
            ws = w.get(name)
            if ws is not None:
                logit += ws[1] - ws[0]
        return logit - self._cut

    def accepts(self, text: str, start: int, end: int, entry: LexiconEntry) -> bool:
        return self.score(text, start, end, entry) >= 0.0

    def explain(self, text: str, start: int, end: int, entry: LexiconEntry, k: int = 5):
        """The features that decided most, as (name, contribution) pairs."""
        feats = candidate_features(text, start, end, entry)
        return self.model.explain(feats, self.model.classes[1], k)

    @property
    def _cut(self) -> float:
        t = min(max(self.threshold, 1e-9), 1 - 1e-9)
        return math.log(t / (1 - t))


def acceptor_from_model(model: LinearModel) -> Acceptor:
    """The layer of a trained model; its threshold is ``meta["threshold"]`` (default 0.5)."""
    return Acceptor(model, float(model.meta.get("threshold", 0.5)))


@read_once
def load_acceptor() -> Acceptor:
    """The packaged acceptance layer (analysis/measures/hedging/model.json)."""
    return acceptor_from_model(load_model(MODEL_NAME))
