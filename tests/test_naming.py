"""Naming and labels (analysis/measures/naming): hand-checked labels of constructed sentences,
the lexicons, the table, the measure registered in the metrics table and annotate records,
the bundled corpus (its damaged fifth article included) and the ``labels`` command."""
from __future__ import annotations

import json
import math
import time
from pathlib import Path

import pytest

from analysis import load_corpus, metrics_table
from analysis.annotate import Annotator, annotate_corpus
from analysis.measures import registry
from analysis.measures.naming import CATEGORIES, find_labels, label_table, load_lexicon, load_phrase_words, normalise
from analysis.cli import main
from analysis.measures.naming.measure import Naming
from analysis.pipeline.model import Actor, Article, Corpus
from analysis.pipeline.segment import segment

from .conftest import CORPUS

ACTORS = [
    Actor("Biden", "person", ("Joe Biden", "President Joe Biden", "Biden", "the American president", "the president")),
    Actor("Netanyahu", "person", ("Benjamin Netanyahu", "Prime Minister Benjamin Netanyahu", "Netanyahu", "Bibi",
                                  "Israel's prime minister", "the prime minister",
                                  "Israeli Prime Minister Benjamin Netanyahu")),
    Actor("Austin", "person", ("Lloyd Austin", "Austin")),
    Actor("Iran", "country", ("Iran", "Tehran", "Islamic Republic", "Iranian regime"), ("Iranian", "Iranians")),
    Actor("Israel", "country", ("Israel", "the Jewish state", "Israeli regime"), ("Israeli", "Israelis")),
    Actor("United States", "country", ("United States", "US", "U.S."), ("American",)),
]


def labels_of(body: str, actors=ACTORS):
    """Every label of ``body`` as (actor, text, normalised, loaded terms, form), in order."""
    paragraphs, quotes = segment(body)
    article = Article(id="t", outlet="T", file=Path("t.txt"), raw=body, body=body, paragraphs=paragraphs,
                      quotes=quotes)
    doc = Annotator(Corpus(Path("."), "t", [article], actors), measures=[]).document(article)
    found = find_labels(body, doc.sentences, doc.mentions)
    for s, labels in zip(doc.sentences, found):
        for lab in labels:
            # within its sentence; a mention may cross the boundary the segmenter puts in a run-on
            # sentence, and the label keeps the whole mention
            assert body[lab.start:lab.end] == lab.text and s.start <= lab.start < lab.end <= max(s.end, lab.mention[1])
            assert lab.form == "apposition" or (lab.start <= lab.mention[0] and lab.mention[1] <= lab.end)
    return [(lab.actor, lab.text, lab.normalised, lab.loaded, lab.form) for labels in found for lab in labels]


def label(body, actor, form="mention"):
    """(text, normalised, loaded) of the one label of ``actor`` in ``body`` with that form."""
    found = [(t, n, ld) for a, t, n, ld, f in labels_of(body) if a == actor and f == form]
    assert len(found) == 1, found
    return found[0]


# --- hand-checked labels -------------------------------------------------------------------
# Each expected value was written from reading the sentence and the rule (module docstring).

