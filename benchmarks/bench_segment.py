"""Benchmark: analysis.pipeline.segment.segment() on a synthetic one-million-word article.

Builds the text by sampling (fixed seed) the paragraphs of the bundled corpus's
article files, split on blank lines (no cleaning), joined with blank lines until
they hold 1,000,000 words, then times segment() three times on one core and
prints the best run in words per second. Not a test: timings vary with the
machine. Run: .venv/bin/python benchmarks/bench_segment.py
"""
from __future__ import annotations

import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.pipeline.segment import segment  # noqa: E402

CORPUS = ROOT / "data" / "iran-israel-2024-04"
TARGET_WORDS = 1_000_000
SEED = 7
RUNS = 3


def build_text() -> tuple[str, int]:
    paragraphs = []
    for f in sorted(CORPUS.glob("*.txt")):
        text = f.read_text(encoding="utf-8")
        paragraphs += [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
    rng = random.Random(SEED)
    chosen, words = [], 0
    while words < TARGET_WORDS:
        p = rng.choice(paragraphs)
        chosen.append(p)
        words += len(p.split())
    return "\n\n".join(chosen), words


def main() -> None:
    body, words = build_text()
    best = float("inf")
    for _ in range(RUNS):
        t0 = time.perf_counter()
        paragraphs, quotes = segment(body)
        best = min(best, time.perf_counter() - t0)
    n_sent = sum(len(p.sentences) for p in paragraphs)
    print(f"segment(): {words:,} words, {len(paragraphs):,} paragraphs, {n_sent:,} sentences, "
          f"{len(quotes):,} quotes in {best:.2f} s (best of {RUNS}) = {words / best:,.0f} words/s")


if __name__ == "__main__":
    main()
