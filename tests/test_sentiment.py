"""Targeted sentiment (analysis/sentiment.py), on hand-checked sentences.

Values are checked against the ±0.05 band (VADER's neutral convention) unless
a test states a number; numbers were worked out by hand from the lexicon
values (VADER 3.3.2 plus lexicons/vader_news.csv) and the normalisation
x / sqrt(x² + 15).
"""
from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import sentiment as S
from analysis.sentiment import (evaluate_sentiment, label, load_news_lexicon, read_gold, sentence_sentiment,
                                sentiment_toward)


def toward(sentence: str, target: str, occurrence: int = 1) -> float:
    start = -1
    for _ in range(occurrence):
        start = sentence.index(target, start + 1)
    return sentiment_toward(sentence, start, start + len(target))


def norm(x: float) -> float:
    return round(x / math.sqrt(x * x + 15), 4)


# --- the examples ----------------------------------------------------------------------

def test_praise_and_condemnation_split_by_but():
    s = "Biden praised Israel's remarkable defense but condemned Iran's brazen attack."
    # Israel: praised 2.2 + remarkable 2.6 + defense 0.5 (its own clause), plus the other
    # clause's mean plain valence (brazen -1.8; act and evaluation words do not cross) x 0.05
    assert toward(s, "Israel") == norm(2.2 + 2.6 + 0.5 - 1.8 * 0.05)
    assert toward(s, "Israel") > 0.05
    # Iran: condemned -1.9 + brazen -1.8 + attack -2.1, plus remarkable 2.6 x 0.05
    assert toward(s, "Iran") == norm(-1.9 - 1.8 - 2.1 + 2.6 * 0.05)
    assert toward(s, "Iran") < -0.05
    # Biden is the evaluator: neutral
    assert abs(toward(s, "Biden")) < 0.05
    # the whole-sentence baseline cannot tell them apart
    assert sentence_sentiment(s) < -0.05


def test_ironic_win_is_a_known_failure():
    # gold label: negative toward Iran (guideline rule 7); the method reads the literal "win"
    s = "Iran's attack was a win for Iran, if losing 99% of your missiles counts as winning."
    assert toward(s, "Iran", 2) > 0.05


# --- contrast, negation, agent and victim --------------------------------------------------------

def test_contrast_keeps_each_clause_to_its_target():
    s = "The governor praised the firefighters but criticized the utility company for ignoring warnings."
    assert toward(s, "firefighters") > 0.05
    assert toward(s, "utility company") < -0.05
    assert abs(toward(s, "governor")) < 0.05


@pytest.mark.parametrize("sentence, target", [
    ("The senator did not condemn the protesters.", "protesters"),
    ("The EU did not praise the reform.", "EU"),
    ("The army did not attack the village.", "army"),
])
def test_negated_acts_and_evaluations_are_neutral(sentence, target):
    assert abs(toward(sentence, target)) < 0.05


def test_condemned_versus_not_condemned():
    assert toward("The senator condemned the protesters.", "protesters") == norm(-1.9)
    assert toward("The senator did not condemn the protesters.", "protesters") == 0.0


def test_negated_plain_word_is_reversed_as_in_vader():
    # the president owns "approval rating" (approval 2.1); "not bad": VADER's negation, -2.5 * -0.74 = 1.85
    assert toward("The president's approval rating is not bad for a midterm year.", "president") == norm(2.1 + 1.85)


@pytest.mark.parametrize("sentence", [
    "Rebels shelled the town overnight, killing twelve civilians.",
    "The town was shelled by rebels overnight.",
])
def test_agent_of_harm_is_negative_and_victim_neutral(sentence):
    assert toward(sentence, "ebels") < -0.05
    assert toward(sentence, "town") == 0.0


