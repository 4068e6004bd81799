"""Validation: scoring helpers, external human-labelled sets, training of the learned layers.

Nothing in the measures imports this package; it imports the measures.
"""
