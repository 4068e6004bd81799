"""One pass over an article: the text layer once, then every registered measure once.

``Annotator`` prepares each article's ``Document`` (sentence texts and words
from the text layer, actor mentions) and hands it to every measure of the
registry (``analysis.measures.registry``); the metrics table and the
``annotate`` command both read the result, so no text is tokenised, matched or
scored twice.
"""
from __future__ import annotations

import json

from analysis.errors import CorpusError
from analysis.measures.base import Document
from analysis.measures.registry import measures as registered_measures
from analysis.measures.registry import select as select_measures
from analysis.parallel import annotate_many, map_spans
from analysis.pipeline.actors import build_matcher, find_mentions
from analysis.pipeline.corpus import take_articles
from analysis.pipeline.model import Article, Corpus
from analysis.pipeline.text import words
from analysis.progress import Progress

# the fields of an ``annotate`` record named by the contract, in its order; fields of
# other measures follow in registry order
RECORD_ORDER = ("article", "outlet", "paragraph", "sentence", "text", "role", "role_confidence", "role_probs",
                "words", "hedges", "mentions")


class SentenceAnnotation:
    """One sentence: its place (offsets into the article's body) and word count, and the
    measures' evidence for it as attributes (``s.hedges``, ``s.mentions``, ``s.counts``...)."""

    __slots__ = ("index", "paragraph", "start", "end", "words", "fields")

    def __init__(self, index, paragraph, start, end, words, fields):
        self.index, self.paragraph, self.start, self.end, self.words = index, paragraph, start, end, words
        self.fields = fields

    def __getattr__(self, name):
        try:
            return self.fields[name]
        except KeyError:
            raise AttributeError(name) from None

    def _key(self):
        return self.index, self.paragraph, self.start, self.end, self.words, self.fields

    def __eq__(self, other):
        return isinstance(other, SentenceAnnotation) and self._key() == other._key()

    __hash__ = None

    def __repr__(self):
        return f"SentenceAnnotation({self.index}, {self.start}:{self.end}, words={self.words}, {self.fields!r})"


class ArticleAnnotation:
    """Every measure's annotation of one article (``ann["hedging"]``), with the measures'
    article fields as attributes (``ann.roles``) and ``ann.sentences``."""

    __slots__ = ("doc", "measures", "results", "_values")

    def __init__(self, doc: Document, measures, results: dict):
        self.doc, self.measures, self.results = doc, measures, results
        self._values = None

    @property
    def article(self) -> Article:
        return self.doc.article

    @article.setter
    def article(self, value) -> None:
        self.doc.article = value

    def __getitem__(self, measure: str):
        return self.results[measure]

    def values(self) -> dict:
        """Every measure's sentence and article fields (``Measure.values``)."""
        if self._values is None:
            self._values = {}
            for m in self.measures:
                self._values.update(m.values(self.results[m.name], self.doc))
        return self._values

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        for m in self.measures:
            if name in m.article_fields:
                return self.values()[name]
        raise AttributeError(name)

    @property
    def sentences(self) -> list[SentenceAnnotation]:
        values = self.values()
        names = [f for m in self.measures for f in m.sentence_fields]
        return [SentenceAnnotation(s.index, s.paragraph, s.start, s.end, len(tokens),
                                   {f: values[f][i] for f in names})
                for i, (s, tokens) in enumerate(zip(self.doc.sentences, self.doc.tokens))]

    @property
    def paragraph_words(self) -> list[int]:
        out = [0] * len(self.article.paragraphs)
        for s, tokens in zip(self.doc.sentences, self.doc.tokens):
            out[s.paragraph] += len(tokens)
        return out

    def __getstate__(self):
        return self.doc, self.measures, self.results

    def __setstate__(self, state):
        self.doc, self.measures, self.results = state
        self._values = None


