"""One self-contained HTML page for a corpus: ``python -m analysis report CORPUS --out report.html``.

The page holds the corpus and its outlets, the main figures (inline SVG, each
with a title and a caption saying what it shows and how to read its
intervals), the outlet tables, and the evidence behind every number: each
number links to a panel (an HTML ``details`` element) listing the hedge cues,
the actor mentions with their scores and voice, or the paragraphs with their
roles. Nothing is fetched: no external scripts, styles, fonts or images. The
panels open by themselves with JavaScript off (click their heading); a few
lines of script open the panel a number points to.
"""
from __future__ import annotations

import html
import io

import matplotlib
import numpy as np
import pandas as pd

from analysis.annotate import Annotator
from analysis.measures.registry import select as select_measures
from analysis.report.evidence import hedge_table, mention_table, paragraph_table
from analysis.report.select import top_actors
from analysis.table import metrics_table, outlets_and_articles

EVIDENCE_ROWS = 200  # rows of each evidence panel of an outlet (its first ones); the summary gives the count
EVIDENCE_ARTICLES = 50  # articles of an outlet read for its evidence panels, at most
TITLES = 10  # article titles listed per outlet

CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto; max-width: 72rem;
       padding: 1rem 1.5rem 4rem; color: #1a1a1a; line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { margin-top: 2.5rem; border-bottom: 1px solid #ddd; }
