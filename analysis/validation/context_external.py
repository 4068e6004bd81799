"""Sentence roles and the context share, trained and judged on NewsDiscourse.

``train(root)`` fits the sentence-role model (analysis/measures/context/model.json) on
the train split of NewsDiscourse (Choubey et al., ACL 2020); ``evaluate(root)``
fits the same model in memory and scores it, beside naive baselines, on the
validation split. ``root`` is the external-gold folder (../shared/external-gold).
Only this module needs scikit-learn; analysis.measures.context reads the committed weights.
"""
from __future__ import annotations

import csv
import datetime as dt
import math
from collections import Counter
from pathlib import Path

import numpy as np

from analysis.measures.context import _resolve_temporal, smooth_sequence
from analysis.measures.context.features import article_features
from analysis.measures.linear import model_from_sklearn, save_model
from analysis.pipeline.segment import split_sentences
from analysis.validation.scoring import classification_report, folds, share_agreement

DATASET = "newsdiscourse"
CITATION = ("Choubey, Lee, Huang & Wang (ACL 2020), \"Discourse as a Function of Event: Profiling "
            "Discourse Structure in News Articles around the Main Event\"")
LICENCE = "released for research, cite the paper"
ROLES = ("main", "context", "reaction", "other")
LABEL_ROLE = {
    "Main": "main", "Main_Consequence": "main",
    "Cause_Specific": "context", "Cause_General": "context",
    "Distant_Historical": "context", "Distant_Anecdotal": "context",
    "Distant_Evaluation": "reaction",
    "Distant_Expectations_Consequences": "other",
    "NA": None,
}


def _date(value):
    try:
        return dt.date.fromisoformat(value.strip()[:10]) if value and value.strip() else None
    except ValueError:
        return None


