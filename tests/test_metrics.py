"""The tidy metrics table: contract, hand-checked values on a tiny corpus, and a
second, independent computation of the headline numbers (from the annotate output)."""
from __future__ import annotations

import io
import json
import math
import subprocess
import sys
import textwrap

import numpy as np
import pandas as pd
import pytest

from analysis import load_corpus, metrics_table
from analysis.annotate import annotate_corpus
from analysis.table import COLUMNS, metric_catalogue
from analysis.stats import percentile_interval, resample_weights

from .conftest import CORPUS, ROOT

ACTORS = """\
event: {name: Test event, date: 2024-04-13}
actors:
  Iran:
    kind: country
    aliases: [Iran]
  Israel:
    kind: country
    aliases: [Israel]
"""
# Hand count: "Officials may meet on Sunday." = 5 words, 1 hedge (may).
#             "Iran fired about 300 drones at Israel." = 7 words, 1 hedge (about 300).
#             "Nobody was hurt." = 3 words, 0 hedges.
ONE = "Officials may meet on Sunday.\n\nIran fired about 300 drones at Israel.\n\nNobody was hurt.\n"
# "The army said it intercepted the drones." = 7 words, 0 hedges.
TWO = "The army said it intercepted the drones.\n"


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tiny")
    (folder / "actors.yaml").write_text(ACTORS, encoding="utf-8")
    (folder / "one.txt").write_text(ONE, encoding="utf-8")
    (folder / "two.txt").write_text(TWO, encoding="utf-8")
    (folder / "manifest.csv").write_text("id,outlet,file\na1,X,one.txt\na2,X,two.txt\nb1,Y,two.txt\n",
                                         encoding="utf-8")
    corpus = load_corpus(folder)
    return corpus, metrics_table(corpus)


def _value(table, outlet, article, metric, target=""):
    row = table[(table.outlet == outlet) & (table.article == article) & (table.metric == metric)
                & (table.target == target)]
    assert len(row) == 1, (outlet, article, metric, target)
    return row.iloc[0]


def test_columns_and_keys_follow_the_contract(tiny):
    _, table = tiny
    assert list(table.columns) == COLUMNS
    assert not table.duplicated(["outlet", "article", "metric", "target"]).any()
    assert set(table.metric) <= set(metric_catalogue()["name"])
    assert (table.n >= 0).all()


def test_hand_counted_hedge_rates(tiny):
    _, table = tiny
    a1 = _value(table, "X", "a1", "hedges_per_1000_words")
    assert a1.value == pytest.approx(2 / 15 * 1000)  # 2 hedges in 5 + 7 + 3 words
    assert a1.n == 15
    assert _value(table, "X", "a1", "hedges_per_1000_words", "epistemic").value == pytest.approx(1 / 15 * 1000)
    assert _value(table, "X", "a1", "hedges_per_1000_words", "approximator").value == pytest.approx(1 / 15 * 1000)
    # the outlet row sums counts over its articles: 2 hedges in 15 + 7 words
    x = _value(table, "X", "", "hedges_per_1000_words")
    assert x.value == pytest.approx(2 / 22 * 1000)
    assert x.n == 22
    assert _value(table, "Y", "", "hedges_per_1000_words").value == 0.0
    assert _value(table, "X", "", "articles").value == 2
    assert _value(table, "X", "", "sentences").value == 4
    assert _value(table, "X", "", "words").value == 22


def test_hand_counted_mentions(tiny):
    _, table = tiny
    assert _value(table, "X", "a1", "mentions", "Iran").value == 1
    assert _value(table, "X", "a1", "mentions", "Israel").value == 1
    assert _value(table, "X", "a1", "sentence_share", "Iran").value == pytest.approx(1 / 3)
    assert _value(table, "Y", "", "mentions", "Iran").value == 0
    assert math.isnan(_value(table, "Y", "", "sentiment_all", "Iran").value)  # no mention: no sentiment
    # "Iran" is the first word of the second paragraph: offset 31 of the cleaned body
    corpus, _ = tiny
    body = corpus.articles[0].body
    assert body.index("Iran") == 31
    assert _value(table, "X", "a1", "first_mention", "Iran").value == pytest.approx(31 / len(body))


def test_intervals_contain_the_value_and_are_deterministic(tiny):
    corpus, table = tiny
    again = metrics_table(corpus)
    pd.testing.assert_frame_equal(table, again)
    rated = table.dropna(subset=["ci_low", "ci_high"])
    assert len(rated) > 0
    assert (rated.ci_low <= rated.value + 1e-9).all() and (rated.value <= rated.ci_high + 1e-9).all()


