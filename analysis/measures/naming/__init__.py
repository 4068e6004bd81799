"""Naming and labels: the noun phrase with which each outlet names each actor.

    find_labels(body, sentences, mentions)  -> per sentence, [Label(actor, text, start, end, normalised, loaded, ...)]
    normalise(text)                         -> the form labels are counted and compared by
    label_table(corpus or annotations)      -> tidy table: actor, label, outlet, count, loaded, ..., only_outlet

Method (transparent rules, no parser; docs/naming.md has the details and the limits).
Every actor mention of the pipeline (analysis.pipeline.actors.find_mentions) except
pronouns gets a *label*: the noun phrase around it, read word by word on the text
layer's words (analysis.pipeline.text.word_spans) within the mention's sentence.

Left.  From the mention leftwards, over words separated by spaces only (any other
       character, punctuation or a quotation mark, ends the phrase; a full stop after
       a title such as "Mr" does not). A determiner ("the", "a", "any"...) or a
       possessive determiner ("his") is taken and ends the phrase; a possessive noun
       ("country's") is taken; a capitalised word ("Prime", "Minister", "White") is
       taken; "of" is taken between capitalised words ("Secretary of State"); a
       preposition, conjunction, pronoun, auxiliary, clause adverb, time word, number,
       speech verb, -ly adverb or another actor's mention ends it. Other lowercase words
       ("embattled", "top", "war cabinet") are taken only when what ended the phrase
       shows they modify the name: a determiner, the sentence start, punctuation or a
       preposition other than "to"; and an -ing or -ed word only after a determiner.
       Otherwise only the capitalised words next to the name are kept ("praised
       Israel's" -> "Israel's" is not taken: "praised" could be a verb).
Right. A singular demonym is a modifier: the phrase goes right to its head noun, over
       at most five words that are not closed-class words, speech verbs, numbers or
       mentions ("the Iranian regime", "Israeli Defense Forces", "a top Iranian
       general"); after the first word an -ing, -ed or -ly word ends it ("Iranian drones
       launched"); a possessive word is taken without its "'s" and ends it ("the U.S.
       military's" -> "U.S. military"). Words joined to the mention by a hyphen belong
       to it ("Iranian-backed", "pro-Israel") unless they are another mention
       ("Biden-Netanyahu"). Names are not extended right ("U.S. officials" -> "U.S."),
       nor are plural demonyms ("Israelis") or possessives ("Iran's" -> "Iran").
Apposition. A name, alias or title followed by ", " and a phrase that opens with a
       determiner or possessive and is closed by punctuation gets a second label:
       "Netanyahu, the embattled prime minister," -> "the embattled prime minister".
       Not when that phrase is itself a mention of the same actor (it has its own label).

Normalised form: lower case, curly apostrophes straight, spaces collapsed, leading
determiners (the [determiners] of phrase_words.txt) dropped; possessive determiners
kept. "U.S." and "US" stay distinct (a spelling choice is part of a style).

Loaded labels: a label is loaded when a term of the lexicon (loaded.csv: term,
category, source; provenance in loaded.README.md) occurs in it as whole words
("so-called", "regime", "hardline", "embattled"...). Each label records the terms.

Limits: no parser, so coordination cuts phrases ("the Israeli and U.S. militaries"
-> "the Israeli"), verbs that look like modifiers can be taken after punctuation
(", sparking Iranian ..." is guarded by the -ing rule, a bare verb is not), a
headline in title case joins its words ("Warns Netanyahu"), and only phrases that
contain a mention are seen: "the embattled prime minister" on its own is no mention
unless the actors file lists it.
"""
from __future__ import annotations

import csv
import io
import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from analysis.datafiles import read_data, read_sections
from analysis.pipeline.actors import build_matcher, find_mentions
from analysis.pipeline.text import SPEECH_VERBS, word_spans, word_spans_of

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Label", "Lexicon", "PhraseWords", "load_lexicon", "load_phrase_words", "find_labels",
           "normalise", "label_table", "TABLE_COLUMNS", "CATEGORIES"]

