"""Exports for other tools: the wide table (one row per outlet and article) and the workbook."""
from __future__ import annotations

import io
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


def _odd_names_corpus(tmp_path):
    """The bundled corpus with outlet names that need quoting, neutralising or escaping."""
    folder = tmp_path / "c"
    shutil.copytree(CORPUS, folder)
    manifest = (folder / "manifest.csv").read_text(encoding="utf-8")
    manifest = (manifest.replace("Outlet A", "=HYPERLINK(1)").replace("Outlet B", '"Say ""no"", Inc."')
                .replace("Outlet C", "Le Monde \\ Édition"))
    (folder / "manifest.csv").write_text(manifest, encoding="utf-8")
    return load_corpus(folder)


def test_the_streamed_metrics_json_is_the_built_tables_json(tmp_path):
    """``write_metrics_json`` (the ``metrics`` command's JSON, written as articles come) gives the
    same characters as ``table_to_json`` of the built table: quotes, backslashes and non-ASCII
    outlet names escaped as json.dumps escapes them, NaN as null, the outlet's row first."""
    import io
    import json

    from analysis.table import table_to_json, write_metrics_json

    corpus = _odd_names_corpus(tmp_path)
    streamed = io.StringIO()
    write_metrics_json(corpus, streamed)
    text = streamed.getvalue()
    assert text == table_to_json(metrics_table(corpus))
    records = json.loads(text)
    assert records[0]["outlet"] == "=HYPERLINK(1)" and records[0]["metric"] == "articles"
    assert records[0]["ci_low"] is None and records[0]["n"] == 1  # one article per outlet
    assert '"outlet": "Say \\"no\\", Inc."' in text and '"outlet": "Le Monde \\\\ Édition"' in text


def test_an_empty_streamed_table_is_an_empty_array_and_a_header():
    import io

    from analysis.table import COLUMNS, _CsvRows, _JsonRows, table_to_json

    for rows, expected in ((_JsonRows, table_to_json(pd.DataFrame(columns=COLUMNS))), (_CsvRows, ",".join(COLUMNS) + "\n")):
        fh = io.StringIO()
        rows(["m"], [""], fh).result()
        assert fh.getvalue() == expected
    assert table_to_json(pd.DataFrame(columns=COLUMNS)) == "[]\n"


class _FullDisk(io.BytesIO):
    """A temporary file that takes ``room`` bytes, then fails as a full disk does."""

    def __init__(self, room):
        super().__init__()
        self.room = room

    def write(self, data):
        if self.tell() + len(data) > self.room:
            raise OSError(28, "No space left on device")
        self.taken = self.tell() + len(data)
        return super().write(data)


@pytest.mark.parametrize("spool", ["memory", "file", "no file", "disk fills"])
def test_the_held_rows_are_the_same_in_memory_or_in_a_temporary_file(tmp_path, monkeypatch, spool):
    """Past ``SPOOL_BYTES`` the articles' rows wait in a temporary file; where it cannot be made,
    or the disk fills while it is written, they are held in memory from then on. The CSV and
    JSON are the same characters every way."""
    import io
    import tempfile

    from analysis import table as tb

    corpus = _odd_names_corpus(tmp_path)
    expected = {}
    for writer in (tb.write_metrics_csv, tb.write_metrics_json):
        fh = io.StringIO()
        writer(corpus, fh)
        expected[writer] = fh.getvalue()
    made = []

    def temporary_file(*args, **kwargs):
        if spool == "no file":
            raise OSError(13, "Permission denied")
        # room for one article's JSON rows (22 kB) or four articles' CSV rows (6 kB each)
        made.append(_FullDisk(room=30_000) if spool == "disk fills" else io.BytesIO())
        return made[-1]

    monkeypatch.setattr(tempfile, "TemporaryFile", temporary_file)
    if spool != "memory":
        monkeypatch.setattr(tb, "SPOOL_BYTES", 0)
    for writer in (tb.write_metrics_csv, tb.write_metrics_json):
        fh = io.StringIO()
        writer(corpus, fh)
        assert fh.getvalue() == expected[writer]
    if spool == "file":
        assert len(made) == 2 and all(f.closed for f in made)  # one file per table, closed at the end
    elif spool == "disk fills":  # some rows were read back from the file, the rest held
        assert len(made) == 2 and all(f.closed and 20_000 < f.taken <= 30_000 for f in made)
    else:
        assert not made


