"""framing: compare how news outlets frame the same event.

Public API (see README):
    load_corpus(path) -> Corpus
    metrics_table(corpus) -> pandas.DataFrame
    hedging.find_hedges(text), sentiment.sentiment_toward(text, start, end),
    context.paragraph_roles(article)
"""
from analysis.pipeline.corpus import load_corpus
from analysis.errors import CorpusError
from analysis.pipeline.model import Actor, Article, Corpus

__all__ = ["load_corpus", "metrics_table", "CorpusError", "Actor", "Article", "Corpus"]


def metrics_table(corpus, **kwargs):
    """The tidy per-outlet table (see analysis.table.metrics_table)."""
    from analysis.table import metrics_table as _metrics_table  # on first use: `import analysis` stays light

    return _metrics_table(corpus, **kwargs)
