"""Paragraph roles: is a paragraph the event itself, its context, or a reaction to it?

Every paragraph of an article gets one of four roles (DESIGN.md):

    main      the event itself and what happens in it now
    context   earlier events, history, background, explanation
    reaction  responses and statements by others about the event
    other     page furniture and anything else

The method is a transparent scoring of general cues; docs/context.md describes it,
its limits and its validation, and docs/guideline-context.md is the annotation
guideline the gold labels follow. In short, for each paragraph:

1. Temporal expressions are resolved against the event date (and the article
   date when known): explicit dates ("April 1", "1 April 2023", "October 7"),
   years ("in 2015"), months ("since January"), weekdays ("on Saturday"), and
   relative expressions ("last week", "two weeks ago", "in the last six
   months", "earlier this month", "yesterday"). A date or period before the
   event is evidence for ``context``; the event's own time is weak evidence
   for ``main``.
2. Cues from ``lexicons/context_cues.csv`` fire: tense and aspect (past perfect,
   "has been ... for"), background and explanation markers ("As a reminder",
   "This comes after", "marks a", "It is unclear"), reaction verbs and the
   frame of a public statement ("condemned", "in a statement", "spokesman"),
   sourcing ("according to", "reportedly", "officials said": evidence that a
   source reports the event, hence ``main``), and page furniture.
3. Cues are collected per sentence. Each sentence gets soft role
   probabilities (softmax of a prior for ``main`` plus its cue evidence), and
   the paragraph takes their word-weighted mean: the guideline labels a mixed
   paragraph by what the majority of its words do. Cues that open a paragraph
   ("As a reminder, ...") count for all of it. A reaction cue whose sentence
   is dated before the event ("Last week, X criticised ...") counts as context:
   a response to the event cannot precede it.
4. Paragraph-level evidence is added: the position in the article (the
   opening paragraphs lean ``main``, late paragraphs slightly ``context``: the
   inverted pyramid; only when there is more than one paragraph), how much of
   the paragraph is quotation (quoted statements lean ``reaction``), and short
   fragments without a sentence (``other``).
5. The role with the highest score wins; ``confidence`` is the difference of
   the two highest softmax probabilities (0 = a tie, near 1 = clear-cut).

Everything is compiled once per process. Speed (about 3x the plain approach of
one scan per cue and per temporal expression; the outputs are the same) comes from
one scan of each paragraph that finds the few word starts where some cue can
match and the keys of the temporal expressions (month and weekday names, years,
"ago", ...): cues are then tried there only, and each temporal expression only
around its keys (_start_finder, _cue_hits, _temporal_matches). The stages run
over all the paragraphs of an article before they are scored.
"""
from __future__ import annotations

import bisect
import csv
import datetime as dt
import functools
import importlib.resources
import io
import itertools
import math
import operator
import re
import string
from dataclasses import dataclass
from pathlib import Path

ROLES = ("main", "context", "reaction", "other")
_POSITION = operator.itemgetter(0)  # of a (position, reason) pair
_START = operator.attrgetter("start")
_MAIN, _CONTEXT, _REACTION, _OTHER = range(len(ROLES))  # positions in ROLES and in score lists
_ROLE_INDEX = {r: i for i, r in enumerate(ROLES)}

__all__ = [
    "ROLES", "RoleDecision", "Cue", "TemporalMention", "paragraph_roles",
    "classify_paragraphs", "load_cues", "resolve_temporal", "split_sentences",
    "cohen_kappa", "evaluate", "score_labels", "baseline_roles",
]

# ---------------------------------------------------------------------------
# Weights of the evidence that is not in the cue lexicon (the cue weights live in
# the CSV). Sentence scores are softmaxed; paragraph scores are the log of the
# word-weighted sentence probabilities plus these additive terms. docs/context.md.
MAIN_PRIOR = 1.0          # news paragraphs report the event unless cues say otherwise
LEDE_BONUS = (1.2, 0.8, 0.4)  # main evidence for paragraphs 0, 1, 2 of an article
LATE_CONTEXT = 0.4        # context evidence growing linearly to the last paragraph
QUOTE_REACTION = 1.2      # times the share of the paragraph inside quotation marks
FRAGMENT_OTHER = 1.5      # a fragment: < 4 words and no sentence punctuation
SENTENCE_CAP = 3.0        # evidence per role and sentence saturates here
TEMPORAL_BEFORE = 1.6     # a date or period before the event
TEMPORAL_SINCE = 0.4      # extra for "since <date>" (a state reaching from before)
TEMPORAL_DURING = 0.5     # the event's own time
DATED_STATEMENT_CHARS = 15  # an earlier date this close after a reaction cue dates the statement
MIX_FLOOR = 1e-3          # keeps log(mixture) finite
DURING_DAYS = 1           # dates within this many days of the event are its time
_DURING = dt.timedelta(days=DURING_DAYS)
FUTURE_WINDOW_DAYS = 60   # a day-month without year more than this after the reference is last year's


@dataclass(frozen=True)
class RoleDecision:
    """The role of one paragraph, how sure the method is, and why.

    ``confidence`` is in [0, 1]: the difference between the two highest role
    probabilities (softmax of the scores). ``reasons`` lists the cues that fired,
    in reading order, e.g. ``"date 'April 1' is 12 days before the event"``.
    """

    role: str
    confidence: float
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class Cue:
    """One row of the cue lexicon."""

    pattern: str
    category: str
    role: str
    weight: float
    note: str = ""
    source: str = ""


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
# Lexicon

_DEFAULT_CUES = "context_cues.csv"


