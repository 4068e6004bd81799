"""Exports for other tools: the wide table (one row per outlet and article) and the workbook."""
from __future__ import annotations

import shutil

import pandas as pd
import pytest

from analysis import load_corpus, metrics_table
from analysis.export import wide_table, write_xlsx

from .conftest import CORPUS


def test_wide_table_has_one_row_per_group_and_one_column_per_metric_and_target(corpus):
    table = metrics_table(corpus)
    wide = wide_table(table)
    groups = len(corpus.outlets) + len(corpus.articles)
    assert len(wide) == groups
    assert list(wide.columns[:4]) == ["outlet", "article", "articles", "paragraphs"]
    cells = len(wide.columns) - 2
    assert cells == table[table.article == ""].groupby("outlet").size().iloc[0]  # outlet rows have every metric
    # Outlet A's article, counted again from the annotate records: hedge cues per 1,000 words
    from analysis.annotate import annotate_corpus

    records = [r for r in annotate_corpus(corpus, evidence=False) if r["article"] == "A"]
    hedges, words = sum(len(r["hedges"]) for r in records), sum(r["words"] for r in records)
    a = wide[(wide.outlet == "Outlet A") & (wide.article == "A")].iloc[0]
    assert a["hedges_per_1000_words"] == pytest.approx(1000 * hedges / words)
    assert a["words"] == words
    assert a["paragraphs"] == 5 and pd.isna(a["articles"])  # 5 paragraphs: test_cli; the count of articles is an outlet row
    row = table[(table.outlet == "Outlet A") & (table.article == "A") & (table.metric == "sentiment_all")
                & (table.target == "Israel")].iloc[0]
    assert a["sentiment_all:Israel"] == row.value


def test_exports_neutralise_formula_cells(tmp_path):
    folder = tmp_path / "c"
    shutil.copytree(CORPUS, folder)
    manifest = (folder / "manifest.csv").read_text(encoding="utf-8")
    (folder / "manifest.csv").write_text(manifest.replace("Outlet A", "=HYPERLINK(1)"), encoding="utf-8")
    table = metrics_table(load_corpus(folder))
    write_xlsx(table, tmp_path / "m.xlsx")
    sheets = pd.read_excel(tmp_path / "m.xlsx", sheet_name=None, keep_default_na=False)
    assert set(sheets) == {"metrics", "wide"}
    for sheet in sheets.values():
        assert "'=HYPERLINK(1)" in set(sheet.outlet) and "=HYPERLINK(1)" not in set(sheet.outlet)
    assert len(sheets["metrics"]) == len(table)


def _pandas_csv(frame) -> str:
    import io

    buf = io.StringIO()
    frame.to_csv(buf, index=False, lineterminator="\n", float_format="%.6g")
    return buf.getvalue()


def _our_csv(frame) -> str:
    import io

    from analysis.export import write_csv

    buf = io.StringIO()
    write_csv(frame, buf)
    return buf.getvalue()


def test_write_csv_is_pandas_to_csv_on_hostile_cells():
    import math

    frame = pd.DataFrame({
        "outlet": ["A, Inc.", 'say "no"', "line\nbreak", "", None, "'=x", "ünï"],
        "value": [0.1234567, -0.0, math.nan, math.inf, 1e-7, 123456789.0, 2.0],
        "n": [0, -1, 2, 3, 4, 5, 6],
        "target": pd.array(["x", None, "z", "", "a", "b", "c"], dtype="string"),
    })
    assert _our_csv(frame) == _pandas_csv(frame)
    assert _our_csv(frame.iloc[:0]) == _pandas_csv(frame.iloc[:0])


def test_write_csv_in_chunks_writes_the_same(monkeypatch):
    from analysis import export

    frame = pd.DataFrame({"outlet": [f"O{i % 3}" for i in range(10)], "value": [i / 7 for i in range(10)],
                          "n": list(range(10))})
    whole = _our_csv(frame)
    monkeypatch.setattr(export, "CSV_CHUNK", 3)  # 3 + 3 + 3 + 1 rows
    assert _our_csv(frame) == whole == _pandas_csv(frame)


def test_write_csv_is_pandas_to_csv_on_the_metrics_table(corpus):
    table = metrics_table(corpus)
    assert _our_csv(table) == _pandas_csv(table)
    wide = wide_table(table)
    assert _our_csv(wide) == _pandas_csv(wide)


@pytest.mark.parametrize("dtype", ["Int64", "Float64", "bool", "datetime64[ns]"])
def test_write_csv_hands_other_columns_to_pandas(dtype):
    frame = pd.DataFrame({"x": pd.array([1, None, 3] if dtype in ("Int64", "Float64") else
                                        ([True, False, True] if dtype == "bool" else
                                         ["2024-04-13", "2024-04-14", None]), dtype=dtype)})
    assert _our_csv(frame) == _pandas_csv(frame)


def test_the_streamed_metrics_csv_is_the_built_tables_csv(tmp_path):
    """``write_metrics_csv`` (the ``metrics`` command's CSV, written as articles come) gives the
    same characters as the built table through ``write_csv``; outlet names and ids that need
    quoting or neutralising included."""
    import io

    from analysis.export import safe_text_columns
    from analysis.table import write_metrics_csv

    folder = tmp_path / "c"
    shutil.copytree(CORPUS, folder)
    manifest = (folder / "manifest.csv").read_text(encoding="utf-8")
    manifest = manifest.replace("Outlet A", "=HYPERLINK(1)").replace("Outlet B", '"Say ""no"", Inc."')
    (folder / "manifest.csv").write_text(manifest, encoding="utf-8")
    corpus = load_corpus(folder)
    streamed = io.StringIO()
    write_metrics_csv(corpus, streamed)
    assert streamed.getvalue() == _our_csv(safe_text_columns(metrics_table(corpus)))
    assert "'=HYPERLINK(1)," in streamed.getvalue() and '"Say ""no"", Inc."' in streamed.getvalue()
