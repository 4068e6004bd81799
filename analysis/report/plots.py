"""The figures: matplotlib drawing, the projector rules every figure keeps, and byte-stable saving.

Each plot function takes a table (the metrics table unless its docstring says
otherwise) and ``ax=None``, draws on it or on a new figure, returns the Axes
(or the Figure for several panels) and never touches global matplotlib state.

Projector rules, kept by every figure: outlets in manifest order and coloured
by ``outlet_colours`` (Tol's colour-blind-safe muted scheme, ``OUTLET_PALETTE``,
distinct for ten outlets), the same in every figure; paragraph roles in greys
(``ROLE_COLOURS``), never an outlet's colour; the 95 % bootstrap interval of
every value shown; a value resting on fewer than ``LOW_N`` mentions hollow and
faded with its n; a zero drawn as a tick and "0"; a title saying what the
figure shows; at most about 8.7 inches wide (1,280 pixels as saved), so a slide
shows it unshrunk. ``save_figure`` writes SVG and PNG with fixed metadata so the
bytes are identical run after run.

Notebooks wrap figure code in ``with style():`` (larger type for projection).
The rows drawn are picked with ``analysis.report.select``.
"""
from __future__ import annotations

import math
import os
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import patheffects
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from analysis.measures.hedging import CATEGORIES, CATEGORY_LABELS
from analysis.measures.readability import DIRECTION, METRICS
from analysis.measures.sources import TYPES as SOURCE_TYPES
from analysis.paths import FIGURES_DIR
from analysis.report.select import (LABELS, READABILITY_TITLES, READABILITY_UNITS, format_number, outlet_rows,
                                    shorten, wide)

# Outlet colours: Paul Tol's colour-blind-safe "muted" scheme (nine hues) and
# black, ten colours that stay distinct for up to ten outlets, given by position in
# the manifest so that every figure agrees (past ten they repeat). Outlets are
# also drawn in manifest order, top to bottom, in every figure.
OUTLET_PALETTE = ("#CC6677", "#332288", "#DDCC77", "#117733", "#88CCEE", "#882255", "#44AA99", "#999933",
                  "#AA4499", "#000000")
# Paragraph roles in greys (never an outlet's colour): context darkest, the point of the figure.
ROLE_COLOURS = {"context": "#333333", "main": "#808080", "reaction": "#B3B3B3", "other": "#D9D9D9"}
LOW_N = 5  # a value resting on fewer mentions is drawn hollow and faded, with its n
ROLE_ORDER = ("context", "main", "reaction", "other")  # legend and stacking order
INTERVAL_COLOUR = "#222222"  # error bars and interval lines
MISSING_COLOUR = "#777777"  # "no data" labels
BAD_CELL = "#DDDDDD"  # heatmap cells without a value
METHOD_COLOUR = "#333333"  # validation figure: the project's method
BASELINE_COLOUR = "#BBBBBB"  # validation figure: the naive baseline
# Source types in greys (never an outlet's colour), stacked in this order: anonymous first, from zero.
SOURCE_TYPE_ORDER = ("anonymous",) + tuple(t for t in SOURCE_TYPES if t != "anonymous")
SOURCE_TYPE_COLOURS = dict(zip(SOURCE_TYPE_ORDER, ("#222222", "#5E5E5E", "#8A8A8A", "#AEAEAE", "#CFCFCF",
                                                   "#ECECEC")))
LOADED_COLOUR = "#000000"  # the ring around a loaded label's dots
MIN_DOT_AREA = 12.0  # label_matrix: the smallest dot, in points²

# Legible when projected: larger type than matplotlib's default.
STYLE = {
    "font.size": 12,
    "axes.titlesize": 14,
    "axes.labelsize": 12,
    "xtick.labelsize": 11,
    "ytick.labelsize": 11,
    "legend.fontsize": 11,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.hashsalt": "framing",
    "svg.fonttype": "path",
    "figure.dpi": 100,
}
SENTIMENT_TICKS = (-1.0, -0.5, 0.0, 0.5, 1.0)
VOICE_MARKERS = {"narrator": "o", "quoted": "s"}
VOICE_LABELS = {"narrator": "narrator (the outlet's own words)", "quoted": "quoted (words of sources)"}


def figures_dir() -> Path:
    """Where ``save_figure`` writes: $FRAMING_FIGURES_DIR, else figures/ of the repository."""
    return Path(os.environ.get("FRAMING_FIGURES_DIR") or FIGURES_DIR)


def outlet_colours(outlets) -> dict[str, str]:
    """Outlet -> colour, by manifest order (``OUTLET_PALETTE``; repeats after ten outlets)."""
    return {o: OUTLET_PALETTE[i % len(OUTLET_PALETTE)] for i, o in enumerate(outlets)}


def style():
    """A context manager applying the suite's style to the figures made inside it."""
    return matplotlib.rc_context(STYLE)


def save_figure(fig, name: str, directory=None) -> list[Path]:
    """Write ``fig`` as ``<name>.svg`` and ``<name>.png`` with fixed metadata; return the paths.

    ``name`` follows the notebook: ``02-actor-sentiment-heatmap``.
    """
    directory = Path(directory) if directory is not None else figures_dir()
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    with matplotlib.rc_context({"svg.hashsalt": "framing", "svg.fonttype": "path"}):
        svg = directory / f"{name}.svg"
        fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
        png = directory / f"{name}.png"
        fig.savefig(png, format="png", dpi=150, metadata={"Software": None}, bbox_inches="tight")
        paths += [svg, png]
    return paths


