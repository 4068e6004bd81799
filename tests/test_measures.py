"""The Measure interface: a new measure is one module plus one registration line.

The toy measure (tests/toy_measure.py) is registered at run time; nothing else
changes, and its rows, intervals and annotate fields appear everywhere.
"""
import json
import math

import pandas as pd
import pytest

from analysis import load_corpus, metrics_table
from analysis.annotate import Annotator, annotate_corpus
from analysis.measures import registry
from analysis.table import metric_catalogue

from .conftest import CORPUS
from .toy_measure import Exclamations

ACTORS = """event: {name: "A test event", date: 2024-04-13}
actors:
  Iran:
    kind: country
    aliases: [Iran]
  Biden:
    kind: person
    aliases: [Joe Biden, Biden]
"""


@pytest.fixture
def toy():
    registry.register(Exclamations)
    yield Exclamations
    registry.unregister(Exclamations)


@pytest.fixture
def small(tmp_path):
    (tmp_path / "manifest.csv").write_text("id,outlet,file\nA,Outlet A,a.txt\nB,Outlet B,b.txt\n")
    (tmp_path / "actors.yaml").write_text(ACTORS)
    # A: 3 sentences, 6 words, 2 exclamation marks; Iran named once, in an exclamation
    (tmp_path / "a.txt").write_text("Wow! It works.\n\nIran said no!\n")
    # B: 2 sentences, 5 words, no exclamation mark; Iran named once
    (tmp_path / "b.txt").write_text("Iran waited. Nothing happened.\n")
    return load_corpus(tmp_path)


def test_the_registry_lists_one_line_per_measure():
    assert [c.name for c in registry.measure_classes()] == ["structure", "hedging", "context", "readability",
                                                           "sentiment", "numbers", "naming", "sources"]
    assert len(registry.MEASURES) == len(set(registry.MEASURES))


def test_a_registered_measure_adds_its_rows_with_intervals(toy, small):
    table = metrics_table(small)
    rate = table[(table.metric == "exclamations_per_1000_words")].set_index("article")
    # by hand: A has 2 marks in 6 words, B none in 5; outlet rows sum their articles
    assert rate.loc["A", "value"] == pytest.approx(2 / 6 * 1000)
    assert rate.loc["A", "n"] == 6
    assert rate.loc["B", "value"] == 0.0
    a = rate.loc["A"]
    assert a.ci_low <= a.value <= a.ci_high and not math.isnan(a.ci_low)
    loud = table[(table.metric == "loud_share") & (table.article != "")].set_index(["article", "target"])
    assert loud.loc[("A", "Iran"), "value"] == 1.0 and loud.loc[("A", "Iran"), "n"] == 1
    assert loud.loc[("B", "Iran"), "value"] == 0.0
    assert math.isnan(loud.loc[("A", "Biden"), "value"])  # never named: no share
    assert loud.loc[("A", "Biden"), "n"] == 0
    assert {"exclamations_per_1000_words", "loud_share"} <= set(metric_catalogue()["name"])


def test_a_registered_measure_adds_its_fields_to_annotate_records(toy, small):
    records = list(annotate_corpus(small, evidence=False))
    assert [r["exclamations"] for r in records] == [1, 0, 1, 0, 0]
    assert list(records[0])[:11] == ["article", "outlet", "paragraph", "sentence", "text", "role",
                                     "role_confidence", "role_probs", "words", "hedges", "mentions"]
    assert list(records[0])[-1] == "exclamations"
    ann = Annotator(small)(small.articles[0])
    assert ann["exclamations"] == [1, 0, 1]
    assert [s.marks for s in ann.sentences] == [1, 0, 1]


def test_a_registered_measure_reaches_the_cli(toy, small, tmp_path_factory):
    from analysis import cli

    out = tmp_path_factory.mktemp("out") / "table.json"
    assert cli.main(["metrics", str(small.path), "--format", "json", "--out", str(out), "--quiet"]) == 0
    rows = json.loads(out.read_text())
    assert any(r["metric"] == "exclamations_per_1000_words" and r["article"] == "A" for r in rows)


def test_without_the_toy_the_bundled_table_is_unchanged():
    corpus = load_corpus(CORPUS)
    base = metrics_table(corpus)
    registry.register(Exclamations)
    try:
        with_toy = metrics_table(corpus)
    finally:
        registry.unregister(Exclamations)
    toy_rows = with_toy.metric.isin(["exclamations_per_1000_words", "loud_share"])
    # the other rows keep their values and their order
    pd.testing.assert_frame_equal(with_toy[~toy_rows].reset_index(drop=True), base.reset_index(drop=True))


def test_a_registered_measure_reaches_annotate_parquet(toy, small, tmp_path):
    """Fields beyond the contract go to Parquet as JSON text columns."""
    import pyarrow.parquet as pq

    from analysis.export import write_annotations_parquet

    path = tmp_path / "a.parquet"
    write_annotations_parquet(annotate_corpus(small, evidence=False), path)
    table = pq.read_table(path)
    assert table.column_names[-1] == "exclamations"
    assert [json.loads(v) for v in table.column("exclamations").to_pylist()] == [1, 0, 1, 0, 0]
