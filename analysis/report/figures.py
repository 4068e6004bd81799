"""Figures and the small tidy tables the notebooks show.

Three parts, all used by the numbered notebooks (which import and narrate, and
compute nothing themselves):

* **Selecting from the metrics table**: ``outlet_rows``, ``article_rows``,
  ``wide``, ``top_actors`` and ``describe_extremes`` (the finding sentence a
  notebook prints, computed, so the same notebook runs on any corpus).
* **Evidence tables**: every number traced back to words -- ``article_overview``,
  ``raw_vs_clean``, ``log_table``, ``hedge_table``, ``mention_table``,
  ``paragraph_table``; plus ``resampled_hedging_rates`` (the bootstrap made
  visible) and ``validation_summary`` (agreement with the gold labels).
* **Plot functions**: each takes a table (the metrics table unless its docstring
  says otherwise) and ``ax=None``, draws on it or on a new figure, returns the
  Axes (or the Figure for several panels) and never touches global matplotlib
  state. Projector rules, kept by every figure: outlets in manifest order and
  coloured by ``outlet_colours`` (Tol's colour-blind-safe muted scheme, distinct
  for ten outlets), the same in every figure; paragraph roles in greys, never an
  outlet's colour; the 95 % bootstrap interval of every value shown; a value
  resting on fewer than ``LOW_N`` mentions hollow and faded with its n; a zero
  drawn as a tick and "0"; a title saying what the figure shows; at most about
  8.7 inches wide (1,280 pixels as saved), so a slide shows it unshrunk.
  ``save_figure`` writes SVG and PNG with fixed metadata so the bytes are
  identical run after run.

Notebooks wrap figure code in ``with style():`` (larger type for projection).
"""
from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from analysis.paths import BUNDLED_CORPUS, FIGURES_DIR

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
SENTIMENT_TICKS = (-1.0, -0.5, 0.0, 0.5, 1.0)
VOICE_MARKERS = {"narrator": "o", "quoted": "s"}
VOICE_LABELS = {"narrator": "narrator (the outlet's own words)", "quoted": "quoted (words of sources)"}


def corpus_path() -> Path:
    """The corpus the notebooks analyse: $FRAMING_CORPUS, else the bundled one."""
    return Path(os.environ.get("FRAMING_CORPUS") or BUNDLED_CORPUS)


def about_bundled(markdown: str):
    """A note about the bundled corpus, shown as Markdown only when the notebook analyses that
    corpus; on another corpus a short line says so and hands the question to the reader."""
    from IPython.display import Markdown

    here = corpus_path()
    if here.resolve() == BUNDLED_CORPUS.resolve():
        return Markdown(markdown)
    return Markdown(f"> *The teacher's note here is about the bundled corpus. This notebook analyses `{here.name}`: "
                    "read the figure and tables above with the same question, and write your own note.*")


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
# Selecting from the metrics table
# ===========================================================================

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
        from analysis.table import metric_catalogue

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


def _fmt(value: float, digits: int, sign: str = "") -> str:
    """``value`` with ``digits`` decimals; a value that rounds to zero prints as
    0 (never "-0.00"); "n/a" for a missing value."""
    if value is None or not math.isfinite(value):
        return "n/a"
    if round(value, digits) == 0:
        value = 0.0
    return f"{value:{sign}.{digits}f}"


def _interval_text(row, digits: int) -> str:
    if not (math.isfinite(row["ci_low"]) and math.isfinite(row["ci_high"])):
        return "no interval"
    return f"95 % interval {_fmt(row['ci_low'], digits)} to {_fmt(row['ci_high'], digits)}"


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
        return (f"Only {name} has a value for {label}: {_fmt(row['value'], digits)} "
                f"({_interval_text(row, digits)}).")
    ordered = rows.sort_values("value", ascending=False, kind="mergesort")
    hi_name, hi = ordered.index[0], ordered.iloc[0]
    lo_name, lo = ordered.index[-1], ordered.iloc[-1]
    if hi["value"] == lo["value"]:
        return f"All {len(rows)} outlets have the same {label}: {_fmt(hi['value'], digits)}."
    text = (f"Highest {label}: {hi_name}, {_fmt(hi['value'], digits)} ({_interval_text(hi, digits)}). "
            f"Lowest: {lo_name}, {_fmt(lo['value'], digits)} ({_interval_text(lo, digits)}). ")
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
    from analysis.table import metric_catalogue

    cat = metric_catalogue().set_index("name")["unit"]
    return str(cat.get(metric, "units"))