_PACKAGE = "analysis.measures.naming"
LEXICON_FILE = "loaded.csv"
PHRASE_WORDS_FILE = "phrase_words.txt"
CATEGORIES = ("pejorative", "delegitimising", "evaluative", "contested", "ameliorative")
PHRASE_SECTIONS = ("determiners", "possessives", "prepositions", "conjunctions", "stop", "abbreviations")
MAX_LEFT = 6  # words taken left of a mention
MAX_RIGHT = 5  # words taken right of a demonym to its head
MAX_APPOSITION = 8  # words of an appositive phrase
TABLE_COLUMNS = ("actor", "label", "outlet", "count", "quoted", "loaded", "terms", "categories", "only_outlet", "outlets",
                 "text", "evidence")

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'"})
_POSSESSIVE = re.compile(r"['\u2019]s?$")  # "Israel's", "Israel’s", "Reuters'"
_SPACE = re.compile(r"\s+")
_DIGIT = re.compile(r"\d")
_CLOSING = re.compile(r"\s*(?:[,.;:)\u2014\u2013!?\u201d\"]|$)")  # what may close an appositive


@dataclass(frozen=True, slots=True)
class Label:
    """How a mention names its actor: ``text`` is ``body[start:end]`` (offsets into the body),
    ``loaded`` the lexicon terms found in it and ``categories`` theirs; ``form`` is
    ``mention`` (the phrase around the mention) or ``apposition``; ``kind`` and ``voice`` the
    mention's (``quoted``: inside a quotation or reported speech); ``mention`` its own span."""

    actor: str
    text: str
    start: int
    end: int
    normalised: str
    loaded: tuple[str, ...]
    categories: tuple[str, ...]
    form: str
    kind: str
    voice: str
    sentence: int
    mention: tuple[int, int]


@dataclass(frozen=True, eq=False)
class PhraseWords:
    """The closed-class words of the label rule (phrase_words.txt), lower case."""

    determiners: frozenset
    possessives: frozenset
    prepositions: frozenset
    conjunctions: frozenset
    stop: frozenset
    abbreviations: frozenset

    def __post_init__(self):
        # speed only: the words of ``ends_phrase`` in one set
        object.__setattr__(self, "_closed", self.prepositions | self.conjunctions | self.stop | SPEECH_VERBS.verbs)

    def ends_phrase(self, word: str) -> bool:
        """Is the (lower-case) word one that no name's phrase goes across (a preposition, conjunction,
        stop word or speech verb, or a word with a digit)?"""
        return word in self._closed or (not word.isalpha() and _DIGIT.search(word) is not None)


@dataclass(frozen=True, eq=False)
class Lexicon:
    """Loaded terms: word tuple -> (category, source); ``longest`` the most words of a term."""

    terms: dict
    longest: int

    def find(self, words: list[str]) -> list[tuple[str, str]]:
        """(term, category) of every term occurring in ``words`` (lower case), in text order, each once."""
        found, seen = [], set()
        for i in range(len(words)):
            for n in range(min(self.longest, len(words) - i), 0, -1):
                key = tuple(words[i:i + n])
                if key in self.terms and key not in seen:
                    seen.add(key)
                    found.append((" ".join(key), self.terms[key][0]))
                    break
        return found


def load_phrase_words(path=None) -> PhraseWords:
    """Read the label rule's word list (the bundled phrase_words.txt, or ``path`` in its format)."""
    text, where = read_data(_PACKAGE, PHRASE_WORDS_FILE, path)
    sections = read_sections(text, where, PHRASE_SECTIONS)
    return PhraseWords(**{k: frozenset(w.lower() for w in v) for k, v in sections.items()})


