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
import gc
import json
import math
from dataclasses import dataclass
from operator import attrgetter

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
    from .readability import Counts
    from dataclasses import fields

    return [f.name for f in fields(Counts)]


class _Layout:
    """The columns of the three unit matrices, built once per table.

    sentences:  words, hedges (total and per category), readability counts,
                actor present (0/1), one
    paragraphs: words, one, words per role, paragraph per role
    mentions:   sentiment sum and count per actor x voice (one row per sentence)
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
        self.count_cols = [j for _, j in self.counts]
        self.count_values = attrgetter(*self.count_fields)  # Counts -> tuple, in count_cols order
        self.present = {a: si[f"present:{a}"] for a in actor_names}
        self.role_cols = {r: (pi[f"words:{r}"], pi[f"par:{r}"]) for r in roles}
        self.mention_cols = {(a, v): (mi[f"sum:{a}:{v}"], mi[f"cnt:{a}:{v}"]) for a in actor_names for v in VOICES}


def _article_matrices(ann: ArticleAnnotation, layout: _Layout):
    """Unit matrices of one article: sentences (X_s), paragraphs (X_p), mention sums per sentence (X_m).

    Each is (units, columns); ratio metrics are sums of one column over sums of another.
    X_m has one row per sentence, like X_s, and is resampled with the same weights.
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
        present = layout.present
        cells = [(i, present[m.actor]) for i, s in enumerate(sentences) for m, _ in s.mentions
                 if m.actor in present]
        if cells:
            xs[tuple(np.array(cells).T)] = 1.0

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

    # mentions are summed per sentence: the sentence is the resampling unit of
    # sentiment too (the mentions of one sentence share its words and its scoring)
    cols = layout.mention_cols
    xm = np.zeros((n_s, len(layout.m.names)))
    for i, s in enumerate(sentences):
        for m, score in s.mentions:
            if (m.actor, "all") in cols:
                for v in (m.voice, "all"):
                    scol, ccol = cols[(m.actor, v)]
                    xm[i, scol] += score
                    xm[i, ccol] += 1.0
    return xs, xp, xm


def _weights(n_units: int, *keys: str):
    """The resample weights of an article's units, or, past ``stats.WEIGHT_CELLS`` weights, the
    keys from which ``_Groups.set_article`` draws them block by block (memory stays bounded)."""
    if n_units * stats.N_RESAMPLES > stats.WEIGHT_CELLS:
        return keys
    return stats.resample_weights(n_units, *keys)


def _first_mentions(ann: ArticleAnnotation, actor_names):
    body_len = max(1, len(ann.article.body))
    first = {}
    for s in ann.sentences:
        for m, _ in s.mentions:
            if m.actor in actor_names and m.actor not in first:
                first[m.actor] = m.start / body_len
    return first


class _Groups:
    """Unit sums and bootstrap sums of up to ``size`` groups (articles or outlets).

    Per unit type k (0 sentences, 1 paragraphs, 2 mention sums per sentence):
    ``totals[k]`` is (groups, columns) and ``boot[k]`` (groups, columns,
    resamples), each column's resampled sums in one contiguous row. Filled slot
    by slot, then turned into rows by ``_group_blocks`` all at once.
    """

    def __init__(self, size, widths):
        self.totals = [np.zeros((size, w)) for w in widths]
        self.boot = [np.zeros((size, w, stats.N_RESAMPLES)) for w in widths]

    def set_article(self, i, matrices, weights):
        """``weights[k]``: the resample weights of unit type k, or for a very long article the
        keys to draw them from block by block (the same numbers, in bounded memory)."""
        for k, (x, w) in enumerate(zip(matrices, weights)):
            if x.shape[0] and isinstance(w, tuple):
                self.totals[k][i] = x.sum(axis=0)
                out = self.boot[k][i]
                for r0, block in stats.resample_weight_blocks(x.shape[0], *w):
                    out[:, r0:r0 + block.shape[0]] = x.T @ block.T
            elif x.shape[0]:
                self.totals[k][i] = x.sum(axis=0)
                np.matmul(x.T, w.T, out=self.boot[k][i])
            else:
                self.totals[k][i] = 0.0
                self.boot[k][i] = 0.0

    def add_to(self, i, other: "_Groups", j):
        """Add slot ``i`` to slot ``j`` of ``other`` (an article to its outlet)."""
        for k in range(len(self.totals)):
            other.totals[k][j] += self.totals[k][i]
            other.boot[k][j] += self.boot[k][i]