def test_passive_subject_is_the_object_of_the_act():
    assert toward("Israel was attacked overnight.", "Israel") == 0.0
    # praised 2.2 + calm 1.3 + tense -1.4 (the phrase of the praise)
    assert toward("The referee was praised for his calm handling of a tense match.", "referee") == norm(
        2.2 + 1.3 - 1.4)
    assert toward("The referee praised the players.", "referee") == 0.0


def test_the_clause_after_but_keeps_its_subject():
    s = "The striker scored twice but was later sent off for a reckless tackle."
    assert toward(s, "striker") < -0.05


def test_attack_on_a_country_is_not_negativity_toward_it():
    s = "Iran launched drones and missiles at Israel overnight."
    assert toward(s, "Israel") == 0.0
    # missiles -1.0, drones -1.0 (weapons fired: the agent's act); launched 0.0 in the news lexicon
    assert toward(s, "Iran") == norm(-2.0)


def test_killed_victims_are_neutral_the_strike_is_negative():
    s = "An Israeli airstrike killed a top Iranian general."
    assert toward(s, "Israeli") < -0.05
    assert toward(s, "Iranian") == 0.0


def test_defeat_positive_for_the_winner_negative_for_the_beaten():
    s = "Brazil crushed Argentina 4-0."
    assert toward(s, "Brazil") == norm(1.8)
    assert toward(s, "Argentina") == norm(-1.8)


def test_thwarting_an_attack():
    s = "The US has been instrumental in thwarting the Iranian drone and missile attack on Israel."
    assert toward(s, "US") > 0.05
    assert toward(s, "Iranian") < -0.05
    assert toward(s, "Israel") == 0.0


@pytest.mark.parametrize("sentence, target", [
    ("The US will not support any Israeli counterattack against Iran.", "Israeli"),
    ("Biden urged Netanyahu to refrain from retaliatory attacks.", "Netanyahu"),
])
def test_hypothetical_or_refused_acts_are_neutral(sentence, target):
    assert toward(sentence, target) == 0.0


def test_a_vowed_act_counts():
    assert toward("Iran promised retaliation for the strike.", "Iran") < -0.05


# --- quotation and reported speech -----------------------------------------------------------------

def test_quoted_praise_is_positive_toward_the_praised():
    s = "\"The mayor has done a fantastic job,\" the union leader said."
    assert toward(s, "mayor") == norm(2.6)
    assert abs(toward(s, "union leader")) < 0.05


def test_quotation_said_of_the_target():
    s = "\"They are thieves and liars,\" the candidate said of the incumbent party."
    assert toward(s, "incumbent party") == norm(-2.3 - 2.4)
    assert toward(s, "candidate") == 0.0


def test_second_person_in_a_quotation_is_the_addressee():
    s = "“You got a win. Take the win,” Biden told Netanyahu."
    # only the quoted clause with "you" counts: win 2.8 ("Take the win" has no "you")
    assert toward(s, "Netanyahu") == norm(2.8)
    assert abs(toward(s, "Biden")) < 0.05


# --- normalisation: long sentences do not dominate -----------------------------------------------------

def test_long_unrelated_clause_barely_moves_the_target():
    short = "The referee praised the home team."
    long = ("The referee praised the home team; the visitors were furious, miserable, angry, bitter "
            "and hostile after a terrible, awful, disgraceful and shameful defeat.")
    a, b = toward(short, "home team"), toward(long, "home team")
    assert a == norm(2.2)
    # the other clause adds 0.05 x the MEAN of its ten negative valences, whatever its length
    assert abs(a - b) < 0.03
    # VADER on the whole sentence swings from clearly positive to strongly negative
    assert sentence_sentiment(short) > 0.4 and sentence_sentiment(long) < -0.9


# --- degenerate input ------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, start, end", [
    ("", 0, 0),
    ("Iran attacked Israel.", 3, 3),
    ("Iran attacked Israel.", 20, 21),  # the full stop
    ("Iran attacked Israel.", 30, 40),  # beyond the text: clamped, empty
    ("Iran attacked Israel.", 5, 2),  # end before start: empty
])
def test_empty_target_scores_zero(text, start, end):
    assert sentiment_toward(text, start, end) == 0.0


