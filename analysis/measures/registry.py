"""The registered measures, in table order: adding a measure is one line here.

Each line names a ``Measure`` subclass as ``module:Class``; annotate, the
metrics table, its intervals and the CLI (with the measure's own verbs) use every measure listed,
in this order (rows, columns and the fields of ``annotate`` records).
``register`` adds a measure at run time (a plug-in of one's own, or a test).
"""
from __future__ import annotations

import importlib
import importlib.util

from analysis.measures.base import Measure

MEASURES = [
    "analysis.measures.structure:Structure",
    "analysis.measures.hedging.measure:Hedging",
    "analysis.measures.context.measure:Context",
    "analysis.measures.readability.measure:Readability",
    "analysis.measures.sentiment.measure:ActorSentiment",
    "analysis.measures.numbers.measure:Numbers",
    "analysis.measures.naming.measure:Naming",
    "analysis.measures.sources.measure:Sources",
]

# corpus-level analyses: they compare outlets rather than count per article, so they add no
# table rows (docs/words.md); listed for their command-line verbs
ANALYSES = [
    "analysis.measures.words",
]

_extra: list[type[Measure]] = []


def register(measure: type[Measure]) -> type[Measure]:
    """Add ``measure`` (a Measure subclass) after the listed ones; usable as a class decorator.
    A measure already registered is not added twice."""
    if measure not in _extra:
        _extra.append(measure)
    return measure


def unregister(measure: type[Measure]) -> None:
    """Remove a measure added by ``register`` (the listed ones stay)."""
    if measure in _extra:
        _extra.remove(measure)


def _listed() -> list[type[Measure]]:
    out = []
    for line in MEASURES:
        module, _, name = line.partition(":")
        out.append(getattr(importlib.import_module(module), name))
    return out


def measure_classes() -> list[type[Measure]]:
    """The Measure subclasses in table order."""
    listed = _listed()
    return listed + [m for m in _extra if m not in listed]


def measures() -> list[Measure]:
    """Fresh instances of the registered measures, in table order."""
    return [cls() for cls in measure_classes()]


def measure_names() -> list[str]:
    """The names of the registered measures, in table order."""
    return [cls.name for cls in measure_classes()]


def select(names=None) -> list[Measure]:
    """Fresh instances of the registered measures named in ``names``, in table order (all of
    them for None). ``structure`` (the articles' sizes, which every table has) is always
    included. An unknown name raises ValueError naming the measures there are. One name may
    be given as a string."""
    if names is None:
        return measures()
    if isinstance(names, str):
        names = [names]
    known = measure_names()
    unknown = [n for n in names if n not in known]
    if unknown:
        raise ValueError(f"no measure named {unknown[0]!r}; the measures are: {', '.join(known)}")
    wanted = set(names) | {"structure"}
    return [cls() for cls in measure_classes() if cls.name in wanted]


def command_modules() -> list:
    """The ``command`` modules of the registered measures' packages (those that have one): each
    adds its verbs to the command line with ``add_parser(subparsers)``."""
    out = []
    packages = [cls.__module__.rpartition(".")[0] for cls in measure_classes()] + ANALYSES
    for package in packages:
        if package == "analysis.measures":  # a one-module measure has no package of its own
            continue
        name = f"{package}.command"
        if importlib.util.find_spec(name) is not None and name not in [m.__name__ for m in out]:
            out.append(importlib.import_module(name))
    return out
