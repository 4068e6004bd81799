"""Command line: ``python -m analysis {metrics,annotate,clean} CORPUS`` and ``python -m analysis validate``.

User errors (a bad corpus, a bad option) print one line per problem on stderr
and exit with status 2; no traceback. Progress goes to stderr, results to stdout
or ``--out``, so results can be piped.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analysis.annotate import annotate_corpus, annotate_jsonl
from analysis.command_io import check_out, load, progress_stream, write, write_with
from analysis.errors import CorpusError
from analysis.export import write_annotations_parquet, write_xlsx
from analysis.measures.registry import command_modules, measure_names
from analysis.measures.registry import select as select_measures
from analysis.parallel import default_jobs
from analysis.pipeline.clean import format_log
from analysis.table import (metrics_table, table_rows, write_metrics_csv, write_metrics_json,
                            write_metrics_parquet, write_metrics_wide)


XLSX_MAX_ROWS = 1_048_576  # rows of a worksheet (Excel's limit)


def _needs_out(args) -> None:
    if args.format in ("parquet", "xlsx") and not args.out:
        raise CorpusError(None, f"--format {args.format} writes a binary file: give --out FILE")


def cmd_metrics(args) -> int:
    _needs_out(args)
    _check_counts(args)
    corpus = load(args, lazy=True)
    options = dict(progress=progress_stream(args, corpus), jobs=args.jobs, engine=args.engine,
                   scheduler=args.scheduler, counts=args.counts, measures=args.measures)
    text_writers = {"csv": write_metrics_csv, "json": write_metrics_json, "wide": write_metrics_wide}
    if args.format in text_writers:  # written as the articles come, not built first
        write_with(lambda fh: text_writers[args.format](corpus, fh, **options), args.out)
        return 0
    if args.format == "parquet":  # in row groups as the outlets come
        write_with(lambda fh: write_metrics_parquet(corpus, fh, **options), args.out, binary=True)
        return 0
    rows = table_rows(corpus, args.measures)  # --format xlsx: the workbook is built whole; refused at once if too long
    if rows + 1 > XLSX_MAX_ROWS:
        raise CorpusError(None, f"--format xlsx: the table would have {rows:,} rows, more than a worksheet holds "
                                f"({XLSX_MAX_ROWS:,} with the header): use --format csv, parquet or wide")
    table = metrics_table(corpus, **options)
    write_with(lambda fh: write_xlsx(table, fh), args.out, binary=True)
    return 0


def _check_counts(args) -> None:
    """--counts: only with the Dask engine, a new or empty folder outside the corpus."""
    if args.counts is None:
        return
    if args.engine != "dask":
        raise CorpusError(None, "--counts is where the Dask engine writes its per-article counts: "
                                "add --engine dask")
    folder = Path(args.counts)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise CorpusError(args.counts, "--counts must be a new or empty folder")
    if folder.resolve().is_relative_to(Path(args.corpus).resolve()):
        raise CorpusError(args.counts, "--counts is inside the corpus folder being read; the corpus is "
                                       "never written: choose a folder outside it")


def cmd_annotate(args) -> int:
    """One record per sentence, written as the articles are annotated (nothing held back to the end)."""
    _needs_out(args)
    corpus = load(args, lazy=True)
    if args.format == "parquet":
        records = annotate_corpus(corpus, jobs=args.jobs, progress=progress_stream(args, corpus),
                                  measures=args.measures)
        write_with(lambda fh: write_annotations_parquet(records, fh), args.out, binary=True)
        return 0
    lines = annotate_jsonl(corpus, jobs=args.jobs, progress=progress_stream(args, corpus), measures=args.measures)
    write_with(lambda fh: fh.writelines(lines), args.out)
    return 0


def cmd_report(args) -> int:
    """One self-contained HTML page: corpus, figures with captions, tables, evidence."""
    from analysis.report.html import build_report  # matplotlib: imported only by the command that draws

    corpus = load(args, lazy=True)  # the articles are read as the passes reach them: memory flat
    write(build_report(corpus, jobs=args.jobs, progress=progress_stream(args, corpus)), args.out)
    return 0


def cmd_clean(args) -> int:
    corpus = load(args)
    out = []
    for art in corpus.articles:
        n_par = len(art.paragraphs)
        n_sent = sum(len(p.sentences) for p in art.paragraphs)
        out.append(f"== {art.id} ({art.outlet}) {art.file.name}: {n_par} paragraphs, {n_sent} sentences kept; "
                   f"{len(art.log)} lines logged")
        meta = {k: v for k, v in art.meta.items() if k in ("title", "dek", "date") and v}
        for key, value in meta.items():
            out.append(f"  {key}: {value}")
        if art.log:
            out.append(format_log(art.log))
        out.append("")
    write("\n".join(out), args.out)
    return 0


def cmd_validate(args) -> int:
    from analysis.validation.validate import main as validate_main  # validation code: only this command uses it

    return validate_main(args.external, write=not args.no_write, measures=args.measure)


def _jobs(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--jobs takes a whole number, not {value!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError("--jobs must be at least 1")
    return n


def _measures(value: str) -> tuple[str, ...]:
    """--measures: names separated by commas, each a registered measure."""
    names = tuple(n.strip() for n in value.split(",") if n.strip())
    if not names:
        raise argparse.ArgumentTypeError(f"name one measure or more, separated by commas: {', '.join(measure_names())}")
    try:
        select_measures(names)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None
    return names


def _prog() -> str:
    """``framing`` when run as the installed command, ``python -m analysis`` otherwise."""
    return "framing" if Path(sys.argv[0]).name == "framing" else "python -m analysis"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=_prog(),
                                     description="Compare how news outlets frame the same event.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("metrics", help="tidy per-outlet metrics table")
    p.add_argument("corpus", help="corpus folder (with manifest.csv and actors.yaml)")
    p.add_argument("--format", choices=("csv", "json", "parquet", "wide", "xlsx"), default="csv",
                   help="csv (default), json, parquet (needs --out), wide (CSV, one row per outlet and "
                        "article, one column per metric and target), xlsx (both tables; needs --out)")
    p.add_argument("--out", help="write to this file instead of standard output")
    p.add_argument("--force", action="store_true", help="replace an existing --out file that is not a previous output")
    p.add_argument("--jobs", type=_jobs, default=None,
                   help="processes that read, annotate and resample articles (default: all cores); "
                        "the output is the same")
    p.add_argument("--quiet", action="store_true", help="no progress on standard error")
    p.add_argument("--engine", choices=("local", "dask"), default="local",
                   help="local processes (default) or a Dask cluster (the dask extra; same output)")
    p.add_argument("--scheduler", help="with --engine dask: the scheduler's address, e.g. tcp://host:8786 "
                                       "(default: a local cluster of --jobs processes)")
    p.add_argument("--counts", help="with --engine dask: the folder (new or empty, reachable by every worker) "
                                    "where the per-article counts are written as partitioned Parquet "
                                    "(default: a temporary folder, removed at the end)")
    p.add_argument("--measures", type=_measures, default=None, metavar="NAMES",
                   help="only these measures, separated by commas, e.g. hedging,sentiment (default: all; "
                        "structure, the articles' sizes, is always there); their rows are the same as in the "
                        "whole table, and the others are not computed")
    p.set_defaults(func=cmd_metrics)
    p = sub.add_parser("annotate", help="one JSON object per cleaned sentence")
    p.add_argument("corpus")
    p.add_argument("--format", choices=("jsonl", "parquet"), default="jsonl",
                   help="jsonl (default) or parquet (needs --out)")
    p.add_argument("--out")
    p.add_argument("--force", action="store_true")
    p.add_argument("--jobs", type=_jobs, default=None, help="processes (default: all cores)")
    p.add_argument("--quiet", action="store_true", help="no progress on standard error")
    p.add_argument("--measures", type=_measures, default=None, metavar="NAMES",
                   help="only these measures' fields, separated by commas, e.g. hedging,context (default: all)")
    p.set_defaults(func=cmd_annotate)
    p = sub.add_parser("report", help="one self-contained HTML page: figures, tables and the evidence behind them")
    p.add_argument("corpus")
    p.add_argument("--out", help="the HTML file to write (default: standard output)")
    p.add_argument("--force", action="store_true")
    p.add_argument("--jobs", type=_jobs, default=None, help="processes (default: all cores); the page is the same")
    p.add_argument("--quiet", action="store_true", help="no progress on standard error")
    p.set_defaults(func=cmd_report)
    p = sub.add_parser("clean", help="show every line cleaning dropped or changed, and the rule")
    p.add_argument("corpus")
    p.add_argument("--out")
    p.add_argument("--force", action="store_true")
    p.add_argument("--quiet", action="store_true", help="no progress on standard error")
    p.set_defaults(func=cmd_clean)
    p = sub.add_parser("validate", help="score every measure on external human labels beside naive baselines")
    p.add_argument("--external", help="folder of the external data (default ../shared/external-gold)")
    p.add_argument("--measure", action="append", choices=("sentiment", "hedging", "context"),
                   help="only this measure (repeatable); docs/validation.md is then not rewritten")
    p.add_argument("--no-write", action="store_true", help="print the figures only; leave docs/ as it is")
    p.set_defaults(func=cmd_validate)
    for module in command_modules():  # the measures' own verbs (words, kwic, ...)
        module.add_parser(sub)
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    if hasattr(args, "jobs") and args.jobs is None:
        args.jobs = default_jobs()
    try:
        check_out(args)
        return args.func(args)
    except CorpusError as err:
        for path, problem in err.problems:
            print(f"error: {path}: {problem}" if path != "None" else f"error: {problem}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # e.g. piped into `head`
        try:
            sys.stdout = None
        finally:
            return 0
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


def console() -> None:
    """The command: ``python -m analysis ...`` and, installed, ``framing metrics|annotate|clean|validate ...``."""
    from analysis.parallel import roomy_heap

    roomy_heap()  # the command's process only (speed)
    sys.exit(main())
