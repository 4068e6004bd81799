"""Annotating on several cores: the same annotations as one core, in the same order.

Speed machinery only; the method lives in the measures. Worker processes are
forked from the parent, so they inherit the loaded corpus, the compiled
matchers and the models without copying them; each gets a span of article
positions and sends back what the parent needs of it: the annotations without
their (already known) article, or, for the metrics table, the span's rows and
sums (``analysis.table._span``).
A span's result is pickled once in the worker; its large arrays (the resampled
sums, about 12 MB for a span of the metrics table) do not go through the pipe
but through a file in a temporary folder (in memory, /dev/shm, where there is
one), which the parent maps and deletes: pushing them through the pipe cost
the two processes about 55 ms of CPU per span and left the worker waiting for
the parent to read; the file costs about 10 ms. The arrays are the same bytes
either way.
Results come back in article order (``imap``), so everything downstream sees
exactly what one core produces. Where fork is not available (or for small
corpora, where starting processes costs more than it saves) it runs in one
process.
"""
from __future__ import annotations

import contextlib
import functools
import gc
import mmap
import multiprocessing as mp
import os
import pickle
import tempfile

from threadpoolctl import ThreadpoolController

from analysis.errors import CorpusError

MIN_ARTICLES_PER_JOB = 100  # below this many articles per extra process, one process is faster

_STATE: dict = {}  # the forked workers' view of the parent's annotator and articles


def default_jobs() -> int:
    """All the cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


OUT_OF_BAND_BYTES = 1 << 15  # arrays at least this large travel by file; smaller ones stay in the pickle


def _call(span):
    """Run one span in a worker and ship its result: ``(pickle, file or None, sizes of the arrays in the file)``."""
    result = _STATE["work"](*span)
    folder = _STATE.get("folder")
    if folder is not None:
        big = []

        def out_of_band(buffer):
            view = buffer.raw()
            if view.nbytes < OUT_OF_BAND_BYTES:
                return True  # in the pickle
            big.append(view)
            return False

        data = pickle.dumps(result, protocol=5, buffer_callback=out_of_band)
        if not big:
            return data, None, []
        path = os.path.join(folder, f"span-{span[0]}")
        try:
            with open(path, "wb") as fh:
                for view in big:
                    fh.write(view)
                    fh.write(bytes(-view.nbytes % mmap.PAGESIZE))  # each array starts on a page: mapped alone
            return data, path, [view.nbytes for view in big]
        except OSError:  # e.g. the folder is full
            with contextlib.suppress(OSError):
                os.unlink(path)
    # no temporary folder, or it could not be written: everything through the pipe
    return pickle.dumps(result, protocol=5), None, []


def _unship(shipped):
    """The result a worker's ``_call`` shipped; its file is mapped, not copied, and deleted.

    Each array gets a mapping of its own (copy-on-write, so it is writable), so
    an array the caller keeps keeps only its own pages.
    """
    data, path, sizes = shipped
    if path is None:
        return pickle.loads(data)
    buffers, offset = [], 0
    try:
        with open(path, "rb") as fh:
            for size in sizes:
                buffers.append(mmap.mmap(fh.fileno(), size, access=mmap.ACCESS_COPY, offset=offset))
                offset += size + (-size % mmap.PAGESIZE)
    finally:
        os.unlink(path)
    return pickle.loads(data, buffers=buffers)


@contextlib.contextmanager
def _span_folder():
    """A temporary folder for the workers' arrays, removed at the end: in memory (/dev/shm)
    where there is one, else the system's temporary folder; None when neither can be written."""
    shm = "/dev/shm"
    where = shm if os.path.isdir(shm) and os.access(shm, os.W_OK | os.X_OK) else None
    try:
        folder = tempfile.TemporaryDirectory(prefix="framing-spans-", dir=where)
    except OSError:
        yield None
        return
    with folder as path:
        yield path