# ===========================================================================


@dataclass(frozen=True)
class Panel:
    """One panel of ``small_multiples``: a metric (and target) of the table.

    ``kind`` is "bar" (bars from zero, for rates and shares) or "dot" (point and
    interval, for scores without a natural zero such as grades or sentiment).
    """

    metric: str
    target: str = ""
    title: str = ""
    xlabel: str = ""
    kind: str = "bar"
    xlim: tuple[float, float] | None = None
    zero_line: bool = False
    missing: str = "no data"
    xticks: tuple[float, ...] | None = None


def _axes(ax, width=7.0, height=None, n_rows=5):
    if ax is not None:
        return ax
    fig, ax = plt.subplots(figsize=(width, height or 1.2 + 0.5 * max(n_rows, 2)), layout="constrained")
    return ax


def _order(rows: pd.DataFrame, order, sort: bool) -> list[str]:
    """Outlets from top to bottom: ``order`` if given, else by value (largest on
    top; outlets without a value at the bottom), else manifest order."""
    if order is not None:
        return [o for o in order if o in rows.index]
    if not sort:
        return list(rows.index)
    values = rows["value"].astype(float)
    ranked = values.fillna(-np.inf).sort_values(ascending=False, kind="mergesort")
    return list(ranked.index)


def _y(order) -> np.ndarray:
    """y positions: the first outlet of ``order`` on top."""
    return np.arange(len(order))[::-1].astype(float)


def _outlet_panel(table, metric, target, order, sort, colours, ax):
    """What a per-outlet panel starts from: the outlets in drawing order, their rows of the
    table, the values, the colours, the Axes and the y positions."""
    rows = outlet_rows(table, metric, target)
    colours = colours or outlet_colours(rows.index)
    outlets = _order(rows, order, sort)
    ax = _axes(ax, n_rows=len(outlets))
    sel = rows.loc[outlets]
    return outlets, sel, sel["value"].astype(float).to_numpy(), colours, ax, _y(outlets)


def _nothing_to_draw(ax, message: str):
    """An empty Axes that says why it is empty."""
    ax = _axes(ax, width=6, height=2)
    ax.set_axis_off()
    ax.text(0.5, 0.5, message, ha="center", va="center", color=MISSING_COLOUR, transform=ax.transAxes)
    return ax


def _draw_few(ax, xs, ys, few, colours, ns, marker, label=None):
    """Values resting on fewer than LOW_N mentions: hollow, faded markers with "n=k" beside them
    (``label``: the markers' collection is named "<label> (few mentions)")."""
    ns = np.asarray(ns, dtype=float)
    for x, y, c, n in zip(np.asarray(xs)[few], np.asarray(ys)[few], np.asarray(colours, dtype=object)[few],
                          ns[few]):
        ax.scatter([x], [y], s=60, marker=marker, facecolors="white", edgecolors=c, linewidths=1.5,
                   alpha=0.55, zorder=3, label=f"{label} (few mentions)" if label else None)
        ax.annotate(f"n={int(n)}", (x, y), xytext=(5, 4), textcoords="offset points", va="bottom",
                    fontsize="small", color=MISSING_COLOUR, zorder=4)


def _draw_intervals_as_errorbars(ax, xs, ys, lows, highs, halo: bool = False):
    """Error bars of the 95 % intervals; ``halo`` outlines them in white (legible on dark fills)."""
    xs, ys, lows, highs = (np.asarray(v, dtype=float) for v in (xs, ys, lows, highs))
    ok = np.isfinite(xs) & np.isfinite(lows) & np.isfinite(highs)
    if ok.any():
        bars = ax.errorbar(xs[ok], ys[ok], xerr=[xs[ok] - lows[ok], highs[ok] - xs[ok]], fmt="none",
                           ecolor=INTERVAL_COLOUR, elinewidth=1.5, capsize=4, capthick=1.5, zorder=3)
        if halo:
            for artist in bars.lines[1] + bars.lines[2]:
                artist.set_path_effects([patheffects.withStroke(linewidth=4, foreground="white")])


def interval_bars(table: pd.DataFrame, metric: str, target: str = "", *, ax=None, sort: bool = False,
                  order=None, colours=None, xlabel: str | None = None, title: str | None = None,
                  missing: str = "no data", yticklabels: bool = True):
    """Horizontal bars of one outlet-level metric with 95 % interval error bars.

    Outlets in manifest order, the same in every figure (``sort=True``: largest
    on top; ``order``: a list of outlets from top to bottom). A value of zero
    gets a tick and a "0" (a bar of length zero would not show); outlets without
    a value get a "no data" label instead of a bar. Returns the Axes.
    """
    outlets, sel, values, colours, ax, y = _outlet_panel(table, metric, target, order, sort, colours, ax)
    ok = np.isfinite(values)
    ax.barh(y[ok], values[ok], height=0.6, color=[colours[o] for o, k in zip(outlets, ok) if k], zorder=2)
    _draw_intervals_as_errorbars(ax, values, y, sel["ci_low"], sel["ci_high"])
    for o, yi, k, v in zip(outlets, y, ok, values):
        if not k:
            ax.text(0, yi, f" {missing}", va="center", ha="left", color=MISSING_COLOUR, fontsize="small")
        elif v == 0:
            ax.plot([0, 0], [yi - 0.3, yi + 0.3], color=colours[o], linewidth=3, zorder=4, clip_on=False)
            ax.text(0, yi, "  0", va="center", ha="left", color=INTERVAL_COLOUR, fontsize="small")
    ax.set_yticks(y, outlets if yticklabels else [""] * len(outlets))
    ax.set_ylim(-0.6, len(outlets) - 0.4)
    ax.set_xlim(left=0)
    ax.set_xlabel(xlabel if xlabel is not None else LABELS.get(metric, metric))
    if title:
        ax.set_title(title, loc="left")
    ax.grid(axis="x", color="#E5E5E5", zorder=0)
    return ax