def load_lexicon(path=None) -> Lexicon:
    """Read the loaded-terms lexicon (the bundled loaded.csv, or ``path``: columns term, category, source).
    A row with an unknown category or an empty term is a ValueError naming the file and line."""
    text, where = read_data(_PACKAGE, LEXICON_FILE, path)
    terms = {}
    for lineno, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        term = (row.get("term") or "").strip().lower()
        category = (row.get("category") or "").strip()
        if not term:
            raise ValueError(f"{where}:{lineno}: empty term")
        if category not in CATEGORIES:
            raise ValueError(f"{where}:{lineno}: unknown category {category!r} (expected one of "
                             f"{', '.join(CATEGORIES)})")
        terms[tuple(_words_of(term))] = (category, (row.get("source") or "").strip())
    return Lexicon(terms, max((len(k) for k in terms), default=1))


_phrase_words: PhraseWords | None = None
_lexicon: Lexicon | None = None


def _defaults() -> tuple[PhraseWords, Lexicon]:
    """The bundled word lists, read once."""
    global _phrase_words, _lexicon
    if _phrase_words is None:
        _phrase_words, _lexicon = load_phrase_words(), load_lexicon()
    return _phrase_words, _lexicon


def _words_of(text: str) -> list[str]:
    """Lower-case words of a label for lexicon matching: hyphens and apostrophes kept inside words."""
    return [w for w in re.split(r"[^\w'\-]+", text.lower().translate(_APOSTROPHES)) if w]


def normalise(text: str, phrase_words: PhraseWords | None = None) -> str:
    """Lower case, straight apostrophes, one space between words, leading determiners dropped."""
    determiners = (phrase_words or _defaults()[0]).determiners
    words = _SPACE.sub(" ", text.translate(_APOSTROPHES)).strip().lower().split(" ")
    while len(words) > 1 and words[0] in determiners:
        words = words[1:]
    return " ".join(words)


# --- the phrase around one mention -----------------------------------------------------

class _Sentence:
    """One sentence's words and which mention covers each. Offsets here (``spans``, ``mentions``,
    and those the functions below take and return) are relative to the sentence's ``start``:
    the words' spans are used as the text layer gives them (speed only). The words do not
    overlap, so ``bisect_left(spans, (x,))`` counts the words starting before ``x``."""

    def __init__(self, body: str, start: int, end: int, mentions, tokens=None):
        self.body, self.start = body, start
        self.text = text = body[start:end]
        self.spans = word_spans(text) if tokens is None else word_spans_of(text, tokens)
        # the mentions that end a phrase, in text order (they do not overlap); pronouns do not:
        # "his" is a possessive determiner here
        self.mentions = [(m.start - start, m.end - start) for m in mentions if m.kind != "pronoun"]
        self.mention_ends = [e for _, e in self.mentions]
        self._all = mentions
        self._by_span = None

    def word(self, i: int) -> str:
        a, b = self.spans[i]
        return self.text[a:b]

    def before(self, i: int) -> str:
        """The three characters of the body before offset ``i`` (they may lie before the sentence)."""
        return self.body[self.start + i - 3:self.start + i]

    def mention_at(self, span: tuple[int, int]):
        """The mention whose (start, end) is ``span``."""
        if self._by_span is None:  # made when first asked (speed only: few sentences need it)
            self._by_span = {(m.start - self.start, m.end - self.start): m for m in self._all}
        return self._by_span[span]

    def overlapping(self, a: int, b: int):
        """The mentions (start, end) overlapping [a, b), in text order (a binary search, not a scan)."""
        k = bisect_right(self.mention_ends, a)
        while k < len(self.mentions) and self.mentions[k][0] < b:
            yield self.mentions[k]
            k += 1

    def in_mention(self, a: int, b: int, own: tuple[int, int]) -> bool:
        """Does [a, b) overlap a mention other than ``own``?"""
        k = bisect_right(self.mention_ends, a)  # (``overlapping``, written out: speed)
        while k < len(self.mentions) and self.mentions[k][0] < b:
            if self.mentions[k] != own:
                return True
            k += 1
        return False

    def joined(self, left_end: int, right_start: int, words: PhraseWords, left_word: str) -> bool:
        """Are two neighbouring words joined by spaces only (or by a title's full stop)?"""
        gap = self.text[left_end:right_start]
        if not gap or gap.isspace():
            return True
        return gap[0] == "." and gap[1:].isspace() and left_word.lower() in words.abbreviations


