"""The student edition of the lessons: ``make student`` (``python -m analysis.student OUT``).

Each lesson is copied with its solutions taken out and its outputs cleared (the
students run it themselves). Under the exercises, each exercise gets a hint and
an empty cell for the answer. The hint names the functions and methods the
teacher's solution calls (read from the solution's code, so it stays true when
a solution changes) or, for a solution without code, points back to the
evidence shown earlier. The teacher edition (notebooks/) is not touched.
"""
from __future__ import annotations

import argparse
import ast
import copy
import re
import sys
from pathlib import Path

from analysis.paths import REPO_ROOT

SOLUTION = re.compile(r"^\*\*Solution (\d+)\.\*\*")
EXERCISE = re.compile(r"^(\d+)\. \*\*(.+?)\*\*", re.M)


def _calls(code: str) -> list[str]:
    """The dotted names a piece of code calls (``figures.hedge_table``, ``.groupby``), in order."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            f = node.func
            if isinstance(f, ast.Attribute):
                base = f.value.id if isinstance(f.value, ast.Name) else ""
                name = f"{base}.{f.attr}" if base in ("figures", "analysis", "pd", "np") else f".{f.attr}"
            elif isinstance(f, ast.Name):
                name = f.id
            else:
                continue
            if name not in out and name not in ("print", "len", "list", "dict", "sorted", "round", "str"):
                out.append(name)
    return sorted(out, key=lambda n: (n.startswith("."), n))


def student_notebook(nb):
    """A copy of ``nb`` (nbformat v4) without solutions or outputs, with a hint and an answer
    cell under each exercise."""
    import nbformat  # the notebooks' optional dependency: only this command needs it

    nb = copy.deepcopy(nb)
    cells = nb.cells
    heads = [i for i, c in enumerate(cells) if c.cell_type == "markdown" and c.source.startswith("## ")]
    sol = next((i for i in heads if cells[i].source.startswith("## Solutions")), None)
    ex = next((i for i in heads if cells[i].source.startswith("## Exercises")), None)
    if sol is None or ex is None:
        raise ValueError("a lesson needs an '## Exercises' and a '## Solutions' section")
    end = next((i for i in heads if i > sol), len(cells))
    solutions: dict[int, list[str]] = {}
    current = None
    for c in cells[sol + 1:end]:
        m = SOLUTION.match(c.source) if c.cell_type == "markdown" else None
        if m:
            current = int(m.group(1))
            solutions.setdefault(current, [])
        elif c.cell_type == "code" and current is not None:
            solutions[current].append(c.source)
    exercises = EXERCISE.findall(cells[ex].source)
    added = []
    for number, title in exercises:
        names = _calls("\n".join(solutions.get(int(number), [])))
        if names:
            hint = "the teacher's solution uses " + ", ".join(f"`{n}`" for n in names[:6]) + "."
        else:
            hint = "the tables and evidence shown earlier in this notebook hold the answer; no code is needed."
        added.append(nbformat.v4.new_markdown_cell(f"**Exercise {number}: {title}** *Hint:* {hint}",
                                                   id=f"exercise-{number}-hint"))
        added.append(nbformat.v4.new_code_cell(f"# Exercise {number}: your answer\n", id=f"exercise-{number}-answer"))
    nb.cells = cells[:ex + 1] + added + cells[ex + 1:sol] + cells[end:]
    for c in nb.cells:
        if c.cell_type == "code":
            c.outputs, c.execution_count = [], None
    return nb


def write_student_edition(notebooks, out: Path) -> list[Path]:
    import nbformat

    out.mkdir(parents=True, exist_ok=True)
    written = []
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        target = out / Path(path).name
        nbformat.write(student_notebook(nb), target)
        written.append(target)
    return written


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis.student", description=__doc__.splitlines()[0])
    parser.add_argument("out", help="folder for the student edition (not notebooks/)")
    args = parser.parse_args(argv)
    out = Path(args.out).resolve()
    if out == (REPO_ROOT / "notebooks").resolve():
        print("error: the student edition never overwrites the teacher's notebooks/", file=sys.stderr)
        return 2
    lessons = sorted((REPO_ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    for path in write_student_edition(lessons, out):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