# ===========================================================================
# Evidence tables
# ===========================================================================

def _shorten(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def evidence(text: str, start: int, end: int, width: int = 60) -> str:
    """``text[start:end]`` in [brackets] with up to ``width`` characters either side,
    cut at word boundaries and marked with an ellipsis where cut."""
    left, right = text[:start], text[end:]
    if len(left) > width:
        cut = left[-width:]
        left = "…" + (cut.split(" ", 1)[1] if " " in cut else cut)
    if len(right) > width:
        cut = right[:width]
        right = (cut.rsplit(" ", 1)[0] if " " in cut else cut) + "…"
    return " ".join(f"{left}[{text[start:end]}]{right}".split())


def article_overview(corpus, table: pd.DataFrame) -> pd.DataFrame:
    """One row per article: id, outlet, file name, title, date, words on the raw
    page and in the cleaned body (and their difference: words of furniture,
    headlines and metadata lines), paragraphs, sentences, quotations, and how
    many lines cleaning dropped, changed or moved to metadata.

    Raw words are counted with the same word rule as the body
    (``analysis.measures.readability.count_text``), line by line.
    """
    from analysis.measures.readability import count_text

    counts = {m: article_rows(table, m)["value"] for m in ("paragraphs", "sentences", "words")}
    rows = []
    for a in corpus.articles:
        actions = [e.action for e in a.log]
        raw_words = count_text(a.raw.splitlines()).words
        rows.append({
            "article": a.id,
            "outlet": a.outlet,
            "file": Path(a.file).name,
            "title": a.title,
            "date": a.meta.get("date", ""),
            "raw_words": raw_words,
            "words": int(counts["words"][a.id]),
            "not_in_body": raw_words - int(counts["words"][a.id]),
            "paragraphs": int(counts["paragraphs"][a.id]),
            "sentences": int(counts["sentences"][a.id]),
            "quotes": len(a.quotes),
            "dropped": actions.count("dropped"),
            "changed": actions.count("changed"),
            "metadata": actions.count("metadata"),
        })
    return pd.DataFrame(rows)


def raw_vs_clean(article, n: int = 6, width: int = 70) -> pd.DataFrame:
    """The first ``n`` non-empty lines of the raw file beside the first ``n``
    paragraphs of the cleaned body (each shortened to ``width`` characters)."""
    raw = [ln for ln in article.raw.splitlines() if ln.strip()][:n]
    clean = [article.text(p) for p in article.paragraphs][:n]
    raw += [""] * (n - len(raw))
    clean += [""] * (n - len(clean))
    return pd.DataFrame({"raw file (first lines)": [_shorten(t, width) for t in raw],
                         "cleaned body (first paragraphs)": [_shorten(t, width) for t in clean]},
                        index=pd.RangeIndex(1, n + 1, name="#"))


def log_table(article, width: int = 90) -> pd.DataFrame:
    """What cleaning did to ``article``, one row per log entry: raw line number,
    action (dropped, changed, metadata, decoded), the rule, and the text
    (for a change: each changed stretch, before -> after).

    Given a Corpus instead, the log of every article, with an ``article`` column first.
    """
    from analysis.pipeline.clean import _describe_change  # the same wording as ``python -m analysis clean``

    if hasattr(article, "articles"):
        parts = [log_table(a, width).assign(article=a.id) for a in article.articles]
        cols = ["article", "line", "action", "rule", "text"]
        return pd.concat(parts, ignore_index=True)[cols] if parts else pd.DataFrame(columns=cols)
    rows = []
    for e in article.log:
        if e.action == "changed":
            text = _describe_change(e.before, e.after)
        elif e.action == "metadata":
            text = e.after
        else:
            text = e.before or e.after
        rows.append({"line": e.line, "action": e.action, "rule": e.rule, "text": _shorten(text, width)})
    return pd.DataFrame(rows, columns=["line", "action", "rule", "text"])


def hedge_table(annotations, width: int = 60) -> pd.DataFrame:
    """Every hedge cue of the annotated articles with its sentence, in reading order.

    Columns outlet, article, sentence (0-based within the article), cue,
    category and evidence (the sentence around the cue, cue in [brackets]).
    ``annotations``: ``analysis.annotate.ArticleAnnotation`` objects.
    """
    rows = []
    for ann in annotations:
        art = ann.article
        for s in ann.sentences:
            text = art.body[s.start:s.end]
            for h in s.hedges:
                rows.append({"outlet": art.outlet, "article": art.id, "sentence": s.index,
                             "cue": h.cue, "category": h.category,
                             "evidence": evidence(text, h.start - s.start, h.end - s.start, width)})
    return pd.DataFrame(rows, columns=["outlet", "article", "sentence", "cue", "category", "evidence"])


def mention_table(annotations, width: int = 60) -> pd.DataFrame:
    """Every actor mention with the sentiment toward it, in reading order.

    Columns outlet, article, sentence, actor, text (the words matched), kind,
    voice, speaker, sentiment (-1..1) and evidence (the sentence around the
    mention, mention in [brackets]).
    """
    rows = []
    for ann in annotations:
        art = ann.article
        for s in ann.sentences:
            text = art.body[s.start:s.end]
            for m, score in s.mentions:
                rows.append({"outlet": art.outlet, "article": art.id, "sentence": s.index,
                             "actor": m.actor, "text": m.text, "kind": m.kind, "voice": m.voice,
                             "speaker": m.speaker or "", "sentiment": float(score),
                             "evidence": evidence(text, m.start - s.start, m.end - s.start, width)})
    return pd.DataFrame(rows, columns=["outlet", "article", "sentence", "actor", "text", "kind", "voice",
                                       "speaker", "sentiment", "evidence"])


def extreme_mentions(mentions: pd.DataFrame, actors, voice: str = "narrator") -> pd.DataFrame:
    """For each of ``actors``, its most negative and its most positive mention in
    ``voice`` (one row when the actor has a single such mention), from
    ``mention_table``; sorted by actor (in the given order) and sentiment."""
    actors = list(actors)
    sel = mentions[(mentions["voice"] == voice) & mentions["actor"].isin(actors)]
    sel = sel.sort_values("sentiment", kind="mergesort")
    picked = pd.concat([sel.groupby("actor", sort=False).head(1), sel.groupby("actor", sort=False).tail(1)])
    picked = picked[~picked.index.duplicated()]
    order = {a: i for i, a in enumerate(actors)}
    picked = picked.assign(_rank=picked["actor"].map(order)).sort_values(["_rank", "sentiment"], kind="mergesort")
    return picked.drop(columns="_rank")[["actor", "outlet", "article", "text", "sentiment", "evidence"]]


def paragraph_table(annotations, width: int = 80) -> pd.DataFrame:
    """One row per paragraph: outlet, article, paragraph, role, confidence, words,
    reasons (the cues that fired, "; "-separated) and the paragraph's opening.

    Roles and reasons come from ``analysis.measures.context.classify_paragraphs`` called
    exactly as the annotator calls it; words from the annotation.
    """
    from analysis.measures.context import classify_paragraphs

    rows = []
    for ann in annotations:
        art = ann.article
        texts = [art.text(p) for p in art.paragraphs]
        decisions = classify_paragraphs(texts, event_date=art.event_date, article_date=art.meta.get("date") or None)
        words = ann.paragraph_words
        for i, (text, d) in enumerate(zip(texts, decisions)):
            rows.append({"outlet": art.outlet, "article": art.id, "paragraph": i, "role": d.role,
                         "confidence": float(d.confidence), "words": int(words[i]),
                         "reasons": "; ".join(d.reasons), "text": _shorten(text, width)})
    return pd.DataFrame(rows, columns=["outlet", "article", "paragraph", "role", "confidence", "words",
                                       "reasons", "text"])


def resampled_hedging_rates(annotation) -> np.ndarray:
    """The bootstrap behind one article's hedging interval, made visible.

    The article's sentences are drawn with replacement (the same seeded draws as
    the metrics table, ``analysis.stats.resample_weights``), and each resample's
    hedges per 1,000 words is returned: ``stats.N_RESAMPLES`` values. Their 2.5
    and 97.5 percentiles are the article's interval in the table.
    """
    from analysis import stats

    words = np.array([s.words for s in annotation.sentences], dtype=float)
    hedges = np.array([len(s.hedges) for s in annotation.sentences], dtype=float)
    weights = stats.resample_weights(len(words), annotation.article.id, "sentences")
    return np.asarray(stats.safe_ratio(weights @ hedges, weights @ words, 1000.0), dtype=float)


def readability_raw_vs_clean(article, table: pd.DataFrame) -> pd.DataFrame:
    """Why the project measures the cleaned body: the five scores three ways.

    Rows: textstat on the raw file (furniture included, textstat's own sentence
    splitting), textstat on the cleaned body text, and this project's value
    from the metrics table (cleaned body, the project's own sentences and
    counting rules). Columns: words as each counts them, then the five scores.
    """
    from analysis.measures.readability import METRICS, count_text, textstat_scores

    def textstat_words(text):
        from textstat.backend import counts

        return counts.count_words(text)

    rows = {
        "textstat on the raw file": {"words": textstat_words(article.raw), **textstat_scores(article.raw)},
        "textstat on the cleaned body": {"words": textstat_words(article.body), **textstat_scores(article.body)},
    }
    ours = {"words": count_text([article.text(s) for s in article.sentences]).words}
    for m in METRICS:
        ours[m] = float(article_rows(table, m).loc[article.id, "value"])
    rows["this project (the metrics table)"] = ours
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "measured on"
    return out


def hedge_probe(sentences) -> pd.DataFrame:
    """``find_hedges`` on each sentence: the cues found (``"cue (category)"``, or
    "none"), for trying the hedge finder on sentences of one's own."""
    from analysis.measures.hedging import find_hedges

    return pd.DataFrame({"sentence": list(sentences),
                         "hedges found": [", ".join(f"{h.cue} ({h.category})" for h in find_hedges(t)) or "none"
                                          for t in sentences]})


def sentiment_probe(cases) -> pd.DataFrame:
    """Targeted sentiment against a reader's judgement.

    ``cases``: (sentence, target, expected label) triples; the target is the
    first occurrence of that string in the sentence. Columns: sentence,
    target, expected, method (score), method label, whole-sentence VADER label
    (the baseline), and whether the method's label is the expected one.
    """
    from analysis.measures.sentiment import label, sentence_sentiment, sentiment_toward

    rows = []
    for sentence, target, expected in cases:
        i = sentence.index(target)
        score = sentiment_toward(sentence, i, i + len(target))
        rows.append({"sentence": sentence, "target": target, "expected": expected, "method": round(score, 3),
                     "method label": label(score), "whole-sentence label": label(sentence_sentiment(sentence)),
                     "method agrees": label(score) == expected})
    return pd.DataFrame(rows)


def role_probe(cases, event_date=None) -> pd.DataFrame:
    """``classify_paragraphs`` on single paragraphs against a reader's judgement.

    ``cases``: (paragraph, expected role) pairs, each classified on its own (no
    position in an article). Columns: paragraph, expected, role, confidence,
    reasons, and whether the role is the expected one.
    """
    from analysis.measures.context import classify_paragraphs

    rows = []
    for text, expected in cases:
        d = classify_paragraphs([text], event_date=event_date)[0]
        rows.append({"paragraph": text, "expected": expected, "role": d.role,
                     "confidence": round(d.confidence, 2), "reasons": "; ".join(d.reasons) or "(no cue)",
                     "agrees": d.role == expected})
    return pd.DataFrame(rows)


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
                     else f"{_fmt(r['value'], digits)} ({_fmt(r['ci_low'], digits)} to {_fmt(r['ci_high'], digits)})"
                     for _, r in rows.iterrows()]
        index = rows.index
    return pd.DataFrame(out, index=index)