CASES = [
    # titles and names
    ("President Joe Biden spoke on Saturday.", "Biden",
     ("President Joe Biden", "president joe biden", ())),
    ("Israeli Prime Minister Benjamin Netanyahu spoke.", "Netanyahu",
     ("Israeli Prime Minister Benjamin Netanyahu", "israeli prime minister benjamin netanyahu", ())),
    # sentence-initial capitalised modifier before a title
    ("Embattled Prime Minister Benjamin Netanyahu refused.", "Netanyahu",
     ("Embattled Prime Minister Benjamin Netanyahu", "embattled prime minister benjamin netanyahu", ("embattled",))),
    ("Secretary of Defense Lloyd Austin called.", "Austin",
     ("Secretary of Defense Lloyd Austin", "secretary of defense lloyd austin", ())),
    ("Mr. Netanyahu said no.", "Netanyahu", ("Mr. Netanyahu", "mr. netanyahu", ())),
    ("Tehran fired drones.", "Iran", ("Tehran", "tehran", ())),
    # demonym + head noun
    ("The Iranian regime fired drones.", "Iran", ("The Iranian regime", "iranian regime", ("regime",))),
    ("Biden condemned the Iranian attack.", "Iran", ("the Iranian attack", "iranian attack", ())),
    ("It killed a top Iranian general.", "Iran", ("a top Iranian general", "top iranian general", ())),
    ("Talks with hardline Iranian officials failed.", "Iran",
     ("hardline Iranian officials", "hardline iranian officials", ("hardline",))),
    ("Iranian-backed militias fired.", "Iran", ("Iranian-backed militias", "iranian-backed militias", ())),
    ("Biden spoke with his Israeli counterpart.", "Israel",
     ("his Israeli counterpart", "his israeli counterpart", ())),
    ("Israeli officials said nothing.", "Israel", ("Israeli officials", "israeli officials", ())),
    ("The Israelis will respond.", "Israel", ("The Israelis", "israelis", ())),  # a plural demonym is the noun
    # possessives
    ("Biden spoke with Israel's prime minister on Saturday.", "Netanyahu",
     ("Israel's prime minister", "israel's prime minister", ())),
    ("Biden spoke with Israel’s prime minister on Saturday.", "Netanyahu",
     ("Israel’s prime minister", "israel's prime minister", ())),  # curly apostrophe: same normalised label
    ("Iran’s attack failed.", "Iran", ("Iran", "iran", ())),  # the possessor is the label
    ("He praised Israel's response.", "Israel", ("Israel", "israel", ())),  # "praised" may be a verb: not taken
    # so-called
    ("The so-called Islamic Republic fired drones.", "Iran",
     ("The so-called Islamic Republic", "so-called islamic republic", ("so-called",))),
    # verbs and speech verbs end the phrase
    ("Biden told Netanyahu to take the win.", "Netanyahu", ("Netanyahu", "netanyahu", ())),
    ("Iran Warns Netanyahu", "Netanyahu", ("Netanyahu", "netanyahu", ())),
    # quotation marks end the phrase; a determiner inside the quotation is taken
    ("“Netanyahu is weak,” Biden said.", "Netanyahu", ("Netanyahu", "netanyahu", ())),
    ("Iran warned “the Israeli regime” about a response.", "Israel",
     ("the Israeli regime", "israeli regime", ("regime",))),
    # a name is not followed to a head noun (documented limit)
    ("The U.S. military's deployment helped.", "United States", ("The U.S.", "u.s.", ())),
    # coordination cuts the phrase (documented limit)
    ("It alarmed the Israeli and U.S. militaries.", "Israel", ("the Israeli", "israeli", ())),
]


@pytest.mark.parametrize("body, actor, expected", CASES)
def test_hand_checked_labels(body, actor, expected):
    assert label(body, actor) == expected


def test_apposition_gives_a_second_label():
    found = labels_of("Netanyahu, the embattled prime minister, refused.")
    assert found == [("Netanyahu", "Netanyahu", "netanyahu", (), "mention"),
                     ("Netanyahu", "the embattled prime minister", "embattled prime minister", ("embattled",),
                      "apposition")]


def test_apposition_needs_a_closed_phrase_and_not_a_mention_of_the_same_actor():
    # "the U.S." is another actor's mention: no apposition
    assert [f for *_, f in labels_of("Biden spoke with Netanyahu, the U.S. said.")] == ["mention"] * 3
    # "the American president" is Biden's own mention: labelled once, as a mention
    assert labels_of("Biden, the American president, spoke.") == [
        ("Biden", "Biden", "biden", (), "mention"),
        ("Biden", "the American president", "american president", (), "mention")]


def test_pronouns_get_no_label_and_hyphened_names_stay_apart():
    found = labels_of("Biden called Netanyahu. He spoke of the Biden-Netanyahu call.")
    assert [(a, t) for a, t, *_ in found] == [("Biden", "Biden"), ("Netanyahu", "Netanyahu"),
                                            ("Biden", "the Biden"), ("Netanyahu", "Netanyahu")]


def test_normalise():
    assert normalise("The  U.S.") == "u.s."
    assert normalise("any Israeli counterattack") == "israeli counterattack"
    assert normalise("Israel’s prime minister") == "israel's prime minister"
    assert normalise("his Israeli counterpart") == "his israeli counterpart"  # possessives are kept
    assert normalise("the") == "the"  # never empty


