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
    """Names and positions of the columns of one unit matrix."""

    def __init__(self, names):
        self.names = list(names)
        self.index = {n: i for i, n in enumerate(self.names)}


def _readability_fields():
    from .readability import Counts
    from dataclasses import fields

    return [f.name for f in fields(Counts)]


class _Layout:
    """The columns of the three unit matrices, built once per table.

    sentences:  words, hedges (total and per category), readability counts,
                actor present (0/1), one
    paragraphs: words, one, words per role, paragraph per role
    mentions:   sentiment sum and count per actor x voice
    """

    def __init__(self, actor_names, roles, categories, count_fields):
        self.count_fields = list(count_fields)
        self.s = _Columns(["words", "hedges"] + [f"hedges:{c}" for c in categories]
                          + [f"rc:{f}" for f in count_fields] + [f"present:{a}" for a in actor_names] + ["one"])
        self.p = _Columns(["words", "one"] + [f"words:{r}" for r in roles] + [f"par:{r}" for r in roles])
        self.m = _Columns([f"{k}:{a}:{v}" for a in actor_names for v in VOICES for k in ("sum", "cnt")])
        si, pi, mi = self.s.index, self.p.index, self.m.index
        self.hedge_cat = {c: si[f"hedges:{c}"] for c in categories}
        self.counts = [(f, si[f"rc:{f}"]) for f in count_fields]
        self.present = {a: si[f"present:{a}"] for a in actor_names}
        self.role_cols = {r: (pi[f"words:{r}"], pi[f"par:{r}"]) for r in roles}
        self.mention_cols = {(a, v): (mi[f"sum:{a}:{v}"], mi[f"cnt:{a}:{v}"]) for a in actor_names for v in VOICES}


def _article_matrices(ann: ArticleAnnotation, layout: _Layout):
    """Unit matrices of one article: sentences (X_s), paragraphs (X_p), mentions (X_m).

    Each is (units, columns); ratio metrics are sums of one column over sums of another.
    """
    si = layout.s.index
    i_words, i_hedges, i_one = si["words"], si["hedges"], si["one"]
    width = len(layout.s.names)
    rows = []
    for s in ann.sentences:
        r = [0.0] * width
        r[i_words] = s.words
        r[i_hedges] = len(s.hedges)
        for h in s.hedges:
            r[layout.hedge_cat[h.category]] += 1
        counts = s.counts
        for f, j in layout.counts:
            r[j] = getattr(counts, f)
        for m, _ in s.mentions:
            j = layout.present.get(m.actor)
            if j is not None:
                r[j] = 1.0
        r[i_one] = 1.0
        rows.append(r)
    xs = np.array(rows, dtype=float).reshape(len(rows), width)

    pi = layout.p.index
    width = len(layout.p.names)
    rows = []
    for words, role in zip(ann.paragraph_words, ann.roles):
        r = [0.0] * width
        r[pi["words"]] = words
        r[pi["one"]] = 1.0
        wcol, pcol = layout.role_cols[role]
        r[wcol] = words
        r[pcol] = 1.0
        rows.append(r)
    xp = np.array(rows, dtype=float).reshape(len(rows), width)

    width = len(layout.m.names)
    rows = []
    for s in ann.sentences:
        for m, score in s.mentions:
            if (m.actor, "all") not in layout.mention_cols:
                continue
            r = [0.0] * width
            for v in (m.voice, "all"):
                scol, ccol = layout.mention_cols[(m.actor, v)]
                r[scol] = score
                r[ccol] = 1.0
            rows.append(r)
    xm = np.array(rows, dtype=float).reshape(len(rows), width)
    return xs, xp, xm


def _first_mentions(ann: ArticleAnnotation, actor_names):
    body_len = max(1, len(ann.article.body))
    first = {}
    for s in ann.sentences:
        for m, _ in s.mentions:
            if m.actor in actor_names and m.actor not in first:
                first[m.actor] = m.start / body_len
    return first


