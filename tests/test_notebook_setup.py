"""analysis.notebook.setup: the one call every lesson notebook starts with."""
from __future__ import annotations

import io
import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from analysis import metrics_table
from analysis.notebook import setup

from .conftest import CORPUS, ROOT, sampled_corpus


def test_setup_gives_the_table_of_the_corpus_and_prints_two_lines(corpus, capsys):
    stream = io.StringIO()
    got_corpus, annotations, table = setup(CORPUS, jobs=1, stream=stream)
    assert [a.id for a in got_corpus.articles] == [a.id for a in corpus.articles]
    assert len(annotations) == len(corpus.articles)
    pd.testing.assert_frame_equal(table, metrics_table(corpus), check_exact=True)
    assert capsys.readouterr().out.splitlines() == [
        "Corpus 'iran-israel-2024-04': 5 articles from 5 outlets (Outlet A, Outlet B, Outlet C, Outlet D, Outlet E)",
        "Event: Iran's drone and missile attack on Israel; Biden tells Netanyahu to take the win, 2024-04-13"]
    assert stream.getvalue() == ""  # five articles: no progress bar in the committed notebooks


def test_a_large_corpus_shows_a_bar_for_loading_and_annotating(tmp_path, corpus):
    sampled_corpus(tmp_path, corpus, 24, paragraphs=3, outlets=2, seed=3)
    stream = io.StringIO()
    _, annotations, table = setup(tmp_path, jobs=1, stream=stream)
    shown = stream.getvalue()
    assert "loading" in shown and "annotating" in shown and "24/24" in shown
    assert len(annotations) == 24 and set(table.outlet) == {"Outlet 0", "Outlet 1"}


LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
LINK = re.compile(r"\]\(([^)\s]+)\)")


@pytest.mark.parametrize("index", range(len(LESSONS)), ids=[p.stem for p in LESSONS])
def test_every_lesson_ends_with_links_to_its_neighbours_and_the_index(index):
    nb = nbformat.read(LESSONS[index], as_version=4)
    last = nb.cells[-1]
    assert last.cell_type == "markdown" and last.source.startswith("## Previous and next lesson")
    links = LINK.findall(last.source)
    expected = ([LESSONS[index - 1].name] if index > 0 else []) + ["../LESSONS.md"] \
        + ([LESSONS[index + 1].name] if index + 1 < len(LESSONS) else [])
    assert links == expected
    for link in links:
        assert (LESSONS[index].parent / link).is_file(), link


def test_the_lesson_index_lists_every_lesson_and_its_figures():
    text = (ROOT / "LESSONS.md").read_text("utf-8")
    rows = [line for line in text.splitlines() if re.match(r"\| \d\d \|", line)]
    assert [LINK.findall(r)[0] for r in rows] == [f"notebooks/{p.name}" for p in LESSONS]
    for row, lesson in zip(rows, LESSONS):
        figures = LINK.findall(row)[1:]
        assert figures and all((ROOT / f).is_file() and Path(f).name.startswith(lesson.stem[:3]) for f in figures)
