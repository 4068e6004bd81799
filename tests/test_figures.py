"""Figures tell the truth: every value a plot function draws is the value in the table.

Each plot function is checked on the bundled corpus's metrics table (and on small
hand-made tables for the edge cases): bar lengths, error-bar ends, dots,
interval lines and heatmap cells are read back from the matplotlib artists and
compared with the rows of the table. Also: save_figure writes identical bytes
on every run, the palette is fixed, and no plot function changes global state.
"""
import hashlib
import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import LineCollection, PathCollection  # noqa: E402
from matplotlib.container import BarContainer, ErrorbarContainer  # noqa: E402

from analysis.report import figures as F  # noqa: E402
from analysis.report.figures import OUTLET_PALETTE, outlet_colours, save_figure  # noqa: E402
from analysis.table import COLUMNS  # noqa: E402
from .conftest import ROOT  # noqa: E402


def _draw():
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.bar(["A", "B"], [1.0, 2.5], color=OUTLET_PALETTE[:2])
    ax.set_ylabel("hedges per 1,000 words")
    return fig


def _digest(paths):
    return [hashlib.sha256(p.read_bytes()).hexdigest() for p in paths]


def test_save_figure_is_byte_stable(tmp_path):
    first = _digest(save_figure(_draw(), "demo", tmp_path / "a"))
    second = _digest(save_figure(_draw(), "demo", tmp_path / "b"))
    assert first == second
    svg = (tmp_path / "a" / "demo.svg").read_text()
    assert "<dc:date>" not in svg
    assert b"Software" not in (tmp_path / "a" / "demo.png").read_bytes()
    plt.close("all")


def test_outlet_colours_follow_manifest_order():
    from analysis.report.figures import OUTLET_PALETTE, ROLE_COLOURS

    assert outlet_colours(["X", "Y"]) == {"X": "#CC6677", "Y": "#332288"}
    ten = outlet_colours([str(i) for i in range(11)])
    assert len({ten[str(i)] for i in range(10)}) == 10  # ten outlets, ten colours
    assert ten["10"] == ten["0"]  # then they repeat
    assert not set(ROLE_COLOURS.values()) & set(OUTLET_PALETTE)  # roles never look like an outlet


# ---------------------------------------------------------------------------
# fixtures and readers

@pytest.fixture(scope="module")
def annotations(corpus):
    from analysis.annotate import Annotator

    annotator = Annotator(corpus)
    return [annotator(a) for a in corpus.articles]


@pytest.fixture(scope="module")
def table(corpus, annotations):
    from analysis import metrics_table

    return metrics_table(corpus, annotations=annotations)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _table(rows):
    """A hand-made metrics table: rows of (outlet, metric, target, value, ci_low, ci_high, n)."""
    return pd.DataFrame([(o, "", m, t, v, lo, hi, n) for o, m, t, v, lo, hi, n in rows], columns=COLUMNS)


def _labels(ax):
    """y position -> tick label."""
    return {round(float(y), 6): t.get_text() for y, t in zip(ax.get_yticks(), ax.get_yticklabels())}


def _bars(ax, container_index=None, labels=None):
    """Label -> (left, width) of every bar of the Axes (or of one BarContainer)."""
    labels = labels or _labels(ax)
    containers = [c for c in ax.containers if isinstance(c, BarContainer)]
    if container_index is not None:
        containers = [containers[container_index]]
    out = {}
    for c in containers:
        for p in c.patches:
            y = round(p.get_y() + p.get_height() / 2, 6)
            out[labels[y]] = (p.get_x(), p.get_width())
    return out


def _errorbars(ax, labels=None):
    """Label -> (low end, high end) of every horizontal error bar of the Axes."""
    labels = labels or _labels(ax)
    out = {}
    for c in ax.containers:
        if isinstance(c, ErrorbarContainer):
            for seg in c.lines[2][0].get_segments():
                (x0, y0), (x1, _) = seg
                out[labels[round(float(y0), 6)]] = (min(x0, x1), max(x0, x1))
    return out


def _dots(ax, label=None, labels=None):
    """Label -> x of every scatter point (of the collection named ``label``, if given)."""
    labels = labels or _labels(ax)
    out = {}
    for coll in ax.collections:
        if isinstance(coll, PathCollection) and (label is None or coll.get_label() == label):
            for x, y in coll.get_offsets():
                out[labels[round(float(y), 6)]] = float(x)
    return out


