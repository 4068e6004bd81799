"""Public entry point (contract): ``analysis.sentiment`` is ``analysis.measures.sentiment``, where the measure lives."""
import importlib
import sys

sys.modules[__name__] = importlib.import_module("analysis.measures.sentiment")
