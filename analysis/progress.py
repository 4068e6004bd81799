"""Progress of long steps on standard error: a bar on a terminal, plain lines otherwise.

On a terminal a tqdm bar shows the step's name, the count done, the rate and
the time left. Where standard error is a file or a pipe (a log, a notebook, CI)
a bar would fill the log with carriage returns, so one plain line is printed
every 5 % instead. With no stream (``--quiet``, or a small corpus) nothing is
printed.
"""
from __future__ import annotations


class Progress:
    """``with Progress(total, "annotating", stream) as bar: ... bar.update(k)``."""

    LINES = 20  # plain lines per step when the stream is not a terminal

    def __init__(self, total: int, step: str, stream=None, unit: str = "articles", *, always_bar: bool = False):
        """``always_bar``: a bar even where the stream is not a terminal (a notebook's
        standard error shows a bar, redrawn in place)."""
        self.total, self.step, self.stream, self.unit = total, step, stream, unit
        self.done = 0
        self._next_line = max(1, total // self.LINES)
        self._bar = None
        if stream is not None and total and (always_bar or _is_terminal(stream)):
            from tqdm import tqdm

            self._bar = tqdm(total=total, desc=step, unit=f" {unit}", file=stream, leave=True,
                             dynamic_ncols=True, mininterval=0.5)

    def update(self, k: int = 1) -> None:
        self.done += k
        if self._bar is not None:
            self._bar.update(k)
        elif self.stream is not None and self.total and (self.done >= self._next_line or self.done == self.total):
            print(f"  {self.step} {self.done}/{self.total} {self.unit}", file=self.stream, flush=True)
            step = max(1, self.total // self.LINES)
            self._next_line = (self.done // step + 1) * step

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


def _is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
