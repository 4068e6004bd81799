"""The tidy per-outlet metrics table (contract in README, "The metrics table").

One row per (outlet, article, metric, target); ``article`` empty means the row
aggregates all of the outlet's articles (sums of counts, not a mean of article
values, so long and short articles weigh by their size). Columns:

    outlet, article, metric, target, value, ci_low, ci_high, n

``n`` is the number of units the value rests on (words, sentences, paragraphs
or mentions; see METRICS). Intervals are percentile bootstrap intervals from
``analysis.stats`` (units resampled within each article; N_RESAMPLES, fixed seed).
"""
from __future__ import annotations

import json
import math
import sys
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import stats
from .annotate import Annotator, ArticleAnnotation
from .model import Corpus

COLUMNS = ["outlet", "article", "metric", "target", "value", "ci_low", "ci_high", "n"]
VOICES = ("narrator", "quoted", "all")


@dataclass(frozen=True)
class MetricInfo:
    name: str
    unit: str  # what n counts
    description: str


def _metric_catalogue():
    from .hedging import CATEGORIES
    from .readability import DIRECTION, METRICS as READABILITY

    rows = [
        MetricInfo("articles", "articles", "number of articles (outlet rows only)"),
        MetricInfo("paragraphs", "paragraphs", "cleaned body paragraphs"),
        MetricInfo("sentences", "sentences", "cleaned body sentences"),
        MetricInfo("words", "sentences", "words in the cleaned body"),
        MetricInfo("hedges_per_1000_words", "words",
                   "hedge cues per 1,000 body words; target empty = all categories, else one of "
                   + ", ".join(CATEGORIES)),
        MetricInfo("context_share_words", "words", "share of body words in paragraphs whose role is context"),
        MetricInfo("context_share_paragraphs", "paragraphs", "share of body paragraphs whose role is context"),
        MetricInfo("role_share_words", "words", "share of body words per paragraph role (target = role)"),
    ]
    rows += [MetricInfo(m, "sentences", f"readability: {m.replace('_', ' ')} ({DIRECTION[m]})") for m in READABILITY]
    rows += [
        MetricInfo("mentions", "mentions", "mentions of the actor (target)"),
        MetricInfo("sentence_share", "sentences", "share of sentences that mention the actor"),
        MetricInfo("first_mention", "articles",
                   "position of the first mention, 0 = start of body, 1 = end (outlet rows: mean over articles)"),
    ]
    rows += [MetricInfo(f"sentiment_{v}", "mentions",
                        f"mean sentiment toward the actor in {v} voice, -1..1 (|v| < 0.05 neutral)"
                        if v != "all" else "mean sentiment toward the actor, both voices, -1..1")
             for v in VOICES]
    return rows


def metric_catalogue() -> pd.DataFrame:
    """Every metric name with its unit (what ``n`` counts) and a one-line description."""
    return pd.DataFrame([vars(m) for m in _metric_catalogue()])


class _Columns:
    """Per-unit numerator/denominator matrices for one article."""

    def __init__(self, names):
        self.names = list(names)
        self.index = {n: i for i, n in enumerate(self.names)}


def _readability_fields():
    from .readability import Counts
    from dataclasses import fields

    return [f.name for f in fields(Counts)]


def _article_matrices(ann: ArticleAnnotation, actor_names, roles, categories, count_fields):
    """Unit matrices: sentence-level (X_s), paragraph-level (X_p), mention-level (X_m).

    Each is (units, columns); ratio metrics are sums of one column over sums of another.
    """
    n_s = len(ann.sentences)
    # sentence units: words, hedges (total + per category), readability counts, actor presence
    s_cols = ["words", "hedges"] + [f"hedges:{c}" for c in categories] \
        + [f"rc:{f}" for f in count_fields] + [f"present:{a}" for a in actor_names] + ["one"]
    sc = _Columns(s_cols)
    xs = np.zeros((n_s, len(s_cols)))
    for i, s in enumerate(ann.sentences):
        xs[i, sc.index["words"]] = s.words
        xs[i, sc.index["hedges"]] = len(s.hedges)
        for h in s.hedges:
            xs[i, sc.index[f"hedges:{h.category}"]] += 1
        for f in count_fields:
            xs[i, sc.index[f"rc:{f}"]] = getattr(s.counts, f)
        for a in {m.actor for m, _ in s.mentions if m.actor}:
            if f"present:{a}" in sc.index:
                xs[i, sc.index[f"present:{a}"]] = 1
        xs[i, sc.index["one"]] = 1
    # paragraph units: words per role, paragraph per role
    p_cols = ["words", "one"] + [f"words:{r}" for r in roles] + [f"par:{r}" for r in roles]
    pc = _Columns(p_cols)
    pw = ann.paragraph_words
    xp = np.zeros((len(ann.roles), len(p_cols)))
    for i, role in enumerate(ann.roles):
        xp[i, pc.index["words"]] = pw[i]
        xp[i, pc.index["one"]] = 1
        xp[i, pc.index[f"words:{role}"]] = pw[i]
        xp[i, pc.index[f"par:{role}"]] = 1
    # mention units: sentiment sum and count per actor x voice
    mentions = [(m, score) for s in ann.sentences for m, score in s.mentions if m.actor in actor_names]
    m_cols = [f"{k}:{a}:{v}" for a in actor_names for v in VOICES for k in ("sum", "cnt")]
    mc = _Columns(m_cols)
    xm = np.zeros((len(mentions), len(m_cols)))
    for i, (m, score) in enumerate(mentions):
        for v in (m.voice, "all"):
            xm[i, mc.index[f"sum:{m.actor}:{v}"]] = score
            xm[i, mc.index[f"cnt:{m.actor}:{v}"]] = 1
    return (sc, xs), (pc, xp), (mc, xm), mentions


