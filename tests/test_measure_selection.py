"""--measures: only the named measures are run, and their rows (or annotate fields) are exactly
those of the whole table (an interval's resamples are seeded by article and unit, not by row)."""
from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from analysis import metrics_table
from analysis.annotate import annotate_corpus
from analysis.measures.naming.measure import Naming
from analysis.measures.registry import select
from analysis.table import table_rows

from .conftest import CORPUS, ROOT

STRUCTURE = {"paragraphs", "sentences", "words"}
HEDGING = {"hedges_per_1000_words"}
SENTIMENT = {"mentions", "sentence_share", "first_mention", "sentiment_all", "sentiment_narrator", "sentiment_quoted"}


@pytest.fixture(scope="module")
def whole(corpus):
    return metrics_table(corpus)


def _rows_of(table, metrics):
    return table[table["metric"].isin(metrics)].reset_index(drop=True)


def test_the_rows_of_the_selected_measures_are_the_whole_tables(corpus, whole):
    part = metrics_table(corpus, measures=["hedging", "sentiment"])
    assert set(part["metric"]) == {"articles"} | STRUCTURE | HEDGING | SENTIMENT
    # counted by hand: an article has 3 structure rows, 6 hedging rows (rate and 5 categories) and
    # 6 sentiment rows for each of the 12 actors = 81 rows; an outlet has one more ("articles");
    # 5 outlets of one article each
    assert len(part) == 5 * 82 + 5 * 81 == 815
    pd.testing.assert_frame_equal(part, _rows_of(whole, set(part["metric"])), check_exact=True)
    assert table_rows(corpus, ["hedging", "sentiment"]) == 815


def test_structure_is_always_there_and_order_follows_the_registry():
    assert [m.name for m in select(["sentiment", "hedging"])] == ["structure", "hedging", "sentiment"]
    assert [m.name for m in select(["structure"])] == ["structure"]
    assert [m.name for m in select("hedging")] == ["structure", "hedging"]  # one name as a string
    with pytest.raises(ValueError, match="no measure named 'tone'; the measures are: structure, hedging"):
        select(["hedging", "tone"])


def test_measures_not_selected_are_not_run(corpus, monkeypatch):
    def refuse(self, docs):
        raise AssertionError("naming was run")

    monkeypatch.setattr(Naming, "annotate", refuse)
    part = metrics_table(corpus, measures=["hedging"])
    assert set(part["metric"]) == {"articles"} | STRUCTURE | HEDGING
    with pytest.raises(AssertionError, match="naming was run"):
        metrics_table(corpus)


def test_annotate_keeps_the_selected_fields(corpus):
    whole = list(annotate_corpus(corpus))
    part = list(annotate_corpus(corpus, measures=["hedging", "context"]))
    assert len(part) == len(whole) == 89
    assert list(part[0]) == ["article", "outlet", "paragraph", "sentence", "text", "role", "role_confidence",
                             "role_probs", "words", "hedges"]
    assert all(p == {k: w[k] for k in p} for p, w in zip(part, whole))


def run(*args):
    return subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True, text=True, cwd=ROOT)


def test_the_command_writes_the_same_lines_as_the_whole_table(tmp_path):
    whole = run("metrics", str(CORPUS), "--quiet", "--jobs", "1")
    part = run("metrics", str(CORPUS), "--quiet", "--measures", "readability")
    assert whole.returncode == part.returncode == 0, part.stderr
    lines = part.stdout.splitlines()
    keep = {"articles"} | STRUCTURE | {"flesch_reading_ease", "flesch_kincaid_grade", "gunning_fog", "smog",
                                       "dale_chall"}
    assert lines == [line for line in whole.stdout.splitlines() if line.split(",")[2] in keep | {"metric"}]
    assert len(lines) == 1 + 5 * 9 + 5 * 8  # header; outlets: articles + 3 + 5; articles: 3 + 5


def test_an_unknown_measure_is_a_usage_error():
    for verb in ("metrics", "annotate"):
        proc = run(verb, str(CORPUS), "--measures", "hedging,tone")
        assert proc.returncode == 2 and "Traceback" not in proc.stderr
        assert proc.stderr.splitlines()[-1] == (
            f"python -m analysis {verb}: error: argument --measures: no measure named 'tone'; the measures are: "
            "structure, hedging, context, readability, sentiment, numbers, naming, sources")
    proc = run("metrics", str(CORPUS), "--measures", " , ")
    assert proc.returncode == 2 and proc.stderr.splitlines()[-1].endswith(
        "argument --measures: name one measure or more, separated by commas: structure, hedging, context, "
        "readability, sentiment, numbers, naming, sources")
    proc = run("annotate", str(CORPUS), "--measures", "context", "--quiet")
    assert proc.returncode == 0, proc.stderr
    first = json.loads(proc.stdout.splitlines()[0])
    assert "role" in first and "hedges" not in first and "mentions" not in first
