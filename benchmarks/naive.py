"""The naive approach a notebook author would write, as one process: ``python benchmarks/naive.py FOLDER``.

textstat's five formulas on each raw article, VADER on each sentence (a regex
split), one hedge regex. It prints one line per article. ``make bench`` times it
beside ``python -m analysis metrics`` on the same folder.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

HEDGE_RE = re.compile(r"\b(may|might|could|reportedly|allegedly|according to|about|nearly|some|appears?|"
                      r"seems?|suggests?|likely|possibly|unclear|believes?)\b", re.I)
SENT_RE = re.compile(r"(?<=[.!?])\s+")


def main(folder: Path) -> None:
    import textstat
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from analysis.measures.readability import use_offline_cmudict

    use_offline_cmudict()  # the naive approach must not download either
    vader = SentimentIntensityAnalyzer()
    out = []
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        scores = (textstat.flesch_reading_ease(text), textstat.flesch_kincaid_grade(text),
                  textstat.gunning_fog(text), textstat.smog_index(text), textstat.dale_chall_readability_score(text))
        sentiment = [vader.polarity_scores(s)["compound"] for s in SENT_RE.split(text)]
        hedges = len(HEDGE_RE.findall(text))
        out.append(f"{path.name},{','.join(f'{x:.3f}' for x in scores)},"
                   f"{sum(sentiment) / max(1, len(sentiment)):.4f},{hedges}")
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