def _intervals(ax, label=None, labels=None):
    """Label -> (low, high) of every interval line (of the collection named ``label``)."""
    labels = labels or _labels(ax)
    out = {}
    for coll in ax.collections:
        if isinstance(coll, LineCollection) and (label is None or coll.get_label() == label):
            for (x0, y0), (x1, _) in coll.get_segments():
                out[labels[round(float(y0), 6)]] = (x0, x1)
    return out


def _assert_close(drawn, expected):
    assert set(drawn) == set(expected)
    for k, v in expected.items():
        got = drawn[k]
        np.testing.assert_allclose(np.asarray(got, dtype=float), np.asarray(v, dtype=float), rtol=0, atol=1e-9,
                                   err_msg=str(k))


def _expected(table, metric, target=""):
    rows = F.outlet_rows(table, metric, target)
    finite = rows[np.isfinite(rows["value"])]
    values = {o: r["value"] for o, r in finite.iterrows()}
    ivals = {o: (r["ci_low"], r["ci_high"]) for o, r in finite.iterrows()
             if math.isfinite(r["ci_low"]) and math.isfinite(r["ci_high"])}
    return values, ivals


def _top_to_bottom(ax):
    return [t.get_text() for y, t in sorted(zip(ax.get_yticks(), ax.get_yticklabels()), key=lambda p: -p[0])]


# ---------------------------------------------------------------------------
# selecting from the table

def test_outlet_rows_and_wide_agree_with_the_table(table):
    rows = F.outlet_rows(table, "hedges_per_1000_words")
    assert list(rows.index) == list(pd.unique(table["outlet"]))
    w = F.wide(table, "hedges_per_1000_words")
    np.testing.assert_allclose(w[""].to_numpy(), rows["value"].to_numpy())
    with pytest.raises(KeyError):
        F.outlet_rows(table, "no_such_metric")


def test_top_actors_by_mentions_skip_unmentioned():
    t = _table([("X", "mentions", "Ann", 1, math.nan, math.nan, 1), ("Y", "mentions", "Ann", 1, math.nan, math.nan, 1),
                ("X", "mentions", "Bob", 5, math.nan, math.nan, 5), ("Y", "mentions", "Bob", 0, math.nan, math.nan, 0),
                ("X", "mentions", "Cid", 0, math.nan, math.nan, 0), ("Y", "mentions", "Cid", 0, math.nan, math.nan, 0),
                ("X", "mentions", "Dee", 2, math.nan, math.nan, 2), ("Y", "mentions", "Dee", 0, math.nan, math.nan, 0)])
    assert F.top_actors(t, k=4) == ["Bob", "Ann", "Dee"]  # Ann and Dee tie at 2: actors.yaml order
    assert F.top_actors(t, k=1) == ["Bob"]


def test_describe_extremes_reports_overlap_and_missing():
    t = _table([("X", "m", "", 3.0, 2.0, 4.0, 10), ("Y", "m", "", 1.0, 0.5, 1.5, 10),
                ("Z", "m", "", math.nan, math.nan, math.nan, 0)])
    text = F.describe_extremes(t, "m", label="rate")
    assert text.startswith("Highest rate: X, 3.0 (95 % interval 2.0 to 4.0). Lowest: Y, 1.0")
    assert "do not overlap" in text
    t2 = _table([("X", "m", "", 3.0, 0.0, 4.0, 10), ("Y", "m", "", 1.0, 0.5, 1.5, 10)])
    assert "overlap: with this little text" in F.describe_extremes(t2, "m")
    t3 = _table([("X", "m", "", 3.0, 2.0, 4.0, 10), ("Y", "m", "", math.nan, math.nan, math.nan, 0)])
    assert F.describe_extremes(t3, "m", label="rate").startswith("Only X has a value for rate: 3.0")


# ---------------------------------------------------------------------------
# plot functions: the values drawn are the values in the table

def test_interval_bars_draw_the_table_in_manifest_order(table):
    ax = F.interval_bars(table, "hedges_per_1000_words")
    values, ivals = _expected(table, "hedges_per_1000_words")
    _assert_close({k: w for k, (_, w) in _bars(ax).items()}, values)
    _assert_close(_errorbars(ax), ivals)
    assert _top_to_bottom(ax) == ["Outlet A", "Outlet B", "Outlet C", "Outlet D", "Outlet E"]
    sorted_ax = F.interval_bars(table, "hedges_per_1000_words", sort=True)
    assert [values[o] for o in _top_to_bottom(sorted_ax)] == sorted(values.values(), reverse=True)
    assert ax.get_xlabel() == "hedges per 1,000 words"


