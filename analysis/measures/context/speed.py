"""Speed machinery of the context measure. A reader of the method can skip this module.

Everything here gives exactly what the plain code would, faster:

- ``TemporalGates.matches(text, low)``: the matches of the temporal expressions
  (analysis.measures.context.temporal), kind by kind, each kind's as
  ``finditer`` gives them; but an expression scans a paragraph only when the
  paragraph has a token the expression needs, and an expression that cannot
  match far from a key (a month name, a weekday, a year) is tried only near its
  keys. tests/test_context.py checks both against plain scanning.
- Model scoring: ``Vocabulary`` lets features.py leave out the word and pair
  features a model does not weigh (they add 0.0 to its logits); ``probs`` is
  ``model.proba`` in ROLES order without multiplying the 1.0 feature values;
  ``score`` gives it and the ``Kept`` part of the features (what ``explain``
  needs); ``explain`` is ``model.explain`` from a ranking built once per model.
"""
from __future__ import annotations

import math
import re
import string
from itertools import repeat

_DIGIT = re.compile(r"\d")
_WORD_START = re.compile(r"\b(?=\w)")
# Each scan runs only when the paragraph has a token (a maximal run of ASCII
# letters) that the expression needs: a month or weekday name as written, or one
# of these words in any case.
GATE_WORDS = {
    "interval": {"last", "past", "previous"},
    "ago": {"ago"},
    "last_unit": {"last", "past", "previous"},
    "earlier_this": {"earlier"},
    "deictic": {"yesterday", "today", "tonight", "tomorrow", "overnight", "this"},
}
_ASCII_LETTERS = frozenset(string.ascii_letters)
_NO_TOKENS = frozenset()
_GATE_WORD_LIST = tuple(sorted(set().union(*GATE_WORDS.values())))
# The tokens are found by a search for the words themselves rather than by listing
# every token: an expression that starts with literals lets the regex engine skip
# ahead. It does not check the start of the token; whole_tokens does.
_GATE_TOKENS = re.compile("(?:" + "|".join(sorted(_GATE_WORD_LIST, key=len, reverse=True))
                          + ")(?![A-Za-z])", re.IGNORECASE | re.ASCII)
_GATE_TOKENS_LOWER = re.compile("(?:" + "|".join(sorted(_GATE_WORD_LIST, key=len, reverse=True))
                                + ")(?![A-Za-z])")

# Where a match can start. None of the expressions starts with a literal, so the
# regex engine would try every position of the paragraph; but every match contains
# a key (a month name, a weekday name, a year, "ago", ...) and before it, within
# the match, at most a few words of letters and digits separated by white space
# and hyphens: LEAD_WORDS. So a match can only begin in the "lead" before a key: at
# most that many words back (keyed_finditer, TemporalGates.keyed_matches).
LEAD_WORDS = {
    "iso": 1, "mdy": 1, "year": 1, "weekday": 1,  # "since", "on", "in" before the date or name
    "dmy": 3,  # "since 12th of"
    "month": 4,  # "since the beginning of", "in mid-"
    "month_year": 0, "last_unit": 0, "earlier_this": 0,  # the key comes first
    "interval": 2,  # "in the" last
    "ago": 3,  # "a few weeks" ago
    "deictic": 1,  # "this" morning
}
# matched on the reversed text from just before a key: white space and hyphens, then
# up to that many words, each with the white space and hyphens before it
_LEADS = {kind: re.compile(rf"[\s\-]*(?:\w+[\s\-]*){{0,{n}}}") for kind, n in LEAD_WORDS.items()}
_MID_WORD_START = {"iso", "mdy", "dmy"}  # "(?P<since>(?i:since|from)\s+)?" is not preceded by \b

# What a text must have for an expression to be scanned (TemporalGates.matches): a
# year; a month name and a digit or year; a month name; a weekday name; or, for the
# kinds of GATE_WORDS, one of their words (a bit per kind).
_HAS_YEAR, _HAS_MONTH_DAY, _HAS_MONTH, _HAS_WEEKDAY = 1, 2, 4, 8
_NEEDS = {"iso": _HAS_YEAR, "year": _HAS_YEAR, "mdy": _HAS_MONTH_DAY, "dmy": _HAS_MONTH_DAY,
          "month": _HAS_MONTH, "month_year": _HAS_MONTH, "weekday": _HAS_WEEKDAY}
_GATE_BITS = {kind: 16 << i for i, kind in enumerate(GATE_WORDS)}
_ALL_NEEDS = 16 * (1 << len(GATE_WORDS)) - 1
_WORD_BITS = {word: sum(bit for kind, bit in _GATE_BITS.items() if word in GATE_WORDS[kind])
              for word in _GATE_WORD_LIST}


