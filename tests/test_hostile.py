"""Hostile and broken input: one clear line and exit 2, never a traceback, never a change to the corpus."""
from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import CorpusError, load_corpus

from .conftest import CORPUS, ROOT


def run(*args):
    return subprocess.run([sys.executable, "-m", "analysis", *args], capture_output=True, text=True, cwd=ROOT)


def digest(folder: Path) -> dict:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def one_error_line(proc) -> str:
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("error: ")
    return lines[0]


@pytest.fixture
def copy(tmp_path) -> Path:
    folder = tmp_path / "X"
    shutil.copytree(CORPUS, folder)
    return folder


def small(tmp_path, manifest: str, files: dict, actors="actors: {}\n") -> Path:
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "manifest.csv").write_bytes(manifest.encode("utf-8") if isinstance(manifest, str) else manifest)
    for name, data in files.items():
        (folder / name).write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    (folder / "actors.yaml").write_text(actors, encoding="utf-8")
    return folder


# --- 1. --out never writes into the corpus, never replaces a foreign file ------------------

@pytest.mark.parametrize("command,target", [("metrics", "manifest.csv"), ("metrics", "000_564656b7978cc542.txt"),
                                            ("annotate", "actors.yaml"), ("clean", "new-file.txt")])
def test_out_inside_the_corpus_is_refused_and_nothing_changes(copy, command, target):
    before = digest(copy)
    line = one_error_line(run(command, str(copy), "--out", str(copy / target)))
    assert "inside the corpus folder" in line
    assert digest(copy) == before
    assert not (copy / "new-file.txt").exists()


def test_an_existing_foreign_file_needs_force(tmp_path):
    notes = tmp_path / "notes.csv"
    notes.write_text("my own notes\n", encoding="utf-8")
    line = one_error_line(run("metrics", str(CORPUS), "--out", str(notes)))
    assert "is not a previous `metrics` output; pass --force" in line
    assert notes.read_text(encoding="utf-8") == "my own notes\n"
    assert run("metrics", str(CORPUS), "--out", str(notes), "--force").returncode == 0
    assert notes.read_text(encoding="utf-8").startswith("outlet,article,metric,target,value")
    # a previous output of the same command is replaced without --force
    assert run("metrics", str(CORPUS), "--out", str(notes)).returncode == 0


def test_an_unwritable_out_fails_before_the_work():
    line = one_error_line(run("metrics", str(CORPUS), "--out", "/proc/framing-metrics.csv"))
    assert "cannot be written" in line


