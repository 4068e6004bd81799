"""Benchmark: the whole metrics table on 1,000 synthetic articles, beside a naive approach.

Run with ``make bench``. Builds a temporary corpus of 1,000 articles of about
600 words each by sampling cleaned paragraphs of the bundled corpus (fixed
seed), then times, in the same process and on one core:

  framing   load_corpus (decode, clean, segment) + metrics_table (hedges,
            actor mentions and targeted sentiment, paragraph roles,
            readability, bootstrap intervals for every rate and share)
  naive     what a notebook author would write: textstat's five formulas on each
            raw article, VADER on each sentence (regex split), one hedge regex

Prints words per second for both. Not a test: timings vary with the machine.
"""
from __future__ import annotations

import os

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(var, "1")  # one core, as the target says

import random  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis import load_corpus, metrics_table  # noqa: E402

N_ARTICLES = 1000
TARGET_WORDS = 600
SEED = 7


def build_corpus(folder: Path) -> int:
    bundled = load_corpus(ROOT / "data" / "iran-israel-2024-04")
    paragraphs = [a.text(p) for a in bundled.articles for p in a.paragraphs]
    rng = random.Random(SEED)
    rows = ["id,outlet,file"]
    total = 0
    for i in range(N_ARTICLES):
        chosen, words = [], 0
        while words < TARGET_WORDS:
            p = rng.choice(paragraphs)
            chosen.append(p)
            words += len(p.split())
        total += words
        name = f"a{i:04d}.txt"
        (folder / name).write_text("\n\n".join(chosen) + "\n", encoding="utf-8")
        rows.append(f"a{i:04d},Outlet {i % 10},{name}")
    (folder / "manifest.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    shutil.copy(ROOT / "data" / "iran-israel-2024-04" / "actors.yaml", folder / "actors.yaml")
    return total


HEDGE_RE = re.compile(r"\b(may|might|could|reportedly|allegedly|according to|about|nearly|some|appears?|"
                      r"seems?|suggests?|likely|possibly|unclear|believes?)\b", re.I)
SENT_RE = re.compile(r"(?<=[.!?])\s+")


def naive(folder: Path) -> None:
    import textstat
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from analysis.readability import use_offline_cmudict

    use_offline_cmudict()
    vader = SentimentIntensityAnalyzer()
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        (textstat.flesch_reading_ease(text), textstat.flesch_kincaid_grade(text), textstat.gunning_fog(text),
         textstat.smog_index(text), textstat.dale_chall_readability_score(text))
        [vader.polarity_scores(s)["compound"] for s in SENT_RE.split(text)]
        len(HEDGE_RE.findall(text))


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        words = build_corpus(folder)
        print(f"corpus: {N_ARTICLES} articles, {words} words (about {words // N_ARTICLES} per article)")
        naive(folder)  # warm caches (dictionaries, lexicons) for a fair comparison
        t0 = time.perf_counter()
        naive(folder)
        t_naive = time.perf_counter() - t0
        load_corpus(folder)  # warm-up
        t0 = time.perf_counter()
        corpus = load_corpus(folder)
        t_load = time.perf_counter() - t0
        t0 = time.perf_counter()
        table = metrics_table(corpus)
        t_table = time.perf_counter() - t0
        total = t_load + t_table
        print(f"framing: load+clean+segment {t_load:.2f} s, metrics table {t_table:.2f} s "
              f"({len(table)} rows), total {total:.2f} s = {words / total:,.0f} words/s")
        print(f"naive:   {t_naive:.2f} s = {words / t_naive:,.0f} words/s")
        print(f"target:  50,000 words/s; framing is {t_naive / total:.1f}x the naive speed")


if __name__ == "__main__":
    main()
