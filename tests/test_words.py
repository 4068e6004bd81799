"""Distinctive words (Monroe et al. 2008 weighted log-odds) and keyword-in-context.

Expected values are worked out by hand from the constructed texts; the arithmetic
is in the comments.
"""
import argparse
import json
import math
import re
import time

import numpy as np
import pandas as pd
import pytest

from analysis import load_corpus, metrics_table
from analysis.annotate import Annotator, annotate_corpus
from analysis.errors import CorpusError
from analysis.measures import registry
from analysis.measures.base import Document
from analysis.measures.words import (COLUMNS, KWIC_COLUMNS, STOP_WORDS, NgramCounts, count_ngrams,
                                     distinctive_words, kwic, load_stop_words, log_odds, term)
from analysis.measures.words.command import add_parser
from analysis.measures.words.measure import Words
from analysis.pipeline.model import Article, Paragraph, Sentence

from .conftest import CORPUS, ROOT

ACTORS = """event: {name: "A test event", date: 2024-04-13}
actors:
  Iran:
    kind: country
    aliases: [Iran]
"""


def make_corpus(folder, texts: dict):
    """A corpus in ``folder``: ``texts`` maps (id, outlet) -> the article's text."""
    lines = ["id,outlet,file"]
    for (aid, outlet), text in texts.items():
        (folder / f"{aid}.txt").write_text(text, encoding="utf-8")
        lines.append(f"{aid},{outlet},{aid}.txt")
    (folder / "manifest.csv").write_text("\n".join(lines) + "\n")
    (folder / "actors.yaml").write_text(ACTORS)
    return load_corpus(folder)


@pytest.fixture
def two(tmp_path):
    # A: unigrams drones 2, missiles 1 ("and" is a stop-word): n_A = 3
    # B: unigrams missiles 1, talks 1: n_B = 2; the corpus: N = 5, drones 2, missiles 2, talks 1
    return make_corpus(tmp_path, {("a", "Outlet A"): "Drones, drones and missiles.\n",
                                  ("b", "Outlet B"): "Missiles and talks.\n"})


@pytest.fixture
def registered():
    registry.register(Words)
    yield Words
    registry.unregister(Words)


# --- terms and counting ---------------------------------------------------------------------

@pytest.mark.parametrize("word, expected", [
    ("Iran", "iran"), ("Iran's", "iran"), ("Iran’s", "iran"), ("Follow-up", "follow-up"),
    ("follow\u2011up", "follow-up"), ("1,200", "1,200"), ("3.5", "3.5"), ("don’t", "don't"), ("It's", "it"),
    ("s", "s"), ("Café", "café"), ("I", "i"), ("A", "a"),
    # acronyms keep their capitals, without dots: the country is not the pronoun
    ("US", "US"), ("U.S.", "US"), ("U.S.’s", "US"), ("us", "us"), ("Us", "us"), ("IRGC", "IRGC"),
    ("IRAN’S", "IRAN"), ("G7", "g7"),  # one letter only: no acronym
])
def test_term_lower_cases_straightens_and_drops_the_possessive(word, expected):
    assert term(word) == expected


def test_unigrams_and_bigrams_of_a_sentence():
    counts = count_ngrams(["Take the win, Biden told Netanyahu."])
    assert counts.unigrams == {"take": 1, "the": 1, "win": 1, "biden": 1, "told": 1, "netanyahu": 1}
    # "win, Biden": a comma between the words, so no bigram
    assert counts.bigrams == {"take the": 1, "the win": 1, "biden told": 1, "told netanyahu": 1}


def test_bigrams_do_not_cross_sentences():
    counts = count_ngrams(["Iran struck.", "Israel waited."])
    assert set(counts.bigrams) == {"iran struck", "israel waited"}  # no "struck israel"


def test_bigrams_may_span_quotation_marks_but_no_other_punctuation():
    counts = count_ngrams(["You got a “win” (really) – then Iran’s drones."])
    # a “win: only a quotation mark between; win” (really: a bracket; really) – then: a dash;
    # "Iran’s drones" is the term "iran" then "drones"
    assert set(counts.bigrams) == {"you got", "got a", "a win", "then iran", "iran drones"}


