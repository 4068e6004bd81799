"""Temporal expressions: find them in a text and place them relative to the event.

``resolve_temporal(text, event_date, article_date)`` returns a
``TemporalMention`` for each date, month, year, weekday and relative
expression ("last week", "two years ago", "yesterday") of ``text``, with the
period it denotes and whether that period lies before, during or after the
event (or contains it). The sentence-role features (analysis.measures.context.
features) turn these into ``time:`` features. The expressions are the regular
expressions of ``_TEMPORAL_PATTERNS``, tried in order (earlier ones win where
spans overlap); ``speed.TemporalGates`` only skips the scans that cannot match.
"""
from __future__ import annotations

import datetime as dt
import operator
import re
from dataclasses import dataclass

from analysis.measures.context.speed import TemporalGates

__all__ = ["TemporalMention", "resolve_temporal", "DURING_DAYS", "FUTURE_WINDOW_DAYS"]

DURING_DAYS = 1           # dates within this many days of the event are its time
_DURING = dt.timedelta(days=DURING_DAYS)
FUTURE_WINDOW_DAYS = 60   # a day-month without year more than this after the reference is last year's
_START = operator.attrgetter("start")

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
# runs only the scans that can match (speed.py; the same matches as scanning with each pattern)
_GATES = TemporalGates(_TEMPORAL_PATTERNS, _MONTHS, _WEEKDAYS, _MON, _YEAR)


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
    for kind, m in _GATES.matches(text, low):
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

