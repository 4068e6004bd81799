"""Selecting from the metrics table: the small tidy tables and sentences the notebooks show.

``outlet_rows``, ``article_rows`` and ``wide`` pick one metric's rows;
``most_mentioned`` and ``top_actors`` rank the actors; ``overview_table`` puts
every measure of the overview figure in one row per outlet; ``describe_extremes``
writes the finding sentence a notebook prints (computed, so the same notebook
runs on any corpus). Also the metrics' labels and units, and how numbers and
text are printed (``format_number``, ``shorten``), which the evidence tables and
the figures share.

Pure pandas: nothing here imports matplotlib.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd

from analysis.table import metric_catalogue

# Axis labels with units, one per metric of the table.
LABELS = {
    "hedges_per_1000_words": "hedges per 1,000 words",
    "context_share_words": "share of body words in context paragraphs",
    "context_share_paragraphs": "share of paragraphs that are context",
    "role_share_words": "share of body words",
    "flesch_reading_ease": "Flesch reading ease (score; higher = easier)",
    "flesch_kincaid_grade": "Flesch-Kincaid (US school grade; higher = harder)",
    "gunning_fog": "Gunning fog (years of schooling; higher = harder)",
    "smog": "SMOG (US school grade; higher = harder)",
    "dale_chall": "Dale-Chall (raw score; higher = harder)",
    "mentions": "mentions",
    "sentence_share": "share of sentences mentioning the actor",
    "first_mention": "position of the first mention (0 = top, 1 = end)",
    "sentiment_narrator": "sentiment, narrator voice (-1 to +1)",
    "sentiment_quoted": "sentiment, quoted voice (-1 to +1)",
    "sentiment_all": "sentiment, both voices (-1 to +1)",
}
READABILITY_TITLES = {
    "flesch_reading_ease": "Flesch reading ease",
    "flesch_kincaid_grade": "Flesch-Kincaid grade",
    "gunning_fog": "Gunning fog",
    "smog": "SMOG",
    "dale_chall": "Dale-Chall",
}
READABILITY_UNITS = {
    "flesch_reading_ease": "score (about 0-100)",
    "flesch_kincaid_grade": "US school grade",
    "gunning_fog": "years of schooling",
    "smog": "US school grade",
    "dale_chall": "raw score",
}


# ---------------------------------------------------------------------------
# Printing numbers and text

def format_number(value: float, digits: int, sign: str = "") -> str:
    """``value`` with ``digits`` decimals; a value that rounds to zero prints as
    0 (never "-0.00"); "n/a" for a missing value."""
    if value is None or not math.isfinite(value):
        return "n/a"
    if round(value, digits) == 0:
        value = 0.0
    return f"{value:{sign}.{digits}f}"


def shorten(text: str, width: int) -> str:
    """``text`` on one line, cut to ``width`` characters with an ellipsis where cut."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _finite(x) -> bool:
    return x is not None and math.isfinite(float(x))


# ---------------------------------------------------------------------------
# Rows of the metrics table

_ROW_COLUMNS = ["value", "ci_low", "ci_high", "n"]


def outlet_rows(table: pd.DataFrame, metric: str, target: str = "") -> pd.DataFrame:
    """The outlet-level rows (``article`` empty) of one metric and target.

    Indexed by outlet in table (= manifest) order; columns value, ci_low,
    ci_high, n. Raises KeyError when the table has no such rows.
    """
    sel = table[(table["article"] == "") & (table["metric"] == metric) & (table["target"] == target)]
    if sel.empty:
        raise KeyError(f"the metrics table has no outlet rows for metric {metric!r}, target {target!r}")
    out = sel.set_index("outlet")[_ROW_COLUMNS]
    out.index.name = "outlet"
    return out


def article_rows(table: pd.DataFrame, metric: str, target: str = "") -> pd.DataFrame:
    """The article-level rows of one metric and target, indexed by article id
    (columns outlet, value, ci_low, ci_high, n)."""
    sel = table[(table["article"] != "") & (table["metric"] == metric) & (table["target"] == target)]
    if sel.empty:
        raise KeyError(f"the metrics table has no article rows for metric {metric!r}, target {target!r}")
    return sel.set_index("article")[["outlet"] + _ROW_COLUMNS]


def wide(table: pd.DataFrame, metric: str, column: str = "value", *, articles: bool = False) -> pd.DataFrame:
    """One metric as a wide frame: outlets (or articles) down, targets across.

    ``column`` picks value, ci_low, ci_high or n. Rows and columns keep the
    table's order (manifest order of outlets, actors.yaml order of actors).
    """
    sel = table[(table["metric"] == metric) & ((table["article"] != "") if articles else (table["article"] == ""))]
    key = "article" if articles else "outlet"
    if sel.empty:
        if metric not in set(metric_catalogue()["name"]):
            raise KeyError(f"the metrics table has no rows for metric {metric!r}")
        # a known metric without rows (no actors tracked, say): outlets down, nothing across
        rows = table[(table["article"] != "") if articles else (table["article"] == "")]
        out = pd.DataFrame(index=pd.Index(pd.unique(rows[key]), name=key),
                           columns=pd.Index([], name="target"), dtype=float)
        return out
    out = sel.pivot(index=key, columns="target", values=column)
    out = out.reindex(index=pd.unique(sel[key]), columns=pd.unique(sel["target"]))
    out.columns.name = "target"
    return out


