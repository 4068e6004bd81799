"""Naming and labels as a measure of the table: the share of each actor's labels that carry a
loaded term, and loaded labels per 1,000 words. The evidence (each label's words, offsets,
normalised form and loaded terms) goes to the ``labels`` field of the annotate records.

How many *distinct* labels an outlet uses is not a sum of per-sentence counts, so it cannot
be a Ratio or Total over resampled units: that comparison is ``label_table``'s
(analysis.measures.naming.label_table, the ``labels`` command)."""
from __future__ import annotations

import numpy as np

from analysis.measures.base import EACH_ACTOR, SENTENCES, Counted, Measure, MetricInfo, Ratio
from analysis.measures.naming import Label, find_labels, load_lexicon

TARGET_COLUMNS = ("loaded", "labelled")  # per actor, per sentence: loaded labels, all labels


class Naming(Measure):
    name = "naming"
    columns = {SENTENCES: ("loaded_labels",)}
    target_columns = TARGET_COLUMNS
    sentence_fields = ("labels",)

    def catalogue(self):
        return [MetricInfo("loaded_labels_per_1000_words", "words",
                           "labels of actors that carry a loaded term (loaded.csv), per 1,000 body words"),
                MetricInfo("loaded_label_share", "labels",
                           "share of the actor's labels (the noun phrases naming it, appositions included) "
                           "that carry a loaded term")]

    def rows(self, corpus):
        return [Ratio("loaded_labels_per_1000_words", "", SENTENCES, "loaded_labels", "words", 1000.0),
                Ratio("loaded_label_share", EACH_ACTOR, SENTENCES, "loaded", "labelled")]

    def warm(self):
        load_lexicon()

    def annotate(self, docs):
        """Per article, per sentence: the labels of its mentions (offsets into the article's body)."""
        return [find_labels(doc.article.body, doc.sentences, doc.mentions, tokens=doc.tokens) for doc in docs]

    def values(self, annotation, doc):
        return {"labels": annotation}

    def count(self, annotation, doc):
        n = len(annotation)
        units = np.zeros((n, 1))
        targets: dict[str, np.ndarray] = {}
        for i, labels in enumerate(annotation):
            for lab in labels:
                x = targets.get(lab.actor)
                if x is None:
                    x = targets[lab.actor] = np.zeros((n, len(TARGET_COLUMNS)))
                x[i, 1] += 1.0
                if lab.loaded:
                    x[i, 0] += 1.0
                    units[i, 0] += 1.0
        return Counted(units={SENTENCES: units}, targets=targets)

    def record_fields(self, annotation, doc, i, evidence):
        start = doc.sentences[i].start
        return {"labels": [record(lab, start, evidence) for lab in annotation[i]]}


def record(lab: Label, start: int = 0, evidence: bool = False) -> dict:
    """A label as an annotate record entry, offsets relative to ``start`` (the sentence's); with
    ``evidence`` also the loaded terms' categories and the mention's own span."""
    out = {"actor": lab.actor, "text": lab.text, "start": lab.start - start, "end": lab.end - start,
           "normalised": lab.normalised, "loaded": list(lab.loaded), "form": lab.form, "kind": lab.kind,
           "voice": lab.voice}
    if evidence:
        out["categories"] = list(lab.categories)
        out["mention"] = [lab.mention[0] - start, lab.mention[1] - start]
    return out