def _first_mentions(ann: ArticleAnnotation, actor_names):
    body_len = max(1, len(ann.article.body))
    first = {}
    for s in ann.sentences:
        for m, _ in s.mentions:
            if m.actor in actor_names and m.actor not in first:
                first[m.actor] = m.start / body_len
    return first


class _Group:
    """Accumulates unit sums and bootstrap sums for an article or an outlet."""

    def __init__(self, ncols):
        self.totals = [np.zeros(n) for n in ncols]
        self.boot = [np.zeros((stats.N_RESAMPLES, n)) for n in ncols]

    def add(self, k, x, weights):
        self.totals[k] += x.sum(axis=0)
        if x.shape[0]:
            self.boot[k] += weights @ x


def metrics_table(corpus: Corpus, *, annotations=None, progress=None) -> pd.DataFrame:
    """The tidy table for every outlet and article of ``corpus``.

    ``annotations`` (a list of ArticleAnnotation) may be passed to reuse a pass
    already made; ``progress`` is a stream for progress lines (None: quiet).
    """
    from .context import ROLES
    from .hedging import CATEGORIES
    from .readability import FORMULAS, METRICS as READABILITY, Counts

    if annotations is None:
        annotator = Annotator(corpus)
        annotations = []
        n = len(corpus.articles)
        for i, art in enumerate(corpus.articles):
            annotations.append(annotator(art))
            if progress and (i % max(1, n // 20) == 0 or i == n - 1):
                print(f"  annotating {i + 1}/{n}", file=progress, flush=True)
    actor_names = [a.name for a in corpus.actors]
    count_fields = _readability_fields()
    rows = []
    outlet_groups: dict[str, _Group] = {}
    outlet_meta: dict[str, dict] = {}
    article_rows: dict[str, list] = {o: [] for o in corpus.outlets}
    cols_ref = None
    for ann in annotations:
        art = ann.article
        (sc, xs), (pc, xp), (mc, xm), mentions = _article_matrices(ann, actor_names, ROLES, CATEGORIES, count_fields)
        cols_ref = (sc, pc, mc)
        ws = stats.resample_weights(xs.shape[0], art.id, "sentences")
        wp = stats.resample_weights(xp.shape[0], art.id, "paragraphs")
        wm = stats.resample_weights(xm.shape[0], art.id, "mentions")
        group = _Group([xs.shape[1], xp.shape[1], xm.shape[1]])
        for k, (x, w) in enumerate(((xs, ws), (xp, wp), (xm, wm))):
            group.add(k, x, w)
        outlet = outlet_groups.setdefault(art.outlet, _Group([xs.shape[1], xp.shape[1], xm.shape[1]]))
        for k, (x, w) in enumerate(((xs, ws), (xp, wp), (xm, wm))):
            outlet.add(k, x, w)
        meta = outlet_meta.setdefault(art.outlet, {"articles": 0, "first": {a: [] for a in actor_names},
                                                   "mentions": {a: 0 for a in actor_names}})
        meta["articles"] += 1
        first = _first_mentions(ann, actor_names)
        for a in actor_names:
            if a in first:
                meta["first"][a].append(first[a])
        article_rows[art.outlet].append(
            _group_rows(art.outlet, art.id, group, cols_ref, actor_names, first, None,
                        ROLES, CATEGORIES, READABILITY, FORMULAS, Counts, count_fields))
    for outlet in corpus.outlets:
        if outlet not in outlet_groups:
            continue
        meta = outlet_meta[outlet]
        first = {a: float(np.mean(v)) for a, v in meta["first"].items() if v}
        rows.extend(_group_rows(outlet, "", outlet_groups[outlet], cols_ref, actor_names, first,
                                meta["articles"], ROLES, CATEGORIES, READABILITY, FORMULAS, Counts,
                                count_fields))
        for r in article_rows[outlet]:
            rows.extend(r)
    table = pd.DataFrame(rows, columns=COLUMNS)
    table["n"] = table["n"].astype("int64")
    return table


def _group_rows(outlet, article, g: _Group, cols, actor_names, first, n_articles,
                roles, categories, readability_keys, formulas, Counts, count_fields):
    """Rows for one article or outlet. All intervals of the group come from one
    (resamples x metrics) matrix and one vectorised percentile call."""
    sc, pc, mc = cols
    ts, tp, tm = g.totals
    bs, bp, bm = g.boot
    specs = []  # (metric, target, value, samples or None, n)

    def add(metric, target, value, samples=None, n=0):
        specs.append((metric, target, value, samples, n))

    def ratio(tot, boot, idx, num, den, scale=1.0):
        value = float(stats.safe_ratio(tot[idx[num]], tot[idx[den]], scale))
        return value, stats.safe_ratio(boot[:, idx[num]], boot[:, idx[den]], scale)

    words = ts[sc.index["words"]]
    n_sent = ts[sc.index["one"]]
    n_par = tp[pc.index["one"]]
    if n_articles is not None:
        add("articles", "", n_articles, n=n_articles)
    add("paragraphs", "", n_par, n=n_par)
    add("sentences", "", n_sent, n=n_sent)
    add("words", "", words, n=n_sent)
    add("hedges_per_1000_words", "", *ratio(ts, bs, sc.index, "hedges", "words", 1000.0), n=words)
    for c in categories:
        add("hedges_per_1000_words", c, *ratio(ts, bs, sc.index, f"hedges:{c}", "words", 1000.0), n=words)
    add("context_share_words", "", *ratio(tp, bp, pc.index, "words:context", "words"), n=words)
    add("context_share_paragraphs", "", *ratio(tp, bp, pc.index, "par:context", "one"), n=n_par)
    for r in roles:
        add("role_share_words", r, *ratio(tp, bp, pc.index, f"words:{r}", "words"), n=words)
    # readability: formulas applied to summed counts (point) and to each resample's sums (interval)
    point = Counts(**{f: ts[sc.index[f"rc:{f}"]] for f in count_fields})
    boot_counts = Counts(**{f: bs[:, sc.index[f"rc:{f}"]] for f in count_fields})
    for key in readability_keys:
        with np.errstate(all="ignore"):
            add(key, "", formulas[key](point), np.asarray(formulas[key](boot_counts), dtype=float), n=n_sent)
    for a in actor_names:
        n_m = tm[mc.index[f"cnt:{a}:all"]]
        add("mentions", a, n_m, n=n_m)
        add("sentence_share", a, *ratio(ts, bs, sc.index, f"present:{a}", "one"), n=n_sent)
        add("first_mention", a, first.get(a, math.nan), n=n_articles if n_articles is not None else 1)
        for v in VOICES:
            cnt = tm[mc.index[f"cnt:{a}:{v}"]]
            if cnt == 0:
                add(f"sentiment_{v}", a, math.nan, n=0)
            else:
                add(f"sentiment_{v}", a, *ratio(tm, bm, mc.index, f"sum:{a}:{v}", f"cnt:{a}:{v}"), n=cnt)
    with_ci = [i for i, spec in enumerate(specs) if spec[3] is not None]
    low = high = np.array([])
    if with_ci:
        low, high = stats.percentile_interval(np.column_stack([specs[i][3] for i in with_ci]))
    bounds = {i: (low[k], high[k]) for k, i in enumerate(with_ci)}
    rows = []
    for i, (metric, target, value, _, n) in enumerate(specs):
        lo, hi = bounds.get(i, (math.nan, math.nan))
        rows.append([outlet, article, metric, target, _f(value), _f(lo), _f(hi), int(n)])
    return rows


def _f(x):
    try:
        x = float(x)
    except (TypeError, ValueError):
        return math.nan
    return x if math.isfinite(x) else math.nan


def table_to_json(table: pd.DataFrame) -> str:
    """JSON array of row objects; NaN becomes null."""
    records = []
    for rec in table.to_dict(orient="records"):
        records.append({k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in rec.items()})
    return json.dumps(records, ensure_ascii=False, indent=1) + "\n"
