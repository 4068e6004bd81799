"""framing: compare how news outlets frame the same event.

Public API (see README):
    load_corpus(path) -> Corpus
    metrics_table(corpus) -> pandas.DataFrame
    hedging.find_hedges(text), sentiment.sentiment_toward(text, start, end),
    context.paragraph_roles(article)
"""
from .corpus import load_corpus
from .errors import CorpusError
from .model import Actor, Article, Corpus

__all__ = ["load_corpus", "metrics_table", "CorpusError", "Actor", "Article", "Corpus"]


def metrics_table(corpus, **kwargs):
    """The tidy per-outlet table (see analysis.metrics.metrics_table)."""
    from .metrics import metrics_table as _metrics_table

    return _metrics_table(corpus, **kwargs)
