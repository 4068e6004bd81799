"""The source ledger against its hand-labelled gold set (docs/guideline-sources.md).

``analysis/validation/gold/sources_gold.csv`` holds 166 attributions labelled by reading: the five
bundled bodies (set ``bundled``, also used while the rules were written) and 18 news paragraphs
written after the guideline was frozen (set ``new``, ``sources_texts.csv``; the honest figure).

Finding the source: a predicted attribution matches a gold one of the same document when their
source spans are equal (``exact``) or share at least one character (``overlap``); each gold and
each predicted attribution is matched at most once (greedy, in text order, same verb first), so two
attributions with one span ("X wrote that ... and claimed that ...") need two predictions.
Precision = matched / predicted, recall = matched / gold (scoring.precision_recall_f1). Type: on
the overlap-matched pairs, accuracy and macro-F1 over the six types (scoring.per_class_f1); mode
likewise. Baseline: the capitalised words right before "said"/"says"/"told" (and after "according
to"), typed ``named person`` (the commonest guess a reader of names would make).
"""
from __future__ import annotations

import csv
import re
from io import StringIO

from analysis.datafiles import read_data
from analysis.measures.sources import MODES, TYPES, find_attributions
from analysis.pipeline.actors import find_mentions
from analysis.pipeline.corpus import load_corpus
from analysis.pipeline.model import Actor, Article
from analysis.pipeline.segment import segment
from analysis.paths import BUNDLED_CORPUS
from analysis.validation.scoring import per_class_f1, precision_recall_f1

GOLD, TEXTS = "gold/sources_gold.csv", "gold/sources_texts.csv"
GOLD_TYPES = TYPES[:-1]  # the five types the gold set holds (no "unknown"): the macro-F1 averages these


def _rows(name):
    content, _ = read_data("analysis.validation", name)
    return list(csv.DictReader(StringIO(content)))


def load_gold() -> list[dict]:
    """The gold attributions (``start``/``end`` as ints)."""
    rows = _rows(GOLD)
    for r in rows:
        r["start"], r["end"] = int(r["start"]), int(r["end"])
    return rows


def _actors(spec: str) -> list[Actor]:
    """``Name:kind:alias|alias; ...`` of sources_texts.csv as Actor objects."""
    out = []
    for part in filter(None, (p.strip() for p in spec.split(";"))):
        name, kind, aliases = part.split(":", 2)
        out.append(Actor(name, kind, tuple(a for a in aliases.split("|") if a)))
    return out


def documents() -> dict[str, tuple[Article, list[Actor]]]:
    """doc id -> (segmented article, actors): the bundled bodies and the new texts."""
    corpus = load_corpus(BUNDLED_CORPUS)
    docs = {a.id: (a, corpus.actors) for a in corpus.articles}
    for row in _rows(TEXTS):
        body = row["text"]
        paragraphs, quotes = segment(body)
        art = Article(row["id"], "new", None, body, body, paragraphs=paragraphs, quotes=quotes)
        docs[row["id"]] = (art, _actors(row["actors"]))
    return docs


def predictions(docs) -> dict[str, list[dict]]:
    """The system's attributions per document, as dicts like the gold rows."""
    out = {}
    for doc_id, (art, actors) in docs.items():
        atts = find_attributions(art, find_mentions(art, actors))
        out[doc_id] = [{"start": a.start, "end": a.end, "type": a.type, "mode": a.mode, "verb": a.verb,
                        "source": a.source} for a in atts]
    return out


_BASELINE = re.compile(r"((?:[A-Z][\w’'.-]*\s+){0,3}[A-Z][\w’'.-]*)\s+(?:said|says|told)\b"
                       r"|[Aa]ccording to\s+((?:[A-Z][\w’'.-]*\s+){0,3}[A-Z][\w’'.-]*)")


def baseline(docs) -> dict[str, list[dict]]:
    """Capitalised words before "said"/"says"/"told" or after "according to", typed named person."""
    out = {}
    for doc_id, (art, _) in docs.items():
        out[doc_id] = []
        for m in _BASELINE.finditer(art.body):
            g = 1 if m.group(1) else 2
            out[doc_id].append({"start": m.start(g), "end": m.end(g), "type": "named person",
                                "mode": "according-to" if g == 2 else "reported speech", "verb": "",
                                "source": m.group(g)})
    return out


