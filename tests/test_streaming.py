"""Large corpora: articles read lazily and dropped after use, problems reported at the end,
Parquet output, annotate records written as they come, progress on standard error."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from analysis import load_corpus, metrics_table
from analysis.annotate import annotate_corpus
from analysis.pipeline.corpus import LazyArticles, open_corpus
from analysis.errors import CorpusError

from .conftest import CORPUS, ROOT, sampled_corpus


def run(*args):
    return subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True, text=True, cwd=ROOT)


@pytest.fixture(scope="module")
def medium(tmp_path_factory, corpus):
    """120 articles of bundled paragraphs drawn at random, three outlets."""
    return sampled_corpus(tmp_path_factory.mktemp("medium"), corpus, 120, paragraphs=5, outlets=3, seed=11)


def test_a_lazily_opened_corpus_gives_the_same_table_and_records(corpus):
    lazy = open_corpus(CORPUS)
    assert isinstance(lazy.articles, LazyArticles)
    assert len(lazy.articles) == len(corpus.articles) and lazy.outlets == corpus.outlets
    assert [a.body for a in lazy.articles[1:3]] == [a.body for a in corpus.articles[1:3]]
    pd.testing.assert_frame_equal(metrics_table(lazy), metrics_table(corpus), check_exact=True)
    assert list(annotate_corpus(lazy, evidence=False)) == list(annotate_corpus(corpus, evidence=False))


def test_unreadable_articles_of_a_lazy_corpus_are_all_reported_after_the_pass(tmp_path, medium):
    folder = tmp_path / "bad"
    shutil.copytree(medium, folder)
    (folder / "a7.txt").write_text("...\n", encoding="utf-8")
    (folder / "a52.txt").write_bytes(b"")
    lazy = open_corpus(folder)  # the manifest is fine: nothing is read yet
    with pytest.raises(CorpusError) as err:
        metrics_table(lazy)
    assert [(p.rsplit("/", 1)[-1], m) for p, m in err.value.problems] == [
        ("a7.txt", "no words left after cleaning, only punctuation or symbols"), ("a52.txt", "empty file")]
    records = annotate_corpus(lazy, evidence=False)
    with pytest.raises(CorpusError):
        list(records)
    # the command line: one line per problem, exit 2, no output file, nothing left behind
    out = tmp_path / "out.jsonl"
    proc = run("annotate", str(folder), "--out", str(out))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.count("error: ") == 2
    assert not out.exists() and not (tmp_path / "out.jsonl.part").exists()
    # the metrics CSV, written as the articles come: a previous output is left as it was,
    # and nothing reaches standard output before every article has been read
    previous = tmp_path / "m.csv"
    previous.write_text("outlet,article,metric,target,value,ci_low,ci_high,n\n", encoding="utf-8")
    proc = run("metrics", str(folder), "--out", str(previous))
    assert proc.returncode == 2 and proc.stderr.count("error: ") == 2 and "Traceback" not in proc.stderr
    assert previous.read_text(encoding="utf-8") == "outlet,article,metric,target,value,ci_low,ci_high,n\n"
    assert not (tmp_path / "m.csv.part").exists()
    proc = run("metrics", str(folder))
    assert proc.returncode == 2 and proc.stdout == ""


def test_parquet_outputs_hold_the_same_rows_as_csv_and_jsonl(tmp_path):
    csv_out, pq_out = tmp_path / "m.csv", tmp_path / "m.parquet"
    assert run("metrics", str(CORPUS), "--out", str(csv_out)).returncode == 0
    assert run("metrics", str(CORPUS), "--format", "parquet", "--out", str(pq_out)).returncode == 0
    from_csv = pd.read_csv(csv_out, keep_default_na=False, na_values=[""])
    from_pq = pd.read_parquet(pq_out)
    assert list(from_pq.columns) == list(from_csv.columns)
    assert from_pq[["outlet", "article", "metric", "target"]].values.tolist() == \
        from_csv[["outlet", "article", "metric", "target"]].fillna("").values.tolist()
    for col in ("value", "ci_low", "ci_high"):  # the CSV rounds to 6 significant digits
        assert from_pq[col].to_numpy() == pytest.approx(from_csv[col].to_numpy(), rel=1e-5, nan_ok=True)
    assert (from_pq.n == from_csv.n).all()

    jl, apq = tmp_path / "a.jsonl", tmp_path / "a.parquet"
    assert run("annotate", str(CORPUS), "--out", str(jl)).returncode == 0
    assert run("annotate", str(CORPUS), "--format", "parquet", "--out", str(apq)).returncode == 0
    records = [json.loads(line) for line in jl.read_text(encoding="utf-8").splitlines()]
    rows = pd.read_parquet(apq).to_dict(orient="records")
    assert len(rows) == len(records) == 89
    for rec, row in zip(records, rows):
        assert dict(row["role_probs"]) == rec["role_probs"]
        assert [dict(h) for h in row["hedges"]] == rec["hedges"]
        got = [{**m, "evidence": [dict(e) for e in m["evidence"]]} for m in row["mentions"]]
        assert got == [{**m, "evidence": m.get("evidence", [])} for m in rec["mentions"]]
        assert (row["article"], row["sentence"], row["text"], row["words"]) == \
            (rec["article"], rec["sentence"], rec["text"], rec["words"])
    # a binary format is never sent to a terminal or a pipe
    proc = run("metrics", str(CORPUS), "--format", "parquet")
    assert proc.returncode == 2 and proc.stderr.strip() == "error: --format parquet writes a binary file: give --out FILE"


def test_progress_is_plain_lines_on_a_pipe_and_nothing_when_quiet(medium, tmp_path):
    proc = run("metrics", str(medium), "--out", str(tmp_path / "m.csv"))
    assert proc.returncode == 0
    lines = proc.stderr.splitlines()
    assert lines == ["  annotating 50/120 articles", "  annotating 100/120 articles", "  annotating 120/120 articles"]
    assert "\r" not in proc.stderr  # no bar: standard error is not a terminal
    quiet = run("metrics", str(medium), "--out", str(tmp_path / "m.csv"), "--quiet")
    assert quiet.returncode == 0 and quiet.stderr == ""


def test_progress_bar_on_a_terminal_names_the_step_and_counts():
    import io

    from analysis.progress import Progress

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    term, pipe = Terminal(), io.StringIO()
    with Progress(40, "annotating", term) as bar:
        bar.update(40)
    assert "annotating" in term.getvalue() and "40/40" in term.getvalue()
    with Progress(40, "annotating", pipe) as bar:
        for _ in range(40):
            bar.update(1)
    lines = pipe.getvalue().splitlines()
    assert len(lines) == 20 and lines[0] == "  annotating 2/40 articles" and lines[-1] == "  annotating 40/40 articles"


def test_annotate_writes_records_as_the_articles_are_done(medium):
    """The first record is on the pipe before the last article is annotated."""
    proc = subprocess.Popen([sys.executable, "-m", "analysis", "annotate", str(medium), "--jobs", "1", "--quiet"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, text=True)
    first = proc.stdout.readline()
    assert json.loads(first)["article"] == "a0"
    assert proc.poll() is None  # still working on the rest
    rest = proc.stdout.read()
    assert proc.wait() == 0
    assert len(rest.splitlines()) > 500


def test_the_dask_engine_without_the_extra_is_one_clear_line(monkeypatch, corpus):
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if the dask extra were not installed
    with pytest.raises(CorpusError) as err:
        metrics_table(corpus, engine="dask")
    assert err.value.problems == [("None", "--engine dask needs the dask extra: make venv-dask "
                                           "(or pip install -r requirements-dask.txt)")]


def test_a_worker_does_not_reuse_a_corpus_whose_actors_changed(tmp_path):
    """The Dask engine's per-worker cache is keyed by the manifest's and the actors file's size and
    modification time: an edited actors file gives a freshly opened corpus."""
    import os

    from analysis.table import _corpus_stamp, _task_state

    folder = tmp_path / "c"
    shutil.copytree(CORPUS, folder)
    first = _task_state(str(folder), _corpus_stamp(folder))[0]
    actors = folder / "actors.yaml"
    actors.write_text(actors.read_text(encoding="utf-8").replace("  Biden:", "  Joe Biden:"), encoding="utf-8")
    os.utime(actors, ns=(actors.stat().st_atime_ns, actors.stat().st_mtime_ns + 10**9))
    second = _task_state(str(folder), _corpus_stamp(folder))[0]
    assert "Biden" in [a.name for a in first.actors] and "Joe Biden" in [a.name for a in second.actors]
    assert _task_state(str(folder), _corpus_stamp(folder))[0] is second  # unchanged: reused


def test_metrics_csv_does_not_load_pandas(tmp_path):
    """The streamed metrics CSV, JSON and wide CSV never build a DataFrame, so the command does not import
    pandas (with pyarrow, a quarter to half a second and about 70 MB of every start); the same
    command with --format parquet does."""
    code = ("import runpy, sys\n"
            "sys.argv = ['analysis'] + sys.argv[1:]\n"
            "try:\n    runpy.run_module('analysis', run_name='__main__')\n"
            "except SystemExit as e:\n    assert not e.code, e.code\n"
            "print('pandas' in sys.modules)\n")
    for fmt, loaded in (("csv", "False"), ("json", "False"), ("wide", "False"), ("parquet", "True")):
        out = subprocess.run([sys.executable, "-c", code, "metrics", str(CORPUS), "--quiet", "--format", fmt,
                              "--out", str(tmp_path / f"m.{fmt}")], capture_output=True, text=True, cwd=ROOT)
        assert out.returncode == 0, out.stderr
        assert out.stdout.strip() == loaded
        assert (tmp_path / f"m.{fmt}").stat().st_size > 0


def test_annotate_jsonl_is_the_records_as_json_lines(corpus):
    """``annotate_jsonl`` (what ``annotate`` writes: the workers make the JSON) is
    ``annotate_corpus``'s records, one ``json.dumps`` line each, for one process or two."""
    from analysis.annotate import annotate_corpus, annotate_jsonl

    expected = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in annotate_corpus(corpus))
    assert "".join(annotate_jsonl(corpus)) == expected
    assert "".join(annotate_jsonl(corpus, jobs=2)) == expected
    assert "’" in expected  # curly quotes written as they are, not escaped
    assert expected.count("\n") == sum(len(a.sentences) for a in corpus.articles)