def whole_tokens(rx: re.Pattern, text: str) -> set[str]:
    """The tokens of ``text`` (maximal runs of ASCII letters) that ``rx`` matches.

    ``rx`` ends each match at the end of a run; a match that does not begin a
    run is dropped. It cannot hide a token: it ends where its run ends, and a
    token in the same run would have begun before it.
    """
    found = set()
    for m in rx.finditer(text):
        s = m.start()
        if s == 0 or text[s - 1] not in _ASCII_LETTERS:
            found.add(m.group())
    return found


def has_gate_word(low: str) -> bool:
    """Whether the lower-cased text ``low`` contains one of the gate words (not
    necessarily as a token). One substring test after another: faster than any()
    or a regular expression."""
    return ("this" in low or "last" in low or "past" in low or "ago" in low or "today" in low
            or "yesterday" in low or "tomorrow" in low or "tonight" in low or "overnight" in low
            or "earlier" in low or "previous" in low)


def gate_words(text: str, low: str) -> set[str]:
    """The gate words (``GATE_WORDS``) among the tokens of ``text``, lower-cased;
    ``low`` is ``text.lower()``.

    Searching the lower-cased text is several times faster than a
    case-insensitive search. It finds the same tokens at the same places when
    the only characters that lower-case to ASCII letters are ASCII letters,
    i.e. unless the text has "İ" (which also changes the length) or the Kelvin
    sign "K".
    """
    if text.isascii() or (len(low) == len(text) and "\u212a" not in text):
        return whole_tokens(_GATE_TOKENS_LOWER, low) if has_gate_word(low) else set()
    return {t.lower() for t in whole_tokens(_GATE_TOKENS, text)}


def key_starts(keys: re.Pattern, text: str) -> list[int]:
    """Every position where ``keys`` matches (overlapping ones too)."""
    out, pos = [], 0
    while (m := keys.search(text, pos)) is not None:
        out.append(m.start())
        pos = m.start() + 1
    return out


def keyed_finditer(rx: re.Pattern, text: str, rev: str, keys: list[int], lead: re.Pattern, check=None):
    """The matches of ``rx.finditer(text)``, for an ``rx`` whose every match
    contains a key preceded in it only by what ``lead`` (one of _LEADS)
    covers; ``keys`` are the positions where a key can be (ascending),
    ``rev`` is ``text[::-1]``. ``check(text, key, start)``, when given, is
    false for a key that no match starting at ``start`` or later can contain:
    such keys are skipped.

    After the previous match, let k be the first key and "start" the beginning
    of the lead before it. A match that began before "start" would contain
    the character just before it: either one that no lead has, or a letter of
    one word more than any lead has (its own key is at k or later). So the
    search can begin at "start".
    """
    pos, n, i = 0, len(text), 0
    while True:
        while i < len(keys) and keys[i] < pos:
            i += 1
        if i == len(keys):
            return
        k = keys[i]
        start = max(pos, k - (lead.match(rev, n - k).end() - (n - k)))
        if check is not None and not check(text, k, start):
            i += 1
            continue
        m = rx.search(text, start)
        if m is None:
            return
        yield m
        pos = m.end()