def load_cues(path=None) -> tuple[Cue, ...]:
    """Read the cue lexicon (the packaged one, or a CSV at ``path``).

    Columns: cue (a Python regular expression, matched case-insensitively;
    a pattern starting with ``^`` is anchored at the paragraph start and
    counts for the whole paragraph), category, role, weight, note, source.
    Within a category, a match that overlaps an earlier row's match is not
    counted again, so list the longer, stronger cues of a category first.

    Weights are on the scale of the ``main`` prior (1.0): a cue of 1.2 or more
    decides a sentence without other cues, a cue under 1.0 only supports
    others, and 2 or more is a strong cue. The lexicon is cached per path for
    the life of the process.
    """
    if path is None:
        text = (importlib.resources.files("analysis") / "lexicons" / _DEFAULT_CUES).read_text(encoding="utf-8")
        where = _DEFAULT_CUES
    else:
        text = Path(path).read_text(encoding="utf-8")
        where = str(path)
    cues = []
    for lineno, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        role = (row.get("role") or "").strip()
        if role not in ROLES:
            raise ValueError(f"{where}:{lineno}: role {role!r} is not one of {', '.join(ROLES)}")
        try:
            re.compile(row["cue"])
            weight = float(row["weight"])
        except (re.error, ValueError, KeyError, TypeError) as err:
            raise ValueError(f"{where}:{lineno}: bad cue row ({err})") from None
        cues.append(Cue(row["cue"], row.get("category", "").strip(), role, weight,
                        row.get("note", "") or "", row.get("source", "") or ""))
    return tuple(cues)


@dataclass(frozen=True)
class _Compiled:
    """A cue lexicon, compiled for matching (``_compiled``)."""

    cues: tuple[Cue, ...]
    lower: tuple[re.Pattern, ...]  # matched against the lower-cased paragraph (fast)
    any_case: tuple[re.Pattern, ...]  # IGNORECASE, for text whose lower-casing changes length
    anchored: tuple[bool, ...]
    anchored_ids: tuple[int, ...]
    anchored_any: re.Pattern | None  # matches where one of the anchored cues does (None: try each)
    triggers: tuple[tuple[str, ...] | None, ...]  # substrings every match starts with
    # word-start dispatch: 2- and 3-letter prefix -> indices of the cues that can
    # start there; cues not in it (and not anchored) are scanned whole
    by_prefix: dict[str, tuple[int, ...]]
    # the same, ready to call: prefix -> ((cue index, its ``lower`` match method), ...);
    # dispatch3 lists for a 3-letter prefix its cues and then those of its first two letters
    dispatch: dict[str, tuple[tuple[int, object], ...]]
    dispatch3: dict[str, tuple[tuple[int, object], ...]]
    scanned: tuple[int, ...]
    gates: tuple[tuple[str, ...] | None, ...]  # per cue: strings one of which every match contains
    # the word starts where a dispatched cue may match or a temporal key is, after a
    # non-word character (``starts``) and at the paragraph start (``starts_at0``);
    # ``temporal_marks``: group -> temporal key. None: try every word start. See _start_finder.
    starts: re.Pattern | None
    starts_at0: re.Pattern | None
    temporal_marks: dict[int, str] | None
    info: tuple[tuple[str, int, float, bool, str], ...]  # per cue: category, role index, weight, anchored, role


def _match_prefixes(pattern: str, k: int = 3) -> tuple[str, ...] | None:
    """Literal strings (up to ``k`` characters) one of which starts every match of
    ``pattern``, or None when they cannot be worked out.

    A paragraph that contains none of them cannot match, so the regular
    expression need not run: a substring test is far cheaper than a scan. Only
    the pattern's leading literals, character sets, groups, alternations and
    optional parts are followed; anything else gives up (None = always run).
    """
    try:
        from re import _constants as C, _parser as P  # CPython's own regex parser
        parsed = P.parse(pattern)
    except Exception:  # pragma: no cover - other Python implementations
        return None
    if parsed.state.flags & re.IGNORECASE:
        return None

    def seq(items, strs):
        current = set(strs)
        for item in items:
            todo = {x for x in current if len(x) < k}
            if not todo:
                break
            ext = one(item, todo)
            if ext is None:
                return None
            current = (current - todo) | ext
            if len(current) > 400:
                return None
        return current

    def one(item, strs):
        op, av = item
        if op is C.LITERAL:
            return {x + chr(av) for x in strs}
        if op is C.IN:
            chars = []
            for o, a in av:
                if o is C.LITERAL:
                    chars.append(chr(a))
                elif o is C.RANGE and a[1] - a[0] < 30:
                    chars += [chr(c) for c in range(a[0], a[1] + 1)]
                else:
                    return stuck(strs)
            return {x + ch for x in strs for ch in chars}
        if op is C.AT or op is C.ASSERT or op is C.ASSERT_NOT:
            return set(strs)  # zero-width
        if op is C.SUBPATTERN:
            return seq(list(av[-1]), strs)
        if op is C.BRANCH:
            out = set()
            for branch in av[1]:
                got = seq(list(branch), strs)
                if got is None:
                    return None
                out |= got
            return out
        if op in (C.MAX_REPEAT, C.MIN_REPEAT):
            lo, hi, sub = av
            once = seq(list(sub), strs)
            if once is None:
                return stuck(strs) if lo > 0 else None
            if hi > 1 and any(len(x) < k for x in once):
                # a second round could follow: what is still short must stop here
                frozen = stuck({x for x in once if len(x) < k})
                if frozen is None:
                    return None
                once = {x for x in once if len(x) >= k} | frozen
            return once if lo > 0 else set(strs) | once
        return stuck(strs)

    def stuck(strs):
        # a string that cannot be extended still has to occur if it has 2+
        # characters; padding it to length k marks it as finished
        if not all(len(x) >= 2 for x in strs):
            return None
        return {x.ljust(k, "\0") for x in strs}

    out = seq(list(parsed), {""})
    if not out:
        return None
    out = {x.rstrip("\0") for x in out}
    if any(len(x) < 2 for x in out):
        return None
    return tuple(sorted(out))


