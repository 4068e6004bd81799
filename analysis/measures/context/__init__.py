"""Paragraph and sentence roles: is a passage the event itself, its context, or a reaction to it?

Every sentence, and every paragraph, of an article gets one of four roles
(DESIGN.md; the mapping of NewsDiscourse's labels in docs/context.md):

    main      the event itself and what happens in it now (and its direct consequences)
    context   earlier events, history, background, the general situation, explanation
    reaction  responses, statements, opinion and analysis about the event
    other     what is expected to follow, page furniture, anything else

The method (docs/context.md) is a multinomial logistic regression over named
sentence features (analysis.measures.context.features): position in the article, the
sentence's words and word pairs, its overlap with the article's first sentence,
tense and aspect, temporal expressions placed relative to the event date
(``resolve_temporal``), quotation marks and page-furniture patterns. Its
weights are trained on the train split of NewsDiscourse (Choubey et al., ACL
2020) by ``make train`` (analysis/validation/context_external.py) and stored in
analysis/measures/context/model.json; analysis time reads them with analysis.measures.linear
(pure Python, no scikit-learn, no network).

``sentence_roles`` gives each sentence (the segmenter's sentences:
analysis.pipeline.text.split_sentences) its role probabilities, after a
forward-backward pass over the article's sentences with role transitions
learned from the same train split (``smooth_sequence``: roles come in runs);
``classify_paragraphs`` takes, per paragraph, the word-weighted mean of its
sentences' probabilities: the role is the most probable one and ``confidence``
its probability. A context share is best estimated from the probabilities (the
mean P(context)), not from counted labels.

Modules: ``temporal`` (temporal expressions), ``features`` (the named
features), this one (model, sequence smoothing, paragraph scoring); ``speed``
holds speed machinery a reader can skip. The evaluation against the in-house
gold is analysis.validation.context_gold.
"""
from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field

from analysis.deprecation import moved
from analysis.measures.context.features import SAY_WORDS, iter_article_features, unplaced_features
from analysis.measures.context.speed import explain, probs as model_probs, score, vocabulary
from analysis.measures.context.temporal import TemporalMention, _resolve_temporal, resolve_temporal
from analysis.measures.linear import load_model
from analysis.pipeline.text import SIMPLE_WORD, split_sentences

ROLES = ("main", "context", "reaction", "other")

__all__ = [
    "ROLES", "RoleDecision", "SentenceRole", "TemporalMention", "paragraph_roles",
    "classify_paragraphs", "sentence_roles", "article_sentences", "resolve_temporal", "load_role_model",
]

MODEL_NAME = "context"    # analysis/measures/context/model.json
EXPLAIN_FEATURES = 3      # features named in each paragraph's reasons


@dataclass(frozen=True)
class RoleDecision:
    """The role of one paragraph, how sure the method is, and why.

    ``probs`` maps each role to its probability (the word-weighted mean of the
    paragraph's sentence probabilities; they sum to 1). ``confidence`` is the
    probability of ``role``, the most probable role. ``reasons`` names the
    features that pushed the decision most, e.g. ``"word 'had' -> context (+0.62)"``.
    """

    role: str
    confidence: float
    reasons: tuple[str, ...] = ()
    probs: dict = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class SentenceRole:
    """One sentence of a paragraph: its span in the paragraph text, its most
    probable role and the probability of each role."""

    paragraph: int
    start: int
    end: int
    role: str
    probs: dict


# ---------------------------------------------------------------------------
# Classification


@functools.lru_cache(maxsize=4)
def load_role_model(path=None):
    """The sentence-role model (analysis.measures.linear.LinearModel): the committed
    analysis/measures/context/model.json, or the JSON file at ``path``."""
    return load_model(MODEL_NAME if path is None else str(path))


# the feature settings the committed model was trained with
# (analysis/validation/context_external.py, FEATURE_SETTINGS)
_FEATURE_SETTINGS = {"neighbours": False, "pairs": True, "interactions": True}
_EMPTY = {"main": 0.0, "context": 0.0, "reaction": 0.0, "other": 1.0}
_SIX = (6, 6, 6, 6)  # the digits each role's probability is rounded to
# SIMPLE_WORD (the words that weigh a sentence in its paragraph's mean), to count its
# matches: findall gives the empty group of each instead of a new string, and the final
# repetition is possessive, which matches the same (nothing after it can fail, so it
# never gives back) with less bookkeeping. Same counts as SIMPLE_WORD: tests/test_context.py.
_WORD_COUNT = re.compile(SIMPLE_WORD.pattern + "+()")


