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
