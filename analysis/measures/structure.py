"""Structure: how long each article is, in paragraphs, sentences and words.

The counts come from segmentation and the text layer's word rule
(``analysis.pipeline.text.words``); the table's other rates divide by them.
"""
from __future__ import annotations

from analysis.measures.base import PARAGRAPHS, SENTENCES, Measure, MetricInfo, Total


class Structure(Measure):
    name = "structure"

    def catalogue(self):
        return [MetricInfo("paragraphs", "paragraphs", "cleaned body paragraphs"),
                MetricInfo("sentences", "sentences", "cleaned body sentences"),
                MetricInfo("words", "sentences", "words in the cleaned body")]

    def rows(self, corpus):
        return [Total("paragraphs", "", PARAGRAPHS, "one"),
                Total("sentences", "", SENTENCES, "one"),
                Total("words", "", SENTENCES, "words", n=(SENTENCES, "one"))]

    def annotate(self, docs):
        return [None] * len(docs)

    def record_fields(self, annotation, doc, i, evidence):
        return {"words": len(doc.tokens[i])}