def smooth_sequence(probs: list[list[float]], seq: dict) -> list[list[float]]:
    """Sequence smoothing: the forward-backward pass of a hidden Markov chain over
    one article's sentences (``probs``: per sentence, the classifier's role
    probabilities in ROLES order, in reading order). Roles come in runs in news
    (a lede, background, then reactions); ``seq`` (the model's meta["sequence"],
    learned from the train split) holds the role-to-role transition factors and
    the first sentence's factors, each relative to the role's frequency, so the
    pass moves a sentence toward the roles of its neighbours without favouring
    the frequent roles. Returns each sentence's posterior role probabilities."""
    n = len(probs)
    if n == 0:
        return []
    if list(seq.get("roles", ROLES)) != list(ROLES):
        raise ValueError("the sequence table must list the roles in ROLES order")
    (a00, a01, a02, a03), (a10, a11, a12, a13), (a20, a21, a22, a23), (a30, a31, a32, a33) = seq["transition"]
    st = seq["start"]
    p0, p1, p2, p3 = probs[0]
    x0, x1, x2, x3 = st[0] * p0, st[1] * p1, st[2] * p2, st[3] * p3
    z = x0 + x1 + x2 + x3
    f0, f1, f2, f3 = x0 / z, x1 / z, x2 / z, x3 / z
    alpha = [(f0, f1, f2, f3)]
    for t in range(1, n):
        p0, p1, p2, p3 = probs[t]
        x0 = (f0 * a00 + f1 * a10 + f2 * a20 + f3 * a30) * p0
        x1 = (f0 * a01 + f1 * a11 + f2 * a21 + f3 * a31) * p1
        x2 = (f0 * a02 + f1 * a12 + f2 * a22 + f3 * a32) * p2
        x3 = (f0 * a03 + f1 * a13 + f2 * a23 + f3 * a33) * p3
        z = x0 + x1 + x2 + x3
        f0, f1, f2, f3 = x0 / z, x1 / z, x2 / z, x3 / z
        alpha.append((f0, f1, f2, f3))
    out = [None] * n
    b0 = b1 = b2 = b3 = 1.0
    for t in range(n - 1, -1, -1):
        if t < n - 1:
            p = probs[t + 1]
            e0, e1, e2, e3 = p[0] * b0, p[1] * b1, p[2] * b2, p[3] * b3
            b0 = a00 * e0 + a01 * e1 + a02 * e2 + a03 * e3
            b1 = a10 * e0 + a11 * e1 + a12 * e2 + a13 * e3
            b2 = a20 * e0 + a21 * e1 + a22 * e2 + a23 * e3
            b3 = a30 * e0 + a31 * e1 + a32 * e2 + a33 * e3
            z = b0 + b1 + b2 + b3
            b0, b1, b2, b3 = b0 / z, b1 / z, b2 / z, b3 / z
        f0, f1, f2, f3 = alpha[t]
        g0, g1, g2, g3 = f0 * b0, f1 * b1, f2 * b2, f3 * b3
        z = g0 + g1 + g2 + g3
        out[t] = [g0 / z, g1 / z, g2 / z, g3 / z]
    return out


def _split(text: str) -> list[tuple[int, int]]:
    """The sentence spans of one paragraph (the segmenter's); a paragraph the
    splitter returns nothing for but that is not blank is one sentence."""
    return split_sentences(text) or ([(0, len(text))] if text.strip() else [])


