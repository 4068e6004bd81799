"""The learned layer of the current method: a multinomial logistic regression over the features
of ``features.py`` (``model.json``, trained on NewsMTSC by
``analysis.validation.sentiment_external.train``), the part-of-speech and negator rules it adds
to the sentence's word valences, and how its class probabilities become a value (module doc of
the package, "Value")."""
from __future__ import annotations

from dataclasses import dataclass

from analysis.measures.linear import LinearModel, load_model

MODEL_NAME = "sentiment"  # analysis/measures/sentiment/model.json
CLASSES = ("negative", "neutral", "positive")
NEUTRAL_BAND = 0.05  # |value| below this reads as neutral (VADER's convention)
NEUTRAL_SCALE = 0.049  # a neutral decision maps P(pos) - P(neg) into (-0.05, 0.05)
# negators VADER does not know: the word after "to" is reversed ("unable to win", "refused to condemn")
_EXTRA_NEGATORS = frozenset({"unable", "failed", "fails", "fail", "failing", "declined", "declines",
                             "decline", "declining", "refused", "refuses", "refuse", "refusing"})
# "like" is the verb after these ("I like", "would like", "don't like"); a preposition otherwise
_LIKE_VERB_BEFORE = frozenset({"i", "you", "we", "they", "would", "to", "not", "really", "do", "does", "did",
                               "don't", "didn't", "doesn't", "who", "people", "may", "might", "also", "still",
                               "americans", "voters", "supporters"})


@dataclass(slots=True, eq=False)
class Extra:
    """Per-sentence facts the learned layer adds to a ``sentence.Sentence`` (``Scorer._extra``)."""

    valence: list  # word valences after the part-of-speech and negator rules
    valued: tuple  # indices with a non-zero valence
    reversed: list  # reversed by an "unable to" / "failed to" negator
    lows: list  # lower-cased words
    keys: list  # the words as in feature names (features.word_key)
    score: float  # the sentence's normalised valence sum
    bag: list  # per class: intercept + the logits of the features shared by the sentence's targets
    caps: list  # indices of the capitalised words after the first (features.nearer)
    items: list  # per word of ``valued``: its weight-table entries (speed.valued_items)


def load_layer(model=None) -> tuple[LinearModel, tuple[int, int, int]]:
    """The layer (``model``: a ``LinearModel``, a model name or None for the bundled one) and the
    indices of its negative, neutral and positive class."""
    model = model if isinstance(model, LinearModel) else load_model(model or MODEL_NAME)
    classes = model.classes
    if sorted(classes) != sorted(CLASSES):
        raise ValueError(f"sentiment model: classes {classes}, expected {CLASSES}")
    return model, tuple(classes.index(c) for c in CLASSES)


def adjust_valences(sent, lows: list) -> tuple[list, tuple, list]:
    """The sentence's word valences after the layer's rules, the indices still valued, and which
    words an "unable/failed/declined/refused to" reverses.

    "like" as a preposition and "well" in "as well", "well over", "well-known" carry no valence;
    the words after "unable to" (up to three) are reversed with VADER's negation scalar.
    ``lows``: the lower-cased words.
    """
    toks = sent.toks
    n = len(toks)
    valence = sent.valence
    changed = False
    rev = [False] * n
    for i in sent.valued:
        low = lows[i]
        if low == "like" and not (i > 0 and lows[i - 1] in _LIKE_VERB_BEFORE):
            changed = True  # a preposition ("like Iran", "leaders like him")
        elif low == "well" and ((i > 0 and lows[i - 1] == "as") or (i + 1 < n and lows[i + 1] in ("as", "over"))
                                or "-" in toks[i].trail):
            changed = True  # "as well", "well over", "well-known"
    if not _EXTRA_NEGATORS.isdisjoint(lows):
        for k in range(n - 2):
            if lows[k] in _EXTRA_NEGATORS and lows[k + 1] == "to":
                for i in range(k + 2, min(n, k + 5)):
                    if valence[i]:
                        rev[i] = True
                        changed = True
    if changed:
        valence = list(valence)
        for i in sent.valued:
            low = lows[i]
            if low == "like" and not (i > 0 and lows[i - 1] in _LIKE_VERB_BEFORE):
                valence[i] = 0.0
            elif low == "well" and ((i > 0 and lows[i - 1] == "as")
                                    or (i + 1 < n and lows[i + 1] in ("as", "over")) or "-" in toks[i].trail):
                valence[i] = 0.0
            if rev[i]:
                valence[i] = -0.74 * valence[i]  # VADER's negation scalar
        valued = tuple(i for i in sent.valued if valence[i])
    else:
        valued = sent.valued
    return valence, valued, rev


def decide(p) -> int:
    """The index of the most probable class."""
    return max(range(len(p)), key=p.__getitem__)


def value_of(p, ipos: int, ineg: int) -> float:
    """The value of class probabilities ``p`` (``ipos``, ``ineg``: the indices of the positive and
    negative class): ``label(value)`` is the decided class (module doc of the package, "Value")."""
    if p is None:
        return 0.0
    diff = p[ipos] - p[ineg]
    best = decide(p)
    if best == ipos:
        return max(NEUTRAL_BAND, round(diff, 4))
    if best == ineg:
        return min(-NEUTRAL_BAND, round(diff, 4))
    return round(NEUTRAL_SCALE * diff, 4)
