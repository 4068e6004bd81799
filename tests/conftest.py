"""Test-wide fixtures. Every test runs with sockets blocked: nothing may touch the network."""
from __future__ import annotations

import socket
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "data" / "iran-israel-2024-04"


class NetworkBlocked(RuntimeError):
    pass


def _blocked(*args, **kwargs):
    raise NetworkBlocked("a test tried to open a network connection")


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Fail any test that opens a socket or resolves a host name."""
    monkeypatch.setattr(socket.socket, "connect", _blocked)
    monkeypatch.setattr(socket.socket, "connect_ex", _blocked)
    monkeypatch.setattr(socket, "create_connection", _blocked)
    monkeypatch.setattr(socket, "getaddrinfo", _blocked)
    yield


@pytest.fixture(scope="session")
def corpus():
    """The bundled corpus, loaded once."""
    from analysis import load_corpus

    return load_corpus(CORPUS)


def sampled_corpus(folder: Path, corpus, n_articles: int, *, paragraphs: int, outlets: int, seed: int) -> Path:
    """A corpus of ``n_articles`` articles in ``folder``, each ``paragraphs`` paragraphs of the bundled
    corpus drawn at random (fixed ``seed``), ids a0, a1, ..., outlets "Outlet 0" ... in turn, with the
    bundled actors file. Returns ``folder``."""
    import random
    import shutil

    pool = [a.text(p) for a in corpus.articles for p in a.paragraphs]
    rng = random.Random(seed)
    rows = ["id,outlet,file"]
    for i in range(n_articles):
        (folder / f"a{i}.txt").write_text("\n\n".join(rng.sample(pool, paragraphs)) + "\n", encoding="utf-8")
        rows.append(f"a{i},Outlet {i % outlets},a{i}.txt")
    (folder / "manifest.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    shutil.copy(CORPUS / "actors.yaml", folder / "actors.yaml")
    return folder
