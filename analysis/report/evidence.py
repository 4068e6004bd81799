"""Evidence tables: every number of the notebooks traced back to the words behind it.

``article_overview``, ``raw_vs_clean`` and ``log_table`` (what cleaning kept and
dropped), ``hedge_table`` (every hedge cue in its sentence), ``mention_table``
and ``extreme_mentions`` (every actor mention with the sentiment toward it),
``paragraph_table`` (every paragraph's role and the cues that decided it),
``resampled_hedging_rates`` (the bootstrap made visible),
``readability_raw_vs_clean``; the probes (``hedge_probe``, ``sentiment_probe``,
``role_probe``) that run a method on a reader's own sentences; and the
validation tables (``validation_summary``, ``role_disagreements``,
``external_validation``, ``external_targets``).

Pure pandas, like ``select`` (which it uses); nothing here imports matplotlib.
"""
from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd

from analysis import stats
from analysis.measures.context import classify_paragraphs
from analysis.measures.hedging import find_hedges
from analysis.measures.readability import METRICS, count_text, textstat_scores
from analysis.measures.sentiment import label as sentiment_label
from analysis.measures.sentiment import sentence_sentiment, sentiment_toward
from analysis.paths import DOCS_DIR
from analysis.pipeline.clean import describe_change  # the same wording as ``python -m analysis clean``
from analysis.report.select import article_rows, shorten


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
    return pd.DataFrame({"raw file (first lines)": [shorten(t, width) for t in raw],
                         "cleaned body (first paragraphs)": [shorten(t, width) for t in clean]},
                        index=pd.RangeIndex(1, n + 1, name="#"))


def log_table(article, width: int = 90) -> pd.DataFrame:
    """What cleaning did to ``article``, one row per log entry: raw line number,
    action (dropped, changed, metadata, decoded), the rule, and the text
    (for a change: each changed stretch, before -> after).

    Given a Corpus instead, the log of every article, with an ``article`` column first.
    """
    if hasattr(article, "articles"):
        parts = [log_table(a, width).assign(article=a.id) for a in article.articles]
        cols = ["article", "line", "action", "rule", "text"]
        return pd.concat(parts, ignore_index=True)[cols] if parts else pd.DataFrame(columns=cols)
    rows = []
    for e in article.log:
        if e.action == "changed":
            text = describe_change(e.before, e.after)
        elif e.action == "metadata":
            text = e.after
        else:
            text = e.before or e.after
        rows.append({"line": e.line, "action": e.action, "rule": e.rule, "text": shorten(text, width)})
    return pd.DataFrame(rows, columns=["line", "action", "rule", "text"])


class _Room:
    """How many more rows each outlet may have (``limit`` per outlet; None: no limit)."""

    def __init__(self, limit: int | None):
        self.limit, self.used = limit, {}

    def full(self, outlet) -> bool:
        return self.limit is not None and self.used.get(outlet, 0) >= self.limit

    def take(self, outlet) -> bool:
        """Count one row of ``outlet``; False (and nothing counted) when it has no room left."""
        if self.full(outlet):
            return False
        self.used[outlet] = self.used.get(outlet, 0) + 1
        return True


def hedge_table(annotations, width: int = 60, per_outlet: int | None = None) -> pd.DataFrame:
    """Every hedge cue of the annotated articles with its sentence, in reading order.

    Columns outlet, article, sentence (0-based within the article), cue,
    category and evidence (the sentence around the cue, cue in [brackets]).
    ``annotations``: ``analysis.annotate.ArticleAnnotation`` objects.
    ``per_outlet``: at most this many rows of each outlet (its first ones).
    """
    rows = []
    room = _Room(per_outlet)
    for ann in annotations:
        art = ann.article
        if room.full(art.outlet):
            continue
        for s in ann.sentences:
            text = art.body[s.start:s.end]
            for h in s.hedges:
                if not room.take(art.outlet):
                    break
                rows.append({"outlet": art.outlet, "article": art.id, "sentence": s.index,
                             "cue": h.cue, "category": h.category,
                             "evidence": evidence(text, h.start - s.start, h.end - s.start, width)})
    return pd.DataFrame(rows, columns=["outlet", "article", "sentence", "cue", "category", "evidence"])


def mention_table(annotations, width: int = 60, per_outlet: int | None = None) -> pd.DataFrame:
    """Every actor mention with the sentiment toward it, in reading order.

    Columns outlet, article, sentence, actor, text (the words matched), kind,
    voice, speaker, sentiment (-1..1) and evidence (the sentence around the
    mention, mention in [brackets]). ``per_outlet``: at most this many rows of
    each outlet (its first ones).
    """
    rows = []
    room = _Room(per_outlet)
    for ann in annotations:
        art = ann.article
        if room.full(art.outlet):
            continue
        for s in ann.sentences:
            text = art.body[s.start:s.end]
            for m, score in s.mentions:
                if not room.take(art.outlet):
                    break
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


