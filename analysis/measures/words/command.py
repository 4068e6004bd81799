"""The command-line verbs ``words`` and ``kwic``.

    python -m analysis words CORPUS [--ngram 1|2] [--top N] [--min-count K] [--format csv|json] [--out FILE]
    python -m analysis kwic CORPUS WORD [--window N] [--format csv|json] [--out FILE]
"""
from __future__ import annotations

import sys

from analysis.command_io import add_table_output, load, whole_number, write_table
from analysis.errors import CorpusError
from analysis.measures.words import COLUMNS, KWIC_COLUMNS, MIN_COUNT, TOP, WINDOW, distinctive_words, kwic


def cmd_words(args) -> int:
    """Each outlet's most distinctive words (or two-word phrases) against the other outlets."""
    corpus = load(args, lazy=True)
    if len(corpus.outlets) < 2:
        print(f"warning: {args.corpus}: one outlet only: distinctive words compare outlets, the table is empty",
              file=sys.stderr)
    write_table(distinctive_words(corpus, ngram=args.ngram, top=args.top or None, min_count=args.min_count),
                args.format, args.out)
    return 0


def cmd_kwic(args) -> int:
    """Every use of a word or phrase, with its context and offsets, outlet by outlet."""
    corpus = load(args, lazy=True)
    try:
        table = kwic(corpus, args.word, window=args.window)
    except ValueError as err:
        raise CorpusError(None, str(err)) from None
    write_table(table, args.format, args.out)
    return 0


def add_parser(subparsers) -> None:
    """Add the ``words`` and ``kwic`` verbs to ``subparsers`` (argparse)."""
    p = subparsers.add_parser("words", help="each outlet's distinctive words against the others (weighted log-odds)")
    p.add_argument("corpus", help="corpus folder (with manifest.csv and actors.yaml)")
    p.add_argument("--ngram", type=int, choices=(1, 2), default=1, help="1: words (default), 2: two-word phrases")
    p.add_argument("--top", type=whole_number(0), default=TOP,
                   help=f"terms per outlet, highest z first (default {TOP}; 0: every scored term, any z)")
    p.add_argument("--min-count", type=whole_number(1), default=MIN_COUNT,
                   help=f"score a term only if the corpus uses it this often (default {MIN_COUNT})")
    add_table_output(p, "words", COLUMNS)
    p.set_defaults(func=cmd_words)
    p = subparsers.add_parser("kwic", help="every use of a word or phrase in context, with offsets into the body")
    p.add_argument("corpus", help="corpus folder (with manifest.csv and actors.yaml)")
    p.add_argument("word", help="a word or phrase; case does not matter, whole words only")
    p.add_argument("--window", type=whole_number(0), default=WINDOW,
                   help=f"words of context either side (default {WINDOW})")
    add_table_output(p, "kwic", KWIC_COLUMNS)
    p.set_defaults(func=cmd_kwic)
