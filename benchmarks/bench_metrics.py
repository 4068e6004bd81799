"""Benchmark: the ``metrics`` command as shipped, beside the naive approach, as whole processes.

Run with ``make bench`` (``ARTICLES=300,3000`` for other sizes). Builds a
temporary corpus of N articles of about 600 words each by sampling cleaned
paragraphs of the bundled corpus (fixed seed), then times, as separate
processes started the way a user starts them (no environment variables set,
no CPU pinning):

  framing   python -m analysis metrics FOLDER --out FILE
            (load, clean, segment, every measure, bootstrap intervals, CSV)
  naive     python benchmarks/naive.py FOLDER
            (textstat's five formulas per article, VADER per sentence, one regex)
  bound     python benchmarks/lower_bound.py FOLDER
            (read, tokenise, VADER on every sentence naming an actor: a lower
            bound for any tool that gives sentiment toward actors)

After one warm-up run of each, the three take turns REPEATS times, so that a
slow spell of a shared machine hits all; each turn gives the ratios framing /
naive and framing / bound, and the median ratios are reported with words/s and
each process's peak memory (maximum resident set size of the process and its
workers).

``--real FOLDER`` times the same three on a folder of real articles instead
(plain text, one article per ``.txt`` file: a first line and a blank line are
taken as the headline and dropped; outlets from a ``metadata.csv`` beside the
folder with ``file`` and ``outlet`` columns, when there is one), with ten
actors that news of any subject often names (REAL_ACTORS). It answers whether
the built corpora, which repeat the bundled paragraphs, flatter either tool.
The articles are copied into a temporary folder and nothing is kept.

Not a test: timings vary with the machine. Read the ratio, not the seconds.
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TARGET_WORDS = 600
SEED = 7
REPEATS = 3


def build_corpus(folder: Path, n_articles: int) -> int:
    """``n_articles`` articles in ``folder`` (ten outlets); returns the word count."""
    from analysis import load_corpus
    from analysis.paths import BUNDLED_CORPUS

    bundled = load_corpus(BUNDLED_CORPUS)
    paragraphs = [a.text(p) for a in bundled.articles for p in a.paragraphs]
    rng = random.Random(SEED)
    rows = ["id,outlet,file"]
    total = 0
    for i in range(n_articles):
        chosen, words = [], 0
        while words < TARGET_WORDS:
            p = rng.choice(paragraphs)
            chosen.append(p)
            words += len(p.split())
        total += words
        name = f"a{i:05d}.txt"
        (folder / name).write_text("\n\n".join(chosen) + "\n", encoding="utf-8")
        rows.append(f"a{i:05d},Outlet {i % 10},{name}")
    (folder / "manifest.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    shutil.copy(BUNDLED_CORPUS / "actors.yaml", folder / "actors.yaml")
    return total


REAL_ACTORS = """\
event: {name: Articles of many events, date: 2018-06-01}
actors:
  United States:
    kind: country
    aliases: [United States, U.S., US, America, Washington]
    demonyms: [American, Americans]
  China:
    kind: country
    aliases: [China, Beijing]
    demonyms: [Chinese]
  Trump:
    kind: person
    aliases: [Donald Trump, President Donald Trump, President Trump, Trump]
  Russia:
    kind: country
    aliases: [Russia, Moscow, Kremlin]
    demonyms: [Russian, Russians]
  Putin:
    kind: person
    aliases: [Vladimir Putin, President Vladimir Putin, Putin]
  Mexico:
    kind: country
    aliases: [Mexico]
    demonyms: [Mexican, Mexicans]
  Iran:
    kind: country
    aliases: [Iran, Tehran]
    demonyms: [Iranian, Iranians]
  North Korea:
    kind: country
    aliases: [North Korea, Pyongyang]
    demonyms: [North Korean, North Koreans]
  European Union:
    kind: organisation
    aliases: [European Union, EU, Brussels]
  Israel:
    kind: country
    aliases: [Israel]
    demonyms: [Israeli, Israelis]
