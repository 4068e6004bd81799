"""Targeted sentiment (analysis/sentiment.py), on hand-checked sentences.

The current method (``sentiment_toward``, ``Scorer``: features + the learned
layer in analysis/measures/sentiment/model.json) is checked by label on sentences a
reader can judge, by its value contract and its explanations. The previous
rule-based method (``LegacyScorer``, ``legacy_sentiment_toward``) keeps its
hand-worked numbers while it stays in the module: numbers there were worked out
by hand from the lexicon values (VADER 3.3.2 plus analysis/measures/sentiment/vader_news.csv) and
the normalisation x / sqrt(x² + 15).
"""
from __future__ import annotations

import importlib.metadata
import json
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vaderSentiment import vaderSentiment as vs
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from analysis.measures import sentiment as S
from analysis.measures.sentiment import vader_port
from analysis.measures.sentiment import (label, legacy_sentiment_toward, load_news_lexicon, sentence_sentiment,
                                         sentiment_toward)
from analysis.validation import sentiment_gold
from analysis.validation.sentiment_gold import evaluate_sentiment, read_gold

EXTERNAL = Path(__file__).resolve().parents[2] / "shared" / "external-gold"
needs_external = pytest.mark.skipif(not (EXTERNAL / "newsmtsc" / "train.csv").exists(),
                                    reason="external NewsMTSC data (../shared/external-gold) absent")


def span(sentence: str, target: str, occurrence: int = 1) -> tuple[int, int]:
    start = -1
    for _ in range(occurrence):
        start = sentence.index(target, start + 1)
    return start, start + len(target)


def toward(sentence: str, target: str, occurrence: int = 1) -> float:
    """The previous rule-based value (its hand-worked numbers are kept below)."""
    return legacy_sentiment_toward(sentence, *span(sentence, target, occurrence))


def new(sentence: str, target: str, occurrence: int = 1) -> str:
    """The current method's label."""
    return label(sentiment_toward(sentence, *span(sentence, target, occurrence)))


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
    short = "Critics accused the mayor of covering up the scandal."
    assert sentiment_toward(text, i, i + 5) == sentiment_toward(short, *span(short, "mayor"))
    assert legacy_sentiment_toward(text, i, i + 5) == toward(short, "mayor")


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
    stock = SentimentIntensityAnalyzer()
    words = vs.SentiText(sentence).words_and_emoticons
    total = sum(vader_port.vader_valences(words, stock.lexicon))
    assert round(vs.normalize(total), 4) == stock.polarity_scores(sentence)["compound"]


def _stock_valences(sentence):
    """VADER's own per-word valences: the loop of ``polarity_scores`` before its "but" rule."""
    stock = SentimentIntensityAnalyzer()
    text = vs.SentiText(sentence)
    words = text.words_and_emoticons
    out = []
    for i, item in enumerate(words):
        if item.lower() in vs.BOOSTER_DICT or (
                i < len(words) - 1 and item.lower() == "kind" and words[i + 1].lower() == "of"):
            out.append(0)
            continue
        out = stock.sentiment_valence(0, text, item, i, out)
    return words, stock.lexicon, out


@pytest.mark.parametrize("sentence", [
    "The talks did not fail, but the ceasefire collapsed.",  # negation, "but"
    "The strike was GOOD but the aftermath was HORRIBLE.",  # caps
    "The deal was the kiss of death for the coalition.",  # idiom
    "Critics said the new budget would cut the mustard, yeah right.",  # idioms
    "It was the least successful campaign, at least so far.",  # "least", "at least"
    "This was not the worst outcome, and no one was hurt.",  # negation, "no"
    "Without a doubt, the response was extremely weak.",  # "without doubt", booster
])
def test_port_gives_vaders_word_valences(sentence):
    words, lexicon, expected = _stock_valences(sentence)
    assert vader_port.vader_valences(words, lexicon) == pytest.approx(expected, abs=1e-12)


def test_port_checks_the_vader_version(monkeypatch):
    assert vader_port.VADER_VERSION == importlib.metadata.version("vaderSentiment")
    vader_port.check_version()
    monkeypatch.setattr(importlib.metadata, "version", lambda name: "9.9.9")
    with pytest.raises(RuntimeError, match="ports vaderSentiment 3.3.2, but vaderSentiment 9.9.9"):
        vader_port.check_version.__wrapped__()


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
    scorer = S.LegacyScorer(lexicon_path=path)
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


