"""Claims and numbers: every number of a text, normalised, with what it counts.

    find_numbers(text)        -> [Number(text, start, end, value, bound, kind, counts, ...)]
    counted_key(number)       -> what the number is aligned on across outlets
    align_numbers(corpus)     -> tidy table: which outlet gives which figure for what

Method (transparent rules, no model; docs/numbers.md has the details and the
limits). One regular expression finds the *core* of each numeric expression:
digits ("300", "1,500", "3.5", "1.5 million"), runs of number words ("seven",
"three hundred and fifty", "a dozen"), vague plurals ("dozens", "hundreds of
thousands"), dates ("April 1st", "13-14 April", "April 2024") and clock times
("8 p.m."). The words around the core then decide:

bound   a cue before ("more than", "over", "at least" -> at least; "fewer
        than", "under", "up to" -> at most; "about", "nearly", "roughly",
        "some" -> about) or after ("or more", "-plus"); "300-350", "300 to
        350", "between 300 and 350" -> range (``value`` low, ``high``);
        a vague plural is at least two of its unit ("dozens" >= 24);
        "dozen" is about 12 (used loosely in news); otherwise exact.
kind    count, percent ("%", "percent", "per cent"), money ("$", "€", "£",
        "dollars", ...), age ("seven-year-old", "aged 7"), duration ("two
        weeks", "six-month"), date, time, year (a bare 1800-2099 that is not
        followed by a plural noun), ordinal ("21st").
counts  the noun phrase the number quantifies, read forward: after "of" (+ a
        determiner) when there is one ("99% of the drones", "dozens of drones",
        "99% of them" -> "them"), modifiers such as "other" and "more" skipped,
        up to the first plural noun (its head) or a stop word, at most four
        words; "drones and missiles" keeps both conjuncts. Heads are lower-cased
        and made singular by rule ("drones" -> "drone", "casualties" ->
        "casualty", "people" -> "person"). A percent without a noun takes the
        noun of an "out of N ..." earlier in its sentence. A date records the
        noun it dates when adjacent ("April 1 attack", "airstrike on April 1").
predicate  the participle after the phrase ("99% were intercepted" ->
        "intercepted", "300 drones launched") or the -ed/-ing verb just before
        the number ("killed seven aid workers").

Alignment across outlets (``align_numbers``): counts, percents, money and ages
with a counted noun are aligned on the singular head(s) of what they count
(and, for a percent, its predicate); dates, years, times, durations, ordinals
and numbers whose noun is unknown are aligned on their value only (so they
can agree, never disagree). Limits: no parsing, so the counted phrase is a
heuristic (a verb ending in -s can be taken for a plural noun, a compound
noun aligns on its last word); "nearly all", "most", "half" are not numbers
here; two outlets' figures for different things with the same head ("two
weeks" of different periods) are kept apart only by their kind. The lexicon
is ``numbers.csv`` beside this module (provenance: numbers.README.md).
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import asdict, dataclass, replace
from typing import TYPE_CHECKING, Iterable

from analysis.datafiles import read_data

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Number", "Lexicon", "load_lexicon", "find_numbers", "counted_key", "align_numbers",
           "KINDS", "BOUNDS", "STATUSES"]

KINDS = ("count", "percent", "money", "age", "duration", "date", "year", "time", "ordinal")
BOUNDS = ("exact", "at least", "at most", "about", "range")
BY_COUNTED = ("count", "percent", "money", "age")  # aligned on what they count; the others on their value
STATUSES = ("agree", "partly", "disagree", "only one outlet")
ABOUT_TOLERANCE = 0.10  # "about N" is read as N +- 10% when checking whether figures are compatible
MAX_PHRASE_WORDS = 4  # words of the counted phrase, modifiers not included
LEXICON_FILE = "numbers.csv"
_PACKAGE = "analysis.measures.numbers"
LEXICON_TYPES = ("number", "tens", "hundred", "scale", "vague", "before", "after", "percent", "currency",
                 "duration", "plural", "modifier", "stop", "participle")

# calendar facts, not lexicon: full names first so that "June" is not read as "Jun"
MONTHS = {"January": 1, "February": 2, "March": 3, "April": 4, "May": 5, "June": 6, "July": 7,
          "August": 8, "September": 9, "October": 10, "November": 11, "December": 12,
          "Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "Jun": 6, "Jul": 7, "Aug": 8, "Sept": 9, "Sep": 9,
          "Oct": 10, "Nov": 11, "Dec": 12}
ABBREVIATED_MONEY = {"bn": 1e9, "m": 1e6, "k": 1e3}  # "$5bn", "£3m": only right after a currency sign


@dataclass(frozen=True, slots=True)
class Number:
    """A numeric expression: ``text`` = body[start:end] (bound cue, number and unit), its
    normalised ``value`` (the low end of a range; ``high`` its high end), ``bound`` (one of
    BOUNDS), ``kind`` (one of KINDS), ``counts`` (the lemmatised noun phrase it quantifies,
    "" if none was found), ``unit`` (currency, duration or age unit, "point" for percentage
    points), ``predicate`` (the participle said of it, lower case) and ``normal`` (a readable
    normal form: ">=300", "99%", "2024-04-01", "USD 5000000")."""

    text: str
    start: int
    end: int
    value: float
    bound: str
    kind: str
    counts: str
    high: float | None = None
    unit: str = ""
    predicate: str = ""
    normal: str = ""


@dataclass(frozen=True, eq=False)
class Lexicon:
    """The word lists of ``numbers.csv`` and the expressions compiled from them."""

    words: dict  # number word -> (type, value): number, tens, hundred (x100, dozen x12), scale
    vague: dict  # "dozens" -> 12
    before: dict  # bound cue before the number -> bound
    after: dict  # bound cue after the number -> bound
    percent: dict  # "%" / "percent" -> unit ("" or "point")
    currency: dict  # "$" / "dollars" -> ISO code
    durations: frozenset
    plurals: dict  # irregular plural -> singular
    modifiers: frozenset
    stops: frozenset
    participles: frozenset
    where: str
    pattern: re.Pattern = None  # the cores
    words_run: re.Pattern = None  # a run of number words (the second number of a range)
    digit_number: re.Pattern = None  # digits and a scale word (the second number of a range)
    before_cue: re.Pattern = None
    after_cue: re.Pattern = None
    percent_unit: re.Pattern = None
    currency_word: re.Pattern = None
    duration_unit: re.Pattern = None
    trigger: re.Pattern = None  # speed only: what every core holds (``_may_hold_number``)
    currency_signs: tuple = ()  # the currencies written as signs ("$", "US$"), longest first
    cue_ends: tuple = ()  # speed only: the last words of the cues of ``before_cue``


def load_lexicon(path=None) -> Lexicon:
    """Read ``numbers.csv`` (or the file at ``path``, same columns ``entry,type,value``)."""
    text, where = read_data(_PACKAGE, LEXICON_FILE, path)
    table = {t: {} for t in LEXICON_TYPES}
    for line, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        entry, kind, value = (row.get("entry") or "").strip(), (row.get("type") or "").strip(), \
            (row.get("value") or "").strip()
        if not entry or kind not in table:
            raise ValueError(f"{where}: line {line}: needs an entry and a type among {', '.join(LEXICON_TYPES)}")
        table[kind][entry.lower()] = value
    words = {w: (t, float(v)) for t in ("number", "tens", "hundred", "scale") for w, v in table[t].items()}
    lex = Lexicon(words=words, vague={w: float(v) for w, v in table["vague"].items()},
                  before=table["before"], after=table["after"], percent=table["percent"],
                  currency=table["currency"], durations=frozenset(table["duration"]), plurals=table["plural"],
                  modifiers=frozenset(table["modifier"]), stops=frozenset(table["stop"]),
                  participles=frozenset(table["participle"]), where=where)
    return _compile(lex)


def _alternation(items) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(items, key=len, reverse=True))


def _compile(lex: Lexicon) -> Lexicon:
    """The lexicon with its expressions compiled (a frozen dataclass: built once, replaced)."""
    month = r"\b(?:" + "|".join(MONTHS) + r")\b\.?"
    ordinal = r"(?:st|nd|rd|th)?"
    dash = r"\s*(?:-|–|—|â)\s*"  # â: a dash whose UTF-8 continuation bytes were lost (the fifth bundled article)
    num = r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?"
    word = "(?:" + _alternation(lex.words) + r")\b"
    scales = [w for w, (t, _) in lex.words.items() if t in ("hundred", "scale")]
    joined = "|".join(f"(?<={w})" for w in sorted(scales))
    run = (rf"\b(?:a(?=\s+(?:{'|'.join(sorted(scales))})\b)|{word})"
           rf"(?:(?:[\s-]+|(?:{joined})\s+and\s+){word})*")
    big = "|".join(w for w, (t, _) in lex.words.items() if t in ("hundred", "scale") and w != "dozen")
    vague_units = [w for w in lex.vague if w != "tens"]
    vague = rf"\b(?:{_alternation(lex.vague)})(?:\s+of\s+(?:{_alternation(vague_units)}))?\b"
    cores = [
        rf"(?P<my>(?P<my_m>{month})\s+(?P<my_y>(?:1[89]|20)[0-9][0-9])\b)",
        rf"(?P<md>(?P<md_m>{month})\s+(?P<md_d>[0-9]{{1,2}}){ordinal}\b(?:{dash}(?P<md_d2>[0-9]{{1,2}}){ordinal}\b)?"
        rf"(?:,?\s+(?P<md_y>(?:1[89]|20)[0-9][0-9])\b)?)",
        rf"(?P<dm>(?P<dm_d>[0-9]{{1,2}}){ordinal}(?:{dash}(?P<dm_d2>[0-9]{{1,2}}){ordinal})?\s+(?:of\s+)?"
        rf"(?P<dm_m>{month})(?:,?\s+(?P<dm_y>(?:1[89]|20)[0-9][0-9])\b)?)",
        r"(?P<time>(?P<t_h>[0-9]{1,2})(?:(?::(?P<t_m>[0-5][0-9]))?\s*(?P<t_ap>(?i:[ap]\.m\.|[ap]m\b))"
        r"|:(?P<t_m2>[0-5][0-9])(?![0-9])))",
        rf"(?P<digits>(?P<d>{num})(?:\s+(?P<d_scale>(?i:{big}))\b|(?P<d_abbr>bn|m|k)\b)?)",
        rf"(?P<vague>(?i:{vague}))",
        rf"(?P<words>(?i:{run}))",
    ]
    other_cues = ("between", "aged")
    cue_before = rf"(?i)(?:^|(?<=\W))(?P<cue>{_alternation(lex.before)}|{'|'.join(other_cues)})\s+$"
    after = [c for c in lex.after if c[0].isalpha()]
    signs = [c for c in lex.after if not c[0].isalpha()]
    cue_after = rf"(?i)(?:\s+(?P<a>{_alternation(after)})\b|(?P<s>{_alternation(signs)})(?!\w))"
    percent = rf"(?i)\s*(?P<p>{_alternation(w for w in lex.percent if w != '%')})\b|\s*(?P<sign>%)"
    money = [w for w in lex.currency if w[0].isalpha()]
    return replace(lex,
                   pattern=re.compile(_starts(lex) + "(?:" + "|".join(cores) + ")"),
                   words_run=re.compile(rf"(?i:{run})\b"),
                   digit_number=re.compile(rf"(?P<d>{num})(?:\s+(?P<s>(?i:{big}))\b)?"),
                   before_cue=re.compile(cue_before),
                   after_cue=re.compile(cue_after),
                   percent_unit=re.compile(percent),
                   currency_word=re.compile(rf"(?i)\s+(?P<c>{_alternation(money)})\b"),
                   duration_unit=re.compile(rf"(?i)(?:-|\s+)(?P<u>{_alternation(lex.durations)})"
                                            r"(?P<pl>s|ies)?\b(?P<old>[\s-]+old\b)?"),
                   trigger=_trigger(lex),
                   cue_ends=tuple(sorted({c.split()[-1] for c in [*lex.before, *other_cues]})),
                   currency_signs=tuple(sorted((c for c in lex.currency if not c[0].isalpha()), key=len,
                                               reverse=True)))


def _starts(lex: Lexicon) -> str:
    """Speed only: a lookahead for what a core can start with: a digit, or at a word start the
    first word of a number word, vague word or month, or "a" and a space ("a hundred"). The same
    matches, faster: the engine tries the seven cores only where one could begin."""
    first = sorted({w.split()[0].lower() for w in [*lex.words, *lex.vague, *MONTHS]})
    return rf"(?=[0-9]|\b(?i:a\s|{_by_first_letter(first)}))"


def _trigger(lex: Lexicon) -> re.Pattern:
    """Speed only: what a text must hold for any core to match in it, a digit or the first word
    of a number word or vague word (a month core needs digits too; "a hundred" its scale word).
    Searching for it is about three times faster than searching for the cores themselves."""
    first = sorted({w.split()[0] for w in [*lex.words, *lex.vague]})
    if not all(re.match(r"\w", w) for w in first):
        return re.compile("")  # a word not starting with a letter or digit: no gate (every text passes)
    letters = "".join(sorted({re.escape(w[0]) for w in first}))
    return re.compile(rf"[0-9]|\b(?=(?i:[{letters}]))(?i:{_by_first_letter(first)})")


def _by_first_letter(words) -> str:
    """An alternation matching exactly ``words``, grouped by first letter (the engine tries one
    group per position instead of every word)."""
    groups: dict[str, list[str]] = {}
    for w in words:
        groups.setdefault(w[0], []).append(re.escape(w[1:]))
    return "|".join(f"{re.escape(first)}(?:{'|'.join(sorted(rest, key=lambda r: (-len(r), r)))})"
                    for first, rest in groups.items())


def _may_hold_number(lex: Lexicon, text: str) -> bool:
    """Speed gate (skippable): False only when no core can match in ``text``."""
    return lex.trigger.search(text) is not None


LEXICON = load_lexicon()

# the words of a counted phrase: ASCII letters, apostrophes and hyphens, or a dotted abbreviation ("U.S.")
_WORD = re.compile(r"[ \t]+((?:[A-Z]\.){2,}|[A-Za-z][A-Za-z’'-]*)")
_OF = re.compile(r"(?i)\s+of\s+(?:(?:the|these|those|its|their|his|her|our|all|all\s+the)\s+)?")
_IN = re.compile(r"(?i)\s+(?:of|in)\s+(?:(?:the|its|their)\s+)?")
_OF_ONLY = re.compile(r"(?i)\s+of\s+(?:the\s+)?")
_OUT_OF = re.compile(r"(?i)\bout\s+of\s+$")
_PRONOUN = re.compile(r"(?i)(them|those|these|us|it|this)\b")
_CONJUNCTION = re.compile(r"\s+(and|or)(?=\s)")
_AUXILIARIES = (r"(?:(?:were|was|are|is|have|has|had|been|being|be|will|would|reportedly|also|all|not|"
                r"later|then|successfully|subsequently)\s+){0,3}")
_PREDICATE_AFTER = re.compile(rf"(?i)(?:\s*,)?\s+{_AUXILIARIES}([a-z]+)\b")
_PREDICATE_BEFORE = re.compile(r"(?i)\b([a-z]{2,}(?:ed|ing))\s+$")
_ORDINAL_SUFFIX = re.compile(r"(?:st|nd|rd|th)\b")
_RANGE = re.compile(r"(?:\s*(?:-|–|—|â)\s*|\s+to\s+)")
_AND = re.compile(r"\s+and\s+")
_DATE_NOUN = re.compile(r"[ \t]+([a-z][a-z-]+)\b")  # "April 1 attack": a lower-case noun right after
_NOUN_ON = re.compile(r"\b([a-z][a-z-]{2,})\s+(?:on|of)\s+$")  # "airstrike on April 1"
_OPENING = " \t“\"‘'(["  # what may stand between a sentence start and its first word
LOOKBACK = 40  # characters before a core searched for its cue


def find_numbers(text: str, start: int = 0, lexicon: Lexicon | None = None) -> list[Number]:
    """Every numeric expression of ``text`` (best one sentence: "out of" and "of the" link
    numbers within it), in text order, offsets + ``start``; ``lexicon`` defaults to numbers.csv."""
    lex = lexicon or LEXICON
    if not _may_hold_number(lex, text):
        return []
    out, pos = [], 0
    while True:
        m = lex.pattern.search(text, pos)
        if m is None:
            break
        found = _expression(lex, text, m)
        if found is None:
            pos = m.end()
            continue
        out.append(found)
        pos = found[0].end
    out = _percent_bases(text, out)
    if start:
        out = [_shifted(n, start) for n in out]
    return out


def _shifted(n: Number, offset: int) -> Number:
    """``replace(n, start=n.start + offset, end=n.end + offset)``, written out with every field of
    Number in order (speed only)."""
    return Number(n.text, n.start + offset, n.end + offset, n.value, n.bound, n.kind, n.counts, n.high, n.unit,
                  n.predicate, n.normal)


# ---------------------------------------------------------------------------------- one expression

def _expression(lex: Lexicon, text: str, m: re.Match) -> tuple[Number, bool] | None:
    """The Number whose core is ``m``, and whether it follows "out of" (None when the core is part
    of a name or a code)."""
    core = m.lastgroup
    if core in ("my", "md", "dm"):
        return _date(lex, text, m)
    if core == "time":
        return _time(text, m)
    s, e = m.span()
    if core == "digits":
        if not _free_before(text, s):
            return None
        value = float(m.group("d").replace(",", ""))
        if m.group("d_scale"):
            value *= lex.words[m.group("d_scale").lower()][1]
        e = m.end("d_scale") if m.group("d_scale") else m.end("d")
        four_digits = len(m.group("d")) == 4 and m.group("d").isdigit() and not m.group("d_scale")  # [0-9]{4}
        return _around(lex, text, s, e, value, m.group("d_abbr"), digits=True, year=four_digits)
    if core == "vague":
        parts = m.group(0).lower().split()
        value = 2.0 * lex.vague[parts[0]] * (lex.vague[parts[-1]] if len(parts) > 1 else 1.0)
        return _around(lex, text, s, e, value, None, vague=True)
    value, e, dozen = _parse_words(lex, text, s, e)
    if value is None or not _word_number_stands(text, s, e):
        return None
    if _compound_adjective(lex, text, e):
        return None
    return _around(lex, text, s, e, value, None, dozen=dozen)


def _compound_adjective(lex: Lexicon, text: str, e: int) -> bool:
    """"one-way", "two-state": a number word hyphenated to a word that is no time unit is part of
    an adjective, not a number ("two-week" and "seven-year-old" stay numbers)."""
    return (text.startswith("-", e) and e + 1 < len(text) and text[e + 1].isalpha()
            and not lex.duration_unit.match(text, e))


def _free_before(text: str, s: int) -> bool:
    """Not glued to a word or code: "G7", "F-35", "COVID-19", "3.5.1" are not numbers here."""
    if s == 0:
        return True
    c = text[s - 1]
    if _glue(c) or c in "._/":
        return False
    return not (c == "-" and s >= 2 and _glue(text[s - 2]))


def _glue(c: str) -> bool:
    """An ASCII letter or digit: it makes a number part of a code ("G7", "5G"). Other letters do
    not, so that the bare "â" of a lost dash ("300â350") leaves the number free."""
    return c.isascii() and c.isalnum()


def _word_number_stands(text: str, s: int, e: int) -> bool:
    """A number word is a number unless it is part of a name ("Group of Seven": capitalised
    where no sentence starts) or a pronoun ("no one", "one another")."""
    if text[s].isupper():
        before = text[max(0, s - LOOKBACK):s].rstrip(_OPENING)
        if before and not before.endswith((".", "!", "?", ":", "\n")):
            return False
    if text[s:e].lower() == "one":
        before = text[max(0, s - 6):s].lower().split()
        if before and before[-1] in ("no", "any", "every", "each", "this", "that", "which"):
            return False
        if text[e:e + 8].lower().startswith((" another", "’s", "'s")):
            return False
    return True


def _parse_words(lex: Lexicon, text: str, s: int, e: int):
    """The value of the number words in text[s:e], the end of the longest well-formed prefix, and
    whether it is a dozen ("a dozen", "two dozen": read as about)."""
    total, current, last, end, dozen = 0.0, 0.0, None, s, False
    for t in re.finditer(r"[A-Za-z]+", text[s:e]):
        w = t.group().lower()
        if w == "and":
            continue
        kind, value = ("a", 1.0) if w == "a" else lex.words[w]
        ok = {"a": last is None,
              "number": last in (None, "hundred", "scale", "and") or (last == "tens" and value < 10),
              "tens": last in (None, "hundred", "scale"),
              "hundred": last in (None, "a", "number", "tens"),
              "scale": last in ("a", "number", "tens", "hundred")}[kind]
        if not ok:
            break
        if kind in ("a", "number", "tens"):
            current += value
        elif kind == "hundred":
            current = (current or 1.0) * value
            dozen = dozen or w == "dozen"
        else:
            total, current = total + (current or 1.0) * value, 0.0
        last, end = kind, s + t.end()
    if last is None or last == "a":
        return None, e, False
    return total + current, end, dozen


def _around(lex, text, s, e, value, abbr, *, digits=False, year=False, vague=False, dozen=False):
    """Read the words around a number core text[s:e]: currency, bound, range, unit, what it counts."""
    kind, unit, bound, high = "count", "", "about" if dozen else ("at least" if vague else "exact"), None
    start = s
    if text.endswith(lex.currency_signs, 0, s):  # (one test for all signs first: speed)
        for sign in lex.currency_signs:
            if text.endswith(sign, 0, s):
                kind, unit, start = "money", lex.currency[sign], s - len(sign)
                break
    if abbr:
        if kind != "money":
            return None  # "5m" without a currency: metres or millions, unknowable
        value, e = value * ABBREVIATED_MONEY[abbr], e + len(abbr)
    elif digits and text.startswith("/", e) and e + 1 < len(text) and text[e + 1].isdigit():
        return None  # "9/11", "24/7", "4/13": a date or a fraction written with a slash, not read
    elif digits and e < len(text) and _glue(text[e]):
        if not _ORDINAL_SUFFIX.match(text, e):
            return None  # "35s", "5G": a code, not a number
        kind, e, year = "ordinal", _ORDINAL_SUFFIX.match(text, e).end(), False
    cue = lex.before_cue.search(text, max(0, start - LOOKBACK), start) if _may_cue(lex, text, start) else None
    cue_word = _norm(cue.group("cue")) if cue else ""
    if cue and cue_word in lex.before:
        bound, start = lex.before[cue_word], cue.start("cue")
    elif cue_word == "aged" and kind == "count":
        kind, unit, start = "age", "year", cue.start("cue")
    # ranges: "300-350", "300 to 350", "between 300 and 350"
    if kind in ("count", "money"):
        joiner = _AND.match(text, e) if cue_word == "between" else _RANGE.match(text, e)
        second = _second_number(lex, text, joiner.end()) if joiner else None
        if second is not None:
            high, scale, e2 = second
            low = value * scale if scale > 1 and value < high / scale + 1 else value
            if high > low:
                value, bound, e = low, "range", e2
                if cue_word == "between":
                    start = cue.start("cue")
    if kind == "count":
        p = lex.percent_unit.match(text, e)
        c = lex.currency_word.match(text, e)
        d = lex.duration_unit.match(text, e)
        if p:
            kind, unit, e = "percent", lex.percent[p.group("sign") or _norm(p.group("p"))], p.end()
        elif c:
            kind, unit, e = "money", lex.currency[c.group("c").lower()], c.end()
        elif d and not vague:
            kind, unit, e = ("age" if d.group("old") else "duration"), d.group("u").lower(), d.end()
    a = lex.after_cue.match(text, e)
    if a and bound in ("exact", "about"):
        bound, e = lex.after[_norm(a.group("a") or a.group("s"))], a.end()
    counts, phrase_end, plural = _counted(lex, text, e, kind)
    predicate = _predicate(lex, text, phrase_end, start)
    if kind == "count" and year and 1800 <= value <= 2099 and bound == "exact" and not plural:
        kind, counts = "year", ""
    out_of = _OUT_OF.search(text, max(0, start - LOOKBACK), start) is not None
    return _number(text, start, e, value, bound, kind, counts, high, unit, predicate), out_of


def _may_cue(lex: Lexicon, text: str, start: int) -> bool:
    """Speed gate (skippable): ``before_cue`` needs white space right before ``start`` and, before
    it, the last word of a cue (tested on ASCII text only, where lower case is what the pattern's
    case folding matches)."""
    before = text[max(0, start - LOOKBACK):start]
    return before[-1:].isspace() and (not before.isascii() or before.rstrip().lower().endswith(lex.cue_ends))


def _norm(phrase: str) -> str:
    return re.sub(r"\s+", " ", phrase.lower())


def _second_number(lex, text, pos):
    """(value, scale, end) of the number at ``pos`` (the second of a range), or None."""
    m = lex.digit_number.match(text, pos)
    if m:
        scale = lex.words[m.group("s").lower()][1] if m.group("s") else 1.0
        if m.end() < len(text) and _glue(text[m.end()]):
            return None
        return float(m.group("d").replace(",", "")) * scale, scale, m.end()
    m = lex.words_run.match(text, pos)
    if m:
        value, end, _ = _parse_words(lex, text, pos, m.end())
        if value is not None:
            last = text[pos:end].lower().split()[-1]
            scale = lex.words[last][1] if lex.words.get(last, ("", 0))[0] == "scale" else 1.0
            return value, scale, end
    return None


def _number(text, start, end, value, bound, kind, counts, high, unit, predicate) -> Number:
    return Number(text[start:end], start, end, value, bound, kind, counts, high, unit, predicate,
                  _normal(value, bound, kind, high, unit))


# ---------------------------------------------------------------------------------- dates and times

def _date(lex, text, m):
    """A date: value MMDD (YYYYMMDD with a year; YYYYMM00 for "April 2024"), ``normal`` ISO."""
    g = m.groupdict()
    core = m.lastgroup
    month = MONTHS[g[f"{core}_m"].rstrip(".")]
    if core == "my":
        year, day, day2 = int(g["my_y"]), 0, None
    else:
        day, year = int(g[f"{core}_d"]), int(g[f"{core}_y"]) if g[f"{core}_y"] else None
        day2 = int(g[f"{core}_d2"]) if g[f"{core}_d2"] else None
        if not 1 <= day <= 31 or (day2 is not None and not day < day2 <= 31):
            return None
    if core == "dm" and not _free_before(text, m.start()):
        return None
    base = (year or 0) * 10_000 + month * 100
    bound, high = ("range", float(base + day2)) if day2 else ("exact", None)
    s, e = m.span()
    return _number(text, s, e, float(base + day), bound, "date", _dated(lex, text, s, e), high, "", ""), False


def _dated(lex, text, s, e) -> str:
    """The noun a date dates when it is adjacent: "airstrike on April 1", "April 1 attack"."""
    for found in (_NOUN_ON.search(text, max(0, s - LOOKBACK), s), _DATE_NOUN.match(text, e)):
        if found and found.group(1) not in lex.stops and not _verb_like(found.group(1)):
            return _singular(lex, found.group(1))
    return ""


def _verb_like(word: str) -> bool:
    """-ed, -ing (and -ly adverbs): not taken for a noun."""
    return word.lower().endswith(("ed", "ing", "ly"))


def _time(text, m):
    """A clock time: value in hours (20.5 = 8:30 p.m.)."""
    if not _free_before(text, m.start()):
        return None
    hour = int(m.group("t_h"))
    minute = int(m.group("t_m") or m.group("t_m2") or 0)
    ap = (m.group("t_ap") or "").lower()
    if hour > 24 or (ap and not 1 <= hour <= 12):
        return None
    if ap.startswith("p") and hour < 12:
        hour += 12
    elif ap.startswith("a") and hour == 12:
        hour = 0
    s, e = m.span()
    return _number(text, s, e, hour + minute / 60, "exact", "time", "", None, "", ""), False


# ---------------------------------------------------------------------------------- what it counts

def _is_plural(lex: Lexicon, word: str) -> bool:
    """A plural-looking word: an irregular plural of the lexicon or a regular -s plural."""
    w = word.lower()
    if w in lex.plurals:
        return True
    if w.endswith(("’s", "'s")) or w in lex.stops:
        return False
    return _singular(lex, w) != w


def _singular(lex: Lexicon, word: str) -> str:
    """Lower case, singular by rule: irregulars from the lexicon, -ies -> -y, -sses/-xes/-ches/-shes
    drop -es, else a final -s (not -ss, -us, -is) is dropped."""
    w = word.lower()
    if w in lex.plurals:
        return lex.plurals[w]
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if w.endswith(("sses", "xes", "ches", "shes", "zzes")):
        return w[:-2]
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is", "’s", "'s")):
        return w[:-1]
    return w


def _phrase(lex: Lexicon, text: str, pos: int, limit: int = MAX_PHRASE_WORDS):
    """Words from ``pos`` up to the first plural (its head, included) or stop word: (words, end,
    ended on a plural)."""
    words, end = [], pos
    while len(words) < limit:
        w = _WORD.match(text, end)
        if w is None:
            break
        word = w.group(1)
        low = word.lower()
        if low in lex.stops or low in lex.words or low in lex.vague:
            break
        if words and _verb_like(low):
            break  # "one drone crossed": a singular phrase ends before a verb-like word
        end = w.end()
        if not words and low in lex.modifiers:
            continue
        words.append(word)
        if _is_plural(lex, word):
            return words, end, True
    if words and _verb_like(words[0]):
        return [], pos, False  # "Resolution 2231 expired": a verb, not a noun ("30 injured people" is kept)
    return words, end, False


def _counted(lex: Lexicon, text: str, pos: int, kind: str):
    """The lemmatised noun phrase the number at ``pos`` quantifies, where it ends, and whether its
    head was plural."""
    of = (_IN if kind == "money" else _OF).match(text, pos)
    if of:
        pronoun = _PRONOUN.match(text, of.end())
        if pronoun:
            return pronoun.group(1).lower(), pronoun.end(), True
    words, end, plural = _phrase(lex, text, of.end() - 1 if of else pos)  # -1: _WORD starts at a space
    if not words:
        return "", pos, False
    conjuncts = [words]
    if plural:
        c = _CONJUNCTION.match(text, end)
        if c:
            more, more_end, more_plural = _phrase(lex, text, c.end(), limit=3)
            if more and more_plural:
                conjuncts.append([c.group(1)] + more)
                end = more_end
    phrase = []
    for part in conjuncts:
        phrase += [w.lower() for w in part[:-1]] + [_singular(lex, part[-1])]
    return " ".join(phrase), end, plural


def counted_key(number) -> str:
    """What ``number`` (a Number or its record dict) is aligned on across outlets.

    By what it counts (kinds BY_COUNTED with a counted noun): the singular heads of the counted
    phrase, conjuncts sorted ("drone and missile"); a percent adds its predicate ("drone and missile
    | intercept"), and a percent without a noun is keyed on its predicate alone ("? | intercept").
    Otherwise by value: "<kind> <normal>" ("date 04-01")."""
    get = number.get if isinstance(number, dict) else (lambda k: getattr(number, k))
    kind, counts, predicate = get("kind"), get("counts"), _stem(get("predicate") or "")
    if kind in BY_COUNTED and counts:
        heads = sorted(part.split()[-1] for part in re.split(r"\s+(?:and|or)\s+", counts) if part.split())
        key = " and ".join(heads)
        return f"{key} | {predicate}" if kind == "percent" and predicate else key
    if kind == "percent" and predicate:
        return f"? | {predicate}"
    return f"{kind} {get('normal')}"


def _stem(verb: str) -> str:
    """"intercepted", "intercepting" -> "intercept"; "carried" -> "carry"."""
    if verb.endswith("ied") and len(verb) > 4:
        return verb[:-3] + "y"
    for suffix in ("ing", "ed"):
        if verb.endswith(suffix) and len(verb) - len(suffix) >= 3:
            return verb[:-len(suffix)]
    return verb


def _predicate(lex: Lexicon, text: str, pos: int, start: int) -> str:
    """The participle said of the number: after its phrase ("were intercepted"), else the -ed/-ing
    verb right before it ("killed seven")."""
    after = _PREDICATE_AFTER.match(text, pos)
    if after:
        w = after.group(1).lower()
        if w not in lex.stops and w not in lex.words and (w in lex.participles or (len(w) > 3 and w.endswith("ed"))):
            return w
    before = _PREDICATE_BEFORE.search(text, max(0, start - LOOKBACK), start)
    if before and before.group(1).lower() not in lex.stops:
        return before.group(1).lower()
    return ""


def _percent_bases(text: str, found: list[tuple[Number, bool]]) -> list[Number]:
    """A percent without a noun takes the noun of an "out of N ..." earlier in its sentence
    ("Out of over 300 drones and missiles launched, 99% were intercepted"), or of the number
    right after its "of (the)" ("99% of the more than 300 projectiles were intercepted"), with
    that number's predicate when it has none."""
    out, base = [], ""
    for k, (n, out_of) in enumerate(found):
        if out_of and n.counts:
            base = n.counts
        if n.kind == "percent" and not n.counts:
            following = found[k + 1][0] if k + 1 < len(found) else None
            if following and following.counts and _OF_ONLY.fullmatch(text, n.end, following.start):
                n = replace(n, counts=following.counts, predicate=n.predicate or following.predicate)
            elif base:
                n = replace(n, counts=base)
        out.append(n)
    return out


# ---------------------------------------------------------------------------------- normal forms

def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:.6g}"


