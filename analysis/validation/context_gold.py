"""The in-house gold of paragraph roles: the method scored against hand labels, beside naive baselines.

``evaluate()`` classifies the paragraphs of the bundled articles that
analysis/validation/gold/context_pass1.csv labels (aligned by their first
words) and the constructed paragraphs of context_constructed.csv (each judged
on its own), and scores the roles, and those of the naive ``baseline_roles``,
with ``score_labels``; when a second annotation pass (context_pass2.csv) lies
beside the first, ``agreement`` compares the two (Cohen's kappa). Scores come
from analysis.validation.scoring. The external evaluation on NewsDiscourse is
analysis.validation.context_external.
"""
from __future__ import annotations

import csv
import importlib.resources
import re
from pathlib import Path

from analysis.measures.context import ROLES, _as_date, classify_paragraphs
from analysis.paths import BUNDLED_CORPUS
from analysis.pipeline.corpus import decode_bytes, load_actors, load_corpus, read_manifest
from analysis.validation.scoring import classification_report, cohen_kappa

__all__ = ["evaluate", "score_labels", "baseline_roles", "cohen_kappa", "BASELINES"]


def score_labels(gold: list[str], pred: list[str], roles=ROLES) -> dict:
    """Accuracy, per-role precision/recall/F1, macro-F1 (over roles present in
    the gold) and confusion counts ``confusion[gold][pred]``, from
    analysis.validation.scoring.classification_report."""
    if len(gold) != len(pred):
        raise ValueError("gold and predictions differ in length")
    labels = list(roles) + sorted(set(gold) - set(roles))
    rep = classification_report(gold, pred, labels)
    per_role = {r: {k: rep["per_class"][r][k] for k in ("precision", "recall", "f1", "support")}
                for r in roles}
    present = [r for r in labels if rep["per_class"][r]["support"]]
    macro = sum(rep["per_class"][r]["f1"] for r in present) / len(present) if present else 0.0
    matrix = rep["confusion"]["matrix"]
    confusion = {g: {p: matrix[i][j] for j, p in enumerate(labels) if p in roles}
                 for i, g in enumerate(labels)}
    return {"n": rep["n"], "accuracy": rep["accuracy"], "macro_f1": macro, "per_role": per_role,
            "confusion": confusion}


_NAIVE_REACTION = re.compile(r"\b(?:said|says|told|statement|spokes(?:man|woman|person))\b", re.I)
_NAIVE_CONTEXT = re.compile(r"\b(?:(?:19|20)\d\d|ago|last\s+(?:week|month|year)|earlier|previously|had)\b", re.I)


def baseline_roles(texts: list[str], kind: str) -> list[str]:
    """Naive baselines the method must beat.

    ``all_main``: every paragraph is main (the majority class of news text).
    ``first_half_main``: the first half of the article main, the rest context
    (the inverted pyramid). ``keywords``: "said/told/statement" -> reaction,
    else a year, "ago", "last week", "earlier", "previously" or "had" ->
    context, else main.
    """
    n = len(texts)
    if kind == "all_main":
        return ["main"] * n
    if kind == "first_half_main":
        return ["main" if i < n / 2 else "context" for i in range(n)]
    if kind == "keywords":
        out = []
        for t in texts:
            if _NAIVE_REACTION.search(t):
                out.append("reaction")
            elif _NAIVE_CONTEXT.search(t):
                out.append("context")
            else:
                out.append("main")
        return out
    raise ValueError(f"unknown baseline {kind!r}")


BASELINES = ("all_main", "first_half_main", "keywords")
_GOLD_DIR = "gold"
_BUNDLED = BUNDLED_CORPUS  # the one place that knows where: analysis.paths


