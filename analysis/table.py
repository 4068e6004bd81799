"""The tidy per-outlet metrics table (contract in README, "The metrics table").

One row per (outlet, article, metric, target); ``article`` empty means the row
aggregates all of the outlet's articles (sums of counts, not a mean of article
values, so long and short articles weigh by their size). Columns:

    outlet, article, metric, target, value, ci_low, ci_high, n

The rows are those the registered measures declare (``analysis.measures``):
the table knows no measure by name. Each article's counts go into unit
matrices (sentences, paragraphs, and per actor), the units are resampled with
replacement within the article for the intervals (``analysis.stats``:
N_RESAMPLES, fixed seeds), and every row is a function of column sums: a ratio,
a total or a formula (``analysis.measures.base``). ``n`` is the number of units
the value rests on (``metric_catalogue()``).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import csv
import functools
import io
import json
import math
import tempfile
from pathlib import Path

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

from analysis import stats
from analysis.annotate import Annotator, ArticleAnnotation
from analysis.errors import CorpusError
from analysis.export import (csv_floats, neutralise, read_counts_parquet, write_counts_parquet,
                             write_table_parquet)
from analysis.measures.base import (BASE_HEAD, BASE_TAIL, EACH_ACTOR, PARAGRAPHS, SENTENCES, UNITS, ArticleMean,
                                    Formula, MetricInfo, Ratio, Total)
from analysis.measures.registry import measures as registered_measures
from analysis.measures.registry import select as select_measures
from analysis.parallel import dask_spans, gc_paused, map_spans, one_blas_thread
from analysis.pipeline.corpus import open_corpus, take_articles
from analysis.pipeline.model import Corpus
from analysis.progress import Progress

COLUMNS = ["outlet", "article", "metric", "target", "value", "ci_low", "ci_high", "n"]
SPAN = 50  # articles per unit of work; fixed, so that every --jobs adds the same sums in the same order
_BATCH = 8  # groups turned into rows together (speed: larger batches leave the CPU cache)


def metric_catalogue(measures=None) -> pd.DataFrame:
    """Every metric name with its unit (what ``n`` counts) and a one-line description."""
    import pandas as pd  # imported on first use (start-up time of the commands that never need it)
    rows = [MetricInfo("articles", "articles", "number of articles (outlet rows only)")]
    for m in measures if measures is not None else registered_measures():
        rows += m.catalogue()
    return pd.DataFrame([vars(r) for r in rows])


# --------------------------------------------------------------------------
# Layout: where each measure's counts go
# --------------------------------------------------------------------------

class _Layout:
    """The columns of the unit matrices of a table, built once from the measures.

    Unit u's matrix: BASE_HEAD[u], every measure's ``columns[u]`` (named
    ``measure:column``), BASE_TAIL[u]. The actor block: every measure's
    ``target_columns``, side by side, once per actor an article mentions (one row
    per sentence; an actor never mentioned has no columns, so memory does not
    grow with the number of actors tracked).
    """

    def __init__(self, measures, actor_names):
        self.measures = list(measures)
        self.names = {}
        self.slices = {}  # (measure, unit) -> slice of the unit matrix
        for u in UNITS:
            names = list(BASE_HEAD[u])
            for m in self.measures:
                own = list(m.columns.get(u, ()))
                self.slices[(m.name, u)] = slice(len(names), len(names) + len(own))
                names += [f"{m.name}:{c}" for c in own]
            self.names[u] = names + list(BASE_TAIL[u])
        self.index = {u: {n: i for i, n in enumerate(self.names[u])} for u in UNITS}
        self.widths = tuple(len(self.names[u]) for u in UNITS)
        self.target_names, self.target_slices = [], {}
        for m in self.measures:
            if m.target_columns:
                self.target_slices[m.name] = slice(len(self.target_names), len(self.target_names) + len(m.target_columns))
                self.target_names += [f"{m.name}:{c}" for c in m.target_columns]
        self.n_target = len(self.target_names)
        self.target_index = {n: i for i, n in enumerate(self.target_names)}
        self.actor_names = list(actor_names)
        self.actor_index = {a: i for i, a in enumerate(self.actor_names)}

    def column(self, measure, unit: str, name: str) -> int:
        """Position of ``name`` in unit's matrix: the measure's own column, else a base column."""
        own = f"{measure.name}:{name}"
        if own in self.index[unit]:
            return self.index[unit][own]
        if name in BASE_HEAD[unit] + BASE_TAIL[unit]:
            return self.index[unit][name]
        raise KeyError(f"measure {measure.name!r}: no column {name!r} on {unit}")

    def ref(self, measure, unit: str, name: str) -> tuple[str, int]:
        """For an actor row: ("t", position in the actor block) or ("u", position in unit's matrix)."""
        own = f"{measure.name}:{name}"
        if own in self.target_index:
            return "t", self.target_index[own]
        return "u", self.column(measure, unit, name)


def _article_matrices(ann: ArticleAnnotation, layout: _Layout):
    """Unit matrices of one article: sentences (X_s), paragraphs (X_p), and its actors.

    Returns ``X_s, X_p, found, X_a, article_values``: ``found`` the positions (in
    the actors file) of the actors the article mentions, ascending, and ``X_a``
    one row per sentence with the actor block of each of them side by side.
    X_a is resampled with the sentences' weights.
    """
    doc = ann.doc
    n_s = len(doc.tokens)
    n_p = len(doc.article.paragraphs)
    xs = np.zeros((n_s, layout.widths[0]))
    xp = np.zeros((n_p, layout.widths[1]))
    si, pi = layout.index[SENTENCES], layout.index[PARAGRAPHS]
    words = np.array([len(t) for t in doc.tokens], dtype=float)
    if n_s:
        xs[:, si["words"]] = words
        xs[:, si["one"]] = 1.0
    if n_p:
        par_words = np.zeros(n_p)
        np.add.at(par_words, [s.paragraph for s in doc.sentences], words)
        xp[:, pi["words"]] = par_words
        xp[:, pi["one"]] = 1.0
    blocks, article_values = {}, {}
    for m in layout.measures:
        counted = m.count(ann.results[m.name], doc)
        for u, x in ((SENTENCES, xs), (PARAGRAPHS, xp)):
            block = counted.units.get(u)
            if block is not None and block.shape[1]:
                x[:, layout.slices[(m.name, u)]] = block
        if counted.targets:
            blocks[m.name] = counted.targets
        article_values.update(counted.article_values)
    index = layout.actor_index
    found = sorted({index[a] for targets in blocks.values() for a in targets if a in index})
    width = layout.n_target
    xa = np.zeros((n_s, width * len(found)))
    for k, a in enumerate(found):
        name = layout.actor_names[a]
        for m_name, targets in blocks.items():
            block = targets.get(name)
            if block is not None:
                sl = layout.target_slices[m_name]
                xa[:, k * width + sl.start:k * width + sl.stop] = block
    return xs, xp, found, xa, article_values


# --------------------------------------------------------------------------
# Sums and resampled sums of a group (an article, an outlet)
# --------------------------------------------------------------------------

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

    ``totals[k]`` (columns,) and ``boot[k]`` (columns, resamples) for unit
    UNITS[k]; ``actors`` maps an actor's position to its (actor block totals,
    resampled sums), only for actors the group mentions.
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


