"""Claims and numbers: hand-checked extraction on constructed sentences, the bundled corpus
(including the 004 article's damaged text), alignment across outlets, and the measure
registered in the table and the annotate records."""
import json
import math
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import load_corpus, metrics_table
from analysis.annotate import Annotator, annotate_corpus
from analysis.measures import registry
from analysis.measures.numbers import align_numbers, counted_key, find_numbers, load_lexicon
from analysis.measures.numbers.measure import Numbers

from .conftest import CORPUS

# sentence, then per number found: (text, value, bound, kind, counts) -- read off the sentence by hand
CASES = [
    ("Iran launched more than 300 drones and missiles.",
     [("more than 300", 300, "at least", "count", "drone and missile")]),
    ("Out of over 300 drones and missiles launched, 99% were intercepted.",
     [("over 300", 300, "at least", "count", "drone and missile"),
      ("99%", 99, "exact", "percent", "drone and missile")]),
    ("About 99 percent of them were intercepted.", [("About 99 percent", 99, "about", "percent", "them")]),
    ("Officials said 99 per cent of the drones were shot down.",
     [("99 per cent", 99, "exact", "percent", "drone")]),
    ("Israel said it downed 170 drones.", [("170", 170, "exact", "count", "drone")]),
    ("The army counted 1,500 rockets.", [("1,500", 1500, "exact", "count", "rocket")]),
    ("Prices rose 3.5 points.", [("3.5", 3.5, "exact", "count", "point")]),
    ("Seven people died.", [("Seven", 7, "exact", "count", "person")]),
    ("They fired three hundred and fifty missiles.",
     [("three hundred and fifty", 350, "exact", "count", "missile")]),
    ("Twenty-five soldiers were hurt.", [("Twenty-five", 25, "exact", "count", "soldier")]),
    ("A dozen drones crossed the border.", [("A dozen", 12, "about", "count", "drone")]),
    ("Iran launched dozens of drones.", [("dozens", 24, "at least", "count", "drone")]),
    ("Tens of thousands of people fled.", [("Tens of thousands", 20000, "at least", "count", "person")]),
    ("Fewer than 30 missiles got through.", [("Fewer than 30", 30, "at most", "count", "missile")]),
    ("Up to 12 casualties were reported.", [("Up to 12", 12, "at most", "count", "casualty")]),
    ("Nearly 1,200 people were killed.", [("Nearly 1,200", 1200, "about", "count", "person")]),
    ("At least 30 ballistic missiles hit.", [("At least 30", 30, "at least", "count", "ballistic missile")]),
    ("Some 120 cruise missiles were fired.", [("Some 120", 120, "about", "count", "cruise missile")]),
    ("Between 300 and 350 drones flew.", [("Between 300 and 350", 300, "range", "count", "drone")]),
    ("Reports gave 300-350 drones.", [("300-350", 300, "range", "count", "drone")]),
    ("Reports gave 300â350 drones.", [("300â350", 300, "range", "count", "drone")]),
    ("The strike on April 1 killed two generals.",
     [("April 1", 401, "exact", "date", "strike"), ("two", 2, "exact", "count", "general")]),
    ("Iran attacked on 13 April 2024.", [("13 April 2024", 20240413, "exact", "date", "")]),
    ("A seven-year-old girl was wounded.", [("seven-year-old", 7, "exact", "age", "girl")]),
    ("The victim, aged 45, survived.", [("aged 45", 45, "exact", "age", "")]),
    ("The US pledged $1.5 billion in aid.", [("$1.5 billion", 1.5e9, "exact", "money", "aid")]),
    ("They paid 200 dollars each.", [("200 dollars", 200, "exact", "money", "")]),
    ("The strike came two weeks ago.", [("two weeks", 2, "exact", "duration", "")]),
    ("The sirens started at 8 p.m. on Saturday.", [("8 p.m.", 20, "exact", "time", "")]),
    ("The war began in 1948.", [("1948", 1948, "exact", "year", "")]),
    ("It is the 21st attack.", [("21st", 21, "exact", "ordinal", "attack")]),
    ("More than 100 or more", [("More than 100", 100, "at least", "count", "")]),
    ("500 or more troops moved.", [("500 or more", 500, "at least", "count", "troop")]),
    ("Five other officers were killed.", [("Five", 5, "exact", "count", "officer")]),
    ("Israel said 99% of the more than 300 projectiles were intercepted.",
     [("99%", 99, "exact", "percent", "projectile"), ("more than 300", 300, "at least", "count", "projectile")]),
    ("30 injured people were treated.", [("30", 30, "exact", "count", "injured person")]),
    ("Resolution 2231 expired after 9/11 and in the 1990s.", [("2231", 2231, "exact", "count", "")]),
    # names, codes, pronouns and compound adjectives are not numbers
    ("They flew one-way attack drones toward a two-state solution.", []),
    ("The Group of Seven and the G7 met; F-35 jets flew; no one spoke.", []),
    ("Nothing to count here.", []),
    ("", []),
]


