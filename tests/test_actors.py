"""Mention finding, hand-checked on tiny texts (analysis/actors.py).

Articles are built here with a deliberately simple segmentation (paragraphs on
blank lines, sentences after . ! ? followed by a capital or an opening quote,
quotes between curly double marks), so these tests depend on the actors module
only. One test at the end runs the whole pipeline on the bundled corpus.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.pipeline.actors import KINDS, Mention, build_matcher, find_mentions, mention_stats
from analysis.pipeline.model import Actor, Article, Paragraph, Quote, Sentence

ACTORS = [
    Actor("Biden", "person", ("Joe Biden", "President Joe Biden", "Biden", "the American president",
                              "the president")),
    Actor("Netanyahu", "person", ("Benjamin Netanyahu", "Netanyahu", "Bibi", "Israel's prime minister",
                                  "the prime minister")),
    Actor("Iran", "country", ("Iran", "Tehran"), ("Iranian", "Iranians")),
    Actor("Israel", "country", ("Israel", "the Jewish state"), ("Israeli", "Israelis")),
    Actor("United States", "country", ("United States", "US", "U.S."), ("American",)),
]
MACRON = Actor("Macron", "person", ("Emmanuel Macron", "Macron", "the president"))

_SENT = re.compile(r"(?<=[.!?”])\s+(?=[A-Z“])")


def make_article(body: str) -> Article:
    paragraphs, sent_index, pos = [], 0, 0
    for p_index, para in enumerate(body.split("\n\n")):
        p_start = body.index(para, pos)
        sents, s_pos = [], 0
        for piece in _SENT.split(para):
            s_start = para.index(piece, s_pos)
            sents.append(Sentence(sent_index, p_index, p_start + s_start, p_start + s_start + len(piece)))
            sent_index += 1
            s_pos = s_start + len(piece)
        paragraphs.append(Paragraph(p_index, p_start, p_start + len(para), tuple(sents)))
        pos = p_start + len(para)
    quotes = [Quote(m.start(), m.end()) for m in re.finditer(r"“[^”]*”", body)]
    return Article(id="t", outlet="T", file=Path("t.txt"), raw=body, body=body,
                   paragraphs=paragraphs, quotes=quotes)


def mentions(body, actors=ACTORS):
    return find_mentions(make_article(body), actors)


def simple(body, actors=ACTORS):
    """(actor, text, kind) of every mention."""
    return [(m.actor, m.text, m.kind) for m in mentions(body, actors)]


# --- surface forms and kinds ---------------------------------------------------------

def test_names_aliases_titles_and_demonyms():
    body = "Joe Biden met Bibi in Tehran. The American president praised the Jewish state and the Iranian people."
    assert simple(body) == [
        ("Biden", "Joe Biden", "name"),
        ("Netanyahu", "Bibi", "alias"),
        ("Iran", "Tehran", "alias"),
        ("Biden", "The American president", "title"),
        ("Israel", "the Jewish state", "title"),
        ("Iran", "Iranian", "demonym"),
    ]


@pytest.mark.parametrize("apostrophe", ["’", "'"])
def test_possessive_with_either_apostrophe(apostrophe):
    body = f"Iran{apostrophe}s attack failed."
    ms = mentions(body)
    assert [(m.actor, m.text, m.kind, m.start, m.end) for m in ms] == [("Iran", "Iran", "possessive", 0, 4)]


def test_title_alias_with_curly_apostrophe_is_one_mention():
    body = "Biden called Israel’s prime minister on Sunday."
    assert simple(body) == [("Biden", "Biden", "name"), ("Netanyahu", "Israel’s prime minister", "title")]


def test_names_are_case_sensitive_us_is_not_us():
    body = "They told us that the US would help."
    assert simple(body) == [("United States", "US", "alias")]


def test_whole_words_only():
    body = "Irani and Israelite are not mentions, Israelis are."
    assert simple(body) == [("Israel", "Israelis", "demonym")]


def test_offsets_point_at_the_text():
    body = "On Sunday, President Joe Biden spoke with Benjamin Netanyahu."
    for m in mentions(body):
        assert body[m.start:m.end] == m.text
    assert [m.text for m in mentions(body)] == ["President Joe Biden", "Benjamin Netanyahu"]


# --- overlaps -------------------------------------------------------------------------------

def test_longest_alias_wins():
    actors = ACTORS[:1] + [Actor("Netanyahu", "person", ("Benjamin Netanyahu", "Netanyahu",
                                                          "Israeli Prime Minister Benjamin Netanyahu"))] + ACTORS[2:]
    body = "Biden told Israeli Prime Minister Benjamin Netanyahu to wait."
    assert simple(body, actors) == [("Biden", "Biden", "name"),
                                    ("Netanyahu", "Israeli Prime Minister Benjamin Netanyahu", "name")]


def test_demonym_and_title_words_fold_into_the_person():
    # only "Benjamin Netanyahu" is listed; "Prime" and "Minister" are title words of the
    # corpus (from "Israel's prime minister"), so the demonym is part of his mention
    body = "Biden told Israeli Prime Minister Benjamin Netanyahu to wait."
    assert simple(body) == [("Biden", "Biden", "name"),
                            ("Netanyahu", "Israeli Prime Minister Benjamin Netanyahu", "name")]


def test_generic_title_before_the_name_folds_into_it():
    body = "On Sunday the president Joe Biden spoke."
    assert simple(body) == [("Biden", "the president Joe Biden", "name")]


def test_no_folding_across_other_words():
    body = "Iran Warns Netanyahu. Israeli officials met Netanyahu."
    assert simple(body) == [("Iran", "Iran", "name"), ("Netanyahu", "Netanyahu", "name"),
                            ("Israel", "Israeli", "demonym"), ("Netanyahu", "Netanyahu", "name")]


# --- ambiguous titles -------------------------------------------------------------------------

def test_generic_title_resolves_when_one_holder_was_named():
    body = "Biden spoke on Sunday. The president said the talks went well."
    assert simple(body) == [("Biden", "Biden", "name"), ("Biden", "The president", "title")]


def test_generic_title_before_any_name_is_left_out():
    body = "The prime minister spoke first. Then Netanyahu left."
    assert simple(body) == [("Netanyahu", "Netanyahu", "name")]


def test_generic_title_shared_by_two_named_actors_is_left_out():
    body = "Biden met Macron in Paris. The president said the talks went well."
    assert simple(body, ACTORS + [MACRON]) == [("Biden", "Biden", "name"), ("Macron", "Macron", "name")]


def test_generic_title_with_one_candidate_named_resolves_among_several():
    body = "Macron arrived. The president said the talks went well."
    assert simple(body, ACTORS + [MACRON]) == [("Macron", "Macron", "name"), ("Macron", "The president", "title")]


def test_another_capitalised_holder_of_the_title_blocks_resolution():
    body = "Biden met President Volodymyr Zelensky. The president said the talks went well."
    assert simple(body) == [("Biden", "Biden", "name")]


# --- pronouns ---------------------------------------------------------------------------------

def test_he_refers_to_the_subject_of_the_previous_sentence():
    body = "Biden called Netanyahu on Saturday. He said the talks went well."
    assert simple(body)[-1] == ("Biden", "He", "pronoun")


def test_he_refers_to_the_subject_of_its_own_clause():
    body = "Biden told Netanyahu that he would not support a counterattack."
    assert simple(body) == [("Biden", "Biden", "name"), ("Netanyahu", "Netanyahu", "name"),
                            ("Biden", "he", "pronoun")]


def test_he_after_a_later_subject():
    body = "When Biden called, Netanyahu said he understood."
    assert simple(body)[-1] == ("Netanyahu", "he", "pronoun")


def test_him_skips_the_subject_of_its_own_sentence():
    body = "Biden called Netanyahu. Biden told him to wait."
    assert simple(body)[-1] == ("Netanyahu", "him", "pronoun")


def test_pronoun_in_an_opening_phrase_refers_forward():
    body = "Netanyahu spoke first.\n\nIn his statement, Biden said the talks went well."
    assert simple(body)[1:3] == [("Biden", "his", "pronoun"), ("Biden", "Biden", "name")]


def test_ambiguous_pronoun_is_left_out():
    body = "Officials met Biden and Netanyahu. He was tired."
    assert simple(body) == [("Biden", "Biden", "name"), ("Netanyahu", "Netanyahu", "name")]


def test_pronoun_without_a_person_nearby_is_left_out():
    body = "Biden spoke.\n\nThe weather was bad.\n\nThe talks were long.\n\nHe left early."
    assert simple(body) == [("Biden", "Biden", "name")]


def test_first_person_in_a_quotation_is_its_speaker():
    body = "“I will not support it,” Biden said."
    ms = mentions(body)
    assert [(m.actor, m.text, m.kind, m.voice, m.speaker) for m in ms] == [
        ("Biden", "I", "pronoun", "quoted", "Biden"),
        ("Biden", "Biden", "name", "narrator", None),
    ]


def test_attribution_pronoun_after_a_quoted_statement():
    # the statement's "I" is Biden (the paragraph before ends with a colon), so the
    # "he" that attributes the next quotation is Biden too, not the last-named Netanyahu
    body = ("Biden issued a statement after talking to Netanyahu:\n\n"
            "“I spoke with Netanyahu. I told him that Israel won.”\n\n"
            "“I will call the G7,” he continued.")
    ms = mentions(body)
    assert [(m.text, m.actor) for m in ms if m.kind == "pronoun"] == [
        ("I", "Biden"), ("I", "Biden"), ("him", "Netanyahu"), ("I", "Biden"), ("he", "Biden")]


def test_first_person_outside_quotations_is_not_a_mention():
    assert simple("I think Biden is right.") == [("Biden", "Biden", "name")]


# --- voice and speaker -------------------------------------------------------------------------

def voices(body, actors=ACTORS):
    return [(m.text, m.voice, m.speaker) for m in mentions(body, actors)]


def test_narrator_voice():
    assert voices("Iran attacked Israel.") == [("Iran", "narrator", None), ("Israel", "narrator", None)]


def test_inside_a_quotation_attributed_after_it():
    body = "“Israel won,” Biden told Netanyahu."
    assert voices(body) == [("Israel", "quoted", "Biden"), ("Biden", "narrator", None),
                            ("Netanyahu", "narrator", None)]


def test_inside_a_quotation_attributed_before_it():
    body = "Biden told Netanyahu: “Israel won.”"
    assert voices(body) == [("Biden", "narrator", None), ("Netanyahu", "narrator", None),
                            ("Israel", "quoted", "Biden")]


def test_partial_quotation_belongs_to_the_sentence_subject():
    body = "Biden condemned the strikes on Israel in “the strongest terms against Iran.”"
    assert voices(body)[-1] == ("Iran", "quoted", "Biden")


def test_reported_speech_after_said_that():
    body = "Biden said that Iran had failed."
    assert voices(body) == [("Biden", "narrator", None), ("Iran", "quoted", "Biden")]


def test_reported_speech_after_told_skips_the_addressee():
    body = "Biden told Netanyahu the US would not join."
    assert voices(body) == [("Biden", "narrator", None), ("Netanyahu", "narrator", None),
                            ("US", "quoted", "Biden")]


def test_reported_speech_before_a_final_attribution():
    body = "Iran attacked Israel, Netanyahu said on Sunday."
    assert voices(body) == [("Iran", "quoted", "Netanyahu"), ("Israel", "quoted", "Netanyahu"),
                            ("Netanyahu", "narrator", None)]


def test_according_to_at_the_start_and_at_the_end():
    assert voices("According to Netanyahu, Iran failed.") == [("Netanyahu", "narrator", None),
                                                               ("Iran", "quoted", "Netanyahu")]
    assert voices("Iran failed, according to US officials.") == [("Iran", "quoted", "United States"),
                                                                  ("US", "narrator", None)]


def test_speaker_unknown_when_the_source_is_not_an_actor():
    assert voices("Officials said that Iran had failed.") == [("Iran", "quoted", None)]


def test_negated_or_adjectival_speech_verbs_do_not_report():
    assert voices("Biden did not say whether Iran failed.") == [("Biden", "narrator", None),
                                                               ("Iran", "narrator", None)]
    assert voices("Netanyahu ignored Biden's reported advice to Israel.") == [
        ("Netanyahu", "narrator", None), ("Biden", "narrator", None), ("Israel", "narrator", None)]


# --- structure of the result -----------------------------------------------------------------------

def test_sentence_and_paragraph_indices():
    body = "Biden spoke. Iran listened.\n\nIsrael waited."
    ms = mentions(body)
    assert [(m.text, m.sentence, m.paragraph) for m in ms] == [("Biden", 0, 0), ("Iran", 1, 0), ("Israel", 2, 1)]


def test_prebuilt_matcher_gives_the_same_result():
    art = make_article("Biden called Netanyahu. He said Iran's attack failed.")
    assert find_mentions(art, ACTORS, build_matcher(ACTORS)) == find_mentions(art, ACTORS)


def test_empty_body_and_no_actors():
    assert mentions("") == []
    assert find_mentions(make_article("Biden spoke."), []) == []


def test_mention_is_frozen():
    m = mentions("Biden spoke.")[0]
    assert isinstance(m, Mention)
    with pytest.raises(Exception):
        m.actor = "x"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["Iran", "Israel’s", "Biden", "Netanyahu", "he", "him", "his", "I", "my", "“",
                                 "”", "said", "told", "that", ",", ".", "according to", "the president",
                                 "the prime minister", "Israeli", "and", "US", "us", "\n\n"]), max_size=60))
def test_word_salad_never_breaks_the_offsets(words):
    body = " ".join(words).strip()
    for m in mentions(body):
        assert body[m.start:m.end] == m.text
        assert m.voice in ("narrator", "quoted") and m.kind in KINDS
        assert m.actor in {a.name for a in ACTORS}


# --- per-article statistics --------------------------------------------------------------------------

def test_mention_stats_hand_checked():
    body = "Biden spoke. Biden and Iran argued.\n\nIsrael waited."
    art = make_article(body)
    stats = mention_stats(art, find_mentions(art, ACTORS), ACTORS)
    assert stats["Biden"] == {"mentions": 2, "sentence_share": pytest.approx(2 / 3), "first_mention": 0.0}
    assert stats["Iran"]["mentions"] == 1
    assert stats["Iran"]["first_mention"] == pytest.approx(body.index("Iran") / len(body))
    assert stats["Israel"]["sentence_share"] == pytest.approx(1 / 3)
    assert stats["Netanyahu"] == {"mentions": 0, "sentence_share": 0.0, "first_mention": None}


# --- the bundled corpus ------------------------------------------------------------------------------

def test_bundled_corpus_mentions(corpus):
    matcher = build_matcher(corpus.actors)
    by_id = {a.id: a for a in corpus.articles}
    for art in corpus.articles:
        for m in find_mentions(art, corpus.actors, matcher):
            assert art.body[m.start:m.end] == m.text
            assert m.voice in ("narrator", "quoted")
            s = art.sentences[m.sentence]
            assert s.start <= m.start and m.end <= s.end and s.paragraph == m.paragraph
    # "Israeli Prime Minister Benjamin Netanyahu" is one Netanyahu mention, not also Israel
    e = by_id["E"]
    first = [m for m in find_mentions(e, corpus.actors, matcher) if m.sentence == 0]
    assert [(m.actor, m.text) for m in first[:2]] == [
        ("Biden", "President Joe Biden"), ("Netanyahu", "Israeli Prime Minister Benjamin Netanyahu")]
    # Biden's statement, quoted in B: "I" is Biden and the quote is his
    b = [m for m in find_mentions(by_id["B"], corpus.actors, matcher) if m.text == "I"]
    assert b and all(m.actor == "Biden" and m.voice == "quoted" and m.speaker == "Biden" for m in b)


def test_mention_finding_time_per_character_stays_flat(corpus):
    """A ratio, not a duration: 16 times the text may cost at most 4 times as much per character.
    (Resolving generic titles rescanned every earlier mention for each one: a 400,000-character
    article took 5 s instead of 0.5 s.)"""
    import random
    import timeit

    from analysis.pipeline.segment import segment

    paragraphs = [a.text(p) for a in corpus.articles for p in a.paragraphs]
    rng = random.Random(3)
    matcher = build_matcher(corpus.actors)

    def per_char(n_chars):
        body = ""
        while len(body) < n_chars:
            body += rng.choice(paragraphs) + "\n\n"
        body = body.strip()
        paragraphs_, quotes = segment(body)
        art = Article(id="x", outlet="o", file=None, raw=body, body=body, meta={}, log=[],
                      paragraphs=paragraphs_, quotes=quotes, event_date=None)
        return min(timeit.repeat(lambda: find_mentions(art, corpus.actors, matcher=matcher),
                                 number=1, repeat=2)) / len(body)

    assert per_char(400_000) < 4 * per_char(25_000)


_ALIAS_WORDS = ["the", "The", "Israeli", "Israel", "Iran", "Iran's", "IDF", "military", "White", "House", "a", "I",
                "Tehran", "Tel", "Aviv", "t", "th", "'s", "[x]", "U.S."]
_TEXT_PIECES = _ALIAS_WORDS + [" ", "  ", "\n", "\u00a0", "’", "'", "-", ",", "x", "é", "the  White\nHouse"]


@settings(max_examples=1500, deadline=None, derandomize=True)
@given(st.lists(st.lists(st.sampled_from(_ALIAS_WORDS), min_size=1, max_size=3).map(" ".join), min_size=1, max_size=5),
       st.sampled_from(["name", "title", "alias", "demonym"]),
       st.lists(st.sampled_from(_TEXT_PIECES), max_size=14).map("".join))
def test_alias_group_with_shared_start_finds_what_the_plain_alternation_finds(aliases, kind, text):
    """The matcher's group of aliases with a common first character, its shared letters and
    whitespace read once (``_group``), finds the same spans as the plain alternation
    ``first(?<![\\w’']first)(?:rest|rest...)``."""
    from analysis.pipeline.actors import _group, _pattern

    by_first: dict[str, list[str]] = {}
    for alias in sorted(set(aliases), key=lambda a: (-len(a), a)):
        firsts, rest = _pattern(alias, kind)
        for ch in dict.fromkeys(firsts):
            by_first.setdefault(ch, []).append(rest)
    for ch, rests in by_first.items():
        first = re.escape(ch)
        plain = re.compile(r"(?:%s(?<![\w’']%s)(?:%s))(?!\w)" % (first, first, "|".join(rests)))
        grouped = re.compile(r"(?:%s)(?!\w)" % _group(first, rests))
        assert [m.span() for m in grouped.finditer(text)] == [m.span() for m in plain.finditer(text)]
