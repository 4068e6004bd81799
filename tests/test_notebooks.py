"""The lesson notebooks run on any valid corpus, and say what they cannot show."""
from __future__ import annotations

import json
import shutil

import pytest

from .conftest import CORPUS, ROOT

ACTOR_NOTEBOOKS = ["notebooks/02-actor-sentiment.ipynb", "notebooks/05-framing-overview.ipynb"]


@pytest.mark.parametrize("actors,message", [
    ("event: {name: test, date: 2024-04-13}\nactors: {}\n", "This corpus tracks no actors"),
    ("event: {name: test, date: 2024-04-13}\nactors:\n  Atlantis: {kind: country, aliases: [Atlantis]}\n",
     "No tracked actor is mentioned"),
])
def test_actor_notebooks_run_without_actors_and_say_so(tmp_path, actors, message):
    from analysis import run_notebooks

    corpus = tmp_path / "c"
    shutil.copytree(CORPUS, corpus)
    (corpus / "actors.yaml").write_text(actors, encoding="utf-8")
    out = tmp_path / "out"
    assert run_notebooks.main(["--corpus", str(corpus), "--out", str(out),
                               *[str(ROOT / nb) for nb in ACTOR_NOTEBOOKS]]) == 0
    for nb in ACTOR_NOTEBOOKS:
        cells = json.loads((out / nb).read_text(encoding="utf-8"))["cells"]
        first = next(c for c in cells if c["cell_type"] == "code")
        assert message in "".join(first["outputs"][0]["text"]), nb
        # the teacher's note on the bundled corpus is not shown about another corpus
        note = next(c for c in cells if "bundled-note" in c["metadata"].get("tags", []))
        shown = "".join(note["outputs"][0]["data"]["text/markdown"])
        assert "In the bundled corpus" not in shown and "This notebook analyses `c`" in shown, nb


SOURCE_AND_WORD_NOTEBOOKS = ["notebooks/07-sources-and-voices.ipynb", "notebooks/08-words-and-names.ipynb"]


def test_sources_and_words_lessons_run_without_actors_and_hide_the_bundled_notes(tmp_path):
    from analysis import run_notebooks

    corpus = tmp_path / "c"
    shutil.copytree(CORPUS, corpus)
    (corpus / "actors.yaml").write_text("event: {name: test, date: 2024-04-13}\nactors: {}\n", encoding="utf-8")
    out = tmp_path / "out"
    assert run_notebooks.main(["--corpus", str(corpus), "--out", str(out),
                               *[str(ROOT / nb) for nb in SOURCE_AND_WORD_NOTEBOOKS]]) == 0
    for nb in SOURCE_AND_WORD_NOTEBOOKS:
        cells = json.loads((out / nb).read_text(encoding="utf-8"))["cells"]
        notes = [c for c in cells if "bundled-note" in c["metadata"].get("tags", [])]
        assert notes, nb
        for note in notes:
            shown = "".join(note["outputs"][0]["data"]["text/markdown"])
            assert "In the bundled corpus" not in shown and "This notebook analyses `c`" in shown, nb
    assert (out / "figures" / "07-sources-and-voices-types.svg").is_file()
    assert (out / "figures" / "08-words-and-names-labels.svg").is_file()
    cells = json.loads((out / SOURCE_AND_WORD_NOTEBOOKS[1]).read_text(encoding="utf-8"))["cells"]
    first = next(c for c in cells if c["cell_type"] == "code")
    assert "Actors followed: none" in "".join(first["outputs"][0]["text"])


def test_split_prints_are_saved_as_one_stream_output():
    """A cell's prints may reach the notebook as one stream message or several (the kernel's
    flushing depends on the machine's load): the saved notebook must not depend on it."""
    from analysis.run_notebooks import merged_streams

    outputs = [{"output_type": "stream", "name": "stdout", "text": "a\n"},
               {"output_type": "stream", "name": "stdout", "text": "b\n"},
               {"output_type": "stream", "name": "stderr", "text": "warn\n"},
               {"output_type": "execute_result", "data": {"text/plain": "1"}, "metadata": {}, "execution_count": 1},
               {"output_type": "stream", "name": "stdout", "text": "c\n"}]
    assert merged_streams(outputs) == [{"output_type": "stream", "name": "stdout", "text": "a\nb\n"},
                                       outputs[2], outputs[3], outputs[4]]