"""


def copy_real_corpus(source: Path, folder: Path) -> tuple[int, int]:
    """The ``.txt`` articles of ``source`` as a corpus in ``folder``; returns (articles, words)."""
    import csv

    outlets = {}
    meta = source.parent / "metadata.csv"
    if meta.is_file():
        with meta.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                if row.get("file") and row.get("outlet"):
                    outlets[Path(row["file"]).name] = row["outlet"]
    rows = ["id,outlet,file"]
    total = 0
    files = sorted(source.glob("*.txt"))
    if not files:
        raise SystemExit(f"bench: {source}: no .txt articles")
    for i, path in enumerate(files):
        text = path.read_text(encoding="utf-8")
        head, sep, body = text.partition("\n\n")
        if sep and "\n" not in head.strip():  # a one-line headline, then a blank line
            text = body
        total += len(text.split())
        name = f"r{i:05d}.txt"
        (folder / name).write_text(text, encoding="utf-8")
        outlet = outlets.get(path.name, f"Outlet {i % 10}").replace(",", " ")
        rows.append(f"r{i:05d},{outlet},{name}")
    (folder / "manifest.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (folder / "actors.yaml").write_text(REAL_ACTORS, encoding="utf-8")
    return len(files), total


def timed(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MB) of one process run to its end."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"bench: {' '.join(cmd)} exited with {proc.returncode}")
    return wall, usage.ru_maxrss / 1024


def bench(n_articles: int, real: Path | None = None, measures: str | None = None) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        if real is None:
            words = build_corpus(folder, n_articles)
        else:
            n_articles, words = copy_real_corpus(real, folder)
        framing = [sys.executable, "-m", "analysis", "metrics", str(folder), "--out", str(Path(tmp) / "m.csv")]
        if measures:
            framing += ["--measures", measures]
        naive = [sys.executable, str(ROOT / "benchmarks" / "naive.py"), str(folder)]
        bound = [sys.executable, str(ROOT / "benchmarks" / "lower_bound.py"), str(folder)]
        timed(naive), timed(bound), timed(framing)  # warm-up: file caches, compiled bytecode
        runs = []
        for r in range(REPEATS):
            n, b, f = timed(naive), timed(bound), timed(framing)
            runs.append((f, n, b))
            print(f"  {n_articles} articles, run {r + 1}: framing {f[0]:.2f} s ({f[1]:.0f} MB), "
                  f"naive {n[0]:.2f} s ({n[1]:.0f} MB), bound {b[0]:.2f} s, "
                  f"ratios {f[0] / n[0]:.2f} / {f[0] / b[0]:.2f}", flush=True)
        mid = REPEATS // 2

        def median(xs):
            return sorted(xs)[mid]

        return {"articles": n_articles, "words": words,
                "ratio": median(f[0] / n[0] for f, n, _ in runs), "ratio_bound": median(f[0] / b[0] for f, _, b in runs),
                "framing_wps": words / median(f[0] for f, _, _ in runs),
                "naive_wps": words / median(n[0] for _, n, _ in runs),
                "bound_wps": words / median(b[0] for _, _, b in runs),
                "framing_mb": max(f[1] for f, _, _ in runs), "naive_mb": max(n[1] for _, n, _ in runs)}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", default="300,3000",
                        help="comma-separated corpus sizes (default 300,3000; add 10000 for the largest)")
    parser.add_argument("--real", type=Path, default=None,
                        help="a folder of real .txt articles to time instead of the built corpora")
    parser.add_argument("--measures", default=None,
                        help="time `metrics --measures NAMES` instead of every measure (e.g. "
                             "hedging,context,readability,sentiment)")
    args = parser.parse_args(argv)
    if args.real is not None:
        if not args.real.is_dir():
            raise SystemExit(f"bench: {args.real}: not a folder")
        rows = [bench(0, args.real, args.measures)]
    else:
        rows = [bench(int(n), measures=args.measures) for n in args.articles.split(",")]
    if args.measures:
        print(f"framing = metrics --measures {args.measures}")
    print("| articles | words | framing words/s | naive words/s | bound words/s | time framing / naive "
          "| time framing / bound | peak MB framing | peak MB naive |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['articles']:,} | {r['words']:,} | {r['framing_wps']:,.0f} | {r['naive_wps']:,.0f} | "
              f"{r['bound_wps']:,.0f} | {r['ratio']:.2f} | {r['ratio_bound']:.2f} | {r['framing_mb']:.0f} | "
              f"{r['naive_mb']:.0f} |")
    print("Time ratios are medians of paired runs; below 1 the metrics command is the faster.")


if __name__ == "__main__":
    main()
