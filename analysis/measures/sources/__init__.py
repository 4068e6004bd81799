"""The source ledger: every attribution in an article — who speaks, how, with which verb, and how
many words they get.

Method (docs/sources.md; the annotation rules are docs/guideline-sources.md)
----------------------------------------------------------------------------
Rule-based, on the text layer (no second quotation or reported-speech finder):

1. Reported speech: ``analysis.pipeline.text.reported_speech`` on every sentence, with the text
   layer's speech verbs plus this package's ``verbs.txt`` (participles such as "saying", and
   "denied", "vowed", ...). Each stretch gives a source phrase ("X said", "said X",
   "according to X"), a verb and the reported words. Stretches whose verb lies inside a direct
   quotation are the speaker's own sourcing and are skipped.
2. Direct quotations (``article.quotes``, outermost only): the attribution right after the quote
   ("“...,” X said", "“...,” said X") or right before it ("X said: “...”", "X added that “...”")
   makes a direct-quote attribution (it replaces the reported-speech stretch of the same verb).
   A quotation without one is, in this order: part of a reported-speech stretch that holds it; the
   continuation of the previous attributed quotation in its paragraph; a block quotation after a
   paragraph ending with a colon (the source of that paragraph's last attribution); a quotation
   after a verb that attributes quotations ("called it a “mistake”", ``verbs.txt`` [quote]),
   given to its clause's subject; otherwise a scare quote (no attribution).
3. "as reported by X", "citing X", "quoting X" are according-to attributions; a news outlet named
   as the place where another source spoke ("told CNN", "who spoke with Axios") is a separate
   according-to attribution of that outlet (a *channel*).
4. The source phrase is cut to its noun phrase (no "who ...", "familiar with ...", appositions,
   adverbs); a bare subject ("... and said", "..., saying") is the noun phrase opening the clause.
5. Type, first rule that applies: an actor mention (``analysis.pipeline.actors``) ending the
   phrase or a pronoun resolved to an actor -> ``actor``; an outlet name or generic outlet noun
   -> ``news outlet``; an anonymous head noun with no name after it -> ``anonymous``; an
   apposition naming a person, or a phrase ending in a personal name -> ``named person``; an
   institution word -> ``institution``; another capitalised word -> ``named person``; a pronoun
   takes the type of the previous attribution of its paragraph; else ``unknown``.

Lexicons (data files beside this module, provenance in their headers): ``outlets.txt``,
``anonymous.txt``, ``institutions.txt``, ``titles.txt``, ``verbs.txt``.

Limits: no parser, so the source phrase and the clause subject are positional guesses; a pronoun
is resolved only through the actor mentions or the previous attribution; organisations named
without an institution word ("Médecins Sans Frontières") read as persons; passive attributions
("was attributed to Israel") and speech reported with a noun-phrase object only ("highlighted the
measures") are not attributions (by the guideline). Measured against the hand-labelled set in
``analysis/validation/gold/sources_gold.csv`` by ``analysis.validation.sources_gold``.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from analysis.datafiles import read_data, read_sections
from analysis.pipeline.model import Article
from analysis.pipeline.text import SPEECH_VERBS, SpeechVerbs, reported_speech, word_spans, word_spans_of, words

__all__ = ["TYPES", "MODES", "Attribution", "SourceLexicon", "load_lexicon", "LEXICON", "find_attributions",
           "source_key", "source_ledger", "source_summary"]

TYPES = ("actor", "named person", "anonymous", "institution", "news outlet", "unknown")
MODES = ("direct quote", "reported speech", "according-to")
DIRECT, REPORTED, ACCORDING = MODES


@dataclass(frozen=True, slots=True)
class Attribution:
    """One attribution; offsets into ``article.body``.

    ``start``/``end``: the source phrase; ``content``: the attributed words as (start, end)
    pieces (a quotation and its continuations); ``words``: their word count
    (``analysis.pipeline.text.words``), ``quoted_words`` the part inside quotation marks;
    ``verb``: the lemma ("" for according-to); ``channel``: a news outlet named as the place
    where another source spoke; ``sentence``: index of the sentence holding the source phrase.
    """

    sentence: int
    source: str
    start: int
    end: int
    type: str
    actor: str | None
    mode: str
    verb: str
    content: tuple[tuple[int, int], ...]
    words: int
    quoted_words: int
    channel: bool = False


# --- lexicons ---------------------------------------------------------------------------

class SourceLexicon:
    """The word lists of the source ledger, compiled (see the data files for what each holds)."""

    def __init__(self, outlets, anonymous, institutions, titles, verbs):
        self.outlet_names = _names_pattern(outlets["names"], case=True)
        self.outlet_name_anywhere = _names_pattern(outlets["names"], case=True, bounded=False)  # a speed gate
        self.outlet_generic = _names_pattern(outlets["generic"], case=False)
        self.anonymous_heads = frozenset(w.lower() for w in anonymous["heads"])
        cuts = sorted(anonymous["cuts"], key=len, reverse=True)
        self.cut = re.compile(r"\s+(?:%s)\b|\s*[,;:(—–]" % "|".join(re.escape(c) for c in cuts))
        exact = [w for w in institutions["heads"] if w != w.lower()]
        folded = [w for w in institutions["heads"] if w == w.lower()]
        self.institution = re.compile(r"(?<![\w’'])(?:%s|(?i:%s))(?![\w’'])" % (
            "|".join(re.escape(w) for w in sorted(exact, key=len, reverse=True)) or "(?!)",
            "|".join(re.escape(w) for w in sorted(folded, key=len, reverse=True)) or "(?!)"))
        self.institution_words = frozenset(x.lower() for w in institutions["heads"] for x in w.split())
        self.titles = frozenset(w.lower() for w in titles["titles"])
        self.verbs = SpeechVerbs(SPEECH_VERBS.speech | set(verbs["speech"]),
                                 SPEECH_VERBS.address | set(verbs["address"]))
        self.quote_verbs = frozenset(verbs["quote"])
        # a run of letters that is one of those verbs or a speech verb (``_quote_verb_before``)
        said = sorted({v for v in self.quote_verbs | self.verbs.verbs if v.isascii() and v.isalpha()},
                      key=lambda v: (-len(v), v))
        self.verb_run = re.compile(r"(?<![A-Za-z])(?:%s)(?![A-Za-z])" % ("|".join(said) or "(?!)"))
        self.bare = frozenset(verbs["bare"])
        self.lemmas = dict(entry.split("=", 1) for entry in verbs["lemmas"])
        # lowercase words a source noun phrase may hold ("senior", "spokesman", "ministry", "newspaper")
        self.np_words = (self.titles | self.anonymous_heads | self.institution_words
                         | {x for w in outlets["generic"] for x in w.split()} | _NP_MODIFIERS)

    def lemma(self, verb: str) -> str:
        """The lemma of a speech verb form ("said" -> "say", "warning" -> "warn")."""
        v = verb.lower()
        if v in self.lemmas:
            return self.lemmas[v]
        for suffix, repl in (("ing", ""), ("ed", ""), ("s", "")):
            if v.endswith(suffix) and len(v) > len(suffix) + 2:
                return v[: -len(suffix)] + repl
        return v


_NP_MODIFIERS = frozenset({"unnamed", "anonymous", "local", "regional", "national", "federal", "state",
                           "israeli", "american", "military", "government", "administration", "security",
                           "intelligence", "diplomatic", "foreign", "senior", "top", "former", "other"})


def _names_pattern(names, case: bool, bounded: bool = True) -> re.Pattern:
    """Whole-word alternation of ``names`` (longest first), spaces matching any whitespace
    (``bounded=False``: also inside words)."""
    alts = "|".join(r"\s+".join(re.escape(p) for p in n.split()) for n in sorted(set(names), key=len, reverse=True))
    pattern = r"(?<![\w’'])(?:%s)(?![\w’'])" if bounded else r"(?:%s)"
    return re.compile(pattern % (alts or "(?!)"), 0 if case else re.IGNORECASE)


_FILES = {"outlets": ("outlets.txt", ("names", "generic")),
          "anonymous": ("anonymous.txt", ("heads", "cuts")),
          "institutions": ("institutions.txt", ("heads",)),
          "titles": ("titles.txt", ("titles",)),
          "verbs": ("verbs.txt", ("speech", "address", "quote", "bare", "lemmas"))}


def load_lexicon(**paths) -> SourceLexicon:
    """The bundled word lists, or your own files for any of ``outlets``, ``anonymous``,
    ``institutions``, ``titles``, ``verbs`` (same sectioned format)."""
    parts = {}
    for key, (name, sections) in _FILES.items():
        content, where = read_data("analysis.measures.sources", name, paths.get(key))
        parts[key] = read_sections(content, where, sections)
    return SourceLexicon(**parts)


LEXICON = load_lexicon()


# --- noun phrases -----------------------------------------------------------------------------

_TOKEN = re.compile(r"\S+")
_DETERMINERS = frozenset({"the", "a", "an", "one", "two", "three", "four", "five", "several", "multiple",
                          "some", "many", "his", "her", "its", "their", "our"})
_PRONOUNS = frozenset({"he", "she", "it", "they", "we", "i"})
_CAP_STOP = frozenset({"After", "Before", "In", "On", "At", "But", "And", "Yet", "However", "Today", "Last",
                       "Asked", "Although", "While", "When", "As", "If", "Since", "Meanwhile", "This", "That",
                       "It", "Its", "Earlier", "Later", "Still", "Also", "So", "Then", "For", "With", "From",
                       "During", "Following", "According", "Under", "Despite", "Amid", "Over", "By", "Asked"})
_LEADING = re.compile(r"^(?:[\s,;:“”\"‘’'—–(…]|\b(?:and|but|yet|so|however|also|then|while|when|as|that|"
                      r"meanwhile|and\s+that)\b)+", re.IGNORECASE)
_TRAILING_MARKS = ",;:.“”\"‘’'—–)"  # with white space
_TRAILING_WORDS = ("also", "has", "have", "had", "will", "would", "is", "was", "were", "did", "does", "again", "then",
                   "later", "earlier", "first", "privately", "publicly", "who")  # and any -ly word
_TRAILING = re.compile(r"(?:[\s%s]|\b(?:\w+ly|%s)\b)+$" % (re.escape(_TRAILING_MARKS), "|".join(_TRAILING_WORDS)))
_POSSESSIVE_END = re.compile(r"['’]s?$")
_DOCUMENT_OF = re.compile(r"^(?:a|an|the)\s+(?:statement|report|document|post|note|letter)\s+(?:from|by)\s+",
                          re.IGNORECASE)
_POSSESSOR_DOC = re.compile(r"^(.+?)['’]s?\s+(?:(?:official|latest|new)\s+)?(?:statement|report|publication|"
                            r"post|note|letter|interview|article|story|advice|message)\b")
_WORD_CORE = re.compile(r"^[“”\"‘’'(]*(.*?)[,;:.“”\"‘’')]*$")
_ABBREVIATION_END = re.compile(r"\b[A-Z][a-z]{0,3}\.$")  # "Gen.", "Mr.": no end of the phrase
_FUNCTION_WORDS = ("of", "to", "the", "and")
_FUNCTION_WORD_END = re.compile(r"\s+(?:%s)$" % "|".join(_FUNCTION_WORDS))
_CONJUNCTION_END = re.compile(r"[\s,]*(?:\b(?:and|but)\b)?[\s,]*$")
_CITATION_STOP = re.compile(r"[,.;:]\s|[,.;:]$")
_ADVERB_ONLY = re.compile(r"\s*\w+ly\s*")
_SOURCE_STOP = re.compile(r"[,;:]|\.(?:\s|$)(?<![A-Z][a-z]\.\s)(?<![A-Z]\.\s)")
_CLAUSE_OR_QUOTE_MARK = re.compile(r"[,;:!?“”\"]")
_THAT_END = re.compile(r"\bthat$")
_SENTENCE_MARK = re.compile(r"[.;!?]")


def _is_cap(token: str) -> bool:
    return token[:1].isupper() or (token[:1].isdigit() is False and token[:1] in "ÉÖÄÜ")


def _np_forward(text: str, offset: int, lex: SourceLexicon) -> tuple[int, int] | None:
    """The noun phrase opening ``text`` (offsets + ``offset``): determiners, capitalised words,
    titles and source nouns, "of"/"to" between them; a pronoun alone."""
    start = end = None
    n = 0
    prev = ""
    for m in _TOKEN.finditer(text):
        raw = m.group()
        if n > 0 and raw[:1] in "“\"‘'":
            break  # a quotation starts: the phrase has ended
        core = _WORD_CORE.match(raw).group(1)
        low = core.lower()
        possessive = bool(_POSSESSIVE_END.search(core)) and len(core) > 2
        bare = _POSSESSIVE_END.sub("", core) if possessive else core
        ok = False
        if n == 0 and low in _PRONOUNS:
            return (offset + m.start(), offset + m.start() + len(core))
        if n == 0 and low in _DETERMINERS:
            ok = True
        elif core and (_is_cap(core) and core not in _CAP_STOP if n == 0 else _is_cap(core)):
            ok = True
        elif low in lex.np_words or bare.lower() in lex.np_words:
            ok = True
        elif low in ("of", "to") and n > 0 and prev not in ("of", "to"):
            ok = True
        elif low == "the" and prev in ("of", "to"):
            ok = True
        if not ok or not core:
            break
        if start is None:
            start = offset + m.start() + (len(raw) - len(raw.lstrip("“”\"‘’'(")))
        end = offset + m.start() + (len(raw) - len(raw.lstrip("“”\"‘’'("))) + len(core)
        n += 1
        prev = low
        if possessive or raw.endswith((",", ";", ":", ".”", ",”")) and not _ABBREVIATION_END.search(raw):
            if possessive:
                end -= len(core) - len(bare)
            break
    if start is None:
        return None
    return _trim_span(text, offset, start, end)


def _trim_span(text, offset, start, end):
    """Drop trailing function words ("of", "to", "the") and determiners left alone."""
    s = text[start - offset:end - offset]
    # (the pattern needs the text to end with one of the words, or with a line break before which
    # ``$`` matches too: a test first, speed only)
    while s.endswith(_FUNCTION_WORDS) or s.endswith("\n"):
        m = _FUNCTION_WORD_END.search(s)
        if not m:
            break
        s = s[:m.start()]
    s2 = _POSSESSIVE_END.sub("", s) if len(s) > 2 and s[-2:] in ("’s", "'s") else s
    if not s2 or s2.lower() in _DETERMINERS:
        return None
    return (start, start + len(s2))


def _clean_region(body: str, a: int, b: int, lex: SourceLexicon) -> tuple[int, int] | None:
    """The source noun phrase inside the source region ``body[a:b]`` (verb already excluded)."""
    text = body[a:b]
    lead = _LEADING.match(text)
    if lead:
        a += lead.end()
        text = text[lead.end():]
    doc = _DOCUMENT_OF.match(text) if text[:1] in "aAtT" else None  # ("a", "an", "the" first: speed)
    if doc:
        a += doc.end()
        text = text[doc.end():]
    cut = lex.cut.search(text)
    if cut:
        text = text[:cut.start()]
    owner = _POSSESSOR_DOC.match(text) if "'" in text or "’" in text else None  # (speed)
    if owner:
        text = owner.group(1)
    trail = _TRAILING.search(text) if _may_trail(text) else None
    if trail:
        text = text[:trail.start()]
    if not text.strip():
        return None
    if len(text.split()) > 9:
        return _np_forward(text, a, lex)
    return _trim_span(body, 0, a, a + len(text))


def _may_trail(text: str) -> bool:
    """Speed gate (skippable): ``_TRAILING`` can only match a text ending in one of its marks, white
    space (``$`` also matches before a final line break) or one of its words."""
    return text[-1:] in _TRAILING_MARKS or text[-1:].isspace() or text.endswith(_TRAILING_WORDS + ("ly",))


_PARENTHETICAL_END = re.compile(r",\s*(?:who|which|speaking|citing|quoting|a|an|the|one|[a-z]\w*ing)\b[^,]*,?\s*$")
_CLAUSE_BREAK = re.compile(r"[,;:—(]")


def _subject(body: str, lo: int, hi: int, quotes, lex: SourceLexicon) -> tuple[int, int] | None:
    """The noun phrase opening the clause that ends at ``hi`` (from ``lo``, the sentence start):
    parentheticals before ``hi`` and quoted words are skipped."""
    text = body[lo:hi]
    for q in quotes:
        if q.end > lo and q.start < hi:  # the quoted characters become spaces
            a, b = max(q.start, lo) - lo, min(q.end, hi) - lo
            text = text[:a] + " " * (b - a) + text[b:]
    text = _without_conjunction_end(text)
    while True:
        m = _PARENTHETICAL_END.search(text)
        if not m or m.start() == 0:
            break
        text = text[:m.start()].rstrip(" ,")
    for seg in reversed(list(_segments(text))):
        s, e = seg
        part = text[s:e]
        lead = _LEADING.match(part)
        skip = lead.end() if lead else 0
        span = _np_forward(part[skip:], lo + s + skip, lex)
        if span is not None:
            return span
    return None


def _without_conjunction_end(text: str) -> str:
    """``_CONJUNCTION_END.sub("", text)``, read from the end (speed only: the pattern is tried at
    every position of the clause): its first match starts after the last character that is no
    space or comma, or before a final "and"/"but" standing as a word and the spaces and commas
    before it, and runs to the end; nothing is left for a second one."""
    end = _before_spaces_and_commas(text, len(text))
    if text.endswith(("and", "but"), 0, end) and (end == 3 or not _is_word_char(text[end - 4])):
        end = _before_spaces_and_commas(text, end - 3)
    return text[:end]


def _before_spaces_and_commas(text: str, end: int) -> int:
    """Where the run of white space (``\\s``) and commas ending at ``end`` starts."""
    while end > 0 and (text[end - 1] == "," or text[end - 1].isspace()):
        end -= 1
    return end


def _is_word_char(c: str) -> bool:
    """A regular-expression word character (``\\w``)."""
    return c.isalnum() or c == "_"


def _segments(text):
    """(start, end) of the stretches of ``text`` between clause punctuation."""
    start = 0
    for m in _CLAUSE_BREAK.finditer(text):
        yield (start, m.start())
        start = m.end()
    yield (start, len(text))


# --- types ------------------------------------------------------------------------------------

_APPOSITION_NAME = re.compile(r"\s*,\s*(?:[A-Z][\w’'.-]+\s+){1,3}?[A-Z][\w’'.-]+\s*,")


def classify(body: str, start: int, end: int, mentions, lex: SourceLexicon = LEXICON) -> tuple[str, str | None]:
    """``(type, actor)`` of the source phrase ``body[start:end]`` (rules in the module docstring;
    a pronoun without an actor is left ``unknown`` here and resolved by the caller)."""
    text = body[start:end]
    for m in mentions:
        if m.actor is not None and start <= m.start and m.end >= end - 1 and m.end <= end + 2:
            return "actor", m.actor
    toks = text.split()
    if len(toks) == 1 and toks[0].lower() in _PRONOUNS:
        return "unknown", None
    if lex.outlet_names.search(text) or lex.outlet_generic.search(text):
        return "news outlet", None
    head = _POSSESSIVE_END.sub("", toks[-1]).lower() if toks else ""
    if head in lex.anonymous_heads:
        if _APPOSITION_NAME.match(body, end):
            return "named person", None
        return "anonymous", None
    if _APPOSITION_NAME.match(body, end):
        return "named person", None
    if len(toks) >= 2 and _personal_name(toks[-1], lex) and (_personal_name(toks[-2], lex) or toks[-2].lower() in lex.titles):
        return "named person", None
    if lex.institution.search(text):
        return "institution", None
    if any(_personal_name(t, lex) for t in toks):
        return "named person", None
    return "unknown", None


def _personal_name(token: str, lex: SourceLexicon) -> bool:
    """A capitalised word that is no title, institution, outlet or function word."""
    core = _POSSESSIVE_END.sub("", token.strip(",.;:“”\"‘’'"))
    return (bool(core) and core[:1].isupper() and core.lower() not in lex.titles
            and core.lower() not in lex.institution_words and core not in _CAP_STOP
            and core.lower() not in _DETERMINERS and not lex.outlet_names.fullmatch(core))


# --- attributions of one article -------------------------------------------------------------

_EXTRA_ACCORDING = re.compile(r"\b(?:[Aa]s (?:first )?reported by|[Cc]iting|[Qq]uoting)\s+")
_OUTLET_GENERIC_NP = re.compile(r"(?:\b[Tt]he\s+)?(?:[A-Z][\w’'.-]*\s+)*(?:newspaper|broadcaster|news agency|"
                                r"television|radio)(?:\s+[A-Z][\w’'.-]*)*")
_INVERTED_TAIL = re.compile(r"[\s,]*")


class _Found:
    """Attributions of one article while they are being found (mutable), then frozen.

    ``items``: the attributions found so far, in the order found, keyed by their ``number``.
    The queries below answer what a scan of ``items`` would; ``_ItemIndex`` makes them look only
    at the sentences concerned."""

    def __init__(self, article: Article, mentions, lex: SourceLexicon):
        self.article, self.body, self.lex = article, article.body, lex
        self.mentions = sorted(mentions, key=lambda m: m.start)
        self.mention_starts = [m.start for m in self.mentions]
        self.sents = article.sentences
        self.sent_starts = [s.start for s in self.sents]
        self.quotes = _outermost(article.quotes)
        self.quote_starts = [q.start for q in self.quotes]  # disjoint and sorted: one bisect finds the quote
        self.quote_ends = [q.end for q in self.quotes]  # increasing too
        self.items: dict[int, dict] = {}
        self.found = 0  # items found, removed ones included: the next item's number
        self.index = _ItemIndex(self.sent_starts)

    def sentence_at(self, pos):
        i = bisect_right(self.sent_starts, pos) - 1
        return self.sents[max(i, 0)] if self.sents else None

    def in_quote(self, pos):
        i = bisect_right(self.quote_starts, pos) - 1
        return i >= 0 and pos < self.quotes[i].end

    def quotes_in(self, lo, hi):
        """The quotes overlapping ``[lo, hi)``."""
        k = bisect_right(self.quote_ends, lo)
        out = []
        while k < len(self.quotes) and self.quotes[k].start < hi:
            out.append(self.quotes[k])
            k += 1
        return out

    def mentions_in(self, start, end):
        i = bisect_right(self.mention_starts, start - 1)
        out = []
        while i < len(self.mentions) and self.mentions[i].start < end + 2:
            out.append(self.mentions[i])
            i += 1
        return out

    def add(self, span, mode, verb, content, channel=False, verb_span=None):
        if span is None:
            return None
        item = {"span": span, "mode": mode, "verb": verb, "content": [c for c in content if c[1] > c[0]],
                "channel": channel}
        if verb_span is not None:
            item["verb_span"] = verb_span
        item["number"] = self.found
        self.found += 1
        self.items[item["number"]] = item
        self.index.add(item)
        return item

    def remove(self, item):
        self.items.pop(item["number"], None)

    def extend(self, item, piece):
        """Append ``piece`` to the item's content (a continuation of its quotation)."""
        item["content"].append(piece)
        self.index.add_piece(piece, item["number"])

    def last_reported(self, lo, hi):
        """The last-found reported-speech item whose source starts in ``[lo, hi)``, or None."""
        found = [n for n, it in self.index.near_sources(self.items, lo, hi)
                 if lo <= it["span"][0] < hi and it["mode"] == REPORTED]
        return self.items[max(found)] if found else None

    def first_source_in(self, lo, hi):
        """The first-found item, not a channel, whose source starts in ``[lo, hi)``, or None."""
        found = [n for n, it in self.index.near_sources(self.items, lo, hi)
                 if lo <= it["span"][0] < hi and not it["channel"]]
        return self.items[min(found)] if found else None

    def has_verb_at(self, v0):
        """Is there an item whose verb starts at ``v0``?"""
        return any(n in self.items for n in self.index.verbs.get(v0, ()))

    def holds(self, q):
        """Is quotation ``q`` inside the content of an item found so far (a piece ``c`` with
        ``c[0] <= q.start`` and ``q.end <= c[1] + 1``)?"""
        return any(c[0] <= q.start and q.end <= c[1] + 1 for c in self.index.near_pieces(self.items, q))