def role_disagreements(context_eval: dict) -> pd.DataFrame:
    """The gold paragraphs whose role the method got wrong, from
    ``analysis.measures.context.evaluate()``: gold set, where (article file and
    paragraph number, for the bundled articles), gold role, the method's role,
    its confidence, and the text (constructed paragraphs only)."""
    rows = []
    for key, gold_set in (("seeds", "bundled articles"), ("constructed", "constructed paragraphs")):
        for item in (context_eval.get(key) or {}).get("items", []):
            if item["gold"] == item["pred"]:
                continue
            where = f"{item['article']}, paragraph {item['paragraph'] + 1}" if "article" in item else ""
            rows.append({"gold set": gold_set, "where": where, "gold": item["gold"], "method": item["pred"],
                         "confidence": float(item["confidence"]), "text": item.get("text", "")})
    return pd.DataFrame(rows, columns=["gold set", "where", "gold", "method", "confidence", "text"])


def validation_summary(hedging: dict, context: dict, sentiment: dict | None = None) -> pd.DataFrame:
    """Agreement with the hand labels, method beside baseline, as one tidy frame.

    Arguments are the dicts returned by ``analysis.measures.hedging.evaluate_against_gold``,
    ``analysis.measures.context.evaluate`` and (optional) ``analysis.measures.sentiment.evaluate_sentiment``.
    Columns: component, gold set, system, measure, value, n. F1 is cue-level
    (overlapping spans) for hedges and macro-F1 over the labels for paragraph
    roles and sentiment.
    """
    rows = []

    def add(component, gold, system, measure, value, n):
        rows.append({"component": component, "gold set": gold, "system": system, "measure": measure,
                     "value": float(value), "n": int(n)})

    add("hedge cues", "all sentences", "method", "F1", hedging["method"]["f1"], hedging["n_gold_cues"])
    add("hedge cues", "all sentences", "baseline: bare word list", "F1", hedging["baseline"]["f1"],
        hedging["n_gold_cues"])
    held = hedging.get("by_source", {}).get("held_out")
    if held and held["n_sentences"]:
        add("hedge cues", "held-out sentences", "method", "F1", held["method"]["f1"], held["n_gold_cues"])
        add("hedge cues", "held-out sentences", "baseline: bare word list", "F1", held["baseline"]["f1"],
            held["n_gold_cues"])
    for key, gold in (("seeds", "bundled articles"), ("constructed", "constructed paragraphs")):
        rep = context.get(key)
        if not rep or not rep.get("n"):
            continue
        best = rep["best_baseline"]
        add("paragraph roles", gold, "method", "macro-F1", rep["method"]["macro_f1"], rep["n"])
        add("paragraph roles", gold, f"baseline: {best.replace('_', ' ')}", "macro-F1",
            rep["baselines"][best]["macro_f1"], rep["n"])
    if sentiment:
        for key, gold in (("seed", "bundled articles"), ("constructed", "constructed sentences")):
            if sentiment["method"][key]["n"]:
                add("sentiment toward actors", gold, "method", "macro-F1",
                    sentiment["method"][key]["macro_f1"], sentiment["method"][key]["n"])
                add("sentiment toward actors", gold, "baseline: whole-sentence VADER", "macro-F1",
                    sentiment["baseline"][key]["macro_f1"], sentiment["baseline"][key]["n"])
    return pd.DataFrame(rows, columns=["component", "gold set", "system", "measure", "value", "n"])


