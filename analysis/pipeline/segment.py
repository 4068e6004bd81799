"""Segmentation: paragraphs, sentences and direct quotations, with character offsets.

``segment(body)`` is the pipeline stage: it takes the cleaned body (paragraphs
separated by a blank line) and returns ``(paragraphs, quotes)``. Every span is a
pair of character offsets into ``body`` and never starts or ends with whitespace.

Paragraphs
----------
A paragraph is a run of text between blank lines (a line holding only
whitespace counts as blank). Extra blank lines and leading or trailing whitespace
are skipped. A single line break inside a paragraph is kept in the paragraph
but always ends a sentence (see rule 0 below).

Sentences (method)
------------------
Hand-written with compiled regular expressions, because this is the hot path
(pysbd manages about 25k words/s; this runs at well over 500k words/s, see
benchmarks/bench_segment.py). A *candidate* boundary is a run of terminal
punctuation (``.``, ``!``, ``?``, ``…``, ``...``) followed by optional closing
quotation marks or brackets (a space may precede ``»``) and then whitespace.
The closing marks belong to the sentence they close (``Take the win.”`` ends
after the ``”``). Decimals ("1.5 million") and dotted words are never
candidates: no whitespace follows their inner period. A candidate is a boundary unless one of these rules
rejects it, in this order:

0. A line end is always a boundary (paragraph ends included), so headlines and
   list lines without a full stop are sentences of their own.
1. The next character is a closing-only mark (``”``, ``»``, ``)``...): a stray
   space before the closing mark, as in French typography.
2. The next word, after any opening marks, starts with a lowercase letter:
   "U.S. officials", "e.g. the", "“Why?” he asked", "“Go.” said Biden". A real
   sentence that starts in lowercase ("iPhone sales...") is merged: a known limit.
3. The sentence so far has no letter or digit ("…" opening an excerpt), or is
   only a list enumerator ("1.", "a.", "IV.").
4. Closing quotation mark followed by a short attribution: up to four
   capitalised words and a reporting verb of the lexicon ("“You got a win. Take
   the win.” Biden told Netanyahu."). After ``?”`` and ``!”`` any such
   attribution joins ("“Why now?” Biden asked reporters."). After ``.”`` the
   verb must also be followed by the end, punctuation, a capitalised word or an
   object pronoun ("Biden told Netanyahu", "Kirby said Sunday", "Biden told him"),
   because ``.”`` normally ends the sentence and "“We are ready.” He said the
   army..." is a new one. The boundary after "win." *inside* the quote is kept:
   it is an ordinary candidate followed by "Take".
5. A single period after an abbreviation (lexicon sections, case-insensitive):
   - ``prefix`` (Mr., Gen., Sen., Rep., Dr., Lt., Col., Gov., Prof., vs.,
     e.g.): never a boundary, a name or term always follows;
   - ``number`` (No., Jan., Sept., Oct., p.): not a boundary before a digit
     ("No. 2", "Sept. 11"), an ordinary word otherwise;
   - ambiguous: the ``ambiguous`` section (Inc., Jr., St., etc.), dotted
     initialisms by shape (U.S., U.N., a.m., p.m., D.C., Ph.D.) and single capital
     initials (the "F." of "John F. Kennedy"). These end sentences as often as
     they sit inside them. Heuristic (after Punkt's "abbreviation + frequent
     sentence starter"): the period is a boundary only when the next word is one
     of the lexicon's ``starters``, capitalised function words that open
     sentences and practically never continue a name ("The", "In", "He", "But").
     So "... by the U.S. The next day" splits, while "U.S. President Joe Biden",
     "U.S. Army", "John F. Kennedy", "7 p.m. Saturday" stay whole.

Known limits: an abbreviation that ends a sentence before a capitalised content
word stays joined ("... in the U.S. Biden said"); "Plan B. Biden said" likewise,
and "He said no. 5 people died" ("no" read as "No. 5");
an ellipsis followed by a capitalised name always splits; quotes closed by ``.”``
and attributed with a prepositional tail ("Biden said in a statement") split
from it; only Latin-script terminal punctuation is known (no "。", "؟", "।").

Quotations (method)
-------------------
Marks: curly and straight double quotes (“ ” "), curly and straight single
quotes (‘ ’ ') and guillemets (« »). Curly marks carry their direction; a
straight mark opens when it follows whitespace, the paragraph start or an
opening bracket/dash and precedes a non-space, closes in the mirror case, and
otherwise alternates (straight double quotes pair in order). A single mark
between two word characters is an apostrophe ("Iran’s", "didn’t"); a ``’``
before a word character is an elision ("’90s"). Openers go on a stack:

- A closing double mark closes the innermost open quote of its kind (curly and
  straight doubles are one kind); single openers left inside it are dropped.
- A closing single mark closes only an innermost single opener; otherwise it is
  an apostrophe ("the 1990s’ wars", "the officials’ plan"). Unclosed single
  openers are dropped too: outside a pair they are mostly elisions.
- Unmatched closing double mark (or »): a Quote from the start of the sentence
  holding the mark (or, if later, from the end of the previous quote or just
  after a still-open mark, so that quotes stay nested) to the mark,
  ``closed=False``. Real example:
  '... to Iran’s attack. My team will engage ... across the region,” Biden added.'
- Unmatched opening double mark (or «): a Quote to the end of its paragraph,
  ``closed=False``.
- Multi-paragraph quotations follow the news convention: when a paragraph ends
  with its outermost quotation still open and the next paragraph opens with a
  mark of the same kind, the quotation continues (that mark is not a new quote)
  and one Quote spans the paragraphs up to the final closing mark.

Quotes are returned sorted by start (outer before inner on ties) and are well
nested: two quotes are disjoint or one contains the other. ``quote_at`` returns
the innermost quote holding a span. Known limits: German „...“ quotes are not
recognised; a ``’`` closing a plural possessive inside single quotes ("‘the
officials’ plan’") closes the quote early; wrongly curled marks (”word”) are
taken at face value.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from operator import attrgetter

from analysis.datafiles import read_data, read_sections
from analysis.pipeline.model import Paragraph, Quote, Sentence

__all__ = ["BoundaryLexicon", "load_lexicon", "segment", "paragraph_spans",
           "split_sentences", "find_quotes", "quote_at"]

LEXICON_FILE = "abbreviations.txt"
_SECTIONS = ("prefix", "number", "ambiguous", "starters", "speech")


@dataclass(frozen=True)
class BoundaryLexicon:
    """The word lists that decide ambiguous sentence boundaries (see module doc)."""

    prefix: frozenset[str]
    number: frozenset[str]
    ambiguous: frozenset[str]
    starters: frozenset[str]
    speech: tuple[str, ...]
    speaker: re.Pattern  # capitalised words + reporting verb, compiled from ``speech``


def load_lexicon(path=None) -> BoundaryLexicon:
    """Read a boundary lexicon: the bundled ``analysis/pipeline/abbreviations.txt`` or ``path``."""
    text, name = read_data("analysis.pipeline", LEXICON_FILE, path)
    entries = read_sections(text, name, _SECTIONS)

    def abbrevs(key):
        return frozenset(e.rstrip(".").lower() for e in entries[key])

    speech = tuple(dict.fromkeys(entries["speech"]))
    verbs = "|".join(re.escape(v) for v in sorted(speech, key=len, reverse=True)) or r"(?!)"
    speaker = re.compile(r"(?:[A-ZÀ-ÖØ-Þ][\w’'.\-]*\s+){1,4}(?:%s)\b" % verbs)
    return BoundaryLexicon(prefix=abbrevs("prefix"), number=abbrevs("number"),
                           ambiguous=abbrevs("ambiguous"), starters=frozenset(entries["starters"]),
                           speech=speech, speaker=speaker)


_DEFAULT = load_lexicon()

# --- sentences ----------------------------------------------------------------

_CLOSE_QUOTES = "”’\"'»"
_CLOSE_ONLY = "”»)]}"
_OPENERS = "“‘\"'«([{"
# a run of terminal punctuation (group 1) and closing marks (group 2; French
# typography puts a space before »), then whitespace
# a run of terminators, matched only from its start and never given back (possessive): a shorter run
# could never be followed by white space, and trying every one made a long run of dots quadratic
_CANDIDATE = re.compile(r"([.!?…](?<![.!?…].)[.!?…]*+)((?:[ \u00a0\u202f]?»)?[”’\"'»)\]}]*)(?=\s)")
_SPACES = re.compile(r"\s*")
_NEXT_WORD = re.compile(r"[“‘\"'«(\[{]*(\w*)")
_ALNUM = re.compile(r"[^\W_]")
_ENUMERATOR = re.compile(r"\d{1,3}|[A-Za-z]|[IVXivx]{1,4}")
_INITIALISM = re.compile(r"[^\W\d_]{1,3}(?:\.[^\W\d_]{1,3})+")
# what may follow the reporting verb of an attribution after a ``.”``
_ATTRIBUTION_END = re.compile(
    r"\s*(?:[,.;:!?]|\Z|[A-ZÀ-ÖØ-Þ]|(?:him|her|them|us|me|reporters|journalists)\b)")
_LAST_TOKEN = re.compile(r"\S*\Z")
_CONTENT = re.compile(r"\S(?:.*\S)?", re.S)


MAX_WORD_LOOKBACK = 64  # characters read back for the word before a period (abbreviations are short)


def _is_boundary(text, m, sent_start, nxt, end, lex, alnum_at) -> bool:
    """Decide whether candidate ``m`` ends the sentence begun at ``sent_start``.

    ``nxt`` is the offset of the first non-space character after the candidate;
    ``alnum_at`` that of the sentence's first letter or digit (``end`` if none).
    Every look-back is bounded, so a line costs time linear in its length
    whatever it holds (a line of 100,000 dots included).
    """
    if text[nxt] in _CLOSE_ONLY:                                   # rule 1
        return False
    nw = _NEXT_WORD.match(text, nxt, end)
    word = nw.group(1)
    first = word[:1] or text[nw.end():nw.end() + 1]
    if first.islower():                                            # rule 2
        return False
    term_start = m.start()
    if alnum_at >= term_start:                                     # rule 3
        return False
    term, close = m.group(1), m.group(2)
    if close:
        if any(c in _CLOSE_QUOTES for c in close):                 # rule 4
            sp = lex.speaker.match(text, nxt, end)
            if sp is not None and (term[-1] in "?!" or _ATTRIBUTION_END.match(text, sp.end(), end)):
                return False
        return True
    if term != ".":
        return True
    # the word before the period: from the last space (other whitespace is rare)
    lo = max(sent_start, term_start - MAX_WORD_LOOKBACK)
    tok_start = text.rfind(" ", lo, term_start) + 1 or lo
    tok = text[tok_start:term_start]
    if not tok.isprintable():  # a tab or no-break space inside: cut there
        tok = _LAST_TOKEN.search(tok).group()
        tok_start = term_start - len(tok)
    word_start = tok_start
    while tok and tok[0] in _OPENERS:
        tok = tok[1:]
        word_start += 1
    if word_start == sent_start and _ENUMERATOR.fullmatch(tok):   # rule 3
        return False
    key = tok.lower()                                              # rule 5
    if key in lex.prefix:
        return False
    if key in lex.number:
        return not first.isdigit()
    if key in lex.ambiguous or (len(tok) == 1 and tok.isupper()) or _INITIALISM.fullmatch(tok):
        return word in lex.starters
    return True


def _split_line(text, start, end, lex, out) -> None:
    """Append the sentence spans of ``text[start:end]`` (one stripped line) to ``out``."""
    sent_start = start
    alnum = _ALNUM.search(text, start, end)
    alnum_at = alnum.start() if alnum else end
    for m in _CANDIDATE.finditer(text, start, end):
        nxt = _SPACES.match(text, m.end(), end).end()
        if _is_boundary(text, m, sent_start, nxt, end, lex, alnum_at):
            out.append((sent_start, m.end()))
            sent_start = nxt
            if alnum_at < sent_start:
                alnum = _ALNUM.search(text, sent_start, end)
                alnum_at = alnum.start() if alnum else end
    out.append((sent_start, end))


def _split_range(text, start, end, lex, out, stripped=False) -> None:
    """Append the sentence spans of ``text[start:end]`` to ``out``.

    ``stripped``: the range is known to start and end with non-space characters.
    """
    nl = text.find("\n", start, end)
    if nl < 0 and stripped:
        _split_line(text, start, end, lex, out)
        return
    pos = start
    while pos < end:
        if nl < 0:
            nl = end
        c = _CONTENT.search(text, pos, nl)
        if c is not None:
            _split_line(text, c.start(), c.end(), lex, out)
        pos = nl + 1
        nl = text.find("\n", pos, end)


def split_sentences(text: str, offset: int = 0, lexicon: BoundaryLexicon | None = None
                    ) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` of one paragraph ``text``, shifted by ``offset``.

    The spans are ordered, non-empty, stripped, and together with the whitespace
    between them they make up ``text`` (minus its leading/trailing whitespace).
    """
    out: list[tuple[int, int]] = []
    _split_range(text, 0, len(text), lexicon or _DEFAULT, out)
    out = _capped(text, out)
    if offset:
        return [(s + offset, e + offset) for s, e in out]
    return out