def _article_stats(ann: ArticleAnnotation, layout: _Layout):
    """The article's _Stats and its per-article values (``ArticleMean`` rows)."""
    xs, xp, found, xa, article_values = _article_matrices(ann, layout)
    return _matrix_stats(ann.article.id, xs, xp, found, xa, layout), article_values


def _matrix_stats(art_id: str, xs, xp, found, xa, layout: _Layout) -> _Stats:
    """An article's _Stats from its unit matrices."""
    # the actors' columns are resampled with the sentences' weights
    boot_s, boot_a = _resampled_sums((xs, xa), xs.shape[0], art_id, SENTENCES)
    boot_p, = _resampled_sums((xp,), xp.shape[0], art_id, PARAGRAPHS)
    totals_a = xa.sum(axis=0)
    w = layout.n_target
    actors = {a: (totals_a[k * w:(k + 1) * w], boot_a[k * w:(k + 1) * w]) for k, a in enumerate(found)}
    return _Stats([xs.sum(axis=0), xp.sum(axis=0)], [boot_s, boot_p], actors)


# --------------------------------------------------------------------------
# Plan: which rows a group yields and where each comes from
# --------------------------------------------------------------------------

class _Plan:
    """Which rows a group yields and how: built once per table, applied to every group.

    The rows are every measure's rows in registry order, then the EACH_ACTOR rows
    of every measure for each actor in the actors file's order. Ratio rows are
    grouped by unit so that every value and every resampled value of a batch of
    groups comes from a few array operations, and all intervals from one
    percentile call.
    """

    def __init__(self, layout: _Layout, corpus):
        self.layout = layout
        dense, self.templates = [], []  # templates: (measure, row) of the EACH_ACTOR rows
        for m in layout.measures:
            for row in m.rows(corpus):
                (self.templates if row.target == EACH_ACTOR else dense).append((m, row))
        for m, row in dense:
            if isinstance(row, ArticleMean):
                raise ValueError(f"measure {m.name!r}: ArticleMean rows must have target EACH_ACTOR")
        self.ratios = {k: [] for k in range(len(UNITS))}  # k -> [(num, den, scale)]
        self.formulas = []  # (k, {input name: column}, function)
        kinds = []
        for m, row in dense:
            k = UNITS.index(row.unit)
            if isinstance(row, Ratio):
                kinds.append(("ratio", k, len(self.ratios[k]), self._n(m, row, row.denominator)))
                self.ratios[k].append((layout.column(m, row.unit, row.numerator),
                                       layout.column(m, row.unit, row.denominator), row.scale))
            elif isinstance(row, Total):
                kinds.append(("total", k, layout.column(m, row.unit, row.column), self._n(m, row, row.column)))
            else:
                kinds.append(("formula", k, len(self.formulas), self._n(m, row, None)))
                self.formulas.append((k, {c: layout.column(m, row.unit, c) for c in row.inputs}, row.function))
        self.arrays = {k: (np.array([r[0] for r in v], dtype=int), np.array([r[1] for r in v], dtype=int),
                           np.array([r[2] for r in v], dtype=float)) for k, v in self.ratios.items()}
        self._index_rows(kinds)
        self.actor_names = layout.actor_names
        self.actor_pos = layout.actor_index
        self._resolve_templates()
        self.metrics = [r.metric for _, r in dense] + [r.metric for _, r in self.templates] * len(self.actor_names)
        self.targets = [r.target for _, r in dense] + [a for a in self.actor_names for _ in self.templates]

    def _n(self, m, row, default):
        unit, col = row.n if row.n is not None else (row.unit, default)
        return UNITS.index(unit), self.layout.column(m, unit, col)

    def _index_rows(self, kinds):
        """Where each row's value, interval and n come from in a group's pools (``_dense_rows``).

        values:    ratio values (by unit) | formula values | unit totals (by unit)
        intervals: the same ratio and formula columns | NaN
        n:         unit totals (by unit)
        """
        r_off = np.cumsum([0] + [len(self.ratios[k]) for k in range(len(UNITS))])
        t_off = np.cumsum([0] + list(self.layout.widths))
        n_ratio, n_formula = int(r_off[-1]), len(self.formulas)
        self.n_ratio = n_ratio
        nan_slot = n_ratio + n_formula
        v_idx, ci_idx, n_idx = [], [], []
        for kind, k, j, (nk, ncol) in kinds:
            if kind == "ratio":
                v = c = r_off[k] + j
            elif kind == "total":
                v, c = n_ratio + n_formula + t_off[k] + j, nan_slot
            else:
                v = c = n_ratio + j
            v_idx.append(v)
            ci_idx.append(c)
            n_idx.append(t_off[nk] + ncol)
        self.v_idx, self.ci_idx, self.n_idx = (np.array(x, dtype=int) for x in (v_idx, ci_idx, n_idx))

    def _resolve_templates(self):
        """Each actor row as (kind, numerator/column ref, denominator ref, scale, n ref); a ref is
        ("t", column of the actor block) or ("u", column of the sentence matrix)."""
        lay, out = self.layout, []
        for m, row in self.templates:
            if isinstance(row, ArticleMean):
                out.append(("mean", row.metric, None, 1.0, None))
                continue
            if row.unit != SENTENCES:
                raise ValueError(f"measure {m.name!r}: actor rows are counted on sentences")
            n_unit, n_col = row.n if row.n is not None else (SENTENCES, None)
            if isinstance(row, Ratio):
                n_ref = lay.ref(m, n_unit, n_col or row.denominator)
                out.append(("ratio", lay.ref(m, SENTENCES, row.numerator), lay.ref(m, SENTENCES, row.denominator),
                            row.scale, n_ref))
            elif isinstance(row, Total):
                out.append(("total", lay.ref(m, SENTENCES, row.column), None, 1.0,
                            lay.ref(m, n_unit, n_col or row.column)))
            else:
                raise ValueError(f"measure {m.name!r}: actor rows are Ratio, Total or ArticleMean")
        self.resolved = out


