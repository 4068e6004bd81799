"""The benchmark's corpora (benchmarks/bench_metrics.py): a folder of real articles becomes a
corpus the metrics command reads, headlines dropped, outlets from metadata.csv."""
from __future__ import annotations

import importlib.util
import subprocess
import sys

from .conftest import ROOT


def _bench_module():
    spec = importlib.util.spec_from_file_location("bench_metrics", ROOT / "benchmarks" / "bench_metrics.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_real_articles_become_a_corpus(tmp_path):
    source = tmp_path / "set" / "articles"
    source.mkdir(parents=True)
    (source / "b.txt").write_text("Headline of b\n\nChina said on Monday it may act.\n\nTrump replied.\n",
                                  encoding="utf-8")
    (source / "a.txt").write_text("No headline here, one paragraph of eight words.\n", encoding="utf-8")
    (tmp_path / "set" / "metadata.csv").write_text("file,outlet\narticles/b.txt,\"wire, inc\"\n", encoding="utf-8")
    out = tmp_path / "corpus"
    out.mkdir()
    n, words = _bench_module().copy_real_corpus(source, out)
    assert (n, words) == (2, 8 + 9)  # b: "China said on Monday it may act." 7 + "Trump replied." 2
    assert (out / "manifest.csv").read_text(encoding="utf-8").splitlines() == [
        "id,outlet,file", "r00000,Outlet 0,r00000.txt", "r00001,wire  inc,r00001.txt"]
    assert (out / "r00001.txt").read_text(encoding="utf-8").startswith("China said")
    csv_out = subprocess.run([sys.executable, "-m", "analysis", "metrics", str(out), "--jobs", "1", "--quiet"],
                             capture_output=True, text=True, check=True, cwd=ROOT).stdout
    rows = [line.split(",") for line in csv_out.splitlines()]
    mentions = {(r[0], r[3]): r[4] for r in rows if r[1] == "" and r[2] == "mentions"}
    assert mentions[("wire  inc", "China")] == "1" and mentions[("wire  inc", "Trump")] == "1"
    assert mentions[("Outlet 0", "China")] == "0"