def test_bootstrap_weights():
    w = resample_weights(5, "a", "sentences", n_resamples=200)
    assert w.shape == (200, 5) and (w.sum(axis=1) == 5).all()
    assert (resample_weights(5, "a", "sentences", n_resamples=200) == w).all()  # fixed seed per key
    assert not (resample_weights(5, "b", "sentences", n_resamples=200) == w).all()
    low, high = percentile_interval(np.arange(1001, dtype=float)[:, None])
    assert (low[0], high[0]) == pytest.approx((25.0, 975.0))  # 2.5 % and 97.5 % of 0..1000


def test_percentile_rows_agree_with_numpy_and_skip_nan():
    from analysis.stats import percentile_rows

    rng = np.random.default_rng(0)
    rows = rng.normal(size=(6, 1000))
    rows[1, rng.random(1000) < 0.3] = np.nan  # resamples without a value are left out
    rows[2] = np.nan  # no value at all: no interval
    rows[3, :500] = 0.25  # ties
    expected = [np.nanpercentile(r, [2.5, 97.5]) if np.isfinite(r).any() else [np.nan, np.nan] for r in rows]
    low, high = percentile_rows(rows)
    assert np.column_stack([low, high]) == pytest.approx(np.array(expected), abs=1e-12, nan_ok=True)
    low2, high2 = percentile_interval(rows.T)  # the same, one column per series
    assert np.array_equal(low, low2, equal_nan=True) and np.array_equal(high, high2, equal_nan=True)
    copy = rows.copy()
    low3, high3 = percentile_rows(copy, overwrite=True)  # sorts in place
    assert np.array_equal(low, low3, equal_nan=True) and np.array_equal(high, high3, equal_nan=True)
    assert np.array_equal(copy, np.sort(rows, axis=1), equal_nan=True)


def test_intervals_agree_with_a_plain_loop_bootstrap(corpus):
    """A second computation of three intervals of one bundled article: one resample
    at a time, with numpy's own percentile. Sentiment resamples whole sentences
    (the mentions of one sentence go together), rates resample sentences, shares
    paragraphs, with the seeds the table uses."""
    from analysis.annotate import Annotator

    table = metrics_table(corpus)
    art = corpus.articles[0]  # Outlet A: "Israel" twice in narrator voice in its second sentence
    ann = Annotator(corpus)(art)
    ws = resample_weights(len(ann.sentences), art.id, "sentences")
    wp = resample_weights(len(ann.roles), art.id, "paragraphs")
    words = np.array([s.words for s in ann.sentences], dtype=float)
    hedges = np.array([len(s.hedges) for s in ann.sentences], dtype=float)
    israel = [[score for m, score in s.mentions if m.actor == "Israel" and m.voice == "narrator"]
              for s in ann.sentences]
    assert [len(x) for x in israel][:2] == [1, 2]
    sums = np.array([sum(x) for x in israel])
    counts = np.array([len(x) for x in israel], dtype=float)
    par_words = np.array(ann.paragraph_words, dtype=float)
    # each paragraph counts toward the context share by its probability of being context
    context = par_words * np.array([p["context"] for p in ann.role_probs])
    assert _value(table, art.outlet, art.id, "context_share_words").value == pytest.approx(
        context.sum() / par_words.sum())
    cases = {
        ("hedges_per_1000_words", ""): [1000 * (w @ hedges) / (w @ words) for w in ws],
        ("sentiment_narrator", "Israel"): [(w @ sums) / (w @ counts) if w @ counts else np.nan for w in ws],
        ("context_share_words", ""): [(w @ context) / (w @ par_words) for w in wp],
    }
    for (metric, target), samples in cases.items():
        row = _value(table, art.outlet, art.id, metric, target)
        low, high = np.nanpercentile(samples, [2.5, 97.5])
        assert (row.ci_low, row.ci_high) == pytest.approx((low, high), abs=1e-12), metric


def test_table_pass_makes_no_reference_cycles_and_restores_the_collector(corpus):
    # metrics_table pauses the cycle collector (analysis.parallel.gc_paused): safe only
    # because the pass leaves no cyclic garbage, which reference counting cannot free
    import gc

    metrics_table(corpus)  # first use: lexicons, caches and lazy imports are built
    gc.collect()
    gc.disable()
    try:
        table = metrics_table(corpus)
        assert gc.collect() == 0  # nothing unreachable was left behind
        assert not gc.isenabled()  # the collector's state is restored, not switched on
    finally:
        gc.enable()
    metrics_table(corpus)
    assert gc.isenabled() and len(table) > 0


