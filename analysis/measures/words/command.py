"""The command-line verbs ``words`` and ``kwic``.

    python -m analysis words CORPUS [--ngram 1|2] [--top N] [--min-count K] [--format csv|json] [--out FILE]
    python -m analysis kwic CORPUS WORD [--window N] [--format csv|json] [--out FILE]

``add_parser(subparsers)`` adds both to the ``analysis`` command line; each verb's
function takes the parsed arguments and returns the exit code. A bad corpus raises
``CorpusError``, which the command line prints as one line per problem.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import warnings
from pathlib import Path

from analysis.errors import CorpusError
from analysis.export import safe_text_columns
from analysis.measures.words import MIN_COUNT, TOP, WINDOW, distinctive_words, kwic
from analysis.pipeline.corpus import AliasWarning, open_corpus


def cmd_words(args) -> int:
    """Each outlet's most distinctive words (or two-word phrases) against the other outlets."""
    corpus = _open(args.corpus)
    if len(corpus.outlets) < 2:
        print(f"warning: {args.corpus}: one outlet only: distinctive words compare outlets, the table is empty",
              file=sys.stderr)
    table = distinctive_words(corpus, ngram=args.ngram, top=args.top or None, min_count=args.min_count)
    _write(table, args.format, args.out)
    return 0


def cmd_kwic(args) -> int:
    """Every use of a word or phrase, with its context and offsets, outlet by outlet."""
    corpus = _open(args.corpus)
    try:
        table = kwic(corpus, args.word, window=args.window)
    except ValueError as err:
        raise CorpusError(None, str(err)) from None
    _write(table, args.format, args.out)
    return 0


def _open(path):
    """The corpus at ``path``, its articles read as the pass reaches them; its warnings printed
    as one line each."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AliasWarning)  # printed below, one plain line each
        corpus = open_corpus(path)
    for where, message in corpus.warnings:
        print(f"warning: {where}: {message}", file=sys.stderr)
    return corpus


def _write(table, fmt: str, out: str | None) -> None:
    """``table`` as CSV (text cells neutralised for spreadsheets) or a JSON array, to ``out``
    (through ``out.part``, renamed when complete) or standard output."""
    if fmt == "csv":
        text = safe_text_columns(table).to_csv(index=False, lineterminator="\n", float_format="%.6g")
    else:
        records = [{k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in rec.items()}
                   for rec in table.to_dict(orient="records")]
        text = json.dumps(records, ensure_ascii=False, indent=1) + "\n"
    if not out:
        sys.stdout.write(text)
        return
    path = Path(out)
    tmp = path.with_name(path.name + ".part")
    try:
        tmp.write_text(text, encoding="utf-8", newline="")
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _at_least(minimum: int):
    def parse(value: str) -> int:
        try:
            n = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"takes a whole number, not {value!r}") from None
        if n < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}")
        return n
    return parse


def add_parser(subparsers) -> None:
    """Add the ``words`` and ``kwic`` verbs to ``subparsers`` (argparse)."""
    p = subparsers.add_parser("words", help="each outlet's distinctive words against the others (weighted log-odds)")
    p.add_argument("corpus", help="corpus folder (with manifest.csv and actors.yaml)")
    p.add_argument("--ngram", type=int, choices=(1, 2), default=1, help="1: words (default), 2: two-word phrases")
    p.add_argument("--top", type=_at_least(0), default=TOP,
                   help=f"terms per outlet, highest z first (default {TOP}; 0: every scored term, any z)")
    p.add_argument("--min-count", type=_at_least(1), default=MIN_COUNT,
                   help=f"score a term only if the corpus uses it this often (default {MIN_COUNT})")
    p.add_argument("--format", choices=("csv", "json"), default="csv", help="csv (default) or json")
    p.add_argument("--out", help="write to this file instead of standard output")
    p.add_argument("--force", action="store_true", help="replace an existing --out file that is not a previous output")
    p.set_defaults(func=cmd_words)
    p = subparsers.add_parser("kwic", help="every use of a word or phrase in context, with offsets into the body")
    p.add_argument("corpus", help="corpus folder (with manifest.csv and actors.yaml)")
    p.add_argument("word", help="a word or phrase; case does not matter, whole words only")
    p.add_argument("--window", type=_at_least(0), default=WINDOW, help=f"words of context either side (default {WINDOW})")
    p.add_argument("--format", choices=("csv", "json"), default="csv", help="csv (default) or json")
    p.add_argument("--out", help="write to this file instead of standard output")
    p.add_argument("--force", action="store_true", help="replace an existing --out file that is not a previous output")
    p.set_defaults(func=cmd_kwic)