def load_articles(root: Path, split: str | None = None) -> list[dict]:
    """The NewsDiscourse articles of ``split`` (all when None), in metadata order.

    Each: ``id``, ``split``, ``title``, ``date``, ``paragraphs`` (lists of
    sentence strings: the labelled sentences of each paragraph of the article
    file; a paragraph without labelled sentences is split with
    analysis.pipeline.segment.split_sentences) and ``labels`` (the same shape: the role
    of each sentence, None for NA and unlabelled sentences).
    """

    folder = Path(root) / DATASET
    with open(folder / "metadata.csv", encoding="utf-8", newline="") as f:
        meta = [r for r in csv.DictReader(f) if split is None or r["split"] == split]
    by_article: dict[str, list[dict]] = {}
    with open(folder / "sentences.csv", encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            by_article.setdefault(r["event_id"], []).append(r)
    out = []
    for m in meta:
        text = (folder / m["file"]).read_text(encoding="utf-8")
        blocks = [b.strip() for b in text.replace("\r\n", "\n").split("\n\n")]
        title, paras = blocks[0], blocks[1:]
        rows = by_article.get(m["event_id"], [])
        per_par: dict[int, list[dict]] = {}
        for r in sorted(rows, key=lambda r: int(r["sentence_id"].lstrip("S"))):
            per_par.setdefault(int(r["paragraph_idx"]), []).append(r)
        paragraphs, labels = [], []
        for i, ptext in enumerate(paras):
            if not ptext:
                continue
            got = per_par.get(i)
            if got:
                paragraphs.append([r["sentence"] for r in got])
                labels.append([LABEL_ROLE.get(r["label"]) for r in got])
            else:
                sents = [ptext[s:e] for s, e in split_sentences(ptext)] or [ptext]
                paragraphs.append(sents)
                labels.append([None] * len(sents))
        out.append({"id": m["event_id"], "split": m["split"], "title": m["title"] or title,
                    "date": _date(m["date"]), "outlet": m["outlet"],
                    "paragraphs": paragraphs, "labels": labels})
    return out


# ---------------------------------------------------------------------------
# Features and fitting

C = 0.5                 # inverse L2 regularisation strength (chosen by 5-fold CV inside train)
CLASS_WEIGHT = "balanced"  # each role weighs the same in the loss: macro-F1 is the target
ARTICLE_WEIGHT = True   # each article weighs the same (a sentence 1 / its article's sentences), so
                        # long articles (NYT) do not dominate; CV: +0.004 macro-F1
SEQUENCE_TAU = 0.5      # strength of the sequence smoothing (0 = none); chosen by CV (0.3, 0.5, 0.7, 1)
MIN_COUNT = 1           # a feature must occur in this many training sentences (CV: 1 > 2 > 3)
MAX_FEATURES = 12000    # the JSON keeps the features with the largest weights (size well under 1 MB)
MAX_ITER = 3000
FEATURE_SETTINGS = {"neighbours": False, "pairs": True, "interactions": True}


def _features(art: dict, plain: bool = False) -> list[dict]:

    if plain:
        return _plain_features(art)
    return article_features(art["paragraphs"], None, art["date"], art["date"],
                            resolve=_resolve_temporal, **FEATURE_SETTINGS)


def _plain_features(art: dict) -> list[dict]:
    """Baseline (d): position, a few tense and quotation flags and the sentence's words."""

    out = []
    for f in article_features(art["paragraphs"], None, None, None, resolve=None, neighbours=False, pairs=False):
        out.append({k: v for k, v in f.items()
                    if k.startswith(("pos:", "rel", "w:", "quote:"))
                    or k in ("tense:past_perfect", "tense:has_been", "tense:will", "tense:modal")})
    return out


def _rows(articles: list[dict], plain: bool = False):
    """Feature dicts and roles of the labelled (non-NA) sentences, and each one's article index."""
    X, y, owner = [], [], []
    for i, art in enumerate(articles):
        labels = [lab for par in art["labels"] for lab in par]
        for f, lab in zip(_features(art, plain), labels):
            if lab is not None:
                X.append(f)
                y.append(lab)
                owner.append(i)
    return X, y, owner


def _fit(X: list[dict], y: list[str], class_weight=CLASS_WEIGHT, min_count: int = MIN_COUNT, c: float | None = None,
         sample_weight=None):
    """A fitted (LogisticRegression, feature names) on the feature dicts."""

    from scipy import sparse  # scipy and scikit-learn: training only, slow to import
    from sklearn.linear_model import LogisticRegression

    counts = Counter(k for f in X for k in f)
    names = sorted(k for k, c in counts.items() if c >= min_count)
    index = {k: j for j, k in enumerate(names)}
    rows, cols, vals = [], [], []
    for i, f in enumerate(X):
        for k, v in f.items():
            j = index.get(k)
            if j is not None and v:
                rows.append(i)
                cols.append(j)
                vals.append(float(v))
    matrix = sparse.csr_matrix((np.array(vals), (np.array(rows), np.array(cols))), shape=(len(X), len(names)))
    from threadpoolctl import threadpool_limits

    clf = LogisticRegression(C=C if c is None else c, class_weight=class_weight, max_iter=MAX_ITER, solver="lbfgs")
    with threadpool_limits(1):  # many BLAS threads on a small problem are ten times slower
        clf.fit(matrix, np.array(y), sample_weight=None if sample_weight is None else np.array(sample_weight))
    return clf, names


def fit_model(articles: list[dict], meta: dict | None = None, plain: bool = False,
              class_weight=CLASS_WEIGHT, max_features: int = MAX_FEATURES, c: float | None = None,
              article_weight: bool = ARTICLE_WEIGHT, sequence_tau: float = SEQUENCE_TAU):
    """An analysis.measures.linear.LinearModel fitted on the labelled sentences of
    ``articles``, keeping the ``max_features`` features with the largest weights.

    ``article_weight``: each article weighs the same in the loss. ``sequence_tau``
    > 0 adds the sequence smoothing (``sequence_table``) to the model's meta."""

    X, y, owner = _rows(articles, plain)
    weights = None
    if article_weight:
        sizes: dict[int, int] = {}
        for i in owner:
            sizes[i] = sizes.get(i, 0) + 1
        scale = len(y) / len(sizes)
        weights = [scale / sizes[i] for i in owner]
    clf, names = _fit(X, y, class_weight, c=c, sample_weight=weights)
    meta = dict(meta or {})
    if sequence_tau:
        meta["sequence"] = sequence_table(articles, sequence_tau)
    model = model_from_sklearn(clf, names, meta)
    if len(model.weights) > max_features:
        ranked = sorted(model.weights.items(), key=lambda kv: (-max(map(abs, kv[1])), kv[0]))
        model = type(model)(model.classes, model.intercept, dict(ranked[:max_features]), model.meta)
    return model, len(y)


def sequence_table(articles: list[dict], tau: float = SEQUENCE_TAU) -> dict:
    """The role-to-role transitions of the labelled sentences of ``articles`` (in
    reading order, NA sentences skipped; add-one smoothed), for the forward-backward
    pass of analysis.measures.context: ``transition[i][j]`` is (P(next role j | role i) /
    P(role j)) ** tau and ``start[j]`` (P(first role j) / P(role j)) ** tau, roles in
    ROLES order. Dividing by P(role j) leaves out the class prior (the classifier
    is trained with balanced class weights); tau < 1 softens the transitions."""
    k = len(ROLES)
    trans = [[1.0] * k for _ in range(k)]
    start = [1.0] * k
    count = [0] * k
    for art in articles:
        labs = [ROLES.index(lab) for par in art["labels"] for lab in par if lab is not None]
        if not labs:
            continue
        start[labs[0]] += 1
        for lab in labs:
            count[lab] += 1
        for a, b in zip(labs, labs[1:]):
            trans[a][b] += 1
    total = sum(count)
    prior = [x / total for x in count]
    s_total = sum(start)
    return {
        "roles": list(ROLES), "tau": tau,
        "start": [round((start[j] / s_total / prior[j]) ** tau, 5) for j in range(k)],
        "transition": [[round((row[j] / sum(row) / prior[j]) ** tau, 5) for j in range(k)] for row in trans],
    }


def _meta(n_articles: int, n_sentences: int) -> dict:
    import sklearn

    return {
        "dataset": f"NewsDiscourse ({n_articles} articles of the train split, {n_sentences} labelled sentences; "
                   "Reuters, Xinhua, New York Times)",
        "citation": CITATION,
        "licence": LICENCE,
        "split": "train",
        "n_articles": n_articles,
        "n_sentences": n_sentences,
        "labels": "Main / Main_Consequence -> main; Cause_Specific / Cause_General / Distant_Historical / "
                  "Distant_Anecdotal -> context; Distant_Evaluation -> reaction; "
                  "Distant_Expectations_Consequences -> other; NA sentences left out",
        "features": "analysis.measures.context.features.article_features(neighbours=False, pairs=True, interactions=True): "
                    "position, words, word pairs, overlap with the first sentence, tense/aspect, temporal "
                    "expressions relative to the publication date, quotation, page furniture, cue x position",
        "model": f"multinomial logistic regression (lbfgs), L2 C={C}, class_weight={CLASS_WEIGHT}, "
                 f"each article weighing the same, fitted on all features; the {MAX_FEATURES} features with "
                 f"the largest weights kept; then a forward-backward pass over each article's sentences "
                 f"with the role transitions of the train split (meta.sequence, tau={SEQUENCE_TAU})",
        "training_command": "make train",
        "scikit_learn": sklearn.__version__,
    }


def train(root: Path, out: Path | None = None):
    """Fit the sentence-role model on the train split and write it (default
    analysis/measures/context/model.json). Returns the LinearModel. Same data, same bytes."""

    articles = load_articles(Path(root), "train")
    model, n = fit_model(articles)
    model = type(model)(model.classes, model.intercept, model.weights,
                        {**_meta(len(articles), n), "sequence": model.meta["sequence"]})
    if out is None:
        out = Path(__file__).resolve().parents[1] / "measures" / "context" / "model.json"
    save_model(model, out)
    return model


# ---------------------------------------------------------------------------
# Evaluation on the validation split

# Baseline (c), the rule-based classifier this model replaced (analysis/context.py at
# commit 55b75fd): not kept in the code; its figures on this validation split come
# from one run of that code (paragraph role given to each of its sentences; event and
# article date = publication date), recorded here.
LEGACY_RESULT = {
    "macro_f1": 0.2282155442356002, "accuracy": 0.28426204819277107, "n": 2656,
    "confusion": {"labels": list(ROLES),
                  "matrix": [[288, 39, 58, 0], [847, 297, 127, 9], [508, 90, 168, 12], [151, 30, 30, 2]]},
    "share": {"pearson_r": 0.36645933130241887, "mae": 0.3035314822907828, "n": 100},
}


def _probabilities(model, feats: list[dict]) -> list[list[float]]:
    """Per sentence of one article, in ROLES order, as analysis.measures.context gives them
    (with the model's sequence smoothing, if it has one)."""

    order = [model.classes.index(r) for r in ROLES]
    out = []
    for f in feats:
        p = model.proba(f)
        out.append([p[i] for i in order])
    seq = model.meta.get("sequence")
    return smooth_sequence(out, seq) if seq else out


def _score(articles: list[dict], probs_of) -> tuple[list, list, list, list, list]:
    """Gold and predicted roles of the labelled sentences, and per article the
    gold context share, the predicted share (mean P(context)) and the share of
    sentences predicted context."""
    gold, pred, g_share, p_share, h_share = [], [], [], [], []
    for art in articles:
        labels = [lab for par in art["labels"] for lab in par]
        probs = probs_of(art)
        g, p, pc = [], [], []
        for lab, pr in zip(labels, probs):
            if lab is None:
                continue
            g.append(lab)
            p.append(ROLES[max(range(4), key=pr.__getitem__)])
            pc.append(pr[1])
        if not g:
            continue
        gold += g
        pred += p
        g_share.append(sum(x == "context" for x in g) / len(g))
        p_share.append(sum(pc) / len(pc))
        h_share.append(sum(x == "context" for x in p) / len(p))
    return gold, pred, g_share, p_share, h_share


def _one_hot(role: str) -> list[float]:
    return [1.0 if r == role else 0.0 for r in ROLES]


def cross_validate(articles: list[dict], k: int = 5, seed: int = 0) -> dict:
    """The model's 5-fold cross-validated scores inside ``articles`` (folds by
    article, analysis.validation.scoring.folds): how settings were chosen."""

    fold = folds([a["id"] for a in articles], k, seed)
    gold, pred, gs, ps = [], [], [], []
    for f in range(k):
        model, _ = fit_model([a for a, g in zip(articles, fold) if g != f])
        held = [a for a, g in zip(articles, fold) if g == f]
        g, p, g_share, p_share, _ = _score(held, lambda art: _probabilities(model, _features(art)))
        gold += g
        pred += p
        gs += g_share
        ps += p_share
    rep = classification_report(gold, pred, ROLES)
    return {"k": k, "macro_f1": rep["macro_f1"], "accuracy": rep["accuracy"], "n": rep["n"],
            "share": share_agreement(gs, ps)}


def evaluate(root: Path, progress=None) -> dict:
    """Train on the train split, score on the validation split: the model and
    the baselines, in one run (see the module docstring and docs/context.md)."""

    say = progress or (lambda msg: None)
    root = Path(root)
    say("context: reading NewsDiscourse")
    train_arts = load_articles(root, "train")
    valid = load_articles(root, "validation")
    say(f"context: training on {len(train_arts)} train articles")
    model, n_train = fit_model(train_arts)
    say("context: training the plain baseline")
    plain, _ = fit_model(train_arts, plain=True, class_weight=None, max_features=10 ** 9, c=1.0,
                         article_weight=False, sequence_tau=0)
    say(f"context: scoring {len(valid)} validation articles")
    systems = {}

    def add(key, label, probs_of, share_from_probs=True, **extra):
        gold, pred, gs, ps, hs = _score(valid, probs_of)
        entry = {"label": label, "report": classification_report(gold, pred, ROLES),
                 "share": share_agreement(gs, ps if share_from_probs else hs),
                 "share_from_labels": share_agreement(gs, hs)}
        entry.update(extra)
        systems[key] = entry
        return gs

    gold_shares = add("method", "sentence-role model (analysis.measures.context; share = mean P(context))",
                      lambda art: _probabilities(model, _features(art)))
    add("first_main", "baseline (a): first sentence main, the rest context",
        lambda art: [_one_hot("main" if i == 0 else "context")
                     for i in range(sum(len(p) for p in art["paragraphs"]))], share_from_probs=False)
    train_gold = [lab for art in train_arts for par in art["labels"] for lab in par if lab is not None]
    per_article = []
    for art in train_arts:
        labs = [lab for par in art["labels"] for lab in par if lab is not None]
        if labs:
            per_article.append(sum(x == "context" for x in labs) / len(labs))
    mean_share = sum(per_article) / len(per_article)
    constant = share_agreement(gold_shares, [mean_share] * len(gold_shares))
    constant["pearson_r"] = float("nan")  # undefined for a constant (rounding would make it ~0)
    systems["constant_share"] = {
        "label": "baseline (b): the mean per-article context share of the train split",
        "share": constant, "value": mean_share}
    systems["legacy_rules"] = {
        "label": "baseline (c): the rule-based classifier before this model (recorded run, commit 55b75fd)",
        "report": {"macro_f1": LEGACY_RESULT["macro_f1"], "accuracy": LEGACY_RESULT["accuracy"],
                   "n": LEGACY_RESULT["n"], "confusion": LEGACY_RESULT["confusion"]},
        "share": dict(LEGACY_RESULT["share"]), "recorded": True}
    add("plain_lr", "baseline (d): logistic regression over position, tense and quotation flags and words",
        lambda art: _probabilities(plain, _plain_features(art)))
    say("context: 5-fold cross-validation inside the train split")
    cv = cross_validate(train_arts)
    m = systems["method"]
    n_valid = m["report"]["n"]
    return {
        "measure": "paragraph/sentence roles and the context share",
        "dataset": (f"NewsDiscourse, validation split ({len(valid)} articles, {n_valid} labelled sentences; "
                    f"trained on the train split: {len(train_arts)} articles, {n_train} sentences). {CITATION}; "
                    f"{LICENCE}."),
        "protocol": ("Fit on the train split only (settings chosen by 5-fold cross-validation inside train), "
                     "scored once on the validation split: 4-way sentence roles (NA sentences ignored) and the "
                     "per-article share of context sentences, predicted as the mean P(context)."),
        "systems": systems,
        "extra": {"train_gold_distribution": {r: train_gold.count(r) / len(train_gold) for r in ROLES},
                  "model_features": len(model.weights),
                  "cv_train": cv,
                  "validation_composition": "36 of 100 validation articles are KBP (New York Times) articles, "
                                            "against 66 of 502 in train; NYT 36 % against 20 %"},
        "targets": [
            {"name": "context share Pearson r", "system": "method", "value": m["share"]["pearson_r"],
             "target": 0.7, "direction": ">="},
            {"name": "context share MAE", "system": "method", "value": m["share"]["mae"],
             "target": 0.10, "direction": "<="},
            {"name": "4-way sentence macro-F1", "system": "method", "value": m["report"]["macro_f1"],
             "target": 0.62, "direction": ">="},
        ],
        "notes": [
            "Roles follow the NewsDiscourse mapping: 'other' is mostly what is expected to follow "
            "(Distant_Expectations_Consequences); page furniture (NA) is not scored.",
            "The event date is not in the data: the publication date stands in for it.",
            "Baseline (c) is a recorded run of the replaced code, not rerun here.",
            "Constant-share baseline: Pearson r is undefined (NaN) for a constant.",
            "The texts are Reuters, Xinhua and New York Times reports of 2018-2019 (business, crime, "
            "disaster, politics); other outlets and genres may differ.",
        ],
    }