def _required_substrings(pattern: str) -> tuple[str, ...] | None:
    """Literal strings one of which occurs in every match of ``pattern``, or None
    when none can be worked out.

    A cue that cannot use the word-start dispatch (``"©"`` may follow any
    character) is scanned whole, which costs as much as all the dispatched cues
    together; it is skipped when none of these strings is in the paragraph.
    Each sequence of the pattern contributes its most selective part (a run of
    literals, a group, an alternation whose every branch has one, a repeat
    that happens at least once); case-insensitive parts are left out.
    """
    try:
        from re import _constants as C, _parser as P
        parsed = P.parse(pattern)
    except Exception:  # pragma: no cover - other Python implementations
        return None
    if parsed.state.flags & re.IGNORECASE:
        return None

    def seq(items) -> set[str] | None:
        best: set[str] | None = None
        run: list[str] = []

        def consider(found: set[str] | None) -> None:
            nonlocal best
            if found and all(found) and (best is None or min(map(len, found)) > min(map(len, best))):
                best = found

        for op, av in items:
            if op is C.LITERAL:
                run.append(chr(av))
                continue
            consider({"".join(run)})
            run = []
            if op is C.SUBPATTERN and not av[1] & re.IGNORECASE:
                consider(seq(av[-1].data))
            elif op is C.BRANCH:
                branches = [seq(b.data) for b in av[1]]
                if all(branches):
                    consider(set().union(*branches))
            elif op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[0] >= 1:
                consider(seq(av[2].data))
        consider({"".join(run)})
        return best

    found = seq(parsed.data)
    return tuple(sorted(found)) if found else None


def _starts_at_word_boundary(pattern: str) -> bool:
    """True when every match of ``pattern`` must begin with ``\\b`` (each
    top-level alternative opens with it)."""
    try:
        from re import _constants as C, _parser as P
        parsed = P.parse(pattern)
    except Exception:  # pragma: no cover
        return False

    def first(items) -> bool:
        if not items:
            return False
        op, av = items[0]
        if op is C.AT:
            return av is C.AT_BOUNDARY
        if op is C.SUBPATTERN:
            return first(list(av[-1]))
        if op is C.BRANCH:
            return all(first(list(b)) for b in av[1])
        return False

    return first(list(parsed))


def _self_contained(pattern: str) -> bool:
    """True when ``pattern`` means the same inside a larger expression: it has no
    back-references or conditionals (group numbers shift when patterns are joined)."""
    try:
        from re import _constants as C, _parser as P
        parsed = P.parse(pattern)
    except Exception:  # pragma: no cover - other Python implementations
        return False
    stack: list = [parsed]
    while stack:
        x = stack.pop()
        if isinstance(x, P.SubPattern):
            for op, av in x.data:
                if op is C.GROUPREF or op is C.GROUPREF_EXISTS:
                    return False
                stack.append(av)
        elif isinstance(x, (tuple, list)):
            stack.extend(x)
    return True


def _key_trie(keyed: dict[str, list], leaf) -> str:
    """A regular expression that, at a word start, follows the keys of ``keyed``
    as a trie of literals (first character, second, ...). Where a key ends,
    ``leaf(items, depth)`` gives two alternatives (or None): one tried before
    the longer keys, one after them.

    The regex engine skips an alternative that begins with a non-matching
    literal cheaply, so a word start costs a few character comparisons.
    """
    trie: dict = {}
    for key, items in keyed.items():
        node = trie
        for ch in key:
            node = node.setdefault(ch, {})
        node[None] = items  # a key ends here

    def alternatives(node: dict, depth: int) -> str:
        before, after = leaf(node[None], depth) if None in node else (None, None)
        alts = [before] if before else []
        alts += [re.escape(ch) + alternatives(child, depth + 1)
                 for ch, child in sorted((k, v) for k, v in node.items() if k is not None)]
        if after:
            alts.append(after)
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return alternatives(trie, 0)


def _start_finder(cues: tuple[Cue, ...], by_prefix: dict[str, tuple[int, ...]]
                  ) -> tuple[re.Pattern, re.Pattern, dict[int, str]] | tuple[None, None, None]:
    r"""The scan for the word starts where a dispatched cue may match or a
    temporal key is.

    Returns: a regular expression that matches the non-word character before
    such a word start; one that, used with ``match``, tells whether the
    paragraph start is one; and the groups that mark a temporal key, with the
    key (a year's is "year"): after a match, ``lastindex`` is that group
    when the word start has that key. (None, None, None) when they cannot be
    built: every word start is then tried.

    Trying each cue at each word start with its prefix costs a Python-level
    ``match`` call per try, and over 90% of the tries fail (every "the" is a
    candidate for "the first time" and "the military said"). This expression
    does that search inside the regex engine, in one scan of the paragraph:
    the prefixes of ``by_prefix`` form a trie (``_key_trie``), and where a
    prefix ends, a look-behind steps back to the word start and a look-ahead
    tries that prefix's cues there::

        \W(?=t(?:h(?:e(?<=(?=CUES_the)[\s\S]{3})|i(?<=...))|...)|s(?:...))

    ``_cue_hits`` then matches the cues one by one at the positions found,
    exactly as before: the filter has to be complete (it finds every position
    where one of the cues matches), not exact. The temporal keys
    (_TEMPORAL_KEYS and years) are in the same trie, each ending in a
    check that the word ends there (a year: two more digits) and a group of
    its own; they are tried before longer keys, so they are never passed over.
    (The scan starts with the non-word character, not with "^|": a pattern
    that begins with a character set lets the engine skip ahead.)
    """
    if not by_prefix or not all(_self_contained(cues[i].pattern) for ids in by_prefix.values() for i in ids):
        return None, None, None
    keyed: dict[str, list] = {k: list(ids) for k, ids in by_prefix.items()}
    for word in _TEMPORAL_KEYS:
        keyed.setdefault(word, []).append(word)
    for digits in ("19", "20"):
        keyed.setdefault(digits, []).append("year")
    markers: list[str] = []

    def leaf(items, depth):
        before = after = None
        for key in (x for x in items if isinstance(x, str)):  # a temporal key ends here
            before = (r"\d\d" if key == "year" else r"\b") + f"(?P<k{len(markers)}>)"
            markers.append(key)
        ids = [i for i in items if not isinstance(i, str)]
        if ids:  # this prefix's cues, tried from the word start
            either = "|".join(f"(?:{cues[i].pattern})" for i in ids)
            after = f"(?<=(?={either})[\\s\\S]{{{depth}}})"
        return before, after

    body = _key_trie(keyed, leaf)
    try:
        scan, at0 = re.compile(r"\W(?=" + body + ")"), re.compile("(?=" + body + ")")
    except (re.error, RecursionError, OverflowError):  # e.g. two cues name a group alike
        return None, None, None
    return scan, at0, {scan.groupindex[f"k{n}"]: key for n, key in enumerate(markers)}


