"""The validation layer: scoring helpers checked by hand, floors, the validate command without data."""
from __future__ import annotations

import json
import math
import subprocess
import sys

import pytest

from analysis.measures.linear import LinearModel, load_model, save_model
from analysis.validation import scoring
from analysis.validation.validate import check_floors, render_markdown

from .conftest import ROOT


def test_classification_report_by_hand():
    # gold a a b c / pred a b b b:
    # a: tp 1, predicted 1, gold 2 -> P 1, R .5, F1 2/3; b: tp 1, predicted 3, gold 1 -> P 1/3, R 1, F1 .5; c: 0
    rep = scoring.classification_report(list("aabc"), list("abbb"), labels="abc")
    assert rep["per_class"]["a"]["f1"] == pytest.approx(2 / 3)
    assert rep["per_class"]["b"]["precision"] == pytest.approx(1 / 3)
    assert rep["per_class"]["c"]["f1"] == 0
    assert rep["macro_f1"] == pytest.approx((2 / 3 + 0.5 + 0) / 3)
    assert rep["accuracy"] == 0.5
    assert rep["confusion"]["matrix"] == [[1, 1, 0], [0, 1, 0], [0, 1, 0]]


def test_binary_report_by_hand():
    # 2 true positives, 1 false positive, 1 false negative: P 2/3, R 2/3
    rep = scoring.binary_report([1, 1, 1, 0, 0], [1, 1, 0, 1, 0])
    assert (rep["precision"], rep["recall"]) == (pytest.approx(2 / 3), pytest.approx(2 / 3))
    assert rep["accuracy"] == pytest.approx(3 / 5)