@pytest.mark.parametrize("sentence,expected", CASES, ids=[c[0][:40] or "empty" for c in CASES])
def test_hand_checked_sentences(sentence, expected):
    found = find_numbers(sentence)
    assert [(n.text, n.value, n.bound, n.kind, n.counts) for n in found] == [
        (t, pytest.approx(v), b, k, c) for t, v, b, k, c in expected]
    for n in found:
        assert sentence[n.start:n.end] == n.text


def test_every_kind_and_bound_is_covered_by_the_cases():
    kinds = {k for _, numbers in CASES for _, _, _, k, _ in numbers}
    bounds = {b for _, numbers in CASES for _, _, b, _, _ in numbers}
    assert kinds == {"count", "percent", "money", "age", "duration", "date", "year", "time", "ordinal"}
    assert bounds == {"exact", "at least", "at most", "about", "range"}
    assert len(CASES) >= 25


def test_range_high_end_predicate_and_normal_forms():
    n, = find_numbers("Between 300 and 350 drones were intercepted.")
    assert (n.high, n.predicate, n.normal) == (350, "intercepted", "300-350")
    n, = find_numbers("Strikes killed seven aid workers.")
    assert (n.counts, n.predicate, n.normal) == ("aid worker", "killed", "7")
    n, = find_numbers("It fell by 2 percentage points.")
    assert (n.kind, n.unit, n.normal) == ("percent", "point", "2 points")
    n, = find_numbers("The talks ran 13-14 April.")
    assert (n.kind, n.value, n.high, n.normal) == ("date", 413, 414, "04-13/04-14")
    assert find_numbers("More than 300 drones.")[0].normal == ">=300"
    assert find_numbers("$5bn")[0].value == 5e9 and find_numbers("a 5m wall") == []
    assert [(n.text, n.bound) for n in find_numbers("300+ drones, 300-plus rockets, 300+5")] == [
        ("300+", "at least"), ("300-plus", "at least"), ("300", "exact"), ("5", "exact")]


def test_offsets_are_shifted_by_start():
    n, = find_numbers("Iran fired 170 drones.", start=100)
    assert (n.start, n.end) == (111, 114)


def test_counted_key_aligns_singular_and_plural_and_sorts_conjuncts():
    a, = find_numbers("Iran fired 170 drones.")
    b, = find_numbers("Only one drone crossed.")
    assert counted_key(a) == counted_key(b) == "drone"
    c, = find_numbers("It fired 300 missiles and drones.")
    d, = find_numbers("It fired 300 drones and missiles.")
    assert counted_key(c) == counted_key(d) == "drone and missile"
    p, = find_numbers("Out of 300 drones, 99% were intercepted.")[1:]
    assert counted_key(p) == "drone | intercept"
    q, = find_numbers("In all, 99% were intercepted.")
    assert counted_key(q) == "? | intercept"
    r, = find_numbers("It happened on April 1.")
    assert counted_key(r) == "date 04-01"


def test_a_very_long_sentence_is_linear():
    unit = "Iran fired more than 300 drones and 120 missiles on April 13, and 99% were intercepted. "
    t0 = time.perf_counter()
    short = find_numbers(unit * 200)
    t_short = time.perf_counter() - t0
    t0 = time.perf_counter()
    long = find_numbers(unit * 2000)
    t_long = time.perf_counter() - t0
    assert len(long) == 10 * len(short) == 8000
    assert t_long < 25 * t_short + 0.5  # 10x the text, not 100x the time


def test_unicode_and_odd_text():
    assert [n.text for n in find_numbers("Über 300 Drohnen — ２ drones, ٣ missiles")] == ["300"]
    assert find_numbers("\u200b\u00a0") == []


