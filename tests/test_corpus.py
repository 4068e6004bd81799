"""Loading: the bundled corpus is intact, and every bad-input case gives one clear line."""
from __future__ import annotations

import hashlib
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from analysis import CorpusError, load_corpus
from analysis.pipeline.corpus import decode_bytes

from .conftest import CORPUS, ROOT

SEEDS = ROOT.parent / "shared" / "seeds"
# sha256 of the five seed files as delivered (checked with sha256sum).
SEED_SHA256 = {
    "000_564656b7978cc542.txt": "0191f813493ab28527f30f2cc2bdf72d256ed7effe054ce809f7ad08650b40c7",
    "001_f0124aabe337c814.txt": "42e1e5ac22b7879f9aba3a449e86c9c79bbc6f261437220572bb339562a158c0",
    "002_c64daeceee9c0a39.txt": "7540a7177468c64f404a3b02bbc8ffb19c61ebb40974b208ded654fcafcfeff2",
    "003_5912ab74b97d98b5.txt": "298c260f73007b5913cb780cf85c6ecd08a89315d07d205a6f89c9c7f48f1586",
    "004_36824e98bd146f7f.txt": "4764f4767400a92d1bed24f0a0d4ede3ca79814b056ef37bc0fdb6b8637b5585",
}


@pytest.mark.parametrize("name,digest", sorted(SEED_SHA256.items()))
def test_bundled_files_are_byte_identical_to_the_seeds(name, digest):
    assert hashlib.sha256((CORPUS / name).read_bytes()).hexdigest() == digest
    if SEEDS.is_dir():  # the shared seeds sit beside the repository on the project's machines
        assert (CORPUS / name).read_bytes() == (SEEDS / name).read_bytes()


def test_bundled_corpus_loads(corpus):
    assert [a.id for a in corpus.articles] == ["A", "B", "C", "D", "E"]
    assert corpus.outlets == ["Outlet A", "Outlet B", "Outlet C", "Outlet D", "Outlet E"]
    assert str(corpus.event_date) == "2024-04-13"
    names = {a.name for a in corpus.actors}
    assert {"Biden", "Netanyahu", "Iran", "Israel", "United States", "Kirby", "Gantz", "Austin",
            "Gallant"} <= names
    # only outlet B's page states a date; nothing else is invented
    assert [a.meta["date"] for a in corpus.articles] == ["", "2024-04-14", "", "", ""]


def test_raw_text_is_the_file_text(corpus):
    for art in corpus.articles:
        assert art.raw == art.file.read_text(encoding="utf-8")


def _corpus(tmp_path: Path, manifest: str, files: dict[str, bytes], actors: str | None = None) -> Path:
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "manifest.csv").write_text(textwrap.dedent(manifest).lstrip(), encoding="utf-8")
    (folder / "actors.yaml").write_text(actors if actors is not None else
                                        "actors:\n  Iran:\n    kind: country\n    aliases: [Iran]\n",
                                        encoding="utf-8")
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return folder


GOOD = b"Iran launched drones at Israel on Saturday.\n\nOfficials said most were intercepted.\n"


@pytest.mark.parametrize("manifest,files,expected", [
    ("id,outlet,file\na,X,missing.txt\n", {}, "missing.txt: missing (listed in manifest.csv line 2)"),
    ("id,outlet,file\na,X,one.txt\na,Y,two.txt\n", {"one.txt": GOOD, "two.txt": GOOD},
     "manifest.csv:3: duplicate id 'a' (first on line 2)"),
    ("id,outlet,file\na,X,../outside.txt\n", {}, "manifest.csv:2: file '../outside.txt' is outside the corpus folder"),
    ("id,outlet,file\na,X,empty.txt\n", {"empty.txt": b"  \n\n"}, "empty.txt: empty file"),
    ("id,outlet,file\na,X,doc.pdf\n", {"doc.pdf": b"%PDF-1.4"}, "doc.pdf: unknown extension '.pdf': use .txt, .md or .html"),
    ("id,outlet,file\na,X,bin.txt\n", {"bin.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"}, "bin.txt: contains NUL bytes: not a text file"),
    ("id,outlet,file\na,,one.txt\n", {"one.txt": GOOD}, "manifest.csv:2: id, outlet and file must all be filled in"),
    ("id,outlet\na,X\n", {}, "manifest.csv: missing column(s) file (required: id, outlet, file)"),
    ("id,outlet,file\n", {}, "manifest.csv: has no articles"),
    ("id,outlet,file,date\na,X,one.txt,14/04/2024\n", {"one.txt": GOOD},
     "manifest.csv:2: date '14/04/2024' is not YYYY-MM-DD (leave it empty if unknown)"),
])
def test_bad_corpus_gives_one_clear_line(tmp_path, manifest, files, expected):
    folder = _corpus(tmp_path, manifest, files)
    with pytest.raises(CorpusError) as err:
        load_corpus(folder)
    lines = str(err.value).splitlines()
    assert len(lines) == 1
    assert lines[0].endswith(expected), lines[0]


def test_every_problem_is_reported_at_once(tmp_path):
    folder = _corpus(tmp_path, "id,outlet,file\na,X,missing.txt\nb,Y,empty.txt\n", {"empty.txt": b""})
    with pytest.raises(CorpusError) as err:
        load_corpus(folder)
    assert len(err.value.problems) == 2


