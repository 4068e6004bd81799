"""Scaling benchmark: time per character stays flat as one article, or one sentence, grows.

Run with ``make bench-scaling`` (or ``python benchmarks/bench_scaling.py quotes`` for some
of the cases: article, sentence, quotes). Builds one article of realistic news text
(paragraphs of the bundled corpus drawn at random) at 10 kB, 100 kB, 1 MB and
2 MB, and one run-on sentence (names, dashes and words without a full stop) at
the same sizes; and one article of 2,000, 4,000, 8,000 and 16,000 quoted paragraphs
(an attributed quotation, then a sentence of the bundled corpus without quotation marks),
where every quotation is looked up among the attributions found before it. Times
``python -m analysis metrics`` on each as a whole
process, and prints seconds and peak memory per size and the time per
character relative to the smallest size. A stage that grew with the square of
the length would cost twice as much per character at the largest size as at the one
before; the check fails (exit 1) when that ratio passes ``MAX_RATIO`` (below 1 MB the
process's start-up, about a second, dominates). The ratio is asserted, not a duration,
and it is a benchmark, not a unit test.
"""
from __future__ import annotations

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

SIZES = (10_000, 100_000, 1_000_000, 2_000_000)
QUOTED_PARAGRAPHS = (2_000, 4_000, 8_000, 16_000)
QUOTED = ("“We will respond,” the minister said.", "“The talks are over,” a senior official told Reuters.",
          "The spokesman said: “Nobody will leave.”", "“It was a mistake,” said Mayor Anna Berg.")
KINDS = ("article", "sentence", "quotes")
MAX_RATIO = 1.5  # time per character at 2 MB against 1 MB: 1 when linear, 2 when quadratic


def _fill(n_chars: int, rng: random.Random, pieces, sep: str) -> str:
    """Pieces drawn at random, joined by ``sep``, until the text holds at least ``n_chars`` characters."""
    out, size = [], 0
    while size < n_chars:
        p = rng.choice(pieces)
        out.append(p)
        size += len(p) + len(sep)
    return sep.join(out) + "\n"


def article(n_chars: int, rng: random.Random, paragraphs) -> str:
    return _fill(n_chars, rng, paragraphs, "\n\n")


def sentence(n_chars: int, rng: random.Random) -> str:
    words = ["Iran", "Israel", "Biden", "—", "drones", "may", "said", "attack", "win", "reportedly", "about", "300"]
    return _fill(n_chars, rng, words, " ")


def quoted(n_paragraphs: int, rng: random.Random, sentences) -> str:
    """``n_paragraphs`` paragraphs, each an attributed quotation and a sentence without quotation marks."""
    return "\n\n".join(f"{rng.choice(QUOTED)} {rng.choice(sentences)}" for _ in range(n_paragraphs)) + "\n"


def run(folder: Path) -> tuple[float, float]:
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "analysis", "metrics", str(folder), "--out",
                             str(folder.parent / f"{folder.name}.csv")], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"bench-scaling: metrics failed on {folder}")
    return time.perf_counter() - t0, usage.ru_maxrss / 1024


def main() -> int:
    from analysis import load_corpus
    from analysis.paths import BUNDLED_CORPUS

    bundled = load_corpus(BUNDLED_CORPUS)
    paragraphs = [a.text(p) for a in bundled.articles for p in a.paragraphs]
    plain = [s for a in bundled.articles for s in map(a.text, a.sentences) if not set(s) & set("“”\"‘’'")]
    kinds = sys.argv[1:] or KINDS
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        for kind in kinds:
            rng = random.Random(3)
            rows = []
            for n in QUOTED_PARAGRAPHS if kind == "quotes" else SIZES:
                folder = Path(tmp) / f"{kind}-{n}"
                folder.mkdir()
                text = (article(n, rng, paragraphs) if kind == "article" else sentence(n, rng) if kind == "sentence"
                        else quoted(n, rng, plain))
                (folder / "a.txt").write_text(text, encoding="utf-8")
                (folder / "manifest.csv").write_text("id,outlet,file\na,A,a.txt\n", encoding="utf-8")
                shutil.copy(BUNDLED_CORPUS / "actors.yaml", folder / "actors.yaml")
                seconds, mb = run(folder)
                rows.append((len(text), seconds, mb))
                print(f"{kind:8s} {len(text):>10,} chars: {seconds:7.2f} s, peak {mb:6.0f} MB, "
                      f"{seconds / len(text) * 1e6:7.2f} µs/char", flush=True)
            ratio = (rows[-1][1] / rows[-1][0]) / (rows[-2][1] / rows[-2][0])
            print(f"{kind}: time per character at {rows[-1][0]:,} against {rows[-2][0]:,} chars: {ratio:.2f}x "
                  f"(limit {MAX_RATIO})")
            failed |= ratio > MAX_RATIO
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