def test_counts_of_an_empty_article_and_of_a_sentence_without_words():
    assert count_ngrams([]) == NgramCounts()
    assert count_ngrams(["... — !"]) == NgramCounts()


def test_unicode_words_count_alike_composed_or_not():
    counts = count_ngrams(["Café cafe\u0301 Cafe\u0301 CAFÉ."])
    assert counts.unigrams == {"café": 3, "CAFÉ": 1}  # capitals: read as an acronym


# --- stop-words -------------------------------------------------------------------------------

def test_the_stop_word_file_has_its_documented_size_and_no_content_words():
    readme = (ROOT / "analysis/measures/words/stopwords.README.md").read_text()
    assert f"| Entries | {len(STOP_WORDS)} words" in readme
    assert {"the", "of", "and", "it", "their", "we're"} <= STOP_WORDS
    # kept on purpose (stopwords.README.md): modals, negation, quantities, reporting verbs
    assert not {"may", "could", "would", "will", "not", "no", "didn't", "more", "some", "said", "told"} & STOP_WORDS


def test_stop_words_leave_unigrams_and_only_all_stop_bigrams(two):
    words = distinctive_words(two, top=None, min_count=1)
    assert "and" not in set(words.term)
    bigrams = distinctive_words(two, ngram=2, top=None, min_count=1)
    # A: "drones and", "and missiles"; B: "missiles and", "and talks": one content word each, all kept
    assert set(bigrams.term) == {"drones and", "and missiles", "missiles and", "and talks"}
    assert "of the" in count_ngrams(["Most of the drones."]).bigrams  # counted, made of two stop-words
    docs = [_doc("Most of the drones.", "Outlet A"), _doc("Of the missiles, none.", "Outlet B")]
    assert set(distinctive_words(docs, ngram=2, top=None, min_count=1).term) == {"most of", "the drones",
                                                                                "the missiles"}


def test_a_stop_word_file_of_ones_own(tmp_path, two):
    path = tmp_path / "stop.txt"
    path.write_text("# my list\nDrones  # a comment\n")
    assert load_stop_words(path) == frozenset({"drones"})
    words = distinctive_words(two, top=None, min_count=1, stop_words=load_stop_words(path))
    assert "drones" not in set(words.term) and "and" in set(words.term)


# --- the log-odds ratio, by hand ------------------------------------------------------------------

def test_log_odds_by_hand_on_two_outlets(two):
    table = distinctive_words(two, top=None, min_count=1, alpha0=5).set_index(["outlet", "term"])
    assert list(table.reset_index().columns) == COLUMNS
    # prior: a0 = 5 = N, so a_w = a0 * y_w / N = y_w: drones 2, missiles 2, talks 1
    # A, "drones": y_i = 2, n_i = 3; rest (B): y = 0, n = 2
    #   delta = log((2+2)/(3+5-2-2)) - log((0+2)/(2+5-0-2)) = log(4/4) - log(2/5) = log(2.5) = 0.916291
    #   var = 1/(2+2) + 1/(0+2) = 0.75;  z = 0.916291 / sqrt(0.75) = 1.058041
    row = table.loc[("Outlet A", "drones")]
    assert (row.count_outlet, row.count_rest, row.ngram) == (2, 0, 1)
    assert row.log_odds == pytest.approx(0.916291, abs=1e-6)
    assert row.z == pytest.approx(1.058041, abs=1e-6)
    # A, "missiles": y_i = 1, rest y = 1: delta = log(3/(3+5-1-2)) - log(3/(2+5-1-2)) = log(0.6/0.75)
    #   = log(0.8) = -0.223144; var = 1/3 + 1/3; z = -0.223144 / 0.816497 = -0.273294
    row = table.loc[("Outlet A", "missiles")]
    assert row.log_odds == pytest.approx(-0.223144, abs=1e-6)
    assert row.z == pytest.approx(-0.273294, abs=1e-6)
    # A, "talks": y_i = 0, a_w = 1, rest y = 1: delta = log(1/(3+5-0-1)) - log(2/(2+5-1-1))
    #   = log((1/7)/(2/5)) = log(5/14) = -1.029619; var = 1/1 + 1/2 = 1.5; z = -0.840681
    row = table.loc[("Outlet A", "talks")]
    assert row.log_odds == pytest.approx(-1.029619, abs=1e-6)
    assert row.z == pytest.approx(-0.840681, abs=1e-6)
    # B against A is A against B turned round: log(14/5) for "talks"
    row = table.loc[("Outlet B", "talks")]
    assert row.log_odds == pytest.approx(1.029619, abs=1e-6)
    assert row.z == pytest.approx(0.840681, abs=1e-6)