def _dense_rows(totals, boot, plan: _Plan):
    """Value, interval bounds and n of the rows not about actors, for a batch of groups.

    ``totals[k]`` is (groups, columns) and ``boot[k]`` (groups, columns,
    resamples). Returns four (groups, rows) arrays in row order.
    """
    n_groups = totals[0].shape[0]
    n_intervals = plan.n_ratio + len(plan.formulas)  # ratio columns, then formulas
    values, rows, cells = [], [], []  # cells: where each resampled row's interval goes in (groups, intervals)
    offset = 0  # of unit k's ratios among the intervals
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
    formula_values = []
    for j, (k, inputs, function) in enumerate(plan.formulas):
        formula_values.append(np.asarray(function({c: totals[k][:, i] for c, i in inputs.items()}), dtype=float))
        rows.append(np.asarray(function({c: boot[k][:, i] for c, i in inputs.items()}), dtype=float))
        cells.append(np.arange(n_groups) * n_intervals + offset + j)
    # one percentile call for every live interval of every group
    low = np.full((n_groups, n_intervals), math.nan)
    high = np.full((n_groups, n_intervals), math.nan)
    if cells:
        cells = np.concatenate(cells)
        low.reshape(-1)[cells], high.reshape(-1)[cells] = stats.percentile_rows(np.concatenate(rows), overwrite=True)
    all_totals = np.concatenate(totals, axis=1)
    pools = values + ([np.column_stack(formula_values)] if formula_values else []) + [all_totals]
    value = np.concatenate(pools, axis=1)[:, plan.v_idx]
    nan = np.full((n_groups, 1), math.nan)
    lo = np.concatenate([low, nan], axis=1)[:, plan.ci_idx]
    hi = np.concatenate([high, nan], axis=1)[:, plan.ci_idx]
    n = all_totals[:, plan.n_idx].astype(np.int64)
    return value, lo, hi, n