def match(gold: list[dict], pred: list[dict], rule: str) -> list[tuple[dict, dict]]:
    """Greedy one-to-one pairs of gold and predicted attributions whose spans agree by ``rule``
    (``exact`` or ``overlap``); pairs with the same verb are taken first."""
    def agree(g, p):
        if rule == "exact":
            return g["start"] == p["start"] and g["end"] == p["end"]
        return g["start"] < p["end"] and p["start"] < g["end"]
    pairs, used = [], set()
    for same_verb in (True, False):
        for g in gold:
            if any(g is a for a, _ in pairs):
                continue
            for k, p in enumerate(pred):
                if k not in used and agree(g, p) and (not same_verb or g["verb"] == p["verb"]):
                    pairs.append((g, p))
                    used.add(k)
                    break
    return pairs


def score(gold_rows, preds, subset: str) -> dict:
    """Source finding (exact, overlap) and type/mode on the overlap pairs for one set."""
    rows = [r for r in gold_rows if r["set"] == subset]
    docs = sorted({r["doc"] for r in rows})
    out = {"gold": len(rows), "predicted": sum(len(preds.get(d, [])) for d in docs)}
    for rule in ("exact", "overlap"):
        pairs = [pair for d in docs for pair in match([r for r in rows if r["doc"] == d], preds.get(d, []), rule)]
        out[rule] = precision_recall_f1(len(pairs), out["predicted"], len(rows))
        if rule == "overlap":
            g_t, p_t = [g["type"] for g, _ in pairs], [p["type"] for _, p in pairs]
            out["type_accuracy"] = sum(a == b for a, b in zip(g_t, p_t)) / len(pairs) if pairs else 0.0
            out["type_macro_f1"] = per_class_f1(g_t, p_t, GOLD_TYPES)["macro_f1"]
            out["type_per_class"] = per_class_f1(g_t, p_t, TYPES)["per_class"]
            g_m, p_m = [g["mode"] for g, _ in pairs], [p["mode"] for _, p in pairs]
            out["mode_accuracy"] = sum(a == b for a, b in zip(g_m, p_m)) / len(pairs) if pairs else 0.0
            out["mode_macro_f1"] = per_class_f1(g_m, p_m, MODES)["macro_f1"]
            out["pairs"] = len(pairs)
    return out


def evaluate() -> dict:
    """Scores of the system and of the baseline on both sets."""
    gold = load_gold()
    docs = documents()
    system, base = predictions(docs), baseline(docs)
    return {name: {subset: score(gold, preds, subset) for subset in ("bundled", "new")}
            for name, preds in (("system", system), ("baseline", base))}


def errors(subset: str = "new") -> list[tuple]:
    """(doc, kind, gold or predicted) of the misses, for reading the errors (overlap rule)."""
    gold = [r for r in load_gold() if r["set"] == subset]
    docs = documents()
    preds = predictions(docs)
    out = []
    for d in sorted({r["doc"] for r in gold}):
        g_rows = [r for r in gold if r["doc"] == d]
        pairs = match(g_rows, preds[d], "overlap")
        matched_g = [id(g) for g, _ in pairs]
        matched_p = [id(p) for _, p in pairs]
        out += [(d, "missed", g["source"], g["type"]) for g in g_rows if id(g) not in matched_g]
        out += [(d, "spurious", p["source"], p["type"]) for p in preds[d] if id(p) not in matched_p]
        out += [(d, "type", g["source"], g["type"], p["type"]) for g, p in pairs if g["type"] != p["type"]]
    return out


if __name__ == "__main__":
    import json
    result = evaluate()
    for name, sets in result.items():
        for subset, s in sets.items():
            print(f"{name:8} {subset:7} gold {s['gold']:3} pred {s['predicted']:3}  "
                  f"exact P {s['exact']['precision']:.2f} R {s['exact']['recall']:.2f} F1 {s['exact']['f1']:.2f}  "
                  f"overlap P {s['overlap']['precision']:.2f} R {s['overlap']['recall']:.2f} F1 {s['overlap']['f1']:.2f}  "
                  f"type acc {s['type_accuracy']:.2f} macro-F1 {s['type_macro_f1']:.2f}  "
                  f"mode acc {s['mode_accuracy']:.2f}")