def _is_lower(word: str) -> bool:
    return word[:1].islower()


def _folded(word: str) -> str:
    """Lower case, curly apostrophes straight (the translation only when there is one: speed)."""
    lower = word.lower()
    return lower.translate(_APOSTROPHES) if "\u2019" in lower or "\u2018" in lower else lower


def _left(sent: _Sentence, start: int, own, words: PhraseWords) -> int:
    """Where the label starts: the mention's ``start`` extended left by the rule of the module docstring."""
    i = bisect_left(sent.spans, (start,)) - 1  # the last word starting before the mention
    if i >= 0 and sent.spans[i][1] > start:  # the mention starts inside a word: "pro-Israel", "Biden-Netanyahu"
        a = sent.spans[i][0]
        if sent.text[start - 1] != "-" or sent.in_mention(a, start - 1, own):
            return start
        start, i = a, i - 1
    taken: list[int] = []  # word indices, right to left
    ended = "start"  # what ended the phrase
    edge = start
    while i >= 0 and len(taken) < MAX_LEFT:
        a, b = sent.spans[i]
        word = sent.text[a:b]
        lower = _folded(word)
        if not sent.joined(b, edge, words, word):
            ended = "punctuation"
            break
        if sent.in_mention(a, b, own):
            ended = "mention"
            break
        if lower in words.determiners or lower in words.possessives:
            taken.append(i)
            ended = "determiner"
            break
        if lower == "of" and taken and not _is_lower(sent.word(taken[-1])) and i > 0 \
                and not _is_lower(sent.word(i - 1)) and sent.joined(sent.spans[i - 1][1], a, words, ""):
            taken.append(i)  # "Secretary of State"
        elif words.ends_phrase(lower) or (lower.endswith("ly") and _is_lower(word)):
            ended = "to" if lower == "to" else ("preposition" if lower in words.prepositions else "stop")
            break
        else:
            taken.append(i)
        edge = a
        i -= 1
    if not taken:
        return start
    if ended in ("determiner", "start", "punctuation", "preposition"):
        # lowercase modifiers stand; an -ing/-ed word only after a determiner
        keep = len(taken)
        if ended != "determiner":
            for k, j in enumerate(taken):
                w = sent.word(j).lower()
                if _is_lower(sent.word(j)) and (w.endswith("ing") or w.endswith("ed")):
                    keep = k
                    break
    else:
        keep = 0
        while keep < len(taken) and not _is_lower(sent.word(taken[keep])):
            keep += 1  # only the capitalised words next to the name
    if keep == 0:
        return start
    return sent.spans[taken[keep - 1]][0]


def _right(sent: _Sentence, end: int, own, words: PhraseWords, head: bool) -> int:
    """Where the label ends: a hyphened suffix, and for a modifier (``head``) the way to its head noun."""
    i = bisect_left(sent.spans, (end,))
    if i > 0 and sent.spans[i - 1][1] > end:  # the mention ends inside a word
        a, b = sent.spans[i - 1]
        if sent.text[end] == "-" and not sent.in_mention(end + 1, b, own):
            suffix = sent.text[end:b]
            m = _POSSESSIVE.search(suffix)
            end = b - (len(m.group()) if m else 0)
            if m:
                return end
        else:
            return end  # "Iran's" (possessive) or "Biden-Netanyahu"
    if not head:
        return end
    taken = 0
    edge = end
    while i < len(sent.spans) and taken < MAX_RIGHT:
        a, b = sent.spans[i]
        word = sent.word(i)
        lower = _folded(word)
        if not sent.joined(edge, a, words, sent.before(edge)) or sent.in_mention(a, b, own):
            break
        if lower in words.determiners or lower in words.possessives or words.ends_phrase(lower):
            break
        if taken and _is_lower(word) and (lower.endswith("ing") or lower.endswith("ed") or lower.endswith("ly")):
            break
        m = _POSSESSIVE.search(word)
        if m and len(word) > len(m.group()):
            return b - len(m.group())  # "the U.S. military's" -> "U.S. military"
        edge = b
        taken += 1
        i += 1
    return edge