@functools.lru_cache(maxsize=8)
def _compiled(path=None) -> _Compiled:
    cues = load_cues(path)
    lower, triggers = [], []
    for c in cues:
        # Patterns are matched against lower-cased text (IGNORECASE makes Python's
        # regex engine about three times slower); a pattern with upper-case
        # letters outside escapes keeps IGNORECASE so that it still matches.
        bare = re.sub(r"\\.", "", c.pattern)
        flags = re.IGNORECASE if re.search(r"[A-Z]", re.sub(r"\(\?P<\w+>", "", bare)) else 0
        lower.append(re.compile(c.pattern, flags))
        triggers.append(None if flags else _match_prefixes(c.pattern))
    anchored = tuple(c.pattern.startswith("^") for c in cues)
    by_prefix: dict[str, list[int]] = {}
    scanned = []
    for i, (c, trig) in enumerate(zip(cues, triggers)):
        if (trig is not None and not anchored[i] and _starts_at_word_boundary(c.pattern)
                and all(t[0].isalnum() for t in trig)):
            for t in trig:
                by_prefix.setdefault(t, []).append(i)
        elif not anchored[i]:
            scanned.append(i)
    table = {k: tuple(v) for k, v in by_prefix.items()}
    anchored_ids = tuple(i for i, a in enumerate(anchored) if a)
    anchored_any = None
    if anchored_ids and all(not lower[i].flags & re.IGNORECASE and _self_contained(cues[i].pattern)
                            for i in anchored_ids):
        try:
            anchored_any = re.compile("|".join(f"(?:{cues[i].pattern})" for i in anchored_ids))
        except re.error:  # e.g. two cues name a group alike
            pass
    starts, starts_at0, temporal_marks = _start_finder(cues, table)
    return _Compiled(
        cues=cues, lower=tuple(lower), any_case=tuple(re.compile(c.pattern, re.IGNORECASE) for c in cues),
        anchored=anchored, anchored_ids=anchored_ids, anchored_any=anchored_any,
        triggers=tuple(triggers), by_prefix=table,
        dispatch={k: tuple((i, lower[i].match) for i in ids) for k, ids in table.items()},
        dispatch3={k: tuple((i, lower[i].match) for i in ids + table.get(k[:2], ()))
                   for k, ids in table.items() if len(k) == 3},
        scanned=tuple(scanned),
        gates=tuple(triggers[i] if triggers[i] is not None or lower[i].flags & re.IGNORECASE
                    else _required_substrings(c.pattern) for i, c in enumerate(cues)),
        starts=starts, starts_at0=starts_at0, temporal_marks=temporal_marks,
        info=tuple((c.category, _ROLE_INDEX[c.role], c.weight, a, c.role) for c, a in zip(cues, anchored)))


_WORD_START = re.compile(r"\b(?=\w)")


def _cue_matches(text: str, comp: _Compiled) -> list[list[re.Match]]:
    """Matches of every cue in ``text``, per cue, as ``finditer`` would give them."""
    out: list[list[re.Match]] = [[] for _ in comp.cues]
    for i, found in _cue_hits(text, text.lower(), comp)[0]:
        out[i] = found
    return out


def _cue_hits(text: str, low: str, comp: _Compiled, scanned: tuple[int, ...] | None = None
              ) -> tuple[list[tuple[int, list[re.Match]]], list[tuple[int, str]] | None]:
    """The cues that match ``text`` (``low`` is ``text.lower()``), in lexicon
    order, each with its matches as ``finditer`` would give them; and the
    temporal keys at word starts of ``low`` as (position, key), or None when
    the scan that finds them could not run (see _temporal_matches).

    Python's regex engine spends most of its time stepping through positions
    where a pattern cannot start. A cue that begins at a word boundary with a
    known literal prefix is therefore only tried (``match``) at the word starts
    carrying that prefix, and only at those where the scan ``comp.starts``
    (_start_finder) found that one of the cues matches: a few per paragraph
    instead of every word start. Anchored cues are tried at the start, the
    other cues (``scanned``, by default ``comp.scanned``) are scanned whole,
    unless the paragraph lacks all of their ``gates``.
    """
    if len(low) != len(text):  # a few characters change length when lower-cased ("İ")
        hits = []
        for i, rx in enumerate(comp.any_case):
            if comp.anchored[i]:
                m = rx.match(text)
                found = [] if m is None else [m]
            else:
                found = list(rx.finditer(text))
            if found:
                hits.append((i, found))
        return hits, None
    matches: dict[int, list[re.Match]] = {}
    if comp.anchored_any is None or comp.anchored_any.match(low) is not None:
        for i in comp.anchored_ids:
            m = comp.lower[i].match(low)
            if m is not None:
                matches[i] = [m]
    for i in comp.scanned if scanned is None else scanned:
        gate = comp.gates[i]
        if gate is None or any(map(low.__contains__, gate)):
            found = list(comp.lower[i].finditer(low))
            if found:
                matches[i] = found
    keys: list[tuple[int, str]] | None = None
    marks: dict[int, str] = {}
    if comp.starts is not None:
        # each hit ends at a word start; lastindex marks a temporal key
        hits = comp.starts.finditer(low)
        first = comp.starts_at0.match(low)
        if first is not None:
            hits = itertools.chain((first,), hits)
        keys = []
        marks = comp.temporal_marks
    else:
        hits = _WORD_START.finditer(low)
    ends = [0] * len(comp.cues)
    dispatch3, dispatch2 = comp.dispatch3.get, comp.dispatch.get
    for hit in hits:
        pos, group = hit.end(), hit.lastindex
        # the cues of the 3-letter prefix, then of the 2-letter one
        tries = dispatch3(low[pos:pos + 3])
        for i, match in tries if tries is not None else dispatch2(low[pos:pos + 2], ()):
            if pos < ends[i]:
                continue  # finditer never returns overlapping matches of one pattern
            m = match(low, pos)
            if m is not None:
                end = m.end()
                if end > pos:  # not empty
                    matches.setdefault(i, []).append(m)
                    ends[i] = end
        if group in marks:
            key = marks[group]
            keys.append((pos, low[pos:pos + 4] if key == "year" else key))
    return (sorted(matches.items()) if len(matches) > 1 else list(matches.items())), keys


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


