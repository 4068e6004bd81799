"""Figure helpers shared by every notebook: one palette, one ``save_figure``.

Plot functions take ``ax=None``, draw on it (or on a new figure), return the Axes
and never touch global matplotlib state. ``save_figure`` writes SVG and PNG with
fixed metadata so the bytes are identical run after run.
"""
from __future__ import annotations

import os
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt

ROOT = Path(__file__).resolve().parents[1]

# Okabe & Ito (2008) colour-blind-safe palette, in a fixed order: outlets get
# colours by their position in the manifest, so every figure agrees.
OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#CC79A7", "#0072B2", "#D55E00", "#F0E442", "#000000")
ROLE_COLOURS = {"main": "#0072B2", "reaction": "#009E73", "context": "#E69F00", "other": "#BBBBBB"}

# Legible when projected: larger type than matplotlib's default.
STYLE = {
    "font.size": 12,
    "axes.titlesize": 14,
    "axes.labelsize": 12,
    "xtick.labelsize": 11,
    "ytick.labelsize": 11,
    "legend.fontsize": 11,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.hashsalt": "framing",
    "svg.fonttype": "path",
    "figure.dpi": 100,
}


def corpus_path() -> Path:
    """The corpus the notebooks analyse: $FRAMING_CORPUS, else the bundled one."""
    return Path(os.environ.get("FRAMING_CORPUS") or ROOT / "data" / "iran-israel-2024-04")


def figures_dir() -> Path:
    """Where ``save_figure`` writes: $FRAMING_FIGURES_DIR, else figures/ of the repository."""
    return Path(os.environ.get("FRAMING_FIGURES_DIR") or ROOT / "figures")


def outlet_colours(outlets) -> dict[str, str]:
    """Outlet -> colour, by manifest order (cycles after eight outlets)."""
    return {o: OKABE_ITO[i % len(OKABE_ITO)] for i, o in enumerate(outlets)}


def style():
    """A context manager applying the suite's style to the figures made inside it."""
    return matplotlib.rc_context(STYLE)


def save_figure(fig, name: str, directory=None) -> list[Path]:
    """Write ``fig`` as ``<name>.svg`` and ``<name>.png`` with fixed metadata; return the paths.

    ``name`` follows the notebook: ``02-actor-sentiment-heatmap``.
    """
    directory = Path(directory) if directory is not None else figures_dir()
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    with matplotlib.rc_context({"svg.hashsalt": "framing", "svg.fonttype": "path"}):
        svg = directory / f"{name}.svg"
        fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None}, bbox_inches="tight")
        png = directory / f"{name}.png"
        fig.savefig(png, format="png", dpi=150, metadata={"Software": None}, bbox_inches="tight")
        paths += [svg, png]
    return paths
