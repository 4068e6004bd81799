"""What every command shares: opening a corpus with its warnings, progress, and writing output.

Output is written atomically (through ``FILE.part``, renamed when complete),
never into the corpus folder being read, and an existing file is replaced only
when it is a previous output of the same command (``--force`` otherwise).
Tables go out as CSV with spreadsheet-safe text cells, or as JSON.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import warnings
from pathlib import Path

from analysis.errors import CorpusError
from analysis.export import safe_text_columns, write_csv
from analysis.pipeline.corpus import AliasWarning, load_corpus, open_corpus

PROGRESS_MIN_ARTICLES = 20  # below this, loading is instant and progress is noise


def _progress(stream):
    def report(i, n, article_id):
        if n >= PROGRESS_MIN_ARTICLES and (i % max(1, n // 20) == 0 or i == n - 1):
            print(f"  cleaning and segmenting {i + 1}/{n} ({article_id})", file=stream, flush=True)
    return report


def load(args, *, lazy: bool = False):
    """The corpus of ``args``; print its warnings as one line each.

    ``lazy``: the articles are read when the pass reaches them (``open_corpus``:
    memory stays flat however large the corpus); otherwise all are loaded now,
    with progress lines.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AliasWarning)  # printed below, one plain line each
        if lazy:
            corpus = open_corpus(args.corpus)
        else:
            corpus = load_corpus(args.corpus, progress=None if _quiet(args) else _progress(sys.stderr))
    for path, message in corpus.warnings:
        print(f"warning: {path}: {message}", file=sys.stderr)
    return corpus


def _quiet(args) -> bool:
    return getattr(args, "quiet", False)


def progress_stream(args, corpus):
    """Where progress goes: standard error, unless --quiet or the corpus is small."""
    if _quiet(args) or len(corpus.articles) < PROGRESS_MIN_ARTICLES:
        return None
    return sys.stderr


# what the first line of a previous output of each command looks like (a command module adds its own)
OUTPUT_SIGNATURES = {
    "metrics": ("outlet,article,metric,target,value", "outlet,article,articles,", "[", "{", "PAR1", "PK"),
    "annotate": ('{"article"', "PAR1"),
    "clean": ("== ",),
    "report": ("<!DOCTYPE html>",),
}


def check_out(args) -> None:
    """Fail before any work is done if --out cannot or must not be written.

    Refused: a path inside the corpus folder being read (the corpus is never
    written), a folder, a path whose folder does not exist or cannot be written,
    and an existing file that is not a previous output of the same command
    (unless --force).
    """
    out = getattr(args, "out", None)
    if not out:
        return
    path = Path(out)
    corpus = getattr(args, "corpus", None)
    if corpus and Path(corpus).is_dir():
        try:
            path.resolve().relative_to(Path(corpus).resolve())
            raise CorpusError(path, "--out is inside the corpus folder being read; the corpus is never "
                                    "written: choose a path outside it")
        except ValueError:
            pass
    if path.is_dir():
        raise CorpusError(path, "--out names a folder; give a file name")
    if not path.parent.is_dir():
        raise CorpusError(path, "the folder for --out does not exist")
    if path.exists() and not getattr(args, "force", False):
        try:
            with open(path, encoding="utf-8", errors="replace") as fh:
                head = fh.read(64)
        except OSError:
            head = ""
        if not head.startswith(OUTPUT_SIGNATURES.get(args.command, ())):
            raise CorpusError(path, f"exists and is not a previous `{args.command}` output; "
                                    "pass --force to replace it")
    tmp = path.with_name(path.name + ".part")
    try:
        tmp.open("w").close()  # can we write there at all? (checked now, not after the work)
        tmp.unlink()
    except OSError as err:
        raise CorpusError(path, f"cannot be written: {err.strerror or err}") from None


def write(text: str, out: str | None) -> None:
    write_with(lambda fh: fh.write(text), out)


def write_with(write, out: str | None, *, binary: bool = False) -> None:
    """``write(file)`` into ``out`` (through ``out.part``, renamed when complete) or standard output.

    On an error or an interrupt the .part file is removed: a previous ``out``
    is left as it was and no half-written result is left behind.
    """
    if out:
        path = Path(out)
        tmp = path.with_name(path.name + ".part")
        try:
            with open(tmp, "wb") if binary else open(tmp, "w", encoding="utf-8", newline="") as fh:
                write(fh)
            tmp.replace(path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    else:
        write(sys.stdout)




def write_table(table, fmt: str, out: str | None) -> None:
    """``table`` (a DataFrame) as CSV (text cells neutralised for spreadsheets, numbers to 6
    significant digits) or as a JSON array of row objects (NaN as null)."""
    if fmt == "csv":
        safe = safe_text_columns(table)
        write_with(lambda fh: write_csv(safe, fh), out)
        return
    records = [{k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in rec.items()}
               for rec in table.to_dict(orient="records")]
    write(json.dumps(records, ensure_ascii=False, indent=1) + "\n", out)


def add_table_output(parser, command: str, columns) -> None:
    """The options of a command that writes a table: ``--format csv|json``, ``--out``, ``--force``;
    and the first line a previous output of ``command`` starts with (its ``columns``), so that
    re-running it may replace its own output file."""
    parser.add_argument("--format", choices=("csv", "json"), default="csv", help="csv (default) or json")
    parser.add_argument("--out", help="write to this file instead of standard output")
    parser.add_argument("--force", action="store_true",
                        help="replace an existing --out file that is not a previous output of this command")
    OUTPUT_SIGNATURES[command] = (",".join(list(columns)[:3]), "[")


def whole_number(minimum: int):
    """An argparse type: a whole number of at least ``minimum``."""
    def parse(value: str) -> int:
        try:
            n = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"takes a whole number, not {value!r}") from None
        if n < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}")
        return n
    return parse
