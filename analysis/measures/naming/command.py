"""The ``labels`` command: how each outlet names each actor (``label_table``).

    python -m analysis labels CORPUS [--actor NAME] [--format csv|json] [--out FILE]

``add_parser(subparsers)`` adds the sub-command; ``run(args)`` returns the exit code. A bad
corpus or an unknown actor raises ``CorpusError``, which the command line prints as one line
per problem (exit 2); --out is checked by the command line before the work (command_io.check_out).
"""
from __future__ import annotations

from pathlib import Path

from analysis.command_io import OUTPUT_SIGNATURES, load, write_table
from analysis.errors import CorpusError
from analysis.measures.naming import TABLE_COLUMNS, label_table

# what a previous output of this command starts with (an existing --out may be replaced by it)
OUTPUT_SIGNATURES["labels"] = (",".join(TABLE_COLUMNS[:3]), "[")


def add_parser(subparsers):
    p = subparsers.add_parser("labels", help="naming and labels: how each outlet names each actor, loaded terms flagged")
    p.add_argument("corpus", help="corpus folder (manifest.csv, actors.yaml, article files)")
    p.add_argument("--actor", help="only this actor (a name of the actors file)")
    p.add_argument("--format", choices=("csv", "json"), default="csv")
    p.add_argument("--out", help="write to this file instead of standard output")
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