def interval_dots(table: pd.DataFrame, metric: str, target: str = "", *, ax=None, sort: bool = False,
                  order=None, colours=None, xlabel: str | None = None, title: str | None = None,
                  xlim=None, zero_line: bool = False, missing: str = "no data", yticklabels: bool = True):
    """A dot per outlet (the value) with a line for its 95 % interval.

    For scores without a natural zero (readability grades, sentiment). Sorting
    as in ``interval_bars``. Outlets without a value are labelled ``missing``.
    Returns the Axes.
    """
    outlets, sel, values, colours, ax, y = _outlet_panel(table, metric, target, order, sort, colours, ax)
    lows = sel["ci_low"].astype(float).to_numpy()
    highs = sel["ci_high"].astype(float).to_numpy()
    ok = np.isfinite(values)
    iv = ok & np.isfinite(lows) & np.isfinite(highs)
    if zero_line:
        ax.axvline(0, color="#999999", linewidth=1, zorder=1)
    # a mean of a few mentions is drawn hollow and faded, with its n (metrics counted in mentions)
    few = ok & (sel["n"].astype(float).to_numpy() < LOW_N) if metric.startswith("sentiment_") else ~ok
    ax.hlines(y[iv], lows[iv], highs[iv], colors=[colours[o] for o, k in zip(outlets, iv) if k],
              linewidth=2.5, zorder=2, alpha=[0.45 if f else 1.0 for f in few[iv]])
    solid = ok & ~few
    ax.scatter(values[solid], y[solid], s=70, c=[colours[o] for o, k in zip(outlets, solid) if k],
               edgecolors=INTERVAL_COLOUR, linewidths=0.8, zorder=3)
    _draw_few(ax, values, y, few, [colours[o] for o in outlets], sel["n"], "o")
    if xlim is not None:
        ax.set_xlim(*xlim)
    for yi, k in zip(y, ok):
        if not k:
            x0 = 0.0 if xlim is None or xlim[0] <= 0 <= xlim[1] else xlim[0]
            ax.text(x0, yi, missing, va="center", ha="center", color=MISSING_COLOUR, fontsize="small")
    ax.set_yticks(y, outlets if yticklabels else [""] * len(outlets))
    ax.set_ylim(-0.6, len(outlets) - 0.4)
    ax.set_xlabel(xlabel if xlabel is not None else LABELS.get(metric, metric))
    if title:
        ax.set_title(title, loc="left")
    ax.grid(axis="x", color="#E5E5E5", zorder=0)
    return ax


def small_multiples(table: pd.DataFrame, panels, *, order=None, colours=None, ncols: int | None = None,
                    title: str | None = None, panel_size=(4.2, None)):
    """One panel per ``Panel`` spec, outlets in the same order in every panel.

    ``order``: None = manifest order; "first" = sorted by the first panel's
    value (largest on top); or a list of outlets from top to bottom. The same
    outlet keeps the same colour in every panel. Returns the Figure.
    """
    panels = list(panels)
    first = outlet_rows(table, panels[0].metric, panels[0].target)
    outlets_all = list(first.index)
    colours = colours or outlet_colours(outlets_all)
    if order is None:
        order = outlets_all
    elif isinstance(order, str) and order == "first":
        order = _order(first, None, True)
    ncols = ncols or min(len(panels), 3)
    nrows = math.ceil(len(panels) / ncols)
    width, height = panel_size
    height = height or 1.5 + 0.42 * max(len(order), 2)
    fig, axes = plt.subplots(nrows, ncols, figsize=(width * ncols, height * nrows), squeeze=False,
                             layout="constrained")
    for i, ax in enumerate(axes.flat):
        if i >= len(panels):
            ax.set_axis_off()
            continue
        p = panels[i]
        show_labels = i % ncols == 0
        if p.kind == "bar":
            interval_bars(table, p.metric, p.target, ax=ax, order=order, colours=colours,
                          xlabel=p.xlabel or None, title=p.title or None, missing=p.missing,
                          yticklabels=show_labels)
            if p.xlim is not None:
                ax.set_xlim(*p.xlim)
            if p.xticks is not None:
                ax.set_xticks(p.xticks)
        elif p.kind == "dot":
            interval_dots(table, p.metric, p.target, ax=ax, order=order, colours=colours,
                          xlabel=p.xlabel or None, title=p.title or None, xlim=p.xlim,
                          zero_line=p.zero_line, missing=p.missing, yticklabels=show_labels)
            if p.xticks is not None:
                ax.set_xticks(p.xticks)
        else:
            raise ValueError(f"unknown panel kind {p.kind!r} (bar or dot)")
    if title:
        fig.suptitle(title, x=0.01, ha="left", fontsize="large")
    return fig