class Annotator:
    """Holds everything built once per corpus (the actor matcher, the measures and their lexicons).

    ``annotator(article)`` annotates one article; ``annotator.many(articles)``
    annotates many with the same result. ``_batch`` runs each measure over a
    batch of articles before the next one, which keeps each measure's code and
    tables in the processor's caches (speed only: the result is the same).
    """

    BATCH = 50  # articles per batch in ``many``

    def __init__(self, corpus: Corpus, measures=None):
        self.corpus = corpus
        self.measures = list(measures) if measures is not None else registered_measures()
        for m in self.measures:
            m.setup(corpus)
        self.matcher = build_matcher(corpus.actors)

    def __call__(self, article: Article) -> ArticleAnnotation:
        return self._batch([article])[0]

    def many(self, articles, jobs: int = 1):
        """Yield the annotation of each of ``articles``, in order, on up to ``jobs`` processes
        (the same annotations whatever ``jobs``; see ``analysis.parallel``)."""
        yield from annotate_many(self, articles, jobs, self.BATCH)

    def warm(self) -> None:
        """Load every lazily built model and lexicon now (before worker processes are forked)."""
        for m in self.measures:
            m.warm()

    def document(self, article: Article) -> Document:
        """The text layer's view of a segmented article, and its actor mentions."""
        texts = [article.body[s.start:s.end] for s in article.sentences]
        return Document(article, texts, [words(t) for t in texts],
                        find_mentions(article, self.corpus.actors, matcher=self.matcher))

    def _batch(self, articles: list[Article]) -> list[ArticleAnnotation]:
        docs = [self.document(a) for a in articles]
        results = {m.name: m.annotate(docs) for m in self.measures}
        return [ArticleAnnotation(doc, self.measures, {name: r[i] for name, r in results.items()})
                for i, doc in enumerate(docs)]


def annotate_corpus(corpus: Corpus, annotations=None, *, evidence: bool = True, jobs: int = 1, progress=None,
                    measures=None):
    """Yield one JSON-ready dict per cleaned sentence (the ``annotate`` contract), article by article.

    With ``evidence`` each measure adds what decided its values (e.g. each
    mention's ``"evidence": [{"feature", "words", "weight"}, ...]``, strongest
    first). The records are made span by span on up to ``jobs`` processes and
    yielded as they come, in article order, so a caller can write them as it
    goes; articles of a lazily opened corpus that cannot be read are reported
    together at the end (CorpusError), after the records of the others. ``measures``
    (names; default: every measure) keeps only those measures' fields (and ``structure``'s),
    and only they are run.
    """
    if annotations is not None:
        for ann in annotations:
            yield from records(ann, evidence)
        return
    for recs in _spans_of_records(corpus, evidence, jobs, progress, list, measures):
        yield from recs


def annotate_jsonl(corpus: Corpus, *, evidence: bool = True, jobs: int = 1, progress=None, measures=None):
    """``annotate_corpus``'s records as JSON lines (``json.dumps(record, ensure_ascii=False)``
    and a newline each), yielded a span of articles at a time as one string. The workers write
    the JSON (speed: the main process then only writes text instead of rebuilding every record)."""
    yield from _spans_of_records(corpus, evidence, jobs, progress, _json_lines, measures)


def _json_lines(recs) -> str:
    return "".join([json.dumps(rec, ensure_ascii=False, sort_keys=False) + "\n" for rec in recs])


def _spans_of_records(corpus: Corpus, evidence: bool, jobs: int, progress, make, measures=None):
    """``make(records)`` of each span of articles, in order (made where the span is annotated)."""
    annotator, articles = Annotator(corpus, select_measures(measures)), corpus.articles

    def work(start, stop):
        arts, problems = take_articles(articles, start, stop)
        return make(rec for ann in annotator._batch(arts) for rec in records(ann, evidence)), problems

    problems = []
    with Progress(len(articles), "annotating", progress) as bar:
        for (start, stop), (made, span_problems) in map_spans(work, len(articles), jobs, Annotator.BATCH,
                                                              warm=annotator.warm):
            problems += span_problems
            yield made
            bar.update(stop - start)
    if problems:
        raise CorpusError(None, problems=problems)


def records(ann: ArticleAnnotation, evidence: bool = True):
    """The ``annotate`` records of one article: one dict per sentence."""
    art, doc = ann.article, ann.doc
    for i, s in enumerate(doc.sentences):
        rec = {"article": art.id, "outlet": art.outlet, "paragraph": s.paragraph, "sentence": s.index,
               "text": doc.texts[i]}
        for m in ann.measures:
            rec.update(m.record_fields(ann.results[m.name], doc, i, evidence))
        yield {**{k: rec[k] for k in RECORD_ORDER if k in rec}, **rec}
