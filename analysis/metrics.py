"""Deprecated name of ``analysis.table`` (the metrics table moved there); kept so that old code runs."""
import importlib
import sys
import warnings

warnings.warn("analysis.metrics is now analysis.table", DeprecationWarning, stacklevel=2)
sys.modules[__name__] = importlib.import_module("analysis.table")