def test_no_combination_of_lexicon_words_breaks_the_reader():
    """Robustness: random strings of the lexicon's words, cues, units and digits, in four cases
    and with four separators, never raise and always give offsets that point at their text."""
    import random

    from analysis.measures.numbers import LEXICON

    rng = random.Random(7)
    vocab = sorted({*LEXICON.words, *LEXICON.vague, *LEXICON.before, *LEXICON.after, *LEXICON.percent,
                    *LEXICON.currency, *LEXICON.durations, "April", "Sept.", "13", "1,500", "3.5", "-", "â",
                    "–", "to", "and", "of", "them", "drones", "between", "aged", "old", "p.m.", "10:30", "1st",
                    "-PLUS", "US$", "bn", "m", "2024", "99%", "out of", "intercepted", "32", "12:60", "25 pm"})
    for _ in range(3000):
        text = rng.choice([" ", "", "-", "\n"]).join(rng.choice(vocab) for _ in range(rng.randint(1, 10)))
        for t in (text, text.upper(), text.title()):
            for n in find_numbers(t):
                assert t[n.start:n.end] == n.text and n.bound in ("exact", "at least", "at most", "about", "range")


def test_a_user_lexicon_adds_words(tmp_path):
    from analysis.measures.numbers import LEXICON_FILE

    own = tmp_path / "mine.csv"
    packaged = (CORPUS.parents[1] / "analysis" / "measures" / "numbers" / LEXICON_FILE).read_text()
    own.write_text(packaged + "zillion,scale,1000000000000000\nuavs,plural,drone\n")
    n, = find_numbers("Three zillion UAVs", lexicon=load_lexicon(own))
    assert (n.value, n.counts) == (3e15, "drone")
    assert find_numbers("Three zillion UAVs")[0].counts == "zillion uav"  # the packaged list has neither


def test_a_user_lexicon_with_an_unknown_type_is_reported(tmp_path):
    bad = tmp_path / "n.csv"
    bad.write_text("entry,type,value\nseven,number,7\nzilch,nonsense,0\n")
    with pytest.raises(ValueError, match="n.csv: line 3"):
        load_lexicon(bad)


# ---------------------------------------------------------------------------------- the bundled corpus

def _numbers_of(article):
    return [n for s in article.sentences for n in find_numbers(article.body[s.start:s.end], s.start)]


def test_the_bundled_corpus(corpus):
    by_id = {a.id: _numbers_of(a) for a in corpus.articles}
    for a in corpus.articles:
        for n in by_id[a.id]:
            assert a.body[n.start:n.end] == n.text
    a = {(n.text, n.counts) for n in by_id["A"]}
    assert {("over 300", "drone and missile"), ("99%", "drone and missile"), ("April 1st", "")} == a
    d = {n.text: n for n in by_id["D"]}
    assert d["more than 300"].counts == "drone and missile"
    assert (d["more than 30,000"].value, d["more than 30,000"].predicate) == (30000, "killed")
    assert d["1.5 million"].value == 1_500_000
    assert "Seven" not in d  # "Group of Seven" is a name
    assert [n.text for n in by_id["C"]] == ["over 200"]


def test_the_004_article_with_its_damaged_text(corpus):
    """Article 004 lost its curly quotes and dashes (a bare "â"): raw and cleaned give the same numbers."""
    raw = (CORPUS / "004_36824e98bd146f7f.txt").read_text(encoding="utf-8")
    assert "â" in raw
    found = find_numbers(raw)
    for n in found:
        assert raw[n.start:n.end] == n.text
    expected = [("dozens", "drone"), ("more than 100", "ballistic missile"), ("October 7", ""),
                ("roughly 1,200", "person"), ("hundreds", ""), ("April 1", "airstrike"),
                ("Five", "irgc officer"), ("seven-year-old", "child")]
    assert [(n.text, n.counts) for n in found] == expected
    e = next(a for a in corpus.articles if a.id == "E")
    assert [(n.text, n.counts) for n in _numbers_of(e)] == expected
    n, = find_numbers("the U.S. military âhelped Israel take down 99% of themâ")
    assert (n.value, n.kind, n.counts) == (99, "percent", "them")
    n, = find_numbers("Iranâs 300 drones and missilesâ targeting Israel")
    assert (n.value, n.counts) == (300, "drone and missile")


def test_alignment_on_the_bundled_corpus(corpus):
    table = align_numbers(corpus)
    assert list(table.columns[:4]) == ["key", "kind", "aligned_on", "outlet"]
    dm = table[table.key == "drone and missile"].set_index("outlet")
    assert set(dm.index) == {"Outlet A", "Outlet C", "Outlet D"}
    assert dm.loc["Outlet A", "values"] == ">=300" and dm.loc["Outlet C", "values"] == ">=200"
    assert set(dm.status) == {"disagree"} and set(dm.compatible) == {True}  # "over 200" vs "over 300"
    april = table[table.key == "date 04-01"]
    assert set(april.outlet) == {"Outlet A", "Outlet D", "Outlet E"} and set(april.status) == {"agree"}
    pct = table[table.kind == "percent"]
    assert list(pct.outlet) == ["Outlet A"] and list(pct.status) == ["only one outlet"]
    assert table.compatible[table.status == "only one outlet"].isna().all()