def test_long_text_is_cut_to_the_target_sentence():
    filler = "The weather was mild and the markets were calm. " * 12
    text = filler + "Critics accused the mayor of covering up the scandal. " + filler
    i = text.index("mayor")
    assert sentiment_toward(text, i, i + 5) == toward("Critics accused the mayor of covering up the scandal.", "mayor")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200), st.data())
def test_range_on_arbitrary_text(text, data):
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    value = sentiment_toward(text, start, end)
    assert -1.0 <= value <= 1.0
    assert -1.0 <= sentence_sentiment(text) <= 1.0


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["Iran", "attacked", "praised", "not", "but", "the", "Israel's", "brazen",
                                 "“You", "win,”", "said", "by", "was", "any", "to", ",", ";", "—", "very",
                                 "NOT", "GREAT", "killed", "which", "Although", "helped"]), max_size=40),
       st.data())
def test_range_on_word_salad(words, data):
    text = " ".join(words)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    assert -1.0 <= sentiment_toward(text, start, end) <= 1.0


# --- VADER port and lexicon -------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence", [
    "VADER is smart, handsome, and funny.",
    "VADER is very smart, handsome, and funny.",
    "VADER is VERY SMART, handsome, and FUNNY.",
    "VADER is not smart, handsome, nor funny.",
    "The book was good.",
    "At least it isn't a horrible book.",
    "The book was only kind of good.",
    "Today SUX",
    "Sentiment analysis has never been good.",
    "Sentiment analysis has never been this good.",
    "Without a doubt, excellent idea.",
    "Roger Dodger is one of the least compelling variations on this theme.",
    "No problem, the plan was not bad at all.",
])
def test_word_valences_reproduce_vader(sentence):
    """Bulletproofing: the fast per-word port, summed and normalised, equals VADER's compound."""
    from vaderSentiment import vaderSentiment as vs
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    stock = SentimentIntensityAnalyzer()
    words = vs.SentiText(sentence).words_and_emoticons
    total = sum(S._vader_valences(words, stock.lexicon, vs))
    assert round(vs.normalize(total), 4) == stock.polarity_scores(sentence)["compound"]


def test_news_lexicon_rows_are_documented():
    news = load_news_lexicon()
    assert news.valence and news.role
    for token in set(news.valence) | set(news.role):
        assert news.reason[token], token
    assert all(-4 <= v <= 4 for v in news.valence.values())
    assert set(news.role.values()) <= set(S.ROLES)


def test_news_lexicon_is_merged_into_the_analyzer():
    scorer = S.scorer()
    assert scorer.lexicon["top"] == 0.0  # VADER has 0.8
    assert scorer.lexicon["invasion"] == -2.6  # missing from VADER
    assert scorer.lexicon["attack"] == -2.1  # role-only row: VADER's value kept


