"""The ``labels`` command: how each outlet names each actor (``label_table``).

    python -m analysis labels CORPUS [--actor NAME] [--format csv|json] [--out FILE]

``add_parser(subparsers)`` adds the sub-command; ``run(args)`` returns the exit code.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from analysis import load_corpus
from analysis.errors import CorpusError
from analysis.export import safe_text_columns
from analysis.measures.naming import label_table


def add_parser(subparsers):
    p = subparsers.add_parser("labels", help="naming and labels: how each outlet names each actor, loaded terms flagged")
    p.add_argument("corpus", help="corpus folder (manifest.csv, actors.yaml, article files)")
    p.add_argument("--actor", help="only this actor (a name of the actors file)")
    p.add_argument("--format", choices=("csv", "json"), default="csv")
    p.add_argument("--out", help="write to this file instead of standard output")
    p.set_defaults(func=run)
    return p


def run(args) -> int:
    """Write the corpus's label table; user errors as one line each, exit 2."""
    try:
        if args.out:
            _check_out(Path(args.out), args.corpus)
        corpus = load_corpus(args.corpus)
        names = [a.name for a in corpus.actors]
        if args.actor is not None and args.actor not in names:
            raise CorpusError(Path(args.corpus) / "actors.yaml",
                              f"no actor {args.actor!r} (the actors are: {', '.join(names)})")
        text = _render(label_table(corpus, actor=args.actor), args.format)
        if args.out:
            _write(Path(args.out), text)
        else:
            sys.stdout.write(text)
    except CorpusError as err:
        for path, problem in err.problems:
            print(f"error: {path}: {problem}" if path not in (None, "None") else f"error: {problem}", file=sys.stderr)
        return 2
    return 0


def _render(table, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(table.to_dict(orient="records"), ensure_ascii=False, indent=1) + "\n"
    return safe_text_columns(table).to_csv(index=False, lineterminator="\n")


def _check_out(path: Path, corpus) -> None:
    """--out must not be inside the corpus folder, and its folder must exist (checked before the work)."""
    try:
        path.resolve().relative_to(Path(corpus).resolve())
        raise CorpusError(path, "--out is inside the corpus folder being read; choose a path outside it")
    except ValueError:
        pass
    if not path.parent.is_dir():
        raise CorpusError(path, "the folder for --out does not exist")


def _write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a .part file, renamed when complete."""
    tmp = path.with_name(path.name + ".part")
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    except OSError as err:
        tmp.unlink(missing_ok=True)
        raise CorpusError(path, f"cannot be written: {err.strerror or err}") from None