def test_an_interrupted_write_leaves_no_part_file(tmp_path, monkeypatch):
    from analysis import command_io

    out = tmp_path / "m.csv"

    def boom(self, *a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(Path, "replace", boom)
    with pytest.raises(KeyboardInterrupt):
        command_io.write("text", str(out))
    assert list(tmp_path.iterdir()) == []


# --- 2. spreadsheet formulas and control characters -----------------------------------------

def test_formula_cells_are_neutralised_in_csv(tmp_path):
    folder = small(tmp_path, "id,outlet,file\n=1+1,+cmd|' /C calc'!A0,a.txt\n",
                   {"a.txt": "Iran launched drones at Israel on Saturday.\n"})
    proc = run("metrics", str(folder))
    assert proc.returncode == 0, proc.stderr
    rows = proc.stdout.splitlines()[1:]
    assert rows and all(r.startswith("\"'+cmd|' /C calc'!A0\"") or r.startswith("'+cmd") for r in rows)
    assert any(",'=1+1," in r for r in rows)
    assert not any(r.startswith("+") or ",=" in r for r in rows)


@pytest.mark.parametrize("bad", ["\x00", "\u202e", "\x1b"])
def test_control_characters_in_the_manifest_are_one_clear_line(tmp_path, bad):
    folder = small(tmp_path, f"id,outlet,file\na,Out{bad}let,a.txt\n", {"a.txt": "Some text here.\n"})
    line = one_error_line(run("metrics", str(folder)))
    assert f"manifest.csv:2: a field holds the control character U+{ord(bad):04X}" in line


# --- 5. tracebacks that were -----------------------------------------------------------------

def test_a_huge_manifest_field_is_one_line(tmp_path):
    folder = small(tmp_path, "id,outlet,file,notes\na,A,a.txt,\"" + "x" * 140_000 + "\"\n",
                   {"a.txt": "Some text here.\n"})
    line = one_error_line(run("metrics", str(folder)))
    assert "manifest.csv:" in line and "not valid CSV" in line


@pytest.mark.parametrize("date,expected", [("2024-02-30", "not a valid date: day is out of range for month"),
                                           ("2024-13-45", "not a valid date: month must be in 1..12")])
def test_impossible_event_dates_are_one_line(tmp_path, date, expected):
    folder = small(tmp_path, "id,outlet,file\na,A,a.txt\n", {"a.txt": "Some text here.\n"},
                   actors=f"event: {{name: x, date: {date}}}\nactors: {{}}\n")
    line = one_error_line(run("metrics", str(folder)))
    assert "actors.yaml" in line and expected in line


def test_unreadable_files_are_one_line_each(tmp_path, monkeypatch):
    folder = small(tmp_path, "id,outlet,file\na,A,a.txt\nb,B,b.txt\n", {"a.txt": "One.\n", "b.txt": "Two.\n"})
    real = Path.read_bytes

    def denied(self):
        if self.name.endswith(".txt"):
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", denied)
    with pytest.raises(CorpusError) as err:
        load_corpus(folder)
    assert [p for _, p in err.value.problems] == ["cannot be read: permission denied"] * 2


def test_yaml_errors_name_the_line(tmp_path):
    folder = small(tmp_path, "id,outlet,file\na,A,a.txt\n", {"a.txt": "Some text.\n"},
                   actors="actors:\n  Biden:\n    aliases: [Biden\n  Iran: {}\n")
    line = one_error_line(run("metrics", str(folder)))
    assert "not valid YAML: line " in line


# --- 9. smaller ------------------------------------------------------------------------------

def test_manifest_line_numbers_are_physical_lines(tmp_path):
    manifest = 'id,outlet,file,notes\n\na,A,a.txt,"two\nlines"\n\na,B,b.txt,\n'
    folder = small(tmp_path, manifest, {"a.txt": "One.\n", "b.txt": "Two.\n"})
    line = one_error_line(run("metrics", str(folder)))
    # the duplicate is on physical line 6; the first 'a' starts on line 3
    assert line.endswith("manifest.csv:6: duplicate id 'a' (first on line 3)")


def test_every_article_without_words_is_reported(tmp_path):
    folder = small(tmp_path, "id,outlet,file\na,A,a.txt\nb,B,b.txt\nc,C,c.txt\n",
                   {"a.txt": "...\n", "b.txt": "---\n", "c.txt": "A real sentence.\n"})
    proc = run("metrics", str(folder))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("error: ") and "a.txt" in lines[0] and "b.txt" in lines[1]


def test_utf16_with_a_byte_order_mark_is_read(tmp_path):
    text = "Iran launched drones at Israel on Saturday.\n"
    folder = small(tmp_path, "id,outlet,file\na,A,a.txt\n", {"a.txt": "\ufeff".encode("utf-16-le") + text.encode("utf-16-le")})
    corpus = load_corpus(folder)
    assert corpus.articles[0].body.strip() == text.strip()
    assert corpus.articles[0].meta["encoding"] == "utf-16"


def test_utf16_without_a_byte_order_mark_gets_a_clear_line(tmp_path):
    folder = small(tmp_path, "id,outlet,file\na,A,a.txt\n", {"a.txt": "Plain text here.\n".encode("utf-16-le")})
    line = one_error_line(run("metrics", str(folder)))
    assert "UTF-16 without a byte-order mark" in line and "save it as UTF-8" in line


def test_a_folder_listed_as_a_file_is_called_a_folder(tmp_path):
    folder = small(tmp_path, "id,outlet,file\na,A,sub.txt\n", {})
    (folder / "sub.txt").mkdir()
    line = one_error_line(run("metrics", str(folder)))
    assert "is a folder, not a file" in line


# --- 7. make figures-for writes only where it may ----------------------------------------------

@pytest.mark.parametrize("out", ["notebooks/sub", "figures/sub", "data/sub", "data/iran-israel-2024-04"])
def test_figures_for_refuses_folders_of_the_repository(out, capsys):
    from analysis import run_notebooks

    assert run_notebooks.main(["--corpus", str(CORPUS), "--out", str(ROOT / out), "notebooks/00-corpus-tour.ipynb"]) == 2
    assert "choose an output folder outside" in capsys.readouterr().err
    assert not (ROOT / out).exists() or out == "data/iran-israel-2024-04"


def test_figures_for_refuses_the_corpus_itself_and_an_existing_file(copy, tmp_path, capsys):
    from analysis import run_notebooks

    assert run_notebooks.main(["--corpus", str(copy), "--out", str(copy / "out"), "x.ipynb"]) == 2
    f = tmp_path / "file"
    f.write_text("x")
    assert run_notebooks.main(["--corpus", str(copy), "--out", str(f), "x.ipynb"]) == 2
    assert "exists and is not a folder" in capsys.readouterr().err


def test_figures_for_passes_paths_to_the_shell_as_data(tmp_path):
    marker = tmp_path / "INJECTED"
    proc = subprocess.run(["make", "-s", "figures-for", f"CORPUS=x; touch {marker}", f"OUT={tmp_path / 'o'}"],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode != 0
    assert not marker.exists()
    assert "x; touch" in proc.stderr and "not a folder" in proc.stderr


# --- property: any input gives a table or one clear line, and never changes the corpus ----------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_field = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)
_article = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300),
    st.lists(st.sampled_from(["Iran", "Israel", "Biden", "said", "may", ".", "”", "“", "\n\n", " ", "—",
                              "Mr.", "reportedly", "about 300", "...", "\x00", "\u202e", "é"]),
             max_size=80).map("".join),
    st.binary(max_size=200),
)
_actors = st.one_of(
    st.text(max_size=80),
    st.builds(lambda names, aliases: "actors:\n" + "".join(f"  {n!r}:\n    aliases: {a!r}\n"
                                                           for n, a in zip(names, aliases)),
              st.lists(_field, max_size=3), st.lists(st.lists(_field, max_size=3), max_size=3)),
    st.just("event: {name: x, date: 2024-04-13}\nactors:\n  Iran: {kind: country, aliases: [Iran, Tehran]}\n"),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ids=st.lists(_field, min_size=1, max_size=3), outlets=st.lists(_field, min_size=1, max_size=3),
       bodies=st.lists(_article, min_size=1, max_size=3), actors=_actors)