def _actor_rows(groups: list[_Stats], article_values, n_articles, plan: _Plan, s_tot, s_boot):
    """Value, interval bounds and n of the actor rows of every actor, for a batch of groups.

    Returns four (groups, actors x actor rows) arrays in row order. An actor a
    group never mentions has zero sums in its block: its rows are computed once
    per group and shared, and only the actors mentioned are computed one by one,
    so the cost follows the mentions, not the actors file. Every group of the
    batch and every actor it mentions (a "pair") is computed in the same array
    operations, one template at a time. ``s_tot`` (groups, columns) and
    ``s_boot`` (groups, columns, resamples) are the groups' sentence sums, stacked
    (as ``_dense_rows`` has them).
    """
    n_groups, n_actors, m = len(groups), len(plan.actor_names), len(plan.resolved)
    R, W = stats.N_RESAMPLES, plan.layout.n_target
    value = np.full((n_groups, n_actors, m), math.nan)
    lo = np.full((n_groups, n_actors, m), math.nan)
    hi = np.full((n_groups, n_actors, m), math.nan)
    n = np.zeros((n_groups, n_actors, m))
    # the (group, actor) pairs of mentioned actors, in group order, actors ascending
    pair_g, pair_a, t_blocks, b_blocks = [], [], [], []
    for g, st in enumerate(groups):
        for a in sorted(st.actors):
            pair_g.append(g)
            pair_a.append(a)
            t_blocks.append(st.actors[a][0])
            b_blocks.append(st.actors[a][1])
    pg, pa = np.array(pair_g, dtype=int), np.array(pair_a, dtype=int)
    t = np.stack(t_blocks) if t_blocks else np.zeros((0, W))  # (pairs, block columns)
    b = np.stack(b_blocks) if b_blocks else np.zeros((0, W, R))  # (pairs, block columns, resamples)
    zeros_g = np.zeros(n_groups)

    def point(ref):  # (not mentioned: per group, mentioned: per pair) sums
        kind, c = ref
        return (zeros_g, t[:, c]) if kind == "t" else (s_tot[:, c], s_tot[pg, c])

    def resampled_shared(ref, gs):  # the not-mentioned resampled sums of groups ``gs``
        kind, c = ref
        return np.zeros((len(gs), R)) if kind == "t" else s_boot[gs, c]

    def resampled_pairs(ref, live):  # the resampled sums of the live pairs
        kind, c = ref
        return b[live, c] if kind == "t" else s_boot[pg[live], c]

    shared_rows, shared_cells = [], []  # resampled rows of the actors not mentioned, and their (group, row)
    rows, cells = [], []  # resampled rows of mentioned actors and where their intervals go
    for j, (kind, a_ref, b_ref, scale, n_ref) in enumerate(plan.resolved):
        if kind == "mean":
            for g in range(n_groups):
                n[g, :, j] = n_articles[g]
                for a, v in article_values[g].get(a_ref, {}).items():
                    value[g, plan.actor_pos[a], j] = v
            continue
        n0, n1 = point(n_ref)
        n[:, :, j] = n0[:, None]
        num0, num1 = point(a_ref)
        if kind == "total":
            value[:, :, j] = num0[:, None]
            value[pg, pa, j], n[pg, pa, j] = num1, n1
            continue
        den0, den1 = point(b_ref)
        value[:, :, j] = (stats.safe_ratio(num0, den0) * scale)[:, None]
        gs = np.flatnonzero(den0 > 0)
        if len(gs):
            shared_rows.append(stats.safe_ratio(resampled_shared(a_ref, gs), resampled_shared(b_ref, gs)) * scale)
            shared_cells.append((gs, j))
        if not len(pg):
            continue
        value[pg, pa, j] = stats.safe_ratio(num1, den1) * scale
        n[pg, pa, j] = n1
        live = den1 > 0  # no denominator in this group: no interval
        if live.any():
            rows.append(stats.safe_ratio(resampled_pairs(a_ref, live), resampled_pairs(b_ref, live)) * scale)
            cells.append((pg[live] * n_actors + pa[live]) * m + j)
    if shared_rows:
        s_lo, s_hi = stats.percentile_rows(np.concatenate(shared_rows), overwrite=True)
        k = 0
        for gs, j in shared_cells:
            lo[gs, :, j] = s_lo[k:k + len(gs), None]
            hi[gs, :, j] = s_hi[k:k + len(gs), None]
            k += len(gs)
    if rows:
        cells = np.concatenate(cells)
        lo.reshape(-1)[cells], hi.reshape(-1)[cells] = stats.percentile_rows(np.concatenate(rows), overwrite=True)
    shape = (n_groups, n_actors * m)
    return value.reshape(shape), lo.reshape(shape), hi.reshape(shape), n.reshape(shape).astype(np.int64)


class _Rower:
    """Turns batches of groups into the four row arrays (value, ci_low, ci_high, n) of each group."""

    def __init__(self, plan: _Plan):
        self.plan = plan

    def __call__(self, groups: list[_Stats], article_values, n_articles) -> list[np.ndarray]:
        totals = [np.stack([g.totals[k] for g in groups]) for k in range(len(UNITS))]
        boot = [np.stack([g.boot[k] for g in groups]) for k in range(len(UNITS))]
        dense = _dense_rows(totals, boot, self.plan)
        actor = _actor_rows(groups, article_values, n_articles, self.plan, totals[0], boot[0])
        value, lo, hi, n = (np.concatenate([d, a], axis=1) for d, a in zip(dense, actor))
        packed = np.stack([_finite(value), _finite(lo), _finite(hi), n.astype(float)], axis=1)  # (groups, 4, rows)
        return [packed[i].copy() for i in range(len(groups))]


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

    def keep(self, outlet, article, block: np.ndarray):
        """What is held of an article's rows until its outlet's turn comes (``add``)."""
        return block

    def add(self, outlet, article, block: np.ndarray, outlet_row: bool = False) -> None:
        self.groups.append((outlet, article, outlet_row))
        self.blocks.append(block)

    def result(self) -> pd.DataFrame:
        return self.frame()

    def frame(self) -> pd.DataFrame:
        import pandas as pd  # imported on first use (start-up time of the commands that never need it)
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


class _OutletRows(_Rows):
    """The outlets' rows only; of each article, a summary of its rows (``outlets_and_articles``)."""

    def __init__(self, metrics, targets, summary):
        super().__init__(metrics, targets)
        self.summarise = summary(*self.kinds[False])
        self.summaries = {}

    def keep(self, outlet, article, block: np.ndarray):
        return self.summarise(block)

    def add(self, outlet, article, block, outlet_row: bool = False) -> None:
        if outlet_row:
            super().add(outlet, article, block, True)
        else:
            self.summaries[outlet, article] = block  # the summary ``keep`` made

    def result(self):
        return self.frame(), self.summaries