def test_bundled_table_is_independent_of_article_order(corpus):
    table = metrics_table(corpus)
    reversed_corpus = type(corpus)(corpus.path, corpus.name, list(reversed(corpus.articles)), corpus.actors,
                                   corpus.event_name, corpus.event_date)
    other = metrics_table(reversed_corpus)
    key = ["outlet", "article", "metric", "target"]
    a = table.sort_values(key).reset_index(drop=True)
    b = other.sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(a, b)


def test_headline_numbers_agree_with_an_independent_count(corpus):
    """Bulletproofing: hedge rates, context shares and mention counts recomputed
    from the per-sentence annotate records must equal the table."""
    table = metrics_table(corpus)
    records = pd.DataFrame(annotate_corpus(corpus))
    for outlet, group in records.groupby("outlet"):
        hedges = group.hedges.map(len).sum()
        words = group.words.sum()
        assert _value(table, outlet, "", "hedges_per_1000_words").value == pytest.approx(1000 * hedges / words)
        # shares are expected shares: each sentence's words count by its paragraph's P(context)
        p_context = group.role_probs.map(lambda p: p["context"])
        context_words = (group.words * p_context).sum()
        assert _value(table, outlet, "", "context_share_words").value == pytest.approx(context_words / words,
                                                                                        abs=1e-3)
        paragraphs = group.drop_duplicates(["article", "paragraph"])
        assert _value(table, outlet, "", "context_share_paragraphs").value == pytest.approx(
            paragraphs.role_probs.map(lambda p: p["context"]).mean(), abs=1e-3)
        mentions = [m for ms in group.mentions for m in ms]
        for actor in ("Biden", "Iran", "Israel"):
            mine = [m for m in mentions if m["actor"] == actor]
            assert _value(table, outlet, "", "mentions", actor).value == len(mine)
            narr = [m["sentiment"] for m in mine if m["voice"] == "narrator"]
            if narr:
                assert _value(table, outlet, "", "sentiment_narrator", actor).value == pytest.approx(
                    np.mean(narr), abs=1e-4)  # annotate rounds scores to 4 decimals


def test_batched_annotation_equals_one_article_at_a_time(corpus):
    from analysis.annotate import Annotator

    annotator = Annotator(corpus)
    one_by_one = [annotator(a) for a in corpus.articles]
    annotator.BATCH = 2  # batches of 2, 2 and 1 for the five bundled articles
    batched = list(annotator.many(corpus.articles))
    assert [b.article.id for b in batched] == [a.id for a in corpus.articles]
    for a, b in zip(one_by_one, batched):
        assert (a.roles, a.role_confidence) == (b.roles, b.role_confidence)
        assert a.sentences == b.sentences  # dataclasses: hedges, mentions with scores, counts
    assert sum(len(a.sentences) for a in batched) == 10 + 18 + 19 + 22 + 20