class _ItemIndex:
    """Speed only (skippable): the items of ``_Found`` filed by the sentences their source start,
    content pieces and verb lie in, so that a quotation is compared with the items of its own
    sentence, not with every item found before it (which made an article of thousands of
    quotations quadratic). Removed items stay filed: the queries skip numbers no longer in ``items``."""

    def __init__(self, sent_starts):
        self.sources = _Buckets(sent_starts)  # item numbers, at their source's start
        self.pieces = _Buckets(sent_starts)  # (piece, item number) of every content piece
        self.verbs: dict[int, list[int]] = {}  # verb start -> item numbers

    def add(self, item):
        number = item["number"]
        self.sources.add(item["span"][0], item["span"][0], number)
        for piece in item["content"]:
            self.add_piece(piece, number)
        if "verb_span" in item:
            self.verbs.setdefault(item["verb_span"][0], []).append(number)

    def add_piece(self, piece, number):
        self.pieces.add(piece[0], piece[1], (piece, number))

    def near_sources(self, items, lo, hi):
        """(number, item) of the live items filed near ``[lo, hi)`` (a superset; callers test)."""
        for number in self.sources.near(lo, hi):
            if number in items:
                yield number, items[number]

    def near_pieces(self, items, q):
        """The live content pieces that may hold quotation ``q`` (every one when ``q`` is empty)."""
        if q.end <= q.start:
            return [c for it in items.values() for c in it["content"]]
        return [piece for piece, number in self.pieces.near(q.start, q.start) if number in items]


