"""Writing results for other programs: text cells made safe for spreadsheets.

A spreadsheet reads a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a
tab or carriage return before one) as a formula, so an outlet named
``=HYPERLINK(...)`` in a manifest could run in the reader's spreadsheet. Every
text column of a tabular export goes through ``neutralise``, which puts an
apostrophe in front of such a cell (the usual defence: the spreadsheet shows
the text as it is and evaluates nothing). Numbers are not touched.
"""
from __future__ import annotations

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """``value`` with a leading apostrophe if it is text that a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_text_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text (object or string) columns are neutralised cell by cell."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise)
    return out
