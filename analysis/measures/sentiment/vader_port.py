"""A port of VADER's per-word valence rules (vaderSentiment 3.3.2, MIT licence).

Ports ``SentimentIntensityAnalyzer.sentiment_valence`` of vaderSentiment 3.3.2
(C. J. Hutto, https://github.com/cjhutto/vaderSentiment, MIT licence; Hutto &
Gilbert 2014) with its helpers ``_negation_check``, ``_special_idioms_check``
and ``_least_check`` and the "kind of" rule of ``polarity_scores``: the
valence of each word of a sentence from the lexicon, negations, boosters, ALL
CAPS, "no", "least" and idioms. The word lists and constants (``NEGATE``,
``BOOSTER_DICT``, ``SPECIAL_CASES``, ``N_SCALAR``, ``C_INCR``) are read from the
installed vaderSentiment, which must be that version (``check_version``).

What differs from vaderSentiment (the numbers do not; ``tests/test_sentiment.py``
compares them with ``polarity_scores`` and ``sentiment_valence``):

- it takes a list of words and returns one valence per word, before VADER's
  "but" rule, punctuation emphasis and normalisation (the targeted method
  weighs the words itself);
- each word is lower-cased, tested for capitals and for negation once per
  sentence instead of once per rule;
- a word that no rule can change (no modifier, negation, "no", "least", caps or
  idiom word near it) returns its lexicon valence at once; the idiom rule is
  skipped when neither n-gram end is an idiom word.

VADER's own quirks are kept as they are (e.g. the idiom rule runs only from
the fourth word on, and an idiom overrides the valence with its own).
"""
from __future__ import annotations

import math
from functools import cache

from vaderSentiment import vaderSentiment as vs
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

VADER_VERSION = "3.3.2"  # the vaderSentiment release this module ports
ALPHA = 15  # the normalisation constant of VADER's normalize(): x / sqrt(x^2 + ALPHA)
N_SCALAR = vs.N_SCALAR
C_INCR = vs.C_INCR
NEGATE = frozenset(vs.NEGATE)
BOOSTER_DICT = vs.BOOSTER_DICT
SPECIAL_CASES = vs.SPECIAL_CASES
# words that change a following word's valence: boosters and the words of VADER's "no",
# "never so", "without doubt" and "least" rules (negations are tested separately)
MODIFIERS = frozenset(BOOSTER_DICT) | {"no", "never", "without", "so", "this", "least"}
# VADER's multi-word idioms and boosters as word tuples ("kiss", "of", "death")
IDIOMS = frozenset(tuple(k.split(" ")) for k in (*SPECIAL_CASES, *BOOSTER_DICT) if " " in k)
# every word of those and of SPECIAL_CASES' one-word entry ("badass"): an n-gram can only be an
# idiom when all its words are
IDIOM_WORDS = frozenset(w for k in (*SPECIAL_CASES, *(k for k in BOOSTER_DICT if " " in k)) for w in k.split(" "))


@cache
def check_version() -> None:
    """Raise RuntimeError unless the installed vaderSentiment is ``VADER_VERSION`` (checked once)."""
    # importlib.metadata takes ~30 ms to import: only when the first scorer is built
    from importlib import metadata

    installed = metadata.version("vaderSentiment")
    if installed != VADER_VERSION:
        raise RuntimeError(
            f"analysis.measures.sentiment.vader_port ports vaderSentiment {VADER_VERSION}, but "
            f"vaderSentiment {installed} is installed: install {VADER_VERSION} "
            f"(pip install vaderSentiment=={VADER_VERSION}) or check the port against the new release")


def new_analyzer() -> SentimentIntensityAnalyzer:
    """VADER's analyzer with its stock lexicon, after ``check_version``."""
    check_version()
    return SentimentIntensityAnalyzer()


def normalize(x: float) -> float:
    """VADER's ``normalize``: ``x / sqrt(x^2 + ALPHA)``, in (-1, 1)."""
    return x / math.sqrt(x * x + ALPHA) if x else 0.0


def negated_word(word: str) -> bool:
    """VADER's negation test of one lower-cased word ("not", "never", "didn't")."""
    return word in NEGATE or "n't" in word


def vader_valences(words, lexicon) -> list[float]:
    """VADER's per-word valences for ``words``, before its "but" rule and normalisation."""
    n = len(words)
    lower = [w.lower() for w in words]
    upper = [w.isupper() for w in words]
    negated = [negated_word(w) for w in lower]
    caps = sum(upper)
    cap_diff = 0 < n - caps < n
    return [vader_valence(i, lower, upper, negated, cap_diff, lexicon)
            if item in lexicon and item not in BOOSTER_DICT else 0.0
            for i, item in enumerate(lower)]


