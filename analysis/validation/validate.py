"""``python -m analysis validate``: every measure on external human labels, beside naive baselines.

Each measure's external module (``analysis.validation.<measure>_external``)
runs its own protocol (cross-validation or a held-apart validation split, the
learned layer retrained inside it) and scores the method and its baselines in
the same run. This module runs them in turn, checks the floors
(``floors.json``: values just under what the method reaches, so that a change
that makes a measure worse fails CI), and writes ``docs/validation.md`` (the
tables, for people) and ``docs/validation.json`` (the same numbers, for the
notebooks, which must not need the external data).

The external data is not part of the repository: it is read from
``../shared/external-gold`` beside the repository, or from ``--external DIR``.
Where it is absent, ``validate`` says so in one line and exits 0.
"""
from __future__ import annotations

import importlib
import json
import math
import sys
from pathlib import Path

from threadpoolctl import threadpool_limits

from analysis.paths import DOCS_DIR, EXTERNAL_GOLD, REPO_ROOT

MEASURES = (
    ("sentiment", "analysis.validation.sentiment_external", "newsmtsc"),
    ("hedging", "analysis.validation.hedging_external", "conll2010-wikipedia"),
    ("context", "analysis.validation.context_external", "newsdiscourse"),
)
DEFAULT_EXTERNAL = EXTERNAL_GOLD
FLOORS_FILE = Path(__file__).with_name("floors.json")
DOC_MD = DOCS_DIR / "validation.md"
DOC_JSON = DOCS_DIR / "validation.json"


def external_root(path=None) -> Path:
    return Path(path) if path else DEFAULT_EXTERNAL


def run(root: Path, measures=None, progress=None) -> dict:
    """``{measure: result dict}`` for each measure whose data folder is under ``root``."""
    results = {}
    with threadpool_limits(limits=1, user_api="blas"):  # one summation order: the same figures on every run
        for name, module, folder in MEASURES:
            if measures and name not in measures:
                continue
            if not (root / folder).is_dir():
                results[name] = {"skipped": f"{root / folder} is absent"}
                continue
            if progress:
                progress(f"validating {name} on {folder} ...")
            results[name] = importlib.import_module(module).evaluate(root, progress=progress)
    return results


def load_floors(path=FLOORS_FILE) -> dict:
    return json.loads(Path(path).read_text("utf-8")) if Path(path).is_file() else {}


def check_floors(results: dict, floors: dict) -> list[str]:
    """One line per target that falls below its floor (or above its ceiling, for "<=")."""
    failures = []
    for measure, result in results.items():
        for t in result.get("targets", []):
            key = f"{measure}: {t['name']}"
            if key not in floors:
                continue
            floor, value = floors[key], t["value"]
            bad = (not _finite(value)) or (value < floor if t["direction"] == ">=" else value > floor)
            if bad:
                word = "floor" if t["direction"] == ">=" else "ceiling"
                failures.append(f"{key} = {_fmt(value)} is past its {word} {_fmt(floor)}")
    return failures


# --- rendering ------------------------------------------------------------------

def _finite(x) -> bool:
    return isinstance(x, (int, float)) and math.isfinite(x)


def _cell(text) -> str:
    """Text for a Markdown table cell: a literal | would end the cell."""
    return str(text).replace("|", "\\|")


def _fmt(x, digits=3) -> str:
    if isinstance(x, bool):
        return "yes" if x else "no"
    if isinstance(x, int):
        return f"{x:,}"
    if isinstance(x, float):
        return f"{x:.{digits}f}" if math.isfinite(x) else "n/a"
    return str(x)


def _headline(system: dict) -> list[tuple[str, object]]:
    """The columns shown for one system: the classification figures it has, then its share figures."""
    cols = []
    rep = system.get("report")
    if rep:
        if "macro_f1" in rep:
            cols += [("macro-F1", rep["macro_f1"]), ("accuracy", rep["accuracy"])]
        else:
            cols += [("F1", rep["f1"]), ("precision", rep["precision"]), ("recall", rep["recall"]),
                     ("accuracy", rep["accuracy"])]
    share = system.get("share")
    if share:
        cols += [("share r", share["pearson_r"]), ("share MAE", share["mae"])]
    return cols


