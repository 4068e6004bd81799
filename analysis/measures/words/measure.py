"""Distinctive words as a measure: each article's n-gram counts, for ``distinctive_words``.

Distinctive words compare outlets with one another, so they are a corpus-level
result, not a per-article rate: the measure adds no table rows and no fields to
the ``annotate`` records (docs/words.md says why). Its annotation is the article's
unigram and bigram counts (``NgramCounts``), exposed as ``ann.ngrams``, so that
``distinctive_words(annotations)`` reads the counts of articles already annotated
instead of counting their sentences again.
"""
from __future__ import annotations

from analysis.measures.base import Measure
from analysis.measures.words import count_ngrams


class Words(Measure):
    name = "words"
    article_fields = ("ngrams",)

    def annotate(self, docs):
        """Per article: its unigram and bigram counts (``NgramCounts``)."""
        return [count_ngrams(doc.texts) for doc in docs]

    def values(self, annotation, doc):
        return {"ngrams": annotation}