class TemporalGates:
    """The gates of the temporal expressions ``patterns`` (``(kind, regex)`` in
    order), built from the month and weekday names and the regex strings of a
    month name (``mon``) and a year (``year``) that the expressions use."""

    def __init__(self, patterns, months, weekdays, mon: str, year: str):
        self.patterns = patterns
        self.months = frozenset(months)
        self.weekdays = frozenset(weekdays)
        self.year_gate = re.compile(year)
        # cheap tests first: every name begins with one of these, every year with 19 or 20
        self.name_starts = re.compile("|".join(sorted({name[:3] for name in [*months, *weekdays]})))
        self.name_tokens = re.compile("(?:" + "|".join(sorted([*months, *weekdays], key=len, reverse=True))
                                      + ")(?![A-Za-z])")
        month_key = re.compile("|".join(sorted(months, key=len, reverse=True)))
        weekday_key = re.compile("|".join(weekdays))
        self.scan_keys = {"iso": self.year_gate, "mdy": month_key, "dmy": month_key, "month": month_key,
                          "month_year": month_key, "weekday": weekday_key, "year": self.year_gate}
        # Keys that no match can use, found cheaply: a month-day date ("April 1") needs the
        # day after the month, a day-month date ("1 April") the day before it, an ISO date
        # its "-MM-DD".
        mdy_at = re.compile(mon + r"\.?\s+\d")
        iso_at = re.compile(year + r"-\d\d-\d\d")
        self.key_checks = {
            "iso": lambda text, k, start: iso_at.match(text, k) is not None,
            "mdy": lambda text, k, start: mdy_at.match(text, k) is not None,
            "dmy": lambda text, k, start: _DIGIT.search(text, start, k) is not None,
        }
        # The scans a text needs follow from a few facts about it (_NEEDS: a bit each, and
        # one per kind of GATE_WORDS): every combination's list of scans is made here, so
        # that ``matches`` picks one instead of testing every kind of every text.
        needs = {kind: _NEEDS.get(kind) or _GATE_BITS[kind] for kind, _ in patterns}
        self.plans = [tuple((kind, rx, self.scan_keys.get(kind)) for kind, rx in patterns if needs[kind] & have)
                      for have in range(_ALL_NEEDS + 1)]

    def keyed_matches(self, kind: str, rx: re.Pattern, text: str, rev: str, keys: list[int]):
        """``keyed_finditer`` for the expressions of one kind.

        Most of them can only begin at a word start: those are matched (``match``)
        at the word starts of each key's lead, in order, which finds the same
        leftmost matches as searching from the lead but does not scan on to the
        end of the paragraph when a key is no date ("this morning" needs "this",
        "April 2024" a year). The others ("since" may begin inside a word) search.
        """
        lead = _LEADS[kind]
        if kind in _MID_WORD_START:
            yield from keyed_finditer(rx, text, rev, keys, lead, self.key_checks.get(kind))
            return
        n = len(text)
        starts = set()
        for k in keys:
            for m in _WORD_START.finditer(text, k - (lead.match(rev, n - k).end() - (n - k)), k + 1):
                starts.add(m.start())
        pos = 0
        for p in sorted(starts):
            if p >= pos:
                m = rx.match(text, p)
                if m is not None:  # (none of them matches empty)
                    yield m
                    pos = m.end()

    def matches(self, text: str, low: str):
        """``(kind, match)`` of every temporal expression in ``text`` (``low`` is
        ``text.lower()``), kind by kind in ``patterns`` order, each kind's as
        ``finditer`` gives them: an expression scans the text only when the text has
        the tokens that the expression needs."""
        names = whole_tokens(self.name_tokens, text) if self.name_starts.search(text) else _NO_TOKENS
        lowered = gate_words(text, low)
        has_year = ("19" in text or "20" in text) and self.year_gate.search(text) is not None
        if not (names or lowered or has_year):
            return  # no scan could match
        # skip the scans that cannot match (each full scan costs more than the test)
        have = _HAS_YEAR if has_year else 0
        for word in lowered:
            have |= _WORD_BITS[word]
        if names:
            if not names.isdisjoint(self.months):
                have |= _HAS_MONTH
                if has_year or _DIGIT.search(text):
                    have |= _HAS_MONTH_DAY
            if not names.isdisjoint(self.weekdays):
                have |= _HAS_WEEKDAY
        rev = None
        starts = {}  # key positions, found once per key expression (months key four kinds)
        for kind, rx, keys in self.plans[have]:
            if keys is not None:
                if rev is None:
                    rev = text[::-1]
                if keys not in starts:
                    starts[keys] = key_starts(keys, text)
                found = self.keyed_matches(kind, rx, text, rev, starts[keys])
            else:
                found = rx.finditer(text)
            for m in found:
                yield kind, m


# ---------------------------------------------------------------------------
# Model scoring

_NO_WEIGHTS = (0.0, 0.0, 0.0, 0.0)
_EXPLAIN_TABLES: dict = {}


def probs(model, features: dict, order) -> list[float]:
    """``model.proba(features)`` in ROLES order (``order``: the model's class index of
    each role). Every feature value is 1.0 but ``rel`` (position as a number,
    features.position_features)."""
    return _probs(model, features, features.get("rel"), order)


def score(model, features: dict, order) -> tuple[list[float], "Kept"]:
    """``probs(model, features, order)`` and the ``Kept`` part of ``features``.

    ``features`` built with ``weighed`` (``Vocabulary``: features.py leaves out
    the word and pair features the model does not weigh) holds only a few names
    the model does not weigh, so they are kept with the others."""
    names = tuple(features)
    rel = features.get("rel")
    return _probs(model, names, rel, order), Kept(names, rel)


def _probs(model, names, rel, order) -> list[float]:
    """The probabilities of a sentence whose features are ``names`` (a tuple, or a dict
    whose keys they are; each 1.0, but ``rel``'s value is ``rel``, None when absent);
    four classes. A name the model does not weigh adds 0.0, as in ``model.proba``;
    the weights are summed column by column in the order of ``names``, without
    multiplying the 1.0 values."""
    weights = model.weights
    i0, i1, i2, i3 = model.intercept
    s0, s1, s2, s3 = map(sum, zip(*map(weights.get, names, repeat(_NO_WEIGHTS))))
    a0, a1, a2, a3 = i0 + s0, i1 + s1, i2 + s2, i3 + s3
    if rel is not None and rel != 1.0:
        w = weights.get("rel")
        if w is not None:
            d = rel - 1.0
            a0, a1, a2, a3 = a0 + d * w[0], a1 + d * w[1], a2 + d * w[2], a3 + d * w[3]
    top = max(a0, a1, a2, a3)
    e0, e1, e2, e3 = math.exp(a0 - top), math.exp(a1 - top), math.exp(a2 - top), math.exp(a3 - top)
    z = e0 + e1 + e2 + e3
    return list(map((e0 / z, e1 / z, e2 / z, e3 / z).__getitem__, order))


