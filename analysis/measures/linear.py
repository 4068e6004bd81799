"""Small, explainable linear classifiers: the learned layer of a measure.

A model is a committed JSON file under ``analysis/models/`` (written by
``make train``, never at analysis time): class names, one intercept per class
and, per feature name, one weight per class, plus provenance (data set, its
licence, the training command, the scikit-learn version and the date of the
data, not of the run, so that retraining gives the same bytes).

Inference is plain Python: a measure turns a piece of text into a dict of named
features (``{"w:-2:attack": 1.0, "neg_in_clause": 1.0}``); the model adds up the
weights of the features present, and a softmax gives class probabilities.
``explain`` lists the features that pushed a decision, so every score can show
the words and cues that decided it. Training lives in ``analysis.validation``
and uses scikit-learn; nothing here needs it.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

from analysis.datafiles import read_data

WEIGHT_DIGITS = 5  # weights are stored rounded: small files, byte-stable retraining


@dataclass(frozen=True)
class LinearModel:
    classes: tuple[str, ...]
    intercept: tuple[float, ...]
    weights: dict  # feature name -> tuple of one weight per class
    meta: dict = field(default_factory=dict)

    def logits(self, features: dict) -> list[float]:
        out = list(self.intercept)
        k = len(out)
        w = self.weights
        if k == 3:  # the same sums, written out (speed: the three-class models of sentiment and roles)
            o0, o1, o2 = out
            for name, value in features.items():
                ws = w.get(name)
                if ws is not None and value:
                    o0 += ws[0] * value
                    o1 += ws[1] * value
                    o2 += ws[2] * value
            return [o0, o1, o2]
        for name, value in features.items():
            ws = w.get(name)
            if ws is not None and value:
                for c in range(k):
                    out[c] += ws[c] * value
        return out

    def proba(self, features: dict) -> list[float]:
        """Class probabilities, in the order of ``classes``."""
        return softmax(self.logits(features))

    def predict(self, features: dict) -> str:
        p = self.proba(features)
        return self.classes[max(range(len(p)), key=p.__getitem__)]

    def explain(self, features: dict, cls: str, k: int = 5) -> list[tuple[str, float]]:
        """The ``k`` features that pushed most toward ``cls`` against the other classes.

        A feature's contribution is its value times (its weight for ``cls`` minus
        the mean of its weights for the other classes); sorted by absolute size,
        ties by name, so the list is stable.
        """
        c = self.classes.index(cls)
        margins = self._margins(c)
        contrib = []
        for name, value in features.items():
            m = margins.get(name)
            if m is None or not value:
                continue
            contrib.append((name, round(value * m, 4)))
        contrib.sort(key=lambda t: (-abs(t[1]), t[0]))
        return contrib[:k]

    def _margins(self, c: int) -> dict:
        """Per feature, its weight for class ``c`` minus the mean of its weights for the others
        (``explain``), worked out once per class (the weights are never changed)."""
        cache = self.__dict__.setdefault("_margin_cache", {})  # frozen: kept beside the fields
        out = cache.get(c)
        if out is None:
            n = len(self.classes)
            out = cache[c] = {name: ws[c] - ((sum(ws) - ws[c]) / (n - 1) if n > 1 else 0.0)
                              for name, ws in self.weights.items()}
        return out


def softmax(xs: list[float]) -> list[float]:
    m = max(xs)
    es = [math.exp(x - m) for x in xs]
    s = sum(es)
    return [e / s for e in es]


def load_model(name_or_path) -> LinearModel:
    """A bundled model by name (``"sentiment"`` -> analysis/measures/sentiment/model.json) or a JSON file path."""
    path = Path(str(name_or_path))
    text, _ = read_data(f"analysis.measures.{name_or_path}", "model.json", path if path.suffix == ".json" else None)
    data = json.loads(text)
    return LinearModel(classes=tuple(data["classes"]), intercept=tuple(data["intercept"]),
                       weights={k: tuple(v) for k, v in data["weights"].items()}, meta=data.get("meta", {}))


def model_from_sklearn(clf, feature_names, meta: dict, min_abs: float = 0.0) -> LinearModel:
    """Turn a fitted scikit-learn linear classifier into a LinearModel.

    A binary classifier has one coefficient row (for ``classes_[1]``); it is
    stored as two classes with the first class's weights at 0, which gives the
    same probabilities. Weights are rounded to WEIGHT_DIGITS; features whose
    weights are all below ``min_abs`` are dropped.
    """
    classes = tuple(str(c) for c in clf.classes_)
    coef = clf.coef_
    icpt = list(clf.intercept_)
    if len(classes) == 2 and coef.shape[0] == 1:
        rows = [[0.0] * coef.shape[1], list(coef[0])]
        icpt = [0.0, icpt[0]]
    else:
        rows = [list(r) for r in coef]
    weights = {}
    for j, name in enumerate(feature_names):
        ws = tuple(round(float(rows[c][j]), WEIGHT_DIGITS) for c in range(len(classes)))
        if max(abs(w) for w in ws) > min_abs:
            weights[str(name)] = ws
    return LinearModel(classes, tuple(round(float(x), WEIGHT_DIGITS) for x in icpt), weights, dict(meta))


def save_model(model: LinearModel, path) -> None:
    """Write ``model`` as sorted, deterministic JSON (one feature per line for readable diffs)."""
    lines = ["{",
             f'  "classes": {json.dumps(list(model.classes))},',
             f'  "intercept": {json.dumps(list(model.intercept))},',
             f'  "meta": {json.dumps(model.meta, sort_keys=True, ensure_ascii=False)},',
             '  "weights": {']
    items = sorted(model.weights.items())
    for i, (name, ws) in enumerate(items):
        comma = "," if i < len(items) - 1 else ""
        lines.append(f"    {json.dumps(name, ensure_ascii=False)}: {json.dumps(list(ws))}{comma}")
    lines += ["  }", "}"]
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")