def hedging_categories(table: pd.DataFrame, *, colours=None):
    """Hedges per 1,000 words by category, one panel per category, same x scale,
    outlets in manifest order. Returns the Figure."""
    order = list(outlet_rows(table, "hedges_per_1000_words", "").index)  # manifest order
    panels = [Panel("hedges_per_1000_words", c, CATEGORY_LABELS.get(c, c), "hedges per 1,000 words")
              for c in CATEGORIES]
    fig = small_multiples(table, panels, order=order, colours=colours, ncols=2)
    top = max([float(np.nanmax(outlet_rows(table, "hedges_per_1000_words", c)[["value", "ci_high"]]
                               .to_numpy(dtype=float), initial=0.0)) for c in CATEGORIES] + [1.0])
    for ax in fig.axes:
        if ax.axison:
            ax.set_xlim(0, top * 1.05)
    return fig


def readability_panels(table: pd.DataFrame, *, colours=None):
    """The five readability scores, one dot-and-interval panel each, outlets in
    manifest order. Returns the Figure."""
    order = list(outlet_rows(table, "flesch_kincaid_grade").index)
    panels = [Panel(m, "", f"{READABILITY_TITLES.get(m, m)}\n({DIRECTION[m]})", READABILITY_UNITS.get(m, ""), "dot")
              for m in METRICS]
    return small_multiples(table, panels, order=order, colours=colours, ncols=2)


def role_bars(table: pd.DataFrame, *, ax=None, roles=None):
    """Share of body words by paragraph role, one stacked bar per outlet.

    Context comes first (from zero) and carries its 95 % interval; outlets in
    manifest order. Colours are the roles' greys (``ROLE_COLOURS``), never an
    outlet's colour. Returns the Axes.
    """
    roles = tuple(roles or ROLE_ORDER)
    shares = wide(table, "role_share_words")
    context = outlet_rows(table, "role_share_words", "context")
    outlets = list(context.index)
    ax = _axes(ax, width=8.5, n_rows=len(outlets))
    y = _y(outlets)
    left = np.zeros(len(outlets))
    for role in roles:
        w = shares.loc[outlets, role].astype(float).fillna(0.0).to_numpy()
        ax.barh(y, w, left=left, height=0.6, color=ROLE_COLOURS[role], label=role, edgecolor="white",
                linewidth=0.8, zorder=2)
        left = left + w
    sel = context.loc[outlets]
    _draw_intervals_as_errorbars(ax, sel["value"], y, sel["ci_low"], sel["ci_high"], halo=True)
    ax.set_yticks(y, outlets)
    ax.set_ylim(-0.6, len(outlets) - 0.4)
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of body words, by the role of their paragraph")
    ax.legend(ncols=len(roles), loc="lower left", bbox_to_anchor=(0, 1.0), frameon=False,
              title="paragraph role (error bar: 95 % interval of the context share)", alignment="left")
    ax.set_title("How much of each outlet's text is context: words by paragraph role", loc="left", pad=48)
    return ax


def paragraph_strip(paragraphs: pd.DataFrame, *, ax=None):
    """Every article as a strip of its paragraphs in reading order, each block
    as wide as the paragraph's words and coloured by its role.

    ``paragraphs``: the frame of ``paragraph_table`` (columns outlet, article,
    paragraph, role, words). Returns the Axes.
    """
    articles = list(pd.unique(paragraphs["article"]))
    ax = _axes(ax, width=8.5, n_rows=len(articles))
    y = _y(articles)
    labels = []
    for yi, art in zip(y, articles):
        p = paragraphs[paragraphs["article"] == art].sort_values("paragraph", kind="mergesort")
        w = p["words"].astype(float).to_numpy()
        left = np.concatenate([[0.0], np.cumsum(w)[:-1]])
        ax.barh(np.full(len(w), yi), w, left=left, height=0.6,
                color=[ROLE_COLOURS.get(r, ROLE_COLOURS["other"]) for r in p["role"]],
                edgecolor="white", linewidth=1.2, zorder=2)
        outlet = p["outlet"].iloc[0]
        labels.append(outlet if outlet == art else f"{outlet} · {art}")
    ax.set_yticks(y, labels)
    ax.set_ylim(-0.6, len(articles) - 0.4)
    ax.set_xlim(left=0)
    ax.set_xlabel("words of the cleaned body, in reading order (one block per paragraph)")
    handles = [Patch(facecolor=ROLE_COLOURS[r], edgecolor="#999999", label=r) for r in ROLE_ORDER]
    ax.legend(handles=handles, ncols=len(handles), loc="lower left", bbox_to_anchor=(0, 1.0),
              frameon=False)
    ax.set_title("Every paragraph in reading order, shaded by its role", loc="left", pad=30)
    return ax


