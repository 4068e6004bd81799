"""A toy measure, as a newcomer would write one: exclamation marks.

The whole measure is this module; ``analysis.measures.registry.register(Exclamations)``
(or one line in the registry's MEASURES list) adds it to the table, its intervals,
the CLI and the annotate records. tests/test_measures.py checks that it does.
"""
import numpy as np

from analysis.measures.base import EACH_ACTOR, SENTENCES, Counted, Measure, MetricInfo, Ratio


class Exclamations(Measure):
    name = "exclamations"
    columns = {SENTENCES: ("marks",)}  # "!" per sentence
    target_columns = ("loud", "named")  # per actor: mentions in a sentence with "!", all mentions
    sentence_fields = ("marks",)

    def catalogue(self):
        return [MetricInfo("exclamations_per_1000_words", "words", "exclamation marks per 1,000 words"),
                MetricInfo("loud_share", "mentions", "share of the actor's mentions in exclamations")]

    def rows(self, corpus):
        return [Ratio("exclamations_per_1000_words", "", SENTENCES, "marks", "words", 1000.0),
                Ratio("loud_share", EACH_ACTOR, SENTENCES, "loud", "named")]

    def annotate(self, docs):
        return [[text.count("!") for text in doc.texts] for doc in docs]

    def values(self, annotation, doc):
        return {"marks": annotation}

    def count(self, annotation, doc):
        targets = {}
        for m in doc.mentions:
            x = targets.setdefault(m.actor, np.zeros((len(annotation), 2)))
            x[m.sentence, 0] += annotation[m.sentence] > 0
            x[m.sentence, 1] += 1
        return Counted(units={SENTENCES: np.array(annotation, dtype=float).reshape(-1, 1)}, targets=targets)

    def record_fields(self, annotation, doc, i, evidence):
        return {"exclamations": annotation[i]}