def _sentence_probs(texts: list[str], event_date, article_date, model, placed: bool | None = None,
                    sentences=None, explained: bool = True):
    """Per paragraph: its sentence spans and, per sentence, (probabilities in ROLES
    order, the features that explain them: None when not ``explained``).

    ``sentences``: the sentence spans of each paragraph when the caller has them
    (offsets into the paragraph's text, as ``article_sentences`` gives them); by
    default each paragraph is split here with the segmenter's splitter.

    ``placed`` (default: more than one paragraph) says whether ``texts`` is a
    whole article, so that position means something. A paragraph on its own is
    scored at several hypothetical places in an article and the probabilities
    averaged (roles_features.unplaced_features): otherwise it would be read as a lede.
    """
    if sentences is None:
        spans = [_split(t) for t in texts]
    else:
        spans = [list(sp) for sp in sentences]
        if len(spans) != len(texts):
            raise ValueError("sentences must hold one list of spans per paragraph")
    paragraphs = [[t[s:e] for s, e in sp] for t, sp in zip(texts, spans)]
    ref = event_date or article_date
    if len(model.classes) != 4:
        raise ValueError(f"the role model must have the classes {ROLES}, not {model.classes}")
    order = [model.classes.index(r) for r in ROLES]
    if placed is None:
        placed = len(texts) > 1
    probs = []
    weighed = vocabulary(model, keep=SAY_WORDS)  # the features the model weighs
    if placed:
        flat, kept = [], []
        for f in iter_article_features([p for p in paragraphs if p], None, ref, article_date,
                                       resolve=_resolve_temporal, weighed=weighed, **_FEATURE_SETTINGS):
            if explained:
                pr, k = score(model, f, order)  # k: the sentence's features, in a fraction of the memory
            else:
                pr, k = model_probs(model, f, order), None
            flat.append(pr)
            kept.append(k)
        seq = model.meta.get("sequence")
        if seq:
            flat = smooth_sequence(flat, seq)
        g = 0
        for p in paragraphs:
            probs.append(list(zip(flat[g:g + len(p)], kept[g:g + len(p)])))
            g += len(p)
        return spans, probs
    settings = {k: v for k, v in _FEATURE_SETTINGS.items() if k != "neighbours"}
    for p in paragraphs:
        rows = []
        for places in unplaced_features(p, ref, article_date, resolve=_resolve_temporal, weighed=weighed,
                                        **settings):
            mean = [0.0, 0.0, 0.0, 0.0]
            for f in places:
                pr = model_probs(model, f, order)
                for r in range(4):
                    mean[r] += pr[r] / len(places)
            rows.append((mean, places[0]))
        probs.append(rows)
    return spans, probs


def sentence_roles(texts: list[str], event_date: dt.date | None = None, article_date: dt.date | None = None,
                   *, placed: bool | None = None, model_path=None, sentences=None) -> list[list[SentenceRole]]:
    """The role probabilities of every sentence of one article.

    ``texts`` are the paragraphs in reading order; sentences are those of
    analysis.pipeline.text.split_sentences (or ``sentences``, as in
    ``classify_paragraphs``), with offsets into their paragraph;
    ``placed`` as in ``classify_paragraphs``. Returns
    one list per paragraph (empty for a blank paragraph). The share of context
    in an article is best estimated as the mean (or word-weighted mean) of
    ``probs["context"]``.
    """
    texts = [t if isinstance(t, str) else str(t) for t in texts]
    model = load_role_model(model_path)
    spans, probs = _sentence_probs(texts, _as_date(event_date), _as_date(article_date), model, placed,
                                   sentences)
    out = []
    for i, (sp, rows) in enumerate(zip(spans, probs)):
        out.append([SentenceRole(i, s, e, ROLES[max(range(4), key=pr.__getitem__)],
                                 dict(zip(ROLES, pr))) for (s, e), (pr, _) in zip(sp, rows)])
    return out


_FEATURE_KINDS = {"ov1": "overlap with the first sentence", "pos": "position", "par": "paragraph index",
                  "sent": "sentence index", "inpar": "place in the paragraph", "len": "length",
                  "rel": "position", "furniture": "page furniture"}


def _feature_words(name: str) -> str:
    kind, _, value = name.partition(":")
    if kind == "w":
        return f"word '{value}'"
    if kind == "b":
        return f"words '{value.replace('_', ' ')}'"
    if kind == "tense":
        return f"tense {value}"
    if kind == "time":
        return f"time {value.replace('_', ' ')}"
    if kind == "quote":
        return f"quotation ({value})"
    return _FEATURE_KINDS.get(kind, name)


