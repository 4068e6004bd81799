"""analysis.notebook.setup: the one call every lesson notebook starts with."""
from __future__ import annotations

import io
import pandas as pd

from analysis import metrics_table
from analysis.notebook import setup

from .conftest import CORPUS, sampled_corpus


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
