"""User-facing errors: one line per problem, naming the file and the problem."""
from __future__ import annotations


class CorpusError(Exception):
    """Problems with the user's corpus.

    ``problems`` is a list of ``(path, problem)`` pairs; ``str(err)`` gives one
    line per problem, ``path: problem``, which is what the CLI prints.
    """

    def __init__(self, path, problem: str | None = None, *, problems=None):
        if problems is None:
            problems = [(str(path), problem)]
        self.problems = [(str(p), msg) for p, msg in problems]
        super().__init__("\n".join(f"{p}: {msg}" for p, msg in self.problems))