class _Buckets:
    """Speed only: values filed under every sentence from the one holding ``start`` to the one
    holding ``end``; ``near(a, b)`` gives the values filed under the sentences from ``a``'s to
    ``b``'s (some twice): every value whose [start, end] meets [a, b], and maybe others."""

    def __init__(self, sent_starts):
        self.sent_starts = sent_starts
        self.bins: dict[int, list] = {}

    def _bin(self, pos):
        k = bisect_right(self.sent_starts, pos) - 1
        return k if k > 0 else 0

    def add(self, start, end, value):
        first = last = self._bin(start)
        if last + 1 < len(self.sent_starts) and end >= self.sent_starts[last + 1]:
            last = self._bin(end)
        bins = self.bins
        for k in range(first, last + 1):
            if k in bins:  # (not setdefault: no list made for nothing)
                bins[k].append(value)
            else:
                bins[k] = [value]

    def near(self, a, b):
        for k in range(self._bin(a), self._bin(max(a, b)) + 1):
            yield from self.bins.get(k, ())


def _outermost(quotes) -> list:
    """The quotes not inside another (quotes are sorted by start, outer first, and well nested)."""
    out = []
    for q in sorted(quotes, key=lambda q: (q.start, -q.end)):
        if not out or q.start >= out[-1].end:
            out.append(q)
    return out


