"""Execute the numbered notebooks reproducibly: ``python -m analysis.run_notebooks``.

Used by ``make figures`` (in place, bundled corpus, figures/) and
``make figures-for CORPUS=... OUT=...`` (another corpus; executed notebooks and
figures go under OUT, never into notebooks/ or figures/).

The notebooks read two environment variables, set here:
    FRAMING_CORPUS       the corpus folder to analyse
    FRAMING_FIGURES_DIR  where save_figure writes
Execution records no timing metadata, uses the ``python3`` kernel of this
interpreter and a fixed PYTHONHASHSEED, so re-running changes no byte.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from analysis.errors import CorpusError
from analysis.paths import BUNDLED_CORPUS, FIGURES_DIR, REPO_ROOT as ROOT
from analysis.pipeline.corpus import load_corpus
DEFAULT_CORPUS = BUNDLED_CORPUS


def execute(path: Path, out_path: Path, corpus: Path, figures_dir: Path, timeout: int = 600) -> None:
    import nbformat  # the notebooks' optional dependencies: only running notebooks needs them
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    env_before = {k: os.environ.get(k) for k in ("FRAMING_CORPUS", "FRAMING_FIGURES_DIR", "PYTHONHASHSEED")}
    os.environ["FRAMING_CORPUS"] = str(corpus)
    os.environ["FRAMING_FIGURES_DIR"] = str(figures_dir)
    os.environ["PYTHONHASHSEED"] = "0"
    os.environ.pop("MPLBACKEND", None)  # an exported backend would disable inline figures
    try:
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                                resources={"metadata": {"path": str(path.parent)}})
        with tempfile.TemporaryDirectory() as sockets:
            # the kernel talks to this process over local sockets (IPC), not TCP: nothing on the
            # network, and no "running over TCP without encryption" warning in every run
            client.km = client.create_kernel_manager()
            client.km.transport = "ipc"
            client.km.connection_file = os.path.join(sockets, "kernel.json")
            client.km.ip = os.path.join(sockets, "kernel")
            client.execute()
    finally:
        for k, v in env_before.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    for cell in nb.cells:
        cell.get("metadata", {}).pop("execution", None)
        if cell.get("outputs"):
            cell.outputs = merged_streams(cell.outputs)
    nb.metadata.pop("widgets", None)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_path.with_name(out_path.name + ".part")
    with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        nbformat.write(nb, fh)
    tmp.replace(out_path)


def merged_streams(outputs: list) -> list:
    """``outputs`` with each run of consecutive stream outputs of one stream (stdout, stderr)
    joined into one: how the kernel happens to flush a cell's prints (one message or several,
    depending on the machine's load) must not change the saved notebook."""
    out = []
    for o in outputs:
        if (o.get("output_type") == "stream" and out and out[-1].get("output_type") == "stream"
                and out[-1].get("name") == o.get("name")):
            out[-1]["text"] = out[-1]["text"] + o["text"]
        else:
            out.append(o)
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis.run_notebooks")
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--corpus", type=Path, default=None, help="corpus folder (default: the bundled one)")
    parser.add_argument("--out", type=Path, default=None,
                        help="output folder for executed notebooks and figures (default: in place)")
    args = parser.parse_args(argv)
    corpus = (args.corpus or DEFAULT_CORPUS).resolve()
    if args.out is None:
        if args.corpus is not None and corpus != DEFAULT_CORPUS.resolve():
            print("error: another corpus needs --out (the committed notebooks and figures are for the "
                  "bundled corpus)", file=sys.stderr)
            return 2
        figures_dir = FIGURES_DIR
    else:
        out = args.out.resolve()
        forbidden = [ROOT / "notebooks", FIGURES_DIR, ROOT / "data", corpus]
        inside = next((f for f in forbidden if out == f.resolve() or f.resolve() in out.parents), None)
        if out == ROOT or inside is not None:
            print(f"error: {args.out}: choose an output folder outside notebooks/, figures/, data/ and the corpus",
                  file=sys.stderr)
            return 2
        if out.exists() and not out.is_dir():
            print(f"error: {args.out}: exists and is not a folder", file=sys.stderr)
            return 2
        figures_dir = out / "figures"
    try:
        load_corpus(corpus)  # fail early, with one clear line, before starting kernels
    except CorpusError as err:
        for path, problem in err.problems:
            print(f"error: {path}: {problem}", file=sys.stderr)
        return 2
    figures_dir.mkdir(parents=True, exist_ok=True)
    for nb_path in args.notebooks:
        target = nb_path if args.out is None else args.out / "notebooks" / nb_path.name
        t0 = time.perf_counter()
        print(f"running {nb_path} ...", file=sys.stderr, flush=True)
        execute(nb_path.resolve(), Path(target).resolve(), corpus, figures_dir)
        print(f"  done in {time.perf_counter() - t0:.1f} s -> {target}", file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