def _norm_words(text: str, k: int | None = None) -> list[str]:
    """The first ``k`` (all when None) lower-cased runs of ASCII letters and digits:
    the key that aligns a gold row with a paragraph by its first words (what the
    gold files were written against; punctuation and quotation marks do not count)."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    return words if k is None else words[:k]


def _read_gold(path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as f:
        return [dict(r) for r in csv.DictReader(f)]


def _gold_file(name: str) -> Path:
    return Path(str(importlib.resources.files("analysis.validation") / _GOLD_DIR / name))


def _raw_articles(folder: Path) -> list[dict]:
    """Fallback when the cleaning stage is not available: every non-empty line of
    each raw file is a candidate paragraph (a leading "date YYYY-MM-DD" metadata
    prefix is dropped). Gold alignment then keeps only the lines the gold lists."""
    _, _, event_date = load_actors(folder / "actors.yaml")
    out = []
    for row in read_manifest(folder):
        file = folder / row["file"]
        text, _ = decode_bytes(file.read_bytes())
        lines = [re.sub(r"^\s*date\s+\d{4}-\d{2}-\d{2}\s+", "", ln).strip() for ln in text.split("\n")]
        out.append({"stem": file.stem, "paragraphs": [ln for ln in lines if ln],
                    "event_date": event_date, "article_date": _as_date(row.get("date")),
                    "cleaned": False})
    return out


def _corpus_articles(articles) -> list[dict]:
    out = []
    for a in articles:
        out.append({"stem": Path(a.file).stem,
                    "paragraphs": [a.body[p.start:p.end] for p in a.paragraphs],
                    "event_date": a.event_date, "article_date": _as_date(a.meta.get("date")),
                    "cleaned": True})
    return out


def _align(gold_rows: list[dict], art: dict) -> tuple[list[tuple[dict, int]], list[dict]]:
    """Match gold rows to paragraphs by their first words, in order."""
    pairs, missing, pos = [], [], 0
    paras = [_norm_words(p, 12) for p in art["paragraphs"]]
    for row in sorted(gold_rows, key=lambda r: int(r["paragraph"])):
        key = _norm_words(row["first_words"])
        hit = None
        for j in range(pos, len(paras)):
            if paras[j][:len(key)] == key:
                hit = j
                break
        if hit is None:
            missing.append(row)
        else:
            pairs.append((row, hit))
            pos = hit + 1
    return pairs, missing


def _evaluate_seeds(gold_rows: list[dict], articles: list[dict]) -> dict:
    by_article: dict[str, list[dict]] = {}
    for r in gold_rows:
        by_article.setdefault(r["article"], []).append(r)
    gold, pred = [], []
    base = {b: [] for b in BASELINES}
    items, unaligned = [], []
    for art in articles:
        rows = by_article.pop(art["stem"], [])
        if not rows:
            continue
        pairs, missing = _align(rows, art)
        unaligned += [f"{r['article']}:{r['paragraph']}" for r in missing]
        if art["cleaned"]:
            texts = art["paragraphs"]
            index = [j for _, j in pairs]
        else:  # raw fallback: the article's body is exactly the paragraphs the gold lists
            texts = [art["paragraphs"][j] for _, j in pairs]
            index = list(range(len(pairs)))
        decisions = classify_paragraphs(texts, art["event_date"], art["article_date"])
        baselines = {b: baseline_roles(texts, b) for b in BASELINES}
        for (row, _), j in zip(pairs, index):
            gold.append(row["role"])
            pred.append(decisions[j].role)
            for b in BASELINES:
                base[b].append(baselines[b][j])
            items.append({"article": row["article"], "paragraph": int(row["paragraph"]),
                          "gold": row["role"], "pred": decisions[j].role,
                          "confidence": decisions[j].confidence})
    for rows in by_article.values():
        unaligned += [f"{r['article']}:{r['paragraph']}" for r in rows]
    return _report(gold, pred, base, items, unaligned)


def _report(gold, pred, base, items, unaligned) -> dict:
    report = {"n": len(gold), "method": score_labels(gold, pred) if gold else None,
              "baselines": {b: score_labels(gold, p) for b, p in base.items()} if gold else {},
              "items": items, "unaligned": unaligned}
    if gold:
        best = max(report["baselines"], key=lambda b: (report["baselines"][b]["accuracy"],
                                                       report["baselines"][b]["macro_f1"]))
        report["best_baseline"] = best
    return report


def _evaluate_constructed(rows: list[dict]) -> dict:
    gold, pred, items = [], [], []
    base = {b: [] for b in BASELINES if b != "first_half_main"}
    for r in rows:
        d = classify_paragraphs([r["text"]], event_date=_as_date(r.get("event_date")))[0]
        gold.append(r["role"])
        pred.append(d.role)
        for b in base:
            base[b].append(baseline_roles([r["text"]], b)[0])
        items.append({"text": r["text"], "gold": r["role"], "pred": d.role, "confidence": d.confidence})
    return _report(gold, pred, base, items, [])


def evaluate(gold_path=None, articles=None, constructed_path=None) -> dict:
    """Compare the method with hand labels, beside naive baselines.

    ``gold_path``: the seed-article gold (default ``analysis/validation/gold/context_pass1.csv``).
    ``articles``: a Corpus or list of Articles to evaluate on; by default the
    bundled corpus through ``load_corpus`` (or, if the cleaning stage cannot
    run, the raw files split into lines and aligned with the gold by their first
    words; ``articles="raw"`` forces that path). ``constructed_path``: constructed paragraphs about other events
    (default ``analysis/validation/gold/context_constructed.csv``; pass ``False`` to skip).

    Returns ``{"seeds": report, "constructed": report, "agreement": ...}``; a report
    holds ``n``, ``method`` and ``baselines`` (each: accuracy, macro_f1,
    per_role precision/recall/f1/support, confusion[gold][pred]), ``best_baseline``
    (highest accuracy), per-item predictions and gold rows that could not be
    aligned. ``agreement`` compares pass 1 with pass 2 (Cohen's kappa) when
    ``context_pass2.csv`` exists beside the gold.
    """
    gold_path = Path(gold_path) if gold_path is not None else _gold_file("context_pass1.csv")
    gold_rows = _read_gold(gold_path)
    if isinstance(articles, str) and articles == "raw":
        arts = _raw_articles(_BUNDLED)
    elif articles is None:
        try:
            arts = _corpus_articles(load_corpus(_BUNDLED).articles)
        except Exception:  # the cleaning/segmenting stages may be unavailable
            arts = _raw_articles(_BUNDLED)
    else:
        arts = _corpus_articles(getattr(articles, "articles", articles))
    result = {"seeds": _evaluate_seeds(gold_rows, arts)}
    result["seeds"]["source"] = "load_corpus" if arts and arts[0]["cleaned"] else "raw lines"
    if constructed_path is not False:
        cpath = Path(constructed_path) if constructed_path else _gold_file("context_constructed.csv")
        result["constructed"] = _evaluate_constructed(_read_gold(cpath))
    pass2 = gold_path.with_name(gold_path.name.replace("pass1", "pass2"))
    if pass2 != gold_path and pass2.is_file():
        result["agreement"] = _agreement(gold_rows, _read_gold(pass2))
    return result


def _agreement(rows_a: list[dict], rows_b: list[dict]) -> dict:
    key = lambda r: (r["article"], tuple(_norm_words(r["first_words"], 6)))  # noqa: E731
    b = {key(r): r["role"] for r in rows_b}
    pairs = [(r["role"], b[key(r)]) for r in rows_a if key(r) in b]
    if not pairs:
        return {"n": 0, "kappa": float("nan"), "agreement": float("nan")}
    la, lb = zip(*pairs)
    return {"n": len(pairs), "kappa": cohen_kappa(la, lb),
            "agreement": sum(x == y for x, y in pairs) / len(pairs),
            "confusion": score_labels(list(la), list(lb))["confusion"]}