def _apposition(sent: _Sentence, end: int, own, words: PhraseWords) -> tuple[int, int] | None:
    """The span of an appositive phrase after ``end`` (", the embattled prime minister,"), or None."""
    text = sent.text
    comma = end
    while comma < len(text) and text[comma] == " ":
        comma += 1
    if comma >= len(text) or text[comma] != ",":
        return None
    i = bisect_left(sent.spans, (comma,))
    if i >= len(sent.spans) or not text[comma + 1:sent.spans[i][0]].isspace():
        return None
    first = _folded(sent.word(i))
    if not (first in words.determiners or first in words.possessives or _POSSESSIVE.search(first)):
        return None
    a0 = sent.spans[i][0]
    edge, n, content = a0, 0, 0
    while i < len(sent.spans) and n < MAX_APPOSITION:
        a, b = sent.spans[i]
        word = sent.word(i)
        lower = _folded(word)
        if n and not sent.joined(edge, a, words, sent.before(edge)):
            break
        if sent.in_mention(a, b, own) and not _POSSESSIVE.search(word):
            break  # another mention, unless a possessive ("Israel's prime minister")
        if n and (lower in words.determiners or words.ends_phrase(lower)):
            break
        if not (lower in words.determiners or lower in words.possessives):
            content += 1
        edge = b
        n += 1
        i += 1
    if not content or not _CLOSING.match(text, edge):
        return None
    return a0, edge


def find_labels(body: str, sentences, mentions, phrase_words: PhraseWords | None = None,
                lexicon: Lexicon | None = None, tokens=None) -> list[list[Label]]:
    """Per sentence (``sentences``: spans with start and end, in order), the labels of its
    mentions (``mentions``: analysis.pipeline.actors.Mention, offsets into ``body``), in text
    order; pronouns get none. Linear in the sentence length times a bounded window.
    ``tokens``: each sentence's ``words`` when already made (speed only: the same labels)."""
    default_words, default_lexicon = _defaults()
    words, lexicon = phrase_words or default_words, lexicon or default_lexicon
    by_sentence = defaultdict(list)
    for m in mentions:
        by_sentence[m.sentence].append(m)
    out = []
    for index, s in enumerate(sentences):
        ms = by_sentence.get(index)
        labels: list[Label] = []
        if ms:
            sent = _Sentence(body, s.start, s.end, ms, None if tokens is None else tokens[index])
            o = s.start  # the phrase rules take and give offsets relative to the sentence
            for m in ms:
                kind = m.kind
                if kind == "pronoun":
                    continue
                own = (m.start - o, m.end - o)
                start = m.start if _starts_with_determiner(m.text, words) else _left(sent, own[0], own, words) + o
                end = _right(sent, own[1], own, words, head=kind == "demonym" and not _plural(m.text)) + o
                labels.append(_label(body, m, start, end, "mention", index, words, lexicon))
                if kind in ("name", "alias", "title"):
                    span = _apposition(sent, end - o, own, words)
                    if span and not any(sent.mention_at(x).actor == m.actor for x in sent.overlapping(*span)):
                        labels.append(_label(body, m, span[0] + o, span[1] + o, "apposition", index, words,
                                             lexicon))
        out.append(labels)
    return out


def _plural(text: str) -> bool:
    """Does a mention's text read as a plural ("Israelis", not "Congress")?"""
    text = text.lower()
    return text.endswith("s") and not text.endswith("ss")


@lru_cache(maxsize=65_536)  # speed only: mention texts repeat ("Iran", "the Israeli military")
def _starts_with_determiner(text: str, words: PhraseWords) -> bool:
    first = text.split(None, 1)[0].lower()
    return first in words.determiners or first in words.possessives


def _label(body, m, start, end, form, sentence, words, lexicon) -> Label:
    text = body[start:end]
    normalised, terms, categories = _described(text, words, lexicon)
    return Label(m.actor, text, start, end, normalised, terms, categories, form, m.kind, m.voice, sentence,
                 (m.start, m.end))