def _csv_line(*fields) -> str:
    """One CSV line as the csv module writes it (minimal quoting, "\\n" at the end)."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(fields)
    return buf.getvalue()


SPOOL_BYTES = 4 * 2**20  # the articles' formatted rows held in memory up to this size, then in a temporary file


class _Spool:
    """Where the articles' formatted rows wait for their outlet's turn: in memory while they are
    small, past ``SPOOL_BYTES`` in an anonymous temporary file (in TMPDIR; memory: the rows of a
    large corpus are tens to hundreds of MB of text). ``put`` returns a handle that ``take``
    turns back into the text. Where the file cannot be made or written (no space), the rows
    from then on are held in memory; those already in the file stay readable."""

    def __init__(self):
        self.held = 0
        self.file = None
        self.in_memory = False  # the file failed: hold everything from now on

    def put(self, text: str):
        if self.in_memory:
            return text
        if self.file is None:
            self.held += len(text)
            if self.held <= SPOOL_BYTES:
                return text
            try:
                self.file = tempfile.TemporaryFile(prefix="framing-rows-")
            except OSError:
                self.in_memory = True
                return text
        data = text.encode("utf-8")
        at = self.file.seek(0, io.SEEK_END)
        try:
            self.file.write(data)
            self.file.flush()  # a full disk shows here, not when the rows are read back
        except OSError:
            self.in_memory = True
            return text
        return at, len(data)

    def take(self, handle) -> str:
        if isinstance(handle, str):
            return handle
        at, size = handle
        self.file.seek(at)
        return self.file.read(size).decode("utf-8")

    def close(self) -> None:
        if self.file is not None:
            self.file.close()
            self.file = None


class _TextRows(_Rows):
    """The table written as text into ``fh`` instead of built: each article's rows are formatted
    as soon as they arrive (while other articles are still being annotated) and held (``_Spool``);
    outlet by outlet they are written at the end, each outlet's row first. Subclasses give the
    text of a group's rows (``text``), what comes before the first row and after the last."""

    def __init__(self, metrics, targets, fh):
        super().__init__(metrics, targets)
        self.fh = fh
        self.spool = _Spool()
        self.started = False

    def text(self, outlet, article, block: np.ndarray, outlet_row: bool) -> str:
        raise NotImplementedError

    def opening(self, first: str) -> str:
        """The first group's text as written first (with what comes before it)."""
        return first

    def closing(self) -> str:
        """What is written after the last group (``started``: some group was written)."""
        return ""

    def keep(self, outlet, article, block: np.ndarray):
        return self.spool.put(self.text(outlet, article, block, False))

    def add(self, outlet, article, held, outlet_row: bool = False) -> None:
        """Write a group's rows: ``held`` is an article's handle from ``keep``, or an outlet's block."""
        text = self.text(outlet, article, held, True) if outlet_row else self.spool.take(held)
        if not self.started:  # nothing is written before every article has been read
            text = self.opening(text)
            self.started = True
        self.fh.write(text)

    def result(self) -> None:
        self.spool.close()
        self.fh.write(self.closing())


class _CsvRows(_TextRows):
    """The table written as CSV (``write_metrics_csv``): the same characters as
    ``export.write_csv(export.safe_text_columns(table))``."""

    def __init__(self, metrics, targets, fh):
        super().__init__(metrics, targets, fh)
        # each row's "metric,target," as the csv module writes it (neutralised, quoted where needed),
        # made once: the rows of a group are then joined as text (speed: numbers never need quotes)
        self.text_columns = {k: [_csv_line(neutralise(a), neutralise(b), "")[:-1] for a, b in zip(m, t)]
                             for k, (m, t) in self.kinds.items()}
        self.header = _csv_line(*COLUMNS)

    def text(self, outlet, article, block: np.ndarray, outlet_row: bool) -> str:
        head = _csv_line(neutralise(outlet), neutralise(article), "")[:-1]  # "outlet,article,"
        value, low, high, n = block.tolist()
        return "".join([f"{head}{text}{v},{lo},{hi},{int(k)}\n" for text, v, lo, hi, k in zip(
            self.text_columns[outlet_row], csv_floats(value), csv_floats(low), csv_floats(high), n)])

    def opening(self, first: str) -> str:
        return self.header + first

    def closing(self) -> str:
        return "" if self.started else self.header


def _json_value(v) -> str:
    """A cell as ``table_to_json`` writes it (NaN as null)."""
    return "null" if isinstance(v, float) and math.isnan(v) else json.dumps(v, ensure_ascii=False)


def _json_floats(values) -> list[str]:
    """Floats as ``json.dumps`` writes them (``float.__repr__``), NaN as null (the table holds no infinities)."""
    return [repr(v) if v == v else "null" for v in values]


class _JsonRows(_TextRows):
    """The table written as JSON (``write_metrics_json``): the same characters as
    ``table_to_json(table)`` (an array of row objects, indented by one space, NaN as null).
    Every row is written after ",\n"; the first row's is replaced by the array's "[\n"."""

    def __init__(self, metrics, targets, fh):
        super().__init__(metrics, targets, fh)
        # each row's metric and target lines, up to the value, made once
        self.text_columns = {k: [f'  "metric": {_json_value(a)},\n  "target": {_json_value(b)},\n  "value": '
                                 for a, b in zip(m, t)] for k, (m, t) in self.kinds.items()}

    def text(self, outlet, article, block: np.ndarray, outlet_row: bool) -> str:
        head = f',\n {{\n  "outlet": {_json_value(outlet)},\n  "article": {_json_value(article)},\n'
        value, low, high, n = block.tolist()
        return "".join([f'{head}{text}{v},\n  "ci_low": {lo},\n  "ci_high": {hi},\n  "n": {int(k)}\n }}'
                        for text, v, lo, hi, k in zip(self.text_columns[outlet_row], _json_floats(value),
                                                      _json_floats(low), _json_floats(high), n)])

    def opening(self, first: str) -> str:
        return "[" + first[1:]  # ",\n {" -> "[\n {"

    def closing(self) -> str:
        return "\n]\n" if self.started else "[]\n"


