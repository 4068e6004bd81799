"""Named features of each sentence of an article, for the sentence-role model.

``article_features(paragraphs, ...)`` takes an article as paragraphs of sentence
strings and returns one ``{feature name: value}`` dict per sentence, in reading
order. The same code builds the training rows (analysis/validation/
context_external.py) and the rows scored at analysis time (analysis/context.py),
so the two cannot drift apart. docs/context.md lists the features and why.

Feature names (values are 1.0 unless stated):

    pos:rel<b>     relative position of the sentence in the article, tenths 0..9
    rel            the same as a number in [0, 1]
    par:<i>        paragraph index (0..7, 8 = later); sent:<i> sentence index (0..9, 10 = later)
    inpar:<k>      sentence index inside its paragraph (0, 1, 2 = later)
    len:<b>        length in words (bins)
    w:<word>       a word of the sentence (lower-cased; digits collapse to shapes)
    b:<w1>_<w2>    a word pair of the sentence
    pw:<word>, nw:<word>   a word of the previous / next sentence
    ov1:<b>, ovt:<b>       share of the sentence's content words found in the
                   article's first sentence / its headline (bins)
    tense:<kind>   past perfect, "has been", present perfect, future "will",
                   "expected to", modal, conditional "would"
    time:<kind>    a temporal expression resolved against the event / publication
                   date (analysis.measures.context.resolve_temporal): before the event
                   (within a week, a month, a year, longer), during, after,
                   or a bare year
    quote:<kind>   quotation marks in the sentence; the sentence opens with one
    furniture      a page-furniture line (photo credit, byline, "Read more:")
"""
from __future__ import annotations

import re
from bisect import bisect_right

from analysis.pipeline.text import FEATURE_TOKEN

# Words that carry no topic: left out of the overlap with the first sentence and headline.
_STOP = frozenset("""a an the and or but if of to in on at by for with from as is are was were be been
being has have had do does did it its this that these those he she they we i you his her their our
your my me him them us not no so than then there here what which who whom whose when where why how
said says say told will would could should may might can also about after before over into more most
other some such only own same just very s t""".split())

_HAS_DIGIT = re.compile(r"\d")
_YEARLIKE = re.compile(r"(?:19|20)\d\d")
# In an ASCII text without apostrophes FEATURE_TOKEN matches the runs of ASCII letters
# and digits: what is left when every other character becomes a space (str.translate
# on an ASCII text is fast, faster than the regex).
_APART = str.maketrans({c: " " for c in map(chr, range(128)) if not ("a" <= c <= "z" or "0" <= c <= "9")})

# Tense and aspect. Each regular expression runs only when the sentence has one of
# its gate words (a set test on the tokens is far cheaper than a scan); a kind with
# no expression is the gate alone.
_TENSE = (
    ("past_perfect", {"had"}, re.compile(r"\bhad\s+(?:(?:not|never|already|long|been|also|just|previously|"
                                         r"recently)\s+)*(?:been|[a-z]+(?:ed|en|wn|ne|un|ght|lt|pt))\b")),
    ("has_been", {"been"}, re.compile(r"\b(?:has|have|'s|’s)\s+(?:long\s+|also\s+|already\s+)?been\b")),
    ("present_perfect", {"has", "have"}, re.compile(
        r"\b(?:has|have)\s+(?:(?:not|never|already|long|also|just|recently)\s+)*[a-z]+(?:ed|en|wn|ne|un|ght|lt|pt)\b")),
    ("will", {"will", "won't", "won’t", "shall", "'ll"}, None),  # "'ll": any token ending in it (_content_features)
    ("going_to", {"going", "set", "due", "scheduled", "planning", "poised"},
     re.compile(r"\b(?:is|are|was|were)\s+(?:going|set|due|scheduled|planning|poised)\s+to\b")),
    ("expected", {"expected", "likely", "unlikely", "forecast", "projected", "predicted", "plan", "plans",
                  "planned"},
     re.compile(r"\b(?:expected|likely|unlikely|forecast|projected|predicted|plans?|planned)\s+to\b")),
    ("modal", {"may", "might", "could", "can", "should", "must"}, None),
    ("would", {"would"}, None),
    ("used_to", {"used"}, re.compile(r"\bused\s+to\b")),
    ("since", {"since"}, None),
    ("ago", {"ago"}, None),
)
_TENSE_GATES = frozenset().union(*(gate for _, gate, _ in _TENSE))
# The tenses a sentence is tested for follow from its gate words: each word's kinds of
# _TENSE as bits, and per combination of bits (made when first met) the cues and
# expressions of those kinds in _TENSE order, so that a sentence does not go through
# every kind.
_TENSE_BITS = {word: sum(1 << i for i, (_, gate, _) in enumerate(_TENSE) if word in gate) for word in _TENSE_GATES}
_TENSE_PLANS: dict = {}


