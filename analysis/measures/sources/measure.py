"""The source ledger as a measure of the table: attributions per 1,000 words, the share of them
that are anonymous (and of each source type), and the share of body words inside attributed
quotations. The evidence (each attribution's source, type, actor, mode, verb and words, with
offsets) goes to the ``attributions`` field of the annotate records. Counts of distinct sources are
not sums over sentences: they are in ``analysis.measures.sources.source_summary``."""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from operator import attrgetter

import numpy as np

from analysis.measures.base import SENTENCES, Counted, Measure, MetricInfo, Ratio, tally
from analysis.measures.sources import TYPES, Attribution, find_attributions, quoted_word_spans, \
    sentence_quoted_words


class Sources(Measure):
    name = "sources"
    columns = {SENTENCES: ("attributions", "anonymous", "quoted_words") + tuple(f"attributions:{t}" for t in TYPES)}
    sentence_fields = ("attributions",)

    def catalogue(self):
        return [MetricInfo("attributions_per_1000_words", "words", "attributions (who says what) per 1,000 body words"),
                MetricInfo("anonymous_share", "attributions", "share of attributions whose source is anonymous"),
                MetricInfo("source_type_share", "attributions",
                           "share of attributions by source type; target one of " + ", ".join(TYPES)),
                MetricInfo("quoted_word_share", "words", "share of body words inside attributed direct quotations")]

    def rows(self, corpus):
        return ([Ratio("attributions_per_1000_words", "", SENTENCES, "attributions", "words", 1000.0),
                 Ratio("anonymous_share", "", SENTENCES, "anonymous", "attributions"),
                 Ratio("quoted_word_share", "", SENTENCES, "quoted_words", "words")]
                + [Ratio("source_type_share", t, SENTENCES, f"attributions:{t}", "attributions") for t in TYPES])

    def warm(self):
        pass

    def annotate(self, docs):
        """Per article, per sentence: the attributions whose source phrase lies in that sentence."""
        out = []
        for doc in docs:
            per_sentence: list[list[Attribution]] = [[] for _ in doc.sentences]
            for att in find_attributions(doc.article, doc.mentions):
                if att.sentence < len(per_sentence):
                    per_sentence[att.sentence].append(att)
            out.append(per_sentence)
        return out

    def values(self, annotation, doc):
        return {"attributions": annotation}

    def count(self, annotation, doc):
        counts = tally(annotation, TYPES, attrgetter("type"))  # attributions, then attributions per type
        # columns: attributions, anonymous ones, quoted words (below), attributions per type
        x = np.insert(counts, 1, [counts[:, 1 + TYPES.index("anonymous")], np.zeros(len(annotation))], axis=1)
        spans = quoted_word_spans([a for sentence in annotation for a in sentence], doc.article.quotes)
        if spans:  # sorted and disjoint: the first span ending after a sentence's start says if any overlaps
            ends = [b for _, b in spans]
            for i, (s, text) in enumerate(zip(doc.sentences, doc.texts)):
                k = bisect_right(ends, s.start)
                if k < len(spans) and spans[k][0] < s.end:
                    x[i, 2] = sentence_quoted_words(s.start, text, spans[k:bisect_left(spans, (s.end,))],
                                                    doc.tokens[i])
        return Counted(units={SENTENCES: x})

    def record_fields(self, annotation, doc, i, evidence):
        start = doc.sentences[i].start
        return {"attributions": [record(a, start) for a in annotation[i]]}


def record(a: Attribution, start: int = 0) -> dict:
    """An attribution as an annotate record entry, offsets relative to ``start`` (the sentence's)."""
    return {"source": a.source, "start": a.start - start, "end": a.end - start, "type": a.type,
            "actor": a.actor, "mode": a.mode, "verb": a.verb,
            "content": [[c0 - start, c1 - start] for c0, c1 in a.content], "words": a.words,
            "quoted_words": a.quoted_words, "channel": a.channel}