class _WideRows(_TextRows):
    """The wide table written as CSV (``write_metrics_wide``): one line per outlet and per article,
    one column per metric and target (``metric`` or ``metric:target``) holding the value. The same
    characters as ``export.write_csv(export.safe_text_columns(export.wide_table(table)))``."""

    def __init__(self, metrics, targets, fh):
        super().__init__(metrics, targets, fh)
        names, targets = self.kinds[True]  # an outlet's rows: "articles", then every other row
        self.header = _csv_line("outlet", "article", *(m if t == "" else f"{m}:{t}" for m, t in zip(names, targets)))

    def text(self, outlet, article, block: np.ndarray, outlet_row: bool) -> str:
        head = _csv_line(neutralise(outlet), neutralise(article), "")[:-1]  # "outlet,article,"
        cells = csv_floats(block[0].tolist())
        return head + ("" if outlet_row else ",") + ",".join(cells) + "\n"  # an article has no "articles"

    def opening(self, first: str) -> str:
        return self.header + first

    def closing(self) -> str:
        return "" if self.started else _csv_line("outlet", "article")  # no rows: no metric columns


PARQUET_ROWS = 25_000  # rows per Parquet row group when the metrics table is streamed (memory: each is converted whole)


class _ParquetRows(_Rows):
    """The table written as Parquet (``write_metrics_parquet``): rows are turned into a row group
    every ``PARQUET_ROWS`` rows or so (at a group's end), so only that many are ever held as a
    table. Read back, the same table as ``metrics_table(...).to_parquet(fh, index=False)`` gives:
    the same columns, types and pandas metadata (each row group is pyarrow's conversion of a
    frame built as ``_Rows.frame`` builds the whole table)."""

    def __init__(self, metrics, targets, fh):
        super().__init__(metrics, targets)
        self.fh = fh
        self.writer = None
        self.held = 0

    def add(self, outlet, article, block: np.ndarray, outlet_row: bool = False) -> None:
        super().add(outlet, article, block, outlet_row)
        self.held += block.shape[1]
        if self.held >= PARQUET_ROWS:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        part = pa.Table.from_pandas(self.frame(), preserve_index=False)
        self.groups.clear()
        self.held = 0
        if self.writer is None:
            self.writer = pq.ParquetWriter(self.fh, part.schema)
        self.writer.write_table(part)

    def result(self) -> None:
        if self.writer is None:  # the whole table fits in one row group: as pandas writes it
            write_table_parquet(self.frame(), self.fh)
            return
        if self.groups:
            self._flush()
        self.writer.close()


# --------------------------------------------------------------------------
# The pass over the corpus
# --------------------------------------------------------------------------

def metrics_table(corpus: Corpus, *, annotations=None, progress=None, jobs: int = 1, engine: str = "local",
                  scheduler: str | None = None, counts=None, measures=None) -> pd.DataFrame:
    """The tidy table for every outlet and article of ``corpus``.

    ``annotations`` (ArticleAnnotation of the corpus's articles, in order) may be
    passed to reuse a pass already made; ``progress`` is a stream for progress
    (a bar on a terminal, plain lines otherwise; None: quiet); ``jobs`` processes
    annotate and resample the articles (the table is the same for any number).
    ``engine="dask"`` sends the spans of articles to a Dask cluster instead
    (``scheduler``: its address; see ``parallel.dask_spans``): the workers write
    each span's per-article counts as one Parquet part in the folder ``counts``
    (which every worker must reach; default: a temporary folder, removed at the
    end), then compute the span's rows and intervals from that part: the same table.
    ``measures`` (names, e.g. ``["hedging", "sentiment"]``; default: every measure) keeps
    only those measures' rows, and only they are run: each row is the same as in the whole
    table (an interval's resamples depend on the article and the unit, not on the other rows).
    """
    return _table_pass(corpus, _Rows, annotations, progress, jobs, engine, scheduler, counts, measures)


def write_metrics_csv(corpus: Corpus, fh, *, annotations=None, progress=None, jobs: int = 1, engine: str = "local",
                      scheduler: str | None = None, counts=None, measures=None) -> None:
    """``metrics_table`` written as CSV into the text file ``fh``: the same characters as
    ``export.write_csv(export.safe_text_columns(metrics_table(corpus, ...)), fh)``, without
    building the table (speed and memory: each article's rows are formatted while the
    others are annotated). Nothing is written unless every article could be read."""
    _table_pass(corpus, functools.partial(_CsvRows, fh=fh), annotations, progress, jobs, engine, scheduler, counts,
                measures)


def write_metrics_json(corpus: Corpus, fh, *, annotations=None, progress=None, jobs: int = 1, engine: str = "local",
                       scheduler: str | None = None, counts=None, measures=None) -> None:
    """``metrics_table`` written as JSON into the text file ``fh``: the same characters as
    ``table_to_json(metrics_table(corpus, ...))``, without building the table or the list of
    row objects (memory: a few hundred bytes per row otherwise). Nothing is written unless
    every article could be read."""
    _table_pass(corpus, functools.partial(_JsonRows, fh=fh), annotations, progress, jobs, engine, scheduler, counts,
                measures)


def write_metrics_wide(corpus: Corpus, fh, *, annotations=None, progress=None, jobs: int = 1, engine: str = "local",
                       scheduler: str | None = None, counts=None, measures=None) -> None:
    """The wide table (``export.wide_table``) of ``metrics_table`` written as CSV into the text
    file ``fh``: the same characters as ``export.write_csv(export.safe_text_columns(
    export.wide_table(metrics_table(corpus, ...))))``, without building either table."""
    _table_pass(corpus, functools.partial(_WideRows, fh=fh), annotations, progress, jobs, engine, scheduler, counts,
                measures)


def write_metrics_parquet(corpus: Corpus, fh, *, annotations=None, progress=None, jobs: int = 1,
                          engine: str = "local", scheduler: str | None = None, counts=None,
                          measures=None) -> None:
    """``metrics_table`` written as Parquet into the binary file ``fh``, in row groups of about
    ``PARQUET_ROWS`` rows, without building the whole table (memory). Read back with
    ``pandas.read_parquet``, the same table as ``metrics_table(corpus, ...)``."""
    _table_pass(corpus, functools.partial(_ParquetRows, fh=fh), annotations, progress, jobs, engine, scheduler,
                counts, measures)