@pytest.mark.parametrize("group_rows", [25_000, 300])
def test_the_streamed_metrics_parquet_reads_back_as_the_built_table(tmp_path, monkeypatch, group_rows):
    """``write_metrics_parquet`` writes the table in row groups as the outlets come; read back,
    it is the built table, types and all, and the same as what pandas writes of it."""
    import pyarrow.parquet as pq

    from analysis import table as tb

    corpus = _odd_names_corpus(tmp_path)
    monkeypatch.setattr(tb, "PARQUET_ROWS", group_rows)
    streamed, built = tmp_path / "s.parquet", tmp_path / "b.parquet"
    with open(streamed, "wb") as fh:
        tb.write_metrics_parquet(corpus, fh)
    table = metrics_table(corpus)
    table.to_parquet(built, index=False, engine="pyarrow")
    back = pd.read_parquet(streamed)
    pd.testing.assert_frame_equal(back, table)
    pd.testing.assert_frame_equal(back, pd.read_parquet(built))
    assert pq.read_schema(streamed) == pq.read_schema(built)
    # each outlet: its row (126 rows) and its one article (125); a group closes once 300 are held:
    # 126+125+126, 125+126+125, 126+125+126, 125
    assert pq.ParquetFile(streamed).num_row_groups == (1 if group_rows == 25_000 else 4)


def test_the_streamed_wide_csv_is_the_built_wide_tables_csv(tmp_path):
    """``write_metrics_wide`` (``metrics --format wide``, written as articles come) gives the same
    characters as the wide table built from the tidy one, neutralised and quoted as before; an
    article's line leaves the outlet's "articles" cell empty."""
    import io

    from analysis.export import safe_text_columns, write_csv
    from analysis.table import write_metrics_wide

    corpus = _odd_names_corpus(tmp_path)
    streamed = io.StringIO()
    write_metrics_wide(corpus, streamed)
    built = io.StringIO()
    write_csv(safe_text_columns(wide_table(metrics_table(corpus))), built)
    assert streamed.getvalue() == built.getvalue()
    lines = streamed.getvalue().splitlines()
    assert lines[0].startswith("outlet,article,articles,paragraphs,")
    assert lines[1].startswith("'=HYPERLINK(1),,1,5,") and lines[2].startswith("'=HYPERLINK(1),A,,5,")
    assert len(lines) == 1 + len(corpus.outlets) + len(corpus.articles)


def test_table_rows_is_known_before_the_pass(corpus):
    from analysis.table import table_rows

    assert table_rows(corpus) == len(metrics_table(corpus)) == 1255  # 5 outlets x 126 rows + 5 articles x 125


def test_xlsx_too_long_for_a_worksheet_is_refused_before_the_work(tmp_path, monkeypatch, capsys):
    """A table longer than a worksheet (1,048,576 rows with the header; lowered here to 1,255, the
    bundled table's length) is refused at once: one line, exit 2, no file, nothing annotated."""
    from analysis import cli
    from analysis import table as tb

    def never(*args, **kwargs):
        raise AssertionError("the corpus was annotated")

    monkeypatch.setattr(cli, "metrics_table", never)
    monkeypatch.setattr(cli, "XLSX_MAX_ROWS", 1_255)
    out = tmp_path / "m.xlsx"
    assert cli.main(["metrics", str(CORPUS), "--format", "xlsx", "--out", str(out), "--quiet"]) == 2
    assert capsys.readouterr().err == ("error: --format xlsx: the table would have 1,255 rows, more than a "
                                       "worksheet holds (1,255 with the header): use --format csv, parquet or wide\n")
    assert not out.exists() and not (tmp_path / "m.xlsx.part").exists()
    monkeypatch.setattr(cli, "XLSX_MAX_ROWS", 1_256)  # the table and its header fit
    monkeypatch.setattr(cli, "metrics_table", tb.metrics_table)
    assert cli.main(["metrics", str(CORPUS), "--format", "xlsx", "--out", str(out), "--quiet"]) == 0
    assert len(pd.read_excel(out, sheet_name="metrics")) == 1255