# ---------------------------------------------------------------------------------- a constructed corpus

ACTORS = """event: {name: "A test event", date: 2024-04-13}
actors:
  Iran:
    kind: country
    aliases: [Iran]
"""


@pytest.fixture
def two_outlets(tmp_path):
    (tmp_path / "manifest.csv").write_text("id,outlet,file\nA,Outlet A,a.txt\nB,Outlet B,b.txt\n")
    (tmp_path / "actors.yaml").write_text(ACTORS)
    # agree on the drones (300), disagree on the missiles (120 vs 110); only A gives the percent
    (tmp_path / "a.txt").write_text("Iran fired 300 drones and 120 ballistic missiles.\n\n"
                                    "About 99% of them were intercepted.\n")
    (tmp_path / "b.txt").write_text("Iran fired 300 drones. It also fired 110 missiles on April 13.\n")
    return load_corpus(tmp_path)


def test_alignment_of_two_outlets(two_outlets):
    table = align_numbers(two_outlets)
    status = table.groupby("key").status.first().to_dict()
    assert status == {"drone": "agree", "missile": "disagree", "them | intercept": "only one outlet",
                      "date 04-13": "only one outlet"}
    missile = table[table.key == "missile"].set_index("outlet")
    assert missile.loc["Outlet A", "values"] == "120" and missile.loc["Outlet B", "values"] == "110"
    assert missile.loc["Outlet A", "counts"] == "ballistic missile"
    assert not missile.compatible.any()
    drone = table[table.key == "drone"]
    assert list(drone.outlet) == ["Outlet A", "Outlet B"] and drone.compatible.all()
    assert table.iloc[0].outlets == 2  # keys given by more outlets come first


def test_alignment_from_records_and_annotations_matches_the_corpus(two_outlets):
    registry.register(Numbers)
    try:
        records = list(annotate_corpus(two_outlets, evidence=False))
        annotations = list(Annotator(two_outlets).many(two_outlets.articles))
    finally:
        registry.unregister(Numbers)
    direct = align_numbers(two_outlets)
    assert align_numbers(records).equals(direct)
    assert align_numbers(annotations).equals(direct)


def test_partly_and_about_compatibility(tmp_path):
    (tmp_path / "manifest.csv").write_text("id,outlet,file\nA,X,a.txt\nB,Y,b.txt\n")
    (tmp_path / "actors.yaml").write_text(ACTORS)
    (tmp_path / "a.txt").write_text("It fired 300 drones. Later 40 drones came.\n")
    (tmp_path / "b.txt").write_text("It fired about 310 drones.\n")
    table = align_numbers(load_corpus(tmp_path))
    assert set(table.status) == {"disagree"} and set(table.compatible) == {True}  # 300 is within ~310 +-10%
    (tmp_path / "b.txt").write_text("It fired 300 drones.\n")
    table = align_numbers(load_corpus(tmp_path))
    assert set(table.status) == {"partly"}


def test_empty_corpus_article(tmp_path):
    (tmp_path / "manifest.csv").write_text("id,outlet,file\nA,X,a.txt\n")
    (tmp_path / "actors.yaml").write_text(ACTORS)
    (tmp_path / "a.txt").write_text("No figures at all.\n")
    table = align_numbers(load_corpus(tmp_path))
    assert table.empty and list(table.columns)[:2] == ["key", "kind"]


# ---------------------------------------------------------------------------------- the measure

@pytest.fixture
def numbers_measure():
    registry.register(Numbers)
    yield Numbers
    registry.unregister(Numbers)