def test_interval_bars_leave_missing_values_out():
    t = _table([("X", "m", "", 3.0, 2.0, 4.0, 10), ("Y", "m", "", math.nan, math.nan, math.nan, 0)])
    ax = F.interval_bars(t, "m")
    assert _bars(ax) == {"X": (0.0, 3.0)}
    assert _top_to_bottom(ax) == ["X", "Y"]
    assert any("no data" in txt.get_text() for txt in ax.texts)


def test_interval_dots_draw_the_table(table):
    ax = F.interval_dots(table, "flesch_kincaid_grade")
    values, ivals = _expected(table, "flesch_kincaid_grade")
    _assert_close(_dots(ax), values)
    _assert_close(_intervals(ax), ivals)


def test_hedging_categories_one_panel_per_category_same_order(table):
    from analysis.measures.hedging import CATEGORIES

    fig = F.hedging_categories(table)
    axes = [ax for ax in fig.axes if ax.axison]
    assert len(axes) == len(CATEGORIES)
    overall, _ = _expected(table, "hedges_per_1000_words")
    assert _top_to_bottom(axes[0]) == list(overall)  # manifest order, as in every figure
    labels = _labels(axes[0])  # inner panels hide their tick labels; the order is shared
    for ax, cat in zip(axes, CATEGORIES):
        values, ivals = _expected(table, "hedges_per_1000_words", cat)
        _assert_close({k: w for k, (_, w) in _bars(ax, labels=labels).items()}, values)
        _assert_close(_errorbars(ax, labels=labels), ivals)


def test_readability_panels_draw_the_five_scores(table):
    from analysis.measures.readability import METRICS

    fig = F.readability_panels(table)
    axes = [ax for ax in fig.axes if ax.axison]
    assert len(axes) == len(METRICS)
    labels = _labels(axes[0])
    fk, _ = _expected(table, "flesch_kincaid_grade")
    assert _top_to_bottom(axes[0]) == list(fk)  # manifest order
    for ax, metric in zip(axes, METRICS):
        values, ivals = _expected(table, metric)
        _assert_close(_dots(ax, labels=labels), values)
        _assert_close(_intervals(ax, labels=labels), ivals)


def test_role_bars_stack_the_role_shares(table):
    ax = F.role_bars(table)
    shares = F.wide(table, "role_share_words")
    left = {o: 0.0 for o in shares.index}
    for i, role in enumerate(F.ROLE_ORDER):
        drawn = _bars(ax, i)
        expected = {o: (left[o], shares.loc[o, role]) for o in shares.index}
        _assert_close(drawn, expected)
        left = {o: left[o] + shares.loc[o, role] for o in shares.index}
    _, ivals = _expected(table, "role_share_words", "context")
    _assert_close(_errorbars(ax), ivals)
    context = shares["context"]
    assert _top_to_bottom(ax) == list(shares.index)  # manifest order
    # context share of words is the same number under both names
    np.testing.assert_allclose(F.outlet_rows(table, "context_share_words")["value"], context)


def test_paragraph_strip_blocks_are_the_paragraph_words(table, annotations):
    paragraphs = F.paragraph_table(annotations)
    ax = F.paragraph_strip(paragraphs)
    patches = [p for c in ax.containers for p in c.patches]
    assert [p.get_width() for p in patches] == [float(w) for w in paragraphs["words"]]
    # the roles shown are the roles the metrics table counted
    assert list(paragraphs["role"]) == [r for ann in annotations for r in ann.roles]
    words = F.article_rows(table, "words")["value"]
    per_article = paragraphs.groupby("article", sort=False)["words"].sum()
    np.testing.assert_allclose(per_article.to_numpy(), words.loc[per_article.index].to_numpy())
    colours = [matplotlib.colors.to_hex(p.get_facecolor()) for p in patches]
    assert colours == [F.ROLE_COLOURS[r].lower() for r in paragraphs["role"]]


