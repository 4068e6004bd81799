"""Readability as a measure of the table: counts per sentence in, the five formulas out.

The formulas are applied to the sums of the counts over an article or an
outlet, and to the resampled sums for the intervals (``FORMULAS`` work on
numbers and on arrays alike).
"""
from __future__ import annotations

from dataclasses import fields
from operator import attrgetter

import numpy as np

from analysis.measures.base import SENTENCES, Counted, Formula, Measure, MetricInfo
from analysis.measures.readability import DIRECTION, FORMULAS, METRICS, Counts, count_text, count_words

COUNT_FIELDS = tuple(f.name for f in fields(Counts))


def _formula(key):
    formula = FORMULAS[key]

    def apply(sums):
        return formula(Counts(**sums))

    return apply


class Readability(Measure):
    name = "readability"
    columns = {SENTENCES: COUNT_FIELDS}
    sentence_fields = ("counts",)

    def catalogue(self):
        return [MetricInfo(m, "sentences", f"readability: {m.replace('_', ' ')} ({DIRECTION[m]})") for m in METRICS]

    def rows(self, corpus):
        return [Formula(key, "", SENTENCES, COUNT_FIELDS, _formula(key)) for key in METRICS]

    def warm(self):
        count_text(["It may be."])

    def annotate(self, docs):
        """Per article, per sentence: its Counts (from the words the text layer already made)."""
        return [[count_words([tokens]) for tokens in doc.tokens] for doc in docs]

    def values(self, annotation, doc):
        return {"counts": annotation}

    def count(self, annotation, doc):
        x = np.zeros((len(annotation), len(COUNT_FIELDS)))
        if annotation:
            x[:] = [_COUNTS(c) for c in annotation]
        return Counted(units={SENTENCES: x})


_COUNTS = attrgetter(*COUNT_FIELDS)  # Counts -> tuple in COUNT_FIELDS order
