"""Where things live: the one place that knows the repository's folders.

Other modules ask here for the bundled corpus, the figures folder and the
external validation data instead of building paths of their own.
"""
from __future__ import annotations

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = REPO_ROOT / "data"
BUNDLED_CORPUS = DATA_DIR / "iran-israel-2024-04"
FIGURES_DIR = REPO_ROOT / "figures"
DOCS_DIR = REPO_ROOT / "docs"
EXTERNAL_GOLD = REPO_ROOT.parent / "shared" / "external-gold"  # development splits; never in the repository
