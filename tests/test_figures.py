"""save_figure writes identical bytes on every run; palette is fixed."""
import hashlib

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from analysis.figures import OKABE_ITO, outlet_colours, save_figure  # noqa: E402


def _draw():
    fig, ax = plt.subplots(figsize=(4, 3))
    ax.bar(["A", "B"], [1.0, 2.5], color=OKABE_ITO[:2])
    ax.set_ylabel("hedges per 1,000 words")
    return fig


def _digest(paths):
    return [hashlib.sha256(p.read_bytes()).hexdigest() for p in paths]


def test_save_figure_is_byte_stable(tmp_path):
    first = _digest(save_figure(_draw(), "demo", tmp_path / "a"))
    second = _digest(save_figure(_draw(), "demo", tmp_path / "b"))
    assert first == second
    svg = (tmp_path / "a" / "demo.svg").read_text()
    assert "<dc:date>" not in svg
    assert b"Software" not in (tmp_path / "a" / "demo.png").read_bytes()
    plt.close("all")


def test_outlet_colours_follow_manifest_order():
    assert outlet_colours(["X", "Y"]) == {"X": "#E69F00", "Y": "#56B4E9"}
    assert outlet_colours([str(i) for i in range(9)])["8"] == "#E69F00"  # cycles
