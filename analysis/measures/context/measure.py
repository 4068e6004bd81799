"""Paragraph roles as a measure of the table: the expected share of words and paragraphs per role.

Each paragraph counts toward every role by its probability (the expected
share; docs/context.md), so the table's shares are sums of probabilities, not
counts of hard labels.
"""
from __future__ import annotations

import datetime as dt

import numpy as np

from analysis.measures.base import PARAGRAPHS, Counted, Measure, MetricInfo, Ratio
from analysis.measures.context import ROLES, article_sentences, classify_paragraphs


class RoleAnnotation:
    """Per paragraph: the most probable role, its probability, and every role's probability."""

    __slots__ = ("roles", "role_confidence", "role_probs")

    def __init__(self, roles, role_confidence, role_probs):
        self.roles, self.role_confidence, self.role_probs = roles, role_confidence, role_probs


class Context(Measure):
    name = "context"
    columns = {PARAGRAPHS: tuple(f"words:{r}" for r in ROLES) + tuple(f"paragraphs:{r}" for r in ROLES)}
    article_fields = ("roles", "role_confidence", "role_probs")

    def catalogue(self):
        return [
            MetricInfo("context_share_words", "words",
                       "expected share of body words in context paragraphs (each paragraph weighted by P(context))"),
            MetricInfo("context_share_paragraphs", "paragraphs",
                       "expected share of paragraphs that are context (mean P(context))"),
            MetricInfo("role_share_words", "words", "expected share of body words per paragraph role (target = role)"),
        ]

    def rows(self, corpus):
        return ([Ratio("context_share_words", "", PARAGRAPHS, "words:context", "words"),
                 Ratio("context_share_paragraphs", "", PARAGRAPHS, "paragraphs:context", "one")]
                + [Ratio("role_share_words", r, PARAGRAPHS, f"words:{r}", "words") for r in ROLES])

    def warm(self):
        classify_paragraphs(["It may be."], reasons=False)  # the measure never asks for reasons: no explanation table

    def annotate(self, docs):
        out = []
        for doc in docs:
            article = doc.article
            texts, spans = article_sentences(article)  # the segmenter's sentences: nothing is split again
            decisions = classify_paragraphs(texts, event_date=article.event_date,
                                            article_date=_date(article.meta.get("date")), sentences=spans,
                                            reasons=False)  # the annotation keeps no reasons
            out.append(RoleAnnotation([d.role for d in decisions], [d.confidence for d in decisions],
                                      [d.probs for d in decisions]))
        return out

    def values(self, annotation, doc):
        return {"roles": annotation.roles, "role_confidence": annotation.role_confidence,
                "role_probs": annotation.role_probs}

    def count(self, annotation, doc):
        roles = annotation.roles
        x = np.zeros((len(roles), 2 * len(ROLES)))
        if roles:
            words = np.zeros(len(roles))
            for s, tokens in zip(doc.sentences, doc.tokens):
                words[s.paragraph] += len(tokens)
            for k, r in enumerate(ROLES):
                p = np.array([probs.get(r, 0.0) for probs in annotation.role_probs])
                x[:, k] = words * p
                x[:, len(ROLES) + k] = p
        return Counted(units={PARAGRAPHS: x})

    def record_fields(self, annotation, doc, i, evidence):
        p = doc.sentences[i].paragraph
        return {"role": annotation.roles[p], "role_confidence": round(annotation.role_confidence[p], 3),
                "role_probs": {r: round(v, 3) for r, v in annotation.role_probs[p].items()}
                if annotation.role_probs else {}}


def _date(value):
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None
