"""Writing results for other programs: text cells made safe for spreadsheets.

A spreadsheet reads a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a
tab or carriage return before one) as a formula, so an outlet named
``=HYPERLINK(...)`` in a manifest could run in the reader's spreadsheet. Every
text column of a tabular export goes through ``neutralise``, which puts an
apostrophe in front of such a cell (the usual defence: the spreadsheet shows
the text as it is and evaluates nothing). Numbers are not touched.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import csv
import json
import os
from pathlib import Path

import numpy as np

if TYPE_CHECKING:
    import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """``value`` with a leading apostrophe if it is text that a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_text_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its text (object or string) columns neutralised cell by cell: a copy if
    any cell needed it, else ``frame`` itself (a large table is not copied for nothing)."""
    import pandas as pd  # imported on first use (start-up time of the commands that never need it)
    out = frame
    for col in frame.columns:
        column = frame[col]
        if column.dtype == object or pd.api.types.is_string_dtype(column):
            if any(_is_formula(v) for v in pd.unique(column)):  # each distinct cell checked once
                if out is frame:
                    out = frame.copy()
                out[col] = column.map(neutralise)
    return out


def _is_formula(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


FLOAT_FORMAT = "%.6g"  # numbers in CSV: six significant digits


def _plain_column(column: pd.Series) -> bool:
    """A column ``write_csv`` writes itself: numpy floats or whole numbers, or text."""
    import pandas as pd  # imported on first use (start-up time of the commands that never need it)
    if isinstance(column.dtype, np.dtype):
        return column.dtype.kind in "fiuO"
    return pd.api.types.is_string_dtype(column)


def write_csv(frame: pd.DataFrame, fh) -> None:
    """``frame`` as CSV into the text file ``fh``: the same characters as
    ``frame.to_csv(fh, index=False, lineterminator="\n", float_format=FLOAT_FORMAT)``
    (missing cells empty, text quoted only where needed), written with the standard
    csv module (speed: about half the time on a table of a million cells). Columns
    other than text, whole numbers and floats go through pandas' own writer.
    """
    if not all(_plain_column(frame[c]) for c in frame.columns):
        frame.to_csv(fh, index=False, lineterminator="\n", float_format=FLOAT_FORMAT)
        return
    writer = csv.writer(fh, lineterminator="\n")
    writer.writerow(frame.columns)
    for start in range(0, len(frame), CSV_CHUNK):  # in chunks: memory bounded by the chunk's cells
        writer.writerows(zip(*(_csv_cells(frame[name].iloc[start:start + CSV_CHUNK]) for name in frame.columns)))


CSV_CHUNK = 20_000  # rows formatted at a time by write_csv


def csv_floats(values) -> list[str]:
    """Floats as ``to_csv`` writes them with FLOAT_FORMAT: NaN as an empty cell."""
    return [FLOAT_FORMAT % v if v == v else "" for v in values]


def _csv_cells(column: pd.Series) -> list:
    """The cells of one column as ``to_csv`` writes them: floats in FLOAT_FORMAT, missing empty."""
    if column.dtype.kind == "f":
        return csv_floats(column.tolist())
    if column.dtype.kind in "iu":
        return column.tolist()
    if column.isna().any():
        column = column.astype(object).where(column.notna(), "")
    return column.tolist()


def annotation_schema(extra=()):
    """The Parquet schema of ``annotate`` records (one row per sentence; hedges and
    mentions as lists of structs, as in the JSON lines). The fields other measures add
    (``extra``, in record order) are JSON text columns: their shape is the measure's own."""
    import pyarrow as pa  # the Parquet writer: only this output needs it

    evidence = pa.struct([("feature", pa.string()), ("words", pa.string()), ("weight", pa.float64())])
    mention = pa.struct([("actor", pa.string()), ("text", pa.string()), ("start", pa.int64()),
                         ("end", pa.int64()), ("sentiment", pa.float64()), ("voice", pa.string()),
                         ("speaker", pa.string()), ("kind", pa.string()), ("evidence", pa.list_(evidence))])
    hedge = pa.struct([("cue", pa.string()), ("category", pa.string()), ("start", pa.int64()),
                       ("end", pa.int64())])
    return pa.schema([("article", pa.string()), ("outlet", pa.string()), ("paragraph", pa.int64()),
                      ("sentence", pa.int64()), ("text", pa.string()), ("role", pa.string()),
                      ("role_confidence", pa.float64()), ("role_probs", pa.map_(pa.string(), pa.float64())),
                      ("words", pa.int64()), ("hedges", pa.list_(hedge)), ("mentions", pa.list_(mention))]
                     + [(name, pa.string()) for name in extra])