def test_cli_metrics_csv_and_json_agree(tmp_path):
    out = tmp_path / "m.csv"
    proc = subprocess.run([sys.executable, "-m", "analysis", "metrics", str(CORPUS), "--out", str(out)],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    csv_table = pd.read_csv(out, keep_default_na=False, na_values=[""])
    proc = subprocess.run([sys.executable, "-m", "analysis", "metrics", str(CORPUS), "--format", "json"],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    records = json.loads(proc.stdout)
    assert list(csv_table.columns) == COLUMNS and list(records[0]) == COLUMNS
    assert len(records) == len(csv_table)
    assert records[0]["outlet"] == "Outlet A" and records[0]["article"] == ""


def test_cli_annotate_jsonl_contract():
    proc = subprocess.run([sys.executable, "-m", "analysis", "annotate", str(CORPUS)],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    lines = [json.loads(line) for line in io.StringIO(proc.stdout)]
    assert len(lines) == 10 + 18 + 19 + 22 + 20  # sentences per article, as the clean log prints
    for rec in lines:
        assert {"article", "outlet", "paragraph", "sentence", "text", "role", "hedges", "mentions"} <= set(rec)
        assert rec["role"] in ("main", "context", "reaction", "other")
        for h in rec["hedges"]:
            assert rec["text"][h["start"]:h["end"]] == h["cue"]
        for m in rec["mentions"]:
            assert rec["text"][m["start"]:m["end"]] == m["text"]
            assert m["voice"] in ("narrator", "quoted") and -1 <= m["sentiment"] <= 1


def test_blas_threads_are_limited_inside_the_table_and_restored(corpus, monkeypatch):
    """The table runs its matrix products on one BLAS thread, restores the limit after, and its
    numbers are the same as with numpy's default threading."""
    import contextlib

    from threadpoolctl import threadpool_info

    import analysis.table as metrics_mod

    seen = []
    original = metrics_mod._metrics_table

    def spy(*args, **kwargs):
        seen.extend(p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas")
        return original(*args, **kwargs)

    before = [p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"]
    monkeypatch.setattr(metrics_mod, "_metrics_table", spy)
    limited = metrics_table(corpus)
    assert seen and set(seen) == {1}
    assert [p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"] == before
    monkeypatch.setattr(metrics_mod, "one_blas_thread", contextlib.nullcontext)
    pd.testing.assert_frame_equal(limited, metrics_table(corpus))


def test_weight_blocks_are_the_same_numbers_as_one_matrix():
    import numpy as np

    from analysis import stats

    whole = stats.resample_weights(37, "x", "sentences")
    blocks = list(stats.resample_weight_blocks(37, "x", "sentences", cells=37 * 3))  # three rows a block
    assert [r0 for r0, _ in blocks][:3] == [0, 3, 6]
    assert np.array_equal(np.vstack([b for _, b in blocks]), whole)
    assert (whole.sum(axis=1) == 37).all()


def test_long_articles_get_their_weights_in_blocks_with_the_same_table(corpus, monkeypatch):
    """Past WEIGHT_CELLS weights an article's resamples are drawn block by block (bounded memory);
    forcing that path on the bundled corpus changes no number."""
    from analysis import stats

    direct = metrics_table(corpus)
    monkeypatch.setattr(stats, "WEIGHT_CELLS", 5_000)  # every article now goes through blocks of 5 rows or so
    pd.testing.assert_frame_equal(direct, metrics_table(corpus))


def test_two_processes_give_the_same_table_and_annotations(tmp_path, corpus, monkeypatch):
    """--jobs: articles annotated in forked worker processes come back in order, identical."""
    from analysis import parallel

    from .conftest import sampled_corpus

    many = load_corpus(sampled_corpus(tmp_path, corpus, 12, paragraphs=6, outlets=3, seed=5))
    monkeypatch.setattr(parallel, "MIN_ARTICLES_PER_JOB", 2)
    one, two = metrics_table(many, jobs=1), metrics_table(many, jobs=2)
    pd.testing.assert_frame_equal(one, two)
    assert list(annotate_corpus(many, jobs=1, evidence=False)) == list(annotate_corpus(many, jobs=2, evidence=False))


def test_actors_never_mentioned_cost_nothing_and_get_the_empty_rows(tmp_path, corpus):
    """Only the actors a group mentions are resampled (memory follows the mentions, not the
    actors file): adding 300 actors nobody mentions changes no other row, and each of them gets
    0 mentions, a sentence share of 0 (interval 0 to 0), no first mention and no sentiment."""
    import shutil

    folder = tmp_path / "many-actors"
    shutil.copytree(CORPUS, folder)
    extra = "".join(f"  Nobody{i}:\n    kind: person\n    aliases: [Qzx{i}vw]\n" for i in range(300))
    actors = (CORPUS / "actors.yaml").read_text(encoding="utf-8").rstrip("\n") + "\n" + extra
    (folder / "actors.yaml").write_text(actors, encoding="utf-8")
    many = load_corpus(folder)
    table, big = metrics_table(corpus), metrics_table(many)
    ghosts = big.target.str.startswith("Nobody")
    per_actor = table[table.target == corpus.actors[0].name].metric.nunique()  # the actor rows of every measure
    assert ghosts.sum() == 300 * per_actor * (len(corpus.articles) + len(corpus.outlets))
    pd.testing.assert_frame_equal(big[~ghosts].reset_index(drop=True), table, check_exact=True)
    art = corpus.articles[0]
    rows = big[(big.target == "Nobody7") & (big.outlet == art.outlet)].set_index(["article", "metric"])
    assert rows.loc[(art.id, "mentions"), ["value", "n"]].tolist() == [0, 0]
    share = rows.loc[(art.id, "sentence_share")]
    assert (share.value, share.ci_low, share.ci_high, share.n) == (0, 0, 0, len(art.sentences))
    assert math.isnan(rows.loc[(art.id, "first_mention"), "value"])
    assert rows.loc[(art.id, "first_mention"), "n"] == 1
    outlet_first = rows.loc[("", "first_mention")]
    assert math.isnan(outlet_first.value) and outlet_first.n == 1  # one article per outlet
    for v in ("narrator", "quoted", "all"):
        r = rows.loc[(art.id, f"sentiment_{v}")]
        assert math.isnan(r.value) and math.isnan(r.ci_low) and r.n == 0
