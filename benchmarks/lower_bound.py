"""A lower bound for the work of ``metrics``, as one process: ``python benchmarks/lower_bound.py FOLDER``.

Read every article, tokenise it into words and sentences (two regexes), and
run VADER on every sentence that names an actor of the corpus (any alias or
demonym in actors.yaml): the least any tool must do to give sentiment toward
actors, without cleaning, paragraph roles, hedges, readability, targeted
scoring, evidence or intervals. ``make bench`` times it beside the metrics
command; the ratio says how much of the command's time is the extra method.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

WORD_RE = re.compile(r"\w+(?:['’]\w+)*")
SENT_RE = re.compile(r"(?<=[.!?])\s+")


def main(folder: Path) -> None:
    import yaml
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    spec = yaml.safe_load((folder / "actors.yaml").read_text(encoding="utf-8"))
    names = set()
    for name, actor in (spec.get("actors") or {}).items():
        names.add(str(name))
        for key in ("aliases", "demonyms"):
            names.update(str(a) for a in (actor or {}).get(key) or [])
    actor_re = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(names, key=len, reverse=True))) + r")\b")
    vader = SentimentIntensityAnalyzer()
    out = []
    for path in sorted(folder.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        words = len(WORD_RE.findall(text))
        scores = [vader.polarity_scores(s)["compound"] for s in SENT_RE.split(text) if actor_re.search(s)]
        out.append(f"{path.name},{words},{sum(scores) / max(1, len(scores)):.4f}")
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