EXTERNAL_SETS = {"sentiment": "NewsMTSC", "hedging": "CoNLL-2010 Wikipedia", "context": "NewsDiscourse"}
# the systems that are this suite's own measures (the rest are baselines); find_hedges is what the
# metrics table counts, scored beside hedged_sentence, which follows CoNLL-2010's construct
SUITE_SYSTEMS = ("method", "find_hedges")


def external_validation(path=None) -> pd.DataFrame:
    """The external validation (``docs/validation.json``, written by ``make validate``) as a tidy frame.

    One row per (measure, figure, system) for the headline figures of every
    system run: macro-F1 (or F1 of the positive class) of its labels and, where
    it estimates a share, Pearson r of the per-article share. Columns: measure,
    data, figure, system, method (True for the project's method), value, n. The
    file is committed, so this needs no external data.
    """
    import json

    from analysis.paths import DOCS_DIR

    data = json.loads(Path(path or DOCS_DIR / "validation.json").read_text("utf-8"))
    rows = []
    for measure, result in data["results"].items():
        for key, system in result.get("systems", {}).items():
            rep, share = system.get("report"), system.get("share")
            figs = []
            if rep and "macro_f1" in rep:
                figs.append(("macro-F1", rep["macro_f1"], rep["n"]))
            elif rep:
                figs.append(("F1 (uncertain sentences)", rep["f1"], rep["n"]))
            if share and share.get("pearson_r") is not None:
                figs.append(("share r", share["pearson_r"], share["n"]))
            for fig, value, n in figs:
                rows.append({"measure": measure, "data": EXTERNAL_SETS.get(measure, measure), "figure": fig,
                             "system": system["label"], "method": key in SUITE_SYSTEMS, "value": float(value),
                             "n": int(n)})
    return pd.DataFrame(rows, columns=["measure", "data", "figure", "system", "method", "value", "n"])