def test_sentiment_heatmap_cells_are_the_table(table):
    actors = F.top_actors(table, 3)
    ax = F.sentiment_heatmap(table, actors)
    cells = ax.images[0].get_array()
    outlets = list(F.outlet_rows(table, "sentiment_narrator", actors[0]).index)
    j = 0
    for actor in actors:
        for voice in ("narrator", "quoted"):
            rows = F.outlet_rows(table, f"sentiment_{voice}", actor)
            for i, o in enumerate(outlets):
                v = rows.loc[o, "value"]
                if math.isfinite(v):
                    assert not np.ma.is_masked(cells[i, j]) and cells[i, j] == pytest.approx(v, abs=1e-12)
                else:
                    assert np.ma.is_masked(cells[i, j])
            j += 1
    assert [t.get_text() for t in ax.get_yticklabels()] == outlets
    assert ax.images[0].get_clim() == (-1, 1)


def test_sentiment_heatmap_marks_missing_cells():
    t = _table([("X", "sentiment_narrator", "Ann", 0.5, 0.4, 0.6, 3), ("Y", "sentiment_narrator", "Ann", math.nan,
                math.nan, math.nan, 0), ("X", "sentiment_quoted", "Ann", -0.2, -0.3, -0.1, 2),
                ("Y", "sentiment_quoted", "Ann", math.nan, math.nan, math.nan, 0)])
    ax = F.sentiment_heatmap(t, ["Ann"])
    texts = [txt.get_text() for txt in ax.texts]
    assert texts == ["+0.50\nn=3", "-0.20\nn=2", "no\nmention", "no\nmention"]


def test_sentiment_dots_draw_both_voices(table):
    actors = F.top_actors(table, 2)
    fig = F.sentiment_dots(table, actors)
    axes = [ax for ax in fig.axes if ax.axison]
    labels = _labels(axes[0])
    for ax, actor in zip(axes, actors):
        for voice, dy in (("narrator", 0.17), ("quoted", -0.17)):
            values, ivals = _expected(table, f"sentiment_{voice}", actor)
            shifted = {round(y + dy, 6): o for y, o in labels.items()}
            drawn = {**_dots(ax, voice, labels=shifted), **_dots(ax, f"{voice} (few mentions)", labels=shifted)}
            _assert_close(drawn, values)
            _assert_close(_intervals(ax, f"{voice} interval", labels=shifted), ivals)


def test_overview_panels_draw_the_table(table):
    actors = F.top_actors(table, 2)
    fig = F.overview(table, actors)
    axes = [ax for ax in fig.axes if ax.axison]
    labels = _labels(axes[0])
    specs = [("hedges_per_1000_words", ""), ("context_share_words", ""), ("flesch_kincaid_grade", "")] + \
        [("sentiment_narrator", a) for a in actors]
    assert len(axes) == len(specs)
    for ax, (metric, target) in zip(axes, specs):
        values, ivals = _expected(table, metric, target)
        bars = {k: w for k, (_, w) in _bars(ax, labels=labels).items()}
        if bars:
            _assert_close(bars, values)
            _assert_close(_errorbars(ax, labels=labels), ivals)
        else:
            _assert_close(_dots(ax, labels=labels), values)
            _assert_close(_intervals(ax, labels=labels), ivals)
    # same outlet order (manifest order) and colours in every panel
    assert [labels[y] for y in sorted(labels, reverse=True)] == list(pd.unique(table["outlet"]))


def test_article_sizes_draw_raw_and_clean_words(corpus, table):
    overview = F.article_overview(corpus, table)
    ax = F.article_sizes(overview)
    raw = [p.get_width() for p in ax.containers[0].patches]
    clean = [p.get_width() for p in ax.containers[1].patches]
    assert raw == list(overview["raw_words"].astype(float))
    assert clean == list(overview["words"].astype(float))
    assert (overview["raw_words"] >= overview["words"]).all()


def test_bootstrap_is_the_table_interval(table, annotations):
    from analysis import stats

    ann = annotations[0]
    samples = F.resampled_hedging_rates(ann)
    assert samples.shape == (stats.N_RESAMPLES,)
    row = F.article_rows(table, "hedges_per_1000_words").loc[ann.article.id]
    low, high = stats.percentile_interval(samples[:, None])
    assert (low[0], high[0]) == pytest.approx((row["ci_low"], row["ci_high"]), abs=1e-9)
    ax = F.bootstrap_histogram(samples, row["value"], row["ci_low"], row["ci_high"])
    xs = sorted(line.get_xdata()[0] for line in ax.lines)
    assert xs == pytest.approx(sorted([row["value"], row["ci_low"], row["ci_high"]]))