_BOUND_SIGN = {"exact": "", "at least": ">=", "at most": "<=", "about": "~"}


def _normal(value, bound, kind, high, unit) -> str:
    """A readable normal form of a value: ">=300", "99%", "~1200", "300-350", "USD 5000000",
    "7 year", "2024-04-01", "04-13/04-14", "20:30"."""
    if kind == "date":
        v = int(value)
        year, month, day = v // 10_000, v // 100 % 100, v % 100
        iso = (f"{year:04d}-" if year else "") + f"{month:02d}" + (f"-{day:02d}" if day else "")
        return iso + (f"/{month:02d}-{int(high) % 100:02d}" if high else "")
    if kind == "time":
        return f"{int(value):02d}:{round(value % 1 * 60):02d}"
    if kind == "ordinal":
        return f"#{_fmt(value)}"
    number = f"{_fmt(value)}-{_fmt(high)}" if bound == "range" else _BOUND_SIGN[bound] + _fmt(value)
    if kind == "percent":
        return number + ("%" if not unit else " points")
    if kind == "money":
        return f"{unit} {number}"
    if kind in ("age", "duration"):
        return f"{number} {unit}"
    return number


# ---------------------------------------------------------------------------------- alignment

def _mentions(source) -> Iterable[tuple[str, str, dict]]:
    """(outlet, article, number dict) from a Corpus, annotate records (dicts with "numbers") or
    ArticleAnnotations of a corpus annotated with the numbers measure."""
    if hasattr(source, "articles"):
        for a in source.articles:
            for s in a.sentences:
                for n in find_numbers(a.body[s.start:s.end], s.start):
                    yield a.outlet, a.id, asdict(n)
        return
    for item in source:
        if isinstance(item, dict):
            for n in item.get("numbers", ()):
                yield item["outlet"], item["article"], n
        else:
            for sentence in item["numbers"]:
                for n in sentence:
                    yield item.article.outlet, item.article.id, asdict(n)