def test_the_default_prior_of_500_pseudo_counts(two):
    # a0 = 500: a_w = 500 * 2 / 5 = 200 for "drones"; A: y_i = 2, n_i = 3; B: y = 0, n = 2
    #   delta = log((2+200)/(3+500-2-200)) - log((0+200)/(2+500-0-200)) = log(202/301) - log(200/302)
    #         = log(0.671096) - log(0.662252) = 0.013267
    #   var = 1/202 + 1/200 = 0.0099505; z = 0.013267 / 0.099752 = 0.133000
    row = distinctive_words(two, top=None, min_count=1).set_index(["outlet", "term"]).loc[("Outlet A", "drones")]
    assert row.log_odds == pytest.approx(0.013267, abs=1e-6)
    assert row.z == pytest.approx(0.133000, abs=1e-6)
    with pytest.raises(ValueError):
        distinctive_words(two, alpha0=0)


def test_the_prior_scales_with_alpha0(two):
    # a0 = 10: a_w = 10 * 2 / 5 = 4 for "drones"
    #   delta = log((2+4)/(3+10-2-4)) - log((0+4)/(2+10-0-4)) = log(6/7) - log(4/8) = log(12/7) = 0.538997
    #   var = 1/6 + 1/4 = 5/12; z = 0.538997 / 0.645497 = 0.835010
    table = distinctive_words(two, top=None, min_count=1, alpha0=10).set_index(["outlet", "term"])
    assert table.loc[("Outlet A", "drones"), "log_odds"] == pytest.approx(0.538997, abs=1e-6)
    assert table.loc[("Outlet A", "drones"), "z"] == pytest.approx(0.835010, abs=1e-6)


def test_log_odds_on_numbers_and_arrays():
    delta, z = log_odds(2, 3, 0, 2, 2, 5)
    assert (delta, z) == pytest.approx((math.log(2.5), math.log(2.5) / math.sqrt(0.75)))
    deltas, _ = log_odds(np.array([2.0, 1.0]), 3, np.array([0.0, 1.0]), 2, np.array([2.0, 2.0]), 5)
    assert deltas == pytest.approx([math.log(2.5), math.log(0.8)])


def test_min_count_selects_terms_but_the_totals_keep_every_term(two):
    every = distinctive_words(two, top=None, min_count=1).set_index(["outlet", "term"])
    frequent = distinctive_words(two, top=None, min_count=2).set_index(["outlet", "term"])
    assert set(frequent.index.get_level_values("term")) == {"drones", "missiles"}  # "talks": once
    # n_i, N and the prior still count "talks": the scores of the others do not move
    assert frequent.loc[("Outlet A", "drones"), "z"] == every.loc[("Outlet A", "drones"), "z"]
    assert distinctive_words(two, top=None, min_count=3).empty