def _systems_table(systems: dict) -> list[str]:
    names = []
    for s in systems.values():
        for name, _ in _headline(s):
            if name not in names:
                names.append(name)
    lines = ["| system | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names)]
    for s in systems.values():
        vals = dict(_headline(s))
        lines.append(f"| {_cell(s['label'])} | " + " | ".join(_fmt(vals[n]) if n in vals else "" for n in names) + " |")
    return lines


def _per_class(rep: dict) -> list[str]:
    rep = rep.get("report", rep) if "per_class" not in rep else rep
    lines = ["| class | precision | recall | F1 | gold n | predicted n |", "|---|---:|---:|---:|---:|---:|"]
    for lab, c in rep["per_class"].items():
        lines.append(f"| {lab} | {_fmt(c['precision'])} | {_fmt(c['recall'])} | {_fmt(c['f1'])} | "
                     f"{_fmt(c['support'])} | {_fmt(c['predicted'])} |")
    return lines


def _confusion(rep: dict) -> list[str]:
    rep = rep.get("report", rep) if "confusion" not in rep else rep
    labels, m = rep["confusion"]["labels"], rep["confusion"]["matrix"]
    lines = ["| gold \\ predicted | " + " | ".join(str(x) for x in labels) + " |",
             "|---|" + "---:|" * len(labels)]
    for lab, row in zip(labels, m):
        lines.append(f"| {lab} | " + " | ".join(_fmt(v) for v in row) + " |")
    return lines


def _extra_lines(extra, prefix="") -> list[str]:
    out = []
    for k, v in extra.items():
        if isinstance(v, dict):
            out += _extra_lines(v, f"{prefix}{k} / ")
        elif isinstance(v, list) and all(not isinstance(x, (dict, list)) for x in v):
            out.append(f"- {prefix}{k}: " + ", ".join(_fmt(x) for x in v))
        elif not isinstance(v, list):
            out.append(f"- {prefix}{k}: {_fmt(v)}")
    return out


def targets_rows(results: dict, floors: dict) -> list[dict]:
    rows = []
    for measure, result in results.items():
        for t in result.get("targets", []):
            ok = _finite(t["value"]) and (t["value"] >= t["target"] if t["direction"] == ">="
                                          else t["value"] <= t["target"])
            rows.append({"measure": measure, "name": t["name"], "value": t["value"], "target": t["target"],
                         "direction": t["direction"], "met": ok,
                         "floor": floors.get(f"{measure}: {t['name']}")})
    return rows


def render_markdown(results: dict, floors: dict) -> str:
    out = ["# External validation", "",
           "Every measure scored on public data labelled by people outside this project, beside naive",
           "baselines run in the same pass. Written by `make validate` (`python -m analysis validate`);",
           "do not edit by hand. The data sets' development parts are read from `../shared/external-gold`",
           "(or `--external DIR`); their evaluation parts are held out and were never used. Learned layers",
           "are retrained inside each fold (or on the train split only), so no figure here rests on text",
           "the method was fitted to. In-house gold figures are in each measure's own document and are",
           "secondary.", "",
           "## Targets", "",
           "| measure | figure | value | target | met | CI floor |", "|---|---|---:|---:|---|---:|"]
    for r in targets_rows(results, floors):
        out.append(f"| {r['measure']} | {_cell(r['name'])} | {_fmt(r['value'])} | {r['direction']} {_fmt(r['target'])} | "
                   f"{'yes' if r['met'] else 'no'} | {_fmt(r['floor']) if r['floor'] is not None else ''} |")
    for measure, result in results.items():
        out += ["", f"## {measure}: {result.get('measure', '')}".rstrip(": "), ""]
        if "skipped" in result:
            out.append(f"Not run: {result['skipped']}.")
            continue
        out += [f"Data: {result['dataset']}", "", f"Protocol: {result['protocol']}", ""]
        out += _systems_table(result["systems"])
        for key, s in result["systems"].items():
            if s.get("folds"):
                out += ["", f"Per fold, {s['label']}: " + ", ".join(_fmt(x) for x in s["folds"])]
        method = result["systems"].get("method") or next(iter(result["systems"].values()))
        if method and method.get("report"):
            out += ["", "Per class (method):", ""] + _per_class(method["report"])
            out += ["", "Confusion matrix (method; rows gold, columns predicted):", ""] + _confusion(method["report"])
        if result.get("extra"):
            out += ["", "Further figures:", ""] + _extra_lines(result["extra"])
        if result.get("notes"):
            out += ["", "Known limits:", ""] + [f"- {n}" for n in result["notes"]]
    out += ["", "## Reproduce", "",
            "    make validate                      # or: .venv/bin/python -m analysis validate --external DIR",
            "    make train                         # refit the committed weights (analysis/measures/*/model.json)", ""]
    return "\n".join(out)


def _jsonable(x):
    if isinstance(x, float) and not math.isfinite(x):
        return None
    if isinstance(x, dict):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_jsonable(v) for v in x]
    return x


def main(external=None, write=True, measures=None, stream=sys.stderr) -> int:
    root = external_root(external)
    if not root.is_dir():
        print(f"validate: no external data at {root}: nothing to score (pass --external DIR)", file=stream)
        return 0
    results = run(root, measures=measures, progress=lambda line: print(f"  {line}", file=stream, flush=True))
    floors = load_floors()
    for r in targets_rows(results, floors):
        print(f"{r['measure']:10s} {r['name']:45s} {_fmt(r['value']):>7s}  target {r['direction']} "
              f"{_fmt(r['target'])}  {'met' if r['met'] else 'NOT met'}", file=sys.stdout)
    if write and not measures:
        DOC_MD.write_text(render_markdown(results, floors), encoding="utf-8")
        DOC_JSON.write_text(json.dumps(_jsonable({"results": results, "floors": floors}), indent=1,
                                       sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {DOC_MD.relative_to(REPO_ROOT)} and {DOC_JSON.relative_to(REPO_ROOT)}", file=stream)
    failures = check_floors(results, floors)
    for line in failures:
        print(f"error: validation floor: {line}", file=stream)
    return 1 if failures else 0