def test_counts_helpers_by_hand():
    # 2 matched of 3 predicted and 4 gold: P 2/3, R 1/2, F1 2*2/(3+4) = 4/7
    out = scoring.precision_recall_f1(2, 3, 4)
    assert (out["precision"], out["recall"]) == (pytest.approx(2 / 3), 0.5)
    assert out["f1"] == pytest.approx(4 / 7) and scoring.f1_from_counts(2, 3, 4) == pytest.approx(4 / 7)
    assert scoring.precision_recall_f1(0, 0, 0) == {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    assert scoring.f1_from_counts(0, 0, 0) == 0.0


def test_per_class_f1_by_hand():
    # the items of the classification report above, plus a class d absent from both
    out = scoring.per_class_f1(list("aabc"), list("abbb"), labels="abcd")
    assert out["per_class"]["a"] == {"precision": 1.0, "recall": 0.5, "f1": pytest.approx(2 / 3), "support": 2}
    assert out["per_class"]["b"]["f1"] == pytest.approx(0.5)
    assert out["per_class"]["d"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0}
    assert out["macro_f1"] == pytest.approx((2 / 3 + 0.5) / 4)
    rep = scoring.classification_report(list("aabc"), list("abbb"), labels="abc")
    for lab in "abc":
        assert out["per_class"][lab]["f1"] == pytest.approx(rep["per_class"][lab]["f1"])


def test_share_agreement_by_hand():
    out = scoring.share_agreement([0.0, 0.5, 1.0], [0.1, 0.5, 0.9])
    assert out["pearson_r"] == pytest.approx(1.0)
    assert out["mae"] == pytest.approx(0.2 / 3)
    assert math.isnan(scoring.share_agreement([0.2, 0.4], [0.3, 0.3])["pearson_r"])  # a constant


def test_cohen_kappa_by_hand():
    # po = 3/4; pe = (2*1 + 2*3)/16 = 1/2 -> kappa = .5
    assert scoring.cohen_kappa(list("aabb"), list("abbb")) == pytest.approx(0.5)


def test_folds_keep_groups_together_and_are_stable():
    keys = ["s1", "s1", "s2", "s3", "s3", "s4", "s5"]
    f = scoring.folds(keys, 3, seed=0)
    assert f[0] == f[1] and f[3] == f[4]
    assert f == scoring.folds(keys, 3, seed=0)
    assert sorted(set(f)) == [0, 1, 2]


def test_linear_model_probabilities_and_explanation_by_hand(tmp_path):
    # logits: neg = 0 + 1*2 = 2, pos = 0 + 1*(-1) = -1 -> P(neg) = e^2 / (e^2 + e^-1)
    m = LinearModel(("neg", "pos"), (0.0, 0.0), {"bad": (2.0, -1.0), "unused": (5.0, 5.0)}, {"data": "toy"})
    p = m.proba({"bad": 1.0})
    assert p[0] == pytest.approx(math.exp(2) / (math.exp(2) + math.exp(-1)))
    assert m.predict({"bad": 1.0}) == "neg"
    assert m.explain({"bad": 1.0}, "neg") == [("bad", 3.0)]  # 2 - (-1)
    save_model(m, tmp_path / "toy.json")
    again = load_model(tmp_path / "toy.json")
    assert again == m


def _result(value):
    return {"measure": "toy", "dataset": "toy set", "protocol": "none",
            "systems": {"method": {"label": "method", "report": scoring.classification_report("ab", "ab")}},
            "targets": [{"name": "macro-F1", "system": "method", "value": value, "target": 0.5,
                         "direction": ">="},
                        {"name": "MAE", "system": "method", "value": 0.2, "target": 0.1, "direction": "<="}]}


def test_floors_fail_below_and_ceilings_fail_above():
    floors = {"toy: macro-F1": 0.6, "toy: MAE": 0.15}
    fails = check_floors({"toy": _result(0.55)}, floors)
    assert len(fails) == 2
    assert fails[0].startswith("toy: macro-F1 = 0.550 is past its floor 0.600")
    assert "ceiling 0.150" in fails[1]
    assert check_floors({"toy": _result(0.7)}, {"toy: macro-F1": 0.6}) == []
    assert check_floors({"toy": _result(float("nan"))}, {"toy: macro-F1": 0.6})  # NaN never passes


def test_markdown_lists_targets_and_systems():
    md = render_markdown({"toy": _result(0.7)}, {"toy: macro-F1": 0.6})
    assert "| toy | macro-F1 | 0.700 | >= 0.500 | yes | 0.600 |" in md
    assert "| toy | MAE | 0.200 | <= 0.100 | no |  |" in md
    assert "| method | 1.000 | 1.000 |" in md


def test_validate_without_data_says_so_in_one_line_and_exits_0(tmp_path):
    run = subprocess.run([sys.executable, "-m", "analysis", "validate", "--external", str(tmp_path / "none")],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0
    assert run.stdout == ""
    assert run.stderr.count("\n") == 1 and "no external data at" in run.stderr


def test_committed_validation_results_match_the_floors():
    """docs/validation.json (written by `make validate`) passes the floors it was written with."""
    path = ROOT / "docs" / "validation.json"
    if not path.is_file():
        pytest.skip("docs/validation.json not written yet")
    data = json.loads(path.read_text("utf-8"))
    results = {k: {**v, "targets": [{**t, "value": float("nan") if t["value"] is None else t["value"]}
                                    for t in v.get("targets", [])]}
               for k, v in data["results"].items()}
    assert check_floors(results, data["floors"]) == []


def test_external_validation_frame_and_figure(tmp_path):
    """The notebook's external-validation table and figure read docs/validation.json, no external data."""
    import matplotlib

    matplotlib.use("Agg")
    from analysis.report import figures

    res = _result(0.7)
    res["systems"]["baseline"] = {"label": "naive", "report": scoring.classification_report("ab", "aa")}
    res["systems"]["method"]["share"] = {"pearson_r": 0.8, "mae": 0.1, "n": 3}
    path = tmp_path / "v.json"
    path.write_text(json.dumps({"results": {"context": res}, "floors": {}}), encoding="utf-8")
    frame = figures.external_validation(path)
    # method: macro-F1 1.0 and share r 0.8; baseline: macro-F1 of gold a,b / pred a,a = (2/3 + 0) / 2
    assert frame[["system", "figure", "value"]].values.tolist() == [
        ["method", "macro-F1", 1.0], ["method", "share r", 0.8], ["naive", "macro-F1", pytest.approx(1 / 3)]]
    assert frame["data"].unique().tolist() == ["NewsDiscourse"]
    ax = figures.external_validation_bars(frame)
    assert len(ax.patches) == 3
    targets = figures.external_targets(path)
    assert targets.values.tolist() == [["context", "macro-F1", 0.7, ">= 0.5", "yes"],
                                       ["context", "MAE", 0.2, "<= 0.1", "no"]]