def test_top_keeps_the_terms_an_outlet_uses_more_highest_z_first_ties_by_term(tmp_path):
    corpus = make_corpus(tmp_path, {("a", "Outlet A"): "Zebras and apples. Apples and zebras. Pears.\n",
                                    ("b", "Outlet B"): "Pears and pears.\n"})
    top = distinctive_words(corpus, top=5, min_count=1)
    # A uses apples 2, zebras 2 (B none): the same counts, the same z, so alphabetical
    assert list(top[top.outlet == "Outlet A"].term) == ["apples", "zebras"]  # "pears": z < 0 for A
    assert list(top[top.outlet == "Outlet B"].term) == ["pears"]
    assert list(distinctive_words(corpus, top=1, min_count=1).term) == ["apples", "pears"]


def test_one_outlet_compares_nothing_and_bad_arguments_are_refused(tmp_path, two):
    one = make_corpus(tmp_path, {("a", "Outlet A"): "Drones hit.\n", ("b", "Outlet A"): "Drones missed.\n"})
    assert distinctive_words(one, min_count=1).empty
    assert list(distinctive_words(one).columns) == COLUMNS
    for bad in ({"ngram": 3}, {"top": 0}, {"min_count": 0}):
        with pytest.raises(ValueError):
            distinctive_words(two, **bad)


def test_an_outlet_of_stop_words_only(tmp_path):
    corpus = make_corpus(tmp_path, {("a", "Outlet A"): "It was there.\n",
                                    ("b", "Outlet B"): "Drones hit Israel. Drones fell.\n"})
    # n_A = 0, so the rest of B is empty and B is compared with the prior, which is B's own
    # shares: with a_w = a0 * y/n, (y + a_w)/(n + a0 - y - a_w) = y/(n - y) = a_w/(a0 - a_w), delta = 0
    # e.g. a0 = 500, "drones": log(202/303) - log(200/300) = log(2/3) - log(2/3)
    assert distinctive_words(corpus, min_count=1).empty
    every = distinctive_words(corpus, top=None, min_count=1)
    assert every[every.outlet == "Outlet B"].z.abs().max() < 1e-12


# --- keyword in context ---------------------------------------------------------------------------

def test_kwic_finds_whole_words_whatever_the_case_with_offsets_into_the_body(tmp_path):
    corpus = make_corpus(tmp_path, {
        ("a", "Outlet A"): "You got a WIN. Take the win, he said.\n\nWinning is no win-win; Darwin won.\n",
        ("b", "Outlet B"): "Iran’s drones. Iran said no.\n"})
    table = kwic(corpus, "win", window=2)
    assert list(table.columns) == KWIC_COLUMNS
    body = corpus.articles[0].body
    assert list(table.match) == ["WIN", "win"]  # not Winning, win-win (one word), Darwin
    for row in table.itertuples():
        assert body[row.start:row.end] == row.match
    assert list(table.sentence) == [0, 1]
    # two words either side; the context crosses the sentence's end
    assert (table.left[0], table.right[0]) == ("got a", ". Take the")
    assert (table.left[1], table.right[1]) == ("Take the", ", he said")
    iran = kwic(corpus, "Iran")
    assert list(iran.match) == ["Iran’s", "Iran"] and set(iran.outlet) == {"Outlet B"}


def test_kwic_of_an_acronym_is_not_the_pronoun(tmp_path):
    corpus = make_corpus(tmp_path, {("a", "Outlet A"): "The US told us. The U.S. waited.\n",
                                    ("b", "Outlet B"): "Tell us.\n"})
    # kwic is case-insensitive: it lists both, and ``match`` shows which is which
    assert list(kwic(corpus, "US").match) == list(kwic(corpus, "us").match) == ["US", "us", "U.S.", "us"]
    words = distinctive_words(corpus, top=None, min_count=1)
    assert "US" in set(words.term) and "us" not in set(words.term)  # "us" is a stop-word


def test_kwic_of_a_phrase_within_one_sentence(tmp_path):
    corpus = make_corpus(tmp_path, {("a", "Outlet A"): "Take the win. Take the “win”. Take the. Win now.\n",
                                    ("b", "Outlet B"): "Nothing.\n"})
    table = kwic(corpus, "take the win", window=0)
    assert list(table.match) == ["Take the win", "Take the “win"]  # "Take the. Win": two sentences
    assert (table.left == "").all() and (table.right == "").all()
    with pytest.raises(ValueError):
        kwic(corpus, "—")


