"""Why the learned layer decided as it did: the strongest features of each target, with the words
of the sentence behind them (``Scorer.explain_towards``)."""
from __future__ import annotations

from analysis.measures.sentiment.clauses import clamp_span
from analysis.measures.sentiment.learned import decide


def explain_towards(sc, sentence: str, spans, k: int = 5) -> list[list[dict]]:
    """Per span, the ``k`` features that pushed the ``Scorer`` ``sc`` most toward the decided class:
    ``{"feature", "words" (the sentence's words behind it, "" if none), "weight"}``, ``weight``
    the signed contribution toward the decided class (``LinearModel.explain``)."""
    out = []
    analysed = {}  # each sentence analysed once for all its targets
    for span in spans:
        span = clamp_span(sentence, *span)
        if span is None:
            out.append([])
            continue
        start, end = span
        s0, s1 = sc._sentence_bounds(sentence, start, end)
        p = analysed.get((s0, s1))
        if p is None:
            p = analysed[(s0, s1)] = sc._prepare(sentence[s0:s1])
        sent, extra = p
        words: dict = {}
        feats = sc._features(sent, extra, start - s0, end - s0, words)
        if feats is None:
            out.append([])
            continue
        cls = sc.model.classes[decide(sc._proba(feats))]
        rows = []
        for name, weight in sc.model.explain(feats, cls, k):
            idx = sorted(set(words.get(name, ())))
            rows.append({"feature": name, "words": " ".join(sent.toks[i].word for i in idx),
                         "weight": weight})
        out.append(rows)
    return out