def sentiment_heatmap(table: pd.DataFrame, actors, *, voices=("narrator", "quoted"), ax=None,
                      metric_prefix: str = "sentiment_"):
    """Mean sentiment toward each actor (columns: actor x voice) for each outlet (rows).

    Colour: purple = positive, orange = negative, on a fixed -1..+1 scale;
    grey = no mention. Each cell prints the value and the number of mentions
    it rests on; a cell on fewer than LOW_N mentions is faded, its text grey.
    Returns the Axes (the colour bar is added to its figure).
    """
    actors = list(actors)
    if not actors:
        return _nothing_to_draw(ax, "no actor is mentioned in this corpus")
    outlets = list(outlet_rows(table, f"{metric_prefix}{voices[0]}", actors[0]).index)
    cols = [(a, v) for a in actors for v in voices]
    values = np.full((len(outlets), len(cols)), np.nan)
    counts = np.zeros((len(outlets), len(cols)), dtype=int)
    for j, (a, v) in enumerate(cols):
        rows = outlet_rows(table, f"{metric_prefix}{v}", a).reindex(outlets)
        values[:, j] = rows["value"].astype(float).to_numpy()
        counts[:, j] = rows["n"].fillna(0).astype(int).to_numpy()
    ax = _axes(ax, width=min(0.85 * max(len(cols), 2) + 2.5, 8.5), height=1.6 + 0.7 * max(len(outlets), 2))
    cmap = matplotlib.colormaps["PuOr"].with_extremes(bad=BAD_CELL)
    image = ax.imshow(np.ma.masked_invalid(values), cmap=cmap, vmin=-1, vmax=1, aspect="auto")
    for i in range(len(outlets)):
        for j in range(len(cols)):
            v = values[i, j]
            if math.isfinite(v) and counts[i, j] < LOW_N:  # few mentions: the colour faded
                ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, facecolor="white", alpha=0.6, edgecolor="none",
                                       zorder=2))
                text, colour = f"{format_number(v, 2, '+')}\nn={counts[i, j]}", MISSING_COLOUR
            elif math.isfinite(v):
                text, colour = f"{format_number(v, 2, '+')}\nn={counts[i, j]}", ("white" if abs(v) > 0.6 else "black")
            else:
                text, colour = "no\nmention", MISSING_COLOUR
            ax.text(j, i, text, ha="center", va="center", fontsize="small", color=colour)
    ax.set_xticks(range(len(cols)), [f"{textwrap.fill(a, 9)}\n{v}" for a, v in cols])  # long names wrapped
    ax.set_yticks(range(len(outlets)), outlets)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    for j in range(len(voices), len(cols), len(voices)):
        ax.axvline(j - 0.5, color="white", linewidth=4)
    ax.figure.colorbar(image, ax=ax, label="sentiment toward the actor\n(-1 negative ... +1 positive)",
                       shrink=0.8)
    return ax


def sentiment_dots(table: pd.DataFrame, actors, *, voices=("narrator", "quoted"), colours=None,
                   ncols: int | None = None):
    """Sentiment toward each actor, one panel per actor: a marker per outlet and
    voice (filled circle = narrator, hollow square = quoted) with its 95 %
    interval, on a fixed -1..+1 axis. Outlets in manifest order. Returns the Figure.
    """
    actors = list(actors)
    if not actors:
        return _nothing_to_draw(None, "no actor is mentioned in this corpus").figure
    outlets = list(outlet_rows(table, f"sentiment_{voices[0]}", actors[0]).index)
    colours = colours or outlet_colours(outlets)
    ncols = ncols or min(len(actors), 2)
    nrows = math.ceil(len(actors) / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.3 * ncols, (1.6 + 0.55 * max(len(outlets), 2)) * nrows),
                             squeeze=False, layout="constrained")
    y = _y(outlets)
    offsets = np.linspace(0.17, -0.17, len(voices)) if len(voices) > 1 else np.zeros(1)
    for k, ax in enumerate(axes.flat):
        if k >= len(actors):
            ax.set_axis_off()
            continue
        actor = actors[k]
        ax.axvline(0, color="#999999", linewidth=1, zorder=1)
        any_value = np.zeros(len(outlets), dtype=bool)
        for voice, dy in zip(voices, offsets):
            rows = outlet_rows(table, f"sentiment_{voice}", actor).reindex(outlets)
            v = rows["value"].astype(float).to_numpy()
            lo = rows["ci_low"].astype(float).to_numpy()
            hi = rows["ci_high"].astype(float).to_numpy()
            n = rows["n"].fillna(0).astype(float).to_numpy()
            ok = np.isfinite(v)
            iv = ok & np.isfinite(lo) & np.isfinite(hi)
            any_value |= ok
            few = ok & (n < LOW_N)  # drawn hollow and faded, with n
            ok = ok & ~few
            cs = [colours[o] for o in outlets]
            ax.hlines(y[iv] + dy, lo[iv], hi[iv], colors=[c for c, k2 in zip(cs, iv) if k2], linewidth=2,
                      zorder=2, label=f"{voice} interval", alpha=[0.45 if f else 1.0 for f in few[iv]])
            filled = voice == voices[0]
            ax.scatter(v[ok], y[ok] + dy, s=60, marker=VOICE_MARKERS.get(voice, "o"),
                       c=[c for c, k2 in zip(cs, ok) if k2] if filled else "white",
                       edgecolors=[c for c, k2 in zip(cs, ok) if k2] if not filled else INTERVAL_COLOUR,
                       linewidths=1.5 if not filled else 0.8, zorder=3, label=voice)
            _draw_few(ax, v, y + dy, few, cs, n, VOICE_MARKERS.get(voice, "o"), label=voice)
        for yi, has in zip(y, any_value):
            if not has:
                ax.text(0, yi, "no mentions", ha="center", va="center", color=MISSING_COLOUR, fontsize="small")
        ax.set_xlim(-1, 1)
        ax.set_xticks(SENTIMENT_TICKS)
        ax.set_ylim(-0.6, len(outlets) - 0.4)
        ax.set_yticks(y, outlets if k % ncols == 0 else [""] * len(outlets))
        ax.set_title(actor, loc="left")
        ax.set_xlabel("sentiment toward the actor (-1 to +1)")
        ax.grid(axis="x", color="#E5E5E5", zorder=0)
    handles = [Line2D([], [], linestyle="none", marker=VOICE_MARKERS.get(v, "o"), markersize=8,
                      markerfacecolor=("#555555" if i == 0 else "white"), markeredgecolor="#555555",
                      label=VOICE_LABELS.get(v, v)) for i, v in enumerate(voices)]
    handles.append(Line2D([], [], linestyle="none", marker="o", markersize=8, markerfacecolor="white",
                          markeredgecolor="#555555", alpha=0.55, label=f"faded, with n: fewer than {LOW_N} mentions"))
    fig.suptitle("Sentiment toward each actor, by outlet and voice (95 % intervals)", x=0.01, ha="left")
    fig.legend(handles=handles, loc="outside lower left", ncols=2, frameon=False)
    return fig


