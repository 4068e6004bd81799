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

import contextlib
import functools
import gc
import json
import math
from dataclasses import dataclass
from operator import attrgetter
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import stats
from analysis.annotate import Annotator, ArticleAnnotation
from analysis.pipeline.corpus import take_articles
from analysis.errors import CorpusError
from analysis.pipeline.model import Corpus

COLUMNS = ["outlet", "article", "metric", "target", "value", "ci_low", "ci_high", "n"]
VOICES = ("narrator", "quoted", "all")


@dataclass(frozen=True)
class MetricInfo:
    name: str
    unit: str  # what n counts
    description: str


def _metric_catalogue():
    from analysis.measures.hedging import CATEGORIES
    from analysis.measures.readability import DIRECTION, METRICS as READABILITY

    rows = [
        MetricInfo("articles", "articles", "number of articles (outlet rows only)"),
        MetricInfo("paragraphs", "paragraphs", "cleaned body paragraphs"),
        MetricInfo("sentences", "sentences", "cleaned body sentences"),
        MetricInfo("words", "sentences", "words in the cleaned body"),
        MetricInfo("hedges_per_1000_words", "words",
                   "hedge cues per 1,000 body words; target empty = all categories, else one of "
                   + ", ".join(CATEGORIES)),
        MetricInfo("context_share_words", "words",
                   "expected share of body words in context paragraphs (each paragraph weighted by P(context))"),
        MetricInfo("context_share_paragraphs", "paragraphs", "expected share of paragraphs that are context (mean P(context))"),
        MetricInfo("role_share_words", "words", "expected share of body words per paragraph role (target = role)"),
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
    from analysis.measures.readability import Counts
    from dataclasses import fields

    return [f.name for f in fields(Counts)]


# the columns of one actor's matrix (one row per sentence): does the sentence mention it,
# and its sentiment sum and mention count per voice
ACTOR_COLUMNS = ("present",) + tuple(f"{k}:{v}" for v in VOICES for k in ("sum", "cnt"))
ACTOR_METRICS = ("mentions", "sentence_share", "first_mention") + tuple(f"sentiment_{v}" for v in VOICES)
_NA = len(ACTOR_COLUMNS)


class _Layout:
    """The columns of the unit matrices, built once per table.

    sentences:  words, hedges (total and per category), readability counts, one
    paragraphs: words, one, words per role, paragraph per role
    actors:     ACTOR_COLUMNS for each actor the article mentions (one row per
                sentence; an actor never mentioned has no columns, so memory does
                not grow with the number of actors tracked)
    """

    def __init__(self, actor_names, roles, categories, count_fields):
        self.count_fields = list(count_fields)
        self.s = _Columns(["words", "hedges"] + [f"hedges:{c}" for c in categories]
                          + [f"rc:{f}" for f in count_fields] + ["one"])
        self.p = _Columns(["words", "one"] + [f"words:{r}" for r in roles] + [f"par:{r}" for r in roles])
        si, pi = self.s.index, self.p.index
        self.widths = (len(self.s.names), len(self.p.names))
        self.hedge_cat = {c: si[f"hedges:{c}"] for c in categories}
        self.count_cols = [si[f"rc:{f}"] for f in count_fields]
        self.count_values = attrgetter(*self.count_fields)  # Counts -> tuple, in count_cols order
        self.role_cols = {r: (pi[f"words:{r}"], pi[f"par:{r}"]) for r in roles}
        self.actor_names = list(actor_names)
        self.actor_index = {a: i for i, a in enumerate(actor_names)}
        self.voice_cols = {v: (ACTOR_COLUMNS.index(f"sum:{v}"), ACTOR_COLUMNS.index(f"cnt:{v}")) for v in VOICES}


def _article_matrices(ann: ArticleAnnotation, layout: _Layout):
    """Unit matrices of one article: sentences (X_s), paragraphs (X_p), and its actors.

    Returns ``X_s, X_p, found, X_a``: ``found`` the positions (in the actors
    file) of the actors the article mentions, ascending, and ``X_a`` one row per
    sentence with the ACTOR_COLUMNS of each of them side by side. Ratio metrics are
    sums of one column over sums of another. X_a is resampled with the sentences'
    weights: the sentence is the resampling unit of sentiment too (the mentions of
    one sentence share its words and its scoring).
    """
    sentences = ann.sentences
    n_s = len(sentences)
    si = layout.s.index
    xs = np.zeros((n_s, len(layout.s.names)))
    if n_s:
        xs[:, si["words"]] = [s.words for s in sentences]
        xs[:, si["hedges"]] = [len(s.hedges) for s in sentences]
        xs[:, layout.count_cols] = [layout.count_values(s.counts) for s in sentences]
        xs[:, si["one"]] = 1.0
        cells = [(i, layout.hedge_cat[h.category]) for i, s in enumerate(sentences) for h in s.hedges]
        if cells:
            np.add.at(xs, tuple(np.array(cells).T), 1.0)

    pi = layout.p.index
    roles = ann.roles
    xp = np.zeros((len(roles), len(layout.p.names)))
    if roles:
        words = np.array(ann.paragraph_words, dtype=float)
        rows = np.arange(len(roles))
        xp[:, pi["words"]] = words
        xp[:, pi["one"]] = 1.0
        if ann.role_probs:
            # each paragraph counts toward every role by its probability: the expected share
            # (a better estimate of the share than counting hard labels; docs/context.md)
            for r, (wc, pc) in layout.role_cols.items():
                p = np.array([probs.get(r, 0.0) for probs in ann.role_probs])
                xp[:, wc] = words * p
                xp[:, pc] = p
        else:
            wcol, pcol = np.array([layout.role_cols[r] for r in roles]).T
            xp[rows, wcol] = words
            xp[rows, pcol] = 1.0

    index = layout.actor_index
    found = sorted({index[m.actor] for s in sentences for m, _ in s.mentions if m.actor in index})
    column = {a: k * _NA for k, a in enumerate(found)}
    xa = np.zeros((n_s, _NA * len(found)))
    voice_cols = layout.voice_cols
    for i, s in enumerate(sentences):
        for m, score in s.mentions:
            a = index.get(m.actor)
            if a is None:
                continue
            base = column[a]
            xa[i, base] = 1.0  # present
            for v in (m.voice, "all"):
                sc, cc = voice_cols[v]
                xa[i, base + sc] += score
                xa[i, base + cc] += 1.0
    return xs, xp, found, xa


def _resampled_sums(matrices, n_units: int, *keys: str) -> list[np.ndarray]:
    """For each of ``matrices`` (units, columns), each column's sum in each resample of its rows:
    (columns, resamples). The matrices share the units and so the weights.

    Past ``stats.WEIGHT_CELLS`` weights the weights are drawn and multiplied block
    by block (the same weights; memory bounded by the block, not the article).
    """
    out = [np.zeros((x.shape[1], stats.N_RESAMPLES)) for x in matrices]
    if not n_units:
        return out
    if n_units * stats.N_RESAMPLES > stats.WEIGHT_CELLS:
        for r0, block in stats.resample_weight_blocks(n_units, *keys):
            for x, o in zip(matrices, out):
                if x.shape[1]:
                    o[:, r0:r0 + block.shape[0]] = (block @ x).T  # contiguous operands: nothing copied
    else:
        w = stats.resample_weights(n_units, *keys)
        for x, o in zip(matrices, out):
            if x.shape[1]:
                np.matmul(x.T, w.T, out=o)
    return out


class _Stats:
    """Unit sums and resampled sums of one group: an article, an outlet, or a span's share of an outlet.

    ``totals[k]`` (columns,) and ``boot[k]`` (columns, resamples) for unit type k
    (0 sentences, 1 paragraphs); ``actors`` maps an actor's position to its
    (ACTOR_COLUMNS totals, resampled sums), only for actors the group mentions.
    """

    __slots__ = ("totals", "boot", "actors")

    def __init__(self, totals, boot, actors):
        self.totals, self.boot, self.actors = totals, boot, actors

    @classmethod
    def zeros(cls, widths) -> "_Stats":
        return cls([np.zeros(w) for w in widths], [np.zeros((w, stats.N_RESAMPLES)) for w in widths], {})

    def add(self, other: "_Stats") -> None:
        """Add ``other``'s sums to this group's (an article to its outlet)."""
        for k in range(len(self.totals)):
            self.totals[k] += other.totals[k]
            self.boot[k] += other.boot[k]
        for a, (t, b) in other.actors.items():
            mine = self.actors.get(a)
            if mine is None:
                self.actors[a] = (t.copy(), b.copy())
            else:
                np.add(mine[0], t, out=mine[0])
                np.add(mine[1], b, out=mine[1])


def _article_stats(ann: ArticleAnnotation, layout: _Layout) -> _Stats:
    xs, xp, found, xa = _article_matrices(ann, layout)
    art = ann.article
    # the actors' columns are resampled with the sentences' weights
    boot_s, boot_a = _resampled_sums((xs, xa), xs.shape[0], art.id, "sentences")
    boot_p, = _resampled_sums((xp,), xp.shape[0], art.id, "paragraphs")
    totals_a = xa.sum(axis=0)
    actors = {a: (totals_a[k * _NA:(k + 1) * _NA], boot_a[k * _NA:(k + 1) * _NA]) for k, a in enumerate(found)}
    return _Stats([xs.sum(axis=0), xp.sum(axis=0)], [boot_s, boot_p], actors)


def _first_mentions(ann: ArticleAnnotation, actor_names):
    body_len = max(1, len(ann.article.body))
    first = {}
    for s in ann.sentences:
        for m, _ in s.mentions:
            if m.actor in actor_names and m.actor not in first:
                first[m.actor] = m.start / body_len
    return first


class _Plan:
    """Which rows a group yields and how: built once per table, applied to every group.

    The rows are the corpus-wide ones (counts, hedge rates, role shares,
    readability), then ACTOR_METRICS for each actor in the actors file's order.
    Ratio rows are grouped by unit type (0 sentences, 1 paragraphs) so that every
    value and every resampled value of a batch of groups comes from a few array
    operations, and all intervals from one percentile call.
    """

    def __init__(self, layout: _Layout, roles, categories, readability_keys):
        idx = (layout.s.index, layout.p.index)
        self.rows = []  # (metric, target, kind, payload)
        self.ratios = {0: [], 1: []}  # k -> [(num, den, scale)]

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
        self.idx = idx
        self.one = idx[0]["one"]
        self.actor_pos = layout.actor_index
        self.voice_cols = layout.voice_cols
        self.arrays = {k: (np.array([r[0] for r in v], dtype=int), np.array([r[1] for r in v], dtype=int),
                           np.array([r[2] for r in v], dtype=float)) for k, v in self.ratios.items()}
        self._index_rows(idx, len(readability_keys))
        self.actor_names = layout.actor_names
        self.metrics = [r[0] for r in self.rows] + list(ACTOR_METRICS) * len(self.actor_names)
        self.targets = [r[1] for r in self.rows] + [a for a in self.actor_names for _ in ACTOR_METRICS]

    def _index_rows(self, idx, n_read):
        """Where each corpus-wide row's value, interval and n come from in a group's pools (``_dense_rows``).

        values:    ratio values (unit type 0, 1) | readability values | unit totals (0, 1)
        intervals: the same ratio and readability columns | NaN
        n:         unit totals (0, 1)
        """
        r_off = np.cumsum([0] + [len(self.ratios[k]) for k in range(2)])
        t_off = np.cumsum([0] + [len(i) for i in idx])
        n_ratio = int(r_off[-1])
        self.n_ratio = n_ratio
        nan_slot = n_ratio + n_read
        v_idx, ci_idx, n_idx = [], [], []
        read_i = 0
        for metric, target, kind, payload in self.rows:
            if kind == "ratio":
                k, j, (nk, ncol) = payload
                v = c = r_off[k] + j
                n = t_off[nk] + idx[nk][ncol]
            elif kind == "count":
                k, col, (nk, ncol) = payload
                v, c = n_ratio + n_read + t_off[k] + col, nan_slot
                n = t_off[nk] + idx[nk][ncol]
            else:  # readability
                v = c = n_ratio + read_i
                n = t_off[0] + idx[0][payload[1]]
                read_i += 1
            v_idx.append(v)
            ci_idx.append(c)
            n_idx.append(n)
        self.v_idx, self.ci_idx, self.n_idx = (np.array(x, dtype=int) for x in (v_idx, ci_idx, n_idx))


def _dense_rows(totals, boot, plan: _Plan, readability_keys, formulas, Counts, count_fields):
    """Value, interval bounds and n of the corpus-wide rows of a batch of groups.

    ``totals[k]`` is (groups, columns) and ``boot[k]`` (groups, columns,
    resamples). Returns four (groups, rows) arrays in row order.
    """
    n_groups = totals[0].shape[0]
    n_intervals = plan.n_ratio + len(readability_keys)  # ratio columns, then readability
    values, rows, cells = [], [], []  # cells: where each resampled row's interval goes in (groups, intervals)
    offset = 0  # of unit type k's ratios among the intervals
    for k, (num, den, scale) in plan.arrays.items():
        tk = totals[k]
        values.append(stats.safe_ratio(tk[:, num], tk[:, den]) * scale)
        # a ratio whose denominator is 0 in a group is 0 in every resample too: NaN
        # throughout, and so is its interval; only the other ratios are resampled
        gi, ri = np.nonzero(tk[:, den] > 0)
        if len(gi):
            bk = boot[k]
            rows.append(stats.safe_ratio(bk[gi, num[ri]], bk[gi, den[ri]]) * scale[ri, None])
            cells.append(gi * n_intervals + offset + ri)
        offset += len(num)
    s_idx = plan.idx[0]
    point = Counts(**{f: totals[0][:, s_idx[f"rc:{f}"]] for f in count_fields})
    boot_counts = Counts(**{f: boot[0][:, s_idx[f"rc:{f}"]] for f in count_fields})
    read_values = np.column_stack([np.asarray(formulas[key](point), dtype=float) for key in readability_keys])
    for j, key in enumerate(readability_keys):
        rows.append(np.asarray(formulas[key](boot_counts), dtype=float))  # (groups, resamples)
        cells.append(np.arange(n_groups) * n_intervals + offset + j)
    # one percentile call for every live interval of every group
    low = np.full((n_groups, n_intervals), math.nan)
    high = np.full((n_groups, n_intervals), math.nan)
    cells = np.concatenate(cells)
    low.reshape(-1)[cells], high.reshape(-1)[cells] = stats.percentile_rows(np.concatenate(rows), overwrite=True)
    all_totals = np.concatenate(totals, axis=1)
    value = np.concatenate(values + [read_values, all_totals], axis=1)[:, plan.v_idx]
    nan = np.full((n_groups, 1), math.nan)
    lo = np.concatenate([low, nan], axis=1)[:, plan.ci_idx]
    hi = np.concatenate([high, nan], axis=1)[:, plan.ci_idx]
    n = all_totals[:, plan.n_idx].astype(np.int64)
    return value, lo, hi, n


def _actor_rows(groups: list[_Stats], firsts, n_firsts, plan: _Plan):
    """Value, interval bounds and n of the ACTOR_METRICS rows of every actor, for a batch of groups.

    Returns four (groups, actors x ACTOR_METRICS) arrays in row order. An actor a
    group never mentions has 0 mentions, a sentence share of 0 (interval 0 to 0:
    0 in every resample), no first mention and no sentiment; only the actors
    mentioned are computed, so the cost follows the mentions, not the actors file.
    """
    n_groups, n_actors, m = len(groups), len(plan.actor_names), len(ACTOR_METRICS)
    value = np.full((n_groups, n_actors, m), math.nan)
    lo = np.full((n_groups, n_actors, m), math.nan)
    hi = np.full((n_groups, n_actors, m), math.nan)
    n = np.zeros((n_groups, n_actors, m))
    rows, cells = [], []  # resampled rows and where their intervals go in (groups, actors, metrics)
    cnt_all = ACTOR_COLUMNS.index("cnt:all")
    for g, (st, first) in enumerate(zip(groups, firsts)):
        one, one_boot = st.totals[0][plan.one], st.boot[0][plan.one]
        value[g, :, 0] = 0.0
        if one > 0:
            value[g, :, 1] = lo[g, :, 1] = hi[g, :, 1] = 0.0
        n[g, :, 1] = one
        n[g, :, 2] = n_firsts[g]
        for a, pos in first.items():
            value[g, plan.actor_pos[a], 2] = pos
        if not st.actors:
            continue
        act = np.array(sorted(st.actors))
        t = np.stack([st.actors[a][0] for a in act])  # (mentioned actors, ACTOR_COLUMNS)
        b = np.stack([st.actors[a][1] for a in act])  # (mentioned actors, ACTOR_COLUMNS, resamples)
        value[g, act, 0] = n[g, act, 0] = t[:, cnt_all]
        value[g, act, 1] = stats.safe_ratio(t[:, 0], one)
        rows.append(stats.safe_ratio(b[:, 0], one_boot))
        cells.append((g * n_actors + act) * m + 1)
        for j, v in enumerate(VOICES):
            sc, cc = plan.voice_cols[v]
            value[g, act, 3 + j] = stats.safe_ratio(t[:, sc], t[:, cc])
            n[g, act, 3 + j] = t[:, cc]
            live = t[:, cc] > 0  # no mention in this voice: no interval
            if live.any():
                rows.append(stats.safe_ratio(b[live, sc], b[live, cc]))
                cells.append((g * n_actors + act[live]) * m + 3 + j)
    if rows:
        cells = np.concatenate(cells)
        lo.reshape(-1)[cells], hi.reshape(-1)[cells] = stats.percentile_rows(np.concatenate(rows), overwrite=True)
    shape = (n_groups, n_actors * m)
    return value.reshape(shape), lo.reshape(shape), hi.reshape(shape), n.reshape(shape).astype(np.int64)


class _Rower:
    """Turns batches of groups into the four row arrays (value, ci_low, ci_high, n) of each group."""

    def __init__(self, plan: _Plan, readability_keys, formulas, Counts, count_fields):
        self.plan = plan
        self.dense_args = (plan, readability_keys, formulas, Counts, count_fields)

    def __call__(self, groups: list[_Stats], firsts, n_firsts) -> list[tuple]:
        totals = [np.stack([g.totals[k] for g in groups]) for k in range(2)]
        boot = [np.stack([g.boot[k] for g in groups]) for k in range(2)]
        dense = _dense_rows(totals, boot, *self.dense_args)
        actor = _actor_rows(groups, firsts, n_firsts, self.plan)
        value, lo, hi, n = (np.concatenate([d, a], axis=1) for d, a in zip(dense, actor))
        packed = np.stack([_finite(value), _finite(lo), _finite(hi), n.astype(float)], axis=1)  # (groups, 4, rows)
        return [packed[i].copy() for i in range(len(groups))]


_BATCH = 8  # groups turned into rows together: larger batches leave the CPU cache


def _finite(x: np.ndarray) -> np.ndarray:
    """NaN wherever ``x`` is not finite."""
    return np.where(np.isfinite(x), x, math.nan)


class _Rows:
    """The table, filled one group at a time: per group its outlet, article id and one
    (4, rows) array of value, ci_low, ci_high and n (compact: a corpus of 10,000
    articles holds a million rows until the table is built)."""

    def __init__(self, metrics, targets):
        self.kinds = {False: (np.array(metrics, dtype=object), np.array(targets, dtype=object)),
                      True: (np.array(["articles"] + list(metrics), dtype=object),
                             np.array([""] + list(targets), dtype=object))}
        self.groups = []  # (outlet, article, is the outlet row)
        self.blocks = []

    def add(self, outlet, article, block: np.ndarray, outlet_row: bool = False) -> None:
        self.groups.append((outlet, article, outlet_row))
        self.blocks.append(block)

    def frame(self) -> pd.DataFrame:
        data = {}
        if self.groups:
            lengths = [len(self.kinds[o][0]) for _, _, o in self.groups]
            data["outlet"] = np.repeat(np.array([g[0] for g in self.groups], dtype=object), lengths)
            data["article"] = np.repeat(np.array([g[1] for g in self.groups], dtype=object), lengths)
            data["metric"] = np.concatenate([self.kinds[o][0] for _, _, o in self.groups])
            data["target"] = np.concatenate([self.kinds[o][1] for _, _, o in self.groups])
            numbers = np.concatenate(self.blocks, axis=1)
            self.blocks.clear()
            for j, key in enumerate(("value", "ci_low", "ci_high")):
                data[key] = numbers[j]
            data["n"] = numbers[3].astype(np.int64)
            del numbers
        else:
            data = {c: np.zeros(0, dtype=object) for c in ("outlet", "article", "metric", "target")}
            data.update({c: np.zeros(0) for c in ("value", "ci_low", "ci_high")}, n=np.zeros(0, dtype=np.int64))
        table = pd.DataFrame(data, columns=COLUMNS)
        if not len(table):  # text columns get the type a non-empty table infers
            table = table.astype({c: "str" for c in ("outlet", "article", "metric", "target")})
        return table


def metrics_table(corpus: Corpus, *, annotations=None, progress=None, jobs: int = 1, engine: str = "local",
                  scheduler: str | None = None) -> pd.DataFrame:
    """The tidy table for every outlet and article of ``corpus``.

    ``annotations`` (ArticleAnnotation of the corpus's articles, in order) may be
    passed to reuse a pass already made; ``progress`` is a stream for progress
    (a bar on a terminal, plain lines otherwise; None: quiet); ``jobs`` processes
    annotate and resample the articles (the table is the same for any number).
    ``engine="dask"`` sends the spans of articles to a Dask cluster instead
    (``scheduler``: its address; see ``parallel.dask_spans``): the same table.
    """
    if engine not in ("local", "dask"):
        raise ValueError(f"engine must be 'local' or 'dask', not {engine!r}")
    if engine == "dask" and annotations is not None:
        raise ValueError("engine='dask' annotates on the cluster: pass no annotations")
    with _gc_paused(), _one_blas_thread():
        return _metrics_table(corpus, annotations, progress, jobs, engine, scheduler)


@functools.lru_cache(maxsize=4)
def _task_state(corpus_path: str, stamp: tuple):
    """What a Dask worker builds once per corpus: the lazily opened corpus, its annotator and
    the table's layout (the same objects the local engine builds). ``stamp`` (``_corpus_stamp``)
    is part of the key, so a long-lived worker does not reuse a corpus whose manifest or actors
    file has changed since (the articles themselves are read afresh for every span)."""
    from analysis.pipeline.corpus import open_corpus

    corpus = open_corpus(corpus_path)
    return corpus, Annotator(corpus), *_table_parts(corpus)


def _table_parts(corpus):
    from analysis.measures.context import ROLES
    from analysis.measures.hedging import CATEGORIES
    from analysis.measures.readability import FORMULAS, METRICS as READABILITY, Counts

    layout = _Layout([a.name for a in corpus.actors], ROLES, CATEGORIES, _readability_fields())
    plan = _Plan(layout, ROLES, CATEGORIES, READABILITY)
    return layout, plan, _Rower(plan, READABILITY, FORMULAS, Counts, layout.count_fields)


def _corpus_stamp(corpus_path) -> tuple:
    """Size and modification time of the corpus's manifest and actors file."""
    folder = Path(corpus_path)
    out = []
    for name in ("manifest.csv", "actors.yaml"):
        try:
            st = (folder / name).stat()
            out.append((name, st.st_size, st.st_mtime_ns))
        except OSError:
            out.append((name, None, None))
    return tuple(out)


def _span_task(corpus_path: str, stamp: tuple, start: int, stop: int):
    """One span of the corpus at ``corpus_path``, on a Dask worker."""
    corpus, annotator, layout, _, rower = _task_state(corpus_path, stamp)
    with _gc_paused(), _one_blas_thread():
        arts, problems = take_articles(corpus.articles, start, stop)
        return _span(annotator._batch(arts), layout, rower), problems


SPAN = 50  # articles per unit of work; fixed, so that every --jobs adds the same sums in the same order


def _span(anns, layout: _Layout, rower: _Rower):
    """The rows of each of ``anns`` and their outlets' sums: the work on one span of articles.

    Returns ``(articles, outlets)``: ``articles`` lists (outlet, article id, rows)
    in order; ``outlets`` maps each outlet to (its span's _Stats, number of
    articles, first-mention positions per actor). Only these leave the span: the
    annotations are dropped as soon as their counts are taken, so memory does not
    grow with the corpus.
    """
    arts, partials, pending = [], {}, []

    def flush():
        blocks = rower([p[2] for p in pending], [p[3] for p in pending], [1] * len(pending))
        arts.extend((outlet, article, block) for (outlet, article, _, _), block in zip(pending, blocks))
        pending.clear()

    for ann in anns:
        art = ann.article
        st = _article_stats(ann, layout)
        first = _first_mentions(ann, layout.actor_index)
        part = partials.get(art.outlet)
        if part is None:
            part = partials[art.outlet] = [_Stats.zeros(layout.widths), 0, {}]
        part[0].add(st)
        part[1] += 1
        for a, pos in first.items():
            part[2].setdefault(a, []).append(pos)
        pending.append((art.outlet, art.id, st, first))
        if len(pending) == _BATCH:
            flush()
    if pending:
        flush()
    return arts, {o: tuple(p) for o, p in partials.items()}


@contextlib.contextmanager
def _one_blas_thread():
    """Run the bootstrap's small matrix products on one BLAS thread.

    The products are small (1,000 resamples by a few hundred units) and numpy's
    BLAS splits them across every core by default; the hand-over costs far more
    than it gains and, on a busy machine, made the whole table several times
    slower. The limit is set here, inside the program, so users need no
    environment variable; the previous limits are restored. The results do not
    change (tests/test_metrics.py compares the table with and without it).
    """
    with _threadpools().limit(limits=1, user_api="blas"):
        yield


@functools.cache
def _threadpools():
    """The process's BLAS and OpenMP pools, inspected once (a fresh inspection on every
    call leaves cyclic garbage)."""
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


@contextlib.contextmanager
def _gc_paused():
    """Pause Python's cycle collector while the table is built.

    The pass allocates millions of small objects and keeps many of them, and
    each collection walks everything kept so far; the pass makes no reference
    cycles (tests/test_metrics.py checks that none are left to collect), so
    reference counting frees all its garbage anyway. About 5-10% faster on
    a thousand articles. The collector's previous state is restored.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _metrics_table(corpus, annotations, progress, jobs=1, engine="local", scheduler=None) -> pd.DataFrame:
    from analysis.parallel import dask_spans, map_spans
    from analysis.progress import Progress

    layout, plan, rower = _table_parts(corpus)
    if engine == "dask":
        n_articles = len(corpus.articles)
        where = str(Path(corpus.path).resolve())
        spans = dask_spans(_span_task, n_articles, SPAN, where, _corpus_stamp(where), scheduler=scheduler,
                           workers=jobs)
    elif annotations is None:
        annotator, articles = Annotator(corpus), corpus.articles

        def work(start, stop):
            # a lazily opened corpus (corpus.open_corpus) reads the span's articles here
            arts, problems = take_articles(articles, start, stop)
            return _span(annotator._batch(arts), layout, rower), problems

        warm, n_articles = annotator.warm, len(articles)
    else:
        annotations = list(annotations)

        def work(start, stop):
            return _span(annotations[start:stop], layout, rower), []

        warm, n_articles = None, len(annotations)
    outlet_stats: dict[str, _Stats] = {}
    outlet_articles: dict[str, int] = {}
    outlet_first: dict[str, dict[str, list[float]]] = {}
    article_rows: dict[str, list] = {}
    problems = []  # articles that could not be read: all reported at the end, nothing written
    if engine != "dask":
        spans = map_spans(work, n_articles, jobs, SPAN, warm=warm)
    with Progress(n_articles, "annotating", progress) as bar:
        for (start, stop), ((arts, partials), span_problems) in spans:
            problems += span_problems
            for outlet, article, block in arts:
                article_rows.setdefault(outlet, []).append((article, block))
            for outlet, (st, k, firsts) in partials.items():
                mine = outlet_stats.get(outlet)
                if mine is None:
                    mine = outlet_stats[outlet] = _Stats.zeros(layout.widths)
                mine.add(st)
                outlet_articles[outlet] = outlet_articles.get(outlet, 0) + k
                for a, pos in firsts.items():
                    outlet_first.setdefault(outlet, {}).setdefault(a, []).extend(pos)
            bar.update(stop - start)
    if problems:
        raise CorpusError(None, problems=problems)
    outlets = [o for o in corpus.outlets if o in outlet_stats]
    outlet_blocks = {}
    for i in range(0, len(outlets), _BATCH):
        chunk = outlets[i:i + _BATCH]
        blocks = rower([outlet_stats[o] for o in chunk],
                       [{a: float(np.mean(v)) for a, v in outlet_first.get(o, {}).items()} for o in chunk],
                       [outlet_articles[o] for o in chunk])
        outlet_blocks.update(zip(chunk, blocks))
    out = _Rows(plan.metrics, plan.targets)
    for outlet in outlets:
        k = float(outlet_articles[outlet])
        out.add(outlet, "", np.concatenate([[[k], [math.nan], [math.nan], [k]], outlet_blocks[outlet]], axis=1),
                outlet_row=True)
        for article, block in article_rows.pop(outlet):
            out.add(outlet, article, block)
    return out.frame()


def table_to_json(table: pd.DataFrame) -> str:
    """JSON array of row objects; NaN becomes null."""
    records = []
    for rec in table.to_dict(orient="records"):
        records.append({k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in rec.items()})
    return json.dumps(records, ensure_ascii=False, indent=1) + "\n"
