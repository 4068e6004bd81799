"""Paragraph and sentence roles: is a passage the event itself, its context, or a reaction to it?

Every sentence, and every paragraph, of an article gets one of four roles
(DESIGN.md; the mapping of NewsDiscourse's labels in docs/context.md):

    main      the event itself and what happens in it now (and its direct consequences)
    context   earlier events, history, background, the general situation, explanation
    reaction  responses, statements, opinion and analysis about the event
    other     what is expected to follow, page furniture, anything else

The method (docs/context.md) is a multinomial logistic regression over named
sentence features (analysis.measures.context.features): position in the article, the
sentence's words and word pairs, its overlap with the article's first sentence,
tense and aspect, temporal expressions placed relative to the event date
(``resolve_temporal``), quotation marks and page-furniture patterns. Its
weights are trained on the train split of NewsDiscourse (Choubey et al., ACL
2020) by ``make train`` (analysis/validation/context_external.py) and stored in
analysis/measures/context/model.json; analysis time reads them with analysis.measures.linear
(pure Python, no scikit-learn, no network).

``sentence_roles`` gives each sentence (analysis.pipeline.segment.split_sentences) its
role probabilities, after a forward-backward pass over the article's sentences
with role transitions learned from the same train split (``smooth_sequence``:
roles come in runs); ``classify_paragraphs`` takes, per paragraph, the
word-weighted mean of its sentences' probabilities: the role is the most
probable one and ``confidence`` its probability. A context share is best
estimated from the probabilities (the mean P(context)), not from counted labels.
"""
from __future__ import annotations

import csv
import datetime as dt
import functools
import importlib.resources
import math
import operator
import re
import string
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path
from analysis.paths import BUNDLED_CORPUS

ROLES = ("main", "context", "reaction", "other")
_START = operator.attrgetter("start")

__all__ = [
    "ROLES", "RoleDecision", "SentenceRole", "TemporalMention", "paragraph_roles",
    "classify_paragraphs", "sentence_roles", "resolve_temporal", "cohen_kappa", "evaluate",
    "score_labels", "baseline_roles", "load_role_model",
]

MODEL_NAME = "context"    # analysis/measures/context/model.json
EXPLAIN_FEATURES = 3      # features named in each paragraph's reasons
DURING_DAYS = 1           # dates within this many days of the event are its time
_DURING = dt.timedelta(days=DURING_DAYS)
FUTURE_WINDOW_DAYS = 60   # a day-month without year more than this after the reference is last year's


@dataclass(frozen=True)
class RoleDecision:
    """The role of one paragraph, how sure the method is, and why.

    ``probs`` maps each role to its probability (the word-weighted mean of the
    paragraph's sentence probabilities; they sum to 1). ``confidence`` is the
    probability of ``role``, the most probable role. ``reasons`` names the
    features that pushed the decision most, e.g. ``"word 'had' -> context (+0.62)"``.
    """

    role: str
    confidence: float
    reasons: tuple[str, ...] = ()
    probs: dict = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class SentenceRole:
    """One sentence of a paragraph: its span in the paragraph text, its most
    probable role and the probability of each role."""

    paragraph: int
    start: int
    end: int
    role: str
    probs: dict


@dataclass(frozen=True)
class TemporalMention:
    """A temporal expression and where it falls relative to the event.

    ``first``/``last`` bound the period it denotes (equal for a day; None when
    it cannot be resolved). ``relation`` is ``"before"``, ``"during"``,
    ``"after"``, ``"containing"`` (a year or month that includes the event) or
    ``"unknown"``. ``days`` is how many days before the event the period
    starts (positive = earlier), when known.
    """

    text: str
    start: int
    end: int
    first: dt.date | None
    last: dt.date | None
    relation: str
    days: int | None = None
    kind: str = "date"  # date | year | month | weekday | relative | since


# ---------------------------------------------------------------------------
# Temporal expressions

_MONTHS = {
    "January": 1, "Jan": 1, "February": 2, "Feb": 2, "March": 3, "Mar": 3, "April": 4, "Apr": 4,
    "May": 5, "June": 6, "Jun": 6, "July": 7, "Jul": 7, "August": 8, "Aug": 8,
    "September": 9, "Sept": 9, "Sep": 9, "October": 10, "Oct": 10, "November": 11, "Nov": 11,
    "December": 12, "Dec": 12,
}
_WEEKDAYS = {d: i for i, d in enumerate(
    ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"])}
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
            "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
            "a few": 3, "few": 3, "several": 3}
_UNIT_DAYS = {"day": 1, "week": 7, "weekend": 7, "month": 30, "year": 365, "decade": 3650, "century": 36500}
_SEASONS = {"spring", "summer", "autumn", "fall", "winter"}

_MON = "(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + ")"
_YEAR = r"(?:19|20)\d\d"
_NUM = r"(?:a\s+few|an|a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|few|several|\d{1,3})"
_UNIT = r"(?:day|week|month|year|decade)"
_PREP = r"(?i:since|from|until|till|by|in|on|during|last|early|late|mid-?|next|this|before|after)"

