"""The hedging measure on the in-house hand-labelled gold set, beside a naive baseline.

Gold: ``analysis/validation/gold/hedges_gold.csv`` (sentence_id, source, text,
cues as ``cue|category;...``), labelled by docs/guideline-hedging.md; a second,
independent annotation pass of 80 of its sentences is ``hedges_pass2.csv``.
``evaluate_against_gold`` scores ``find_hedges`` and ``naive_hedges`` (a plain
word list, the baseline) on it; ``annotator_agreement`` sets the method beside
the agreement of the two passes. Secondary to the external validation
(``analysis.validation.hedging_external``).
"""
from __future__ import annotations

import csv
import io
import re

from analysis.datafiles import read_data
from analysis.measures.hedging import CATEGORIES, Hedge, find_hedges
from analysis.validation.scoring import cohen_kappa, precision_recall_f1

GOLD_PACKAGE = "analysis.validation"
GOLD_FILE = "gold/hedges_gold.csv"
PASS2_FILE = "gold/hedges_pass2.csv"

BASELINE_WORDS = ("may", "might", "could", "reportedly", "allegedly", "according to",
                  "about", "nearly", "some", "appear", "seem", "suggest", "likely",
                  "possibly", "unclear", "believe")
_BASELINE_RE = re.compile(r"\b(?:" + "|".join(w.replace(" ", r"\s+") for w in BASELINE_WORDS) + r")\b",
                          re.IGNORECASE)


def naive_hedges(text: str) -> list[Hedge]:
    """The comparison baseline: a plain case-insensitive regex over bare words
    (``BASELINE_WORDS``), no context checks, no inflections. Category is empty."""
    return [Hedge(m.group(), "", m.start(), m.end()) for m in _BASELINE_RE.finditer(text)]


HELD_OUT_PREFIX = "h-"  # gold sentence ids of the held-out part


def _place_cues(text: str, cues: str, where: str, *, any_case: bool = False,
                categories=None) -> list[Hedge]:
    """The ``cue|category;...`` list of one gold row as Hedges with offsets into
    ``text``, each placed after the previous one. ``any_case``: ignore case when
    the exact form is absent; ``categories``: the categories a cue may have."""
    pos, out = 0, []
    for item in filter(None, (cues or "").split(";")):
        cue, _, category = item.rpartition("|")
        i = text.find(cue, pos)
        if i < 0 and any_case:
            i = text.lower().find(cue.lower(), pos)
        if i < 0 or (categories is not None and category not in categories):
            raise ValueError(f"{where}: cannot place cue {item!r} in the sentence")
        out.append(Hedge(text[i:i + len(cue)], category, i, i + len(cue)))
        pos = i + len(cue)
    return out


def load_gold(path=None) -> list[dict]:
    """Gold sentences: dicts with sentence_id, source, text and ``cues``, a list
    of Hedge with offsets into the sentence text (located in order of occurrence)."""
    data, where = read_data(GOLD_PACKAGE, GOLD_FILE, path)
    rows = []
    for line, row in enumerate(csv.DictReader(io.StringIO(data)), start=2):
        text = row["text"]
        rows.append({"sentence_id": row["sentence_id"], "source": row["source"],
                     "text": text,
                     "cues": _place_cues(text, row.get("cues"), f"{where}: line {line}", categories=CATEGORIES)})
    return rows


def _match(gold: list[Hedge], pred: list[Hedge], *, category: bool, exact: bool) -> int:
    """Number of one-to-one matches: spans overlap (or are identical when
    ``exact``), and categories agree when ``category``."""
    used, tp = set(), 0
    for g in gold:
        for j, p in enumerate(pred):
            if j in used:
                continue
            same_span = (p.start, p.end) == (g.start, g.end)
            overlap = p.start < g.end and g.start < p.end
            if (same_span if exact else overlap) and (not category or p.category == g.category):
                used.add(j)
                tp += 1
                break
    return tp



def _score(rows, finder, *, category: bool, exact: bool) -> dict:
    """Cue-level precision/recall/F1 (with tp, fp, fn) of ``finder`` against the
    rows' cues, and sentence-level agreement and Cohen's kappa on "has at least
    one hedge" (NaN for no rows)."""
    tp = n_pred = n_gold = 0
    gold_yes, pred_yes = [], []
    for row in rows:
        pred = finder(row["text"])
        tp += _match(row["cues"], pred, category=category, exact=exact)
        n_pred += len(pred)
        n_gold += len(row["cues"])
        gold_yes.append(bool(row["cues"]))
        pred_yes.append(bool(pred))
    out = {**precision_recall_f1(tp, n_pred, n_gold), "tp": tp, "fp": n_pred - tp, "fn": n_gold - tp}
    out["sentence_agreement"] = sum(g == p for g, p in zip(gold_yes, pred_yes)) / max(1, len(rows))
    out["sentence_kappa"] = cohen_kappa(gold_yes, pred_yes) if rows else float("nan")
    return out


