"""The one set of scoring helpers every validation uses.

``classification_report`` gives macro-F1, accuracy, per-class precision, recall,
F1 and support, and the confusion matrix (rows gold, columns predicted), for any
label set; ``binary_report`` the figures of one positive class;
``per_class_f1`` per-class precision, recall, F1, support and macro-F1;
``precision_recall_f1`` and ``f1_from_counts`` the same figures from counts
(matched items, predictions, gold items), for scorers that match spans rather
than labels; ``share_agreement`` compares per-item shares (Pearson r, MAE);
``cohen_kappa`` is chance-corrected agreement of two label lists; ``folds``
deals items into cross-validation folds.
"""
from __future__ import annotations

import hashlib
import math
from collections import Counter


def precision_recall_f1(tp: int, n_pred: int, n_gold: int) -> dict:
    """Precision ``tp / n_pred``, recall ``tp / n_gold`` and their harmonic mean
    ``2PR / (P + R)``; each is 0 where its denominator is."""
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f}


def f1_from_counts(tp: int, n_pred: int, n_gold: int) -> float:
    """F1 as ``2 tp / (n_pred + n_gold)``: one division, so two equal F1 values are
    equal floats (what a search for the best threshold compares). 0 when there
    is nothing predicted and nothing to find. The same number as
    ``precision_recall_f1``'s up to rounding in the last digit."""
    denom = n_pred + n_gold
    return 2 * tp / denom if denom else 0.0


def per_class_f1(gold, pred, labels) -> dict:
    """Per-class figures and macro-F1 of two equal-length label sequences.

    Returns ``{"per_class": {label: {"precision", "recall", "f1", "support"}},
    "macro_f1": ...}`` for every label of ``labels`` (in that order); F1 is
    ``f1_from_counts``, so a class absent from both gold and pred has F1 0 and
    still counts in the macro mean.
    """
    gold, pred = list(gold), list(pred)
    if len(gold) != len(pred):
        raise ValueError("gold and pred differ in length")
    labels = list(labels)
    per_class = {}
    for lab in labels:
        tp = sum(1 for g, p in zip(gold, pred) if g == lab and p == lab)
        n_gold = sum(1 for g in gold if g == lab)
        n_pred = sum(1 for p in pred if p == lab)
        per_class[lab] = {"precision": tp / n_pred if n_pred else 0.0,
                          "recall": tp / n_gold if n_gold else 0.0,
                          "f1": f1_from_counts(tp, n_pred, n_gold),
                          "support": n_gold}
    macro = sum(c["f1"] for c in per_class.values()) / len(labels) if labels else 0.0
    return {"per_class": per_class, "macro_f1": macro}


def classification_report(gold, pred, labels=None) -> dict:
    """Scores of ``pred`` against ``gold`` (equal-length label sequences).

    ``labels`` fixes the classes and their order (default: sorted union). A class
    with no gold and no predicted items has F1 0 and counts in the macro mean,
    so pass ``labels`` to say which classes exist. Precision of a class that is
    never predicted is 0.
    """
    gold, pred = list(gold), list(pred)
    if len(gold) != len(pred):
        raise ValueError("gold and pred differ in length")
    labels = list(labels) if labels is not None else sorted(set(gold) | set(pred))
    index = {lab: i for i, lab in enumerate(labels)}
    matrix = [[0] * len(labels) for _ in labels]
    for g, p in zip(gold, pred):
        if g in index and p in index:
            matrix[index[g]][index[p]] += 1
    per_class = {}
    for i, lab in enumerate(labels):
        tp = matrix[i][i]
        n_gold = sum(matrix[i])
        n_pred = sum(row[i] for row in matrix)
        per_class[lab] = {**precision_recall_f1(tp, n_pred, n_gold), "support": n_gold, "predicted": n_pred}
    n = len(gold)
    return {
        "n": n,
        "accuracy": sum(1 for g, p in zip(gold, pred) if g == p) / n if n else 0.0,
        "macro_f1": sum(c["f1"] for c in per_class.values()) / len(labels) if labels else 0.0,
        "per_class": per_class,
        "confusion": {"labels": labels, "matrix": matrix},
    }


def binary_report(gold, pred, positive=1) -> dict:
    """Precision, recall and F1 of the ``positive`` class, plus the full report."""
    rep = classification_report(gold, pred, labels=sorted({*gold, *pred, positive}, key=str))
    c = rep["per_class"][positive]
    return {"precision": c["precision"], "recall": c["recall"], "f1": c["f1"],
            "accuracy": rep["accuracy"], "n": rep["n"], "report": rep}


def pearson_r(xs, ys) -> float:
    xs, ys = list(xs), list(ys)
    n = len(xs)
    if n < 2:
        return float("nan")
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return float("nan")  # a constant has no correlation
    return sxy / math.sqrt(sxx * syy)


def share_agreement(gold, pred) -> dict:
    """Per-item agreement of two lists of shares: Pearson r (NaN for a constant), MAE, n."""
    gold, pred = list(gold), list(pred)
    n = len(gold)
    return {"pearson_r": pearson_r(gold, pred),
            "mae": sum(abs(g - p) for g, p in zip(gold, pred)) / n if n else float("nan"),
            "n": n}


def cohen_kappa(a, b) -> float:
    """Cohen's kappa of two equal-length label lists (1 when both are constant and equal)."""
    a, b = list(a), list(b)
    n = len(a)
    if n == 0 or n != len(b):
        raise ValueError("kappa needs two non-empty lists of equal length")
    po = sum(1 for x, y in zip(a, b) if x == y) / n
    ca, cb = Counter(a), Counter(b)
    pe = sum(ca[k] * cb.get(k, 0) for k in ca) / (n * n)
    return 1.0 if pe == 1 else (po - pe) / (1 - pe)


def folds(keys, k: int, seed: int = 0) -> list[int]:
    """A fold number 0..k-1 for each item, the same for items that share a key.

    Groups are ordered by a stable hash of the key and the seed, then dealt round
    robin, so fold sizes differ by at most one group and the split never changes
    between runs or machines.
    """
    keys = list(keys)
    uniq = sorted(set(keys), key=lambda g: hashlib.sha256(f"{seed}:{g}".encode()).hexdigest())
    fold_of = {g: i % k for i, g in enumerate(uniq)}
    return [fold_of[g] for g in keys]