def test_in_house_gold_figures():
    """In-house gold (analysis/validation/gold/sentiment_gold.csv, written to the project's guideline; not used
    for fitting). The learned layer follows NewsMTSC's annotation and scores lower here than the
    rules written for this gold (0.779 overall); still far above the whole-sentence baseline."""
    result = evaluate_sentiment()
    method, baseline, legacy = result["method"], result["baseline"], result["legacy"]
    assert method["overall"]["n"] == baseline["overall"]["n"] == len(read_gold())
    assert method["overall"]["macro_f1"] > baseline["overall"]["macro_f1"] + 0.15
    # figures at this release: method 0.559 overall (seed 0.531, constructed 0.545); legacy 0.779
    assert method["overall"]["macro_f1"] >= 0.55
    assert legacy["overall"]["macro_f1"] >= 0.75


def test_f1_scores_hand_checked():
    gold = ["negative", "negative", "neutral", "positive"]
    pred = ["negative", "neutral", "neutral", "negative"]
    f = sentiment_gold.f1_scores(gold, pred)
    # negative: tp 1, fp 1, fn 1 -> 0.5; neutral: tp 1, fp 1, fn 0 -> 2/3; positive: 0
    assert f["negative"] == pytest.approx(0.5)
    assert f["neutral"] == pytest.approx(2 / 3)
    assert f["positive"] == 0.0
    assert f["macro_f1"] == pytest.approx((0.5 + 2 / 3) / 3)
    assert f["accuracy"] == 0.5


def test_gold_evaluation_stays_reachable_from_the_measure():
    with pytest.deprecated_call():  # moved to analysis.validation.sentiment_gold; the old names warn
        assert S.evaluate_sentiment is evaluate_sentiment and S.read_gold is read_gold
    with pytest.deprecated_call():
        assert S.LABELS == sentiment_gold.LABELS == S.CLASSES


def test_batch_scoring_equals_single_scoring():
    from analysis.measures.sentiment import scorer, sentiment_toward

    text = "Biden praised Israel's remarkable defense but condemned Iran's brazen attack"
    spans = [(0, 5), (14, 20), (56, 60)]
    assert scorer().sentiment_towards(text, spans) == [sentiment_toward(text, s, e) for s, e in spans]
    assert scorer().sentiment_towards("", [(0, 0)]) == [0.0]


# --- the current method: learned layer over target features -------------------------------------------

@pytest.mark.parametrize("sentence, target, expected", [
    ("Biden praised Israel's remarkable defense but condemned Iran's brazen attack.", "Israel", "positive"),
    ("Biden praised Israel's remarkable defense but condemned Iran's brazen attack.", "Iran", "negative"),
    ("The senator condemned the protesters.", "protesters", "negative"),
    ("The referee praised the home team.", "home team", "positive"),
    ("The referee praised the players.", "referee", "neutral"),
    ("Israel was attacked overnight.", "Israel", "neutral"),
    ("The town was shelled by rebels overnight.", "rebels", "negative"),
    ("Iran launched drones and missiles at Israel overnight.", "Israel", "neutral"),
    ("Iran launched drones and missiles at Israel overnight.", "Iran", "negative"),
    ("An Israeli airstrike killed a top Iranian general.", "Iranian", "neutral"),
    ("\"The mayor has done a fantastic job,\" the union leader said.", "mayor", "positive"),
    ("\"The mayor has done a fantastic job,\" the union leader said.", "union leader", "neutral"),
    ("\"They are thieves and liars,\" the candidate said of the incumbent party.", "candidate", "neutral"),
    ("Obama was a great president who inspired millions.", "Obama", "positive"),
    ("The Senate voted on Tuesday.", "Senate", "neutral"),
    ("The referee was praised for his calm handling of a tense match.", "referee", "positive"),
    ("Mr. Trump praised the brave firefighters.", "firefighters", "positive"),
    ("Mr. Trump was unable to win the support of moderates.", "Trump", "negative"),
    ("The senator failed to defend the reform.", "senator", "negative"),
    ("Critics like Warren attacked the plan.", "Warren", "negative"),
])
def test_hand_checked_labels(sentence, target, expected):
    assert new(sentence, target) == expected


