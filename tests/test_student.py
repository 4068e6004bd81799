"""The student edition (`make student`): the lessons without solutions or outputs, a hint and
an answer cell under each exercise, and still runnable from top to bottom."""
from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from analysis.student import main, student_notebook

from .conftest import ROOT

LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_no_solution_survives_and_every_exercise_has_a_hint(path):
    teacher = nbformat.read(path, as_version=4)
    student = student_notebook(teacher)
    text = "\n".join(c.source for c in student.cells)
    assert "## Solutions" not in text and not re.search(r"\*\*Solution \d", text)
    exercises = re.findall(r"^(\d+)\. \*\*", next(c.source for c in teacher.cells
                                               if c.source.startswith("## Exercises")), re.M)
    hints = [c.source for c in student.cells if c.source.startswith("**Exercise ")]
    assert len(exercises) == len(hints) == 3
    assert all("*Hint:*" in h for h in hints)
    assert all(not c.get("outputs") for c in student.cells if c.cell_type == "code")
    assert any(c.source.startswith("## References") for c in student.cells) or path.stem.startswith("06")
    nbformat.validate(student)
    # the teacher's notebook is left as it was
    assert nbformat.read(path, as_version=4) == teacher


def test_a_student_notebook_runs_from_top_to_bottom(tmp_path):
    from nbclient import NotebookClient

    assert main([str(tmp_path / "student")]) == 0
    nb = nbformat.read(tmp_path / "student" / "01-hedging.ipynb", as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    assert any(o.get("output_type") == "display_data" for c in nb.cells for o in c.get("outputs", []))


def test_the_student_edition_never_overwrites_the_teachers():
    assert main([str(ROOT / "notebooks")]) == 2
