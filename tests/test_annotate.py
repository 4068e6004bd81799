"""The one annotation pass: windows for over-long sentences, linear cost."""
from __future__ import annotations

import timeit

from analysis.measures.sentiment.measure import MAX_SCORED_SENTENCE, SCORING_WINDOW, scoring_windows


def test_a_sentence_of_ordinary_length_is_scored_whole():
    text = "Biden told Netanyahu to take the win."
    assert scoring_windows(text, [(0, 5), (10, 19)]) == [(0, text, [(0, 5), (10, 19)])]


def test_an_over_long_sentence_is_scored_in_a_window_around_each_mention():
    text = "word " * 400 + "Iran fired drones" + " word" * 400
    a = text.index("Iran")
    [(offset, window, spans)] = scoring_windows(text, [(a, a + 4)])
    assert len(text) > MAX_SCORED_SENTENCE
    assert window[spans[0][0]:spans[0][1]] == "Iran" and text[offset:offset + len(window)] == window
    assert len(window) <= 2 * SCORING_WINDOW + 4
    assert not window.startswith(" ") and not window.endswith(" ")  # cut at spaces, whole words


def test_time_per_character_of_one_long_sentence_stays_flat():
    """A ratio, not a duration: a 16 times longer run-on sentence full of mentions may cost at most
    4 times as much per character (scored whole, each mention read the whole sentence)."""
    from analysis.measures.sentiment import scorer

    towards = scorer().sentiment_towards

    def per_char(k):
        text = "Iran — " * k
        spans = [(i * 7, i * 7 + 4) for i in range(k)]

        def run():
            for _, window, local in scoring_windows(text, spans):
                towards(window, local)
        return min(timeit.repeat(run, number=1, repeat=2)) / len(text)

    assert per_char(8_000) < 4 * per_char(500)


def test_every_scored_mention_lists_the_evidence_that_decided_it(corpus):
    from analysis.annotate import annotate_corpus

    records = list(annotate_corpus(corpus))
    mentions = [(r["text"], m) for r in records for m in r["mentions"]]
    assert mentions and all("evidence" in m for _, m in mentions)
    for text, m in mentions:
        for e in m["evidence"]:
            assert set(e) == {"feature", "words", "weight"}
            # the words behind a feature are words of the sentence itself (apostrophes straightened)
            plain = text.replace("’", "'").lower()
            assert all(w.replace("’", "'").lower() in plain for w in e["words"].split()), (e, text)
    # evidence is sorted strongest first
    weights = [abs(e["weight"]) for _, m in mentions for e in m["evidence"][:2]]
    assert any(weights)
    for _, m in mentions:
        ws = [abs(e["weight"]) for e in m["evidence"]]
        assert ws == sorted(ws, reverse=True)