def test_known_failures_of_the_learned_layer():
    """Sentences the method gets wrong (documented in docs/actors-sentiment.md): each assertion
    states the current, wrong, output, with the label a reader gives in the comment."""
    s = "Biden praised Israel's remarkable defense but condemned Iran's brazen attack."
    assert new(s, "Biden") == "positive"  # should be neutral: the evaluator, not the evaluated
    assert new("Brazil crushed Argentina 4-0.", "Argentina") == "neutral"  # should be negative
    assert new("The senator did not condemn the protesters.", "protesters") == "negative"  # should be neutral
    s = "The governor praised the firefighters but criticized the utility company for ignoring warnings."
    assert new(s, "firefighters") == "negative"  # should be positive
    assert new("The town was shelled by rebels overnight.", "town") == "negative"  # should be neutral (victim)
    s = "\"They are thieves and liars,\" the candidate said of the incumbent party."
    assert new(s, "incumbent party") == "neutral"  # should be negative
    s = "The US has been instrumental in thwarting the Iranian drone and missile attack on Israel."
    assert new(s, "US") == "negative"  # should be positive: the attack is Iran's, the US thwarted it
    assert new("Biden urged Netanyahu to refrain from retaliatory attacks.", "Netanyahu") == "negative"  # neutral
    assert new("“You got a win. Take the win,” Biden told Netanyahu.", "Netanyahu") == "neutral"  # positive
    assert new("Rebels shelled the town overnight, killing twelve civilians.", "town") == "negative"  # neutral


def test_ironic_win_for_iran_is_negative_for_the_learned_layer():
    """The second "Iran" of the issue's ironic sentence is negative (gold), narrowly (P 0.49 against
    0.41 positive) and not because irony is read: the distance-weighted evidence of "attack",
    "losing", "missiles" outweighs "win" and "winning"."""
    s = "Iran's attack was a win for Iran, if losing 99% of your missiles counts as winning."
    assert new(s, "Iran", 2) == "negative"


def test_value_follows_the_decided_class():
    """label(value) is the model's argmax; neutral values lie strictly inside the band; the value grows
    with P(pos) - P(neg)."""
    sc = S.scorer()
    rows = read_gold()
    seen = set()
    for r in rows:
        a, b = r["target_start"], r["target_end"]
        p = sc.proba_toward(r["sentence"], a, b)
        value = sentiment_toward(r["sentence"], a, b)
        decided = max(p, key=p.get)
        assert label(value) == decided, r["item_id"]
        diff = p["positive"] - p["negative"]
        if decided == "neutral":
            assert -0.05 < value < 0.05 and value == round(S.NEUTRAL_SCALE * diff, 4)
        else:
            assert abs(value) >= 0.05 and (value > 0) == (decided == "positive")
            assert value == round(diff, 4) or abs(value) == 0.05
        seen.add(decided)
    assert seen == set(S.CLASSES)


def test_fast_path_equals_the_feature_dictionary():
    """sentiment_towards sums the sentence's own features once per sentence; the result equals the
    model applied to each target's full feature dictionary."""
    sc = S.scorer()
    by_sentence = {}
    for r in read_gold():
        by_sentence.setdefault(r["sentence"], []).append((r["target_start"], r["target_end"]))
    for sentence, spans in by_sentence.items():
        fast = sc.sentiment_towards(sentence, spans)
        slow = [sc._value(sc.model.proba(sc.features_toward(sentence, a, b))) for a, b in spans]
        assert fast == slow, sentence


def test_explanations_name_the_deciding_words():
    sc = S.scorer()
    s = "Biden praised Israel's remarkable defense but condemned Iran's brazen attack."
    israel, iran = sc.explain_towards(s, [span(s, "Israel"), span(s, "Iran")], k=5)
    for rows in (israel, iran):
        assert 0 < len(rows) <= 5
        assert all(set(r) == {"feature", "words", "weight"} for r in rows)
        assert [abs(r["weight"]) for r in rows] == sorted((abs(r["weight"]) for r in rows), reverse=True)
        assert rows[0]["weight"] > 0  # the strongest push is toward the decided class
    assert any("praised" in r["words"] for r in israel)
    assert any("condemned" in r["words"] or "brazen" in r["words"] for r in iran)
    # one list per span, empty for an empty target
    assert sc.explain_towards(s, [(0, 0)]) == [[]]


def test_abbreviation_period_does_not_end_a_clause():
    sc = S.scorer()
    sent, _ = sc._prepare("Rep. Smith and Mr. Jones criticized the U.S. plan.")
    words = [t.word for t in sent.toks]
    assert len(set(sent.clause)) == 1, list(zip(words, sent.clause))
    # the previous rules cut the sentence at each abbreviation
    legacy = S.legacy_scorer()._analyse("Rep. Smith and Mr. Jones criticized the U.S. plan.")
    assert len(set(legacy.clause)) > 1