def overview(table: pd.DataFrame, actors, *, readability: str = "flesch_kincaid_grade", colours=None,
             ncols: int | None = None):
    """Every outlet against every measure on one page: hedging rate, context
    share, one readability grade and the narrator's sentiment toward each of
    ``actors``, all with 95 % intervals, outlets in manifest order in every
    panel. Returns the Figure."""
    panels = [
        Panel("hedges_per_1000_words", "", "Hedging", "hedges per 1,000 words", "bar"),
        Panel("context_share_words", "", "Background", "share of words in context paragraphs", "bar",
              xlim=(0, 1)),
        Panel(readability, "", READABILITY_TITLES.get(readability, readability),
              f"{READABILITY_UNITS.get(readability, 'score')} ({DIRECTION.get(readability, '')})", "dot"),
    ]
    panels += [Panel("sentiment_narrator", a, f"Sentiment toward {a}", "narrator voice (-1 to +1)", "dot",
                     xlim=(-1, 1), zero_line=True, missing="no mention", xticks=SENTIMENT_TICKS) for a in actors]
    ncols = ncols or 2  # two columns: legible on a projected slide
    return small_multiples(table, panels, order=None, colours=colours, ncols=ncols)


def article_sizes(overview_table: pd.DataFrame, *, ax=None, colours=None):
    """Words on the raw page (grey) and in the cleaned body (outlet colour) for
    every article, in manifest order. ``overview_table``: ``article_overview``.
    Returns the Axes."""
    t = overview_table
    colours = colours or outlet_colours(pd.unique(t["outlet"]))
    ax = _axes(ax, width=8, n_rows=len(t))
    y = _y(list(t["article"]))
    ax.barh(y, t["raw_words"].astype(float), height=0.7, color="#DDDDDD", label="raw page", zorder=2)
    ax.barh(y, t["words"].astype(float), height=0.4, color=[colours[o] for o in t["outlet"]],
            label="cleaned body", zorder=3)
    labels = [o if o == a else f"{o} · {a}" for o, a in zip(t["outlet"], t["article"])]
    ax.set_yticks(y, labels)
    ax.set_ylim(-0.6, len(t) - 0.4)
    ax.set_xlim(left=0)
    ax.set_xlabel("words")
    ax.legend(handles=[Patch(color="#DDDDDD", label="raw page (grey)"),
                       Patch(color="#555555", label="cleaned body (outlet colour)")],
              loc="lower left", bbox_to_anchor=(0, 1.0), ncols=2, frameon=False)
    ax.grid(axis="x", color="#E5E5E5", zorder=0)
    return ax


def bootstrap_histogram(samples, value: float, low: float, high: float, *, ax=None,
                        xlabel: str = "hedges per 1,000 words", bins: int = 30):
    """The resampled values as a histogram, with the value (solid line) and the
    95 % interval (dashed lines, shaded). Returns the Axes."""
    samples = np.asarray(samples, dtype=float)
    samples = samples[np.isfinite(samples)]
    ax = _axes(ax, width=8, height=4)
    ax.axvspan(low, high, color="#E5E5E5", zorder=0, label="95 % interval")
    ax.hist(samples, bins=bins, color="#777777", zorder=2)
    ax.axvline(value, color="black", linewidth=2, zorder=3, label="value in the table")
    for x in (low, high):
        ax.axvline(x, color="black", linewidth=1.2, linestyle="--", zorder=3)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(f"resamples (of {len(samples):,})")
    ax.legend(frameon=False, loc="upper right")
    return ax


def validation_bars(summary: pd.DataFrame, *, ax=None):
    """Method (dark) beside baseline (light) for every component and gold set of
    ``validation_summary``; bar length = the score (0-1), value printed at the
    end. Returns the Axes."""
    groups = list(dict.fromkeys(zip(summary["component"], summary["gold set"])))
    n_rows = len(summary)
    ax = _axes(ax, width=8.5, height=1.2 + 0.5 * max(n_rows, 2))
    y_positions, labels = [], []
    y = float(n_rows + len(groups))
    for comp, gold in groups:
        sub = summary[(summary["component"] == comp) & (summary["gold set"] == gold)]
        for _, r in sub.iterrows():
            y -= 1
            is_method = r["system"] == "method"
            ax.barh(y, r["value"], height=0.8, color=METHOD_COLOUR if is_method else BASELINE_COLOUR, zorder=2)
            ax.text(r["value"] + 0.01, y, f"{r['value']:.2f}", va="center", fontsize="small")
            y_positions.append(y)
            labels.append(textwrap.fill(f"{comp}, {gold}: {r['system']}" if is_method else r["system"], 34))
        y -= 1
    ax.set_yticks(y_positions, labels)
    ax.set_xlim(0, 1.08)
    ax.set_xlabel("agreement with the hand labels (F1: 0 = none, 1 = perfect)")
    ax.legend(handles=[Patch(color=METHOD_COLOUR, label="the project's method"),
                       Patch(color=BASELINE_COLOUR, label="naive baseline")],
              loc="lower left", bbox_to_anchor=(0, 1.0), ncols=2, frameon=False)
    ax.grid(axis="x", color="#E5E5E5", zorder=0)
    ax.set_title("In-house gold: each measure against hand labels", loc="left", pad=30)
    return ax


