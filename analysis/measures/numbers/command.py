"""The ``numbers`` command: which outlet gives which figure for what (``align_numbers``).

    python -m analysis numbers CORPUS [--format csv|json] [--out FILE]
"""
from __future__ import annotations

from analysis.command_io import add_table_output, load, write_table
from analysis.measures.numbers import ALIGN_COLUMNS, align_numbers


def add_parser(subparsers):
    p = subparsers.add_parser("numbers", help="claims and numbers: which outlet gives which figure for what")
    p.add_argument("corpus", help="corpus folder (manifest.csv, actors.yaml, article files)")
    add_table_output(p, "numbers", ALIGN_COLUMNS)
    p.set_defaults(func=run)
    return p


def run(args) -> int:
    """Align the corpus's numbers across outlets and write the table."""
    write_table(align_numbers(load(args, lazy=True)), args.format, args.out)
    return 0