def outlets_and_articles(corpus: Corpus, facts, summary, *, progress=None, jobs: int = 1):
    """The outlets' rows of ``metrics_table(corpus, progress=progress, jobs=jobs)`` (a table of
    those rows only), and of each article ``facts(article)`` (a list in corpus order) and a
    summary of its rows (a dict by (outlet, article id)), from one pass that reads each article
    once and holds no article's rows: memory flat with the corpus. What the report needs.

    ``facts`` runs where the article is annotated (in a worker process with ``jobs`` > 1; its
    values must be small and picklable). ``summary(metrics, targets)`` is called once with the
    metric and target of each row of an article (two arrays) and returns a function of one
    article's rows, a (4, rows) array of value, ci_low, ci_high and n, whose result is kept.
    """
    seen: list = []
    table, summaries = _table_pass(corpus, functools.partial(_OutletRows, summary=summary), None, progress, jobs,
                                   "local", None, None, None, facts=(facts, seen))
    return table, seen, summaries


def _table_pass(corpus, rows, annotations, progress, jobs, engine, scheduler, counts, measures, facts=None):
    if engine not in ("local", "dask"):
        raise ValueError(f"engine must be 'local' or 'dask', not {engine!r}")
    if engine == "dask" and annotations is not None:
        raise ValueError("engine='dask' annotates on the cluster: pass no annotations")
    if counts is not None and engine != "dask":
        raise ValueError("counts is the Dask engine's folder of per-article counts: use engine='dask'")
    chosen = select_measures(measures)
    with gc_paused(), one_blas_thread():
        if engine == "dask" and counts is None:
            with tempfile.TemporaryDirectory(prefix="framing-counts-") as folder:
                return _metrics_table(corpus, annotations, progress, jobs, engine, scheduler, folder, rows, chosen)
        return _metrics_table(corpus, annotations, progress, jobs, engine, scheduler, counts, rows, chosen, facts)


def table_rows(corpus, measures=None) -> int:
    """How many rows ``metrics_table(corpus, measures=measures)`` has, known before any article
    is read: each outlet's row set ("articles" and every metric row) and each article's (every
    metric row)."""
    plan = _table_parts(corpus, None if measures is None else select_measures(measures))[1]
    return len(corpus.outlets) * (1 + len(plan.metrics)) + len(corpus.articles) * len(plan.metrics)


def _table_parts(corpus, measures=None):
    measures = list(measures) if measures is not None else registered_measures()
    layout = _Layout(measures, [a.name for a in corpus.actors])
    plan = _Plan(layout, corpus)
    return layout, plan, _Rower(plan)


def _stats_of(anns, layout: _Layout):
    """(outlet, article id, _Stats, per-article values) of each annotated article."""
    for ann in anns:
        st, values = _article_stats(ann, layout)
        yield ann.article.outlet, ann.article.id, st, values


def _span(anns, layout: _Layout, rower: _Rower, stats_of=_stats_of):
    """The rows of each of ``anns`` and their outlets' sums: the work on one span of articles.

    Returns ``(articles, outlets)``: ``articles`` lists (outlet, article id, rows)
    in order; ``outlets`` maps each outlet to (its span's _Stats, number of
    articles, per-article values {metric: {target: [values]}}). Only these leave
    the span: the annotations are dropped as soon as their counts are taken, so
    memory does not grow with the corpus.
    """
    arts, partials, pending = [], {}, []

    def flush():
        blocks = rower([p[2] for p in pending], [p[3] for p in pending], [1] * len(pending))
        arts.extend((outlet, article, block) for (outlet, article, _, _), block in zip(pending, blocks))
        pending.clear()

    for outlet, article_id, st, values in stats_of(anns, layout):
        part = partials.get(outlet)
        if part is None:
            part = partials[outlet] = [_Stats.zeros(layout.widths), 0, {}]
        part[0].add(st)
        part[1] += 1
        for metric, by_target in values.items():
            mine = part[2].setdefault(metric, {})
            for target, v in by_target.items():
                mine.setdefault(target, []).append(v)
        pending.append((outlet, article_id, st, values))
        if len(pending) == _BATCH:
            flush()
    if pending:
        flush()
    return arts, {o: tuple(p) for o, p in partials.items()}