def short_system_label(label: str, width: int = 44) -> str:
    """A system's label short enough for an axis: without "baseline (a):" / "(a)", a short name
    before a colon alone ("hedged_sentence: ..." -> "hedged_sentence"), cut at the first
    parenthesis, semicolon or comma."""
    text = re.sub(r"^(?:baseline )?\([a-z]\):?\s*", "", label.strip())
    head, colon, _ = text.partition(":")
    if colon and len(head.strip()) <= 30:
        text = head.strip()
    text = re.split(r" \(|;|,", text)[0].strip()
    return shorten(text, width)


def external_validation_bars(frame: pd.DataFrame, *, ax=None):
    """The external validation as bars: the suite's own measures (dark) beside each baseline
    (light), one group per measure and figure under a heading, the value printed at the end of
    each bar (a negative correlation is drawn as zero). Returns the Axes."""
    groups = list(dict.fromkeys(zip(frame["measure"], frame["data"], frame["figure"])))
    n_rows = len(frame) + len(groups)
    ax = _axes(ax, width=8.5, height=1.4 + 0.5 * max(n_rows, 2))
    y_positions, labels, headings = [], [], []
    y = float(n_rows + len(groups))
    for measure, data, fig in groups:
        sub = frame[(frame["measure"] == measure) & (frame["figure"] == fig)]
        sub = pd.concat([sub[sub["method"]], sub[~sub["method"]]])
        y -= 1
        headings.append(len(labels))  # the group's heading is a tick label of its own, in bold
        y_positions.append(y)
        labels.append(textwrap.fill(f"{measure}: {fig} on {data}", 30))  # wrapped: the figure fits a slide
        for _, r in sub.iterrows():
            y -= 1
            value = max(r["value"], 0.0)
            ax.barh(y, value, height=0.8, color=METHOD_COLOUR if r["method"] else BASELINE_COLOUR, zorder=2)
            ax.text(value + 0.01, y, f"{r['value']:.2f}", va="center", fontsize="small")
            y_positions.append(y)
            labels.append(textwrap.fill(short_system_label(r["system"]), 26))
        y -= 1
    ax.set_yticks(y_positions, labels)
    for i in headings:
        ax.get_yticklabels()[i].set_fontweight("bold")
    ax.set_ylim(y, n_rows + len(groups) - 0.5)
    ax.set_xlim(0, 1.08)
    ax.set_xlabel("agreement with people outside the project\n(F1 or correlation: 0 = none, 1 = perfect)")
    ax.legend(handles=[Patch(color=METHOD_COLOUR, label="this suite's measure"),
                       Patch(color=BASELINE_COLOUR, label="baselines and variants, same run")],
              loc="upper left", bbox_to_anchor=(0, -0.09), ncols=2, frameon=False)
    ax.grid(axis="x", color="#E5E5E5", zorder=0)
    return ax


def source_type_bars(table: pd.DataFrame, *, ax=None, types=None):
    """Share of each outlet's attributions by source type, one stacked bar per outlet.

    Reads the table's ``source_type_share`` rows (target = type). Anonymous comes
    first (from zero) with its 95 % interval; types in greys (``SOURCE_TYPE_COLOURS``);
    outlets in manifest order; each bar ends with its number of attributions, and an
    outlet with fewer than ``LOW_N`` is drawn faded. Returns the Axes.
    """
    shares = wide(table, "source_type_share")
    if shares.empty:
        return _nothing_to_draw(ax, "no attribution found in this corpus")
    counts = wide(table, "source_type_share", "n").max(axis=1)
    types = [t for t in (types or SOURCE_TYPE_ORDER)
             if t in shares.columns and (t == "anonymous" or shares[t].fillna(0).gt(0).any())]
    outlets = list(shares.index)
    ax = _axes(ax, width=8.5, n_rows=len(outlets))
    y = _y(outlets)
    n = counts.loc[outlets].fillna(0).astype(int).to_numpy()
    few = n < LOW_N
    left = np.zeros(len(outlets))
    for kind in types:
        w = shares.loc[outlets, kind].astype(float).fillna(0.0).to_numpy()
        bars = ax.barh(y, w, left=left, height=0.6, color=SOURCE_TYPE_COLOURS.get(kind, "#CCCCCC"), label=kind,
                       edgecolor="white", linewidth=0.8, zorder=2)
        for patch, faded in zip(bars.patches, few):
            if faded:
                patch.set_alpha(0.35)
        left = left + w
    anonymous = outlet_rows(table, "source_type_share", "anonymous") if "anonymous" in types else None
    if anonymous is not None and not anonymous.empty:
        sel = anonymous.reindex(outlets)
        _draw_intervals_as_errorbars(ax, sel["value"], y, sel["ci_low"], sel["ci_high"], halo=True)
    for yi, k, faded in zip(y, n, few):
        text = "no attributions" if k == 0 else f"n={k}" + (" (few)" if faded else "")
        ax.text(1.02, yi, text, va="center", fontsize="small", color=MISSING_COLOUR if faded else "#333333")
    ax.set_yticks(y, outlets)
    ax.set_ylim(-0.6, len(outlets) - 0.4)
    ax.set_xlim(0, 1)
    ax.set_xlabel("share of the outlet's attributions, by the type of source")
    ax.legend(ncols=3, loc="lower left", bbox_to_anchor=(0, 1.0), frameon=False, alignment="left",
              title=f"source type (error bar: 95 % interval of the anonymous share; faded: fewer than {LOW_N})")
    ax.set_title("Who speaks in each outlet: attributions by type of source", loc="left", pad=70)
    return ax