# Every match of a temporal expression contains one of its keys: a word (or a year's
# four digits) at a word start, preceded in the match only by letters, digits, white
# space and hyphens. The lower-cased keys and the expressions they belong to:
_TEMPORAL_KEYS: dict[str, tuple[str, ...]] = {
    **{m.lower(): ("mdy", "dmy", "month", "month_year") for m in _MONTHS},
    **{d.lower(): ("weekday",) for d in _WEEKDAYS},
    **{w: ("interval", "last_unit") for w in ("last", "past", "previous")},
    "earlier": ("earlier_this",),
    **{w: ("deictic",) for w in ("yesterday", "today", "tonight", "tomorrow", "overnight",
                                 "morning", "afternoon", "evening")},  # "this morning"
    "ago": ("ago",),
}
_CAPITALISED = {name.lower(): name for name in (*_MONTHS, *_WEEKDAYS)}  # keys the expressions need as written
_YEAR_KINDS = ("iso", "year")
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
# The cue scan (_start_finder) finds the keys too, in the lower-cased text. Its
# matches are the same as those of scanning with each expression when lower-casing
# changes neither the length nor how the case-insensitive parts match, i.e. unless
# the paragraph has one of the four characters that match an ASCII letter
# case-insensitively without being one:
# "İ", dotless "ı", long "ſ" and the Kelvin sign (_keys_usable tests for them).


def _keys_usable(text: str, low: str) -> bool:
    """Whether temporal keys found in ``low`` (``text.lower()``) can stand in
    for the scans."""
    return len(low) == len(text) and (text.isascii() or not (
        "\u0130" in text or "\u0131" in text or "\u017f" in text or "\u212a" in text))


def _temporal_matches(text: str, low: str, keys: list[tuple[int, str]] | None):
    """``(kind, match)`` of every temporal expression in ``text``, kind by kind
    in _TEMPORAL_PATTERNS order, each kind's as ``finditer`` gives them.

    ``keys``: (position, lower-cased key) of every temporal key at a word start
    of ``low`` (``text.lower()``), or None when they are not known or cannot
    be used (see _keys_usable).
    """
    if keys is None:
        yield from _gated_matches(text, low)
        return
    at: dict[str, list[int]] = {}
    for pos, key in keys:
        if key[0].isdigit():
            kinds = _YEAR_KINDS
        else:
            written = _CAPITALISED.get(key)
            if written is not None and not text.startswith(written, pos):
                continue  # "may", "march": not a month
            kinds = _TEMPORAL_KEYS[key]
        for kind in kinds:
            at.setdefault(kind, []).append(pos)
    rev = None
    for kind, rx in _TEMPORAL_PATTERNS:
        if kind in at:
            if rev is None:
                rev = text[::-1]
            for m in _keyed_matches(kind, rx, text, rev, at[kind]):
                yield kind, m


def _gated_matches(text: str, low: str):
    """``_temporal_matches`` for any text: each expression scans the paragraph
    when it has the tokens that the expression needs."""
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


def _resolve_temporal(text: str, event_date: dt.date | None, article_date: dt.date | None,
                      low: str | None = None, keys: list[tuple[int, str]] | None = None
                      ) -> list[TemporalMention]:
    """``resolve_temporal``; ``low`` is ``text.lower()`` and ``keys`` the
    temporal keys in it (see _temporal_matches) when the caller has them."""
    found: list[TemporalMention] = []
    low = text.lower() if low is None else low
    if keys is not None and not _keys_usable(text, low):
        keys = None
    if keys == []:
        return found  # no temporal key: nothing can match
    taken: list[tuple[int, int]] = []
    ref = article_date or event_date
    for kind, m in _temporal_matches(text, low, keys):
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
# Sentences, quotations, words

# The gap between two sentences: closing quotes or brackets and white space after
# sentence-final punctuation, before a capital or digit. The punctuation itself is
# matched (group 1 is the gap) rather than looked behind for: a pattern that starts
# with a character set lets the regex engine skip to the candidates.
_SPLIT = re.compile(r"[.!?…]([\"”’')\]]*\s+)(?=[\"“‘(\[]?[A-Z0-9])")
_ABBREV = re.compile(
    r"(?:\b[A-Z]|\b(?:Mr|Mrs|Ms|Dr|Prof|Gen|Sen|Rep|Gov|Lt|Col|Sgt|Capt|Cmdr|Adm|St|Jr|Sr|No|vs|etc|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Inc|Ltd|Co|Corp|Gov|Pres|Rev|Mt|Ft|a\.m|p\.m))\.$")