def _describe(text: str, words: PhraseWords, lexicon: Lexicon) -> tuple[str, tuple, tuple]:
    """A label's normalised form, and the lexicon terms in it with their categories."""
    found = lexicon.find(_words_of(text))
    return normalise(text, words), tuple(t for t, _ in found), tuple(c for _, c in found)


# --- speed only: the same label text is described once ---------------------------------------

@lru_cache(maxsize=65_536)
def _described(text: str, words: PhraseWords, lexicon: Lexicon) -> tuple[str, tuple, tuple]:
    """``_describe``, memoised: labels repeat ("Iran", "the Iranian attack") across articles."""
    return _describe(text, words, lexicon)


# --- the table ------------------------------------------------------------------------------

def label_table(source, actor: str | None = None) -> pd.DataFrame:
    """Every label of every actor per outlet (``TABLE_COLUMNS``): ``count`` occurrences (``quoted``
    of them in a quotation or reported speech: a source's words, not the outlet's), ``loaded``
    and the ``terms``/``categories`` that made it so, ``only_outlet`` when one outlet alone uses
    the label for that actor, ``outlets`` how many do, ``text`` the first exact wording and
    ``evidence`` every occurrence as article:start-end (offsets into the body).

    ``source`` is a Corpus (its mentions are found here, as the annotator finds them) or an
    iterable of ``ArticleAnnotation`` that include the ``naming`` measure. ``actor`` keeps one actor.
    Rows by actor (the actors file's order), then the label's total count (most first),
    label, outlet (first seen first)."""
    import pandas as pd  # imported on first use (start-up time of the commands that never need it)
    rows: dict[tuple, dict] = {}
    outlet_order: dict[str, int] = {}
    for art, labelled in _labelled_articles(source):
        outlet_order.setdefault(art.outlet, len(outlet_order))
        for labels in labelled:
            for lab in labels:
                if actor is not None and lab.actor != actor:
                    continue
                key = (lab.actor, lab.normalised, art.outlet)
                row = rows.get(key)
                if row is None:
                    row = rows[key] = {"actor": lab.actor, "label": lab.normalised, "outlet": art.outlet, "count": 0,
                                       "quoted": 0,
                                       "terms": lab.loaded, "categories": lab.categories,
                                       "text": lab.text, "evidence": []}
                row["count"] += 1
                row["quoted"] += lab.voice == "quoted"
                row["evidence"].append(f"{art.id}:{lab.start}-{lab.end}")
    outlets_of: dict[tuple, int] = defaultdict(int)
    totals: dict[tuple, int] = defaultdict(int)
    for (a, label, _), row in rows.items():
        outlets_of[(a, label)] += 1
        totals[(a, label)] += row["count"]
    records = []
    for (a, label, outlet), row in rows.items():
        records.append({**row, "loaded": bool(row["terms"]), "terms": "; ".join(row["terms"]),
                        "categories": "; ".join(row["categories"]), "outlets": outlets_of[(a, label)],
                        "only_outlet": outlets_of[(a, label)] == 1, "evidence": "; ".join(row["evidence"])})
    order = {a.name: i for i, a in enumerate(getattr(source, "actors", None) or ())}
    records.sort(key=lambda r: (order.get(r["actor"], len(order)), r["actor"], -totals[(r["actor"], r["label"])],
                                r["label"], outlet_order[r["outlet"]]))
    table = pd.DataFrame(records, columns=list(TABLE_COLUMNS))
    return table.astype({"count": int, "quoted": int, "outlets": int, "loaded": bool, "only_outlet": bool})


def _labelled_articles(source):
    """(article, labels per sentence) of a Corpus (its mentions found here) or of ArticleAnnotations."""
    actors = getattr(source, "actors", None)
    if actors is None:
        for ann in source:
            yield ann.article, ann["naming"]
        return
    matcher = build_matcher(actors)
    for art in source.articles:
        yield art, find_labels(art.body, art.sentences, find_mentions(art, actors, matcher=matcher))
