"""One pass over an article that runs every annotator once and keeps the evidence.

``annotate_article`` is the single place where the metric modules are called;
the metrics table and the ``annotate`` command both read its result, so no text
is tokenised, matched or scored twice.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from analysis.pipeline.model import Article, Corpus


@dataclass(slots=True)
class SentenceAnnotation:
    index: int
    paragraph: int
    start: int  # offsets into article.body
    end: int
    words: int
    hedges: list  # analysis.measures.hedging.Hedge, offsets into article.body
    mentions: list  # (Mention, sentiment) pairs, offsets into article.body
    counts: object  # analysis.measures.readability.Counts of this sentence


@dataclass
class ArticleAnnotation:
    article: Article
    roles: list[str]  # one per paragraph: its most probable role
    role_confidence: list[float]  # the probability of that role
    role_probs: list[dict] = field(default_factory=list)  # per paragraph: role -> probability (sums to 1)
    sentences: list[SentenceAnnotation] = field(default_factory=list)

    @property
    def paragraph_words(self) -> list[int]:
        words = [0] * len(self.roles)
        for s in self.sentences:
            words[s.paragraph] += s.words
        return words


MAX_SCORED_SENTENCE = 1_000  # characters: a longer "sentence" is scored in a window around each mention
SCORING_WINDOW = 300  # characters each side of the mention, cut back to a space


def scoring_windows(text: str, spans):
    """``(offset, window, local spans)`` to score: the whole sentence, or one window per mention.

    Sentiment weighs the evidence of the whole sentence for each target, so a
    run-on "sentence" (a page without full stops, a list of 20,000 names)
    would cost the square of its length. Past MAX_SCORED_SENTENCE characters
    each mention is scored on the SCORING_WINDOW characters either side of it,
    so the cost stays linear; real sentences are far shorter (docs/limits.md).
    """
    if len(text) <= MAX_SCORED_SENTENCE:
        return [(0, text, list(spans))]
    out = []
    for a, b in spans:
        lo, hi = max(0, a - SCORING_WINDOW), min(len(text), b + SCORING_WINDOW)
        if lo > 0:
            sp = text.find(" ", lo, a)
            lo = sp + 1 if sp >= 0 else lo
        if hi < len(text):
            sp = text.rfind(" ", b, hi)
            hi = sp if sp >= 0 else hi
        out.append((lo, text[lo:hi], [(a - lo, b - lo)]))
    return out


class Annotator:
    """Holds everything built once per corpus (compiled matchers, lexicons).

    ``annotator(article)`` annotates one article; ``annotator.many(articles)``
    annotates many with the same result, faster: it runs each annotator over a
    batch of articles before the next one (paragraph roles of the whole batch,
    then its mentions, readability counts, hedges and sentiment), which keeps
    each annotator's code and tables in the processor's caches (about 10 % faster
    than switching annotators sentence by sentence).
    """

    BATCH = 50  # articles per batch in ``many``

    def __init__(self, corpus: Corpus):
        from analysis.pipeline import actors as actors_mod

        self.corpus = corpus
        self.matcher = actors_mod.build_matcher(corpus.actors)

    def __call__(self, article: Article) -> ArticleAnnotation:
        return self._batch([article])[0]

    def many(self, articles, jobs: int = 1):
        """Yield the annotation of each of ``articles``, in order, on up to ``jobs`` processes
        (the same annotations whatever ``jobs``; see ``analysis.parallel``)."""
        from analysis.parallel import annotate_many

        yield from annotate_many(self, articles, jobs, self.BATCH)

    def warm(self) -> None:
        """Load every lazily built model and lexicon now (before worker processes are forked)."""
        from analysis.measures.context import classify_paragraphs
        from analysis.measures.hedging import find_hedges
        from analysis.measures.readability import count_text
        from analysis.measures.sentiment import scorer

        scorer()
        find_hedges("It may be.")
        count_text(["It may be."])
        classify_paragraphs(["It may be."])

    def _batch(self, articles: list[Article]) -> list[ArticleAnnotation]:
        from analysis.pipeline import actors as actors_mod
        from analysis.measures.context import classify_paragraphs
        from analysis.measures.hedging import Hedge, find_hedges
        from analysis.measures.readability import count_text
        from analysis.measures.sentiment import scorer

        anns = []
        for article in articles:
            decisions = classify_paragraphs([article.text(p) for p in article.paragraphs],
                                            event_date=article.event_date,
                                            article_date=_date(article.meta.get("date")))
            anns.append(ArticleAnnotation(article, [d.role for d in decisions], [d.confidence for d in decisions],
                                          [d.probs for d in decisions]))
        actors, matcher = self.corpus.actors, self.matcher
        mentions = [actors_mod.find_mentions(article, actors, matcher=matcher) for article in articles]
        texts = [[article.body[s.start:s.end] for s in article.sentences] for article in articles]
        counts = [[count_text([text]) for text in sentences] for sentences in texts]
        hedges = [[find_hedges(text) for text in sentences] for sentences in texts]
        towards = scorer().sentiment_towards
        for ann, article, found, sentences, article_counts, article_hedges in zip(
                anns, articles, mentions, texts, counts, hedges):
            by_sentence: dict[int, list] = {}
            for m in found:
                by_sentence.setdefault(m.sentence, []).append(m)
            for sent, text, c, hs in zip(article.sentences, sentences, article_counts, article_hedges):
                start = sent.start
                ms = by_sentence.get(sent.index)
                if ms:
                    values = []
                    for _, window, spans in scoring_windows(text, [(m.start - start, m.end - start) for m in ms]):
                        values += towards(window, spans)
                    scored = list(zip(ms, values))
                else:
                    scored = []
                # offsets into the body
                hs = [Hedge(h.cue, h.category, h.start + start, h.end + start) for h in hs]
                ann.sentences.append(SentenceAnnotation(sent.index, sent.paragraph, start, sent.end,
                                                        c.words, hs, scored, c))
        return anns


def _date(value):
    import datetime as dt

    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _evidence(text: str, mentions, start: int) -> list[list[dict]]:
    """The features and words that decided each mention's sentiment (``Scorer.explain_towards``),
    scored on the same windows as the values."""
    from analysis.measures.sentiment import scorer

    out = []
    for _, window, spans in scoring_windows(text, [(m.start - start, m.end - start) for m in mentions]):
        out += scorer().explain_towards(window, spans)
    return out


def annotate_corpus(corpus: Corpus, annotations=None, *, evidence: bool = True, jobs: int = 1, progress=None):
    """Yield one JSON-ready dict per cleaned sentence (the ``annotate`` contract), article by article.

    With ``evidence`` each mention carries the features and words that decided its
    sentiment (``"evidence": [{"feature", "words", "weight"}, ...]``, strongest first).
    The records are made span by span on up to ``jobs`` processes and yielded as
    they come, in article order, so a caller can write them as it goes; articles
    of a lazily opened corpus that cannot be read are reported together at the
    end (CorpusError), after the records of the others.
    """
    if annotations is not None:
        for ann in annotations:
            yield from _records(ann, evidence)
        return
    from analysis.pipeline.corpus import take_articles
    from analysis.errors import CorpusError
    from analysis.parallel import map_spans
    from analysis.progress import Progress

    annotator, articles = Annotator(corpus), corpus.articles

    def work(start, stop):
        arts, problems = take_articles(articles, start, stop)
        return [rec for ann in annotator._batch(arts) for rec in _records(ann, evidence)], problems

    problems = []
    with Progress(len(articles), "annotating", progress) as bar:
        for (start, stop), (records, span_problems) in map_spans(work, len(articles), jobs, Annotator.BATCH,
                                                                   warm=annotator.warm):
            problems += span_problems
            yield from records
            bar.update(stop - start)
    if problems:
        raise CorpusError(None, problems=problems)


def _records(ann: ArticleAnnotation, evidence: bool):
    art = ann.article
    for s in ann.sentences:
        text = art.body[s.start:s.end]
        mentions = [{"actor": m.actor, "text": m.text,
                     "start": m.start - s.start, "end": m.end - s.start,
                     "sentiment": round(score, 4), "voice": m.voice,
                     "speaker": m.speaker, "kind": m.kind} for m, score in s.mentions]
        if evidence and s.mentions:
            for rec, ev in zip(mentions, _evidence(text, [m for m, _ in s.mentions], s.start)):
                rec["evidence"] = [{**e, "weight": round(e["weight"], 3)} for e in ev]
        yield {
            "article": art.id,
            "outlet": art.outlet,
            "paragraph": s.paragraph,
            "sentence": s.index,
            "text": text,
            "role": ann.roles[s.paragraph],
            "role_confidence": round(ann.role_confidence[s.paragraph], 3),
            "role_probs": {r: round(p, 3) for r, p in ann.role_probs[s.paragraph].items()}
            if ann.role_probs else {},
            "words": s.words,
            "hedges": [{"cue": h.cue, "category": h.category,
                        "start": h.start - s.start, "end": h.end - s.start} for h in s.hedges],
            "mentions": mentions,
        }