@pytest.mark.parametrize("actors,expected", [
    (None, "actors.yaml: missing"),
    ("actors: [", "actors.yaml: not valid YAML"),
    ("event: {name: x}\n", "actors.yaml: needs a mapping 'actors:'"),
    ("actors:\n  Iran: {kind: planet}\n", "actors.yaml: actor 'Iran': kind 'planet' is not one of"),
    ("event: {date: 13 April}\nactors:\n  Iran: {kind: country}\n", "actors.yaml: date '13 April' is not YYYY-MM-DD"),
])
def test_bad_actors_file(tmp_path, actors, expected):
    folder = _corpus(tmp_path, "id,outlet,file\na,X,one.txt\n", {"one.txt": GOOD}, actors=actors or "")
    if actors is None:
        (folder / "actors.yaml").unlink()
    with pytest.raises(CorpusError) as err:
        load_corpus(folder)
    assert expected in str(err.value)


def test_not_a_folder(tmp_path):
    with pytest.raises(CorpusError, match="not a folder"):
        load_corpus(tmp_path / "nope")


def test_cp1252_fallback_is_logged(tmp_path):
    text = "Iran\u2019s attack \u2013 the \u201cbrazen\u201d one.\n".encode("cp1252")
    folder = _corpus(tmp_path, "id,outlet,file\na,X,one.txt\n", {"one.txt": text})
    art = load_corpus(folder).articles[0]
    assert art.meta["encoding"] == "cp1252"
    assert "Iran\u2019s attack" in art.body
    assert art.log[0].rule == "decode-fallback"


@pytest.mark.parametrize("data,expected", [
    (b"plain ascii", ("plain ascii", "utf-8")),
    ("caf\u00e9".encode("utf-8"), ("caf\u00e9", "utf-8")),
    (b"\xef\xbb\xbfbom", ("bom", "utf-8")),
    (b"line\r\nbreak\rmac", ("line\nbreak\nmac", "utf-8")),
    ("caf\u00e9".encode("latin-1"), ("caf\u00e9", "cp1252")),
    (b"\x81\x8d", ("\x81\x8d", "latin-1")),  # undefined in cp1252: latin-1 keeps every byte
])
def test_decode_bytes(data, expected):
    assert decode_bytes(data) == expected


def test_html_main_text_is_extracted(tmp_path):
    html = ("<html><head><title>T</title><script>document.write('injected')</script></head><body>"
            "<nav><a href='/'>Home</a> / <a href='/world'>World</a></nav>"
            "<article><h1>Iran fires drones at Israel</h1>"
            + "".join(f"<p>Paragraph {i} says that Iran launched drones and missiles at Israel on "
                      f"Saturday night, and that most of them were intercepted by air defences.</p>"
                      for i in range(6))
            + "</article><footer>Copyright 2024 Example News. All rights reserved.</footer></body></html>")
    folder = _corpus(tmp_path, "id,outlet,file\na,X,page.html\n", {"page.html": html.encode()})
    art = load_corpus(folder).articles[0]
    assert "Paragraph 0 says" in art.body and "Paragraph 5 says" in art.body
    assert "injected" not in art.body and "All rights reserved" not in art.body


def test_cli_error_is_one_line_without_traceback(tmp_path):
    folder = _corpus(tmp_path, "id,outlet,file\na,X,missing.txt\n", {})
    proc = subprocess.run([sys.executable, "-m", "analysis", "metrics", str(folder)],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.strip().count("\n") == 0
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith("error: ") and "missing.txt: missing" in proc.stderr


def _corpus_with_actors(tmp_path, actors_yaml: str) -> Path:
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "manifest.csv").write_text("id,outlet,file\na,Outlet A,a.txt\n", encoding="utf-8")
    (folder / "a.txt").write_text("Joe Biden spoke. Later Biden left. Hunter Biden stayed home.\n",
                                  encoding="utf-8")
    (folder / "actors.yaml").write_text(textwrap.dedent(actors_yaml), encoding="utf-8")
    return folder


SHARED_ALIAS = """\
    event: {name: test}
    actors:
      Joe:
        kind: person
        aliases: [Joe Biden, Biden]
      Hunter:
        kind: person
        aliases: [Hunter Biden, biden]
    """


def test_a_shared_alias_is_reported_naming_both_actors(tmp_path):
    from analysis.pipeline.corpus import AliasWarning

    folder = _corpus_with_actors(tmp_path, SHARED_ALIAS)
    with pytest.warns(AliasWarning, match="actors 'Joe' and 'Hunter' share the alias 'Biden'"):
        corpus = load_corpus(folder)
    assert len(corpus.warnings) == 1
    assert corpus.warnings[0][0].endswith("actors.yaml")


def test_the_cli_prints_a_shared_alias_as_one_warning_line(tmp_path):
    folder = _corpus_with_actors(tmp_path, SHARED_ALIAS)
    run = subprocess.run([sys.executable, "-m", "analysis", "metrics", str(folder)],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0
    lines = [ln for ln in run.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("warning: ") and "'Joe' and 'Hunter'" in lines[0]
    assert "Traceback" not in run.stderr


def test_an_alias_written_as_a_string_is_one_alias(tmp_path):
    folder = _corpus_with_actors(tmp_path, """\
        actors:
          Biden:
            kind: person
            aliases: Biden
        """)
    corpus = load_corpus(folder)
    assert corpus.actors[0].aliases == ("Biden",)  # not ('B', 'i', 'd', 'e', 'n')
    assert corpus.warnings == ()


def test_the_bundled_corpus_has_no_shared_alias(corpus):
    assert corpus.warnings == ()
