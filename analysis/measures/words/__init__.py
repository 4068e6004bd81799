"""Distinctive words: the words and two-word phrases each outlet uses more than the others.

**Counting.** Each sentence's words by the text layer's rule
(``analysis.pipeline.text.words``: "Iran's", "follow-up", "1,200" and "U.S." are one
word each), each made a *term* by ``term``: curly apostrophes straightened, a final
possessive "'s" removed ("Iran's" and "Iran" are the term "iran"), lower-cased, except
that a word in capitals is an acronym and keeps them, without dots ("US" and "U.S."
are the term "US", not the pronoun "us"). Hyphenated words and numbers stay one term
("follow-up", "1,200").
Unigrams are the terms that are not stop-words (``stopwords.txt``: English
function words written for this project; modals, negation, quantities and
reporting verbs are kept). Bigrams are two adjacent terms of one sentence with
nothing but spaces or quotation marks between them (never across a sentence
boundary or other punctuation: "Israel, the" is no bigram), dropped only when both
are stop-words ("of the" goes, "the win" stays).

**Scoring.** The weighted log-odds ratio with an informative Dirichlet prior of
Monroe, Colaresi & Quinn (2008), "Fightin' Words: Lexical Feature Selection and
Evaluation for Identifying the Content of Political Conflict", *Political Analysis*
16(4): 372-403, section 3.5, for each outlet i against all other outlets together
(-i)::

    a_w     = a0 * y_w / N                         the prior: the term's share of the corpus
    delta_w = log((y_iw + a_w) / (n_i + a0 - y_iw - a_w))
            - log((y_-iw + a_w) / (n_-i + a0 - y_-iw - a_w))
    var_w  ~= 1 / (y_iw + a_w) + 1 / (y_-iw + a_w)
    z_w     = delta_w / sqrt(var_w)

y_iw, y_-iw: the term's count in outlet i and in the others; n_i, n_-i: the
counts of all their terms (unigrams or bigrams, after the stop-word rule); y_w, N:
the same for the whole corpus. ``a0`` is 500 pseudo-counts (``ALPHA0``): a prior that
smooths rare terms on a small corpus and fades on a large one, where z then reads as
a z-score (when outlets differ by chance only, z has a standard deviation near 1 and
about 5% of terms pass +-1.96). a0 = N (a_w = y_w, the prior as strong as the data)
shrinks z to a third of that on 3,000 articles (docs/words.md). Only terms used at least
``min_count`` times in the corpus are scored; the totals n count every term.
Ties are ordered by term (code-point order: capitals first).

**Keyword in context.** ``kwic`` lists every use of a word or phrase, matched on
the same terms as the counts but whatever their case (so an outlet's ``count_outlet``
is its number of ``kwic`` lines, unless the word is also written as an acronym),
with offsets into the article body.

**Limits.** z is a statistic of word counts treated as independent draws: a word an
article repeats counts as many draws, so where few articles carry a word z can
overstate how sure a difference is. Five articles are five texts, not the vocabularies of five outlets.
Terms are word forms: "strike" and "strikes" are two terms.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

from analysis.pipeline.text import word_spans, words

__all__ = ["STOP_WORDS", "load_stop_words", "term", "NgramCounts", "count_ngrams", "kept", "log_odds",
           "sentence_terms", "outlet_counts", "distinctive_words", "kwic", "COLUMNS", "KWIC_COLUMNS", "ALPHA0", "MIN_COUNT"]

COLUMNS = ["outlet", "term", "ngram", "count_outlet", "count_rest", "log_odds", "z"]
KWIC_COLUMNS = ["outlet", "article", "sentence", "left", "match", "right", "start", "end"]
MIN_COUNT = 3  # a term is scored when the whole corpus uses it at least this often
ALPHA0 = 500.0  # the Dirichlet prior's total pseudo-count (docs/words.md: why 500)
TOP = 20
WINDOW = 5  # words of context either side of a kwic match
STOP_WORDS_FILE = "stopwords.txt"


# --- stop-words -------------------------------------------------------------------

def load_stop_words(path=None) -> frozenset[str]:
    """The stop-words: the bundled ``stopwords.txt`` or the file at ``path`` (one word a
    line, ``#`` comments), each made a term by ``term``."""
    if path is None:
        text = resources.files(__name__).joinpath(STOP_WORDS_FILE).read_text("utf-8")
    else:
        text = Path(path).read_text("utf-8")
    out = set()
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            out.add(term(line))
    return frozenset(out)


# --- counting -----------------------------------------------------------------------

APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u2010": "-", "\u2011": "-"})
POSSESSIVE = re.compile(r"(?<=.)'[sS]$")


def term(word: str) -> str:
    """The counted form of a text-layer word: straight apostrophes and hyphens, no final
    possessive "'s", lower case ("Iran’s" -> "iran", "Follow-up" -> "follow-up") except for a
    word written in capitals, two letters or more, which is an acronym and keeps them, read
    without its dots ("US" and "U.S." -> "US", not the pronoun "us"; "IRGC"; but "G7" -> "g7")."""
    word = POSSESSIVE.sub("", word.translate(APOSTROPHES))
    acronym = word.replace(".", "")
    if acronym.isupper() and sum(c.isalpha() for c in acronym) >= 2:
        return acronym
    return word.lower()


@dataclass(slots=True)
class NgramCounts:
    """An article's terms: unigram -> count and bigram ("w1 w2") -> count, stop-words included
    (the stop-word rule is applied when scoring, so another list needs no recount)."""

    unigrams: Counter = field(default_factory=Counter)
    bigrams: Counter = field(default_factory=Counter)

    def of(self, ngram: int) -> Counter:
        return self.unigrams if ngram == 1 else self.bigrams


# what may stand between the two words of a bigram: spaces and quotation marks, no other
# punctuation ("Israel, the" and "win,” Biden" are no phrases; "a “win" is one)
PHRASE_GAP = re.compile(r"[\s\"'“”‘’«»„]*")


def sentence_terms(text: str, offset: int = 0):
    """The words of one sentence: ``(terms, spans, joined)``, ``spans`` offsets into ``text`` plus
    ``offset``, ``joined[k]`` whether words k and k+1 may form a bigram (``PHRASE_GAP``).
    The words are the text layer's (``words``); ``text`` should be NFC, as a cleaned body is."""
    spans = word_spans(text)
    terms = [_term(text[a:b]) for a, b in spans]
    joined = [_joined(text[b:a]) for (_, b), (a, _) in zip(spans, spans[1:])]
    return terms, [(offset + a, offset + b) for a, b in spans], joined


def count_ngrams(sentences) -> NgramCounts:
    """The unigram and bigram counts of an article given as its sentence texts
    (``Document.texts``); a bigram pairs adjacent words of one sentence with only spaces or
    quotation marks between them."""
    counts = NgramCounts()
    for text in sentences:
        ts, _, joined = sentence_terms(_nfc(text))
        counts.unigrams.update(ts)
        counts.bigrams.update(f"{a} {b}" for a, b, j in zip(ts, ts[1:], joined) if j)
    return counts


def kept(t: str, ngram: int, stop_words) -> bool:
    """The stop-word rule: a unigram that is no stop-word; a bigram not made of two stop-words."""
    if ngram == 1:
        return t not in stop_words
    first, second = t.split(" ")
    return not (first in stop_words and second in stop_words)


# --- the log-odds ratio --------------------------------------------------------------

def log_odds(y_i, n_i, y_rest, n_rest, alpha_w, alpha0):
    """``(delta, z)``: Monroe et al. (2008, section 3.5) weighted log-odds ratio of a term in
    group i against the rest, with Dirichlet prior ``alpha_w`` (``alpha0`` = the sum of all
    terms' priors). Works on numbers and on numpy arrays."""
    delta = (np.log((y_i + alpha_w) / (n_i + alpha0 - y_i - alpha_w))
             - np.log((y_rest + alpha_w) / (n_rest + alpha0 - y_rest - alpha_w)))
    variance = 1.0 / (y_i + alpha_w) + 1.0 / (y_rest + alpha_w)
    return delta, delta / np.sqrt(variance)


def outlet_counts(source, ngram: int = 1) -> dict[str, Counter]:
    """outlet -> Counter of its terms (``ngram`` 1 or 2, stop-words included), in the order the
    outlets first appear. ``source``: a Corpus (its sentences are tokenised here), or
    ``ArticleAnnotation`` objects (the ``words`` measure's counts when it annotated them,
    else the Document's words), or ``Document`` objects."""
    out: dict[str, Counter] = {}
    if hasattr(source, "articles"):
        for outlet in source.outlets:
            out[outlet] = Counter()
        for article in source.articles:
            texts = [article.body[s.start:s.end] for s in article.sentences]  # as Annotator.document
            out.setdefault(article.outlet, Counter()).update(count_ngrams(texts).of(ngram))
        return out
    for item in source:
        counts = getattr(item, "results", {}).get("words")
        doc = getattr(item, "doc", item)
        if not isinstance(counts, NgramCounts):
            counts = count_ngrams(doc.texts)
        out.setdefault(doc.article.outlet, Counter()).update(counts.of(ngram))
    return out


def distinctive_words(source, ngram: int = 1, top: int | None = TOP, min_count: int = MIN_COUNT,
                      alpha0: float = ALPHA0, stop_words=None) -> pd.DataFrame:
    """Each outlet's most distinctive terms against all the other outlets, by the weighted
    log-odds ratio with an informative Dirichlet prior (module docstring).

    ``source``: a Corpus, or annotations / Documents of its articles (``outlet_counts``).
    ``ngram``: 1 (words) or 2 (two-word phrases). ``top``: per outlet, the ``top`` terms of
    highest z among those with z > 0 (the terms it uses more than the others); ``None``: every
    scored term with its z, positive or not. ``min_count``: a term is scored when the corpus
    uses it at least this often. ``alpha0``: the prior's total pseudo-count. ``stop_words``:
    default ``STOP_WORDS``.

    Columns ``outlet, term, ngram, count_outlet, count_rest, log_odds, z``; outlets in
    corpus order, then z from high to low, ties by term (code-point order). Empty with fewer than two
    outlets (nothing to compare).
    """
    import pandas as pd  # imported on first use (start-up time of the commands that never need it)
    if ngram not in (1, 2):
        raise ValueError(f"ngram must be 1 or 2, not {ngram!r}")
    if top is not None and top < 1:
        raise ValueError(f"top must be at least 1 (or None for every term), not {top!r}")
    if min_count < 1:
        raise ValueError(f"min_count must be at least 1, not {min_count!r}")
    if not alpha0 > 0:
        raise ValueError(f"alpha0 must be positive, not {alpha0!r}")
    stop_words = STOP_WORDS if stop_words is None else stop_words
    by_outlet = outlet_counts(source, ngram)
    outlets = list(by_outlet)
    vocabulary = sorted({t for c in by_outlet.values() for t in c if kept(t, ngram, stop_words)})
    if len(outlets) < 2 or not vocabulary:
        return _empty()
    y = np.array([[by_outlet[o].get(t, 0) for o in outlets] for t in vocabulary], dtype=float)  # terms x outlets
    n = y.sum(axis=0)                 # n_i: every kept term of outlet i
    y_w, total = y.sum(axis=1), n.sum()  # y_w, N
    a0 = float(alpha0)
    alpha_w = a0 * y_w / total
    scored = y_w >= min_count
    frames = []
    for i, outlet in enumerate(outlets):
        y_i = y[scored, i]
        y_rest = y_w[scored] - y_i
        with np.errstate(divide="ignore", invalid="ignore"):
            delta, z = log_odds(y_i, n[i], y_rest, total - n[i], alpha_w[scored], a0)
        frame = pd.DataFrame({"outlet": outlet, "term": np.array(vocabulary, dtype=object)[scored], "ngram": ngram,
                              "count_outlet": y_i.astype(int), "count_rest": y_rest.astype(int),
                              "log_odds": delta, "z": z})
        frame = frame[np.isfinite(frame["z"])]  # a corpus of one term type compares nothing
        frame = frame.sort_values(["z", "term"], ascending=[False, True], kind="mergesort")
        if top is not None:
            frame = frame[frame["z"] > 0].head(top)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)[COLUMNS]


