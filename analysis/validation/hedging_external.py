"""External validation and training of the hedging measure on CoNLL-2010 (Wikipedia).

Data: ``<root>/conll2010-wikipedia/train.csv`` (sent_id, sentence, uncertain 0/1),
the development part of the CoNLL-2010 shared task, Task 1, Wikipedia
(Farkas et al. 2010). A sentence is uncertain when it holds a hedge or a weasel
cue. The method calls a sentence uncertain when ``analysis.measures.hedging.find_hedges``
accepts at least one cue in it (``hedged_sentence``).

What is learned from the data, and how it is checked:

* the acceptance layer: a logistic regression over ``candidate_features`` (the
  cue, its category, two tokens either side) that decides, per occurrence of a
  lexicon cue marked ``accept=model``, whether it counts. Each occurrence is
  labelled with its sentence's label (the data marks sentences, not cues).
* its probability threshold, chosen by an inner 3-fold cross-validation on the
  training part to maximise sentence F1.
* the per-cue statistics written into the lexicon (``conll_*`` columns).

``evaluate`` re-derives the layer and threshold in each of 5 folds
(``scoring.folds`` keyed by sent_id) with the same code as ``train`` and scores
the method and the baselines on the held-out fold. ``train`` fits on all of
train.csv and writes analysis/measures/hedging/model.json and the lexicon statistics.
"""
from __future__ import annotations

import csv
import io
import json
import math
import os
import sys
from pathlib import Path

from threadpoolctl import threadpool_limits

from analysis.measures import hedging as H
from analysis.measures.hedging import cache as hedging_cache
from analysis.measures.hedging.lexicon import build_lexicon
from analysis.measures.linear import LinearModel, model_from_sklearn, save_model
from analysis.validation import hedging_gold
from analysis.validation.scoring import binary_report, f1_from_counts, folds

DATASET_DIR = "conll2010-wikipedia"
DATASET = ("CoNLL-2010 shared task, Task 1, Wikipedia (Farkas, Vincze, Móra, Csirik & "
           "Szarvas 2010, 'The CoNLL-2010 Shared Task: Learning to Detect Hedges and their "
           "Scope in Natural Language Text'), development part as redistributed in "
           "PAJEAN/uncertaintyDetection")
LICENCE = "MIT (PAJEAN/uncertaintyDetection redistribution); cite Farkas et al. 2010"
K_FOLDS, FOLD_SEED = 5, 0
INNER_FOLDS, INNER_SEED = 3, 1
C_REG = 0.3  # inverse L2 regularisation strength of the acceptance layer
MIN_ABS = 0.1  # weights below this are left out of the JSON
MIL_ROUNDS = 1  # rounds of the soft multiple-instance reweighting (see _fit_model)
THRESHOLDS = tuple(round(0.20 + 0.01 * i, 2) for i in range(61))  # 0.20 .. 0.80
REPO = Path(__file__).resolve().parents[2]
LEXICON_PATH = REPO / "analysis" / "measures" / "hedging" / "hedges.csv"
MODEL_PATH = REPO / "analysis" / "measures" / "hedging" / "model.json"
STAT_COLUMNS = ("conll_n", "conll_precision", "conll_cv_accepted_n", "conll_cv_accepted_precision")


def load_rows(root) -> list[dict]:
    """The CoNLL-2010 Wikipedia rows: dicts with sent_id, sentence, label (0/1)."""
    path = Path(root) / DATASET_DIR / "train.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        return [{"sent_id": r["sent_id"], "sentence": r["sentence"], "label": int(r["uncertain"])}
                for r in csv.DictReader(fh)]


def prepare(texts, lexicon=None) -> list[dict]:
    """Per sentence: ``cands``, the feature dicts of the occurrences the layer
    decides in ``uncertainty_cues`` (every cue that passes its rule), and
    ``cues``, their (cue, category), from one pass with the layer accepting all."""
    lexicon = lexicon or H.load_lexicon()
    out = []
    for text in texts:
        col = H.candidates(text, lexicon)
        out.append({"cands": [H.candidate_features(text, s, e, entry) for s, e, entry in col],
                    "cues": [(entry.cue, entry.category) for _, _, entry in col]})
    return out