class _Plan:
    """Which rows a group yields and how: built once per table, applied to every group.

    Ratio rows are grouped by unit type (0 sentences, 1 paragraphs, 2 mention sums per sentence)
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
        self._index_rows(idx, actor_names, len(readability_keys))

    def _index_rows(self, idx, actor_names, n_read):
        """Where each row's value, interval and n come from in a group's pools (``_group_block``).

        values:    ratio values (unit type 0, 1, 2) | readability values | unit totals (0, 1, 2)
                   | first-mention positions (one per actor)
        intervals: the same ratio and readability columns | NaN
        n:         unit totals (0, 1, 2) | the first-mention n
        """
        r_off = np.cumsum([0] + [len(self.ratios[k]) for k in range(3)])
        t_off = np.cumsum([0] + [len(i) for i in idx])
        n_ratio, n_total = int(r_off[-1]), int(t_off[-1])
        self.n_ratio, self.n_total = n_ratio, n_total
        actor_pos = {a: i for i, a in enumerate(actor_names)}
        nan_slot = n_ratio + n_read
        v_idx, ci_idx, n_idx, sentiment = [], [], [], []
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
            elif kind == "readability":
                v = c = n_ratio + read_i
                n = t_off[0] + idx[0][payload[1]]
                read_i += 1
            else:  # first mention
                v, c = n_ratio + n_read + n_total + actor_pos[payload], nan_slot
                n = n_total
            v_idx.append(v)
            ci_idx.append(c)
            n_idx.append(n)
            sentiment.append(kind == "ratio" and metric.startswith("sentiment_"))
        self.v_idx, self.ci_idx, self.n_idx = (np.array(x, dtype=int) for x in (v_idx, ci_idx, n_idx))
        self.sentiment = np.array(sentiment, dtype=bool)
        self.metrics = [r[0] for r in self.rows]
        self.targets = [r[1] for r in self.rows]
        self.actor_names = list(actor_names)


def _group_blocks(groups: _Groups, start, stop, plan: _Plan, firsts, n_firsts, readability_keys, formulas, Counts,
                  count_fields):
    """Value, interval bounds and n of every row of ``plan`` for the groups ``start:stop`` of ``groups``.

    Returns four (groups, rows) arrays in row order. ``firsts`` holds one dict per
    group mapping actors to their first-mention position; ``n_firsts`` the n of
    those rows (1 for an article, the number of articles for an outlet). The
    groups are computed together: a few array operations per batch of groups.
    """
    n_groups = stop - start
    n_intervals = plan.n_ratio + len(readability_keys)  # ratio columns, then readability
    values, rows, cells = [], [], []  # cells: where each resampled row's interval goes in (groups, intervals)
    offset = 0  # of unit type k's ratios among the intervals
    for k, (num, den, scale) in plan.arrays.items():
        totals = groups.totals[k][start:stop]  # (groups, columns)
        values.append(stats.safe_ratio(totals[:, num], totals[:, den]) * scale)
        # a ratio whose denominator is 0 in a group is 0 in every resample too: NaN
        # throughout, and so is its interval; only the other ratios are resampled
        gi, ri = np.nonzero(totals[:, den] > 0)
        if len(gi):
            boot = groups.boot[k][start:stop]  # (groups, columns, resamples)
            rows.append(stats.safe_ratio(boot[gi, num[ri]], boot[gi, den[ri]]) * scale[ri, None])
            cells.append(gi * n_intervals + offset + ri)
        offset += len(num)
    s_idx = plan.idx[0]
    point = Counts(**{f: groups.totals[0][start:stop, s_idx[f"rc:{f}"]] for f in count_fields})
    boot_counts = Counts(**{f: groups.boot[0][start:stop, s_idx[f"rc:{f}"]] for f in count_fields})
    read_values = np.column_stack([np.asarray(formulas[key](point), dtype=float) for key in readability_keys])
    for j, key in enumerate(readability_keys):
        rows.append(np.asarray(formulas[key](boot_counts), dtype=float))  # (groups, resamples)
        cells.append(np.arange(n_groups) * n_intervals + offset + j)
    # one percentile call for every live interval of every group
    low = np.full((n_groups, n_intervals), math.nan)
    high = np.full((n_groups, n_intervals), math.nan)
    cells = np.concatenate(cells)
    low.reshape(-1)[cells], high.reshape(-1)[cells] = stats.percentile_rows(np.concatenate(rows), overwrite=True)
    all_totals = np.concatenate([t[start:stop] for t in groups.totals], axis=1)
    first = np.array([[f.get(a, math.nan) for a in plan.actor_names] for f in firsts], dtype=float)
    first = first.reshape(n_groups, len(plan.actor_names))
    value = np.concatenate(values + [read_values, all_totals, first], axis=1)[:, plan.v_idx]
    nan = np.full((n_groups, 1), math.nan)
    lo = np.concatenate([low, nan], axis=1)[:, plan.ci_idx]
    hi = np.concatenate([high, nan], axis=1)[:, plan.ci_idx]
    n = np.concatenate([all_totals, np.asarray(n_firsts, dtype=float)[:, None]], axis=1)[:, plan.n_idx]
    n = n.astype(np.int64)
    # a sentiment without mentions has no interval
    empty = plan.sentiment & (n == 0)
    lo[empty] = hi[empty] = math.nan
    return _finite(value), _finite(lo), _finite(hi), n


_BATCH = 8  # groups turned into rows together: larger batches leave the CPU cache


def _finite(x: np.ndarray) -> np.ndarray:
    """NaN wherever ``x`` is not finite."""
    return np.where(np.isfinite(x), x, math.nan)


class _Rows:
    """The columns of the table, filled one group at a time."""

    def __init__(self):
        self.text = {c: [] for c in ("outlet", "article", "metric", "target")}
        self.numbers = {c: [] for c in ("value", "ci_low", "ci_high", "n")}

    def add(self, outlet, article, metrics, targets, value, lo, hi, n):
        self.text["outlet"].extend([outlet] * len(metrics))
        self.text["article"].extend([article] * len(metrics))
        self.text["metric"].extend(metrics)
        self.text["target"].extend(targets)
        for key, col in zip(("value", "ci_low", "ci_high", "n"), (value, lo, hi, n)):
            self.numbers[key].append(col)

    def frame(self) -> pd.DataFrame:
        data = dict(self.text)
        for key, cols in self.numbers.items():
            data[key] = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int64 if key == "n" else float)
        table = pd.DataFrame(data, columns=COLUMNS)
        if not len(table):  # text columns get the type a non-empty table infers
            table = table.astype({c: "str" for c in self.text})
        return table


def metrics_table(corpus: Corpus, *, annotations=None, progress=None, jobs: int = 1) -> pd.DataFrame:
    """The tidy table for every outlet and article of ``corpus``.

    ``annotations`` (a list of ArticleAnnotation) may be passed to reuse a pass
    already made; ``progress`` is a stream for progress lines (None: quiet);
    ``jobs`` processes annotate the articles (the table is the same for any number).
    """
    with _gc_paused(), _one_blas_thread():
        return _metrics_table(corpus, annotations, progress, jobs)


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
    global _THREADPOOLS
    if _THREADPOOLS is None:  # inspected once: a fresh inspection on every call leaves cyclic garbage
        from threadpoolctl import ThreadpoolController

        _THREADPOOLS = ThreadpoolController()
    with _THREADPOOLS.limit(limits=1, user_api="blas"):
        yield


_THREADPOOLS = None  # the process's BLAS and OpenMP pools, found on first use


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


def _metrics_table(corpus, annotations, progress, jobs=1) -> pd.DataFrame:
    from .context import ROLES
    from .hedging import CATEGORIES
    from .readability import FORMULAS, METRICS as READABILITY, Counts

    if annotations is None:
        annotations = []
        n = len(corpus.articles)
        for i, ann in enumerate(Annotator(corpus).many(corpus.articles, jobs=jobs)):
            annotations.append(ann)
            if progress and (i % max(1, n // 20) == 0 or i == n - 1):
                print(f"  annotating {i + 1}/{n}", file=progress, flush=True)
    actor_names = [a.name for a in corpus.actors]
    count_fields = _readability_fields()
    outlet_first: dict[str, dict[str, list[float]]] = {}
    outlet_articles: dict[str, int] = {}
    article_blocks: dict[str, list] = {o: [] for o in corpus.outlets}
    layout = _Layout(actor_names, ROLES, CATEGORIES, count_fields)
    plan = _Plan((layout.s, layout.p, layout.m), actor_names, ROLES, CATEGORIES, READABILITY)
    block_args = (READABILITY, FORMULAS, Counts, count_fields)
    widths = (len(layout.s.names), len(layout.p.names), len(layout.m.names))
    present = {ann.article.outlet for ann in annotations}
    outlets = [o for o in corpus.outlets if o in present]
    outlet_slot = {o: i for i, o in enumerate(outlets)}
    outlet_groups = _Groups(len(outlets), widths)
    batch = _Groups(_BATCH, widths)
    pending = []  # (outlet, article id, first mentions) of the articles in ``batch``

    def flush():
        blocks = _group_blocks(batch, 0, len(pending), plan, [p[2] for p in pending], [1] * len(pending),
                               *block_args)
        for i, (outlet, article, _) in enumerate(pending):
            article_blocks[outlet].append((article, tuple(b[i] for b in blocks)))
        pending.clear()

    for ann in annotations:
        art = ann.article
        xs, xp, xm = _article_matrices(ann, layout)
        ws = _weights(xs.shape[0], art.id, "sentences")
        wp = _weights(xp.shape[0], art.id, "paragraphs")
        slot = len(pending)
        batch.set_article(slot, (xs, xp, xm), (ws, wp, ws))  # mention sums are per sentence
        batch.add_to(slot, outlet_groups, outlet_slot[art.outlet])
        outlet_articles[art.outlet] = outlet_articles.get(art.outlet, 0) + 1
        first = _first_mentions(ann, actor_names)
        for a, pos in first.items():
            outlet_first.setdefault(art.outlet, {}).setdefault(a, []).append(pos)
        pending.append((art.outlet, art.id, first))
        if len(pending) == _BATCH:
            flush()
    if pending:
        flush()
    outlet_blocks = {}
    for i in range(0, len(outlets), _BATCH):
        chunk = outlets[i:i + _BATCH]
        blocks = _group_blocks(outlet_groups, i, i + len(chunk), plan,
                               [{a: float(np.mean(v)) for a, v in outlet_first.get(o, {}).items()} for o in chunk],
                               [outlet_articles[o] for o in chunk], *block_args)
        outlet_blocks.update((o, tuple(b[j] for b in blocks)) for j, o in enumerate(chunk))
    out = _Rows()
    for outlet in outlets:
        k = outlet_articles[outlet]
        value, lo, hi, n = outlet_blocks[outlet]
        out.add(outlet, "", ["articles"] + plan.metrics, [""] + plan.targets,
                np.concatenate([[float(k)], value]), np.concatenate([[math.nan], lo]),
                np.concatenate([[math.nan], hi]), np.concatenate([np.array([k], dtype=np.int64), n]))
        for article, block in article_blocks[outlet]:
            out.add(outlet, article, plan.metrics, plan.targets, *block)
    return out.frame()


def table_to_json(table: pd.DataFrame) -> str:
    """JSON array of row objects; NaN becomes null."""
    records = []
    for rec in table.to_dict(orient="records"):
        records.append({k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in rec.items()})
    return json.dumps(records, ensure_ascii=False, indent=1) + "\n"