def paragraph_table(annotations, width: int = 80, per_outlet: int | None = None) -> pd.DataFrame:
    """One row per paragraph: outlet, article, paragraph, role, confidence, words,
    reasons (the cues that fired, "; "-separated) and the paragraph's opening.

    Roles and reasons come from ``analysis.measures.context.classify_paragraphs`` called
    exactly as the annotator calls it; words from the annotation. ``per_outlet``: at most
    this many rows of each outlet (its first ones; the articles past them are not classified).
    """
    rows = []
    room = _Room(per_outlet)
    for ann in annotations:
        art = ann.article
        if room.full(art.outlet):
            continue
        texts = [art.text(p) for p in art.paragraphs]
        decisions = classify_paragraphs(texts, event_date=art.event_date, article_date=art.meta.get("date") or None)
        words = ann.paragraph_words
        for i, (text, d) in enumerate(zip(texts, decisions)):
            if not room.take(art.outlet):
                break
            rows.append({"outlet": art.outlet, "article": art.id, "paragraph": i, "role": d.role,
                         "confidence": float(d.confidence), "words": int(words[i]),
                         "reasons": "; ".join(d.reasons), "text": shorten(text, width)})
    return pd.DataFrame(rows, columns=["outlet", "article", "paragraph", "role", "confidence", "words",
                                       "reasons", "text"])


def resampled_hedging_rates(annotation) -> np.ndarray:
    """The bootstrap behind one article's hedging interval, made visible.

    The article's sentences are drawn with replacement (the same seeded draws as
    the metrics table, ``analysis.stats.resample_weights``), and each resample's
    hedges per 1,000 words is returned: ``stats.N_RESAMPLES`` values. Their 2.5
    and 97.5 percentiles are the article's interval in the table.
    """
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
    def textstat_words(text):
        from textstat.backend import counts  # textstat takes about 2 s to import: only when this table is asked for

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
    rows = []
    for sentence, target, expected in cases:
        i = sentence.index(target)
        score = sentiment_toward(sentence, i, i + len(target))
        rows.append({"sentence": sentence, "target": target, "expected": expected, "method": round(score, 3),
                     "method label": sentiment_label(score),
                     "whole-sentence label": sentiment_label(sentence_sentiment(sentence)),
                     "method agrees": sentiment_label(score) == expected})
    return pd.DataFrame(rows)


def role_probe(cases, event_date=None) -> pd.DataFrame:
    """``classify_paragraphs`` on single paragraphs against a reader's judgement.

    ``cases``: (paragraph, expected role) pairs, each classified on its own (no
    position in an article). Columns: paragraph, expected, role, confidence,
    reasons, and whether the role is the expected one.
    """
    rows = []
    for text, expected in cases:
        d = classify_paragraphs([text], event_date=event_date)[0]
        rows.append({"paragraph": text, "expected": expected, "role": d.role,
                     "confidence": round(d.confidence, 2), "reasons": "; ".join(d.reasons) or "(no cue)",
                     "agrees": d.role == expected})
    return pd.DataFrame(rows)


def role_disagreements(context_eval: dict) -> pd.DataFrame:
    """The gold paragraphs whose role the method got wrong, from
    ``analysis.validation.context_gold.evaluate()``: gold set, where (article file and
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

    Arguments are the dicts returned by ``analysis.validation.hedging_gold.evaluate_against_gold``,
    ``analysis.validation.context_gold.evaluate`` and (optional) ``analysis.validation.sentiment_gold.evaluate_sentiment``.
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
    data = json.loads(Path(path or DOCS_DIR / "validation.json").read_text("utf-8"))
    rows = []
    for measure, result in data["results"].items():
        for t in result.get("targets", []):
            value = math.nan if t["value"] is None else float(t["value"])
            met = value >= t["target"] if t["direction"] == ">=" else value <= t["target"]
            rows.append({"measure": measure, "figure": t["name"], "value": round(value, 3),
                         "target": f"{t['direction']} {t['target']}", "met": "yes" if met else "no"})
    return pd.DataFrame(rows, columns=["measure", "figure", "value", "target", "met"])


def named_actors(labels: pd.DataFrame, k: int = 4, order=None) -> list[str]:
    """The ``k`` actors named in the most different ways (distinct labels in ``label_table``),
    most first; ties by ``order`` (the actors.yaml order), else by name."""
    if labels.empty:
        return []
    distinct = labels.groupby("actor", sort=True)["label"].nunique()
    rank = {a: i for i, a in enumerate(order or [])}
    chosen = sorted(distinct.index, key=lambda a: (-distinct[a], rank.get(a, len(rank)), a))[:k]
    return [str(a) for a in chosen]


def label_overview(labels: pd.DataFrame, actors, outlets) -> pd.DataFrame:
    """One cell per outlet (rows, manifest order) and actor (columns): its labels with counts,
    most used first; ``*`` marks a loaded label, ``†`` a label no other outlet uses."""
    out = pd.DataFrame(index=pd.Index(list(outlets), name="outlet"), columns=list(actors), dtype=object)
    for actor in actors:
        for outlet in outlets:
            sub = labels[(labels["actor"] == actor) & (labels["outlet"] == outlet)]
            sub = sub.sort_values(["count", "label"], ascending=[False, True], kind="mergesort")
            out.loc[outlet, actor] = ", ".join(
                f"{r.label} {r.count}" + ("*" if r.loaded else "") + ("†" if r.only_outlet else "")
                for r in sub.itertuples()) or "—"
    out.columns.name = "actor"
    return out
