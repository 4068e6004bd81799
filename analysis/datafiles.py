"""The one reader of the data files the measures ship (lexicons, word lists, models, gold sets).

``read_data(package, name)`` reads a file packaged beside a module; with
``path`` it reads the user's own file in the same format instead. Either way it
returns the text and the name to quote in an error message, so every parser
reports "file: line n: problem" the same way.
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path


def read_data(package: str, name: str, path=None, *, encoding: str = "utf-8") -> tuple[str, str]:
    """``(text, where)`` of the data file ``name`` (``/``-separated) of ``package``,
    or of the file at ``path`` when given. ``where`` is the repository path of a
    packaged file (``analysis/measures/hedging/hedges.csv``), else ``str(path)``.
    OSError propagates: the caller says what could not be read."""
    if path is not None:
        path = Path(path)
        return path.read_text(encoding=encoding), str(path)
    ref = resources.files(package).joinpath(*name.split("/"))
    return ref.read_text(encoding=encoding), f"{package.replace('.', '/')}/{name}"


def read_sections(text: str, where: str, sections) -> dict[str, list[str]]:
    """The entries of a sectioned word list: ``[section]`` lines open a section, then one entry
    a line; blank lines and ``#`` comments are skipped. ``sections`` are the allowed names;
    an unknown section or an entry before any section is a ValueError naming ``where`` and the line."""
    entries: dict[str, list[str]] = {s: [] for s in sections}
    section = None
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip()
            if section not in entries:
                raise ValueError(f"{where}:{lineno}: unknown section [{section}] "
                                 f"(expected one of {', '.join(sections)})")
            continue
        if section is None:
            raise ValueError(f"{where}:{lineno}: entry {line!r} before any [section] line")
        entries[section].append(line)
    return entries
