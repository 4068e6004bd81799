"""Claims and numbers as a measure of the table: numeric expressions per 1,000 words, in all and
by kind, and the share of sentences that give a number. The evidence (each number's words,
offsets, value, bound, kind and what it counts) goes to the ``numbers`` field of the annotate
records; the cross-outlet alignment is ``analysis.measures.numbers.align_numbers``."""
from __future__ import annotations

from operator import attrgetter

import numpy as np

from analysis.measures.base import SENTENCES, Counted, Measure, MetricInfo, Ratio, tally
from analysis.measures.numbers import KINDS, Number, counted_key, find_numbers

RECORD_KEYS = ("text", "start", "end", "value", "bound", "kind", "counts", "high", "unit", "predicate", "normal")


class Numbers(Measure):
    name = "numbers"
    columns = {SENTENCES: ("numbers", "numbered") + tuple(f"numbers:{k}" for k in KINDS)}
    sentence_fields = ("numbers",)

    def catalogue(self):
        return [MetricInfo("numbers_per_1000_words", "words",
                           "numeric expressions per 1,000 body words; target empty = all kinds, else one of "
                           + ", ".join(KINDS)),
                MetricInfo("number_sentence_share", "sentences", "share of sentences that give at least one number")]

    def rows(self, corpus):
        return ([Ratio("numbers_per_1000_words", target, SENTENCES, column, "words", 1000.0)
                 for target, column in [("", "numbers")] + [(k, f"numbers:{k}") for k in KINDS]]
                + [Ratio("number_sentence_share", "", SENTENCES, "numbered", "one")])

    def warm(self):
        find_numbers("over 300 drones")

    def annotate(self, docs):
        """Per article, per sentence: the numbers found, offsets into the article's body."""
        return [[find_numbers(text, s.start) for s, text in zip(doc.sentences, doc.texts)] for doc in docs]

    def values(self, annotation, doc):
        return {"numbers": annotation}

    def count(self, annotation, doc):
        counts = tally(annotation, KINDS, attrgetter("kind"))  # numbers, then numbers per kind
        x = np.insert(counts, 1, counts[:, 0] > 0, axis=1)  # and whether the sentence holds one
        return Counted(units={SENTENCES: x})

    def record_fields(self, annotation, doc, i, evidence):
        start = doc.sentences[i].start
        return {"numbers": [record(n, start, evidence) for n in annotation[i]]}


def record(n: Number, start: int = 0, evidence: bool = False) -> dict:
    """A number as an annotate record entry, offsets relative to ``start`` (the sentence's);
    with ``evidence`` also the ``key`` it is aligned on across outlets."""
    out = {k: getattr(n, k) for k in RECORD_KEYS}
    out["start"], out["end"] = n.start - start, n.end - start
    if evidence:
        out["key"] = counted_key(n)
    return out