_WORD = re.compile(r"\w+(?:[’'\-]\w+)*")
_QUOTE_PAIRS = (("“", "”"), ("«", "»"), ("„", "“"))
_SINGLE_QUOTE = re.compile(r"(?<!\w)‘[^‘’]*(?:’(?!\w)|$)")
_STRAIGHT = re.compile(r'"([^"]*)"?')


def _max_width(rx: re.Pattern) -> int | None:
    """The longest match ``rx`` can have, or None when unbounded or unknown."""
    try:
        from re import _parser as P
        width = P.parse(rx.pattern, rx.flags).getwidth()[1]
    except Exception:  # pragma: no cover - other Python implementations
        return None
    return width if width < 1 << 16 else None


_ABBREV_WIDTH = _max_width(_ABBREV)  # "Sept.": 5


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of a paragraph (a fast rule-based splitter; abbreviations
    such as "U.S." and "Mr." do not end a sentence)."""
    spans, start = [], 0
    for m in _SPLIT.finditer(text):
        end = m.start(1)  # just after the punctuation
        # an abbreviation ends in "." and is matched at the end of the sentence so
        # far, so only its last few characters need a look
        if text[end - 1] == "." and _ABBREV.search(
                text, start if _ABBREV_WIDTH is None else max(start, end - _ABBREV_WIDTH), end):
            continue
        spans.append((start, end))
        start = m.end()
    # No span is blank: each ends in punctuation or begins where the gap pattern
    # saw a quote, bracket, capital or digit; only the text without a gap can be.
    if start or (text and not text.isspace()):
        spans.append((start, len(text)))
    return spans


def _quote_share(text: str) -> float:
    """Share of the paragraph's characters inside quotation marks."""
    # most paragraphs have no opening mark (those of _QUOTE_PAIRS, straight and
    # single quotes) and so no quotation: a quick test first
    if not text or not ('"' in text or "‘" in text or "“" in text or "«" in text or "„" in text):
        return 0.0
    inside = 0
    for open_, close in _QUOTE_PAIRS:
        pos = 0
        while True:
            i = text.find(open_, pos)
            if i < 0:
                break
            j = text.find(close, i + 1)
            j = len(text) if j < 0 else j
            inside += j - i + 1
            pos = j + 1
    if '"' in text:
        for m in _STRAIGHT.finditer(text):
            inside += m.end() - m.start()
    if "‘" in text:
        for m in _SINGLE_QUOTE.finditer(text):
            inside += m.end() - m.start()
    return min(1.0, inside / len(text))


# ---------------------------------------------------------------------------
# Classification


_SENTENCE_END = re.compile(r"[.!?…:]\s*[\"”’]?\s*$")
_SENTENCE_FINAL = frozenset(".!?…:")  # a text ending in one of these ends like a sentence (_SENTENCE_END)


def _softmax(scores: list[float]) -> list[float]:
    """Softmax of one score per role (in ROLES order)."""
    top = max(scores)
    ex = [math.exp(v - top) for v in scores]
    z = sum(ex)
    return [v / z for v in ex]


def _sentence_probs(ev: list[float]) -> tuple[float, float, float, float]:
    """Role probabilities of a sentence: softmax of the prior plus its evidence
    (per role, capped at SENTENCE_CAP); _softmax written out, as this runs for
    every sentence."""
    if ev == _NO_EVIDENCE:
        return _PRIOR_PROBS
    ev0, ev1, ev2, ev3 = ev
    s0, s1 = MAIN_PRIOR + min(ev0, SENTENCE_CAP), 0.0 + min(ev1, SENTENCE_CAP)
    s2, s3 = 0.0 + min(ev2, SENTENCE_CAP), 0.0 + min(ev3, SENTENCE_CAP)
    top = max(s0, s1, s2, s3)
    exp = math.exp
    e0, e1, e2, e3 = exp(s0 - top), exp(s1 - top), exp(s2 - top), exp(s3 - top)
    z = sum((e0, e1, e2, e3))
    return e0 / z, e1 / z, e2 / z, e3 / z


# A sentence without evidence: its probabilities are those of the prior alone.
_NO_EVIDENCE = [0.0, 0.0, 0.0, 0.0]
_PRIOR_PROBS = tuple(_softmax([MAIN_PRIOR + min(0.0, SENTENCE_CAP), 0.0 + min(0.0, SENTENCE_CAP),
                               0.0 + min(0.0, SENTENCE_CAP), 0.0 + min(0.0, SENTENCE_CAP)]))


# Word counts (_WORD): findall with an empty group returns "" per word, copying
# nothing; _FOUR_WORDS matches where at least four words follow. The possessive
# quantifiers take exactly what the greedy ones of _WORD end up with (a word never
# has to give characters back) and spare the regex engine its backtracking records.
_WORD_COUNT = re.compile(r"\w++(?:[’'\-]\w++)*+()")
_FOUR_WORDS = re.compile(r"(?:\W*+\w++(?:[’'\-]\w++)*+){4}")


def _sentence_words(text: str, sentences: list[tuple[int, int]]) -> list[int]:
    """The words of each sentence (at least 1), for weighting the sentences.

    A single sentence carries all the weight (its words / all words = 1); only
    whether it has four words matters, for the fragment test, so it gets 4 or
    1 (4 when the paragraph ends like a sentence: the test does not apply).
    """
    if len(sentences) == 1:
        if text.rstrip()[-1:] in _SENTENCE_FINAL:
            return [4]  # it ends like a sentence: no fragment, however few its words
        return [4 if _FOUR_WORDS.match(text, *sentences[0]) else 1]
    return [max(1, len(_WORD_COUNT.findall(text, s, e))) for s, e in sentences]


