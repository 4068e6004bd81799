"""Tests for analysis.pipeline.text, the one text layer: words, sentences, quotations,
reported speech, and measures reading the segmented article instead of re-splitting it.

Expected values are worked out by hand from the texts beside them.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.measures import context as ctx
from analysis.pipeline import text
from analysis.pipeline.model import Article, Paragraph, Sentence
from analysis.pipeline.segment import segment

APPROX = "Officials said approx. 300 drones flew. Most were downed."
SAT = dt.date(2024, 4, 13)


def article(body: str, paragraphs=None, quotes=()) -> Article:
    """An Article of ``body``, segmented by the segmenter unless ``paragraphs`` are given."""
    if paragraphs is None:
        paragraphs, quotes = segment(body)
    return Article(id="x", outlet="X", file=Path("x.txt"), raw=body, body=body,
                   paragraphs=list(paragraphs), quotes=list(quotes), event_date=SAT)


# --- words ---------------------------------------------------------------------------

@pytest.mark.parametrize("sample, expected", [
    ("The follow-up talks", ["The", "follow-up", "talks"]),
    ("Iran's and Iran’s", ["Iran's", "and", "Iran’s"]),
    ("1,500 troops, 3.5 million", ["1,500", "troops", "3.5", "million"]),
    ("the U.S. and U.S.'s allies", ["the", "U.S.", "and", "U.S.'s", "allies"]),
    ("end. Next", ["end", "Next"]),
    ("snake_case -- dash", ["snake", "case", "dash"]),
])
def test_words_by_hand(sample, expected):
    assert text.words(sample) == expected


def test_word_spans_index_the_text_as_given():
    sample = "Cafe\u0301 re-opened"  # a decomposed accent: a combining mark is no word character
    spans = text.word_spans(sample)
    assert [sample[s:e] for s, e in spans] == ["Cafe", "re-opened"]
    assert text.words(sample) == ["Caf\u00e9", "re-opened"]  # words are read on the NFC text


def test_simple_word_differs_from_words_where_documented():
    sample = "U.S. troops, 1,500 of them"
    assert text.SIMPLE_WORD.findall(sample) == ["U", "S", "troops", "1", "500", "of", "them"]
    assert text.words(sample) == ["U.S.", "troops", "1,500", "of", "them"]


# --- sentences -----------------------------------------------------------------------

def test_abbreviation_does_not_end_the_sentence():
    spans = text.split_sentences(APPROX)
    assert [APPROX[s:e] for s, e in spans] == ["Officials said approx. 300 drones flew.", "Most were downed."]


def test_the_text_layer_splitter_is_the_segmenter():
    from analysis.pipeline import segment as seg

    assert text.split_sentences is seg.split_sentences
    paragraphs, _ = segment(APPROX)
    assert [(s.start, s.end) for s in paragraphs[0].sentences] == text.split_sentences(APPROX)


# --- quotations ----------------------------------------------------------------------

def test_quotes_by_hand():
    body = "“We are ready,” Kirby said. He called it ‘a test’ of resolve."
    paragraphs, quotes = segment(body)
    assert [(body[q.start:q.end], q.closed) for q in quotes] == [("“We are ready,”", True),
                                                                  ("‘a test’", True)]
    assert text.find_quotes(body, paragraphs) == quotes
    s = body.index("ready")
    assert body[slice(*_span(text.quote_at(quotes, s, s + 5)))] == "“We are ready,”"
    k = body.index("Kirby")
    assert text.quote_at(quotes, k, k + 5) is None


def _span(q):
    return q.start, q.end


# --- measures read the segmented article ---------------------------------------------

def test_context_on_an_article_uses_the_articles_sentences(monkeypatch):
    art = article(APPROX + "\n\nTalks are expected to resume next week.")
    texts, spans = ctx.article_sentences(art)
    assert spans == [[(0, 39), (40, 57)], [(0, 39)]]
    assert len(ctx.sentence_roles(texts, SAT, sentences=spans)[0]) == 2
    expected = [d.role for d in ctx.classify_paragraphs(texts, SAT)]  # split here: the same spans

    def no_second_split(_):
        raise AssertionError("the paragraph was split again")

    monkeypatch.setattr(ctx, "_split", no_second_split)
    assert ctx.paragraph_roles(art) == expected


def test_context_takes_the_given_sentences():
    # an article segmented otherwise (one sentence for the whole paragraph) is read as segmented
    body = APPROX
    para = Paragraph(0, 0, len(body), (Sentence(0, 0, 0, len(body)),))
    texts, spans = ctx.article_sentences(article(body, [para]))
    assert spans == [[(0, len(body))]]
    (roles,) = ctx.sentence_roles(texts, SAT, sentences=spans)
    assert [(r.start, r.end) for r in roles] == [(0, len(body))]
    with pytest.raises(ValueError):
        ctx.classify_paragraphs(texts, SAT, sentences=[])


# --- reported speech -----------------------------------------------------------------

def reports(sentence):
    """(form, reported text, source text) of each reported speech of ``sentence``."""
    return [(r.form, sentence[r.start:r.end], sentence[slice(*r.source)])
            for r in text.reported_speech(sentence)]


def test_reported_speech_by_hand():
    assert reports("Kirby said that Iran would pay.") == [("after", " Iran would pay.", "Kirby said")]
    assert reports("Iran would pay, Kirby said on Sunday.") == [("before", "Iran would pay", " Kirby said")]
    assert reports("Iran would pay, said Defense Secretary Lloyd Austin.") == [
        ("before", "Iran would pay", "said Defense Secretary Lloyd Austin.")]
    assert reports("According to officials, the drones were downed.") == [
        ("according", ", the drones were downed.", "According to officials")]  # from the comma
    assert reports("The drones were downed, according to officials.") == [
        ("according", "The drones were downed, ", "according to officials.")]
    # no reported speech after a possessive, a determiner or a negation
    assert reports("Netanyahu ignored Biden's reported advice.") == []
    assert reports("He didn't say whether talks would resume.") == []


def test_reported_speech_marks_the_addressee_and_a_bare_source():
    s = "Biden told Netanyahu the strikes must stop."
    (r,) = text.reported_speech(s)
    assert r.addressee and s[slice(*r.verb)] == "told" and s[r.start:r.end] == " Netanyahu the strikes must stop."
    s = "Biden condemned the attack and said it would not stand."
    (r,) = text.reported_speech(s)
    assert s[slice(*r.source)] == " said" and r.bare_source and not r.addressee


def test_reported_speech_offsets_into_the_body():
    body = "First sentence. Kirby said it was over."
    paragraphs, _ = segment(body)
    second = paragraphs[0].sentences[1]
    (r,) = text.reported_speech(body, second.start, second.end)
    assert body[r.start:r.end] == " it was over." and body[slice(*r.source)] == "Kirby said"


def test_speech_verbs_match_the_sentiment_lexicon():
    """speech_verbs.txt holds the same words as the speech and address rows of vader_news.csv."""
    from analysis.measures.sentiment import load_news_lexicon

    news = load_news_lexicon()
    assert text.SPEECH_VERBS.speech == news.tokens("speech")
    assert text.SPEECH_VERBS.address == news.tokens("address")


def test_speech_verb_file_errors(tmp_path):
    bad = tmp_path / "verbs.txt"
    bad.write_text("said\n", encoding="utf-8")
    with pytest.raises(ValueError, match="before any"):
        text.load_speech_verbs(bad)
    bad.write_text("[verbs]\nsaid\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown section"):
        text.load_speech_verbs(bad)
    good = tmp_path / "ok.txt"
    good.write_text("# comment\n[speech]\nSaid\n[address]\ntold\n", encoding="utf-8")
    verbs = text.load_speech_verbs(good)
    assert verbs.speech == {"said"} and verbs.address == {"told"}
    assert verbs.verb_spans("He said, she told.") == [(3, 7), (13, 17)]


def test_feature_token_is_the_role_models_rule():
    from analysis.measures.context.features import tokens

    sample = "iran's follow-up, won’t: 1,500 in 2024 café"
    assert text.FEATURE_TOKEN.findall(sample) == ["iran's", "follow", "up", "won’t", "1", "500", "in", "2024",
                                                  "caf"]
    assert tokens("Iran's 2024 strike") == ["iran's", "<year>", "strike"]


_PIECES = ["word", "Iran", "U.S.", "e.g.", "don't", "rock'n'roll", "de-escalation", "3.5", "1,000", "-5", "_x_",
           "’s", "“We", "said,", "(AP)", "—", "…", "é", "e\u0301", "²", "٣", "Ⅻ", "İ", ".", ",", "'", "\u2019",
           "-", "\u2010", "_", "*", " ", "  ", "\t", "\n", "\u00a0", "\u2009", "\u3000"]


@settings(max_examples=3000, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(_PIECES), max_size=14).map("".join))
def test_words_chunk_by_chunk_equals_the_pattern(s):
    """``words`` (whitespace chunks, plain words without the regular expression) gives
    exactly ``WORD.findall`` of the NFC text, on mixes of abbreviations, numbers,
    apostrophes, hyphens, combining accents, other scripts' digits and Unicode spaces."""
    import unicodedata

    assert text.words(s) == text.WORD.findall(unicodedata.normalize("NFC", s))