def test_registered_rows_and_fields_on_a_constructed_corpus(numbers_measure, two_outlets):
    table = metrics_table(two_outlets)
    rate = table[(table.metric == "numbers_per_1000_words") & (table.target == "")].set_index("article")
    # by hand: A has 3 numbers in 14 words ("Iran fired 300 drones and 120 ballistic missiles" = 8,
    # "About 99% of them were intercepted" = 6 words); B has 3 numbers in 12 words
    assert rate.loc["A", "value"] == pytest.approx(3 / 14 * 1000)
    assert rate.loc["B", "value"] == pytest.approx(3 / 12 * 1000)
    assert rate.loc["A", "n"] == 14
    share = table[table.metric == "number_sentence_share"].set_index("article")
    assert share.loc["A", "value"] == 1.0 and share.loc["B", "value"] == 1.0
    dates = table[(table.metric == "numbers_per_1000_words") & (table.target == "date")].set_index("article")
    assert dates.loc["A", "value"] == 0.0 and dates.loc["B", "value"] == pytest.approx(1000 / 12)
    a = rate.loc["A"]
    assert a.ci_low <= a.value <= a.ci_high and not math.isnan(a.ci_low)
    records = list(annotate_corpus(two_outlets, evidence=True))
    assert "numbers" in records[0]
    first = records[0]["numbers"]
    assert [(n["text"], n["start"], n["end"], n["value"], n["bound"], n["kind"], n["counts"]) for n in first] == [
        ("300", 11, 14, 300.0, "exact", "count", "drone"),
        ("120", 26, 29, 120.0, "exact", "count", "ballistic missile")]
    assert first[1]["key"] == "missile"
    second = records[1]
    n, = second["numbers"]
    assert second["text"][n["start"]:n["end"]] == "About 99%" and n["counts"] == "them"
    json.dumps(records)  # JSON-ready


def test_registered_on_the_bundled_corpus(numbers_measure, corpus):
    table = metrics_table(corpus)
    rows = table[(table.metric == "numbers_per_1000_words") & (table.target == "") & (table.article == "")]
    assert set(rows.outlet) == {f"Outlet {x}" for x in "ABCDE"}
    assert (rows.value > 0).all()
    records = list(annotate_corpus(corpus, evidence=False))
    assert all("numbers" in r for r in records)
    found = {(r["article"], n["text"]) for r in records for n in r["numbers"]}
    assert ("A", "99%") in found and ("E", "seven-year-old") in found and ("D", "more than 300") in found
    for r in records:
        for n in r["numbers"]:
            assert r["text"][n["start"]:n["end"]] == n["text"]
    ann = Annotator(corpus)(corpus.articles[0])
    assert [n.text for s in ann.sentences for n in s.numbers] == ["over 300", "99%", "April 1st"]


def test_the_cli_verb(two_outlets, tmp_path_factory, capsys):
    from analysis import cli

    out = tmp_path_factory.mktemp("out") / "numbers.json"
    assert cli.main(["numbers", str(two_outlets.path), "--format", "json", "--out", str(out)]) == 0
    rows = json.loads(out.read_text())
    assert {r["key"] for r in rows} == {"drone", "missile", "them | intercept", "date 04-13"}
    assert cli.main(["numbers", str(two_outlets.path)]) == 0
    assert capsys.readouterr().out.startswith("key,kind,aligned_on,outlet,values")
    assert cli.main(["numbers", str(two_outlets.path / "missing")]) == 2
    assert capsys.readouterr().err.count("\n") == 1
    assert cli.main(["numbers", str(two_outlets.path), "--out", str(two_outlets.path / "x.csv")]) == 2
    assert not (two_outlets.path / "x.csv").exists()

_NUMBER_PIECES = ["300", "1,000", "2024", "5m", "$", "US$", "a hundred", "A dozen", "an", "a", "about", "over",
                  "more than", "nearly", "between", "aged", "April", "Aug", "augur", "five", "Fifty", "fivefold",
                  "hundreds", "dozens of", "ten", "tens", "percent", "%", "years", "-", " ", "  ", "\n", ",", ".",
                  "é", "ſ", "x"]


@settings(max_examples=2000, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(_NUMBER_PIECES), max_size=12).map("".join))
def test_number_pattern_start_gate_and_cue_gate_change_nothing(text):
    """The number pattern's lookahead on whole first words finds what the lookahead on first
    letters found (same spans and cores), and the cue gate before ``before_cue`` never turns
    away a place where the cue pattern matches."""
    import re

    from analysis.measures.numbers import LOOKBACK, MONTHS, _may_cue, _starts

    lex = load_lexicon()
    cores = lex.pattern.pattern[len(_starts(lex)):]
    letters = sorted({w[0].lower() for w in [*lex.words, *lex.vague, *MONTHS, "a"]})
    by_letter = re.compile(rf"(?=[0-9]|\b(?i:[{''.join(letters)}]))" + cores)
    assert [(m.span(), m.lastgroup) for m in lex.pattern.finditer(text)] == \
        [(m.span(), m.lastgroup) for m in by_letter.finditer(text)]
    for start in range(len(text) + 1):
        if lex.before_cue.search(text, max(0, start - LOOKBACK), start):
            assert _may_cue(lex, text, start)
