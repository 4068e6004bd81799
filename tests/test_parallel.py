"""How a worker's result reaches the parent (analysis.parallel): large arrays by a file that the
parent maps and deletes, the rest in the pickle; the same values either way."""
from __future__ import annotations

import os

import numpy as np

from analysis import parallel


def _ship(monkeypatch, folder, result):
    monkeypatch.setitem(parallel._STATE, "work", lambda start, stop: result)
    monkeypatch.setitem(parallel._STATE, "folder", str(folder))
    return parallel._call((0, 1))


def test_large_arrays_go_by_file_small_ones_in_the_pickle(tmp_path, monkeypatch):
    big = np.arange(10_000, dtype=float).reshape(10, 1000)  # 80,000 bytes: past OUT_OF_BAND_BYTES
    small = np.arange(12, dtype=float)
    result = {"outlet": (big, big[2:7], small), "rows": [("a", 1.5)]}
    data, path, sizes = shipped = _ship(monkeypatch, tmp_path, result)
    assert path is not None and os.path.dirname(path) == str(tmp_path)
    assert sizes == [80_000, 40_000]  # the two large arrays (a slice is shipped as its own bytes); not `small`
    assert len(data) < 2_000
    back = parallel._unship(shipped)
    assert not os.listdir(tmp_path)  # the parent deleted the file
    b, b27, s = back["outlet"]
    assert back["rows"] == [("a", 1.5)]
    np.testing.assert_array_equal(b, big)
    np.testing.assert_array_equal(b27, big[2:7])
    np.testing.assert_array_equal(s, small)
    b += 1  # writable (a private, copy-on-write mapping)
    assert b[0, 0] == 1.0 and big[0, 0] == 0.0


def test_without_large_arrays_nothing_is_written(tmp_path, monkeypatch):
    shipped = _ship(monkeypatch, tmp_path, [np.zeros(10), "text"])
    assert shipped[1] is None and not os.listdir(tmp_path)
    back = parallel._unship(shipped)
    np.testing.assert_array_equal(back[0], np.zeros(10))
    assert back[1] == "text"


def test_a_folder_that_cannot_be_written_falls_back_to_the_pipe(tmp_path, monkeypatch):
    big = np.ones((5, 2000))
    shipped = _ship(monkeypatch, tmp_path / "gone", {"x": big})
    assert shipped[1] is None
    np.testing.assert_array_equal(parallel._unship(shipped)["x"], big)


def test_no_temporary_folder_means_everything_through_the_pipe(tmp_path, monkeypatch, corpus):
    """Where no temporary folder can be made (no /dev/shm, TMPDIR not writable) the workers
    still run and the table is the same."""
    import tempfile

    import pandas as pd

    from analysis import load_corpus, metrics_table

    from .conftest import sampled_corpus

    many = load_corpus(sampled_corpus(tmp_path, corpus, 8, paragraphs=4, outlets=2, seed=3))
    monkeypatch.setattr(parallel, "MIN_ARTICLES_PER_JOB", 2)
    one = metrics_table(many, jobs=1)

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "TemporaryDirectory", refuse)
    monkeypatch.setattr(parallel.os, "access", lambda *a: False)
    with parallel._span_folder() as folder:
        assert folder is None
    pd.testing.assert_frame_equal(one, metrics_table(many, jobs=2))


def test_roomy_heap_only_on_glibc(monkeypatch):
    """The heap setting is taken on glibc (this test machine) and skipped elsewhere, without error."""
    if parallel.os.confstr("CS_GNU_LIBC_VERSION").startswith("glibc"):
        assert parallel.roomy_heap() is True
    monkeypatch.setattr(parallel.os, "confstr", lambda name: "musl 1.2")
    assert parallel.roomy_heap() is False

    def no_name(name):
        raise ValueError("unrecognized configuration name")

    monkeypatch.setattr(parallel.os, "confstr", no_name)
    assert parallel.roomy_heap() is False


def test_the_command_sets_the_heap_and_a_session_does_not():
    """``python -m analysis`` calls roomy_heap once, before the command; a session that imports
    the package and calls ``cli.main`` itself (as the tests and notebooks do) never does."""
    import subprocess
    import sys

    count = ("import analysis.parallel as p; calls = []; real = p.roomy_heap; "
             "p.roomy_heap = lambda *a: calls.append(1) or real(*a)\n")
    as_command = count + ("import runpy, sys; sys.argv = ['analysis', '--help']\n"
                          "try: runpy.run_module('analysis', run_name='__main__')\n"
                          "except SystemExit: pass\n"
                          "print(len(calls))")
    in_session = count + ("import contextlib, io, analysis.table, analysis.cli\n"
                          "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
                          "    analysis.cli.main(['--help'])\n"
                          "print(len(calls))")
    for probe, expected in ((as_command, "1"), (in_session, "0")):
        out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
        assert out.strip().splitlines()[-1] == expected
