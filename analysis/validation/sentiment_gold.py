"""In-house validation of targeted sentiment on the project's own gold set.

``evaluate_sentiment()`` scores the method (``sentiment_toward``), the previous
rule-based method and two whole-sentence VADER baselines on
``analysis/validation/gold/sentiment_gold.csv`` (written to
docs/guideline-sentiment.md; never used to fit the learned layer). Precision,
recall and F1 come from ``analysis.validation.scoring``.
"""
from __future__ import annotations

import csv
import io

from analysis.datafiles import read_data
from analysis.measures.sentiment import (label, legacy_sentiment_toward, sentence_sentiment,
                                         sentiment_toward)
from analysis.measures.sentiment.vader_port import new_analyzer
from analysis.validation.scoring import classification_report

GOLD_FILE = "sentiment_gold.csv"
LABELS = ("negative", "neutral", "positive")


def read_gold(path=None) -> list[dict]:
    """Rows of the gold file (bundled ``gold/sentiment_gold.csv`` or ``path``), offsets as ints."""
    text, _ = read_data("analysis.validation", "gold/" + GOLD_FILE, path)
    rows = []
    for row in csv.DictReader(io.StringIO(text)):
        row["target_start"] = int(row["target_start"])
        row["target_end"] = int(row["target_end"])
        rows.append(row)
    return rows


def f1_scores(gold: list[str], pred: list[str]) -> dict:
    """Per-class F1 and macro-F1 over the three labels (a class absent from both counts as F1 = 0),
    accuracy and n: ``scoring.classification_report`` in the shape the notebooks read."""
    rep = classification_report(gold, pred, LABELS)
    out = {lab: rep["per_class"][lab]["f1"] for lab in LABELS}
    out["macro_f1"] = rep["macro_f1"]
    out["accuracy"] = rep["accuracy"]
    out["n"] = rep["n"]
    return out


def evaluate_sentiment(gold_path=None) -> dict:
    """Score the method and the baselines on the gold set.

    Returns ``{"baseline": {...}, "baseline_stock": {...}, "legacy": {...}, "method": {...}}``,
    each with keys ``seed``, ``constructed`` and ``overall``, each a dict with
    ``macro_f1``, per-class F1 (``negative``, ``neutral``, ``positive``),
    ``accuracy`` and ``n``. The baseline labels every target with the whole
    sentence's VADER compound (``sentence_sentiment``, news lexicon merged);
    ``baseline_stock`` does the same with VADER's own lexicon; ``legacy`` is the
    previous rule-based method (``legacy_sentiment_toward``); the method uses
    ``sentiment_toward``; all with the ±0.05 threshold.
    """
    rows = read_gold(gold_path)
    groups = {"seed": [r for r in rows if r["source"] != "constructed"],
              "constructed": [r for r in rows if r["source"] == "constructed"],
              "overall": rows}
    stock = new_analyzer()
    result = {}
    for name, fn in (("baseline", lambda r: sentence_sentiment(r["sentence"])),
                     ("baseline_stock", lambda r: stock.polarity_scores(r["sentence"])["compound"]),
                     ("legacy", lambda r: legacy_sentiment_toward(r["sentence"], r["target_start"], r["target_end"])),
                     ("method", lambda r: sentiment_toward(r["sentence"], r["target_start"], r["target_end"]))):
        result[name] = {g: f1_scores([r["label"] for r in rs], [label(fn(r)) for r in rs])
                        for g, rs in groups.items()}
    return result
