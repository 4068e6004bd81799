"""Hedging as a measure of the table: cues per 1,000 words, in all and by category."""
from __future__ import annotations

from operator import attrgetter

from analysis.measures.base import SENTENCES, Counted, Measure, MetricInfo, Ratio, tally
from analysis.measures.hedging import CATEGORIES, Hedge, find_hedges


class Hedging(Measure):
    name = "hedging"
    columns = {SENTENCES: ("hedges",) + tuple(f"hedges:{c}" for c in CATEGORIES)}
    sentence_fields = ("hedges",)

    def catalogue(self):
        return [MetricInfo("hedges_per_1000_words", "words",
                           "hedge cues per 1,000 body words; target empty = all categories, else one of "
                           + ", ".join(CATEGORIES))]

    def rows(self, corpus):
        return [Ratio("hedges_per_1000_words", target, SENTENCES, column, "words", 1000.0)
                for target, column in [("", "hedges")] + [(c, f"hedges:{c}") for c in CATEGORIES]]

    def warm(self):
        find_hedges("It may be.")

    def annotate(self, docs):
        """Per article, per sentence: the hedges found, offsets into the article's body."""
        out = []
        for doc in docs:
            found = [find_hedges(text) for text in doc.texts]
            out.append([[Hedge(h.cue, h.category, h.start + s.start, h.end + s.start) for h in hs]
                        for s, hs in zip(doc.sentences, found)])
        return out

    def values(self, annotation, doc):
        return {"hedges": annotation}

    def count(self, annotation, doc):
        return Counted(units={SENTENCES: tally(annotation, CATEGORIES, attrgetter("category"))})

    def record_fields(self, annotation, doc, i, evidence):
        start = doc.sentences[i].start
        return {"hedges": [{"cue": h.cue, "category": h.category, "start": h.start - start, "end": h.end - start}
                           for h in annotation[i]]}