def write_annotations_parquet(records, path, batch: int = 5_000) -> None:
    """Write ``annotate`` records to Parquet as they come, ``batch`` rows per row group."""
    import pyarrow as pa  # the Parquet writer: only this output needs it
    import pyarrow.parquet as pq

    records = iter(records)
    first = next(records, None)
    base = set(annotation_schema().names)
    extra = [k for k in first if k not in base] if first is not None else []
    schema = annotation_schema(extra)

    def row(rec):
        out = {**rec, "role_probs": list(rec["role_probs"].items())}
        for name in extra:
            out[name] = json.dumps(rec.get(name), ensure_ascii=False)
        return out

    rows = []
    with pq.ParquetWriter(path, schema) as writer:
        for rec in ([first] if first is not None else []):
            rows.append(row(rec))
        for rec in records:
            rows.append(row(rec))
            if len(rows) == batch:
                writer.write_table(pa.Table.from_pylist(rows, schema=schema))
                rows.clear()
        if rows:
            writer.write_table(pa.Table.from_pylist(rows, schema=schema))


def write_table_parquet(table: pd.DataFrame, path) -> None:
    """The metrics table as one Parquet file (the same columns and types as the CSV)."""
    table.to_parquet(path, index=False, engine="pyarrow")


def wide_table(table: pd.DataFrame) -> pd.DataFrame:
    """One row per outlet (``article`` empty) and per article, one column per metric and target
    (``metric`` or ``metric:target``), holding the value: the layout of LIWC-style tools.

    Rows and columns keep the tidy table's order; intervals and n stay in the tidy table.
    """
    import pandas as pd  # imported on first use (start-up time of the commands that never need it)
    key = table["metric"].where(table["target"].fillna("") == "", table["metric"] + ":" + table["target"])
    columns = list(dict.fromkeys(key))
    rows = list(dict.fromkeys(zip(table["outlet"], table["article"].fillna(""))))
    wide = (table.assign(column=key, article=table["article"].fillna(""))
            .pivot(index=["outlet", "article"], columns="column", values="value"))
    wide = wide.reindex(index=pd.MultiIndex.from_tuples(rows, names=["outlet", "article"]), columns=columns)
    wide.columns.name = None
    return wide.reset_index()


def write_xlsx(table: pd.DataFrame, path) -> None:
    """A workbook with the tidy table (sheet ``metrics``) and the wide one (sheet ``wide``),
    text cells neutralised (openpyxl; the file records when it was written)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "metrics"
    for name, frame in (("metrics", table), ("wide", wide_table(table))):
        if name != "metrics":
            sheet = book.create_sheet(name)
        frame = safe_text_columns(frame)
        sheet.append(list(frame.columns))
        for row in frame.itertuples(index=False):
            sheet.append([None if isinstance(v, float) and v != v else v for v in row])
    book.save(path)


COUNTS_SCHEMA = (("outlet", "string"), ("article", "string"), ("sentences", "int64"), ("paragraphs", "int64"),
                 ("xs", "list<double>"), ("xp", "list<double>"), ("found", "list<int64>"), ("xa", "list<double>"),
                 ("values", "string"))


def write_counts_parquet(records: list[dict], path) -> None:
    """One partition of per-article counts (``analysis.table``'s unit matrices, flattened row by
    row, and the per-article values as JSON), written to a temporary name and renamed, so a
    reader never sees half a file."""
    import pyarrow as pa  # the Parquet writer: only this output needs it
    import pyarrow.parquet as pq

    types = {"string": pa.string(), "int64": pa.int64(), "list<double>": pa.list_(pa.float64()),
             "list<int64>": pa.list_(pa.int64())}
    schema = pa.schema([(name, types[kind]) for name, kind in COUNTS_SCHEMA])
    table = pa.Table.from_pylist(records, schema=schema)
    path = Path(path)
    part = path.with_name(path.name + ".part")
    pq.write_table(table, part)
    os.replace(part, path)


def read_counts_parquet(path) -> list[dict]:
    """The records ``write_counts_parquet`` wrote, in order."""
    import pyarrow.parquet as pq  # the Parquet reader: only this input needs it

    return pq.read_table(path).to_pylist()
