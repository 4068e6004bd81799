"""One pass over an article that runs every annotator once and keeps the evidence.

``annotate_article`` is the single place where the metric modules are called;
the metrics table and the ``annotate`` command both read its result, so no text
is tokenised, matched or scored twice.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .model import Article, Corpus


@dataclass
class SentenceAnnotation:
    index: int
    paragraph: int
    start: int  # offsets into article.body
    end: int
    words: int
    hedges: list  # analysis.hedging.Hedge, offsets into article.body
    mentions: list  # (Mention, sentiment) pairs, offsets into article.body
    counts: object  # analysis.readability.Counts of this sentence


@dataclass
class ArticleAnnotation:
    article: Article
    roles: list[str]  # one per paragraph
    role_confidence: list[float]
    sentences: list[SentenceAnnotation] = field(default_factory=list)

    @property
    def paragraph_words(self) -> list[int]:
        words = [0] * len(self.roles)
        for s in self.sentences:
            words[s.paragraph] += s.words
        return words


class Annotator:
    """Holds everything built once per corpus (compiled matchers, lexicons)."""

    def __init__(self, corpus: Corpus):
        from . import actors as actors_mod

        self.corpus = corpus
        self.matcher = actors_mod.build_matcher(corpus.actors)

    def __call__(self, article: Article) -> ArticleAnnotation:
        from . import actors as actors_mod
        from .context import classify_paragraphs
        from .hedging import Hedge, find_hedges
        from .readability import count_text
        from .sentiment import scorer

        body = article.body
        decisions = classify_paragraphs([article.text(p) for p in article.paragraphs],
                                        event_date=article.event_date,
                                        article_date=_date(article.meta.get("date")))
        ann = ArticleAnnotation(article, [d.role for d in decisions], [d.confidence for d in decisions])
        mentions = actors_mod.find_mentions(article, self.corpus.actors, matcher=self.matcher)
        by_sentence: dict[int, list] = {}
        for m in mentions:
            by_sentence.setdefault(m.sentence, []).append(m)
        towards = scorer().sentiment_towards
        for sent in article.sentences:
            start = sent.start
            text = body[start:sent.end]
            counts = count_text([text])
            # offsets into the body
            hedges = [Hedge(h.cue, h.category, h.start + start, h.end + start) for h in find_hedges(text)]
            ms = by_sentence.get(sent.index)
            if ms:
                values = towards(text, [(m.start - start, m.end - start) for m in ms])
                scored = list(zip(ms, values))
            else:
                scored = []
            ann.sentences.append(SentenceAnnotation(sent.index, sent.paragraph, start, sent.end,
                                                    counts.words, hedges, scored, counts))
        return ann


def _date(value):
    import datetime as dt

    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def annotate_corpus(corpus: Corpus, annotations=None):
    """Yield one JSON-ready dict per cleaned sentence (the ``annotate`` contract)."""
    annotator = Annotator(corpus) if annotations is None else None
    anns = annotations if annotations is not None else (annotator(a) for a in corpus.articles)
    for ann in anns:
        art = ann.article
        for s in ann.sentences:
            yield {
                "article": art.id,
                "outlet": art.outlet,
                "paragraph": s.paragraph,
                "sentence": s.index,
                "text": art.body[s.start:s.end],
                "role": ann.roles[s.paragraph],
                "role_confidence": round(ann.role_confidence[s.paragraph], 3),
                "words": s.words,
                "hedges": [{"cue": h.cue, "category": h.category,
                            "start": h.start - s.start, "end": h.end - s.start} for h in s.hedges],
                "mentions": [{"actor": m.actor, "text": m.text,
                              "start": m.start - s.start, "end": m.end - s.start,
                              "sentiment": round(score, 4), "voice": m.voice,
                              "speaker": m.speaker, "kind": m.kind} for m, score in s.mentions],
            }
