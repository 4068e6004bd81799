"""Where things live: the one place that knows the repository's folders.

Other modules ask here for the bundled corpus, the figures folder and the
external validation data instead of building paths of their own.
"""
from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _repository_root() -> Path:
    """The repository this package runs from, or, for an installed package (site-packages
    has no Makefile and no data/ beside it), the working directory: data is read from,
    and figures are written to, the user's folders, never into site-packages."""
    here = _PACKAGE.parent
    if (here / "Makefile").is_file() and (here / "data").is_dir():
        return here
    return Path.cwd()


REPO_ROOT = _repository_root()
DATA_DIR = REPO_ROOT / "data"
BUNDLED_CORPUS = DATA_DIR / "iran-israel-2024-04"
FIGURES_DIR = REPO_ROOT / "figures"
DOCS_DIR = REPO_ROOT / "docs"
EXTERNAL_GOLD = REPO_ROOT.parent / "shared" / "external-gold"  # development splits; never in the repository