figure { margin: 1.5rem 0; } figure svg { max-width: 100%; height: auto; }
figcaption { color: #444; font-size: .95rem; max-width: 60rem; }
table { border-collapse: collapse; margin: .5rem 0 1rem; font-size: .92rem; }
th, td { border-bottom: 1px solid #e3e3e3; padding: .25rem .6rem; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.ci { color: #666; font-size: .85em; } td.low a, td.low { color: #8a6d00; }
details { margin: .3rem 0; border: 1px solid #e3e3e3; border-radius: 4px; padding: .2rem .6rem; }
details[open] { background: #fafafa; } summary { cursor: pointer; font-weight: 600; }
mark { background: #ffe9a8; } .note { color: #555; font-size: .9rem; }
"""

SCRIPT = """
(function () {
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var el = id && document.getElementById(id);
    if (el && el.tagName === 'DETAILS') { el.open = true; el.scrollIntoView(); }
  }
  window.addEventListener('hashchange', openTarget);
  document.addEventListener('DOMContentLoaded', function () {
    openTarget();
    var drawn = 0;
    document.querySelectorAll('figure svg').forEach(function (svg) {
      var box = svg.getBoundingClientRect();
      if (box.width > 0 && box.height > 0) { drawn += 1; }
    });
    document.body.setAttribute('data-figures-drawn', String(drawn));
  });
})();
"""

INTERVALS = ("Bars and lines are 95 % bootstrap intervals: how much the value would move if the outlet had "
             "written other sentences of the same kind (they do not cover the method's own errors). A value "
             "resting on fewer than 5 mentions, or on one or two sentences, says little.")


def _e(value) -> str:
    return html.escape(str(value), quote=True)


def _num(value, digits: int = 2) -> str:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return "–"
    return "–" if v != v else f"{v:.{digits}f}"


def _svg(fig) -> str:
    """The figure as an inline SVG element (no XML prolog or doctype, fixed ids)."""
    import matplotlib.pyplot as plt  # imported by build_report, once the file-only backend is chosen

    buf = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": "framing", "svg.fonttype": "path"}):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
    plt.close(fig)
    text = buf.getvalue()
    return text[text.index("<svg"):]


def _figure(title: str, caption: str, fig) -> str:
    return (f"<figure><h3>{_e(title)}</h3>{_svg(fig)}"
            f"<figcaption>{_e(caption)} {_e(INTERVALS)}</figcaption></figure>")


def _cell(row, digits: int, link: str | None) -> str:
    value = _num(row.value, digits)
    if row.value == row.value and row.ci_low == row.ci_low:
        value += f' <span class="ci">[{_num(row.ci_low, digits)}, {_num(row.ci_high, digits)}]</span>'
    if link:
        value = f'<a href="#{link}">{value}</a>'
    return f'<td class="num">{value}</td>'


def build_report(corpus, *, table: pd.DataFrame | None = None, annotations=None, jobs: int = 1,
                 progress=None) -> str:
    """The report of ``corpus`` as one HTML string (``table`` and ``annotations`` are reused if given).

    Without them the table comes from the streamed metrics pass (``jobs`` processes,
    ``progress``: a stream for its progress, None: quiet; memory flat with the corpus),
    which also gives each article's outlet, id, title and evidence counts and keeps only the
    outlets' rows, and the evidence from reading and annotating again each outlet's first
    articles only: each
    evidence panel lists an outlet's first EVIDENCE_ROWS rows, from at most its first
    EVIDENCE_ARTICLES articles, and says how many there are in all (counted in the
    table). The page is the same for any ``jobs``.
    """
    matplotlib.use("Agg")  # files only, never a window: chosen before pyplot is imported (by plots)
    from analysis.report import plots

    if table is None and annotations is None:
        # one pass reads every article and keeps of it what the page shows: the outlets' rows,
        # and each article's outlet, id, title and evidence counts (memory flat with the corpus)
        table, seen, counts = outlets_and_articles(corpus, _facts, _counter, jobs=jobs, progress=progress)
        counts.update(_evidence_counts(table))
    else:
        if table is None:
            table = metrics_table(corpus, annotations=annotations, jobs=jobs)
        counts = _evidence_counts(table)
        seen = map(_facts, corpus.articles)
    titles, positions = _walk(seen, counts)
    if annotations is None:
        chosen = [corpus.articles[i] for i in positions]  # read again (a lazily opened corpus keeps none)
        annotations = list(Annotator(corpus, select_measures(["hedging", "sentiment"])).many(chosen, jobs=jobs))
    outlets = list(corpus.outlets)
    anchor = {o: f"o{i}" for i, o in enumerate(outlets)}
    actors = top_actors(table)
    outlet_rows = table[table["article"].fillna("") == ""]

    def row(outlet, metric, target=""):
        sel = outlet_rows[(outlet_rows.outlet == outlet) & (outlet_rows.metric == metric)
                          & (outlet_rows.target.fillna("") == target)]
        return sel.iloc[0] if len(sel) else None

    parts = [f"<h1>How outlets framed: {_e(corpus.event_name or corpus.name)}</h1>",
             f'<p class="note">Corpus <b>{_e(corpus.name)}</b>, {len(corpus.articles)} articles from '
             f"{len(outlets)} outlets; event date {_e(corpus.event_date or 'unknown')}. "
             "Every number links to the words behind it.</p>"]

    # --- the corpus ---------------------------------------------------------
    parts.append("<h2>The corpus</h2><table><tr><th>outlet</th><th>articles</th><th>words</th>"
                 "<th>titles</th></tr>")
    for o in outlets:
        n_articles, named, n_named = titles.get(o, (0, [], 0))
        words = row(o, "words")
        listed = "; ".join(named) + (f"; and {n_named - len(named):,} more" if n_named > len(named) else "")
        parts.append(f"<tr><td>{_e(o)}</td><td class='num'>{n_articles}</td>"
                     f"<td class='num'>{_num(words.value if words is not None else None, 0)}</td>"
                     f"<td>{_e(listed or '–')}</td></tr>")
    parts.append("</table>")

    # --- the outlet table ---------------------------------------------------
    parts.append("<h2>Outlets side by side</h2><table><tr><th>outlet</th><th>hedges per 1,000 words</th>"
                 "<th>context share of words</th><th>Flesch-Kincaid grade</th></tr>")
    for o in outlets:
        cells = []
        for metric, digits, kind in (("hedges_per_1000_words", 1, "hedges"), ("context_share_words", 2, "roles"),
                                     ("flesch_kincaid_grade", 1, None)):
            r = row(o, metric)
            cells.append(_cell(r, digits, f"ev-{kind}-{anchor[o]}" if kind else None) if r is not None
                         else "<td>–</td>")
        parts.append(f"<tr><td>{_e(o)}</td>{''.join(cells)}</tr>")
    parts.append("</table>")
    if actors:
        parts.append("<h3>Sentiment toward each actor (both voices, -1 to +1)</h3><table><tr><th>outlet</th>"
                     + "".join(f"<th>{_e(a)}</th>" for a in actors) + "</tr>")
        for o in outlets:
            cells = []
            for a in actors:
                r = row(o, "sentiment_all", a)
                if r is None or r.value != r.value:
                    cells.append("<td class='num'>–</td>")
                    continue
                cell = _cell(r, 2, f"ev-mentions-{anchor[o]}")
                if r.n < 5:
                    cell = cell.replace("<td class=\"num\">", f"<td class=\"num low\" title=\"n = {int(r.n)}\">")
                cells.append(cell)
            parts.append(f"<tr><td>{_e(o)}</td>{''.join(cells)}</tr>")
        parts.append("</table><p class='note'>Values on fewer than 5 mentions are in brown; hover for n.</p>")

    # --- figures --------------------------------------------------------------
    parts.append("<h2>Figures</h2>")
    with plots.style():
        ax = plots.interval_bars(table, "hedges_per_1000_words", title=None)
        parts.append(_figure("Hedging: hedge cues per 1,000 words, by outlet",
                             "Each bar is one outlet's rate of hedge cues (may, reportedly, about 300, ...) in "
                             "its cleaned body text; the evidence panels below list every cue.", ax.figure))
        parts.append(_figure("Hedging by kind", "The same rate split into the five kinds of hedges, one panel "
                             "per kind on one scale.", plots.hedging_categories(table)))
        if actors:
            parts.append(_figure("Sentiment toward each actor, by outlet and voice",
                                 "One panel per actor: filled circles are the outlet's own voice (narrator), "
                                 "hollow squares quoted voices; -1 is most negative, +1 most positive.",
                                 plots.sentiment_dots(table, actors)))
        ax = plots.role_bars(table)
        parts.append(_figure("Context and main event: share of words by paragraph role",
                             "Each bar splits an outlet's words by the role of their paragraph (main event, "
                             "context, reaction, other), weighted by the model's probability.", ax.figure))
        parts.append(_figure("Readability, five formulas", "One panel per formula on the cleaned body text; "
                             "each says which direction is harder.", plots.readability_panels(table)))

    # --- evidence -------------------------------------------------------------
    parts.append("<h2>Evidence</h2><p class='note'>Click a heading to open it; the numbers above open "
                 "the panel they rest on.</p>")
    hedges = hedge_table(annotations, width=90, per_outlet=EVIDENCE_ROWS)
    mentions = mention_table(annotations, width=90, per_outlet=EVIDENCE_ROWS)
    paragraphs = paragraph_table(annotations, width=120, per_outlet=EVIDENCE_ROWS)
    for o in outlets:
        n_hedges, n_mentions, n_paragraphs = counts.get((o, ""), (0, 0, 0))
        parts.append(f"<h3>{_e(o)}</h3>")
        h = hedges[hedges.outlet == o]
        parts.append(f'<details id="ev-hedges-{anchor[o]}"><summary>{_e(o)}: {n_hedges:,} hedge cues'
                     f"{_shown(len(h), n_hedges)}</summary>"
                     + _rows(h, ["article", "cue", "category", "evidence"]) + "</details>")
        m = mentions[mentions.outlet == o]
        parts.append(f'<details id="ev-mentions-{anchor[o]}"><summary>{_e(o)}: {n_mentions:,} actor mentions'
                     f"{_shown(len(m), n_mentions)}</summary>"
                     + _rows(m, ["article", "actor", "text", "voice", "speaker", "sentiment", "evidence"])
                     + "</details>")
        p = paragraphs[paragraphs.outlet == o]
        parts.append(f'<details id="ev-roles-{anchor[o]}"><summary>{_e(o)}: {n_paragraphs:,} paragraphs and their '
                     f"roles{_shown(len(p), n_paragraphs)}</summary>"
                     + _rows(p, ["article", "paragraph", "role", "confidence", "words", "text"]) + "</details>")
    body = "\n".join(parts)
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>Framing report: {_e(corpus.name)}</title><style>{CSS}</style>"
            f"<script>{SCRIPT}</script></head>\n<body>\n{body}\n</body></html>\n")


def _facts(article) -> tuple[str, str, str]:
    """What the page needs of every article besides its rows: (outlet, id, title)."""
    return article.outlet, article.id, article.title


def _walk(seen, counts: dict):
    """One walk over the articles' ``(outlet, id, title)`` in corpus order: per outlet (its
    articles, its first TITLES titles, how many have one), and the positions of the articles the
    evidence panels list: each outlet's first ones, until they hold EVIDENCE_ROWS rows of each
    panel or EVIDENCE_ARTICLES articles (from the counts of ``_counter``)."""
    titles: dict[str, list] = {}
    have: dict[str, list[int]] = {}
    chosen = []
    for i, (o, article_id, title) in enumerate(seen):
        t = titles.setdefault(o, [0, [], 0])
        t[0] += 1
        if title:
            t[2] += 1
            if len(t[1]) < TITLES:
                t[1].append(title)
        got = have.setdefault(o, [0, 0, 0, 0])  # hedges, mentions, paragraphs, articles
        if got[3] >= EVIDENCE_ARTICLES or min(got[:3]) >= EVIDENCE_ROWS:
            continue
        for k, n in enumerate(counts.get((o, article_id), (0, 0, 0))):
            got[k] += n
        got[3] += 1
        chosen.append(i)
    return {o: tuple(t) for o, t in titles.items()}, chosen


def _counter(metrics: np.ndarray, targets: np.ndarray):
    """Of the rows of one outlet or article (their ``metrics`` and ``targets``), a function of their
    (4, rows) array of value, ci_low, ci_high and n giving the evidence behind them, all of it:
    (hedge cues, actor mentions, paragraphs). The mentions are the sum of the actors' ``mentions``,
    the paragraphs ``paragraphs``, and the hedges the rate times the words (the rate's ``n``) /
    1,000, rounded (exact: the rate is hedges / words * 1,000; none where there are no words)."""
    whole = targets == ""
    rate = np.flatnonzero(whole & (metrics == "hedges_per_1000_words"))
    mentions = np.flatnonzero(metrics == "mentions")
    paragraphs = np.flatnonzero(whole & (metrics == "paragraphs"))

    def counts(block: np.ndarray) -> tuple[int, int, int]:
        value, n = np.nan_to_num(block[0], nan=0.0), block[3]
        return (int(np.round(value[rate] * n[rate] / 1000.0).sum()), int(np.round(value[mentions].sum())),
                int(np.round(value[paragraphs].sum())))

    return counts


def _evidence_counts(table: pd.DataFrame) -> dict[tuple[str, str], tuple[int, int, int]]:
    """(hedge cues, actor mentions, paragraphs) of each outlet (article "") and article of the
    table (``_counter``)."""
    t = table.assign(article=table["article"].fillna(""))
    metrics = t["metric"].to_numpy(dtype=object)
    targets = t["target"].fillna("").to_numpy(dtype=object)
    block = np.vstack([t[c].to_numpy(dtype=float) for c in ("value", "ci_low", "ci_high", "n")])
    return {(o, a): _counter(metrics[rows], targets[rows])(block[:, rows])
            for (o, a), rows in t.groupby(["outlet", "article"], sort=False).indices.items()}


def _shown(shown: int, total: int) -> str:
    """What a panel's summary adds when it lists only the first rows."""
    if shown >= total:
        return ""
    return f" (the first {shown:,} listed; <code>annotate</code> gives them all)"


def _rows(frame: pd.DataFrame, columns) -> str:
    if not len(frame):
        return "<p class='note'>None.</p>"
    out = ["<table><tr>" + "".join(f"<th>{_e(c)}</th>" for c in columns) + "</tr>"]
    for rec in frame[columns].itertuples(index=False):
        cells = []
        for c, v in zip(columns, rec):
            if isinstance(v, float):
                cells.append(f"<td class='num'>{_num(v, 3)}</td>")
            else:  # evidence: the matched words are in [brackets]
                cells.append(f"<td>{_e(v)}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    return "".join(out) + "</table>"
