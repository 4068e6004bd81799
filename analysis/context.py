"""Public entry point (contract): ``analysis.context`` is ``analysis.measures.context``, where the measure lives."""
import importlib
import sys

sys.modules[__name__] = importlib.import_module("analysis.measures.context")