def _score_paragraph(text: str, index: int, n: int, sentences: list[tuple[int, int]], words: list[int],
                     cue_hits: list[tuple[int, list[re.Match]]], mentions: list[TemporalMention],
                     qs: float, comp: _Compiled) -> RoleDecision:
    """The role of paragraph ``index`` of ``n`` from its sentences (never
    empty) and their words (``_sentence_words``), its cue matches
    (``_cue_hits``), temporal expressions and quotation share."""
    if not text or text.isspace():
        return RoleDecision("other", 1.0, ("empty paragraph",))
    reasons: list[tuple[int, str]] = []

    # Evidence and scores are lists indexed like ROLES.
    last = len(sentences) - 1
    if last:
        ends = [e for _, e in sentences]  # a position belongs to the first sentence ending after it
    total = sum(words)
    per_sentence = [[0.0, 0.0, 0.0, 0.0] for _ in sentences]
    paragraph_wide = [0.0, 0.0, 0.0, 0.0]

    reaction_at: dict[int, list[tuple[int, int]]] = {}  # sentence -> reaction cue spans
    claimed: dict[str, list[tuple[int, int]]] = {}  # spans already matched, per category
    info = comp.info
    for i, found in cue_hits:
        category, role, weight, anchored, said = info[i]
        spans = claimed.setdefault(category, [])
        for m in found:
            start, end = span = m.span()
            if spans and any(start < e and s < end for s, e in spans):
                continue  # "in a statement" already counted: the word "statement" adds nothing
            spans.append(span)
            if anchored:
                paragraph_wide[role] += weight
            else:
                k = 0 if last == 0 else min(bisect.bisect_right(ends, start), last)
                per_sentence[k][role] += weight
                if role == _REACTION:
                    reaction_at.setdefault(k, []).append(span)
            reasons.append((start, f"{category} '{text[start:end].strip()}' -> {said}"))
            if anchored:
                break

    before_at: dict[int, list[int]] = {}  # sentence -> starts of dates before the event
    for t in mentions:
        k = 0 if last == 0 else min(bisect.bisect_right(ends, t.start), last)
        if t.relation == "before":
            per_sentence[k][_CONTEXT] += TEMPORAL_BEFORE + (TEMPORAL_SINCE if t.kind == "since" else 0.0)
            before_at.setdefault(k, []).append(t.start)
        elif t.relation == "during":
            per_sentence[k][_MAIN] += TEMPORAL_DURING
        else:
            continue
        reasons.append((t.start, _temporal_reason(t)))

    # A response to the event cannot be dated before it: a statement whose frame
    # carries an earlier date ("Last week, X condemned...", "X warned in 2019")
    # is an earlier statement, i.e. context.
    if reaction_at and before_at:
        for k in sorted(reaction_at):
            spans = reaction_at[k]
            if k in before_at and any(
                    b < spans[0][0] or any(0 <= b - e <= DATED_STATEMENT_CHARS for _, e in spans)
                    for b in before_at[k]):
                moved = per_sentence[k][_REACTION]
                per_sentence[k][_CONTEXT] += moved
                per_sentence[k][_REACTION] = 0.0
                reasons.append((spans[0][0], "statement dated before the event -> context"))

    # Each sentence gets soft role probabilities; the paragraph takes their
    # word-weighted mean (the guideline's "majority of the words"), in log space.
    log = math.log
    w0, w1, w2, w3 = paragraph_wide
    if last == 0:  # the mean of one sentence is its probabilities (0.0 + 1.0 * p == p)
        p0, p1, p2, p3 = _sentence_probs(per_sentence[0])
        scores = [log(p0 + MIX_FLOOR) + w0, log(p1 + MIX_FLOOR) + w1,
                  log(p2 + MIX_FLOOR) + w2, log(p3 + MIX_FLOOR) + w3]
    else:
        mix0 = mix1 = mix2 = mix3 = 0.0
        for k, ev in enumerate(per_sentence):
            p0, p1, p2, p3 = _sentence_probs(ev)
            share = words[k] / total
            mix0 += share * p0
            mix1 += share * p1
            mix2 += share * p2
            mix3 += share * p3
        scores = [log(mix0 + MIX_FLOOR) + w0, log(mix1 + MIX_FLOOR) + w1,
                  log(mix2 + MIX_FLOOR) + w2, log(mix3 + MIX_FLOOR) + w3]

    if n > 1:
        if index < len(LEDE_BONUS):
            scores[_MAIN] += LEDE_BONUS[index]
            reasons.append((-1, f"position: paragraph {index + 1} of {n}, the opening -> main"))
        late = LATE_CONTEXT * index / (n - 1)
        scores[_CONTEXT] += late
    if qs >= 0.2:
        scores[_REACTION] += QUOTE_REACTION * qs
        reasons.append((-1, f"{round(qs * 100)}% of the paragraph is quotation -> reaction"))
    if total < 4 and not _SENTENCE_END.search(text.strip()):
        scores[_OTHER] += FRAGMENT_OTHER
        reasons.append((-1, "fragment without a sentence -> other"))

    exp = math.exp
    top = max(scores)  # _softmax(scores), written out
    e0, e1, e2, e3 = exp(scores[0] - top), exp(scores[1] - top), exp(scores[2] - top), exp(scores[3] - top)
    z = sum((e0, e1, e2, e3))
    probs = [e0 / z, e1 / z, e2 / z, e3 / z]
    if probs == probs:  # no NaN: the highest probability, ties to the earlier role, then the next
        first = 0
        for r in (1, 2, 3):
            if probs[r] > probs[first]:
                first = r
        second = 1 if first == 0 else 0
        for r in range(second + 1, 4):
            if r != first and probs[r] > probs[second]:
                second = r
    else:
        first, second = sorted(range(4), key=lambda r: (-probs[r], r))[:2]
    confidence = probs[first] - probs[second]
    if len(reasons) > 1:
        reasons.sort(key=_POSITION)
    return RoleDecision(ROLES[first], round(min(1.0, max(0.0, confidence)), 6),
                        tuple([msg for _, msg in reasons]))