def external_targets(path=None) -> pd.DataFrame:
    """The targets of the external validation: measure, figure, value, target, met (from docs/validation.json)."""
    import json

    from analysis.paths import DOCS_DIR

    data = json.loads(Path(path or DOCS_DIR / "validation.json").read_text("utf-8"))
    rows = []
    for measure, result in data["results"].items():
        for t in result.get("targets", []):
            value = math.nan if t["value"] is None else float(t["value"])
            met = value >= t["target"] if t["direction"] == ">=" else value <= t["target"]
            rows.append({"measure": measure, "figure": t["name"], "value": round(value, 3),
                         "target": f"{t['direction']} {t['target']}", "met": "yes" if met else "no"})
    return pd.DataFrame(rows, columns=["measure", "figure", "value", "target", "met"])


# ===========================================================================
# Plot functions
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


def _nothing_to_draw(ax, message: str):
    """An empty Axes that says why it is empty."""
    ax = _axes(ax, width=6, height=2)
    ax.set_axis_off()
    ax.text(0.5, 0.5, message, ha="center", va="center", color=MISSING_COLOUR, transform=ax.transAxes)
    return ax


def _finite(x) -> bool:
    return x is not None and math.isfinite(float(x))


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
            from matplotlib import patheffects

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
    rows = outlet_rows(table, metric, target)
    colours = colours or outlet_colours(rows.index)
    outlets = _order(rows, order, sort)
    ax = _axes(ax, n_rows=len(outlets))
    y = _y(outlets)
    sel = rows.loc[outlets]
    values = sel["value"].astype(float).to_numpy()
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
    rows = outlet_rows(table, metric, target)
    colours = colours or outlet_colours(rows.index)
    outlets = _order(rows, order, sort)
    ax = _axes(ax, n_rows=len(outlets))
    y = _y(outlets)
    sel = rows.loc[outlets]
    values = sel["value"].astype(float).to_numpy()
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
    from analysis.measures.hedging import CATEGORIES, CATEGORY_LABELS

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
    from analysis.measures.readability import DIRECTION, METRICS

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
    it rests on; a cell on fewer than LOW_N mentions is faded, its text grey. Returns the Axes (the colour bar is added to its figure).
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
                ax.add_patch(matplotlib.patches.Rectangle((j - 0.5, i - 0.5), 1, 1, facecolor="white",
                                                          alpha=0.6, edgecolor="none", zorder=2))
                text, colour = f"{_fmt(v, 2, '+')}\nn={counts[i, j]}", MISSING_COLOUR
            elif math.isfinite(v):
                text, colour = f"{_fmt(v, 2, '+')}\nn={counts[i, j]}", ("white" if abs(v) > 0.6 else "black")
            else:
                text, colour = "no\nmention", MISSING_COLOUR
            ax.text(j, i, text, ha="center", va="center", fontsize="small", color=colour)
    import textwrap

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
    from analysis.measures.readability import DIRECTION

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
    import textwrap

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
    import re

    text = re.sub(r"^(?:baseline )?\([a-z]\):?\s*", "", label.strip())
    head, colon, _ = text.partition(":")
    if colon and len(head.strip()) <= 30:
        text = head.strip()
    text = re.split(r" \(|;|,", text)[0].strip()
    return _shorten(text, width)


def external_validation_bars(frame: pd.DataFrame, *, ax=None):
    """The external validation as bars: the suite's own measures (dark) beside each baseline
    (light), one group per measure and figure under a heading, the value printed at the end of
    each bar (a negative correlation is drawn as zero). Returns the Axes."""
    import textwrap

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
