"""The optional Dask engine (`make venv-dask`): spans of articles annotated and resampled on a
local distributed cluster of two worker processes give the local engine's table, byte for byte."""
from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from analysis import metrics_table
from analysis.pipeline.corpus import open_corpus

from .conftest import ROOT, sampled_corpus

distributed = pytest.importorskip("distributed", reason="the Dask extra is not installed (make venv-dask)")


@pytest.fixture(scope="module")
def folder(tmp_path_factory, corpus):
    """130 articles (three spans) of bundled paragraphs, four outlets."""
    return sampled_corpus(tmp_path_factory.mktemp("dask-corpus"), corpus, 130, paragraphs=4, outlets=4, seed=17)


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None, host="127.0.0.1") as c:
        yield c


@pytest.fixture(autouse=True)
def no_network():
    """Replaces conftest's socket block for this module only: the client talks to its local
    cluster over the loopback interface (the engine reaches nothing beyond the cluster it is given)."""
    yield


def test_two_dask_workers_give_the_local_table(folder, cluster):
    corpus = open_corpus(folder)
    local = metrics_table(corpus, jobs=1)
    on_dask = metrics_table(corpus, engine="dask", scheduler=cluster.scheduler_address)
    pd.testing.assert_frame_equal(on_dask, local, check_exact=True)
    assert len(cluster.workers) == 2


def test_selected_measures_on_dask_give_the_local_rows(folder, cluster):
    corpus = open_corpus(folder)
    local = metrics_table(corpus, jobs=1, measures=["hedging", "context"])
    on_dask = metrics_table(corpus, engine="dask", scheduler=cluster.scheduler_address, measures=["hedging", "context"])
    pd.testing.assert_frame_equal(on_dask, local, check_exact=True)
    assert "sentiment_all" not in set(on_dask["metric"]) and "context_share_words" in set(on_dask["metric"])


def test_the_command_line_engine_writes_the_same_file(folder, cluster, tmp_path):
    def run(*extra):
        out = tmp_path / f"m{len(extra)}.csv"
        proc = subprocess.run([sys.executable, "-m", "analysis", "metrics", str(folder), "--out", str(out),
                               "--quiet", *extra], capture_output=True, text=True, cwd=ROOT)
        assert proc.returncode == 0, proc.stderr
        return out.read_bytes()

    assert run("--engine", "dask", "--scheduler", cluster.scheduler_address) == run("--jobs", "1")


def test_the_per_article_counts_are_partitioned_parquet(folder, cluster, tmp_path):
    """The workers write one Parquet part per span of 50 articles (130 articles: 3 parts, one row per
    article), and the table computed from the parts is the local engine's."""
    import pyarrow.parquet as pq

    corpus = open_corpus(folder)
    counts = tmp_path / "counts"
    on_dask = metrics_table(corpus, engine="dask", scheduler=cluster.scheduler_address, counts=counts)
    parts = sorted(counts.iterdir())
    assert [p.name for p in parts] == ["part-000000000.parquet", "part-000000050.parquet", "part-000000100.parquet"]
    rows = [pq.read_table(p) for p in parts]
    assert [t.num_rows for t in rows] == [50, 50, 30]
    assert rows[0].column_names == ["outlet", "article", "sentences", "paragraphs", "xs", "xp", "found", "xa", "values"]
    assert [a for t in rows for a in t.column("article").to_pylist()] == [a.id for a in corpus.articles.load(0, 130)[0]]
    pd.testing.assert_frame_equal(on_dask, metrics_table(corpus, jobs=1), check_exact=True)


def test_counts_needs_the_dask_engine_and_an_empty_folder(folder, tmp_path):
    def run(*extra):
        return subprocess.run([sys.executable, "-m", "analysis", "metrics", str(folder), "--quiet", *extra],
                              capture_output=True, text=True, cwd=ROOT)

    proc = run("--counts", str(tmp_path / "c"))
    assert proc.returncode == 2 and "add --engine dask" in proc.stderr
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("mine\n")
    proc = run("--engine", "dask", "--counts", str(tmp_path / "full"))
    assert proc.returncode == 2 and "new or empty folder" in proc.stderr
    assert (tmp_path / "full" / "keep.txt").read_text() == "mine\n"
