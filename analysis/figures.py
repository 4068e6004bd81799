"""Deprecated name of ``analysis.report.figures``; kept so that old notebooks run."""
import importlib
import sys
import warnings

warnings.warn("analysis.figures is now analysis.report.figures", DeprecationWarning, stacklevel=2)
sys.modules[__name__] = importlib.import_module("analysis.report.figures")