def _fit_model(prep, labels, idx) -> LinearModel:
    """Logistic regression over the candidates of sentences ``idx``, each labelled
    with its sentence's label. In an uncertain sentence not every candidate is
    the uncertainty cue: a second fit weights each of its candidates by its share
    of the first fit's probabilities (a soft multiple-instance assignment);
    candidates of certain sentences keep weight 1."""
    # scikit-learn is imported only where a model is fitted: the measures never need it
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    X = [f for i in idx for f in prep[i]["cands"]]
    y = [labels[i] for i in idx for _ in prep[i]["cands"]]
    vec = DictVectorizer(sort=True)
    A = vec.fit_transform(X).tocsr()
    A.indices = A.indices.astype("int32")  # liblinear takes 32-bit sparse indices only
    A.indptr = A.indptr.astype("int32")

    def fit(weights):
        clf = LogisticRegression(C=C_REG, solver="liblinear", max_iter=1000, random_state=0)
        clf.fit(A, y, sample_weight=weights)
        return clf

    clf = fit(None)
    if MIL_ROUNDS:
        for _ in range(MIL_ROUNDS):
            p = clf.predict_proba(A)[:, 1]
            weights, j = [], 0
            for i in idx:
                n = len(prep[i]["cands"])
                if labels[i] and n > 1:
                    ps = p[j:j + n]
                    total = float(ps.sum()) or 1.0
                    weights += [float(x) / total for x in ps]
                else:
                    weights += [1.0] * n
                j += n
            clf = fit(weights)
    return model_from_sklearn(clf, vec.get_feature_names_out(), {}, min_abs=MIN_ABS)


def _logit(model: LinearModel, feats: dict) -> float:
    w, z = model.weights, model.intercept[1] - model.intercept[0]
    for name in feats:
        ws = w.get(name)
        if ws is not None:
            z += ws[1] - ws[0]
    return z