# Ordered: earlier patterns win where spans overlap. Month names must be capitalised
# ("may", "march" are also words); the relative expressions are case-insensitive.
_TEMPORAL_PATTERNS = [
    ("iso", re.compile(rf"(?P<since>(?i:since|from)\s+)?\b(?P<year>{_YEAR})-(?P<mon>\d\d)-(?P<day>\d\d)\b")),
    ("mdy", re.compile(rf"(?P<since>(?i:since|from)\s+)?\b(?P<mon>{_MON})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>{_YEAR})\b)?")),
    ("dmy", re.compile(rf"(?P<since>(?i:since|from)\s+)?\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{_MON})\b\.?(?:,?\s+(?P<year>{_YEAR})\b)?")),
    ("month", re.compile(rf"\b(?P<prep>{_PREP})\s+(?:(?i:the\s+)?(?i:end|start|beginning|middle)\s+of\s+)?(?P<mon>{_MON})\b(?:,?\s+(?P<year>{_YEAR})\b)?")),
    ("month_year", re.compile(rf"\b(?P<mon>{_MON})\s+(?P<year>{_YEAR})\b")),
    ("interval", re.compile(rf"(?i)\b(?:in|over|during|for|within)\s+the\s+(?:last|past|previous)\s+(?:(?P<n>{_NUM})\s+)?(?P<unit>{_UNIT})s?\b")),
    ("ago", re.compile(rf"(?i)\b(?P<n>{_NUM})\s+(?P<unit>{_UNIT})s?\s+ago\b")),
    ("last_unit", re.compile(r"(?i)\b(?:last|past|previous)\s+(?P<unit>week|weekend|month|year|decade|century|spring|summer|autumn|fall|winter)\b")),
    ("earlier_this", re.compile(r"(?i)\bearlier\s+(?:this|that|in\s+the)\s+(?P<unit>week|month|year|day)\b")),
    ("weekday", re.compile(r"\b(?:(?P<mod>(?i:last|next|this|on|since|until|by|from|late|early))\s+)?(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")),
    ("deictic", re.compile(r"(?i)\b(?P<word>yesterday|today|tonight|tomorrow|overnight|this\s+(?:morning|afternoon|evening))\b")),
    ("year", re.compile(rf"(?P<prep>\b[A-Za-z]+\s+)?(?<![\d,.\-/$€£])\b(?P<year>{_YEAR})(?P<decade>s)?\b(?![,.]\d|-\d|%)")),
]
_DIGIT = re.compile(r"\d")
_WORD_START = re.compile(r"\b(?=\w)")
_YEAR_GATE = re.compile(r"(?:19|20)\d\d")
# Each scan below runs only when the paragraph has a token (a maximal run of ASCII
# letters) that the expression needs: a month or weekday name as written, or one
# of these words in any case.
_GATE_WORDS = {
    "interval": {"last", "past", "previous"},
    "ago": {"ago"},
    "last_unit": {"last", "past", "previous"},
    "earlier_this": {"earlier"},
    "deictic": {"yesterday", "today", "tonight", "tomorrow", "overnight", "this"},
}
_ASCII_LETTERS = frozenset(string.ascii_letters)
_GATE_WORD_LIST = tuple(sorted(set().union(*_GATE_WORDS.values())))
# The tokens are found by a search for the names themselves rather than by listing
# every token: an expression that starts with literals lets the regex engine skip
# ahead. It does not check the start of the token; _whole_tokens does.
_NAME_TOKENS = re.compile("(?:" + "|".join(sorted([*_MONTHS, *_WEEKDAYS], key=len, reverse=True))
                          + ")(?![A-Za-z])")
_GATE_TOKENS = re.compile("(?:" + "|".join(sorted(_GATE_WORD_LIST, key=len, reverse=True))
                          + ")(?![A-Za-z])", re.IGNORECASE | re.ASCII)
_GATE_TOKENS_LOWER = re.compile("(?:" + "|".join(sorted(_GATE_WORD_LIST, key=len, reverse=True))
                                + ")(?![A-Za-z])")


def _whole_tokens(rx: re.Pattern, text: str) -> set[str]:
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


# Where a match can start. None of these expressions starts with a literal, so the
# regex engine would try every position of the paragraph; but every match contains
# a key (a month name, a weekday name, a year, "ago", ...; _TEMPORAL_KEYS) and
# before it, within the match, at most a few words of letters and digits separated
# by white space and hyphens: _LEAD_WORDS. So a match can only begin in the "lead"
# before a key: at most that many words back (_keyed_finditer, _keyed_matches).
_MONTH_KEY = re.compile("|".join(sorted(_MONTHS, key=len, reverse=True)))
_WEEKDAY_KEY = re.compile("|".join(_WEEKDAYS))
_SCAN_KEYS = {"iso": _YEAR_GATE, "mdy": _MONTH_KEY, "dmy": _MONTH_KEY, "month": _MONTH_KEY,
              "month_year": _MONTH_KEY, "weekday": _WEEKDAY_KEY, "year": _YEAR_GATE}