# --- lexicons ---------------------------------------------------------------------------------

def test_bundled_lexicon_has_a_category_and_source_for_every_term():
    lex = load_lexicon()
    assert {("regime",), ("so-called",), ("terrorist",), ("militant",), ("hardline",), ("embattled",)} <= set(lex.terms)
    for key, (category, source) in lex.terms.items():
        assert category in CATEGORIES and source, key
    assert lex.find(["the", "so-called", "freedom", "fighters"]) == [("so-called", "delegitimising"),
                                                                   ("freedom fighters", "ameliorative")]


def test_a_bad_lexicon_names_file_and_line(tmp_path):
    bad = tmp_path / "lex.csv"
    bad.write_text("term,category,source\nregime,delegitimising,x\nthug,rude,x\n")
    with pytest.raises(ValueError, match=r"lex.csv:3: unknown category 'rude'"):
        load_lexicon(bad)
    words = load_phrase_words()
    assert "the" in words.determiners and "his" in words.possessives and "of" in words.prepositions


# --- edge cases -------------------------------------------------------------------------------

def test_empty_and_actorless_texts():
    assert find_labels("", [], []) == []
    assert labels_of("Nobody is named here. Nor here.") == []
    assert labels_of("Nothing.", actors=[]) == []


def test_unicode_text():
    assert label("Señor Biden met the Iranian délégué.", "Biden") == ("Señor Biden", "señor biden", ())
    assert label("Señor Biden met the Iranian délégué.", "Iran") == ("the Iranian délégué", "iranian délégué", ())


def test_a_very_long_sentence_stays_linear():
    def seconds(n):
        body = "The Iranian regime and " * n + "Israel waited."
        t = time.perf_counter()
        found = labels_of(body)
        return time.perf_counter() - t, found

    small, found = seconds(2_000)
    assert found[0][1:4] == ("The Iranian regime", "iranian regime", ("regime",)) and len(found) == 2_001
    large, _ = seconds(8_000)
    assert large < 8 * small + 1.0  # 4x the text: about 4x the time, not 16x


# --- the table, the measure, the command ------------------------------------------------------

def test_label_table_on_the_bundled_corpus():
    corpus = load_corpus(CORPUS)
    table = label_table(corpus)
    assert list(table.columns)[:5] == ["actor", "label", "outlet", "count", "quoted"]
    row = table[(table.actor == "Iran") & (table.label == "islamic regime")]
    # only Outlet B calls Iran "the Islamic regime"
    assert row[["outlet", "count", "loaded", "terms", "only_outlet"]].values.tolist() == [
        ["Outlet B", 1, True, "regime", True]]
    row = table[(table.actor == "Israel") & (table.label == "israeli regime")]
    # Outlet D's "the Israeli regime" is the Iranian Mission's, in a quotation
    assert row[["outlet", "quoted", "loaded", "only_outlet"]].values.tolist() == [["Outlet D", 1, True, True]]
    # every outlet names Iran "Iran" and Netanyahu "Netanyahu"
    for actor, label_ in (("Iran", "iran"), ("Netanyahu", "netanyahu")):
        rows = table[(table.actor == actor) & (table.label == label_)]
        assert len(rows) == 5 and not rows.only_outlet.any() and (rows.outlets == 5).all()
    # the evidence points at the words
    bodies = {a.id: a.body for a in corpus.articles}
    for _, r in table.iterrows():
        for where in r.evidence.split("; "):
            art, span = where.split(":")
            a, b = map(int, span.split("-"))
            assert normalise(bodies[art][a:b]) == r.label
    assert set(label_table(corpus, actor="Biden").actor) == {"Biden"}


def test_the_damaged_fifth_article():
    corpus = load_corpus(CORPUS)
    e = label_table(corpus)
    e = e[e.outlet == "Outlet E"]
    # "Biden reportedly told the prime minister", "President Joe Biden told Israeli Prime Minister ..."
    assert {"prime minister", "israeli prime minister benjamin netanyahu", "netanyahu"} <= set(
        e[e.actor == "Netanyahu"].label)
    assert "jewish state" in set(e[e.actor == "Israel"].label)