def classify_paragraphs(texts: list[str], event_date: dt.date | None = None,
                        article_date: dt.date | None = None, *, cues_path=None) -> list[RoleDecision]:
    """Role of each paragraph of one article (``texts`` in reading order).

    ``event_date`` and ``article_date`` (datetime.date or None) anchor the
    temporal expressions. ``cues_path`` replaces the packaged cue lexicon.
    Position cues (lede, late paragraphs) apply only when there is more than
    one paragraph.
    """
    comp = _compiled(str(cues_path) if cues_path is not None else None)
    event_date = _as_date(event_date)
    article_date = _as_date(article_date)
    texts = [t if isinstance(t, str) else str(t) for t in texts]
    n = len(texts)
    # Each stage runs over all the paragraphs before the next one (its regular
    # expressions stay in the processor's caches); then each paragraph is scored.
    lows = [t.lower() for t in texts]
    sentences = [split_sentences(t) or [(0, len(t))] for t in texts]
    words = [_sentence_words(t, s) for t, s in zip(texts, sentences)]
    # a scanned cue can only match a paragraph that has one of its gates: most
    # articles have none at all
    article = "\n".join(lows)
    scanned = tuple(i for i in comp.scanned
                    if comp.gates[i] is None or any(map(article.__contains__, comp.gates[i])))
    hits = [_cue_hits(t, low, comp, scanned) for t, low in zip(texts, lows)]
    mentions = [_resolve_temporal(t, event_date, article_date, low, keys)
                for t, low, (_, keys) in zip(texts, lows, hits)]
    quoted = [_quote_share(t) for t in texts]
    return [_score_paragraph(t, i, n, sentences[i], words[i], hits[i][0], mentions[i], quoted[i], comp)
            for i, t in enumerate(texts)]


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
    """One role per paragraph of an ``analysis.model.Article``."""
    texts = [article.body[p.start:p.end] for p in article.paragraphs]
    decisions = classify_paragraphs(texts, event_date=getattr(article, "event_date", None),
                                    article_date=_as_date((getattr(article, "meta", None) or {}).get("date")))
    return [d.role for d in decisions]


# ---------------------------------------------------------------------------
# Agreement and evaluation


def cohen_kappa(labels_a, labels_b) -> float:
    """Cohen's kappa between two annotators' labels of the same items.

    kappa = (p_o - p_e) / (1 - p_e), with p_o the observed agreement and p_e
    the agreement expected from each annotator's label frequencies (Cohen
    1960). Returns nan when p_e = 1 (both used one and the same label for
    every item: agreement is perfect but kappa is undefined).
    """
    a, b = list(labels_a), list(labels_b)
    if len(a) != len(b):
        raise ValueError(f"label lists differ in length ({len(a)} vs {len(b)})")
    if not a:
        raise ValueError("no labels")
    n = len(a)
    p_o = sum(x == y for x, y in zip(a, b)) / n
    cats = set(a) | set(b)
    p_e = sum((a.count(c) / n) * (b.count(c) / n) for c in cats)
    if p_e == 1.0:
        return float("nan")
    return (p_o - p_e) / (1 - p_e)


def score_labels(gold: list[str], pred: list[str], roles=ROLES) -> dict:
    """Accuracy, per-role precision/recall/F1, macro-F1 (over roles present in
    the gold) and confusion counts ``confusion[gold][pred]``."""
    if len(gold) != len(pred):
        raise ValueError("gold and predictions differ in length")
    n = len(gold)
    confusion = {g: {p: 0 for p in roles} for g in roles}
    for g, p in zip(gold, pred):
        confusion.setdefault(g, {r: 0 for r in roles})
        confusion[g][p] = confusion[g].get(p, 0) + 1
    per_role = {}
    for r in roles:
        tp = confusion[r][r]
        predicted = sum(confusion[g].get(r, 0) for g in confusion)
        support = sum(confusion[r].values())
        precision = tp / predicted if predicted else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_role[r] = {"precision": precision, "recall": recall, "f1": f1, "support": support}
    present = [r for r in roles if per_role[r]["support"]]
    macro = sum(per_role[r]["f1"] for r in present) / len(present) if present else 0.0
    accuracy = sum(g == p for g, p in zip(gold, pred)) / n if n else 0.0
    return {"n": n, "accuracy": accuracy, "macro_f1": macro, "per_role": per_role,
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
_BUNDLED = Path(__file__).resolve().parents[1] / "data" / "iran-israel-2024-04"


def _norm_words(text: str, k: int | None = None) -> list[str]:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return words if k is None else words[:k]


def _read_gold(path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        return [dict(r) for r in csv.DictReader(f)]


def _gold_file(name: str) -> Path:
    return Path(str(importlib.resources.files("analysis") / _GOLD_DIR / name))


def _raw_articles(folder: Path) -> list[dict]:
    """Fallback when the cleaning stage is not available: every non-empty line of
    each raw file is a candidate paragraph (a leading "date YYYY-MM-DD" metadata
    prefix is dropped). Gold alignment then keeps only the lines the gold lists."""
    from .corpus import decode_bytes, load_actors, read_manifest

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

    ``gold_path``: the seed-article gold (default ``analysis/gold/context_pass1.csv``).
    ``articles``: a Corpus or list of Articles to evaluate on; by default the
    bundled corpus through ``load_corpus`` (or, if the cleaning stage cannot
    run, the raw files split into lines and aligned with the gold by their first
    words; ``articles="raw"`` forces that path). ``constructed_path``: constructed paragraphs about other events
    (default ``analysis/gold/context_constructed.csv``; pass ``False`` to skip).

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
            from . import load_corpus

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