def test_bad_lexicon_file_is_reported(tmp_path):
    bad = tmp_path / "lex.csv"
    bad.write_text("token,valence,reason,role\nattack,-9,too strong,harm\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"lex.csv:2: valence -9 outside"):
        load_news_lexicon(bad)
    bad.write_text("token,valence,reason,role\nattack,-1,,harm\n", encoding="utf-8")
    with pytest.raises(ValueError, match="needs a reason"):
        load_news_lexicon(bad)
    bad.write_text("token,valence,reason,role\nattack,-1,x,hurt\n", encoding="utf-8")
    with pytest.raises(ValueError, match="role 'hurt'"):
        load_news_lexicon(bad)


def test_lexicon_overridable_by_path(tmp_path):
    path = tmp_path / "lex.csv"
    # the file replaces the bundled news lexicon (VADER's own lexicon stays underneath)
    path.write_text("token,valence,reason,role\nsplendid,3.0,test,\ncalled,,test,judge\n", encoding="utf-8")
    scorer = S.Scorer(lexicon_path=path)
    assert scorer.lexicon["top"] == 0.8 and "invasion" not in scorer.lexicon
    s = "Critics called the show splendid."
    i = s.index("show")
    assert scorer.sentiment_toward(s, i, i + 4) == norm(3.0)
    assert S.scorer().lexicon.get("splendid") != 3.0


def test_a_sentence_is_analysed_once_for_all_its_targets():
    scorer = S.Scorer()
    s = "Biden praised Israel's remarkable defense but condemned Iran's brazen attack."
    for target in ("Biden", "Israel", "Iran", "Israel"):
        i = s.index(target)
        scorer.sentiment_toward(s, i, i + len(target))
    info = scorer._analyse.cache_info()
    assert (info.misses, info.hits) == (1, 3)


def test_label_thresholds():
    assert [label(v) for v in (-0.05, -0.0499, 0.0, 0.0499, 0.05)] == [
        "negative", "neutral", "neutral", "neutral", "positive"]


# --- the gold set and the validation ------------------------------------------------------------------------

def test_gold_file_is_consistent():
    rows = read_gold()
    assert len({r["item_id"] for r in rows}) == len(rows)
    for r in rows:
        assert r["sentence"][r["target_start"]:r["target_end"]] == r["target"], r["item_id"]
        assert r["label"] in ("negative", "neutral", "positive")
    constructed = {r["sentence"] for r in rows if r["source"] == "constructed"}
    assert len(constructed) >= 60
    assert {r["source"] for r in rows if r["source"] != "constructed"} == {
        "000_564656b7978cc542", "001_f0124aabe337c814", "002_c64daeceee9c0a39",
        "003_5912ab74b97d98b5", "004_36824e98bd146f7f"}


def test_seed_gold_sentences_come_from_the_raw_files():
    from pathlib import Path

    corpus = Path(__file__).resolve().parents[1] / "data" / "iran-israel-2024-04"
    raw = {}
    for r in read_gold():
        if r["source"] == "constructed":
            continue
        text = raw.setdefault(r["source"], (corpus / f"{r['source']}.txt").read_text("utf-8"))
        assert r["sentence"] in text, r["item_id"]


def test_method_beats_the_baseline_on_the_gold_set():
    result = evaluate_sentiment()
    method, baseline = result["method"], result["baseline"]
    assert method["overall"]["n"] == baseline["overall"]["n"] == len(read_gold())
    assert method["overall"]["macro_f1"] > baseline["overall"]["macro_f1"]
    # a little under the values at release (0.779 overall, 0.775 seed, 0.778 constructed)
    assert method["overall"]["macro_f1"] >= 0.75
    assert method["seed"]["macro_f1"] >= 0.74
    assert method["constructed"]["macro_f1"] >= 0.74


def test_f1_scores_hand_checked():
    gold = ["negative", "negative", "neutral", "positive"]
    pred = ["negative", "neutral", "neutral", "negative"]
    f = S.f1_scores(gold, pred)
    # negative: tp 1, fp 1, fn 1 -> 0.5; neutral: tp 1, fp 1, fn 0 -> 2/3; positive: 0
    assert f["negative"] == pytest.approx(0.5)
    assert f["neutral"] == pytest.approx(2 / 3)
    assert f["positive"] == 0.0
    assert f["macro_f1"] == pytest.approx((0.5 + 2 / 3) / 3)
    assert f["accuracy"] == 0.5


def test_batch_scoring_equals_single_scoring():
    from analysis.sentiment import scorer, sentiment_toward

    text = "Biden praised Israel's remarkable defense but condemned Iran's brazen attack"
    spans = [(0, 5), (14, 20), (56, 60)]
    assert scorer().sentiment_towards(text, spans) == [sentiment_toward(text, s, e) for s, e in spans]
    assert scorer().sentiment_towards("", [(0, 0)]) == [0.0]