def find_attributions(article: Article, mentions=(), lexicon: SourceLexicon | None = None) -> list[Attribution]:
    """Every attribution of ``article`` (see the module docstring), in text order of their sources.
    ``mentions``: the article's actor mentions (``analysis.pipeline.actors.find_mentions``), used
    to say which sources are actors."""
    lex = lexicon or LEXICON
    f = _Found(article, mentions, lex)
    if not article.body:
        return []
    by_verb = {}
    for s in f.sents:
        _reported(f, s, by_verb)
        _extra_according(f, s)
    _quotations(f, by_verb)
    _channels(f)
    return _freeze(f)


def _trim(body, a, b):
    while a < b and body[a] in " \n\t,:;—–":
        a += 1
    while b > a and body[b - 1] in " \n\t:;—–":
        b -= 1
    return (a, b)


def _reported(f: _Found, s, by_verb) -> None:
    """Attributions from the text layer's reported speech in sentence ``s``."""
    body, lex = f.body, f.lex
    for r in reported_speech(body, s.start, s.end, lex.verbs):
        if r.verb is not None and f.in_quote(r.verb[0]):
            continue  # the speaker's own sourcing, inside a quotation
        src0, src1 = r.source
        start = r.start
        if r.form == "according":
            m = _ACCORDING_TO.match(body, src0, src1)
            span = _clean_region(body, m.end() if m else src0, src1, lex)
            item = f.add(span, ACCORDING, "", [_trim(body, start, r.end)])
            if item is not None:
                item["window"] = (span[1], src1)
            continue
        v0, v1 = r.verb
        verb = lex.lemma(body[v0:v1])
        if not _introduces(body, r, lex):
            continue
        if r.form == "before":
            span = _clean_region(body, v1, src1, lex) if src0 == v0 else _clean_region(body, src0, v0, lex)
        else:
            span = _clean_region(body, src0, v0, lex)
            if span is None or r.bare_source:
                earlier = f.last_reported(s.start, v0)
                span = earlier["span"] if earlier else _subject(body, s.start, v0, f.quotes_in(s.start, v0), lex) or span
            if r.addressee:
                obj = _np_forward(body[v1:r.end], v1, lex)
                if obj is not None:
                    start = obj[1]
        item = f.add(span, REPORTED, verb, [_trim(body, start, r.end)], verb_span=(v0, v1))
        if item is not None:
            item["window"] = (span[1], max(v1 + 40 if r.form != "before" else src1, span[1]))
            by_verb[(v0, v1)] = item