def _interval(n: dict) -> tuple[float, float]:
    v, bound = n["value"], n["bound"]
    return {"exact": (v, v), "at least": (v, float("inf")), "at most": (float("-inf"), v),
            "about": (v * (1 - ABOUT_TOLERANCE), v * (1 + ABOUT_TOLERANCE)),
            "range": (v, n.get("high") if n.get("high") is not None else v)}[bound]


ALIGN_COLUMNS = ["key", "kind", "aligned_on", "outlet", "values", "texts", "counts", "articles", "mentions",
                 "outlets", "status", "compatible"]


def align_numbers(source) -> pd.DataFrame:
    """Which outlet gives which figure for what: one row per (key, kind, outlet).

    ``source``: a Corpus, annotate records with a "numbers" field, or ArticleAnnotations.
    Columns: ``key`` (``counted_key``), ``kind``, ``aligned_on`` ("counted" or "value"),
    ``outlet``, ``values`` (the outlet's distinct normal forms, "; "-joined), ``texts`` (the exact
    words), ``counts`` (the counted phrases), ``articles``, ``mentions``, ``outlets`` (how many
    outlets give the key), ``status`` (STATUSES: all outlets give the same values / share some /
    share none / one outlet only; bounds are ignored: "over 300" and "300" agree) and
    ``compatible`` (whether one figure could satisfy every outlet's statement: at least / at most /
    about +-10% / range read as intervals; "over 200" and "over 300" disagree but are compatible;
    None where only one outlet gives the key).
    Sorted by the number of outlets (most first), then key, kind and outlet."""
    import pandas as pd  # imported on first use (start-up time of the commands that never need it)
    groups: dict[tuple[str, str], dict[str, list]] = {}
    for outlet, article, n in _mentions(source):
        key = (counted_key(n), n["kind"])
        groups.setdefault(key, {}).setdefault(outlet, []).append((article, n))
    rows = []
    for (key, kind), by_outlet in groups.items():
        on_counted = not key.startswith(f"{kind} ")
        values = {o: {(ns["value"], ns.get("high")) for _, ns in items} for o, items in by_outlet.items()}
        sets = list(values.values())
        if len(by_outlet) == 1:
            status = "only one outlet"
        elif not on_counted or all(v == sets[0] for v in sets):
            status = "agree"
        else:
            status = "partly" if set.intersection(*sets) else "disagree"
        hulls = [(min(_interval(n)[0] for _, n in items), max(_interval(n)[1] for _, n in items))
                 for items in by_outlet.values()]
        compatible = None if len(hulls) == 1 else max(lo for lo, _ in hulls) <= min(hi for _, hi in hulls)
        for outlet, items in by_outlet.items():
            ns = [n for _, n in items]
            rows.append({"key": key, "kind": kind, "aligned_on": "counted" if on_counted else "value",
                         "outlet": outlet, "values": "; ".join(sorted({n["normal"] for n in ns})),
                         "texts": " | ".join(n["text"] for n in ns),
                         "counts": "; ".join(sorted({n["counts"] for n in ns if n["counts"]})),
                         "articles": " ".join(sorted({a for a, _ in items})), "mentions": len(ns),
                         "outlets": len(by_outlet), "status": status, "compatible": compatible})
    table = pd.DataFrame(rows, columns=ALIGN_COLUMNS)
    if table.empty:
        return table
    table["_n"] = -table["outlets"]
    table = table.sort_values(["_n", "aligned_on", "key", "kind", "outlet"], kind="stable")
    return table.drop(columns="_n").reset_index(drop=True)