def _prob(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0


def _max_probs(model, prep, idx) -> list[float]:
    """Per sentence, the highest layer probability among its candidates (0 if none)."""
    return [max((_prob(_logit(model, f)) for f in prep[i]["cands"]), default=0.0) for i in idx]


def choose_threshold(prep, labels, keys, idx) -> float:
    """The threshold with the best sentence F1 on inner out-of-fold predictions
    (``INNER_FOLDS`` folds of ``idx``); ties go to the higher threshold."""
    inner = folds([keys[i] for i in idx], INNER_FOLDS, INNER_SEED)
    probs = [0.0] * len(idx)
    for k in range(INNER_FOLDS):
        train_idx = [i for i, f in zip(idx, inner) if f != k]
        test_pos = [j for j, f in enumerate(inner) if f == k]
        model = _fit_model(prep, labels, train_idx)
        for j, p in zip(test_pos, _max_probs(model, prep, [idx[j] for j in test_pos])):
            probs[j] = p
    gold = [labels[i] for i in idx]
    best_t, best_f = THRESHOLDS[0], -1.0
    for t in THRESHOLDS:
        pred = [p >= t for p in probs]
        f = f1_from_counts(sum(1 for g, p in zip(gold, pred) if g and p), sum(pred), sum(gold))
        if f >= best_f:
            best_t, best_f = t, f
    return best_t


def fit_layer(prep, labels, keys, idx) -> LinearModel:
    """The acceptance layer fitted on ``idx``, with its threshold in ``meta``."""
    threshold = choose_threshold(prep, labels, keys, idx)
    model = _fit_model(prep, labels, idx)
    return LinearModel(model.classes, model.intercept, model.weights, {"threshold": threshold})


def _bow_predictions(texts, labels, fold_of, k_folds) -> list[int]:
    """Scale baseline: bag-of-words (unigrams + bigrams) logistic regression, per fold."""
    # scikit-learn: heavy, and needed only here and in training
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression

    pred = [0] * len(texts)
    for k in range(k_folds):
        tr = [i for i, f in enumerate(fold_of) if f != k]
        te = [i for i, f in enumerate(fold_of) if f == k]
        vec = CountVectorizer(ngram_range=(1, 2), min_df=2, binary=True)
        A = vec.fit_transform([texts[i] for i in tr])
        clf = LogisticRegression(C=1.0, solver="lbfgs", max_iter=5000, random_state=0)
        clf.fit(A, [labels[i] for i in tr])
        for i, p in zip(te, clf.predict(vec.transform([texts[i] for i in te]))):
            pred[i] = int(p)
    return pred


def _system(label, gold, pred, fold_of, k_folds, **extra) -> dict:
    rep = binary_report(gold, pred, positive=1)
    per_fold = []
    for k in range(k_folds):
        g = [x for x, f in zip(gold, fold_of) if f == k]
        p = [x for x, f in zip(pred, fold_of) if f == k]
        b = binary_report(g, p, positive=1)
        per_fold.append({"precision": round(b["precision"], 4), "recall": round(b["recall"], 4),
                         "f1": round(b["f1"], 4), "n": b["n"]})
    return {"label": label, "report": rep, "folds": [f["f1"] for f in per_fold],
            "per_fold": per_fold, **extra}


def _cue_stats(cue_lists, labels) -> dict:
    """(cue, category) -> [sentences holding it, of which uncertain]."""
    stats: dict = {}
    for cues, y in zip(cue_lists, labels):
        for key in set(cues):
            s = stats.setdefault(key, [0, 0])
            s[0] += 1
            s[1] += y
    return stats


def _keys(hedges) -> list:
    return [(H.normalise_cue(h.cue), h.category) for h in hedges]


def cross_validate(rows, progress=None) -> dict:
    """Out-of-fold decisions: in each fold the layer is fitted on the other folds
    and the shipped functions run with it on the held-out sentences."""
    texts = [r["sentence"] for r in rows]
    labels = [r["label"] for r in rows]
    keys = [r["sent_id"] for r in rows]
    fold_of = folds(keys, K_FOLDS, FOLD_SEED)
    lexicon = H.load_lexicon()
    prep = prepare(texts, lexicon)
    found = [None] * len(rows)  # uncertainty_cues per sentence
    news = [None] * len(rows)  # find_hedges per sentence
    thresholds = []
    for k in range(K_FOLDS):
        tr = [i for i, f in enumerate(fold_of) if f != k]
        te = [i for i, f in enumerate(fold_of) if f == k]
        acceptor = H.acceptor_from_model(fit_layer(prep, labels, keys, tr))
        thresholds.append(acceptor.threshold)
        for i in te:
            found[i] = H.uncertainty_cues(texts[i], lexicon, acceptor)
            news[i] = H.find_hedges(texts[i], lexicon, acceptor)
        if progress:
            progress(f"hedging: fold {k + 1}/{K_FOLDS} done (threshold {acceptor.threshold:.2f})")
    return {"found": found, "news": news, "prep": prep, "fold_of": fold_of,
            "thresholds": thresholds, "texts": texts, "labels": labels}


def _one_thread():
    """BLAS on one thread: reproducible and, on a shared machine, much faster here."""
    return threadpool_limits(1)


def evaluate(root: Path, progress=None) -> dict:
    """The external evaluation (see the module docstring); deterministic, JSON-ready."""
    with _one_thread():
        return _evaluate(root, progress)


def _evaluate(root: Path, progress=None) -> dict:
    rows = load_rows(root)
    cv = cross_validate(rows, progress)
    texts, gold, fold_of = cv["texts"], cv["labels"], cv["fold_of"]
    rules_only = [int(bool(H.find_hedges(t, acceptor=False))) for t in texts]
    legacy = [int(bool(H.legacy_find_hedges(t))) for t in texts]
    naive = [int(bool(hedging_gold.naive_hedges(t))) for t in texts]
    if progress:
        progress("hedging: bag-of-words baseline")
    bow = _bow_predictions(texts, gold, fold_of, K_FOLDS)

    method = [int(bool(f)) for f in cv["found"]]
    news = [int(bool(f)) for f in cv["news"]]
    systems = {
        "method": _system("hedged_sentence: lexicon + context rules + learned acceptance layer "
                          "on every cue (5-fold CV)", gold, method, fold_of, K_FOLDS,
                          thresholds=cv["thresholds"]),
        "find_hedges": _system("find_hedges as used on news: rules decide the original cues, "
                               "the layer only the new ones (5-fold CV)",
                               gold, news, fold_of, K_FOLDS),
        "find_hedges_no_approximators": _system(
            "find_hedges without its approximators (CoNLL-2010 does not count 'about 300')",
            gold, [int(any(h.category != "approximator" for h in hs)) for hs in cv["news"]],
            fold_of, K_FOLDS),
        "rules_only": _system("the new lexicon and rules, no learned layer (ablation)",
                              gold, rules_only, fold_of, K_FOLDS),
        "legacy": _system("legacy_find_hedges: the lexicon method before this change",
                          gold, legacy, fold_of, K_FOLDS),
        "naive": _system("naive_hedges: plain hedge word list", gold, naive, fold_of, K_FOLDS),
        "bow_logreg": _system("bag-of-words logistic regression (uni+bigrams, C=1), same folds",
                              gold, bow, fold_of, K_FOLDS),
    }

    def per_category(found):
        counts = {c: [0, 0] for c in H.CATEGORIES}
        for hs, g in zip(found, gold):
            for c in {h.category for h in hs}:
                counts[c][0] += 1
                counts[c][1] += g
        return {c: {"label": H.CATEGORY_LABELS[c], "sentences": n, "uncertain": u,
                    "precision": round(u / n, 4) if n else None,
                    "share_of_uncertain": round(u / sum(gold), 4)}
                for c, (n, u) in counts.items()}

    def gold_figures(res):
        out = {}
        for key in ("method", "method_strict"):
            out[key] = {m: round(res[key][m], 4) for m in ("precision", "recall", "f1")}
        out["sentence_kappa"] = round(res["method"]["sentence_kappa"], 4)
        return out

    after = hedging_gold.evaluate_against_gold()
    before = hedging_gold.evaluate_against_gold(lexicon=H.legacy_lexicon(), acceptor=False)
    lexicon = H.load_lexicon()
    no_weasel = build_lexicon(tuple(e for e in lexicon.entries if e.category != "weasel"),
                              "packaged lexicon without weasel rows")
    after_no_weasel = hedging_gold.evaluate_against_gold(lexicon=no_weasel)
    weasel_hits = [h.cue for r in hedging_gold.load_gold() for h in H.find_hedges(r["text"])
                   if h.category == "weasel"]
    in_house = {"note": "in-house news gold (analysis/validation/gold/hedges_gold.csv, 255 sentences, "
                        "labelled before the weasel category existed, so every weasel hit "
                        "counts as a false positive); not used for fitting",
                "before": gold_figures(before), "after": gold_figures(after),
                "after_without_weasel_category": gold_figures(after_no_weasel),
                "weasel_hits": len(weasel_hits)}
    m = systems["method"]["report"]
    return {
        "measure": "hedging",
        "dataset": f"{DATASET}; {len(rows)} sentences ({sum(gold)} uncertain); licence {LICENCE}",
        "protocol": ("5-fold cross-validation on train.csv (scoring.folds keyed by sent_id, seed 0); "
                     "in each fold the acceptance layer and its threshold (inner 3-fold CV) are "
                     "fitted on the other folds with the code of train(); sentence-level "
                     "precision/recall/F1 of 'at least one accepted cue', pooled over folds."),
        "systems": systems,
        "extra": {"per_category_method": per_category(cv["found"]),
                  "per_category_find_hedges": per_category(cv["news"]),
                  "in_house_news_gold": in_house,
                  "candidate_coverage": {
                      "sentences_with_a_candidate": sum(1 for p in cv["prep"] if p["cands"]),
                      "uncertain_sentences_with_a_candidate": sum(
                          1 for p, g in zip(cv["prep"], gold) if g and p["cands"]),
                      "uncertain_sentences": sum(gold)}},
        "targets": [{"name": "sentence F1, pooled 5-fold CV", "system": "method",
                     "value": round(m["f1"], 4), "target": 0.65, "direction": ">="}],
        "notes": [
            "Labels are per sentence; each candidate occurrence is trained with its sentence's "
            "label, so cues in an uncertain sentence that are not its uncertainty cue count as "
            "positives (noise the layer cannot see).",
            "The weasel cue pool was written by hand after looking at word statistics of the "
            "whole train.csv, so the choice of candidate words is not cross-validated; the "
            "layer's weights and threshold are.",
            "CoNLL-2010 Wikipedia marks many epistemic 'may'/'could' as certain; the layer "
            "learns that, which lowers recall of modal hedges in news (see in-house figures).",
            "Best published sentence F1 on the held-out Wikipedia evaluation set is about "
            "0.60; these figures are cross-validated on the development part and not directly "
            "comparable.",
        ],
    }


# --------------------------------------------------------------------------
# training
# --------------------------------------------------------------------------
def _write_lexicon_stats(stats_full: dict, stats_cv: dict, path: Path) -> None:
    """Rewrite the packaged lexicon's statistics columns into ``path``."""
    text = LEXICON_PATH.read_text(encoding="utf-8")
    reader = csv.DictReader(io.StringIO(text))
    base = [f for f in reader.fieldnames if f not in STAT_COLUMNS]
    out = io.StringIO()
    writer = csv.DictWriter(out, base + list(STAT_COLUMNS), lineterminator="\n")
    writer.writeheader()
    for row in reader:
        key = (H.normalise_cue(row["cue"]), row["category"].strip())
        n, u = stats_full.get(key, (0, 0))
        row["conll_n"] = str(n)
        row["conll_precision"] = f"{u / n:.3f}" if n else ""
        cn, cu = stats_cv.get(key, (0, 0))
        row["conll_cv_accepted_n"] = str(cn)
        row["conll_cv_accepted_precision"] = f"{cu / cn:.3f}" if cn else ""
        writer.writerow({k: row.get(k, "") for k in base + list(STAT_COLUMNS)})
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(out.getvalue(), encoding="utf-8")
    os.replace(tmp, path)


def train(root: Path, out: Path | None = None, lexicon_out: Path | None = None, progress=None):
    """Fit the acceptance layer on all of train.csv and write it (default
    analysis/measures/hedging/model.json), and write the per-cue CoNLL statistics into
    the lexicon (default analysis/measures/hedging/hedges.csv). Returns the model."""
    with _one_thread():
        return _train(root, out, lexicon_out, progress)


def _train(root, out, lexicon_out, progress):
    import sklearn  # heavy, needed only to record its version in the model's provenance

    rows = load_rows(root)
    labels = [r["label"] for r in rows]
    keys = [r["sent_id"] for r in rows]
    cv = cross_validate(rows, progress)
    prep = cv["prep"]
    if progress:
        progress("hedging: fitting on all of train.csv")
    model = fit_layer(prep, labels, keys, list(range(len(rows))))
    n_cands = sum(len(p["cands"]) for p in prep)
    meta = {
        "measure": "hedging: acceptance layer (every cue in uncertainty_cues; cues marked accept=model in find_hedges)",
        "dataset": DATASET,
        "licence": LICENCE,
        "file": f"{DATASET_DIR}/train.csv",
        "n_sentences": len(rows),
        "n_uncertain": sum(labels),
        "n_candidates": n_cands,
        "label": "each candidate occurrence takes its sentence's 'uncertain' label; in an "
                 "uncertain sentence with several candidates, a second fit weights each by its "
                 "share of the first fit's probabilities (%d round)" % MIL_ROUNDS,
        "features": "analysis.measures.hedging.candidate_features: cue, category, p1, n1, p2+p1, n1+n2, "
                    "p1+cue, cue+n1, category+p1, category+n1",
        "model": "LogisticRegression(solver=liblinear, L2, C=%s, tol=1e-4, random_state=0)" % C_REG,
        "regularisation": f"L2, C={C_REG}; weights with |w| <= {MIN_ABS} dropped",
        "threshold": model.meta["threshold"],
        "threshold_method": f"best sentence F1 over {THRESHOLDS[0]}..{THRESHOLDS[-1]} on inner "
                            f"{INNER_FOLDS}-fold out-of-fold predictions (seed {INNER_SEED})",
        "cv_thresholds": cv["thresholds"],
        "training_command": "make train",
        "sklearn_version": sklearn.__version__,
    }
    model = LinearModel(model.classes, model.intercept, model.weights, meta)
    out = Path(out) if out is not None else MODEL_PATH
    out.parent.mkdir(parents=True, exist_ok=True)
    save_model(model, out)

    stats_full = _cue_stats([p["cues"] for p in prep], labels)
    stats_cv = _cue_stats([_keys(f) for f in cv["found"]], labels)
    _write_lexicon_stats(stats_full, stats_cv, Path(lexicon_out) if lexicon_out else LEXICON_PATH)
    hedging_cache.forget()  # the next find_hedges reads the files just written
    return model


if __name__ == "__main__":  # pragma: no cover
    root = Path(sys.argv[2] if len(sys.argv) > 2 else REPO.parent / "shared" / "external-gold")
    if sys.argv[1:2] == ["train"]:
        train(root, progress=lambda s: print(s, file=sys.stderr))
    else:
        print(json.dumps(evaluate(root, progress=lambda s: print(s, file=sys.stderr)), indent=1,
                         default=str)[:4000])