def classify_paragraphs(texts: list[str], event_date: dt.date | None = None,
                        article_date: dt.date | None = None, *,
                        placed: bool | None = None, model_path=None, sentences=None,
                        reasons: bool = True) -> list[RoleDecision]:
    """Role of each paragraph of one article (``texts`` in reading order).

    ``event_date`` and ``article_date`` (datetime.date, ISO string or None)
    anchor the temporal expressions.
    Each paragraph's role probabilities are the word-weighted mean of its
    sentences' (``sentence_roles``); the role is the most probable one (ties to
    the earlier role in ROLES) and ``confidence`` its probability. A blank
    paragraph is ``other`` with confidence 1. ``placed`` (default: True when
    there is more than one paragraph) says whether ``texts`` is a whole article
    in order; a paragraph judged on its own is not read as a lede but scored at
    several hypothetical places and averaged. ``model_path`` replaces the
    committed model. ``sentences``, per paragraph, the ``(start, end)`` spans of
    its sentences in its text: the segmented article's (``article_sentences``),
    so that nothing is split twice; by default each paragraph is split with
    analysis.pipeline.text.split_sentences, which gives the same spans.
    ``reasons=False`` leaves every decision's ``reasons`` empty, for callers that
    need only the roles and probabilities (they are the same).
    """
    texts = [t if isinstance(t, str) else str(t) for t in texts]
    if not texts:
        return []
    model = load_role_model(model_path)
    spans, probs = _sentence_probs(texts, _as_date(event_date), _as_date(article_date), model, placed,
                                   sentences, explained=reasons)
    out = []
    for text, sp, rows in zip(texts, spans, probs):
        if not rows:
            out.append(RoleDecision("other", 1.0, ("empty paragraph",) if reasons else (), dict(_EMPTY)))
            continue
        if len(rows) == 1:  # a one-sentence paragraph: its sentence's probabilities
            mix = rows[0][0]
            best = max(range(4), key=mix.__getitem__)
            k = 0
        else:
            weights = [max(1, len(_WORD_COUNT.findall(text, s, e))) for s, e in sp]
            total = sum(weights)
            m0 = m1 = m2 = m3 = 0.0
            for w, (pr, _) in zip(weights, rows):
                m0, m1, m2, m3 = m0 + w * pr[0], m1 + w * pr[1], m2 + w * pr[2], m3 + w * pr[3]
            mix = [m0 / total, m1 / total, m2 / total, m3 / total]
            best = max(range(4), key=mix.__getitem__)
            # the sentence that carries the decision most, and its strongest features
            k = max(range(len(rows)), key=lambda j: weights[j] * rows[j][0][best]) if reasons else None
        why = tuple(f"{_feature_words(name)} -> {ROLES[best]} ({value:+.2f})"
                    for name, value in explain(model, rows[k][1], model.classes.index(ROLES[best]),
                                               EXPLAIN_FEATURES) if value > 0) if reasons else ()
        rounded = list(map(round, mix, _SIX))
        out.append(RoleDecision(ROLES[best], rounded[best], why, dict(zip(ROLES, rounded))))
    return out


def _as_date(value) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None


def article_sentences(article) -> tuple[list[str], list[list[tuple[int, int]]]]:
    """The paragraph texts of a segmented ``analysis.pipeline.model.Article`` and, per
    paragraph, its sentences' spans shifted into the paragraph's text: the
    ``texts`` and ``sentences`` arguments of ``classify_paragraphs``."""
    body = article.body
    texts = [body[p.start:p.end] for p in article.paragraphs]
    spans = [[(s.start - p.start, s.end - p.start) for s in p.sentences] for p in article.paragraphs]
    return texts, spans


def paragraph_roles(article) -> list[str]:
    """One role per paragraph of an ``analysis.pipeline.model.Article`` (its own sentences)."""
    texts, spans = article_sentences(article)
    decisions = classify_paragraphs(texts, event_date=getattr(article, "event_date", None),
                                    article_date=_as_date((getattr(article, "meta", None) or {}).get("date")),
                                    sentences=spans)
    return [d.role for d in decisions]


# the evaluation against the in-house gold moved to analysis.validation.context_gold
__getattr__ = moved(__name__, ("cohen_kappa", "evaluate", "score_labels", "baseline_roles", "BASELINES"),
                    "analysis.validation.context_gold")
