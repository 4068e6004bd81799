"""Tests for analysis.pipeline.segment: paragraphs, sentences, quotations (hand-checked spans)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.pipeline.model import Quote
from analysis.pipeline.segment import (find_quotes, load_lexicon, paragraph_spans, quote_at, segment,
                              split_sentences)

CORPUS = Path(__file__).resolve().parents[1] / "data" / "iran-israel-2024-04"


def sents(text):
    return [text[s:e] for s, e in split_sentences(text)]


def quote_texts(body):
    _, quotes = segment(body)
    return [(body[q.start:q.end], q.closed) for q in quotes]


# --- sentence boundaries: each trap ---------------------------------------------

@pytest.mark.parametrize("text, expected", [
    # abbreviations inside a sentence
    ("The U.S. will respond.", ["The U.S. will respond."]),
    ("The U.N. Security Council met. It adjourned.",
     ["The U.N. Security Council met.", "It adjourned."]),
    ("U.S. President Joe Biden spoke.", ["U.S. President Joe Biden spoke."]),
    ("Gen. Qassem spoke. Sen. Graham and Rep. Smith agreed with Mr. Jones, Mrs. Lee and Dr. Patel.",
     ["Gen. Qassem spoke.", "Sen. Graham and Rep. Smith agreed with Mr. Jones, Mrs. Lee and Dr. Patel."]),
    ("Lt. Col. Amir Ali met Gov. Hochul and Prof. Chen on St. Patrick's Day.",
     ["Lt. Col. Amir Ali met Gov. Hochul and Prof. Chen on St. Patrick's Day."]),
    ("It happened on Jan. 5, Sept. 11 and Oct. 7. It was resolution No. 2 of the year.",
     ["It happened on Jan. 5, Sept. 11 and Oct. 7.", "It was resolution No. 2 of the year."]),
    ("John F. Kennedy was president. He died in 1963.",
     ["John F. Kennedy was president.", "He died in 1963."]),
    ("It began at 9 a.m. and ended at 5 p.m. The talks resumed.",
     ["It began at 9 a.m. and ended at 5 p.m.", "The talks resumed."]),
    ("At 7 p.m. Saturday the drones arrived.", ["At 7 p.m. Saturday the drones arrived."]),
    ("About 1.5 million people fled. Prices rose 2.5%.",
     ["About 1.5 million people fled.", "Prices rose 2.5%."]),
    ("Apple Inc. said it would. Apple Inc. The company agreed.",
     ["Apple Inc. said it would.", "Apple Inc.", "The company agreed."]),
    ("Biden vs. Trump is the match.", ["Biden vs. Trump is the match."]),
    # abbreviation at the end of a sentence: the next word is a sentence starter
    ("The attack was repelled by the U.S. The next day Iran said it was over.",
     ["The attack was repelled by the U.S.", "The next day Iran said it was over."]),
    ("It is in Washington, D.C. In a statement, he said so.",
     ["It is in Washington, D.C.", "In a statement, he said so."]),
    # ellipses
    ("He paused… Then he spoke. She waited... Then she left.",
     ["He paused…", "Then he spoke.", "She waited...", "Then she left."]),
    ("We will… we must respond.", ["We will… we must respond."]),
    ("U.S. officials said. … Biden told Netanyahu.",
     ["U.S. officials said.", "… Biden told Netanyahu."]),
    # boundaries inside quotations, attribution after the closing mark
    ("“You got a win. Take the win,” Biden told Netanyahu.",
     ["“You got a win.", "Take the win,” Biden told Netanyahu."]),
    ("“Take the win.” Biden told Netanyahu. He agreed.",
     ["“Take the win.” Biden told Netanyahu.", "He agreed."]),
    ("“We are ready.” he said.", ["“We are ready.” he said."]),
    ("“We are ready.” He said the army was on alert.",
     ["“We are ready.”", "He said the army was on alert."]),
    ("“Why now?” he asked. Nobody answered.", ["“Why now?” he asked.", "Nobody answered."]),
    ("“Why now?” Biden asked reporters. Nobody answered.",
     ["“Why now?” Biden asked reporters.", "Nobody answered."]),
    ("He wrote: “It is over.” The war went on.", ["He wrote: “It is over.”", "The war went on."]),
    ("She said 'Go.' Then she left.", ["She said 'Go.'", "Then she left."]),
    # ? and !, closing brackets belong to the sentence they close
    ("Is it over? Yes! It is.", ["Is it over?", "Yes!", "It is."]),
    ("He called it a win (a big one.) Then he left.", ["He called it a win (a big one.)", "Then he left."]),
    ("« Bonjour. » Il est parti.", ["« Bonjour. »", "Il est parti."]),
    # headlines and lists: a line end is a sentence end
    ("Breaking news without a stop\nSecond line", ["Breaking news without a stop", "Second line"]),
    ("1. Home", ["1. Home"]),
    ("a. First option", ["a. First option"]),
    # no whitespace after the period: never a boundary
    ("See example.com.It works", ["See example.com.It works"]),
])
def test_sentence_traps(text, expected):
    assert sents(text) == expected


def test_split_sentences_exact_spans_and_offset():
    text = "Hi there. Bye."
    assert split_sentences(text) == [(0, 9), (10, 14)]
    assert split_sentences(text, offset=100) == [(100, 109), (110, 114)]
    assert split_sentences("  One.\n Two  ") == [(2, 6), (8, 11)]
    assert split_sentences("") == []
    assert split_sentences(" \n\t ") == []


def test_rejected_abbreviation_period_before_lowercase_even_after_plain_word():
    # a lowercase next word never starts a sentence (rule 2)
    assert sents("He said so. and left.") == ["He said so. and left."]


# --- paragraphs and the whole-article structure ---------------------------------

def test_segment_exact_spans_with_stray_whitespace():
    body = "\n\n  First para. Second.  \n\n\n\nThird\n"
    paragraphs, quotes = segment(body)
    assert [(p.index, p.start, p.end) for p in paragraphs] == [(0, 4, 23), (1, 29, 34)]
    assert [(s.index, s.paragraph, s.start, s.end) for p in paragraphs for s in p.sentences] == [
        (0, 0, 4, 15), (1, 0, 16, 23), (2, 1, 29, 34)]
    assert quotes == []


def test_blank_line_may_hold_spaces_and_crlf():
    body = "One.\r\n \r\nTwo.\r\nThree."
    assert paragraph_spans(body) == [(0, 4), (9, 21)]
    paragraphs, _ = segment(body)
    assert [[body[s.start:s.end] for s in p.sentences] for p in paragraphs] == [
        ["One."], ["Two.", "Three."]]


def test_empty_body():
    assert segment("") == ([], [])
    assert segment(" \n\n \n") == ([], [])


# --- quotations -----------------------------------------------------------------

def test_quote_exact_spans():
    body = "He said “take the win” today."
    assert segment(body)[1] == [Quote(8, 22, True)]
    body = 'He said "go" and "stay".'
    assert segment(body)[1] == [Quote(8, 12, True), Quote(17, 23, True)]


@pytest.mark.parametrize("body, expected", [
    # scare / headline quotes in single marks; ’ between letters is an apostrophe
    ("Biden Warns Israel To ‘Take the Win’ and Not Strike Back Against Iran",
     [("‘Take the Win’", True)]),
    ("Iran’s attack didn’t stop the 1990s’ wars or the officials’ plan.", []),
    ("He called it ‘Iran’s attack’ twice.", [("‘Iran’s attack’", True)]),
    ("The ’90s and the ‘90s were loud.", []),  # elisions: no quote
    # a quote spanning a sentence boundary
    ("“You got a win. Take the win,” Biden told Netanyahu.", [("“You got a win. Take the win,”", True)]),
    # unmatched closing mark: from the start of its sentence (real example, seed 003)
    ("Biden wanted to “coordinate a united diplomatic response” to Iran’s attack. My team will "
     "engage with their counterparts across the region,” Biden added. “And we will stay in close "
     "touch with Israel’s leaders.”",
     [("“coordinate a united diplomatic response”", True),
      ("My team will engage with their counterparts across the region,”", False),
      ("“And we will stay in close touch with Israel’s leaders.”", True)]),
    # unmatched closer after a closed quote in the same sentence: starts after it
    ("He called it a “win” and more,” Biden said.", [("“win”", True), ("and more,”", False)]),
    # unmatched opening mark: to the end of the paragraph
    ("He said “we will respond. Soon.\n\nNext.", [("“we will respond. Soon.", False)]),
    # straight quotes pair in order; an unmatched straight closer is recognised by its position
    ('The region," Biden added. "And we will stay."',
     [('The region,"', False), ('"And we will stay."', True)]),
    ('"A" "B"', [('"A"', True), ('"B"', True)]),
    # nesting
    ("“He said ‘no’ to me,” she said.", [("“He said ‘no’ to me,”", True), ("‘no’", True)]),
    ("« Bonjour », dit-il.", [("« Bonjour »", True)]),
])
def test_quotes(body, expected):
    assert quote_texts(body) == expected


def test_multi_paragraph_quotation_is_one_quote():
    body = "“First part of it.\n\n“Second part.\n\n“Last part.” He left."
    paragraphs, quotes = segment(body)
    assert len(paragraphs) == 3
    assert quotes == [Quote(0, body.index("” He") + 1, True)]
    # without the opening mark on the next paragraph, the quotation is unclosed
    body = "“First part of it.\n\nHe left “soon”."
    assert quote_texts(body) == [("“First part of it.", False), ("“soon”", True)]


def test_quote_at_returns_innermost():
    body = "A “b ‘c’ d” e “f”."
    _, quotes = segment(body)
    outer, inner, last = quotes
    assert body[outer.start:outer.end] == "“b ‘c’ d”"
    assert body[inner.start:inner.end] == "‘c’"
    c = body.index("c")
    assert quote_at(quotes, c, c + 1) == inner
    assert quote_at(quotes, body.index("d"), body.index("d") + 1) == outer
    assert quote_at(quotes, body.index("f"), body.index("f") + 1) == last
    assert quote_at(quotes, 0, 1) is None
    assert quote_at(quotes, body.index("e"), body.index("e") + 1) is None
    assert quote_at(quotes, outer.start, last.end) is None  # spans two quotes
    assert quote_at([], 0, 1) is None


def test_find_quotes_accepts_paragraphs_from_segment():
    body = "He said “go”.\n\nShe said “stay”."
    paragraphs, quotes = segment(body)
    assert find_quotes(body, paragraphs) == quotes == [Quote(8, 12, True), Quote(24, 30, True)]


# --- the bundled article --------------------------------------------------------

def _seed_paragraphs(name):
    text = (CORPUS / name).read_text(encoding="utf-8")
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def test_real_article_paragraph_8_is_one_quotation():
    paras = _seed_paragraphs("001_f0124aabe337c814.txt")
    p8 = paras[7]  # the 8th paragraph
    assert p8.startswith("“I’ve just spoken")
    body = "\n\n".join(paras)
    paragraphs, quotes = segment(body)
    start = body.index(p8)
    para = paragraphs[7]
    assert (para.start, para.end) == (start, start + len(p8))
    assert [body[s.start:s.end] for s in para.sentences] == [
        "“I’ve just spoken with Prime Minister Netanyahu to reaffirm America’s ironclad commitment "
        "to the security of Israel.",
        "I told him that Israel demonstrated a remarkable capacity to defend against and defeat even "
        "unprecedented attacks – sending a clear message to its foes that they cannot effectively "
        "threaten the security of Israel.”"]
    inside = [q for q in quotes if start <= q.start < start + len(p8)]
    assert inside == [Quote(start, start + len(p8), True)]
    assert quote_at(quotes, para.sentences[1].start, para.sentences[1].end) == inside[0]
    # the 9th paragraph: two quotations around the attribution
    p9 = paragraphs[8]
    assert [(body[q.start:q.end][:12], q.closed) for q in quotes if p9.start <= q.start < p9.end] == [
        ("“Tomorrow, I", True), ("“My team wil", True)]
    assert quote_at(quotes, body.index("he continued"), body.index("he continued") + 12) is None


def test_real_article_same_quote_when_paragraph_segmented_alone():
    p8 = _seed_paragraphs("001_f0124aabe337c814.txt")[7]
    assert segment(p8)[1] == [Quote(0, len(p8), True)]


# --- lexicon --------------------------------------------------------------------

def test_bundled_lexicon_has_the_required_abbreviations():
    lex = load_lexicon()
    for a in ("gen", "sen", "rep", "mr", "mrs", "dr", "lt", "col", "gov", "prof"):
        assert a in lex.prefix
    for a in ("jan", "sept", "oct", "no"):
        assert a in lex.number
    assert "st" in lex.ambiguous
    assert "The" in lex.starters and "President" not in lex.starters
    assert "told" in lex.speech


def test_lexicon_override_by_path(tmp_path):
    f = tmp_path / "abbr.txt"
    f.write_text("# test\n[prefix]\nfoo.\n[starters]\nThe\n", encoding="utf-8")
    lex = load_lexicon(f)
    assert lex.prefix == frozenset({"foo"})
    assert sents("See Foo. Bar now.") == ["See Foo.", "Bar now."]
    assert [("See Foo. Bar now."[s:e]) for s, e in split_sentences("See Foo. Bar now.", lexicon=lex)] == [
        "See Foo. Bar now."]
    # without the bundled titles, "Mr." ends a sentence
    assert len(split_sentences("Mr. Smith left.", lexicon=lex)) == 2


def test_lexicon_errors_name_the_line(tmp_path):
    f = tmp_path / "bad.txt"
    f.write_text("[prefix]\nmr\n[nouns]\ncat\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad.txt:3: unknown section \[nouns\]"):
        load_lexicon(f)
    f.write_text("mr\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad.txt:1: entry 'mr' before any"):
        load_lexicon(f)


# --- properties -----------------------------------------------------------------

PIECES = ["a", "Bb", "the", "The", "U.S.", "Mr.", "F.", "1.5", "No.", "2", " ", " ", " ", "  ",
          "\n", "\n\n", "\t", "\u00a0", ".", ". ", "? ", "!", "…", "...", "“", "”", "‘", "’",
          '"', "'", "«", "»", "(", ")", ",", "said", "Biden told", "e.g.", "-", "—"]
texts = st.one_of(st.text(), st.lists(st.sampled_from(PIECES), max_size=40).map("".join))


def check_spans(text, spans, lo=0, hi=None):
    """Ordered, non-overlapping, inside, non-empty, stripped, covering every non-space char."""
    hi = len(text) if hi is None else hi
    pos = lo
    for s, e in spans:
        assert pos <= s < e <= hi
        assert not text[s].isspace() and not text[e - 1].isspace()
        assert text[pos:s].strip() == ""
        pos = e
    assert text[pos:hi].strip() == ""


@settings(max_examples=400, deadline=None)
@given(texts)
def test_split_sentences_properties(text):
    check_spans(text, split_sentences(text))
    assert split_sentences(text, offset=7) == [(s + 7, e + 7) for s, e in split_sentences(text)]


@settings(max_examples=400, deadline=None)
@given(texts)
def test_segment_properties(body):
    paragraphs, quotes = segment(body)
    check_spans(body, [(p.start, p.end) for p in paragraphs])
    n = 0
    for i, p in enumerate(paragraphs):
        assert p.index == i and p.sentences
        assert not re.search(r"\n\s*\n", body[p.start:p.end])
        check_spans(body, [(s.start, s.end) for s in p.sentences], p.start, p.end)
        for s in p.sentences:
            assert (s.index, s.paragraph) == (n, i)
            n += 1
    # quotes: inside, non-empty, stripped, sorted, well nested
    for q in quotes:
        assert 0 <= q.start < q.end <= len(body)
        assert not body[q.start].isspace() and not body[q.end - 1].isspace()
    assert quotes == sorted(quotes, key=lambda q: (q.start, -q.end))
    for i, a in enumerate(quotes):
        for b in quotes[i + 1:]:
            assert b.start >= a.end or b.end <= a.end, (a, b)  # disjoint or b inside a
        assert quote_at(quotes, a.start, a.end) == a


def _per_char_seconds(text: str) -> float:
    import timeit

    return min(timeit.repeat(lambda: segment(text), number=1, repeat=3)) / len(text)


@pytest.mark.parametrize("unit", [".", "a.", "word ", "Mr. X. "])
def test_time_per_character_stays_flat(unit):
    """A ratio, not a duration: 16 times the text may cost at most 4 times as much per character
    (a look-back from the sentence start made a line of dots cost 16 times as much per character)."""
    short = unit * (20_000 // len(unit))
    long = unit * (320_000 // len(unit))
    assert _per_char_seconds(long) < 4 * _per_char_seconds(short)


def test_a_line_of_dots_has_no_sentence_end_and_is_cut_only_at_the_cap():
    from analysis.pipeline.segment import MAX_SENTENCE_CHARS

    text = "." * 100_000
    assert split_sentences(text) == [(i, i + MAX_SENTENCE_CHARS) for i in range(0, 100_000, MAX_SENTENCE_CHARS)]


def test_a_run_on_sentence_is_cut_at_spaces_into_capped_pieces():
    from analysis.pipeline.segment import MAX_SENTENCE_CHARS

    text = " ".join(["Iran", "Israel", "drones", "said"] * 2_000)  # 33,999 characters, no full stop
    spans = split_sentences(text)
    assert len(spans) > 1 and all(e - s <= MAX_SENTENCE_CHARS for s, e in spans)
    # the pieces, with the spaces between them, make up the text; each piece ends and starts at a word
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    for (s0, e0), (s1, e1) in zip(spans, spans[1:]):
        assert text[e0:s1].isspace() and not text[s1].isspace() and not text[e0 - 1].isspace()
    paragraphs, _ = segment(text)
    assert [(s.start, s.end) for s in paragraphs[0].sentences] == spans
    # ordinary sentences are untouched
    assert split_sentences("Iran fired drones. Israel shot them down.") == [(0, 18), (19, 41)]
