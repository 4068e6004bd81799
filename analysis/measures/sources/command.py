"""The ``sources`` command: the source ledger (every attribution), or its per-outlet summary.

    python -m analysis sources CORPUS [--summary] [--format csv|json] [--out FILE]
"""
from __future__ import annotations

from analysis.command_io import OUTPUT_SIGNATURES, add_table_output, load, write_table
from analysis.measures.sources import LEDGER_COLUMNS, source_ledger, source_summary


def add_parser(subparsers):
    p = subparsers.add_parser("sources", help="source ledger: every attribution (who says what, how), or per outlet")
    p.add_argument("corpus", help="corpus folder (manifest.csv, actors.yaml, article files)")
    p.add_argument("--summary", action="store_true",
                   help="one row per outlet: distinct sources, anonymous share, quoted-word share, outlets cited")
    add_table_output(p, "sources", LEDGER_COLUMNS)
    OUTPUT_SIGNATURES["sources"] += ("outlet,articles,attributions",)  # a previous --summary
    p.set_defaults(func=run)
    return p


def run(args) -> int:
    """Write the ledger (or its per-outlet summary)."""
    corpus = load(args, lazy=True)
    write_table(source_summary(corpus) if args.summary else source_ledger(corpus), args.format, args.out)
    return 0
