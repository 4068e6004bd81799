"""Sentiment toward each actor as a measure of the table.

Per actor of the actors file: how often it is named, the share of sentences
that name it, where it is first named, and the mean sentiment toward it in the
outlet's own voice, in quoted voices, and in both. The sentence is the
resampling unit of these rows too (the mentions of one sentence share its
words and its scoring).
"""
from __future__ import annotations

import numpy as np

from analysis.measures.base import EACH_ACTOR, SENTENCES, ArticleMean, Counted, Measure, MetricInfo, Ratio, Total
from analysis.measures.sentiment import scorer

VOICES = ("narrator", "quoted", "all")
# per actor, one row per sentence: does the sentence name it; sentiment sum and mention count per voice
TARGET_COLUMNS = ("present",) + tuple(f"{k}:{v}" for v in VOICES for k in ("sum", "cnt"))

MAX_SCORED_SENTENCE = 1_000  # characters: a longer "sentence" is scored in a window around each mention
SCORING_WINDOW = 300  # characters each side of the mention, cut back to a space


def scoring_windows(text: str, spans):
    """``(offset, window, local spans)`` to score: the whole sentence, or one window per mention.

    Sentiment weighs the evidence of the whole sentence for each target, so a
    run-on "sentence" (a page without full stops, a list of 20,000 names)
    would cost the square of its length. Past MAX_SCORED_SENTENCE characters
    each mention is scored on the SCORING_WINDOW characters either side of it,
    so the cost stays linear; real sentences are far shorter (docs/limits.md).
    """
    if len(text) <= MAX_SCORED_SENTENCE:
        return [(0, text, list(spans))]
    out = []
    for a, b in spans:
        lo, hi = max(0, a - SCORING_WINDOW), min(len(text), b + SCORING_WINDOW)
        if lo > 0:
            sp = text.find(" ", lo, a)
            lo = sp + 1 if sp >= 0 else lo
        if hi < len(text):
            sp = text.rfind(" ", b, hi)
            hi = sp if sp >= 0 else hi
        out.append((lo, text[lo:hi], [(a - lo, b - lo)]))
    return out


def _windows(text, mentions, start):
    return scoring_windows(text, [(m.start - start, m.end - start) for m in mentions])


class ActorSentiment(Measure):
    name = "sentiment"
    target_columns = TARGET_COLUMNS
    sentence_fields = ("mentions",)

    def catalogue(self):
        return [
            MetricInfo("mentions", "mentions", "mentions of the actor (target)"),
            MetricInfo("sentence_share", "sentences", "share of sentences that mention the actor"),
            MetricInfo("first_mention", "articles",
                       "position of the first mention, 0 = start of body, 1 = end (outlet rows: mean over articles)"),
        ] + [MetricInfo(f"sentiment_{v}", "mentions",
                        f"mean sentiment toward the actor in {v} voice, -1..1 (|v| < 0.05 neutral)"
                        if v != "all" else "mean sentiment toward the actor, both voices, -1..1")
             for v in VOICES]

    def rows(self, corpus):
        return ([Total("mentions", EACH_ACTOR, SENTENCES, "cnt:all"),
                 Ratio("sentence_share", EACH_ACTOR, SENTENCES, "present", "one"),
                 ArticleMean("first_mention", EACH_ACTOR)]
                + [Ratio(f"sentiment_{v}", EACH_ACTOR, SENTENCES, f"sum:{v}", f"cnt:{v}") for v in VOICES])

    def warm(self):
        scorer()

    def annotate(self, docs):
        """Per article, per sentence: (mention, sentiment toward it) pairs, in text order."""
        towards = scorer().sentiment_towards
        out = []
        for doc in docs:
            by_sentence: dict[int, list] = {}
            for m in doc.mentions:
                by_sentence.setdefault(m.sentence, []).append(m)
            scored_article = []
            for s, text in zip(doc.sentences, doc.texts):
                ms = by_sentence.get(s.index)
                if ms:
                    values = []
                    for _, window, spans in _windows(text, ms, s.start):
                        values += towards(window, spans)
                    scored_article.append(list(zip(ms, values)))
                else:
                    scored_article.append([])
            out.append(scored_article)
        return out

    def values(self, annotation, doc):
        return {"mentions": annotation}

    def count(self, annotation, doc):
        blocks: dict[str, np.ndarray] = {}
        first: dict[str, float] = {}
        body_len = max(1, len(doc.article.body))
        n = len(annotation)
        for i, scored in enumerate(annotation):
            for m, score in scored:
                x = blocks.get(m.actor)
                if x is None:
                    x = blocks[m.actor] = np.zeros((n, len(TARGET_COLUMNS)))
                    first[m.actor] = m.start / body_len
                x[i, 0] = 1.0  # present
                for v in (m.voice, "all"):
                    k = 1 + 2 * VOICES.index(v)
                    x[i, k] += score
                    x[i, k + 1] += 1.0
        return Counted(targets=blocks, article_values={"first_mention": first})

    def record_fields(self, annotation, doc, i, evidence):
        scored = annotation[i]
        start = doc.sentences[i].start
        mentions = [{"actor": m.actor, "text": m.text, "start": m.start - start, "end": m.end - start,
                     "sentiment": round(score, 4), "voice": m.voice, "speaker": m.speaker, "kind": m.kind}
                    for m, score in scored]
        if evidence and scored:
            explain = scorer().explain_towards
            found = []
            for _, window, spans in _windows(doc.texts[i], [m for m, _ in scored], start):
                found += explain(window, spans)
            for rec, ev in zip(mentions, found):
                rec["evidence"] = [{**e, "weight": round(e["weight"], 3)} for e in ev]
        return {"mentions": mentions}