def _empty() -> pd.DataFrame:
    import pandas as pd  # imported on first use (start-up time of the commands that never need it)
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in zip(
        COLUMNS, [object, object, int, int, int, float, float])})


# --- keyword in context ----------------------------------------------------------------

def kwic(corpus, word: str, window: int = WINDOW) -> pd.DataFrame:
    """Every use of ``word`` (a word or a phrase) in ``corpus``: one row per match, in article
    order, with up to ``window`` words of context either side.

    Matched on the counts' terms (``term``), lower-cased: whole words, whatever their case
    ("Iran" also finds "IRAN" and "Iran's"; "us" finds "us", "US" and "U.S.", which the counts
    keep apart: ``match`` shows what is written); a phrase's words within one sentence, with only spaces or quotation
    marks between them. Columns ``outlet, article, sentence,
    left, match, right, start, end``: ``sentence`` the sentence's index in the article,
    ``match`` the text as written, ``start``/``end`` offsets into the article's body;
    ``left``/``right`` the context with whitespace runs made one space.
    """
    import pandas as pd  # imported on first use (start-up time of the commands that never need it)
    query = [term(w).lower() for w in words(word)]
    if not query:
        raise ValueError(f"kwic: {word!r} holds no word")
    if window < 0:
        raise ValueError(f"window must be 0 or more, not {window!r}")
    k = len(query)
    rows = []
    for article in corpus.articles:
        if not _may_hold(article, query):
            continue
        body = article.body
        terms, spans, joined, sentence_of = [], [], [], []  # every word of the body, in order
        for s in article.sentences:
            ts, sp, jn = sentence_terms(body[s.start:s.end], s.start)
            terms += [t.lower() for t in ts]
            spans += sp
            joined += jn + [False]  # no phrase across the sentence's end
            sentence_of += [s.index] * len(ts)
        for g in range(len(terms) - k + 1):
            if terms[g:g + k] == query and all(joined[g:g + k - 1]):
                start, end = spans[g][0], spans[g + k - 1][1]
                left = body[spans[max(0, g - window)][0]:start]
                right = body[end:spans[min(len(spans), g + k + window) - 1][1]]
                rows.append({"outlet": article.outlet, "article": article.id, "sentence": sentence_of[g],
                             "left": " ".join(left.split()), "match": body[start:end],
                             "right": " ".join(right.split()), "start": start, "end": end})
    return pd.DataFrame(rows, columns=KWIC_COLUMNS).astype({"sentence": int, "start": int, "end": int})


def _nfc(text: str) -> str:
    """NFC, as ``words`` normalises (a no-op on a cleaned body, which is NFC already)."""
    return text if text.isascii() else unicodedata.normalize("NFC", text)


# --- speed only (a reader can skip this) -------------------------------------------------

_term = lru_cache(maxsize=1 << 16)(term)  # word forms repeat: each is made a term once


def _joined(gap: str) -> bool:
    """``PHRASE_GAP`` matches ``gap``, with the common single space decided without the regex."""
    return gap == " " or PHRASE_GAP.fullmatch(gap) is not None


def _may_hold(article, query) -> bool:
    """False when ``article``'s body cannot hold ``query`` (lower-cased terms): each is, without
    dots, a substring of the body lower-cased without dots, with straight apostrophes (so kwic
    skips the article unread)."""
    body = _nfc(article.body).lower().translate(APOSTROPHES).replace(".", "")
    return all(t.replace(".", "") in body for t in query)


STOP_WORDS = load_stop_words()
