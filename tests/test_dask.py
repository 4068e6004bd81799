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


def test_the_command_line_engine_writes_the_same_file(folder, cluster, tmp_path):
    def run(*extra):
        out = tmp_path / f"m{len(extra)}.csv"
        proc = subprocess.run([sys.executable, "-m", "analysis", "metrics", str(folder), "--out", str(out),
                               "--quiet", *extra], capture_output=True, text=True, cwd=ROOT)
        assert proc.returncode == 0, proc.stderr
        return out.read_bytes()

    assert run("--engine", "dask", "--scheduler", cluster.scheduler_address) == run("--jobs", "1")