@pytest.fixture
def naming():
    registry.register(Naming)
    yield Naming
    registry.unregister(Naming)


@pytest.fixture
def small(tmp_path):
    (tmp_path / "manifest.csv").write_text("id,outlet,file\nA,Outlet A,a.txt\nB,Outlet B,b.txt\n")
    (tmp_path / "actors.yaml").write_text(
        "event: {name: t, date: 2024-04-13}\nactors:\n"
        "  Iran:\n    kind: country\n    aliases: [Iran, Tehran, Iranian regime]\n    demonyms: [Iranian]\n"
        "  Biden:\n    kind: person\n    aliases: [Biden]\n")
    # A: "The Iranian regime" (loaded) and "Iran": Iran's share 1/2; 1 loaded label in 5 + 3 words
    (tmp_path / "a.txt").write_text("The Iranian regime fired drones. Iran denied it.\n")
    # B: "Tehran" and "Biden", none loaded
    (tmp_path / "b.txt").write_text("Tehran waited. Biden spoke.\n")
    return load_corpus(tmp_path)


def test_registered_measure_rows_and_records(naming, small):
    table = metrics_table(small)
    share = table[(table.metric == "loaded_label_share") & (table.article != "")].set_index(["article", "target"])
    assert share.loc[("A", "Iran"), "value"] == 0.5 and share.loc[("A", "Iran"), "n"] == 2
    assert share.loc[("B", "Iran"), "value"] == 0.0
    assert share.loc[("B", "Biden"), "value"] == 0.0
    assert math.isnan(share.loc[("A", "Biden"), "value"])  # never named
    rate = table[(table.metric == "loaded_labels_per_1000_words") & (table.article != "")].set_index("article")
    assert rate.loc["A", "value"] == pytest.approx(1 / 8 * 1000) and rate.loc["B", "value"] == 0.0
    records = list(annotate_corpus(small, evidence=False))
    assert records[0]["labels"] == [{"actor": "Iran", "text": "The Iranian regime", "start": 0, "end": 18,
                                     "normalised": "iranian regime", "loaded": ["regime"], "form": "mention",
                                     "kind": "title", "voice": "narrator"}]
    assert records[1]["labels"][0]["text"] == "Iran" and records[1]["labels"][0]["start"] == 0
    rec = next(annotate_corpus(small, evidence=True))
    assert rec["labels"][0]["categories"] == ["delegitimising"] and rec["labels"][0]["mention"] == [4, 18]


def test_registered_measure_on_the_bundled_corpus(naming):
    corpus = load_corpus(CORPUS)
    table = metrics_table(corpus)
    share = table[(table.metric == "loaded_label_share") & (table.article == "")].set_index(["outlet", "target"])
    # Outlet B names Iran ten times: Iran x6, the Iranian attack x2, a top Iranian general, the Islamic regime
    assert share.loc[("Outlet B", "Iran"), "value"] == pytest.approx(0.1)
    assert share.loc[("Outlet B", "Iran"), "n"] == 10
    for rec in annotate_corpus(corpus, evidence=False):
        for lab in rec["labels"]:
            assert rec["text"][lab["start"]:lab["end"]] == lab["text"]


def test_labels_command(naming, tmp_path, capsys):
    # registered, the measure's command module adds the verb to the command line
    out = tmp_path / "iran.json"
    assert main(["labels", str(CORPUS), "--actor", "Iran", "--format", "json", "--out", str(out)]) == 0
    rows = json.loads(out.read_text())
    assert {r["actor"] for r in rows} == {"Iran"} and any(r["label"] == "islamic regime" for r in rows)
    assert main(["labels", str(CORPUS), "--actor", "Nobody"]) == 2
    assert "no actor 'Nobody'" in capsys.readouterr().err
    assert main(["labels", str(CORPUS), "--out", str(Path(CORPUS) / "x.csv")]) == 2
    assert "inside the corpus folder" in capsys.readouterr().err
    assert main(["labels", str(CORPUS), "--actor", "Netanyahu"]) == 0
    assert capsys.readouterr().out.startswith("actor,label,outlet,count,quoted,loaded")
