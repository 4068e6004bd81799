"""Public entry point (contract): ``analysis.hedging`` is ``analysis.measures.hedging``, where the measure lives."""
import importlib
import sys

sys.modules[__name__] = importlib.import_module("analysis.measures.hedging")
