"""Hedge cues: words with which a text lowers its commitment to what it says.

Method (docs/hedging.md has the full account, the lexicon's provenance and the
validation figures, external first):

1. The lexicon (``analysis/measures/hedging/hedges.csv``; columns ``cue, category, rule,
   news_rule, accept, note, source, added`` and CoNLL-2010 statistics) lists
   single- and multi-word cues, each in one of five categories (``CATEGORIES``;
   ``weasel`` = vague attribution / unsupported claim). (``lexicon.py``)
2. All cues are compiled into ONE case-insensitive regular expression, built as a
   prefix tree so that at any position the longest cue wins. (``lexicon.py``)
3. A cue whose ``rule`` column names a context check (``RULES``) is kept only if
   the check passes: "about" needs a following number, "May" the month is not a
   modal, "claims" the noun is not a distancing verb, and so on. Checks look at a
   few neighbouring tokens only, so the whole pass stays linear in the text.
   When a long cue fails its check, shorter cues starting at the same place are
   tried. (``rules.py``; the tokens it looks at: ``tokens.py``)
4. Cues marked ``accept=model`` must also pass the learned acceptance layer
   (``analysis/measures/hedging/model.json``, trained on CoNLL-2010 Wikipedia by
   ``make train``): a linear model over the cue, its category and its
   neighbouring tokens (``candidate_features``). (``acceptance.py``)

The pass itself is here: ``find_hedges`` (the news measure) returns non-overlapping ``Hedge`` records
sorted by start, whose ``text[start:end] == cue``. ``uncertainty_cues`` /
``hedged_sentence`` let the layer decide every cue: the CoNLL-2010 sense of an
uncertain sentence. ``legacy_find_hedges`` is the method before the weasel
category and the layer. The packaged files are read once per process
(``cache.py``: speed only, nothing a reader of the method needs). The scoring against the in-house hand-labelled gold
set is in ``analysis.validation.hedging_gold``, the external validation and the
training in ``analysis.validation.hedging_external``.
"""
from __future__ import annotations

from dataclasses import dataclass

from analysis.deprecation import moved
from analysis.measures.hedging.acceptance import (
    MODEL_NAME, Acceptor, acceptor_from_model, candidate_features, load_acceptor,
)
from analysis.measures.hedging.lexicon import (
    ACCEPT_VALUES, CATEGORIES, CATEGORY_LABELS, Lexicon, LexiconEntry, legacy_lexicon, load_lexicon,
    normalise_cue, packaged_lexicon,
)
from analysis.measures.hedging.rules import LEGACY_RULES, RULES

__all__ = [
    "ACCEPT_VALUES", "CATEGORIES", "CATEGORY_LABELS", "LEGACY_RULES", "MODEL_NAME", "RULES",
    "Acceptor", "Hedge", "Lexicon", "LexiconEntry",
    "acceptor_from_model", "candidate_features", "candidates", "find_hedges", "hedged_sentence",
    "legacy_find_hedges", "legacy_lexicon", "load_acceptor", "load_lexicon", "normalise_cue", "uncertainty_cues",
]


@dataclass(frozen=True, slots=True)
class Hedge:
    cue: str  # the exact matched text: text[start:end] == cue
    category: str  # one of CATEGORIES
    start: int
    end: int


# --------------------------------------------------------------------------
# the finder
# --------------------------------------------------------------------------
def _in_compound(text: str, start: int, end: int) -> bool:
    """True when the match is glued to a hyphenated compound ('make-believe', 'about-face')."""
    if start >= 2 and text[start - 1] == "-" and text[start - 2].isalnum():
        return True
    return end + 1 < len(text) and text[end] == "-" and text[end + 1].isalpha()