def test_validation_bars_draw_the_summary():
    summary = pd.DataFrame([
        {"component": "hedge cues", "gold set": "all", "system": "method", "measure": "F1", "value": 0.9, "n": 10},
        {"component": "hedge cues", "gold set": "all", "system": "baseline: x", "measure": "F1", "value": 0.5,
         "n": 10},
        {"component": "roles", "gold set": "all", "system": "method", "measure": "macro-F1", "value": 0.7, "n": 5},
    ])
    ax = F.validation_bars(summary)
    widths = [p.get_width() for c in ax.containers for p in c.patches]
    assert widths == [0.9, 0.5, 0.7]


def test_evidence_tables_count_what_the_table_counts(table, annotations):
    hedges = F.hedge_table(annotations)
    rate = F.outlet_rows(table, "hedges_per_1000_words")["value"]
    words = F.outlet_rows(table, "words")["value"]
    counted = hedges.groupby("outlet").size().reindex(rate.index, fill_value=0)
    np.testing.assert_allclose(counted.to_numpy(), (rate * words / 1000).to_numpy(), atol=1e-9)
    assert all(h.count("[") == 1 for h in hedges["evidence"])
    mentions = F.mention_table(annotations)
    wide = F.wide(table, "mentions")
    for actor in wide.columns:
        got = mentions[mentions["actor"] == actor].groupby("outlet").size().reindex(wide.index, fill_value=0)
        np.testing.assert_allclose(got.to_numpy(), wide[actor].to_numpy())


def test_log_and_overview_tables(corpus, table):
    overview = F.article_overview(corpus, table)
    assert list(overview["article"]) == [a.id for a in corpus.articles]
    assert all("/" not in f for f in overview["file"])  # file names only, never paths
    for a in corpus.articles:
        log = F.log_table(a)
        assert list(log.columns) == ["line", "action", "rule", "text"]
        assert len(log) == len(a.log)
    side = F.raw_vs_clean(corpus.articles[0], n=3)
    assert side.shape == (3, 2)


def test_evidence_marks_the_span():
    text = "Officials said Iran may respond within days."
    i = text.index("may")
    assert F.evidence(text, i, i + 3) == "Officials said Iran [may] respond within days."
    long = "word " * 40 + "may" + " word" * 40
    out = F.evidence(long, 200, 203, width=20)
    assert out.startswith("…") and out.endswith("…") and "[may]" in out


def _figure_width(fig) -> float:
    """Width in inches of the figure as saved (bbox tight)."""
    fig.canvas.draw()
    return fig.get_tightbbox().width


def test_source_type_bars_stack_the_type_shares(table):
    with F.style():
        ax = F.source_type_bars(table)
    shares = F.wide(table, "source_type_share")
    types = [t for t in F.SOURCE_TYPE_ORDER if t == "anonymous" or shares[t].gt(0).any()]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == types
    left = {o: 0.0 for o in shares.index}
    for i, kind in enumerate(types):
        _assert_close(_bars(ax, i), {o: (left[o], shares.loc[o, kind]) for o in shares.index})
        left = {o: left[o] + shares.loc[o, kind] for o in shares.index}
    assert all(abs(v - 1.0) < 1e-9 for v in left.values())  # every attribution has a type
    _, ivals = _expected(table, "source_type_share", "anonymous")
    _assert_close(_errorbars(ax), ivals)
    assert _top_to_bottom(ax) == list(shares.index)  # manifest order
    n = F.wide(table, "source_type_share", "n").max(axis=1)
    printed = [t.get_text() for t in ax.texts]
    assert printed == [f"n={int(k)}" + (" (few)" if k < F.LOW_N else "") for k in n]
    faded = [p.get_alpha() for p in ax.containers[0].patches]
    assert faded == [0.35 if k < F.LOW_N else None for k in n]
    assert ax.get_title(loc="left") and _figure_width(ax.figure) <= 8.7


def test_source_type_bars_without_attributions_say_so(table):
    ax = F.source_type_bars(table[table["metric"] != "source_type_share"])
    assert [t.get_text() for t in ax.texts] == ["no attribution found in this corpus"]