def map_spans(work, n_items: int, jobs: int, span: int, *, warm=None):
    """Yield ``((start, stop), work(start, stop))`` for consecutive spans of ``span`` items, in order.

    On up to ``jobs`` forked processes (no more than one per MIN_ARTICLES_PER_JOB
    items); ``warm()`` is called before forking so that lazily built models are
    shared. The spans, and so everything computed from them, are the same for
    any ``jobs``.
    """
    spans = [(i, min(i + span, n_items)) for i in range(0, n_items, span)]
    jobs = max(1, min(jobs, n_items // MIN_ARTICLES_PER_JOB))
    if jobs <= 1 or "fork" not in mp.get_all_start_methods():
        for s in spans:
            yield s, work(*s)
        return
    if warm is not None:
        warm()
    try:
        with _span_folder() as folder:
            _STATE["work"], _STATE["folder"] = work, folder
            with mp.get_context("fork").Pool(jobs) as pool:
                for s, shipped in zip(spans, pool.imap(_call, spans)):
                    yield s, _unship(shipped)
    finally:
        _STATE.clear()


def annotate_many(annotator, articles, jobs: int, batch: int):
    """Yield the annotation of each of ``articles`` in order, on up to ``jobs`` processes."""
    articles = list(articles)

    def work(start, stop):
        anns = annotator._batch(articles[start:stop])
        for ann in anns:
            ann.article = None  # the parent has it: not sent back from a worker
        return anns

    for (start, _), anns in map_spans(work, len(articles), jobs, batch, warm=annotator.warm):
        for k, ann in enumerate(anns):
            ann.article = articles[start + k]
            yield ann


def dask_spans(task, n_items: int, span: int, *args, scheduler: str | None = None, workers: int = 2,
               then=None, then_args=()):
    """Yield ``((start, stop), task(*args, start, stop))`` for consecutive spans, in order, computed
    as Dask tasks (the ``dask`` extra: requirements-dask.txt). With ``then``, each span's result
    goes through a second task, ``then(*then_args, result)``, and that is yielded instead.

    ``scheduler``: the address of a running Dask scheduler (``tcp://host:8786``);
    without one, the client already connected in this process is used, or a local
    cluster of ``workers`` single-threaded processes is started and closed at the
    end. ``task`` must be a module-level function (it is sent to the workers by
    name) and the workers must see the corpus folder at the same path. The spans
    are the local engine's, and the results are merged in span order, so the
    output is the same as with the local engine.
    """
    try:
        from distributed import Client, LocalCluster, get_client
    except ImportError:
        raise CorpusError(None, "--engine dask needs the dask extra: make venv-dask "
                                "(or pip install -r requirements-dask.txt)") from None
    spans = [(i, min(i + span, n_items)) for i in range(0, n_items, span)]
    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        try:
            client = get_client()
            client = None if client.status != "running" else client
        except ValueError:
            client = None
        if client is None:
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                   dashboard_address=None)
            client = Client(cluster)
    try:
        futures = client.map(task, *[[a] * len(spans) for a in args], [s for s, _ in spans],
                             [e for _, e in spans], pure=False)
        if then is not None:
            futures = client.map(then, *[[a] * len(spans) for a in then_args], futures, pure=False)
        for s, fut in zip(spans, futures):
            yield s, fut.result()
            fut.release()
    finally:
        if scheduler or cluster is not None:
            client.close()
        if cluster is not None:
            cluster.close()


@contextlib.contextmanager
def one_blas_thread():
    """Run the bootstrap's small matrix products on one BLAS thread.

    The products are small (1,000 resamples by a few hundred units) and numpy's
    BLAS splits them across every core by default; the hand-over costs far more
    than it gains and, on a busy machine, made the whole table several times
    slower. The limit is set here, inside the program, so users need no
    environment variable; the previous limits are restored. The results do not
    change (tests/test_metrics.py compares the table with and without it).
    """
    with _threadpools().limit(limits=1, user_api="blas"):
        yield


@functools.cache
def _threadpools():
    """The process's BLAS and OpenMP pools, inspected once (a fresh inspection on every
    call leaves cyclic garbage)."""
    return ThreadpoolController()


HEAP_PAD = 64 << 20  # bytes: glibc's M_TOP_PAD for the command-line process (``roomy_heap``)


def roomy_heap(pad: int = HEAP_PAD) -> bool:
    """Let the C heap grow, and shrink, in steps of ``pad`` bytes (glibc's ``M_TOP_PAD``).

    The pass allocates and frees numpy arrays of a few hundred kilobytes
    thousands of times; with glibc's default (128 kB) the heap is trimmed and
    grown again all the time, and every page handed back is a page fault and a
    zeroed page when it is taken again. Keeping ``pad`` bytes at the top of the
    heap cut the system time of ``metrics`` on 3,000 articles from about 1.6 to
    0.9 s and its wall time by about 6 % (paired runs; peak memory unchanged,
    158 MB). Called by the command-line entry points only (a long-lived Python
    session that imports the package keeps its own allocator settings); the
    forked workers inherit it. Only on glibc (Linux); elsewhere nothing is
    changed. Returns whether the setting was taken.
    """
    try:
        if not os.confstr("CS_GNU_LIBC_VERSION").startswith("glibc"):
            return False
    except (AttributeError, ValueError, OSError, TypeError):  # no confstr, or not glibc
        return False
    import ctypes

    try:
        return bool(ctypes.CDLL(None).mallopt(-2, int(pad)))  # -2: M_TOP_PAD in glibc's malloc.h
    except (OSError, AttributeError):
        return False


@contextlib.contextmanager
def gc_paused():
    """Pause Python's cycle collector while the table is built.

    The pass allocates millions of small objects and keeps many of them, and
    each collection walks everything kept so far; the pass makes no reference
    cycles (tests/test_metrics.py checks that none are left to collect), so
    reference counting frees all its garbage anyway. About 5-10% faster on
    a thousand articles. The collector's previous state is restored.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