_LEAD_WORDS = {
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
_LEADS = {kind: re.compile(rf"[\s\-]*(?:\w+[\s\-]*){{0,{n}}}") for kind, n in _LEAD_WORDS.items()}


def _key_starts(keys: re.Pattern, text: str) -> list[int]:
    """Every position where ``keys`` matches (overlapping ones too)."""
    out, pos = [], 0
    while (m := keys.search(text, pos)) is not None:
        out.append(m.start())
        pos = m.start() + 1
    return out


def _keyed_finditer(rx: re.Pattern, text: str, rev: str, keys: list[int], lead: re.Pattern, check=None):
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


def _keyed_matches(kind: str, rx: re.Pattern, text: str, rev: str, keys: list[int]):
    """``_keyed_finditer`` for the expressions of one kind.

    Most of them can only begin at a word start: those are matched (``match``)
    at the word starts of each key's lead, in order, which finds the same
    leftmost matches as searching from the lead but does not scan on to the
    end of the paragraph when a key is no date ("this morning" needs "this",
    "April 2024" a year). The others ("since" may begin inside a word) search.
    """
    lead = _LEADS[kind]
    if kind in _MID_WORD_START:
        yield from _keyed_finditer(rx, text, rev, keys, lead, _KEY_CHECKS.get(kind))
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


# Keys that no match can use, found cheaply: a month-day date ("April 1") needs the
# day after the month, a day-month date ("1 April") the day before it, an ISO date
# its "-MM-DD".
_MDY_AT = re.compile(_MON + r"\.?\s+\d")
_ISO_AT = re.compile(_YEAR + r"-\d\d-\d\d")
_MID_WORD_START = {"iso", "mdy", "dmy"}  # "(?P<since>(?i:since|from)\s+)?" is not preceded by \b
_KEY_CHECKS = {
    "iso": lambda text, k, start: _ISO_AT.match(text, k) is not None,
    "mdy": lambda text, k, start: _MDY_AT.match(text, k) is not None,
    "dmy": lambda text, k, start: _DIGIT.search(text, start, k) is not None,
}

def _gated_matches(text: str, low: str):
    """``(kind, match)`` of every temporal expression in ``text`` (``low`` is
    ``text.lower()``), kind by kind in _TEMPORAL_PATTERNS order, each kind's as
    ``finditer`` gives them: an expression scans the text only when the text has
    the tokens that the expression needs."""
    names = _whole_tokens(_NAME_TOKENS, text)
    lowered = _gate_words(text, low)
    has_year = _YEAR_GATE.search(text) is not None
    if not (names or lowered or has_year):
        return  # no scan could match
    has_month = not names.isdisjoint(_MONTHS)
    has_weekday = not names.isdisjoint(_WEEKDAYS)
    rev = None
    for kind, rx in _TEMPORAL_PATTERNS:
        # skip the scans that cannot match (each full scan costs more than the test)
        if ((kind in ("iso", "year") and not has_year)
                or (kind in ("mdy", "dmy") and not (has_month and (has_year or _DIGIT.search(text))))
                or (kind in ("month", "month_year") and not has_month)
                or (kind == "weekday" and not has_weekday)
                or (kind in _GATE_WORDS and lowered.isdisjoint(_GATE_WORDS[kind]))):
            continue
        keys = _SCAN_KEYS.get(kind)
        if keys is not None:
            if rev is None:
                rev = text[::-1]
            matches = _keyed_matches(kind, rx, text, rev, _key_starts(keys, text))
        else:
            matches = rx.finditer(text)
        for m in matches:
            yield kind, m


_PLURAL_AFTER = re.compile(r"\s+(?:[a-z]+s|people|men|women|children)\b")
_YEAR_PREPS = {"in", "since", "from", "until", "till", "by", "of", "during", "before", "after",
               "early", "late", "mid", "the", "last", "spring", "summer", "autumn", "fall", "winter",
               "around", "circa", "between", "and", "to", "through", "throughout"}


def _add_months(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    day = min(d.day, [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28,
                      31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1])
    return dt.date(year, month, day)


def _month_end(year: int, month: int) -> dt.date:
    return _add_months(dt.date(year, month, 1), 1) - dt.timedelta(days=1)


def _relation(first: dt.date, last: dt.date, event: dt.date) -> tuple[str, int]:
    """Where the period first..last falls relative to the event day (tolerance DURING_DAYS)."""
    days = (event - first).days
    lo, hi = event - _DURING, event + _DURING
    if last < lo:
        return "before", days
    if first > hi:
        return "after", days
    if first >= lo and last <= hi:
        return "during", days
    if first <= event <= last:
        return "containing", days
    return ("before" if first < lo else "after"), days


def _gate_words(text: str, low: str) -> set[str]:
    """The gate words (``_GATE_WORDS``) among the tokens of ``text``, lower-cased;
    ``low`` is ``text.lower()``.

    Searching the lower-cased text is several times faster than a
    case-insensitive search. It finds the same tokens at the same places when
    the only characters that lower-case to ASCII letters are ASCII letters,
    i.e. unless the text has "İ" (which also changes the length) or the Kelvin
    sign "K".
    """
    if len(low) == len(text) and "\u212a" not in text:
        return _whole_tokens(_GATE_TOKENS_LOWER, low) if any(w in low for w in _GATE_WORD_LIST) else set()
    return {t.lower() for t in _whole_tokens(_GATE_TOKENS, text)}


def resolve_temporal(text: str, event_date: dt.date | None = None,
                     article_date: dt.date | None = None) -> list[TemporalMention]:
    """Find temporal expressions in ``text`` and place them relative to the event.

    Relative expressions ("last week", "yesterday", weekdays) are resolved
    against the article date when known, otherwise against the event date (a
    report is assumed to appear on or just after the event). Day-months
    without a year take the reference year, or the previous year when that
    would put them more than 60 days after the reference ("October 7" in an
    April article is last October). Without any date, only expressions that
    point back by their meaning ("last week", "two weeks ago", "in the last six
    months") are placed, as ``before``.
    """
    return _resolve_temporal(text, event_date, article_date)


def _resolve_temporal(text: str, event_date: dt.date | None, article_date: dt.date | None
                      ) -> list[TemporalMention]:
    found: list[TemporalMention] = []
    low = text.lower()
    taken: list[tuple[int, int]] = []
    ref = article_date or event_date
    for kind, m in _gated_matches(text, low):
        s, e = m.span()
        if kind == "year" and m.group("prep"):
            s = m.start("year")
        if taken and any(s < te and ts < e for ts, te in taken):
            continue
        try:
            mention = _resolve_one(kind, m, text, s, e, event_date, article_date, ref)
        except (OverflowError, ValueError):  # dates at the ends of the calendar
            mention = None
        if mention is not None:
            found.append(mention)
            taken.append((s, e))
    if len(found) > 1:
        found.sort(key=_START)
    return found


def _mention(kind, text, s, e, first, last, event_date, since=False):
    if first is None or event_date is None:
        return TemporalMention(text[s:e], s, e, first, last, "unknown", None, kind)
    if since:
        last = max(last, event_date)
        kind = "since"
    rel, days = _relation(first, last, event_date)
    if since and rel in ("containing", "during") and days > DURING_DAYS:
        rel = "before"
    return TemporalMention(text[s:e], s, e, first, last, rel, days, kind)


def _resolve_one(kind, m, text, s, e, event_date, article_date, ref):
    g = m.groupdict()
    since = bool(g.get("since")) or (g.get("prep") or g.get("mod") or "").strip().lower() in ("since", "from")
    if kind in ("iso", "mdy", "dmy"):
        mon = int(g["mon"]) if kind == "iso" else _MONTHS[g["mon"]]
        day = int(g["day"])
        if g.get("year"):
            year = int(g["year"])
        elif ref is not None:
            year = ref.year
        else:
            return TemporalMention(text[s:e], s, e, None, None, "unknown", None, "date")
        try:
            d = dt.date(year, mon, day)
        except ValueError:
            return None
        if not g.get("year") and (d - ref).days > FUTURE_WINDOW_DAYS:
            try:
                d = dt.date(year - 1, mon, day)
            except ValueError:
                return None
        return _mention("date", text, s, e, d, d, event_date, since)
    if kind in ("month", "month_year"):
        mon = _MONTHS[g["mon"]]
        prep = (g.get("prep") or "").strip().lower()
        if g.get("year"):
            year = int(g["year"])
        elif ref is None:
            return TemporalMention(text[s:e], s, e, None, None, "unknown", None, "month")
        else:
            year = ref.year
            ahead = mon - ref.month  # months after the reference month, -11..11
            if prep == "next":
                year += ahead <= 0
            elif prep == "last" or prep in ("since", "from"):
                year -= ahead > 0 or (prep == "last" and ahead == 0)
            elif ahead > 3:
                year -= 1  # "in October" in a January report: last October
        first, last = dt.date(year, mon, 1), _month_end(year, mon)
        return _mention("month", text, s, e, first, last, event_date, since)
    if kind == "year":
        prep = (g.get("prep") or "").strip().lower()
        after = text[e:e + 20]
        if prep not in _YEAR_PREPS and _PLURAL_AFTER.match(after) and not g.get("decade"):
            return None  # "2000 soldiers": a count, not a year
        year = int(g["year"])
        if g.get("decade"):
            first, last = dt.date(year, 1, 1), dt.date(year + 9, 12, 31)
        else:
            first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
        return _mention("year", text, s, e, first, last, event_date, since)
    if kind in ("interval", "ago", "last_unit", "earlier_this"):
        unit = g["unit"].lower()
        if kind == "earlier_this":
            if ref is None:
                return TemporalMention(text[s:e], s, e, None, None, "before", None, "relative")
            span = {"day": 0, "week": 6, "month": 29, "year": 364}[unit]
            first, last = ref - dt.timedelta(days=span), ref - dt.timedelta(days=1)
            return _mention("relative", text, s, e, first, last, event_date or ref)
        n = g.get("n")
        n = 1 if not n else (int(n) if n.isdigit() else _NUMBERS[" ".join(n.lower().split())])
        months = {"month": 1, "year": 12, "decade": 120, "century": 1200}.get(unit, 0) * n
        days = 180 if unit in _SEASONS else (months * 30 or n * _UNIT_DAYS[unit])
        if ref is None:
            rel = "before" if days >= 7 or kind == "interval" else "unknown"
            return TemporalMention(text[s:e], s, e, None, None, rel, None, "relative")
        # calendar arithmetic for months and years: six months before 13 April is 13 October
        first = _add_months(ref, -months) if months else ref - dt.timedelta(days=days)
        last = ref if kind == "interval" else first
        if kind == "last_unit":
            last = ref - dt.timedelta(days=1)
        mention = _mention("relative", text, s, e, first, last, event_date or ref)
        if kind == "interval" and mention.relation == "containing":
            mention = TemporalMention(mention.text, s, e, first, last, "before", mention.days, "relative")
        return mention
    if kind == "weekday":
        wd = _WEEKDAYS[g["wd"]]
        mod = (g.get("mod") or "").lower()
        if article_date is not None:
            anchor = article_date
            if mod == "next":
                d = anchor + dt.timedelta(days=(wd - anchor.weekday()) % 7 or 7)
            else:
                back = (anchor.weekday() - wd) % 7
                if mod == "last" and back == 0:
                    back = 7
                d = anchor - dt.timedelta(days=back)
        elif event_date is not None:
            # unknown publication day: take the weekday nearest the event (-3..+3 days)
            offset = (wd - event_date.weekday()) % 7
            if offset > 3:
                offset -= 7
            if mod == "last" and offset >= 0:
                offset -= 7
            if mod == "next" and offset <= 0:
                offset += 7
            d = event_date + dt.timedelta(days=offset)
        else:
            return TemporalMention(text[s:e], s, e, None, None, "unknown", None, "weekday")
        return _mention("weekday", text, s, e, d, d, event_date, since)
    if kind == "deictic":
        word = " ".join(g["word"].lower().split())
        shift = {"yesterday": -1, "tomorrow": 1}.get(word, 0)
        if article_date is None:
            if event_date is None:
                return TemporalMention(text[s:e], s, e, None, None, "unknown", None, "relative")
            # without a publication date, assume the report appeared the day after the
            # event: "yesterday" is the event day, "today" its aftermath, "tomorrow" later
            d = event_date + dt.timedelta(days=1 + shift)
        else:
            d = article_date + dt.timedelta(days=shift)
        return _mention("relative", text, s, e, d, d, event_date or article_date)
    return None


def _span_words(days: int) -> str:
    if days < 2:
        return f"{days} day"
    if days < 60:
        return f"{days} days"
    if days < 730:
        return f"{round(days / 30.44)} months"
    return f"{round(days / 365.25)} years"


def _temporal_reason(t: TemporalMention) -> str:
    if t.relation == "before":
        if t.days is None:
            return f"'{t.text}' points to before the event"
        what = {"year": "year", "month": "month", "since": "period", "relative": "period"}.get(t.kind, "date")
        if t.kind == "since":
            return f"'{t.text}' reaches back {_span_words(t.days)} before the event"
        return f"{what} '{t.text}' is {_span_words(t.days)} before the event"
    if t.relation == "during":
        return f"'{t.text}' is the event's time ({t.first.isoformat()})"
    return f"'{t.text}' is {t.relation} the event"



# ---------------------------------------------------------------------------
# Classification


@functools.lru_cache(maxsize=4)
def load_role_model(path=None):
    """The sentence-role model (analysis.measures.linear.LinearModel): the committed
    analysis/measures/context/model.json, or the JSON file at ``path``."""
    from analysis.measures.linear import load_model

    return load_model(MODEL_NAME if path is None else str(path))


# the feature settings the committed model was trained with
# (analysis/validation/context_external.py, FEATURE_SETTINGS)
_FEATURE_SETTINGS = {"neighbours": False, "pairs": True, "interactions": True}
_WORDS = re.compile(r"\w+(?:[’'\-]\w+)*")
_SENTENCE_FINAL = frozenset(".!?…:\"”’")
_EMPTY = {"main": 0.0, "context": 0.0, "reaction": 0.0, "other": 1.0}


def _explain_table(model) -> list[dict]:
    """Per model, computed once: for each class, each feature's entry for ranking
    by ``explain``: (minus the absolute contrast, name, contrast), the contrast
    being its weight for the class minus the mean of its weights for the others."""
    got = _EXPLAIN_TABLES.get(id(model))
    if got is None or got[0] is not model:
        n = len(model.classes)
        table = [{} for _ in range(n)]
        for name, ws in model.weights.items():
            t = sum(ws)
            for c in range(n):
                v = ws[c] - (t - ws[c]) / (n - 1)
                table[c][name] = (-abs(v), name, v)
        got = (model, table)
        _EXPLAIN_TABLES[id(model)] = got
    return got[1]


_EXPLAIN_TABLES: dict = {}
_NO_WEIGHTS = (0.0, 0.0, 0.0, 0.0)


def _probs(model, features: dict, order) -> list[float]:
    """``model.proba(features)`` in ROLES order. Every feature value is 1.0 but
    ``rel`` (position as a number, roles_features): the weights of the others are
    summed column by column without multiplying."""
    get = model.weights.get
    a = [x + y for x, y in zip(model.intercept, map(sum, zip(*map(get, features, repeat(_NO_WEIGHTS)))))]
    rel = features.get("rel")
    if rel is not None and rel != 1.0:
        w = get("rel")
        if w is not None:
            a = [x + (rel - 1.0) * y for x, y in zip(a, w)]
    top = max(a)
    e = [math.exp(x - top) for x in a]
    z = e[0] + e[1] + e[2] + e[3]
    return [e[i] / z for i in order]


def _model_names(model) -> dict:
    """The model's feature names, each mapped to itself (so that kept features share its strings)."""
    got = _NAMES.get(id(model))
    if got is None or got[0] is not model:
        got = _NAMES[id(model)] = (model, {name: name for name in model.weights})
    return got[1]


_NAMES: dict = {}


class _Kept:
    """What ``_explain`` needs of one sentence's feature dict: the names the model
    weighs (the others contribute nothing) and ``rel``. A feature dict holds a
    hundred or so new strings; this holds pointers to the model's own, so a
    long article's features do not fill the memory while its roles are decided."""

    __slots__ = ("names", "rel")

    def __init__(self, features: dict, known: dict):
        self.names = tuple(known[name] for name in features if name in known)
        self.rel = features.get("rel")

    def features(self) -> dict:
        out = dict.fromkeys(self.names, 1.0)
        if self.rel is not None:
            out["rel"] = self.rel
        return out


def _explain(model, features: dict, c: int, k: int) -> list[tuple[str, float]]:
    """``model.explain(features, model.classes[c], k)`` (the features that pushed
    most toward class index ``c``), without rounding every contribution. Every
    feature value is 1.0 but ``rel``'s."""
    if isinstance(features, _Kept):
        features = features.features()
    table = _explain_table(model)[c]
    contrib = [t for t in map(table.get, features) if t is not None]
    rel = features.get("rel")
    if rel != 1.0 and "rel" in table:
        contrib = [t for t in contrib if t[1] != "rel"]
        if rel:
            v = rel * table["rel"][2]
            contrib.append((-abs(v), "rel", v))
    contrib.sort()
    return [(name, round(v, 4)) for _, name, v in contrib[:k]]


def smooth_sequence(probs: list[list[float]], seq: dict) -> list[list[float]]:
    """Sequence smoothing: the forward-backward pass of a hidden Markov chain over
    one article's sentences (``probs``: per sentence, the classifier's role
    probabilities in ROLES order, in reading order). Roles come in runs in news
    (a lede, background, then reactions); ``seq`` (the model's meta["sequence"],
    learned from the train split) holds the role-to-role transition factors and
    the first sentence's factors, each relative to the role's frequency, so the
    pass moves a sentence toward the roles of its neighbours without favouring
    the frequent roles. Returns each sentence's posterior role probabilities."""
    n = len(probs)
    if n == 0:
        return []
    if list(seq.get("roles", ROLES)) != list(ROLES):
        raise ValueError("the sequence table must list the roles in ROLES order")
    (a00, a01, a02, a03), (a10, a11, a12, a13), (a20, a21, a22, a23), (a30, a31, a32, a33) = seq["transition"]
    st = seq["start"]
    p = probs[0]
    x = [st[0] * p[0], st[1] * p[1], st[2] * p[2], st[3] * p[3]]
    z = x[0] + x[1] + x[2] + x[3]
    alpha = [[v / z for v in x]]
    for t in range(1, n):
        f0, f1, f2, f3 = alpha[-1]
        p = probs[t]
        x = [(f0 * a00 + f1 * a10 + f2 * a20 + f3 * a30) * p[0],
             (f0 * a01 + f1 * a11 + f2 * a21 + f3 * a31) * p[1],
             (f0 * a02 + f1 * a12 + f2 * a22 + f3 * a32) * p[2],
             (f0 * a03 + f1 * a13 + f2 * a23 + f3 * a33) * p[3]]
        z = x[0] + x[1] + x[2] + x[3]
        alpha.append([v / z for v in x])
    out = [None] * n
    b0 = b1 = b2 = b3 = 1.0
    for t in range(n - 1, -1, -1):
        if t < n - 1:
            p = probs[t + 1]
            e0, e1, e2, e3 = p[0] * b0, p[1] * b1, p[2] * b2, p[3] * b3
            b0 = a00 * e0 + a01 * e1 + a02 * e2 + a03 * e3
            b1 = a10 * e0 + a11 * e1 + a12 * e2 + a13 * e3
            b2 = a20 * e0 + a21 * e1 + a22 * e2 + a23 * e3
            b3 = a30 * e0 + a31 * e1 + a32 * e2 + a33 * e3
            z = b0 + b1 + b2 + b3
            b0, b1, b2, b3 = b0 / z, b1 / z, b2 / z, b3 / z
        f = alpha[t]
        g = [f[0] * b0, f[1] * b1, f[2] * b2, f[3] * b3]
        z = g[0] + g[1] + g[2] + g[3]
        out[t] = [v / z for v in g]
    return out


def _split(text: str) -> list[tuple[int, int]]:
    from analysis.pipeline.segment import split_sentences

    return split_sentences(text) or ([(0, len(text))] if text.strip() else [])


def _sentence_probs(texts: list[str], event_date, article_date, model, placed: bool | None = None):
    """Per paragraph: its sentence spans and, per sentence, (probabilities in ROLES
    order, the feature dict that explains them).

    ``placed`` (default: more than one paragraph) says whether ``texts`` is a
    whole article, so that position means something. A paragraph on its own is
    scored at several hypothetical places in an article and the probabilities
    averaged (roles_features.unplaced_features): otherwise it would be read as a lede.
    """
    from analysis.measures.context.features import iter_article_features, unplaced_features

    spans = [_split(t) for t in texts]
    paragraphs = [[t[s:e] for s, e in sp] for t, sp in zip(texts, spans)]
    ref = event_date or article_date
    if len(model.classes) != 4:
        raise ValueError(f"the role model must have the classes {ROLES}, not {model.classes}")
    order = [model.classes.index(r) for r in ROLES]
    if placed is None:
        placed = len(texts) > 1
    probs = []
    if placed:
        flat, kept = [], []
        known = _model_names(model)
        for f in iter_article_features([p for p in paragraphs if p], None, ref, article_date,
                                       resolve=_resolve_temporal, **_FEATURE_SETTINGS):
            flat.append(_probs(model, f, order))
            kept.append(_Kept(f, known))  # the sentence's features, in a fraction of the memory
        seq = model.meta.get("sequence")
        if seq:
            flat = smooth_sequence(flat, seq)
        g = 0
        for p in paragraphs:
            probs.append([(flat[g + j], kept[g + j]) for j in range(len(p))])
            g += len(p)
        return spans, probs
    settings = {k: v for k, v in _FEATURE_SETTINGS.items() if k != "neighbours"}
    for p in paragraphs:
        rows = []
        for places in unplaced_features(p, ref, article_date, resolve=_resolve_temporal, **settings):
            mean = [0.0, 0.0, 0.0, 0.0]
            for f in places:
                pr = _probs(model, f, order)
                for r in range(4):
                    mean[r] += pr[r] / len(places)
            rows.append((mean, places[0]))
        probs.append(rows)
    return spans, probs


def sentence_roles(texts: list[str], event_date: dt.date | None = None, article_date: dt.date | None = None,
                   *, placed: bool | None = None, model_path=None) -> list[list[SentenceRole]]:
    """The role probabilities of every sentence of one article.

    ``texts`` are the paragraphs in reading order; sentences are those of
    analysis.pipeline.segment.split_sentences, with offsets into their paragraph;
    ``placed`` as in ``classify_paragraphs``. Returns
    one list per paragraph (empty for a blank paragraph). The share of context
    in an article is best estimated as the mean (or word-weighted mean) of
    ``probs["context"]``.
    """
    texts = [t if isinstance(t, str) else str(t) for t in texts]
    model = load_role_model(model_path)
    spans, probs = _sentence_probs(texts, _as_date(event_date), _as_date(article_date), model, placed)
    out = []
    for i, (sp, rows) in enumerate(zip(spans, probs)):
        out.append([SentenceRole(i, s, e, ROLES[max(range(4), key=pr.__getitem__)],
                                 dict(zip(ROLES, pr))) for (s, e), (pr, _) in zip(sp, rows)])
    return out


_FEATURE_KINDS = {"ov1": "overlap with the first sentence", "pos": "position", "par": "paragraph index",
                  "sent": "sentence index", "inpar": "place in the paragraph", "len": "length",
                  "rel": "position", "furniture": "page furniture"}


def _feature_words(name: str) -> str:
    kind, _, value = name.partition(":")
    if kind == "w":
        return f"word '{value}'"
    if kind == "b":
        return f"words '{value.replace('_', ' ')}'"
    if kind == "tense":
        return f"tense {value}"
    if kind == "time":
        return f"time {value.replace('_', ' ')}"
    if kind == "quote":
        return f"quotation ({value})"
    return _FEATURE_KINDS.get(kind, name)


def classify_paragraphs(texts: list[str], event_date: dt.date | None = None,
                        article_date: dt.date | None = None, *,
                        placed: bool | None = None, model_path=None) -> list[RoleDecision]:
    """Role of each paragraph of one article (``texts`` in reading order).

    ``event_date`` and ``article_date`` (datetime.date, ISO string or None)
    anchor the temporal expressions.
    Each paragraph's role probabilities are the word-weighted mean of its
    sentences' (``sentence_roles``); the role is the most probable one (ties to
    the earlier role in ROLES) and ``confidence`` its probability. A blank
    paragraph is ``other`` with confidence 1. ``placed`` (default: True when
    there is more than one paragraph) says whether ``texts`` is a whole article
    in order; a paragraph judged on its own is not read as a lede but scored at
    several hypothetical places and averaged. ``model_path`` replaces the
    committed model.
    """
    texts = [t if isinstance(t, str) else str(t) for t in texts]
    if not texts:
        return []
    model = load_role_model(model_path)
    spans, probs = _sentence_probs(texts, _as_date(event_date), _as_date(article_date), model, placed)
    out = []
    for text, sp, rows in zip(texts, spans, probs):
        if not rows:
            out.append(RoleDecision("other", 1.0, ("empty paragraph",), dict(_EMPTY)))
            continue
        if len(rows) == 1:  # a one-sentence paragraph: its sentence's probabilities
            mix = rows[0][0]
            best = max(range(4), key=mix.__getitem__)
            k = 0
        else:
            weights = [max(1, len(_WORDS.findall(text, s, e))) for s, e in sp]
            total = sum(weights)
            mix = [0.0, 0.0, 0.0, 0.0]
            for w, (pr, _) in zip(weights, rows):
                for r in range(4):
                    mix[r] += w * pr[r]
            mix = [m / total for m in mix]
            best = max(range(4), key=mix.__getitem__)
            # the sentence that carries the decision most, and its strongest features
            k = max(range(len(rows)), key=lambda j: weights[j] * rows[j][0][best])
        reasons = tuple(f"{_feature_words(name)} -> {ROLES[best]} ({value:+.2f})"
                        for name, value in _explain(model, rows[k][1], model.classes.index(ROLES[best]),
                                                    EXPLAIN_FEATURES) if value > 0)
        out.append(RoleDecision(ROLES[best], round(mix[best], 6), reasons,
                                {r: round(m, 6) for r, m in zip(ROLES, mix)}))
    return out


def _as_date(value) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None


def paragraph_roles(article) -> list[str]:
    """One role per paragraph of an ``analysis.pipeline.model.Article``."""
    texts = [article.body[p.start:p.end] for p in article.paragraphs]
    decisions = classify_paragraphs(texts, event_date=getattr(article, "event_date", None),
                                    article_date=_as_date((getattr(article, "meta", None) or {}).get("date")))
    return [d.role for d in decisions]
# ---------------------------------------------------------------------------
# Agreement and evaluation


def cohen_kappa(labels_a, labels_b) -> float:
    """Cohen's kappa between two annotators' labels of the same items
    (analysis.validation.scoring.cohen_kappa: 1.0 when both used one and the
    same label throughout; ValueError for empty or unequal lists)."""
    from analysis.validation.scoring import cohen_kappa as kappa

    return kappa(list(labels_a), list(labels_b))


def score_labels(gold: list[str], pred: list[str], roles=ROLES) -> dict:
    """Accuracy, per-role precision/recall/F1, macro-F1 (over roles present in
    the gold) and confusion counts ``confusion[gold][pred]``, from
    analysis.validation.scoring.classification_report."""
    from analysis.validation.scoring import classification_report

    if len(gold) != len(pred):
        raise ValueError("gold and predictions differ in length")
    labels = list(roles) + sorted(set(gold) - set(roles))
    rep = classification_report(gold, pred, labels)
    per_role = {r: {k: rep["per_class"][r][k] for k in ("precision", "recall", "f1", "support")}
                for r in roles}
    present = [r for r in labels if rep["per_class"][r]["support"]]
    macro = sum(rep["per_class"][r]["f1"] for r in present) / len(present) if present else 0.0
    matrix = rep["confusion"]["matrix"]
    confusion = {g: {p: matrix[i][j] for j, p in enumerate(labels) if p in roles}
                 for i, g in enumerate(labels)}
    return {"n": rep["n"], "accuracy": rep["accuracy"], "macro_f1": macro, "per_role": per_role,
            "confusion": confusion}


_NAIVE_REACTION = re.compile(r"\b(?:said|says|told|statement|spokes(?:man|woman|person))\b", re.I)
_NAIVE_CONTEXT = re.compile(r"\b(?:(?:19|20)\d\d|ago|last\s+(?:week|month|year)|earlier|previously|had)\b", re.I)


def baseline_roles(texts: list[str], kind: str) -> list[str]:
    """Naive baselines the method must beat.

    ``all_main``: every paragraph is main (the majority class of news text).
    ``first_half_main``: the first half of the article main, the rest context
    (the inverted pyramid). ``keywords``: "said/told/statement" -> reaction,
    else a year, "ago", "last week", "earlier", "previously" or "had" ->
    context, else main.
    """
    n = len(texts)
    if kind == "all_main":
        return ["main"] * n
    if kind == "first_half_main":
        return ["main" if i < n / 2 else "context" for i in range(n)]
    if kind == "keywords":
        out = []
        for t in texts:
            if _NAIVE_REACTION.search(t):
                out.append("reaction")
            elif _NAIVE_CONTEXT.search(t):
                out.append("context")
            else:
                out.append("main")
        return out
    raise ValueError(f"unknown baseline {kind!r}")


BASELINES = ("all_main", "first_half_main", "keywords")
_GOLD_DIR = "gold"
_BUNDLED = BUNDLED_CORPUS  # the one place that knows where: analysis.paths


def _norm_words(text: str, k: int | None = None) -> list[str]:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return words if k is None else words[:k]


def _read_gold(path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        return [dict(r) for r in csv.DictReader(f)]


def _gold_file(name: str) -> Path:
    return Path(str(importlib.resources.files("analysis.validation") / _GOLD_DIR / name))


def _raw_articles(folder: Path) -> list[dict]:
    """Fallback when the cleaning stage is not available: every non-empty line of
    each raw file is a candidate paragraph (a leading "date YYYY-MM-DD" metadata
    prefix is dropped). Gold alignment then keeps only the lines the gold lists."""
    from analysis.pipeline.corpus import decode_bytes, load_actors, read_manifest

    _, _, event_date = load_actors(folder / "actors.yaml")
    out = []
    for row in read_manifest(folder):
        file = folder / row["file"]
        text, _ = decode_bytes(file.read_bytes())
        lines = [re.sub(r"^\s*date\s+\d{4}-\d{2}-\d{2}\s+", "", ln).strip() for ln in text.split("\n")]
        out.append({"stem": file.stem, "paragraphs": [ln for ln in lines if ln],
                    "event_date": event_date, "article_date": _as_date(row.get("date")),
                    "cleaned": False})
    return out


def _corpus_articles(articles) -> list[dict]:
    out = []
    for a in articles:
        out.append({"stem": Path(a.file).stem,
                    "paragraphs": [a.body[p.start:p.end] for p in a.paragraphs],
                    "event_date": a.event_date, "article_date": _as_date(a.meta.get("date")),
                    "cleaned": True})
    return out


def _align(gold_rows: list[dict], art: dict) -> tuple[list[tuple[dict, int]], list[dict]]:
    """Match gold rows to paragraphs by their first words, in order."""
    pairs, missing, pos = [], [], 0
    paras = [_norm_words(p, 12) for p in art["paragraphs"]]
    for row in sorted(gold_rows, key=lambda r: int(r["paragraph"])):
        key = _norm_words(row["first_words"])
        hit = None
        for j in range(pos, len(paras)):
            if paras[j][:len(key)] == key:
                hit = j
                break
        if hit is None:
            missing.append(row)
        else:
            pairs.append((row, hit))
            pos = hit + 1
    return pairs, missing


def _evaluate_seeds(gold_rows: list[dict], articles: list[dict]) -> dict:
    by_article: dict[str, list[dict]] = {}
    for r in gold_rows:
        by_article.setdefault(r["article"], []).append(r)
    gold, pred = [], []
    base = {b: [] for b in BASELINES}
    items, unaligned = [], []
    for art in articles:
        rows = by_article.pop(art["stem"], [])
        if not rows:
            continue
        pairs, missing = _align(rows, art)
        unaligned += [f"{r['article']}:{r['paragraph']}" for r in missing]
        if art["cleaned"]:
            texts = art["paragraphs"]
            index = [j for _, j in pairs]
        else:  # raw fallback: the article's body is exactly the paragraphs the gold lists
            texts = [art["paragraphs"][j] for _, j in pairs]
            index = list(range(len(pairs)))
        decisions = classify_paragraphs(texts, art["event_date"], art["article_date"])
        baselines = {b: baseline_roles(texts, b) for b in BASELINES}
        for (row, _), j in zip(pairs, index):
            gold.append(row["role"])
            pred.append(decisions[j].role)
            for b in BASELINES:
                base[b].append(baselines[b][j])
            items.append({"article": row["article"], "paragraph": int(row["paragraph"]),
                          "gold": row["role"], "pred": decisions[j].role,
                          "confidence": decisions[j].confidence})
    for rows in by_article.values():
        unaligned += [f"{r['article']}:{r['paragraph']}" for r in rows]
    return _report(gold, pred, base, items, unaligned)


def _report(gold, pred, base, items, unaligned) -> dict:
    report = {"n": len(gold), "method": score_labels(gold, pred) if gold else None,
              "baselines": {b: score_labels(gold, p) for b, p in base.items()} if gold else {},
              "items": items, "unaligned": unaligned}
    if gold:
        best = max(report["baselines"], key=lambda b: (report["baselines"][b]["accuracy"],
                                                       report["baselines"][b]["macro_f1"]))
        report["best_baseline"] = best
    return report


def _evaluate_constructed(rows: list[dict]) -> dict:
    gold, pred, items = [], [], []
    base = {b: [] for b in BASELINES if b != "first_half_main"}
    for r in rows:
        d = classify_paragraphs([r["text"]], event_date=_as_date(r.get("event_date")))[0]
        gold.append(r["role"])
        pred.append(d.role)
        for b in base:
            base[b].append(baseline_roles([r["text"]], b)[0])
        items.append({"text": r["text"], "gold": r["role"], "pred": d.role, "confidence": d.confidence})
    return _report(gold, pred, base, items, [])


def evaluate(gold_path=None, articles=None, constructed_path=None) -> dict:
    """Compare the method with hand labels, beside naive baselines.

    ``gold_path``: the seed-article gold (default ``analysis/validation/gold/context_pass1.csv``).
    ``articles``: a Corpus or list of Articles to evaluate on; by default the
    bundled corpus through ``load_corpus`` (or, if the cleaning stage cannot
    run, the raw files split into lines and aligned with the gold by their first
    words; ``articles="raw"`` forces that path). ``constructed_path``: constructed paragraphs about other events
    (default ``analysis/validation/gold/context_constructed.csv``; pass ``False`` to skip).

    Returns ``{"seeds": report, "constructed": report, "agreement": ...}``; a report
    holds ``n``, ``method`` and ``baselines`` (each: accuracy, macro_f1,
    per_role precision/recall/f1/support, confusion[gold][pred]), ``best_baseline``
    (highest accuracy), per-item predictions and gold rows that could not be
    aligned. ``agreement`` compares pass 1 with pass 2 (Cohen's kappa) when
    ``context_pass2.csv`` exists beside the gold.
    """
    gold_path = Path(gold_path) if gold_path is not None else _gold_file("context_pass1.csv")
    gold_rows = _read_gold(gold_path)
    if isinstance(articles, str) and articles == "raw":
        arts = _raw_articles(_BUNDLED)
    elif articles is None:
        try:
            from analysis import load_corpus

            arts = _corpus_articles(load_corpus(_BUNDLED).articles)
        except Exception:  # the cleaning/segmenting stages may be unavailable
            arts = _raw_articles(_BUNDLED)
    else:
        arts = _corpus_articles(getattr(articles, "articles", articles))
    result = {"seeds": _evaluate_seeds(gold_rows, arts)}
    result["seeds"]["source"] = "load_corpus" if arts and arts[0]["cleaned"] else "raw lines"
    if constructed_path is not False:
        cpath = Path(constructed_path) if constructed_path else _gold_file("context_constructed.csv")
        result["constructed"] = _evaluate_constructed(_read_gold(cpath))
    pass2 = gold_path.with_name(gold_path.name.replace("pass1", "pass2"))
    if pass2 != gold_path and pass2.is_file():
        result["agreement"] = _agreement(gold_rows, _read_gold(pass2))
    return result


def _agreement(rows_a: list[dict], rows_b: list[dict]) -> dict:
    key = lambda r: (r["article"], tuple(_norm_words(r["first_words"], 6)))  # noqa: E731
    b = {key(r): r["role"] for r in rows_b}
    pairs = [(r["role"], b[key(r)]) for r in rows_a if key(r) in b]
    if not pairs:
        return {"n": 0, "kappa": float("nan"), "agreement": float("nan")}
    la, lb = zip(*pairs)
    return {"n": len(pairs), "kappa": cohen_kappa(la, lb),
            "agreement": sum(x == y for x, y in pairs) / len(pairs),
            "confusion": score_labels(list(la), list(lb))["confusion"]}
