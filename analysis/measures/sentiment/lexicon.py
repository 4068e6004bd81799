"""The news lexicon (``vader_news.csv``): valence changes merged into VADER's lexicon, and act roles."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from analysis.datafiles import read_data

LEXICON_FILE = "vader_news.csv"
ROLES = ("harm", "defeat", "protect", "judge", "attitude", "speech", "address", "vow")


@dataclass(frozen=True)
class NewsLexicon:
    """The news overrides: valence changes merged into VADER, and act roles."""

    valence: dict  # token -> valence (only rows with a valence)
    role: dict  # token -> role (only rows with a role)
    reason: dict  # token -> reason

    def tokens(self, role: str) -> frozenset:
        return frozenset(t for t, r in self.role.items() if r == role)


def load_news_lexicon(path=None) -> NewsLexicon:
    """Read ``vader_news.csv`` (bundled, or ``path``): columns token, valence, reason, role.

    ``valence`` empty keeps VADER's value (a role-only row). Raises ValueError
    naming the file and line for a malformed row.
    """
    text, name = read_data(__package__, LEXICON_FILE, path)
    reader = csv.DictReader(io.StringIO(text))
    missing = {"token", "valence", "reason"} - set(reader.fieldnames or ())
    if missing:
        raise ValueError(f"{name}: missing column(s) {', '.join(sorted(missing))}")
    valence, role, reason = {}, {}, {}
    for lineno, row in enumerate(reader, start=2):
        token = (row.get("token") or "").strip().lower()
        if not token:
            raise ValueError(f"{name}:{lineno}: empty token")
        if token in reason:
            raise ValueError(f"{name}:{lineno}: duplicate token {token!r}")
        value = (row.get("valence") or "").strip()
        if value:
            try:
                valence[token] = float(value)
            except ValueError:
                raise ValueError(f"{name}:{lineno}: valence {value!r} is not a number") from None
            if not -4.0 <= valence[token] <= 4.0:
                raise ValueError(f"{name}:{lineno}: valence {value} outside VADER's -4..4")
        r = (row.get("role") or "").strip()
        if r:
            if r not in ROLES:
                raise ValueError(f"{name}:{lineno}: role {r!r} is not one of {', '.join(ROLES)}")
            role[token] = r
        reason[token] = (row.get("reason") or "").strip()
        if not reason[token] and (value or r):
            raise ValueError(f"{name}:{lineno}: every change needs a reason")
    return NewsLexicon(valence, role, reason)
