"""The ``numbers`` command: which outlet gives which figure for what (``align_numbers``).

    python -m analysis numbers CORPUS [--format csv|json] [--out FILE]

``add_parser(subparsers)`` adds the sub-command; ``run(args)`` returns the exit code.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from analysis import load_corpus
from analysis.errors import CorpusError
from analysis.export import safe_text_columns
from analysis.measures.numbers import align_numbers


def add_parser(subparsers):
    p = subparsers.add_parser("numbers", help="claims and numbers: which outlet gives which figure for what")
    p.add_argument("corpus", help="corpus folder (manifest.csv, actors.yaml, article files)")
    p.add_argument("--format", choices=("csv", "json"), default="csv")
    p.add_argument("--out", help="write to this file instead of standard output")
    p.set_defaults(func=run)
    return p


def run(args) -> int:
    """Align the corpus's numbers across outlets and write the table; user errors as one line."""
    try:
        table = align_numbers(load_corpus(args.corpus))
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
        return json.dumps(table.to_dict(orient="records"), ensure_ascii=False, indent=1) + "\n"
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