def test_curly_apostrophe_negates_like_a_straight_one():
    sc = S.scorer()
    straight = "The senator wasn't happy with the deal."
    curly = "The senator wasn’t happy with the deal."
    f_straight = sc.features_toward(straight, 4, 11)
    f_curly = sc.features_toward(curly, 4, 11)
    assert {k: v for k, v in f_curly.items() if not k.startswith(("b:", "w:"))} == \
        {k: v for k, v in f_straight.items() if not k.startswith(("b:", "w:"))}
    # "happy" is negated: evidence of the negative sign in the predicate
    assert f_curly.get("e:pred-", 0) > 0 and "e:pred+" not in f_curly


def test_unable_to_reverses_the_following_word():
    sc = S.scorer()
    s = "Mr. Trump was unable to win the support of moderates."
    feats = sc.features_toward(s, *span(s, "Trump"))
    assert feats.get("x:pred-", 0) > 0  # "win", "support" reversed
    assert "e:pred+" not in feats


def test_part_of_speech_of_like_and_well():
    sc = S.scorer()
    feats = sc.features_toward("Critics like Warren attacked the plan.", 13, 19)
    assert not any(k.endswith(":like") for k in feats if k.startswith("v:"))  # a preposition: no valence
    feats = sc.features_toward("I like the mayor.", 11, 16)
    assert "v:verdict:like" in feats or "v:premod:like" in feats or "v:before:like" in feats
    feats = sc.features_toward("The mayor and the governor as well attended.", 4, 9)
    assert not any(k.endswith(":well") for k in feats if k.startswith("v:"))
    # "attack" as a noun and as a verb
    f_noun = sc.features_toward("Their attack on the city worried Smith.", 33, 38)
    f_verb = sc.features_toward("Smith will attack the city.", 0, 5)
    assert any(k.startswith("e:harmN:") for k in f_noun) and any(k.startswith("e:harmV:") for k in f_verb)


def test_model_file_loads_with_provenance():
    from importlib import resources

    from analysis.measures.linear import load_model

    model = load_model("sentiment")
    assert set(model.classes) == set(S.CLASSES)
    meta = model.meta
    assert "NewsMTSC" in meta["dataset"] and "Hamborg" in meta["citation"] and "MIT" in meta["licence"]
    assert meta["items"] == 8739 and meta["file"] == "newsmtsc/train.csv"
    assert "make train" in meta["training_command"] and meta["sklearn_version"]
    assert "C=" in meta["regularisation"] and meta["features"]
    size = len(resources.files("analysis.measures.sentiment").joinpath("model.json").read_bytes())
    assert size < 1_000_000
    # every feature family the scorer emits is known to the model
    assert any(k.startswith("e:pred") for k in model.weights) and any(k.startswith("w:L1:") for k in model.weights)


def test_runtime_does_not_import_sklearn():
    import subprocess
    import sys

    code = ("import sys; from analysis.measures.sentiment import sentiment_toward; "
            "sentiment_toward('Iran attacked Israel.', 0, 4); print('sklearn' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parents[1], check=True)
    assert out.stdout.strip() == "False"


@needs_external
def test_retraining_reproduces_the_committed_weights(tmp_path):
    from importlib import resources

    from analysis.validation.sentiment_external import train

    out = tmp_path / "sentiment.json"
    train(EXTERNAL, out)
    committed = resources.files("analysis.measures.sentiment").joinpath("model.json").read_bytes()
    assert out.read_bytes() == committed


@needs_external
def test_external_validation_beats_the_baselines():
    from analysis.validation.sentiment_external import evaluate

    res = evaluate(EXTERNAL)
    json.dumps(res)  # serialisable
    systems = res["systems"]
    f1 = {k: s["report"]["macro_f1"] for k, s in systems.items()}
    assert f1["method"] > f1["window_lr"] + 0.03 > f1["vader_sentence"] + 0.03 > f1["legacy_rules"]
    assert all(len(s["folds"]) == 5 for s in systems.values())
    assert abs(systems["method"]["predicted_neutral_share"] - res["extra"]["gold_neutral_share"]) <= 0.10
    assert res == evaluate(EXTERNAL)  # deterministic