def test_kwic_and_counts_agree_on_the_bundled_corpus(corpus):
    """Bulletproofing: each outlet's count of "win" is its number of kwic lines, and both equal
    a plain case-insensitive whole-word search of the bodies."""
    lines = kwic(corpus, "win")
    counts = distinctive_words(corpus, top=None, min_count=1).query("term == 'win'").set_index("outlet")
    by_regex = {a.outlet: len(re.findall(r"(?<![\w-])win(?![\w-])", a.body, flags=re.I)) for a in corpus.articles}
    for outlet in corpus.outlets:
        assert (lines.outlet == outlet).sum() == counts.loc[outlet, "count_outlet"] == by_regex[outlet]
    assert len(lines) == 12  # A 2, B 3, C 2, D 2, E 3
    for row in lines.itertuples():
        art = next(a for a in corpus.articles if a.id == row.article)
        assert art.body[row.start:row.end].lower() == "win"


def test_the_damaged_fifth_article_is_counted_and_searched(corpus):
    e = next(a for a in corpus.articles if a.id == "E")
    counts = count_ngrams([e.body[s.start:s.end] for s in e.sentences])
    assert counts.unigrams["biden"] > 0 and not any("â" in t for t in counts.unigrams)
    assert (kwic(corpus, "biden").article == "E").sum() == counts.unigrams["biden"]


def test_counting_and_kwic_are_linear_in_the_length():
    def seconds(n):
        text = "Drones and missiles hit Iran’s targets, officials said. " * n
        t = time.perf_counter()
        count_ngrams([text])
        return time.perf_counter() - t

    small, large = seconds(2_000), seconds(20_000)  # one sentence of 18,000 and of 180,000 words
    assert large < 30 * small + 0.05


# --- the bundled corpus ---------------------------------------------------------------------------

def test_distinctive_words_of_the_bundled_corpus(corpus):
    for ngram in (1, 2):
        table = distinctive_words(corpus, ngram=ngram, top=10)
        assert list(table.columns) == COLUMNS
        assert list(dict.fromkeys(table.outlet)) == ["Outlet A", "Outlet B", "Outlet C", "Outlet D", "Outlet E"]
        assert (table.z > 0).all() and (table.groupby("outlet").size() <= 10).all()
        assert (table.count_outlet + table.count_rest >= 3).all()
        for _, rows in table.groupby("outlet"):
            assert list(rows.z) == sorted(rows.z, reverse=True)
    # Outlet E's top word is "strike", which no other outlet writes ("strikes" is another term)
    top = distinctive_words(corpus, top=1).set_index("outlet")
    assert top.loc["Outlet E", "term"] == "strike"
    uses = {a.outlet: len(re.findall(r"\bstrike\b", a.body, flags=re.I)) for a in corpus.articles}
    assert uses == {"Outlet A": 0, "Outlet B": 0, "Outlet C": 0, "Outlet D": 0, "Outlet E": 6}
    assert (top.loc["Outlet E", "count_outlet"], top.loc["Outlet E", "count_rest"]) == (6, 0)


# --- the measure ----------------------------------------------------------------------------------

def test_the_measure_stores_each_articles_counts(corpus):
    ann = Annotator(corpus, measures=[Words()])(corpus.articles[0])
    assert isinstance(ann.ngrams, NgramCounts) and ann["words"] is ann.ngrams
    a = corpus.articles[0]
    assert ann.ngrams == count_ngrams([a.body[s.start:s.end] for s in a.sentences])
    doc = Document(a, [], [])
    assert Words().annotate([doc]) == [NgramCounts()]  # an article without sentences


