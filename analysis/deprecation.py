"""Old names kept working after a move, with a DeprecationWarning that says where they went."""
from __future__ import annotations

import importlib
import warnings


def moved(module: str, names, new_module: str):
    """A module ``__getattr__`` that hands ``names`` over from ``new_module`` (imported on first
    use, so that ``new_module`` may import ``module``) and warns that they moved."""
    names = frozenset(names)

    def __getattr__(name):
        if name in names:
            warnings.warn(f"{module}.{name} moved to {new_module}.{name}", DeprecationWarning, stacklevel=2)
            return getattr(importlib.import_module(new_module), name)
        raise AttributeError(f"module {module!r} has no attribute {name!r}")

    return __getattr__