def test_any_input_gives_a_table_or_one_clear_line(tmp_path_factory, ids, outlets, bodies, actors):
    import csv
    import io

    from analysis import cli

    folder = tmp_path_factory.mktemp("c")
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["id", "outlet", "file"])
    for i, body in enumerate(bodies):
        name = f"a{i}.txt"
        (folder / name).write_bytes(body if isinstance(body, bytes) else body.encode("utf-8", "surrogatepass"))
        w.writerow([ids[i % len(ids)], outlets[i % len(outlets)], name])
    (folder / "manifest.csv").write_text(buf.getvalue(), encoding="utf-8")
    (folder / "actors.yaml").write_text(actors, encoding="utf-8", errors="surrogatepass")
    before = digest(folder)
    out = tmp_path_factory.mktemp("o") / "m.csv"
    import contextlib

    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = cli.main(["metrics", str(folder), "--out", str(out)])
    assert digest(folder) == before
    if code == 0:
        assert out.read_text(encoding="utf-8").startswith("outlet,article,metric,target,value,ci_low,ci_high,n")
    else:
        assert code == 2, err.getvalue()
        lines = [ln for ln in err.getvalue().splitlines() if ln.strip() and not ln.startswith("warning: ")]
        assert lines and all(ln.startswith("error: ") for ln in lines), err.getvalue()
        assert not out.exists()


def test_html_nested_deeper_than_255_keeps_its_text(tmp_path):
    body = "<p>Iran launched drones at Israel on Saturday, officials said.</p><p>The attack was repelled.</p>"
    html = "<html><body><script>var hidden = 1;</script>" + "<div>" * 300 + body + "</div>" * 300 + "</body></html>"
    folder = small(tmp_path, "id,outlet,file\na,A,a.html\n", {"a.html": html})
    corpus = load_corpus(folder)
    assert corpus.articles[0].body.split("\n\n") == ["Iran launched drones at Israel on Saturday, officials said.",
                                                     "The attack was repelled."]
