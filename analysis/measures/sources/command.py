"""The ``sources`` command: the source ledger of a corpus, one row per attribution, or per outlet.

    python -m analysis sources CORPUS [--summary] [--format csv|json] [--out FILE]

``add_parser(subparsers)`` adds the sub-command; ``run(args)`` returns the exit code.
"""
from __future__ import annotations

import json
import math
import sys
from pathlib import Path

from analysis import load_corpus
from analysis.errors import CorpusError
from analysis.export import safe_text_columns
from analysis.measures.sources import source_ledger, source_summary


def add_parser(subparsers):
    p = subparsers.add_parser("sources", help="source ledger: every attribution (who says what, how), or per outlet")
    p.add_argument("corpus", help="corpus folder (manifest.csv, actors.yaml, article files)")
    p.add_argument("--summary", action="store_true",
                   help="one row per outlet: distinct sources, anonymous share, quoted-word share, outlets cited")
    p.add_argument("--format", choices=("csv", "json"), default="csv")
    p.add_argument("--out", help="write to this file instead of standard output")
    p.set_defaults(func=run)
    return p


def run(args) -> int:
    """Write the ledger (or its per-outlet summary); user errors as one line each."""
    try:
        corpus = load_corpus(args.corpus)
        table = source_summary(corpus) if args.summary else source_ledger(corpus)
        text = _render(table, args.format)
        if args.out:
            _write(Path(args.out), text, args.corpus)
        else:
            sys.stdout.write(text)
    except CorpusError as err:
        for path, problem in err.problems:
            print(f"error: {path}: {problem}" if path != "None" else f"error: {problem}", file=sys.stderr)
        return 2
    return 0


def _render(table, fmt: str) -> str:
    if fmt == "json":
        records = [{k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in rec.items()}
                   for rec in table.to_dict(orient="records")]
        return json.dumps(records, ensure_ascii=False, indent=1, default=str) + "\n"
    return safe_text_columns(table).to_csv(index=False, lineterminator="\n", float_format="%.6g")


def _write(path: Path, text: str, corpus) -> None:
    """Write ``text`` to ``path`` through a .part file (never inside the corpus folder)."""
    try:
        path.resolve().relative_to(Path(corpus).resolve())
        raise CorpusError(path, "--out is inside the corpus folder being read; choose a path outside it")
    except ValueError:
        pass
    if not path.parent.is_dir():
        raise CorpusError(path, "the folder for --out does not exist")
    tmp = path.with_name(path.name + ".part")
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    except OSError as err:
        tmp.unlink(missing_ok=True)
        raise CorpusError(path, f"cannot be written: {err.strerror or err}") from None