def evaluate_against_gold(path=None, lexicon=None, acceptor=None) -> dict:
    """Score ``find_hedges`` and the naive baseline against the gold set.

    Cue-level matching is one-to-one within a sentence. The headline figures
    (``method``, ``baseline``) count a prediction as correct when its span
    overlaps a gold cue, whatever the category (the baseline has none).
    ``method_strict`` also requires the exact span and the same category.
    ``by_source`` splits the figures into the seed-article sentences
    (``articles``), the constructed sentences written to exercise the ambiguous
    words (``constructed``) and the held-out constructed sentences (ids starting
    ``h-``), which were written and labelled after the rules were frozen and
    never used to change them (``held_out``); ``by_category`` gives the method's strict figures
    per category. Sentence level: ``sentence_agreement`` and ``sentence_kappa``
    (Cohen's kappa) on "has at least one hedge".
    """
    rows = load_gold(path)

    def method(text):
        return find_hedges(text, lexicon, acceptor)

    result = {
        "n_sentences": len(rows),
        "n_gold_cues": sum(len(r["cues"]) for r in rows),
        "method": _score(rows, method, category=False, exact=False),
        "method_strict": _score(rows, method, category=True, exact=True),
        "baseline": _score(rows, naive_hedges, category=False, exact=False),
        "by_source": {},
        "by_category": {},
    }
    splits = {"articles": [r for r in rows if r["source"] != "constructed"],
              "constructed": [r for r in rows if r["source"] == "constructed"
                              and not r["sentence_id"].startswith(HELD_OUT_PREFIX)],
              "held_out": [r for r in rows if r["source"] == "constructed"
                           and r["sentence_id"].startswith(HELD_OUT_PREFIX)]}
    for name, subset in splits.items():
        result["by_source"][name] = {
            "n_sentences": len(subset),
            "n_gold_cues": sum(len(r["cues"]) for r in subset),
            "method": _score(subset, method, category=False, exact=False),
            "baseline": _score(subset, naive_hedges, category=False, exact=False)}
    for cat in CATEGORIES:
        sub = [{**r, "cues": [c for c in r["cues"] if c.category == cat]} for r in rows]

        def only(text, cat=cat):
            return [h for h in find_hedges(text, lexicon, acceptor) if h.category == cat]

        result["by_category"][cat] = _score(sub, only, category=True, exact=True)
    return result


def annotator_agreement(pass2_path=None, gold_path=None) -> dict:
    """Agreement between the gold labels and an independent second annotation pass.

    The second pass (``analysis/validation/gold/hedges_pass2.csv``: sentence_id, cues) was
    made from the guideline alone, without seeing the first labels or the
    method, on a random sample of the gold sentences. Returns cue-level
    precision/recall/F1 of pass 2 against pass 1 (overlapping spans; ``strict``:
    exact span and category), sentence-level agreement and Cohen's kappa on
    "has at least one hedge", and the method's F1 on the same sentences against
    each pass, so the method can be read against the human ceiling.
    """
    gold = {r["sentence_id"]: r for r in load_gold(gold_path)}
    data, where = read_data(GOLD_PACKAGE, PASS2_FILE, pass2_path)
    second = []
    for row in csv.DictReader(io.StringIO(data)):
        first = gold[row["sentence_id"]]
        cues = _place_cues(first["text"], row.get("cues"), f"{where}: {row['sentence_id']}", any_case=True)
        second.append({**first, "cues": cues})
    pass1 = [gold[r["sentence_id"]] for r in second]
    by_id = {r["sentence_id"]: r["cues"] for r in second}

    def as_pass2(text, _index={r["text"]: r["sentence_id"] for r in second}):
        return by_id[_index[text]]

    return {
        "n_sentences": len(second),
        "pass2_vs_pass1": _score(pass1, as_pass2, category=False, exact=False),
        "pass2_vs_pass1_strict": _score(pass1, as_pass2, category=True, exact=True),
        "method_vs_pass1": _score(pass1, find_hedges, category=False, exact=False),
        "method_vs_pass2": _score(second, find_hedges, category=False, exact=False),
        "baseline_vs_pass2": _score(second, naive_hedges, category=False, exact=False),
    }