def vader_valence(i, lower, upper, negated, cap_diff, lexicon) -> float:
    """VADER's valence of ``lower[i]``, a lexicon word that is not a booster.

    ``upper`` holds ``word.isupper()`` and ``negated`` VADER's negation test for
    each word; ``cap_diff``: some but not all words are in capitals.
    """
    n = len(lower)
    item = lower[i]
    valence = lexicon[item]
    lo = max(0, i - 3)
    if not (upper[i] and cap_diff) and item not in ("no", "kind") and item not in IDIOM_WORDS \
            and not (i > 1 and lower[i - 2] in IDIOM_WORDS
                     and (lower[i - 1] in IDIOM_WORDS or (i > 2 and lower[i - 3] in IDIOM_WORDS))) \
            and MODIFIERS.isdisjoint(lower[lo:i]) and not any(negated[lo:i]):
        # no rule below applies: no negation, booster, "no", "least" or capitals, and no idiom
        # (without word i, an idiom needs words i - 2 and i - 1, or i - 3 and i - 2)
        return valence
    if item == "kind" and i < n - 1 and lower[i + 1] == "of":
        return 0.0  # "kind of" only modifies others
    if item == "no" and i != n - 1 and lower[i + 1] in lexicon:
        valence = 0.0
    if (i > 0 and lower[i - 1] == "no") or (i > 1 and lower[i - 2] == "no") or (
            i > 2 and lower[i - 3] == "no" and lower[i - 1] in ("or", "nor")):
        valence = lexicon[item] * N_SCALAR
    if upper[i] and cap_diff:
        valence += C_INCR if valence > 0 else -C_INCR
    for start_i in range(3):
        if i > start_i and lower[i - (start_i + 1)] not in lexicon:
            prev = lower[i - (start_i + 1)]
            s = 0.0
            if prev in BOOSTER_DICT:
                s = BOOSTER_DICT[prev]
                if valence < 0:
                    s *= -1
                if upper[i - (start_i + 1)] and cap_diff:
                    s += C_INCR if valence > 0 else -C_INCR
            if start_i == 1 and s != 0:
                s *= 0.95
            if start_i == 2 and s != 0:
                s *= 0.9
            valence += s
            valence = _negation_check(valence, lower, negated, start_i, i)
            if start_i == 2:
                valence = _idioms_check(valence, lower, i)
    return _least_check(valence, lower, i, lexicon)


def _negation_check(valence, lower, negated, start_i, i):
    if start_i == 0:
        if negated[i - 1]:
            valence *= N_SCALAR
    elif start_i == 1:
        if lower[i - 2] == "never" and lower[i - 1] in ("so", "this"):
            valence *= 1.25
        elif lower[i - 2] == "without" and lower[i - 1] == "doubt":
            pass
        elif negated[i - 2]:
            valence *= N_SCALAR
    else:
        if (lower[i - 3] == "never" and lower[i - 2] in ("so", "this")) or lower[i - 1] in ("so", "this"):
            valence *= 1.25
        elif lower[i - 3] == "without" and "doubt" in (lower[i - 2], lower[i - 1]):
            pass
        elif negated[i - 3]:
            valence *= N_SCALAR
    return valence


def _idioms_check(valence, lower, i):
    # every n-gram below holds word i or word i - 2 (i >= 3 here)
    if lower[i] not in IDIOM_WORDS and lower[i - 2] not in IDIOM_WORDS:
        return valence
    onezero = f"{lower[i - 1]} {lower[i]}"
    twoonezero = f"{lower[i - 2]} {lower[i - 1]} {lower[i]}"
    twoone = f"{lower[i - 2]} {lower[i - 1]}"
    threetwoone = f"{lower[i - 3]} {lower[i - 2]} {lower[i - 1]}"
    threetwo = f"{lower[i - 3]} {lower[i - 2]}"
    for seq in (onezero, twoonezero, twoone, threetwoone, threetwo):
        if seq in SPECIAL_CASES:
            valence = SPECIAL_CASES[seq]
            break
    if len(lower) - 1 > i:
        zeroone = f"{lower[i]} {lower[i + 1]}"
        if zeroone in SPECIAL_CASES:
            valence = SPECIAL_CASES[zeroone]
    if len(lower) - 1 > i + 1:
        zeroonetwo = f"{lower[i]} {lower[i + 1]} {lower[i + 2]}"
        if zeroonetwo in SPECIAL_CASES:
            valence = SPECIAL_CASES[zeroonetwo]
    for n_gram in (threetwoone, threetwo, twoone):
        if n_gram in BOOSTER_DICT:
            valence += BOOSTER_DICT[n_gram]
    return valence


def _least_check(valence, lower, i, lexicon):
    if i > 1 and lower[i - 1] not in lexicon and lower[i - 1] == "least":
        if lower[i - 2] not in ("at", "very"):
            valence *= N_SCALAR
    elif i > 0 and lower[i - 1] not in lexicon and lower[i - 1] == "least":
        valence *= N_SCALAR
    return valence