MAX_SENTENCE_CHARS = 2_000  # a longer "sentence" (a page without full stops) is cut into pieces


def _capped(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` with every span longer than MAX_SENTENCE_CHARS cut at spaces into pieces of at
    most that length (at a character when a piece has no space in its second half).

    Real sentences are far shorter (the longest in news runs to a few hundred
    characters); the cap keeps every per-sentence step bounded, so no stage can
    grow with the square of a run-on text's length (docs/limits.md).
    """
    if all(e - s <= MAX_SENTENCE_CHARS for s, e in spans):
        return spans
    out = []
    half = MAX_SENTENCE_CHARS // 2
    for s, e in spans:
        while e - s > MAX_SENTENCE_CHARS:
            cut = text.rfind(" ", s + half, s + MAX_SENTENCE_CHARS)
            end = cut if cut > s else s + MAX_SENTENCE_CHARS
            piece_end = end
            while piece_end > s and text[piece_end - 1].isspace():
                piece_end -= 1
            out.append((s, piece_end))
            s = end
            while s < e and text[s].isspace():
                s += 1
        if s < e:
            out.append((s, e))
    return out


# --- paragraphs ---------------------------------------------------------------

_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")


def paragraph_spans(body: str) -> list[tuple[int, int]]:
    """Stripped ``(start, end)`` spans of the paragraphs of ``body`` (split on blank lines)."""
    out = []
    pos = 0
    for m in _BLANK_LINE.finditer(body):
        c = _CONTENT.search(body, pos, m.start())
        if c is not None:
            out.append(c.span())
        pos = m.end()
    c = _CONTENT.search(body, pos)
    if c is not None:
        out.append(c.span())
    return out


def segment(body: str, lexicon: BoundaryLexicon | None = None
            ) -> tuple[list[Paragraph], list[Quote]]:
    """Paragraphs (with their sentences) and direct quotations of the cleaned ``body``.

    Sentence indices run over the whole article; every paragraph has at least one
    sentence. Offsets are character offsets into ``body``.
    """
    lex = lexicon or _DEFAULT
    paragraphs: list[Paragraph] = []
    n_sent = 0
    spans: list[tuple[int, int]] = []
    for p_index, (ps, pe) in enumerate(paragraph_spans(body)):
        spans.clear()
        _split_range(body, ps, pe, lex, spans, stripped=True)
        sentences = tuple(Sentence(n_sent + j, p_index, s, e) for j, (s, e) in enumerate(_capped(body, spans)))
        n_sent += len(sentences)
        paragraphs.append(Paragraph(p_index, ps, pe, sentences))
    return paragraphs, find_quotes(body, paragraphs)


# --- quotations ---------------------------------------------------------------

_DOUBLE, _SINGLE, _GUILLEMET = 0, 1, 2
# every mark, except single marks between two word characters (apostrophes)
_QMARK = re.compile(r"[“”\"«»]|[‘’'](?:(?<!\w.)|(?!\w))")
_OPEN_BEFORE = frozenset("([{“‘«—–-/")    # a straight mark after these opens
_CLOSE_AFTER = frozenset(".,;:!?)]}”’»…—–-")  # a straight mark before these closes
_CONTINUES = {_DOUBLE: "“\"", _SINGLE: "‘'", _GUILLEMET: "«»"}
_start = attrgetter("start")


def _straight_direction(body, i, ps, pe):
    """True if the straight mark at ``i`` opens, False if it closes, None if unclear."""
    before = body[i - 1] if i > ps else " "
    after = body[i + 1] if i + 1 < pe else " "
    opens = before.isspace() or before in _OPEN_BEFORE
    closes = after.isspace() or after in _CLOSE_AFTER
    if opens == closes:
        return None
    return opens


def find_quotes(body: str, paragraphs) -> list[Quote]:
    """Direct quotations in ``body`` (see the module docstring for the rules)."""
    quotes: list[Quote] = []
    last_end = 0           # end of the latest quote found (all end before the current mark)
    carry = None           # (kind, offset) of a quotation continued from the previous paragraph
    n = len(paragraphs)

    def emit(start, end, closed):
        nonlocal last_end
        quotes.append(Quote(start, end, closed))
        if end > last_end:
            last_end = end

    for p_index, p in enumerate(paragraphs):
        ps, pe = p.start, p.end
        stack = [carry] if carry is not None else []
        skip = ps if carry is not None else -1   # the continuation mark opening this paragraph
        carry = None
        for m in _QMARK.finditer(body, ps, pe):
            i = m.start()
            if i == skip:
                continue
            c = body[i]
            if c == "“":
                kind, opens = _DOUBLE, True
            elif c == "”":
                kind, opens = _DOUBLE, False
            elif c == '"':
                kind, opens = _DOUBLE, _straight_direction(body, i, ps, pe)
                if opens is None:  # pair in order
                    opens = not any(k == _DOUBLE for k, _ in stack)
            elif c == "‘":
                if i + 1 == pe or body[i + 1].isspace():
                    continue
                kind, opens = _SINGLE, True
            elif c == "’":
                if i + 1 < pe and (body[i + 1].isalnum() or body[i + 1] == "_"):
                    continue  # elision: ’90s, ’em
                kind, opens = _SINGLE, False
            elif c == "'":
                kind, opens = _SINGLE, _straight_direction(body, i, ps, pe)
                if opens is None:
                    continue
            elif c == "«":
                kind, opens = _GUILLEMET, True
            else:  # "»"
                kind, opens = _GUILLEMET, False

            if opens:
                stack.append((kind, i))
                continue
            if kind == _SINGLE:
                if stack and stack[-1][0] == _SINGLE:
                    emit(stack.pop()[1], i + 1, True)
                continue  # otherwise an apostrophe
            j = len(stack) - 1
            while j >= 0 and stack[j][0] != kind:
                j -= 1
            if j >= 0:
                start = stack[j][1]
                del stack[j:]          # inner openers left unclosed are dropped
                emit(start, i + 1, True)
                continue
            # unmatched closing mark: from the start of its sentence
            k = bisect_right(p.sentences, i, key=_start) - 1
            start = p.sentences[k].start if k >= 0 else ps
            start = max(start, last_end, stack[-1][1] + 1 if stack else 0)
            start = min(_SPACES.match(body, start, i).end(), i)
            emit(start, i + 1, False)

        if stack:
            nxt = paragraphs[p_index + 1] if p_index + 1 < n else None
            if nxt is not None and body[nxt.start] in _CONTINUES[stack[0][0]]:
                carry = stack.pop(0)
            for kind, pos in reversed(stack):
                if kind != _SINGLE:    # unclosed single openers are mostly elisions
                    emit(pos, pe, False)
    quotes.sort(key=lambda q: (q.start, -q.end))
    return quotes


def quote_at(quotes, start: int, end: int) -> Quote | None:
    """The innermost quote of ``quotes`` (as sorted by ``find_quotes``) holding ``[start, end)``."""
    i = bisect_right(quotes, start, key=_start)
    while i:
        i -= 1
        q = quotes[i]
        if q.end >= end:
            return q
    return None
