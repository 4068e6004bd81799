"""framing: compare how news outlets frame the same event.

Public API (see README):
    load_corpus(path) -> Corpus
    metrics_table(corpus) -> pandas.DataFrame
    kwic(corpus, word), distinctive_words(corpus) -> pandas.DataFrame
    hedging.find_hedges(text), sentiment.sentiment_toward(text, start, end),
    context.paragraph_roles(article)
"""
from analysis.errors import CorpusError
from analysis.pipeline.corpus import load_corpus
from analysis.pipeline.model import Actor, Article, Corpus

__all__ = ["load_corpus", "metrics_table", "kwic", "distinctive_words", "CorpusError", "Actor", "Article", "Corpus"]

# the functions below import their modules on first use, so that `import analysis` stays light


def metrics_table(corpus, **kwargs):
    """The tidy per-outlet table (see analysis.table.metrics_table)."""
    from analysis.table import metrics_table as _metrics_table

    return _metrics_table(corpus, **kwargs)


def kwic(corpus, word: str, **kwargs):
    """Every use of ``word`` (a word or phrase) in context, outlet by outlet (analysis.measures.words.kwic)."""
    from analysis.measures.words import kwic as _kwic

    return _kwic(corpus, word, **kwargs)


def distinctive_words(corpus, **kwargs):
    """Each outlet's distinctive words against the others (analysis.measures.words.distinctive_words)."""
    from analysis.measures.words import distinctive_words as _distinctive_words

    return _distinctive_words(corpus, **kwargs)