def _explain_table(model) -> list[tuple[dict, list, dict]]:
    """Per model, computed once, for each class: each feature's entry for ranking
    by ``explain``: (minus the absolute contrast, name, contrast), the contrast
    being its weight for the class minus the mean of its weights for the others;
    and, but for ``rel`` (whose contribution depends on its value), the entries in
    ranking order (from index 1) with each name's index in it."""
    got = _EXPLAIN_TABLES.get(id(model))
    if got is None or got[0] is not model:
        n = len(model.classes)
        table = [{} for _ in range(n)]
        for name, ws in model.weights.items():
            t = sum(ws)
            for c in range(n):
                v = ws[c] - (t - ws[c]) / (n - 1)
                table[c][name] = (-abs(v), name, v)
        ranked = []
        for entries in table:
            order = [None, *sorted(e for name, e in entries.items() if name != "rel")]
            ranked.append(({e[1]: i for i, e in enumerate(order) if e is not None}, order, entries))
        got = (model, ranked)
        _EXPLAIN_TABLES[id(model)] = got
    return got[1]


class Vocabulary:
    """The word ("w:") and word-pair ("b:") features a model weighs, found by their
    words; ``keep`` names word features to add even when the model does not weigh
    them (features.py tests for them).

    ``add_words(f, words, pairs)`` adds to ``f`` what features.py adds for the
    sentence's ``words``, less the names the model does not weigh, in the same
    order: a model gives the same scores (each left-out name adds 0.0 to every
    logit, which changes no sum), without building a string for every word and
    pair. Word tokens never contain "_" (features.FEATURE_TOKEN), so the name of
    a pair splits into its words one way only."""

    def __init__(self, model, keep=()):
        self.weighed = model.weights
        self.words = {}
        self.pairs = {}
        for name in model.weights:
            if name.startswith("w:"):
                self.words[name[2:]] = name
            elif name.startswith("b:") and name.count("_") == 1:
                first, second = name[2:].split("_")
                self.pairs[first, second] = name
        for name in keep:
            self.words.setdefault(name[2:], name)

    def __contains__(self, name: str) -> bool:
        """Whether the model weighs the feature ``name``."""
        return name in self.weighed

    def add_words(self, f: dict, words: list[str], pairs: bool) -> None:
        for name in filter(None, map(self.words.get, words)):
            f[name] = 1.0
        if pairs and len(words) > 1:
            for name in filter(None, map(self.pairs.get, zip(words, words[1:]))):
                f[name] = 1.0


_VOCABULARIES: dict = {}


def vocabulary(model, keep=()) -> Vocabulary:
    """``Vocabulary(model, keep)``, built once per model."""
    got = _VOCABULARIES.get((id(model), keep))
    if got is None or got[0] is not model:
        got = _VOCABULARIES[id(model), keep] = (model, Vocabulary(model, keep))
    return got[1]


class Kept:
    """What ``explain`` needs of one sentence's feature dict: its names, in order,
    and the value of ``rel`` (None when absent). The names of a dict built with
    ``weighed`` are mostly the model's own strings (``Vocabulary``) and the
    constant names of features.py, so a long article's features do not fill the
    memory while its roles are decided."""

    __slots__ = ("names", "rel")

    def __init__(self, names: tuple, rel):
        self.names = names
        self.rel = rel


def explain(model, features, c: int, k: int) -> list[tuple[str, float]]:
    """``model.explain(features, model.classes[c], k)`` (the features that pushed
    most toward class index ``c``), without rounding every contribution.
    ``features`` is a feature dict or a ``Kept``; every feature value is 1.0 but
    ``rel``'s; ``k`` >= 0. The entries are ranked by their whole (unique) key: the
    first ``k`` of the features other than ``rel`` come from their places in the
    table's ranking, and ``rel``'s own entry (its contribution is its value times
    its contrast) is ranked among those."""
    if isinstance(features, Kept):
        names, rel = features.names, features.rel
    else:
        names, rel = features, features.get("rel")
    rank, ranked, table = _explain_table(model)[c]
    contrib = [ranked[i] for i in sorted(filter(None, map(rank.get, names)))[:k]]
    if rel and "rel" in table:
        v = rel * table["rel"][2]
        contrib.append((-abs(v), "rel", v))
        contrib.sort()
    return [(name, round(v, 4)) for _, name, v in contrib[:k]]