def _tense_plan(bits: int) -> tuple:
    plan = _TENSE_PLANS.get(bits)
    if plan is None:
        plan = _TENSE_PLANS[bits] = tuple(("tense:" + name, rx) for i, (name, _, rx) in enumerate(_TENSE)
                                          if bits >> i & 1)
    return plan


_FURNITURE = re.compile(r"^\s*(?:(?:file\s+)?photo|image|credits?|picture|video|source|read\s+more|also\s+read|"
                        r"related|see\s+also)\s*:|\b(?:reporting\s+by|editing\s+by|writing\s+by|additional\s+"
                        r"reporting|all\s+rights\s+reserved|copyright)\b|©|^\s*reuters/")


def _furniture_possible(low: str) -> bool:
    """A cheap test that every match of _FURNITURE passes (each needs one of these)."""
    return (":" in low or "ing by" in low or "reporting" in low or "rights" in low or "copyright" in low
            or "©" in low or "reuters/" in low)


_QUOTE_MARKS = ("“", "”", '"', "«", "»")


def _has_quote_mark(s: str) -> bool:
    """Whether ``s`` holds one of _QUOTE_MARKS (five substring tests: faster than a regex)."""
    return '"' in s or "“" in s or "”" in s or "«" in s or "»" in s


_OPENING = ("“", '"', "«", "‘", "'")


def tokens(text: str) -> list[str]:
    """Lower-cased word tokens; a token with digits becomes its shape
    (``<year>`` for 19xx/20xx, ``<num>`` otherwise)."""
    return _tokens(text.lower())


def _tokens(low: str) -> list[str]:
    """``tokens`` of a lower-cased text. A token's digits are ASCII (FEATURE_TOKEN):
    a text without any has nothing to shape."""
    if low.isascii() and "'" not in low:
        out = low.translate(_APART).split()
    else:
        out = FEATURE_TOKEN.findall(low)
    if not _has_ascii_digit(low):
        return out
    return [("<year>" if _YEARLIKE.fullmatch(t) else "<num>") if not t.isalpha() and _HAS_DIGIT.search(t) else t
            for t in out]


def _has_ascii_digit(text: str) -> bool:
    return ("0" in text or "1" in text or "2" in text or "3" in text or "4" in text or "5" in text
            or "6" in text or "7" in text or "8" in text or "9" in text)  # ten scans: faster than a regex


def _read(s: str) -> tuple[str, list[str], set[str]]:
    """Sentence ``s`` lower-cased, its tokens and the set of them."""
    low = s.lower()
    words = _tokens(low)
    return low, words, set(words)


def _bin(x: float, edges) -> int:
    """The index of the first of ``edges`` (ascending) above ``x``; len(edges) when none is."""
    return bisect_right(edges, x)


_OVERLAP_EDGES = (0.01, 0.2, 0.4, 0.6)
_LEN_EDGES = (4, 10, 20, 30, 45)
# the names of the binned features, built once: _NAMES["len:"][b] == f"len:{b}"
_NAMES = {kind: tuple(f"{kind}{b}" for b in range(n)) for kind, n in
          (("pos:rel", 10), ("par:", 9), ("sent:", 11), ("inpar:", 3), ("len:", len(_LEN_EDGES) + 1),
           ("ov1:", len(_OVERLAP_EDGES) + 1), ("ovt:", len(_OVERLAP_EDGES) + 1))}