class _Group:
    """Unit sums and bootstrap sums (per unit type) for an article or an outlet."""

    def __init__(self, totals, boot):
        self.totals = totals  # per unit type: (columns,)
        self.boot = boot  # per unit type: (N_RESAMPLES, columns)

    @classmethod
    def of_article(cls, matrices, weights):
        return cls([x.sum(axis=0) for x in matrices],
                   [w @ x if x.shape[0] else np.zeros((stats.N_RESAMPLES, x.shape[1]))
                    for x, w in zip(matrices, weights)])

    def add(self, other: "_Group"):
        for k in range(len(self.totals)):
            self.totals[k] = self.totals[k] + other.totals[k]
            self.boot[k] = self.boot[k] + other.boot[k]


class _Plan:
    """Which rows a group yields and how: built once per table, applied to every group.

    Ratio rows are grouped by unit type (0 sentences, 1 paragraphs, 2 mentions)
    so that every value and every resampled value of a group comes from a few
    array operations, and all intervals from one percentile call.
    """

    def __init__(self, cols, actor_names, roles, categories, readability_keys):
        sc, pc, mc = cols
        idx = (sc.index, pc.index, mc.index)
        self.rows = []  # (metric, target, kind, payload)
        self.ratios = {0: [], 1: [], 2: []}  # k -> [(num, den, scale)]

        def ratio(metric, target, k, num, den, scale=1.0, n=None):
            self.rows.append((metric, target, "ratio", (k, len(self.ratios[k]), n)))
            self.ratios[k].append((idx[k][num], idx[k][den], scale))

        def count(metric, target, k, col, n=None):
            self.rows.append((metric, target, "count", (k, idx[k][col], n)))

        count("paragraphs", "", 1, "one", n=(1, "one"))
        count("sentences", "", 0, "one", n=(0, "one"))
        count("words", "", 0, "words", n=(0, "one"))
        ratio("hedges_per_1000_words", "", 0, "hedges", "words", 1000.0, n=(0, "words"))
        for c in categories:
            ratio("hedges_per_1000_words", c, 0, f"hedges:{c}", "words", 1000.0, n=(0, "words"))
        ratio("context_share_words", "", 1, "words:context", "words", n=(1, "words"))
        ratio("context_share_paragraphs", "", 1, "par:context", "one", n=(1, "one"))
        for r in roles:
            ratio("role_share_words", r, 1, f"words:{r}", "words", n=(1, "words"))
        for key in readability_keys:
            self.rows.append((key, "", "readability", (0, "one")))
        for a in actor_names:
            count("mentions", a, 2, f"cnt:{a}:all", n=(2, f"cnt:{a}:all"))
            ratio("sentence_share", a, 0, f"present:{a}", "one", n=(0, "one"))
            self.rows.append(("first_mention", a, "first", a))
            for v in VOICES:
                ratio(f"sentiment_{v}", a, 2, f"sum:{a}:{v}", f"cnt:{a}:{v}", n=(2, f"cnt:{a}:{v}"))
        self.idx = idx
        self.arrays = {k: (np.array([r[0] for r in v], dtype=int), np.array([r[1] for r in v], dtype=int),
                           np.array([r[2] for r in v], dtype=float)) for k, v in self.ratios.items()}


