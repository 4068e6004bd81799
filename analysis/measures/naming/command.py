"""The ``labels`` command: how each outlet names each actor (``label_table``).

    python -m analysis labels CORPUS [--actor NAME] [--format csv|json] [--out FILE]
"""
from __future__ import annotations

from pathlib import Path

from analysis.command_io import add_table_output, load, write_table
from analysis.errors import CorpusError
from analysis.measures.naming import TABLE_COLUMNS, label_table


def add_parser(subparsers):
    p = subparsers.add_parser("labels", help="naming and labels: how each outlet names each actor, loaded terms flagged")
    p.add_argument("corpus", help="corpus folder (manifest.csv, actors.yaml, article files)")
    p.add_argument("--actor", help="only this actor (a name of the actors file)")
    add_table_output(p, "labels", TABLE_COLUMNS)
    p.set_defaults(func=run)
    return p


def run(args) -> int:
    """Write the corpus's label table (one actor's with --actor)."""
    corpus = load(args, lazy=True)
    names = [a.name for a in corpus.actors]
    if args.actor is not None and args.actor not in names:
        raise CorpusError(Path(args.corpus) / "actors.yaml",
                          f"no actor {args.actor!r} (the actors are: {', '.join(names)})")
    write_table(label_table(corpus, actor=args.actor), args.format, args.out)
    return 0