def _metrics_table(corpus, annotations, progress, jobs=1, engine="local", scheduler=None, counts=None, rows=_Rows,
                   chosen=None, facts=None):
    chosen = registered_measures() if chosen is None else chosen
    annotator = Annotator(corpus, chosen) if annotations is None and engine != "dask" else None
    layout, plan, rower = _table_parts(corpus, chosen)
    fact_of, seen = facts if facts is not None else (None, None)

    def take_facts(arts):
        return None if fact_of is None else [fact_of(a) for a in arts]

    if engine == "dask":
        n_articles = len(corpus.articles)
        where = str(Path(corpus.path).resolve())
        folder = Path(counts).resolve()
        folder.mkdir(parents=True, exist_ok=True)
        stamp = _corpus_stamp(where)
        names = tuple(m.name for m in chosen)  # the workers make their own measures
        spans = dask_spans(_counts_task, n_articles, SPAN, where, stamp, names, str(folder), scheduler=scheduler,
                           workers=jobs, then=_rows_task, then_args=(where, stamp, names))
    elif annotations is None:
        articles = corpus.articles

        def work(start, stop):
            # a lazily opened corpus (corpus.open_corpus) reads the span's articles here
            arts, problems = take_articles(articles, start, stop)
            return _span(annotator._batch(arts), layout, rower), problems, take_facts(arts)

        n_articles = len(articles)
        spans = map_spans(work, n_articles, jobs, SPAN, warm=annotator.warm)
    else:
        annotations = list(annotations)

        def work(start, stop):
            anns = annotations[start:stop]
            return _span(anns, layout, rower), [], take_facts(a.article for a in anns)

        n_articles = len(annotations)
        spans = map_spans(work, n_articles, jobs, SPAN)
    outlet_stats: dict[str, _Stats] = {}
    outlet_articles: dict[str, int] = {}
    outlet_values: dict[str, dict[str, dict[str, list[float]]]] = {}
    article_rows: dict[str, list] = {}
    out = rows(plan.metrics, plan.targets)
    problems = []  # articles that could not be read: all reported at the end, nothing written
    with Progress(n_articles, "annotating", progress) as bar:
        for (start, stop), ((arts, partials), span_problems, *span_facts) in spans:
            problems += span_problems
            if seen is not None:
                seen += span_facts[0]
            for outlet, article, block in arts:
                article_rows.setdefault(outlet, []).append((article, out.keep(outlet, article, block)))
            for outlet, (st, k, values) in partials.items():
                mine = outlet_stats.get(outlet)
                if mine is None:
                    mine = outlet_stats[outlet] = _Stats.zeros(layout.widths)
                mine.add(st)
                outlet_articles[outlet] = outlet_articles.get(outlet, 0) + k
                for metric, by_target in values.items():
                    for target, vs in by_target.items():
                        outlet_values.setdefault(outlet, {}).setdefault(metric, {}).setdefault(target, []).extend(vs)
            bar.update(stop - start)
    if problems:
        raise CorpusError(None, problems=problems)
    outlets = [o for o in corpus.outlets if o in outlet_stats]
    outlet_blocks = {}
    for i in range(0, len(outlets), _BATCH):
        chunk = outlets[i:i + _BATCH]
        means = [{metric: {t: float(np.mean(v)) for t, v in by_target.items()}
                  for metric, by_target in outlet_values.get(o, {}).items()} for o in chunk]
        blocks = rower([outlet_stats[o] for o in chunk], means, [outlet_articles[o] for o in chunk])
        outlet_blocks.update(zip(chunk, blocks))
    for outlet in outlets:
        k = float(outlet_articles[outlet])
        out.add(outlet, "", np.concatenate([[[k], [math.nan], [math.nan], [k]], outlet_blocks[outlet]], axis=1),
                outlet_row=True)
        for article, held in article_rows.pop(outlet):
            out.add(outlet, article, held)
    return out.result()


# --------------------------------------------------------------------------
# The Dask engine's task (speed machinery for a cluster; see analysis.parallel)
# --------------------------------------------------------------------------

@functools.lru_cache(maxsize=4)
def _task_state(corpus_path: str, stamp: tuple, names=None):
    """What a Dask worker builds once per corpus: the lazily opened corpus, its annotator and
    the table's parts (the same objects the local engine builds). ``stamp`` (``_corpus_stamp``)
    is part of the key, so a long-lived worker does not reuse a corpus whose manifest or actors
    file has changed since (the articles themselves are read afresh for every span). ``names``:
    the measures asked for (a tuple; None: all)."""
    corpus = open_corpus(corpus_path)
    annotator = Annotator(corpus, select_measures(names))
    return corpus, annotator, *_table_parts(corpus, annotator.measures)


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


def _counts_task(corpus_path: str, stamp: tuple, names, folder: str, start: int, stop: int):
    """Stage 1 on a Dask worker: annotate the articles ``start:stop`` and write their unit matrices
    as one Parquet part, ``part-<start>.parquet`` in ``folder``. Returns (its path, problems)."""
    corpus, annotator, layout, _, _ = _task_state(corpus_path, stamp, names)
    with gc_paused():
        arts, problems = take_articles(corpus.articles, start, stop)
        records = []
        for ann in annotator._batch(arts):
            xs, xp, found, xa, values = _article_matrices(ann, layout)
            records.append({"outlet": ann.article.outlet, "article": ann.article.id,
                            "sentences": xs.shape[0], "paragraphs": xp.shape[0], "xs": xs.ravel().tolist(),
                            "xp": xp.ravel().tolist(), "found": found, "xa": xa.ravel().tolist(),
                            "values": json.dumps(values, sort_keys=True)})
    path = Path(folder) / f"part-{start:09d}.parquet"
    write_counts_parquet(records, path)
    return str(path), problems


def _stats_from_counts(records, layout: _Layout):
    """(outlet, article id, _Stats, per-article values) of each record of a counts part."""
    w_s, w_p = layout.widths
    for r in records:
        n_s, found = r["sentences"], list(r["found"])
        xs = np.array(r["xs"], dtype=float).reshape(n_s, w_s)
        xp = np.array(r["xp"], dtype=float).reshape(r["paragraphs"], w_p)
        xa = np.array(r["xa"], dtype=float).reshape(n_s, layout.n_target * len(found))
        yield r["outlet"], r["article"], _matrix_stats(r["article"], xs, xp, found, xa, layout), json.loads(r["values"])


def _rows_task(corpus_path: str, stamp: tuple, names, written):
    """Stage 2 on a Dask worker: the rows and outlet sums of one span, from its counts part."""
    path, problems = written
    _, _, layout, _, rower = _task_state(corpus_path, stamp, names)
    with gc_paused(), one_blas_thread():
        return _span(read_counts_parquet(path), layout, rower, stats_of=_stats_from_counts), problems


def table_to_json(table: pd.DataFrame) -> str:
    """JSON array of row objects; NaN becomes null."""
    records = []
    for rec in table.to_dict(orient="records"):
        records.append({k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in rec.items()})
    return json.dumps(records, ensure_ascii=False, indent=1) + "\n"