def _overlap(content: set[str], ref: set[str]) -> float:
    return len(content & ref) / len(content) if content else 0.0


def _time_features(feats: dict, text: str, event_date, article_date, resolve) -> None:
    if resolve is None:
        return
    for t in resolve(text, event_date, article_date):
        if t.relation == "before":
            d = t.days
            if d is None:
                feats["time:before"] = 1.0
            elif d <= 7:
                feats["time:before_week"] = 1.0
            elif d <= 31:
                feats["time:before_month"] = 1.0
            elif d <= 366:
                feats["time:before_year"] = 1.0
            else:
                feats["time:before_long"] = 1.0
            if t.kind == "since":
                feats["time:since"] = 1.0
        elif t.relation == "during":
            feats["time:during"] = 1.0
        elif t.relation == "after":
            feats["time:after"] = 1.0
        elif t.relation == "containing":
            feats["time:containing"] = 1.0
        if t.kind == "year":
            feats["time:year"] = 1.0


def article_features(paragraphs: list[list[str]], title: str | None = None, event_date=None,
                     article_date=None, *, resolve=None, neighbours: bool = True,
                     pairs: bool = True, interactions: bool = True) -> list[dict]:
    """One feature dict per sentence of ``paragraphs`` (lists of sentence strings).

    ``resolve(text, event_date, article_date)`` places temporal expressions
    (analysis.measures.context.resolve_temporal; None leaves the time features out).
    """
    return list(iter_article_features(paragraphs, title, event_date, article_date, resolve=resolve,
                                      neighbours=neighbours, pairs=pairs, interactions=interactions))


def iter_article_features(paragraphs: list[list[str]], title: str | None = None, event_date=None,
                          article_date=None, *, resolve=None, neighbours: bool = True,
                          pairs: bool = True, interactions: bool = True, weighed=None):
    """``article_features`` one sentence at a time: only the tokens of the sentences
    either side are held, so memory does not grow with the article.

    ``weighed`` (to score with a model: speed.Vocabulary) leaves out the word and
    word-pair features, and the page-furniture feature, when the model does not
    weigh them: they would add nothing to its scores."""
    flat = [(p, k, s) for p, sents in enumerate(paragraphs) for k, s in enumerate(sents)]
    n = len(flat)
    if not n:
        return
    head = set(tokens(title)) - _STOP if title else None
    prev, this = None, _read(flat[0][2])
    first = this[2] - _STOP
    for g, (p, k, s) in enumerate(flat):
        after = _read(flat[g + 1][2]) if g + 1 < n else None
        following = after[1] if after is not None else None
        low, words, present = this
        f = position_features(g, n, p, k)
        cues = _content_features(f, s, words, event_date, article_date, resolve, pairs, weighed,
                                 low=low, present=present)
        if neighbours:
            if prev is not None:
                for w in prev:
                    f["pw:" + w] = 1.0
            else:
                f["pw:<start>"] = 1.0
            if following is not None:
                for w in following:
                    f["nw:" + w] = 1.0
            else:
                f["nw:<end>"] = 1.0
        content = present - _STOP
        if g > 0:
            f[_NAMES["ov1:"][_bin(_overlap(content, first), _OVERLAP_EDGES)]] = 1.0
        if head is not None:
            f[_NAMES["ovt:"][_bin(_overlap(content, head), _OVERLAP_EDGES)]] = 1.0
        if interactions:
            _interactions(f, g, cues)
        yield f
        prev, this = words, after