def test_label_matrix_dots_are_the_label_counts(corpus, annotations):
    from analysis.measures.naming import label_table

    labels = label_table(annotations)
    actors = F.named_actors(labels, 4, [a.name for a in corpus.actors])
    assert len(actors) == 4
    with F.style():
        fig = F.label_matrix(labels, actors, corpus.outlets, max_labels=6)
    assert fig._suptitle.get_text() and _figure_width(fig) <= 8.7
    top = labels["count"].max()
    for ax, actor in zip(fig.axes, actors):
        assert ax.get_title(loc="left") == actor
        assert [t.get_text() for t in ax.get_xticklabels()] == list(corpus.outlets)  # manifest order
        rows = {round(float(y), 6): t.get_text().removesuffix(" *") for y, t in
                zip(ax.get_yticks(), ax.get_yticklabels())}
        sub = labels[labels["actor"] == actor]
        shown = set(rows.values())
        assert {F.shorten(lb, 28) for lb in sub.loc[sub["loaded"], "label"]} <= shown  # loaded: always drawn
        drawn = {}
        for coll in ax.collections:
            for (x, y), s in zip(coll.get_offsets(), coll.get_sizes()):
                drawn[(corpus.outlets[int(round(x))], rows[round(float(y), 6)])] = s
        expected = {(r.outlet, F.shorten(r.label, 28)): max(300.0 * r.count / top, F.MIN_DOT_AREA)
                    for r in sub.itertuples() if F.shorten(r.label, 28) in shown}
        assert drawn.keys() == expected.keys()
        for key, area in expected.items():
            assert drawn[key] == pytest.approx(area)
        hidden = sub["label"].nunique() - len(rows)
        assert [t.get_text() for t in ax.texts] == ([f"+ {hidden} more label{'s' if hidden > 1 else ''} not shown"]
                                                    if hidden else [])


def test_label_overview_and_named_actors():
    labels = pd.DataFrame({"actor": ["Ann", "Ann", "Ann", "Bo"], "label": ["ann", "the ann", "x", "bo"],
                           "outlet": ["X", "Y", "X", "Y"], "count": [2, 1, 1, 3],
                           "loaded": [False, True, False, False], "only_outlet": [False, True, True, True]})
    labels.loc[1, "only_outlet"] = True
    assert F.named_actors(labels, 1) == ["Ann"] and F.named_actors(labels, 5, ["Bo", "Ann"]) == ["Ann", "Bo"]
    out = F.label_overview(labels, ["Ann", "Bo"], ["X", "Y", "Z"])
    assert out.loc["X", "Ann"] == "ann 2, x 1†" and out.loc["Y", "Ann"] == "the ann 1*†"
    assert out.loc["X", "Bo"] == "—" and list(out.index) == ["X", "Y", "Z"]


def test_plot_functions_leave_global_state_alone(table, annotations):
    from analysis.measures.naming import label_table

    labels = label_table(annotations)
    before = dict(matplotlib.rcParams)
    actors = F.top_actors(table, 2)
    with F.style():
        F.interval_bars(table, "hedges_per_1000_words")
        F.hedging_categories(table)
        F.role_bars(table)
        F.paragraph_strip(F.paragraph_table(annotations))
        F.sentiment_heatmap(table, actors)
        F.sentiment_dots(table, actors)
        F.overview(table, actors)
        F.readability_panels(table)
        F.source_type_bars(table)
        F.label_matrix(labels, F.named_actors(labels), sorted(set(labels["outlet"])))
    F.interval_dots(table, "smog")
    after = dict(matplotlib.rcParams)
    assert before == after


def test_describe_extremes_warns_about_values_on_few_units():
    t = _table([("X", "sentiment_narrator", "Ann", 0.5, 0.5, 0.5, 1),
                ("Y", "sentiment_narrator", "Ann", -0.2, -0.4, 0.0, 12)])
    text = F.describe_extremes(t, "sentiment_narrator", "Ann", label="sentiment toward Ann")
    assert "Caution: X's value rests on only 1 mention," in text
    assert "Y's value" not in text



def test_sentiment_figures_without_actors_say_so(table):
    ax = F.sentiment_heatmap(table, [])
    assert [t.get_text() for t in ax.texts] == ["no actor is mentioned in this corpus"]
    fig = F.sentiment_dots(table, [])
    assert fig.axes[0].texts[0].get_text() == "no actor is mentioned in this corpus"