def _group_rows(outlet, article, g: _Group, plan: _Plan, first, n_articles, readability_keys,
                formulas, Counts, count_fields):
    """Rows for one article (``n_articles`` None) or one outlet."""
    values, samples = {}, {}
    for k, (num, den, scale) in plan.arrays.items():
        values[k] = stats.safe_ratio(g.totals[k][num], g.totals[k][den]) * scale
        samples[k] = stats.safe_ratio(g.boot[k][:, num], g.boot[k][:, den]) * scale
    s_idx = plan.idx[0]
    point = Counts(**{f: g.totals[0][s_idx[f"rc:{f}"]] for f in count_fields})
    boot_counts = Counts(**{f: g.boot[0][:, s_idx[f"rc:{f}"]] for f in count_fields})
    read_values = np.array([formulas[key](point) for key in readability_keys], dtype=float)
    read_samples = np.column_stack([np.asarray(formulas[key](boot_counts), dtype=float)
                                    for key in readability_keys])
    # one percentile call for every interval of the group
    blocks = [samples[0], samples[1], samples[2], read_samples]
    low, high = stats.percentile_interval(np.concatenate(blocks, axis=1))
    offsets = np.cumsum([0] + [b.shape[1] for b in blocks])
    rows = []
    read_i = 0
    if n_articles is not None:
        rows.append([outlet, article, "articles", "", float(n_articles), math.nan, math.nan, int(n_articles)])
    for metric, target, kind, payload in plan.rows:
        lo = hi = math.nan
        if kind == "ratio":
            k, j, (nk, ncol) = payload
            value = values[k][j]
            lo, hi = low[offsets[k] + j], high[offsets[k] + j]
            n = g.totals[nk][plan.idx[nk][ncol]]
        elif kind == "count":
            k, col, (nk, ncol) = payload
            value = g.totals[k][col]
            n = g.totals[nk][plan.idx[nk][ncol]]
        elif kind == "readability":
            value = read_values[read_i]
            lo, hi = low[offsets[3] + read_i], high[offsets[3] + read_i]
            n = g.totals[0][plan.idx[0][payload[1]]]
            read_i += 1
        else:  # first mention
            value = first.get(payload, math.nan)
            n = n_articles if n_articles is not None else 1
        if kind == "ratio" and metric.startswith("sentiment_") and n == 0:
            lo = hi = math.nan
        rows.append([outlet, article, metric, target, _f(value), _f(lo), _f(hi), int(n)])
    return rows


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
    outlet_groups: dict[str, _Group] = {}
    outlet_first: dict[str, dict[str, list[float]]] = {}
    outlet_articles: dict[str, int] = {}
    article_rows: dict[str, list] = {o: [] for o in corpus.outlets}
    layout = _Layout(actor_names, ROLES, CATEGORIES, count_fields)
    plan = _Plan((layout.s, layout.p, layout.m), actor_names, ROLES, CATEGORIES, READABILITY)
    for ann in annotations:
        art = ann.article
        xs, xp, xm = _article_matrices(ann, layout)
        weights = [stats.resample_weights(x.shape[0], art.id, unit)
                   for x, unit in ((xs, "sentences"), (xp, "paragraphs"), (xm, "mentions"))]
        group = _Group.of_article((xs, xp, xm), weights)
        if art.outlet in outlet_groups:
            outlet_groups[art.outlet].add(group)
        else:
            outlet_groups[art.outlet] = _Group(list(group.totals), list(group.boot))
        outlet_articles[art.outlet] = outlet_articles.get(art.outlet, 0) + 1
        first = _first_mentions(ann, actor_names)
        for a, pos in first.items():
            outlet_first.setdefault(art.outlet, {}).setdefault(a, []).append(pos)
        article_rows[art.outlet].append(_group_rows(art.outlet, art.id, group, plan, first, None, READABILITY,
                                                    FORMULAS, Counts, count_fields))
    rows = []
    for outlet in corpus.outlets:
        if outlet not in outlet_groups:
            continue
        first = {a: float(np.mean(v)) for a, v in outlet_first.get(outlet, {}).items()}
        rows.extend(_group_rows(outlet, "", outlet_groups[outlet], plan, first, outlet_articles[outlet],
                                READABILITY, FORMULAS, Counts, count_fields))
        for r in article_rows[outlet]:
            rows.extend(r)
    table = pd.DataFrame(rows, columns=COLUMNS)
    table["n"] = table["n"].astype("int64")
    return table


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