def _scan(text: str, lexicon: Lexicon, acceptor, collect=None, every=False) -> list[Hedge]:
    """The one pass behind ``find_hedges`` and ``uncertainty_cues``. ``acceptor``
    None: the rules alone decide. ``every``: every cue that passes its rule goes
    to the learned layer, not only those marked ``accept=model``. ``collect``: a
    list that receives (start, end, entry) for every occurrence that passed its
    rule and is sent to the learned layer."""
    rules = lexicon.rules or RULES
    find, by_cue, shorter = lexicon.find, lexicon.by_cue, lexicon.shorter

    def accept(start, end, entries):
        if _in_compound(text, start, end):
            return None
        for entry in entries:
            if entry.rule and not rules[entry.rule](text, start, end):
                continue
            if entry.news_rule and not every and not rules[entry.news_rule](text, start, end):
                continue
            if every or entry.accept == "model":
                if collect is not None:
                    collect.append((start, end, entry))
                if acceptor is not None and not acceptor.accepts(text, start, end, entry):
                    continue
            return entry
        return None

    out: list[Hedge] = []
    pos, n = 0, len(text)
    while pos < n:
        span = find(text, pos)  # lexicon.pattern.search(text, pos)
        if span is None:
            break
        start, end = span
        key = normalise_cue(text[start:end])
        entries = by_cue.get(key)
        if entries is None:  # a case-insensitive match on an exotic case variant (e.g. long s)
            pos = start + 1
            continue
        entry = accept(start, end, entries)
        if entry is not None:
            out.append(Hedge(text[start:end], entry.category, start, end))
            pos = end
            continue
        for short, short_re in shorter.get(key, ()):
            sm = short_re.match(text, start)
            if sm:
                entry = accept(start, sm.end(), short)
                if entry is not None:
                    out.append(Hedge(text[start:sm.end()], entry.category, start, sm.end()))
                    pos = sm.end()
                    break
        else:
            pos = start + 1
    return out


def find_hedges(text: str, lexicon=None, acceptor=None) -> list[Hedge]:
    """All hedge cues in ``text``, sorted by start and non-overlapping.

    ``lexicon``: a ``Lexicon`` from ``load_lexicon``, a path to a lexicon CSV, or
    None for the packaged lexicon. ``acceptor``: the learned layer that decides
    the occurrences of cues marked ``accept=model``; None uses the packaged one
    (analysis/measures/hedging/model.json), False turns it off (such cues then count
    whenever their rule passes). At each position the longest cue that is
    accepted wins; ``text[h.start:h.end] == h.cue`` for every result.
    """
    if not text:
        return []
    lexicon, acceptor = _resolve(lexicon, acceptor)
    return _scan(text, lexicon, acceptor)


def _resolve(lexicon, acceptor):
    """The lexicon and learned layer to use: None means the packaged ones, a path a lexicon
    CSV, ``acceptor=False`` no layer."""
    if lexicon is None:
        lexicon = packaged_lexicon()
    elif not isinstance(lexicon, Lexicon):
        lexicon = load_lexicon(lexicon)
    if acceptor is None:
        acceptor = load_acceptor()
    elif acceptor is False:
        acceptor = None
    return lexicon, acceptor


def uncertainty_cues(text: str, lexicon=None, acceptor=None) -> list[Hedge]:
    """The cues that make a sentence uncertain in the sense of CoNLL-2010
    (hedges and weasel words): the same lexicon, rules and pass as
    ``find_hedges``, but the learned layer decides every occurrence, of every
    category. It rejects most approximators ("about 300") and many root-modal
    "may" ("users may download"), which the news measure keeps."""
    if not text:
        return []
    lexicon, acceptor = _resolve(lexicon, acceptor)
    return _scan(text, lexicon, acceptor, every=True)


def hedged_sentence(text: str, lexicon=None, acceptor=None) -> bool:
    """True when ``uncertainty_cues`` finds at least one cue: the sentence-level
    decision scored on the CoNLL-2010 uncertainty labels."""
    return bool(uncertainty_cues(text, lexicon, acceptor))


def candidates(text: str, lexicon=None) -> list[tuple[int, int, LexiconEntry]]:
    """The occurrences the learned layer is asked about: (start, end, entry) for
    each cue occurrence that passes its rule, from the pass of
    ``uncertainty_cues`` with the layer accepting everything. Training uses these."""
    if lexicon is None:
        lexicon = packaged_lexicon()
    out: list = []
    _scan(text or "", lexicon, None, out, every=True)
    return out


def legacy_find_hedges(text: str) -> list[Hedge]:
    """The method before the weasel category and the learned layer (the original
    137 cues and rules), kept so the external evaluation can score it."""
    if not text:
        return []
    return _scan(text, legacy_lexicon(), None)



# the in-house gold evaluation and its naive baseline moved to analysis.validation.hedging_gold
__getattr__ = moved(__name__, ("BASELINE_WORDS", "HELD_OUT_PREFIX", "naive_hedges", "load_gold",
                               "evaluate_against_gold", "annotator_agreement"), "analysis.validation.hedging_gold")
