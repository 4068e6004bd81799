"""The setup every lesson notebook shares: one call instead of a copied cell.

``corpus, annotations, table = setup()`` loads the corpus the notebooks analyse
(``$FRAMING_CORPUS``, else the bundled one: ``corpus_path``), annotates
every article once, builds the metrics table from those annotations, and prints
what was loaded. On a corpus of 20 articles or more a progress bar (standard
error) shows the loading and the annotation; the bundled corpus prints only
its two lines, so the committed notebook outputs do not depend on timing.
``about_bundled`` shows a teacher's note only on the corpus it was written for.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pandas as pd

from analysis import load_corpus, metrics_table
from analysis.annotate import Annotator
from analysis.parallel import default_jobs
from analysis.paths import BUNDLED_CORPUS
from analysis.progress import Progress

PROGRESS_MIN_ARTICLES = 20  # the command line's rule: below this, progress is noise


def corpus_path() -> Path:
    """The corpus the notebooks analyse: $FRAMING_CORPUS, else the bundled one."""
    return Path(os.environ.get("FRAMING_CORPUS") or BUNDLED_CORPUS)


def about_bundled(markdown: str):
    """A note about the bundled corpus, shown as Markdown only when the notebook analyses that
    corpus; on another corpus a short line says so and hands the question to the reader."""
    from IPython.display import Markdown  # IPython comes with the notebooks' optional dependencies

    here = corpus_path()
    if here.resolve() == BUNDLED_CORPUS.resolve():
        return Markdown(markdown)
    return Markdown(f"> *The teacher's note here is about the bundled corpus. This notebook analyses `{here.name}`: "
                    "read the figure and tables above with the same question, and write your own note.*")


def setup(path=None, *, jobs: int | None = None, stream=None):
    """``(corpus, annotations, table)`` of the corpus at ``path`` (default: the notebooks' corpus).

    ``jobs`` processes annotate (default: all cores; the same annotations for any
    number); ``stream`` receives the progress bars (default: standard error).
    """
    pd.set_option("display.max_colwidth", 130)
    stream = sys.stderr if stream is None else stream
    bar = None

    def loading(i, n, _article_id):
        nonlocal bar
        if n < PROGRESS_MIN_ARTICLES:
            return
        if bar is None:
            bar = Progress(n, "loading", stream, always_bar=True)
        bar.update(1)

    corpus = load_corpus(corpus_path() if path is None else path, progress=loading)
    if bar is not None:
        bar.close()
    n = len(corpus.articles)
    with Progress(n, "annotating", stream if n >= PROGRESS_MIN_ARTICLES else None, always_bar=True) as bar:
        annotations = []
        for ann in Annotator(corpus).many(corpus.articles, jobs=default_jobs() if jobs is None else jobs):
            annotations.append(ann)
            bar.update(1)
    table = metrics_table(corpus, annotations=annotations, jobs=default_jobs() if jobs is None else jobs)
    print(f"Corpus {corpus.name!r}: {len(corpus.articles)} articles from {len(corpus.outlets)} outlets "
          f"({', '.join(corpus.outlets)})")
    print(f"Event: {corpus.event_name or '(no name given)'}, {corpus.event_date or 'date unknown'}")
    return corpus, annotations, table