_PASSIVE = re.compile(r"\s+by\b")
_ACCORDING_TO = re.compile(r"[Aa]ccording to\s+")
_THAT_NEXT = re.compile(r"\s+that\b")
_AS_BEFORE = re.compile(r"\b[Aa]s\s+(?:\w+\s+)?$")
_PRONOUN_NEXT = re.compile(r"\s+(?:he|she|it|they|we|I|you)\b")
_TO_AFTER = re.compile(r"\s+(?:[^\s.,;:!?]+\s+){0,5}?(?:to|of|that)\s")


def _introduces(body: str, r, lex: SourceLexicon) -> bool:
    """Whether a text-layer stretch is an attribution by the guideline: not passive ("reported
    by", "as reported"), and after the verb a clause, not a noun phrase ("highlighted the
    measures"): "that", a verb of ``verbs.txt`` [bare] ("said he ..."), a pronoun subject, or
    an address verb's "to"/"of" ("urged him to ...")."""
    v0, v1 = r.verb
    form = body[v0:v1]
    if _PASSIVE.match(body, v1) or _AS_BEFORE.search(body, max(0, v0 - 20), v0):
        return False
    if r.form != "after":
        return True
    if r.start > v1 and _THAT_NEXT.match(body, v1, r.start + 1):
        return True
    if form in lex.bare or _PRONOUN_NEXT.match(body, v1):
        return True
    return form in lex.verbs.address and _TO_AFTER.match(body, v1) is not None


