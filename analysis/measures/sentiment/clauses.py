"""How a text is cut: the sentence around a target, and its clauses and quotations (module doc
of the package, step 2)."""
from __future__ import annotations

import re

from analysis.measures.sentiment.words import ALNUM, LONG_TEXT, PUNCT, SENTENCE_END

_SENTENCE_END_WORD = re.compile(r"(\S+)$")


def mark_clauses(toks, events) -> tuple[list[int], list[int], list[bool], bool]:
    """Clause number of each token, the tokens where it changes, the quotation state of each
    token, and whether any token is quoted.

    Clauses are numbered in order of appearance, except that the main clause
    resumes after a relative clause (module doc, step 2). Only a token that is
    ``marked``, or that follows one with ``break_after`` (``events``: their indices,
    in order), can change the state; the tokens between two such tokens keep it.
    """
    n = len(toks)
    clause = [0] * n
    quoted = [False] * n
    current = top = main_clause = 0
    close_relative = close_initial = False
    in_quote = has_quote = False
    single = False
    last_comma = -10
    changes = []
    done = 0  # the tokens before this index have their state
    for i in events:
        if i > done:  # the tokens in between keep the state
            if current:
                clause[done:i] = [current] * (i - done)
            if in_quote:
                quoted[done:i] = [True] * (i - done)
        c = toks[i]
        opens_clause = c.opener and not (c.prepositional and i + 1 < n and toks[i + 1].np_start)
        if i == 0 and opens_clause and not c.relative:
            close_initial = True  # "Although the Lakers lost, ...": ends at the first comma
        if i > 0:
            prev = toks[i - 1]
            prev_comma = prev.trail_comma
            boundary = False
            resume = None
            if prev.trail_stop or c.lead_paren:
                boundary = True
            elif c.dash or prev.dash or prev.trail_dash:
                boundary = True
            elif opens_clause:
                boundary = True
                if c.relative and prev_comma:
                    close_relative = True
                    main_clause = current
            elif close_relative and prev_comma:
                boundary = True
                close_relative = False
                resume = main_clause  # the main clause goes on after the relative clause
            elif close_initial and prev_comma:
                boundary = True
                close_initial = False
            elif c.coord and prev_comma and last_comma < i - 6:
                boundary = True  # ", and" joins clauses; "X, Y, and Z" is a list
            if prev_comma:
                last_comma = i - 1
            if boundary:
                close_initial = close_initial and not prev_comma
                top += 1
                before, current = current, resume if resume is not None else top
                if current != before:
                    changes.append(i)
        clause[i] = current
        if not in_quote:
            if c.opens_quote:
                in_quote = has_quote = True
            elif c.opens_single:
                in_quote = single = has_quote = True
        quoted[i] = in_quote
        if in_quote and (c.closes_quote or (single and c.trail_apostrophe and not c.poss)):
            in_quote = single = False
        done = i + 1
    if n > done:
        if current:
            clause[done:] = [current] * (n - done)
        if in_quote:
            quoted[done:] = [True] * (n - done)
    return clause, changes, quoted, has_quote


def sentence_bounds(text, start, end):
    """(start, end) of the sentence around ``text[start:end]``: the whole text when it is short."""
    if len(text) <= LONG_TEXT and "\n" not in text:
        return 0, len(text)
    s0 = 0
    lo = max(0, start - 2000)
    for m in SENTENCE_END.finditer(text, lo, start):
        s0 = m.end()
    m = SENTENCE_END.search(text, end)
    s1 = m.start() + len(m.group(0).rstrip()) if m else len(text)
    if m and m.group(0).startswith("\n"):
        s1 = m.start()
    return s0, max(s1, end)


def sentence_bounds_abbrev(text, start, end, abbrev):
    """As ``sentence_bounds``, but no sentence ends after an abbreviation (``abbrev``: the known ones)."""
    if len(text) <= LONG_TEXT and "\n" not in text:
        return 0, len(text)
    s0 = 0
    lo = max(0, start - 2000)
    for m in SENTENCE_END.finditer(text, lo, start):
        if m.group(0)[0] != "\n" and abbrev_before(text, m.start(), abbrev):
            continue
        s0 = m.end()
    pos = end
    while True:
        m = SENTENCE_END.search(text, pos)
        if m is None or m.group(0)[0] == "\n" or not abbrev_before(text, m.start(), abbrev):
            break
        pos = m.end()
    s1 = m.start() + len(m.group(0).rstrip()) if m else len(text)
    if m and m.group(0).startswith("\n"):
        s1 = m.start()
    return s0, max(s1, end)


def abbrev_before(text, i, abbrev) -> bool:
    """Is the period at ``text[i]`` the end of an abbreviation?"""
    if text[i] != ".":
        return False
    m = _SENTENCE_END_WORD.search(text, max(0, i - 12), i)
    if not m:
        return False
    w = m.group(1).lstrip(PUNCT)
    return w.lower() in abbrev or "." in w or (len(w) == 1 and w.isupper())


def clamp_span(text, start, end):
    """Offsets clamped to ``text``; None when the target is empty or has no word character."""
    if not text:
        return None
    n = len(text)
    start = min(max(int(start), 0), n)
    end = min(max(int(end), start), n)
    if end <= start or not (text[start].isalnum() or ALNUM.search(text, start, end)):
        return None
    return start, end