def test_distinctive_words_from_annotations_equal_those_from_the_corpus(corpus):
    with_counts = list(Annotator(corpus, measures=[Words()]).many(corpus.articles))
    without = list(Annotator(corpus, measures=[]).many(corpus.articles))  # counted from the Documents
    expected = distinctive_words(corpus, ngram=2)
    pd.testing.assert_frame_equal(distinctive_words(with_counts, ngram=2), expected)
    pd.testing.assert_frame_equal(distinctive_words(without, ngram=2), expected)


@pytest.mark.parametrize("which", ["bundled", "tiny"])
def test_registered_it_adds_no_rows_and_no_record_fields(registered, which, corpus, two):
    c = corpus if which == "bundled" else two
    registry.unregister(Words)
    base_table, base_records = metrics_table(c), list(annotate_corpus(c, evidence=False))
    registry.register(Words)
    assert "words" in [m.name for m in registry.measures()]
    pd.testing.assert_frame_equal(metrics_table(c), base_table)
    assert list(annotate_corpus(c, evidence=False)) == base_records
    anns = list(Annotator(c).many(c.articles))
    assert all(isinstance(ann.ngrams, NgramCounts) for ann in anns)
    pd.testing.assert_frame_equal(distinctive_words(anns), distinctive_words(c))


# --- the command line -----------------------------------------------------------------------------

def run(argv):
    parser = argparse.ArgumentParser()
    add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


def test_the_words_verb(capsys, tmp_path):
    assert run(["words", str(CORPUS), "--ngram", "2", "--top", "3"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == ",".join(COLUMNS) and len(lines) == 1 + 15
    out = tmp_path / "words.json"
    assert run(["words", str(CORPUS), "--format", "json", "--out", str(out), "--top", "2"]) == 0
    rows = json.loads(out.read_text())
    assert [r["outlet"] for r in rows][:2] == ["Outlet A", "Outlet A"] and set(rows[0]) == set(COLUMNS)
    assert not (tmp_path / "words.json.part").exists()


def test_the_kwic_verb(capsys):
    assert run(["kwic", str(CORPUS), "Take the win", "--window", "2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == ",".join(KWIC_COLUMNS) and len(lines) == 1 + 6
    assert run(["kwic", str(CORPUS), "win", "--format", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 12
    with pytest.raises(CorpusError, match="holds no word"):
        run(["kwic", str(CORPUS), "..."])


def test_one_outlet_warns_on_the_command_line(tmp_path, capsys):
    make_corpus(tmp_path, {("a", "Outlet A"): "Drones hit.\n"})
    assert run(["words", str(tmp_path)]) == 0
    captured = capsys.readouterr()
    assert captured.out.strip() == ",".join(COLUMNS) and "one outlet only" in captured.err


def _doc(text, outlet):
    """A Document of one article of one sentence."""
    sentence = Sentence(0, 0, 0, len(text))
    article = Article(outlet, outlet, None, text, text, paragraphs=[Paragraph(0, 0, len(text), (sentence,))])
    return Document(article, [text], [text.split()])


def test_z_reads_as_a_z_score_when_outlets_differ_by_chance_only():
    """Five outlets whose words are drawn from one and the same distribution: every difference
    is chance, so a z-score should have a standard deviation near 1 and about 5% beyond
    +-1.96. The default prior (a0 = 500) gives about that (rare terms' z are a little
    smaller); a0 = N (a_w = y_w) shrinks z far below."""
    rng = np.random.default_rng(7)
    vocabulary = np.array([f"w{k}" for k in range(2000)])
    p = 1.0 / np.arange(1, 2001)  # Zipf's law
    docs = [_doc(" ".join(rng.choice(vocabulary, size=20_000, p=p / p.sum())), f"Outlet {o}") for o in "ABCDE"]
    z = distinctive_words(docs, top=None).z
    assert 0.8 < z.std() < 1.15 and 0.02 < (z.abs() > 1.96).mean() < 0.09  # here: 0.89 and 3.2%
    z_n = distinctive_words(docs, top=None, alpha0=100_000).z  # a0 = N = 5 x 20,000
    assert z_n.std() < 0.6  # here: 0.47