def _extra_according(f: _Found, s) -> None:
    """"as reported by X", "citing X", "quoting X" in sentence ``s``."""
    text = f.body[s.start:s.end]
    if not _may_cite(text):
        return
    for m in _EXTRA_ACCORDING.finditer(text):
        a = s.start + m.end()
        stop = _CITATION_STOP.search(text[m.end():])
        b = a + (stop.start() if stop else len(text) - m.end())
        span = _clean_region(f.body, a, b, f.lex)
        before = s.start + m.start()
        content = (s.start, before) if before - s.start > 10 else (b, s.end)
        item = f.add(span, ACCORDING, "", [_trim(f.body, *content)])
        if item is not None:
            item["window"] = (span[1], b)


def _may_cite(text: str) -> bool:
    """Speed gate (skippable): only sentences holding one of the words can match _EXTRA_ACCORDING."""
    return "reported by" in text or "iting " in text or "uoting " in text


def _quotations(f: _Found, by_verb) -> None:
    """Attributions of the direct quotations (outermost quotes)."""
    body, lex = f.body, f.lex
    last_quote_item = None  # (paragraph, item) of the previous attributed quotation
    for q in sorted(f.quotes, key=lambda q: q.start):
        s = f.sentence_at(q.start)
        if s is None:
            continue
        end_sent = f.sentence_at(max(q.end - 1, q.start))
        opens = not body[s.start:q.start].strip() or body[s.start:q.start].rstrip()[-1:] in ":,—–"
        found = (_after_quote(f, q, end_sent) if opens else None) or _before_quote(f, q, s)
        if found is not None:
            span, (v0, v1) = found
            old = by_verb.pop((v0, v1), None)
            if old is not None:
                f.remove(old)
            item = f.add(span, DIRECT, lex.lemma(body[v0:v1]), [(q.start, q.end)])
            if item is not None:
                item["window"] = (min(span[1], v1), max(span[1], v1) + 40)
                last_quote_item = (s.paragraph, item)
            continue
        embedded = _quote_verb_before(f, q, s)
        if embedded is not None:
            span, verb, v0, v1 = embedded
            if not f.has_verb_at(v0):
                item = f.add(span, REPORTED, verb, [_trim(body, v1, q.end)], verb_span=(v0, v0))  # after the verb
                if item is not None:
                    item["window"] = (span[1], span[1])
                    last_quote_item = (s.paragraph, item)
                continue
        if f.holds(q):
            continue  # quoted words inside a reported stretch: counted with it
        if last_quote_item is not None and last_quote_item[0] == s.paragraph and q.start <= s.start + 1:
            f.extend(last_quote_item[1], (q.start, q.end))  # continuation of the same speaker
            continue
        if s.index > 0 and q.start <= s.start + 1:
            prev = f.sents[s.index - 1]
            if prev.paragraph == s.paragraph - 1 and body[prev.start:prev.end].rstrip().endswith(":"):
                it = f.first_source_in(prev.start, prev.end)
                if it is not None:
                    item = f.add(it["span"], DIRECT, it["verb"], [(q.start, q.end)])
                    last_quote_item = (s.paragraph, item)
                    continue


def _after_quote(f: _Found, q, s):
    """Source and verb span of an attribution right after the quote: "..., X said", "..., said X"."""
    body, lex = f.body, f.lex
    limit = s.end if s.end > q.end else q.end
    p = f.article.paragraphs[s.paragraph] if s.paragraph < len(f.article.paragraphs) else None
    if p is not None:
        limit = min(max(limit, q.end), p.end)
    rest = body[q.end:limit]
    lead = _INVERTED_TAIL.match(rest).end()
    spans = lex.verbs.verb_spans(rest)
    if not spans:
        return None
    w0, w1 = spans[0]
    between = rest[lead:w0]
    v0, v1 = q.end + w0, q.end + w1
    if (not between.strip() or _ADVERB_ONLY.fullmatch(between)) and not body[v0:v1].endswith("ing"):
        stop = _SOURCE_STOP.search(rest[w1:])
        b = q.end + w1 + (stop.start() if stop else len(rest) - w1)
        span = _clean_region(body, v1, b, lex)
        return (span, (v0, v1)) if span is not None else None
    if body[v0:v1].endswith("ing"):
        return None  # "..., warning the US to ...": a participle, not an attribution of the quote
    if len(between.split()) <= 8 and not _CLAUSE_OR_QUOTE_MARK.search(between.strip()):
        span = _clean_region(body, q.end + lead, v0, lex)
        return (span, (v0, v1)) if span is not None else None
    return None


def _before_quote(f: _Found, q, s):
    """Source and verb span of an attribution right before the quote: "X said: “...", "X added that “..."."""
    body, lex = f.body, f.lex
    prefix = body[s.start:q.start]
    stripped = prefix.rstrip(" “\"‘'")
    owner = _POSSESSIVE_INTRO.search(stripped) if _may_be_possessive_intro(stripped) else None
    if owner is not None:
        span = _trim_span(body, 0, s.start + owner.start(1), s.start + owner.end(1))
        return (span, (s.start + owner.end(1), s.start + owner.end(1))) if span is not None else None
    if not (stripped.endswith((":", ",")) or _THAT_END.search(stripped)
            or (lex.verbs.verb_spans(stripped[-12:]) and lex.verbs.verb_spans(stripped)[-1][1] == len(stripped))):
        return None
    spans = [sp for sp in lex.verbs.verb_spans(prefix) if not f.in_quote(s.start + sp[0])]
    if not spans:
        return None
    w0, w1 = spans[-1]
    tail = prefix[w1:]
    if len(tail.split()) > 6:
        return None
    v0, v1 = s.start + w0, s.start + w1
    span = _subject(body, s.start, v0, f.quotes_in(s.start, v0), lex)
    return (span, (v0, v1)) if span is not None else None