def position_features(g: int, n: int, p: int, k: int) -> dict:
    """Position of sentence ``g`` of ``n`` in the article, in paragraph ``p``, ``k``-th in it."""
    rel = g / (n - 1) if n > 1 else 0.0
    return {_NAMES["pos:rel"][min(9, int(rel * 10))]: 1.0, "rel": rel, _NAMES["par:"][min(p, 8)]: 1.0,
            _NAMES["sent:"][min(g, 10)]: 1.0, _NAMES["inpar:"][min(k, 2)]: 1.0}


def _content_features(f: dict, s: str, words: list[str], event_date, article_date, resolve, pairs: bool,
                      weighed=None, *, low: str | None = None, present: set | None = None) -> list:
    """Add the content features of sentence ``s`` to ``f``; return the names of its
    cues (tense, time, quotation: the features _interactions crosses with the zone).
    ``weighed`` as in ``iter_article_features``; ``low`` and ``present`` are
    ``s.lower()`` and ``set(words)`` when the caller has them."""
    f[_NAMES["len:"][_bin(len(words), _LEN_EDGES)]] = 1.0
    if weighed is not None:
        weighed.add_words(f, words, pairs)
    else:
        f.update(dict.fromkeys(map("w:".__add__, words), 1.0))
        if pairs and len(words) > 1:
            f.update(dict.fromkeys(map(_PAIR, words, words[1:]), 1.0))
    if low is None:
        low = s.lower()
    if present is None:
        present = set(words)
    cues = []
    hits = present & _TENSE_GATES
    if ("'ll" in low or "’ll" in low) and any(w.endswith(("'ll", "’ll")) for w in words):
        hits.add("'ll")
    if hits:
        bits = 0
        for word in hits:
            bits |= _TENSE_BITS[word]
        for cue, rx in _tense_plan(bits):
            if rx is None or rx.search(low):
                cues.append(cue)
    if resolve is not None:
        times: dict = {}
        _time_features(times, s, event_date, article_date, resolve)
        cues += times
    if _has_quote_mark(s):
        cues.append("quote:has")
        if s.lstrip()[:1] in _OPENING:
            cues.append("quote:opens")
    for cue in cues:
        f[cue] = 1.0
    if (weighed is None or "furniture" in weighed) and _furniture_possible(low) and _FURNITURE.search(low):
        f["furniture"] = 1.0
    return cues


_PAIR = "b:{}_{}".format


SAY_WORDS = ("w:said", "w:says", "w:told", "w:according")


def _interactions(f: dict, g: int, cues: list) -> None:
    """The same cue means something else in the lede than further down: each
    of ``cues`` (tense, time and quotation features) and each said/says/told/
    according word is crossed with the zone (lede, sentences 2-4, later)."""
    zone = ("lede|" if g == 0 else ("early|" if g < 4 else "later|")).__add__
    for cue in cues:
        f[zone(cue)] = 1.0
    for w in SAY_WORDS:
        if w in f:
            f[zone(w)] = 1.0


# Hypothetical places of a sentence whose place in an article is unknown (a paragraph
# classified on its own): sentence g of a 20-sentence article, one per paragraph.
UNPLACED_ARTICLE = 20
UNPLACED_AT = (1, 3, 5, 7, 9, 11, 13, 15, 17, 19)


def unplaced_features(sentences: list[str], event_date=None, article_date=None, *, resolve=None,
                      pairs: bool = True, interactions: bool = True, weighed=None) -> list[list[dict]]:
    """For sentences whose place in an article is unknown: per sentence, one
    feature dict per hypothetical place (UNPLACED_AT, after the lede). The
    caller averages the probabilities over them, so that the position prior
    is marginalised instead of every lone paragraph being read as a lede.
    ``weighed`` as in ``iter_article_features``."""
    out = []
    for s in sentences:
        base: dict = {}
        cues = _content_features(base, s, tokens(s), event_date, article_date, resolve, pairs, weighed)
        rows = []
        for g in UNPLACED_AT:
            f = position_features(g, UNPLACED_ARTICLE, g, 0)
            f.update(base)
            if interactions:
                _interactions(f, g, cues)
            rows.append(f)
        out.append(rows)
    return out