def test_extreme_mentions_pick_lowest_and_highest_once(annotations):
    mentions = F.mention_table(annotations)
    actors = list(pd.unique(mentions["actor"]))[:3]
    out = F.extreme_mentions(mentions, actors)
    assert list(pd.unique(out["actor"])) == [a for a in actors if a in set(out["actor"])]
    narrator = mentions[mentions["voice"] == "narrator"]
    for actor in actors:
        scores = narrator.loc[narrator["actor"] == actor, "sentiment"]
        got = out.loc[out["actor"] == actor, "sentiment"]
        assert len(got) == min(2, len(scores))
        if len(scores):
            assert (got.iloc[0], got.iloc[-1]) == (scores.min(), scores.max())


# ---------------------------------------------------------------------------
# projector rules: a figure shown on its own keeps its caveats


def test_a_value_on_few_mentions_is_drawn_hollow_with_its_n():
    t = _table([("X", "sentiment_narrator", "Iran", 0.36, math.nan, math.nan, 1),
                ("Y", "sentiment_narrator", "Iran", -0.2, -0.4, 0.1, 12)])
    ax = F.interval_dots(t, "sentiment_narrator", "Iran")
    assert [txt.get_text() for txt in ax.texts] == ["n=1"]  # only the value on one mention
    hollow = [c for c in ax.collections if isinstance(c, PathCollection) and c.get_alpha() == 0.55]
    assert len(hollow) == 1 and tuple(hollow[0].get_facecolor()[0]) == (1.0, 1.0, 1.0, 0.55)


def test_a_zero_bar_is_visible():
    t = _table([("X", "m", "", 0.0, 0.0, 0.0, 100), ("Y", "m", "", 3.0, 2.0, 4.0, 100)])
    ax = F.interval_bars(t, "m")
    assert [txt.get_text().strip() for txt in ax.texts] == ["0"]
    assert any(len(line.get_xdata()) == 2 and list(line.get_xdata()) == [0, 0] for line in ax.lines)


def test_every_figure_function_titles_its_figure(table, annotations):
    actors = F.top_actors(table)
    titled = [F.sentiment_dots(table, actors)._suptitle.get_text(),
              F.role_bars(table).get_title(loc="left"),
              F.paragraph_strip(F.paragraph_table(annotations)).get_title(loc="left")]
    assert all(titled), titled


def test_committed_figures_fit_a_projected_slide():
    """Every figure of figures/ at most about 1,280 pixels wide (8.7 inches at the 150 dpi they are
    saved at): shown at slide width, its text is not shrunk."""
    from PIL import Image

    pngs = sorted((ROOT / "figures").glob("*.png"))
    assert len(pngs) == 14
    for png in pngs:
        assert Image.open(png).size[0] <= 1310, png.name


def test_notes_on_the_bundled_corpus_show_only_for_it(monkeypatch, tmp_path):
    note = "> **In the bundled corpus** the intervals overlap."
    monkeypatch.delenv("FRAMING_CORPUS", raising=False)
    assert F.about_bundled(note).data == note
    monkeypatch.setenv("FRAMING_CORPUS", str(tmp_path / "my-event"))
    other = F.about_bundled(note).data
    assert "In the bundled corpus" not in other and "`my-event`" in other


# ---------------------------------------------------------------------------
# module boundaries: select and evidence are pure pandas; plots and evidence build on select

@pytest.mark.parametrize("module, absent", [
    ("analysis.report.select", ("matplotlib", "analysis.report.plots", "analysis.report.evidence")),
    ("analysis.report.evidence", ("matplotlib", "analysis.report.plots")),
])
def test_table_modules_import_no_matplotlib(module, absent):
    import subprocess
    import sys

    code = f"import sys, {module}; print(sorted(m for m in {absent!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_the_facade_re_exports_every_public_name():
    import ast
    import inspect

    from analysis.report import evidence, plots, select

    for module in (select, evidence, plots):
        tree = ast.parse(inspect.getsource(module))
        defined = [n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))]
        defined += [t.id for n in tree.body if isinstance(n, ast.Assign) for t in n.targets if isinstance(t, ast.Name)]
        public = [n for n in defined if not n.startswith("_")]
        assert public and [n for n in public if getattr(F, n, None) is not getattr(module, n)] == [], module.__name__