def _may_be_possessive_intro(text: str) -> bool:
    """Speed gate (skippable): ``_POSSESSIVE_INTRO`` needs an "'s" and a final colon or comma."""
    return text.endswith((":", ",", ":\n", ",\n")) and ("'s" in text or "’s" in text)


# "President Biden's advice to Netanyahu was clear:" before a quotation: the possessor is the source
_POSSESSIVE_INTRO = re.compile(r"((?:[A-Z][\w.-]*\s+)*[A-Z][\w.-]*)['’]s\s+(?:\w+\s+){0,2}?(?:advice|message|"
                               r"words|response|reply|answer|warning|verdict|comment|remarks)\b[^.!?]{0,60}[:,]$")


def _quote_verb_before(f: _Found, q, s):
    """A verb of ``verbs.txt`` [quote] (or a speech verb) among the six words before the quote, and
    the subject of its clause: (subject span, lemma, verb start, verb end), or None."""
    body, lex = f.body, f.lex
    before = body[max(s.start, q.start - 80):q.start]
    found = None
    for found in lex.verb_run.finditer(before):  # the last run of letters that is such a verb
        pass
    if found is None:
        return None
    w0, w1, w = found.start(), found.end(), found.group()
    if len(before[w1:].split()) > 8 or _SENTENCE_MARK.search(before[w1:]):
        return None
    v0 = max(s.start, q.start - 80) + w0
    earlier = f.last_reported(s.start, v0)
    span = earlier["span"] if earlier else _subject(body, s.start, v0, f.quotes_in(s.start, v0), lex)
    return (span, lex.lemma(w), v0, v0 + w1 - w0) if span is not None else None


def _channels(f: _Found) -> None:
    """News outlets named as the place where another source spoke ("told CNN", "who spoke with Axios")."""
    body, lex = f.body, f.lex
    taken = None  # the source spans taken, filed by sentence when the first outlet is met (speed only)
    for it in list(f.items.values()):
        w = it.get("window")
        if not w or it["channel"]:
            continue
        a, b = w
        sent = f.sentence_at(it["span"][0])
        b = min(b, sent.end) if sent is not None else b
        text = body[a:b]
        cut = _THAT_WORD.search(text) if "that" in text else None  # (speed)
        if cut and it["mode"] != ACCORDING:
            text = text[:cut.start()]
        if not _may_name_outlet(text, lex):
            continue
        for m in list(lex.outlet_names.finditer(text)) + list(_OUTLET_GENERIC_NP.finditer(text)):
            span = (a + m.start(), a + m.end())
            if m.group().startswith(("the ", "The ")) and not lex.outlet_names.match(m.group()):
                pass
            if taken is None:
                taken = _source_spans(f)
            if any(t[0] <= span[0] < t[1] or span[0] <= t[0] < span[1] for t in taken.near(*span)):
                continue
            if f.in_quote(span[0]):
                continue
            taken.add(*span, span)
            f.add(span, ACCORDING, "", list(it["content"]), channel=True)


_THAT_WORD = re.compile(r"\bthat\b")


def _source_spans(f: _Found) -> _Buckets:
    """The source spans of the items found, filed by sentence (speed only)."""
    taken = _Buckets(f.sent_starts)
    for it in f.items.values():
        taken.add(*it["span"], it["span"])
    return taken


def _may_name_outlet(text: str, lex: SourceLexicon) -> bool:
    """Speed gate (skippable): only a text where an outlet name or a generic outlet noun occurs
    (without the patterns' word-boundary checks) can match ``lex.outlet_names`` or ``_OUTLET_GENERIC_NP``."""
    return lex.outlet_name_anywhere.search(text) is not None or _OUTLET_NOUN.search(text) is not None


_OUTLET_NOUN = re.compile(r"newspaper|broadcaster|news agency|television|radio")  # as in _OUTLET_GENERIC_NP


def _freeze(f: _Found) -> list[Attribution]:
    body = f.body
    out = []
    seen = set()
    quote_spans = [(q.start, q.end) for q in f.quotes]
    quote_ends = [e for _, e in quote_spans]  # increasing: the outermost quotes do not overlap
    previous = {}  # paragraph -> (type, actor) of the last attribution with a known type
    count = _WordCounts(body)  # count[a, b]: the words of body[a:b]
    for it in sorted(f.items.values(), key=lambda it: (it["span"][0], it["content"][0][0] if it["content"] else 0)):
        start, end = it["span"]
        key = (start, end, it["mode"], it["verb"], tuple(it["content"]))
        if key in seen or end <= start:
            continue
        seen.add(key)
        s = f.sentence_at(start)
        typ, actor = classify(body, start, end, f.mentions_in(start, end), f.lex)
        if it["channel"] and typ != "news outlet":
            typ = "news outlet"
        if typ == "unknown" and body[start:end].lower() in _PRONOUNS:
            pron = next((m for m in f.mentions_in(start, end) if m.start == start and m.actor), None)
            if pron is not None:
                typ, actor = "actor", pron.actor
            elif s is not None and s.paragraph in previous:
                typ, actor = previous[s.paragraph]
        if s is not None and typ != "unknown":
            previous[s.paragraph] = (typ, actor)
        content = tuple(it["content"])
        n_words = sum(count[a, b] for a, b in content)
        quoted = sum(_quoted_words(count, a, b, quote_spans, quote_ends) for a, b in content)
        out.append(Attribution(s.index if s is not None else 0, body[start:end], start, end, typ, actor,
                               it["mode"], it["verb"], content, n_words, quoted, it["channel"]))
    return out


def _quoted_words(count, a, b, quote_spans, quote_ends) -> int:
    """Words of ``body[a:b]`` inside quotation marks (``count[lo, hi]``: the words of ``body[lo:hi]``;
    ``quote_spans`` do not overlap, in order; ``quote_ends`` their ends: only the quotes from the
    first ending after ``a`` are looked at)."""
    n = 0
    for k in range(bisect_right(quote_ends, a), len(quote_spans)):  # (a slice would copy the rest)
        qs, qe = quote_spans[k]
        if qs >= b:
            break
        lo, hi = max(a, qs), min(b, qe)
        if lo < hi:
            n += count[lo, hi]
    return n


