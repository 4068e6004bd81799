"""The command line: clean log, progress on stderr, bad options."""
from __future__ import annotations

import subprocess
import sys

from .conftest import CORPUS, ROOT


def run(*args):
    return subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True, text=True, cwd=ROOT)


def test_clean_prints_every_logged_line_with_its_rule():
    proc = run("clean", str(CORPUS))
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    # one header per article with the counts checked by hand in test_clean
    for header in ("== A (Outlet A) 000_564656b7978cc542.txt: 5 paragraphs",
                   "== B (Outlet B) 001_f0124aabe337c814.txt: 9 paragraphs",
                   "== C (Outlet C) 002_c64daeceee9c0a39.txt: 18 paragraphs",
                   "== D (Outlet D) 003_5912ab74b97d98b5.txt: 13 paragraphs",
                   "== E (Outlet E) 004_36824e98bd146f7f.txt: 10 paragraphs"):
        assert header in out
    for rule in ("headline", "dek", "photo-credit", "trailing-headlines", "date-line", "breadcrumb",
                 "read-more-link", "comment-form", "nbsp", "lossy-a-circumflex"):
        assert f" {rule} " in out, rule
    assert "Read More: US Army To Hold Joint Combat Training" in out
    assert out.count("dropped   breadcrumb") == 7


def test_unknown_command_and_missing_corpus_are_usage_errors():
    proc = run("nonsense")
    assert proc.returncode == 2 and "invalid choice" in proc.stderr and "Traceback" not in proc.stderr
    proc = run("metrics", str(ROOT / "no-such-corpus"))
    assert proc.returncode == 2
    assert proc.stderr.strip() == f"error: {ROOT / 'no-such-corpus'}: not a folder (a corpus is a folder with manifest.csv)"


def test_out_into_missing_folder_is_a_clear_error(tmp_path):
    proc = run("metrics", str(CORPUS), "--out", str(tmp_path / "nope" / "m.csv"))
    assert proc.returncode == 2 and "the folder for --out does not exist" in proc.stderr
    assert "Traceback" not in proc.stderr
