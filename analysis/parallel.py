"""Annotating on several cores: the same annotations as one core, in the same order.

Speed machinery only; the method lives in the measures. Worker processes are
forked from the parent, so they inherit the loaded corpus, the compiled
matchers and the models without copying them; each gets a batch of article
positions, annotates it with ``Annotator._batch`` and sends back the
annotations without their (already known) article, which the parent puts back.
Results come back in article order (``imap``), so everything downstream sees
exactly what one core produces. Where fork is not available (or for small
corpora, where starting processes costs more than it saves) it runs in one
process.
"""
from __future__ import annotations

import multiprocessing as mp
import os

MIN_ARTICLES_PER_JOB = 100  # below this many articles per extra process, one process is faster

_STATE: dict = {}  # the forked workers' view of the parent's annotator and articles


def default_jobs() -> int:
    """All the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _work(span):
    start, stop = span
    anns = _STATE["annotator"]._batch(_STATE["articles"][start:stop])
    for ann in anns:
        ann.article = None  # the parent has it; do not send it back
    return start, anns


def annotate_many(annotator, articles, jobs: int, batch: int):
    """Yield the annotation of each of ``articles`` in order, on up to ``jobs`` processes."""
    articles = list(articles)
    jobs = max(1, min(jobs, len(articles) // MIN_ARTICLES_PER_JOB))
    spans = [(i, min(i + batch, len(articles))) for i in range(0, len(articles), batch)]
    if jobs <= 1 or "fork" not in mp.get_all_start_methods():
        for start, stop in spans:
            yield from annotator._batch(articles[start:stop])
        return
    annotator.warm()  # build lazily loaded models once, before forking, so workers share them
    _STATE.update(annotator=annotator, articles=articles)
    try:
        with mp.get_context("fork").Pool(jobs) as pool:
            for start, anns in pool.imap(_work, spans):
                for k, ann in enumerate(anns):
                    ann.article = articles[start + k]
                    yield ann
    finally:
        _STATE.clear()