class _WordCounts(dict):
    """Speed only: ``self[a, b]`` is ``len(words(body[a:b]))``, counted once per span of one
    article (a quotation is both an attribution's content and its quoted words)."""

    def __init__(self, body: str):
        super().__init__()
        self.body = body

    def __missing__(self, span):
        n = self[span] = len(words(self.body[span[0]:span[1]]))
        return n


def quoted_word_spans(attributions, quotes) -> list[tuple[int, int]]:
    """The stretches of body inside quotation marks that belong to some attribution's content,
    merged (each counted once however many attributions hold it)."""
    # the quotations' union first (sorted, touching ones joined), then each content stretch meets
    # only the quotations next to it (bisect): linear in the attributions and quotations
    union: list[list[int]] = []
    for q in sorted(quotes, key=lambda q: (q.start, q.end)):
        if union and q.start <= union[-1][1]:
            union[-1][1] = max(union[-1][1], q.end)
        else:
            union.append([q.start, q.end])
    ends = [e for _, e in union]
    pieces = []
    for att in attributions:
        for a, b in att.content:
            k = bisect_right(ends, a)  # the first quotation ending after a
            while k < len(union) and union[k][0] < b:
                lo, hi = max(a, union[k][0]), min(b, union[k][1])
                if lo < hi:
                    pieces.append((lo, hi))
                k += 1
    pieces.sort()
    merged: list[list[int]] = []
    for a, b in pieces:
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return [(a, b) for a, b in merged]


def source_key(att: Attribution) -> str:
    """The name a source is counted under: the actor's name, else its phrase without a leading
    determiner, lower-cased unless it is a name ("Axios", "a senior official" -> "senior official")."""
    if att.actor:
        return att.actor
    text = re.sub(r"^(?:the|a|an|one)\s+", "", " ".join(att.source.split()), flags=re.IGNORECASE)
    return text if att.type in ("news outlet", "named person", "institution") else text.lower()


# --- tables -------------------------------------------------------------------------------------

LEDGER_COLUMNS = ("outlet", "article", "sentence", "source", "start", "end", "type", "actor", "mode", "verb",
                  "content", "content_start", "content_end", "words", "quoted_words", "channel", "key")


def _annotations(data):
    """ArticleAnnotations of ``data``: a corpus (annotated here with this measure only) or an
    iterable of annotations made with the measure registered."""
    from analysis.annotate import Annotator  # the generic annotator imports the measures, not the reverse
    from analysis.measures.sources.measure import Sources
    if hasattr(data, "articles"):
        annotator = Annotator(data, measures=[Sources()])
        return list(annotator.many(data.articles))
    return list(data)


def source_ledger(data):
    """One row per attribution (``LEDGER_COLUMNS``) of a corpus or of its annotations."""
    import pandas as pd  # heavy; the measure itself does not need it
    rows = []
    for ann in _annotations(data):
        art = ann.doc.article
        for sentence in ann.results["sources"]:
            for att in sentence:
                c0 = att.content[0][0] if att.content else None
                c1 = att.content[-1][1] if att.content else None
                rows.append((art.outlet, art.id, att.sentence, att.source, att.start, att.end, att.type,
                             att.actor or "", att.mode, att.verb,
                             " | ".join(art.body[a:b] for a, b in att.content), c0, c1, att.words,
                             att.quoted_words, att.channel, source_key(att)))
    return pd.DataFrame(rows, columns=list(LEDGER_COLUMNS))


def source_summary(data):
    """Per outlet: articles, attributions, distinct sources, anonymous share, quoted-word share
    (words inside attributed quotations / body words), the source with the most attributed words,
    each article's last source, and the news outlets cited."""
    import pandas as pd  # heavy; the measure itself does not need it
    anns = _annotations(data)
    rows = {}
    for ann in anns:
        art = ann.doc.article
        atts = [a for sentence in ann.results["sources"] for a in sentence]
        r = rows.setdefault(art.outlet, {"articles": 0, "attributions": 0, "anonymous": 0, "quoted_words": 0,
                                         "body_words": 0, "keys": {}, "last": [], "outlets": {}})
        r["articles"] += 1
        r["attributions"] += len(atts)
        r["anonymous"] += sum(a.type == "anonymous" for a in atts)
        r["quoted_words"] += sum(b - a for a, b in _word_counts(art.body, quoted_word_spans(atts, art.quotes)))
        r["body_words"] += sum(len(t) for t in ann.doc.tokens)
        for a in atts:
            k = source_key(a)
            r["keys"][k] = r["keys"].get(k, 0) + a.words
            if a.type == "news outlet":
                r["outlets"][k] = r["outlets"].get(k, 0) + 1
        if atts:
            r["last"].append(f"{art.id}: {source_key(max(atts, key=lambda a: (a.start, a.end)))}")
    out = []
    for outlet, r in rows.items():
        most = max(r["keys"].items(), key=lambda kv: (kv[1], kv[0]), default=("", 0))
        out.append({"outlet": outlet, "articles": r["articles"], "attributions": r["attributions"],
                    "distinct_sources": len(r["keys"]),
                    "anonymous_share": r["anonymous"] / r["attributions"] if r["attributions"] else float("nan"),
                    "quoted_word_share": r["quoted_words"] / r["body_words"] if r["body_words"] else float("nan"),
                    "most_quoted": most[0], "most_quoted_words": most[1],
                    "last_sources": "; ".join(r["last"]),
                    "outlets_cited": "; ".join(f"{k} ({n})" for k, n in sorted(r["outlets"].items(),
                                                                             key=lambda kv: (-kv[1], kv[0])))})
    return pd.DataFrame(out)


def _word_counts(body, spans):
    """(0, n) pairs: the word count of each span (so that ``b - a`` sums them)."""
    return [(0, len(words(body[a:b]))) for a, b in spans]


def sentence_quoted_words(sent_start: int, text: str, spans, tokens=None) -> int:
    """Words of one sentence (``text`` at ``sent_start``) that start inside one of ``spans``;
    ``tokens``: its ``words`` when already made (speed only)."""
    if not spans:
        return 0
    starts = [a for a, _ in spans]  # spans are sorted and disjoint (quoted_word_spans)
    n = 0
    for w0, _ in word_spans(text) if tokens is None else word_spans_of(text, tokens):
        pos = sent_start + w0
        i = bisect_right(starts, pos) - 1
        if i >= 0 and pos < spans[i][1]:
            n += 1
    return n