def most_mentioned(table: pd.DataFrame) -> pd.DataFrame:
    """Per outlet, its most mentioned actor and how often (ties: actors.yaml order); with no
    actors tracked, says so instead of failing."""
    counts = wide(table, "mentions")
    if counts.shape[1] == 0:
        return pd.DataFrame({"most mentioned": "(no actors tracked)", "mentions": 0}, index=counts.index)
    return pd.DataFrame({"most mentioned": counts.idxmax(axis=1), "mentions": counts.max(axis=1).astype(int)})


def top_actors(table: pd.DataFrame, k: int = 4) -> list[str]:
    """The ``k`` most-mentioned actors over all outlets (ties: actors.yaml order).

    Actors never mentioned are left out, so the list may be shorter than ``k``.
    """
    totals = wide(table, "mentions").sum(axis=0)
    totals = totals[totals > 0].sort_values(ascending=False, kind="mergesort")
    return [str(a) for a in totals.index[:k]]


def _interval_text(row, digits: int) -> str:
    if not (math.isfinite(row["ci_low"]) and math.isfinite(row["ci_high"])):
        return "no interval"
    return f"95 % interval {format_number(row['ci_low'], digits)} to {format_number(row['ci_high'], digits)}"


def describe_extremes(table: pd.DataFrame, metric: str, target: str = "", *, label: str | None = None,
                      digits: int = 1) -> str:
    """A finding sentence for one metric: the highest and the lowest outlet, their
    values and intervals, and whether the two intervals overlap.

    Computed from the table, so a notebook can print it for any corpus.
    Outlets without a value (NaN: e.g. an actor they never mention) are left out.
    """
    rows = outlet_rows(table, metric, target)
    rows = rows[np.isfinite(rows["value"].astype(float))]
    if label is None:
        label = LABELS.get(metric, metric) + (f", {target}" if target else "")
    if rows.empty:
        return f"No outlet has a value for {label}."
    if len(rows) == 1:
        (name, row), = rows.iterrows()
        return (f"Only {name} has a value for {label}: {format_number(row['value'], digits)} "
                f"({_interval_text(row, digits)}).")
    ordered = rows.sort_values("value", ascending=False, kind="mergesort")
    hi_name, hi = ordered.index[0], ordered.iloc[0]
    lo_name, lo = ordered.index[-1], ordered.iloc[-1]
    if hi["value"] == lo["value"]:
        return f"All {len(rows)} outlets have the same {label}: {format_number(hi['value'], digits)}."
    text = (f"Highest {label}: {hi_name}, {format_number(hi['value'], digits)} ({_interval_text(hi, digits)}). "
            f"Lowest: {lo_name}, {format_number(lo['value'], digits)} ({_interval_text(lo, digits)}). ")
    bounds = [hi["ci_low"], hi["ci_high"], lo["ci_low"], lo["ci_high"]]
    if not all(math.isfinite(b) for b in bounds):
        text += "Without intervals, the size of the difference cannot be judged."
    elif hi["ci_low"] <= lo["ci_high"]:
        text += "The two intervals overlap: with this little text the difference may be noise."
    else:
        text += "The two intervals do not overlap."
    unit = _unit_of(metric)
    for name, row in ((hi_name, hi), (lo_name, lo)):
        if int(row["n"]) < FEW_UNITS:
            text += (f" Caution: {name}'s value rests on only {int(row['n'])} "
                     f"{unit if int(row['n']) != 1 else unit.rstrip('s')}, too few for a useful interval.")
    return text


FEW_UNITS = 5  # describe_extremes warns when a value rests on fewer units than this


def _unit_of(metric: str) -> str:
    """What ``n`` counts for ``metric`` (analysis.table.metric_catalogue), e.g. "mentions"."""
    cat = metric_catalogue().set_index("name")["unit"]
    return str(cat.get(metric, "units"))


def overview_table(table: pd.DataFrame, actors, *, readability: str = "flesch_kincaid_grade",
                   digits: int = 2) -> pd.DataFrame:
    """The numbers behind ``overview``: one row per outlet, one column per
    panel, each cell "value (low to high)" with the 95 % interval, or "no
    mention" where an outlet never mentions the actor in narrator voice."""
    specs = [("hedges per 1,000 words", "hedges_per_1000_words", ""),
             ("context share of words", "context_share_words", ""),
             (READABILITY_TITLES.get(readability, readability), readability, "")]
    specs += [(f"sentiment toward {a} (narrator)", "sentiment_narrator", a) for a in actors]
    out = {}
    for name, metric, target in specs:
        rows = outlet_rows(table, metric, target)
        out[name] = [("no mention" if metric.startswith("sentiment") else "n/a") if not _finite(r["value"])
                     else (f"{format_number(r['value'], digits)} "
                           f"({format_number(r['ci_low'], digits)} to {format_number(r['ci_high'], digits)})")
                     for _, r in rows.iterrows()]
        index = rows.index
    return pd.DataFrame(out, index=index)