def label_matrix(labels: pd.DataFrame, actors, outlets, *, max_labels: int = 12, colours=None):
    """How each outlet names each actor: one panel per actor, its labels as rows
    (most used on top), outlets as columns in manifest order, a dot per outlet that
    uses the label, its area the count. A loaded label carries a star after its name
    and a black ring around its dots.

    ``labels``: the frame of ``analysis.measures.naming.label_table``. Per actor the
    ``max_labels`` most used labels are drawn, loaded labels always; the panel says
    how many more there are. Returns the Figure.
    """
    outlets = list(outlets)
    colours = colours or outlet_colours(outlets)
    actors = [a for a in actors if (labels["actor"] == a).any()] if len(labels) else []
    if not actors:
        return _nothing_to_draw(None, "no actor is named in this corpus").figure
    rows = {a: _labels_to_draw(labels[labels["actor"] == a], max_labels) for a in actors}
    ncols = 1 if len(actors) == 1 else 2
    nrows = math.ceil(len(actors) / ncols)
    heights = [max(len(rows[a][0]) for a in actors[r * ncols:(r + 1) * ncols]) + 1.5 for r in range(nrows)]
    fig, axes = plt.subplots(nrows, ncols, figsize=(8.6, 1.6 + 0.27 * sum(heights)), squeeze=False,
                             gridspec_kw={"height_ratios": heights}, layout="constrained")
    top = max(int(labels["count"].max()), 1)
    for k, ax in enumerate(axes.flat):
        if k >= len(actors):
            ax.set_axis_off()
            continue
        actor = actors[k]
        shown, hidden = rows[actor]
        sub = labels[labels["actor"] == actor]
        ys = {label: float(len(shown) - 1 - i) for i, label in enumerate(shown)}
        for j, outlet in enumerate(outlets):
            here = sub[(sub["outlet"] == outlet) & sub["label"].isin(shown)]
            if here.empty:
                continue
            loaded = here["loaded"].astype(bool).to_numpy()
            ax.scatter(np.full(len(here), float(j)), [ys[lb] for lb in here["label"]],
                       s=_dot_area(here["count"].to_numpy(dtype=float), top), c=colours[outlet],
                       edgecolors=np.where(loaded, LOADED_COLOUR, "white"), linewidths=np.where(loaded, 2.0, 0.5),
                       zorder=3, label=outlet)
        loaded_labels = set(sub.loc[sub["loaded"].astype(bool), "label"])
        ax.set_yticks(list(ys.values()), [shorten(lb, 28) + (" *" if lb in loaded_labels else "") for lb in ys])
        ax.set_ylim(-0.7 - (0.8 if hidden else 0), len(shown) - 0.3)
        ax.set_xticks(range(len(outlets)), [shorten(o, 14) for o in outlets], rotation=45, ha="right")
        ax.set_xlim(-0.6, len(outlets) - 0.4)
        ax.grid(color="#EEEEEE", zorder=0)
        ax.set_title(actor, loc="left")
        if hidden:
            ax.text(0.0, -1.1, f"+ {hidden} more label{'s' if hidden > 1 else ''} not shown", fontsize="small",
                    color=MISSING_COLOUR, transform=ax.get_yaxis_transform())
    sizes = sorted({1, max(top // 2, 1), top})
    handles = [Line2D([], [], linestyle="none", marker="o", markerfacecolor="#999999", markeredgecolor="white",
                      markersize=math.sqrt(_dot_area(np.array([float(c)]), top)[0]),
                      label=f"{c} use{'s' if c > 1 else ''}") for c in sizes]
    handles.append(Line2D([], [], linestyle="none", marker="o", markersize=8, markerfacecolor="#999999",
                          markeredgecolor=LOADED_COLOUR, markeredgewidth=2.0, label="* loaded label"))
    fig.legend(handles=handles, loc="outside lower left", ncols=len(handles), frameon=False)
    fig.suptitle("How each outlet names each actor: labels and the outlets using them", x=0.01, ha="left")
    return fig


def _labels_to_draw(sub: pd.DataFrame, max_labels: int) -> tuple[list[str], int]:
    """One actor's labels to draw, most used first (ties by label), loaded ones always; and how
    many labels are left out."""
    totals = sub.groupby("label", sort=True)["count"].sum().sort_values(ascending=False, kind="mergesort")
    loaded = set(sub.loc[sub["loaded"].astype(bool), "label"])
    keep = [lb for lb in totals.index if lb in loaded]
    keep += [lb for lb in totals.index if lb not in loaded][:max(max_labels - len(keep), 0)]
    shown = [lb for lb in totals.index if lb in keep]
    return shown, len(totals) - len(shown)


def _dot_area(counts: np.ndarray, top: int) -> np.ndarray:
    """Marker area in points² proportional to the count (the largest count is 300), at least
    ``MIN_DOT_AREA`` so that a label used once stays visible next to one used hundreds of times."""
    return np.maximum(300.0 * counts / max(top, 1), MIN_DOT_AREA)
