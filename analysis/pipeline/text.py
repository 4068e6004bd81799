"""The text layer: the one tokenizer, sentence splitter, quotation and reported-speech finder.

Segmentation (``analysis.pipeline.segment``) runs once per article and keeps
paragraphs, sentences and quotations with their character offsets; measures
read those and tokenise with ``words`` / ``word_spans`` here, so no measure
splits or counts text a second way. ``reported_speech`` finds indirect speech
("X said ...", "..., according to X") in a sentence, with the speech verbs of
``speech_verbs.txt`` beside this module. Two other word rules live here too, each
where a result depends on it and documented with why it differs from ``words``:
``SIMPLE_WORD``, ``FEATURE_TOKEN`` and ``DOTTED_WORD``.

Words: letters and digits joined by hyphens or apostrophes, or by ``.`` and
``,`` between digits ("follow-up", "Iran's", "1,500", "3.5"); a dotted
abbreviation ("U.S.") is one word. Text is NFC-normalised first when it is
not ASCII, so a composed and a decomposed accent count alike.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from analysis.datafiles import read_data, read_sections
from analysis.pipeline.segment import find_quotes, quote_at, split_sentences

__all__ = ["WORD", "words", "word_spans", "word_spans_of", "split_sentences", "find_quotes", "quote_at", "SIMPLE_WORD",
           "DOTTED_WORD", "DOTTED_WORD_REVERSED", "SpeechVerbs", "SPEECH_VERBS", "load_speech_verbs",
           "ReportedSpeech", "reported_speech", "FEATURE_TOKEN"]

WORD = re.compile(
    # dotted abbreviation ("U.S.", "U.S.'s"), read without its dots
    r"(?<![^\W_])(?:[^\W\d_]\.){2,}(?:['\u2019][^\W_]+)?"
    # letters/digits joined by hyphens or apostrophes, or by . , between digits
    r"|[^\W_]+(?:(?:[-\u2010\u2011'\u2019]|(?<=\d)[.,](?=\d))[^\W_]+)*"
)


def _nfc(text: str) -> str:
    return text if text.isascii() else unicodedata.normalize("NFC", text)


# Punctuation that may surround a word; none of it is a letter or digit.
_EDGE = ".,;:!?\"'()[]{}*/\u201c\u201d\u2018\u2019\u2014\u2013-\u2026"


def words(text: str) -> list[str]:
    """The words of ``text``, by the rule in the module docstring.

    ``WORD.findall`` of the (NFC) text, found chunk by chunk (the runs without
    whitespace): no word holds whitespace, and ``WORD`` reads the whitespace before a
    chunk as it reads the start of a text (neither is a letter or digit). A chunk of
    letters and digits alone (``str.isalnum``: the ``[^\\W_]`` of ``WORD``), perhaps
    between punctuation ("said,", "“We"), is that one word, taken without the regular
    expression (speed only: about three times as fast).
    """
    out = []
    for chunk in _nfc(text).split():
        if chunk.isalnum():
            out.append(chunk)
            continue
        core = chunk.strip(_EDGE)
        if core.isalnum():
            # letters and digits between non-word characters: the one word of the chunk
            out.append(core)
        elif core:
            out += WORD.findall(chunk)
    return out


def word_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each word of ``text``; offsets into ``text`` as given
    (NFC normalisation can shorten a non-ASCII text, so spans are taken on the text
    itself, not normalised: a combining accent is no word character there, so the
    span of a decomposed "Cafe\u0301" ends before the accent)."""
    return [m.span() for m in WORD.finditer(text)]


def word_spans_of(text: str, tokens: list[str]) -> list[tuple[int, int]]:
    """``word_spans(text)`` from ``tokens = words(text)`` already made (speed only: about
    twice as fast as matching again). Each word is the first occurrence of its token after
    the previous one: every word starts with a letter or digit, where WORD always matches,
    so an earlier occurrence would have been the match. When NFC normalisation changes
    ``text`` the tokens are not its substrings, and the words are matched again."""
    if not (text.isascii() or unicodedata.is_normalized("NFC", text)):
        return word_spans(text)
    spans, pos = [], 0
    find = text.find
    for token in tokens:
        a = find(token, pos)
        pos = a + len(token)
        spans.append((a, pos))
    return spans


# Another word rule, kept where a published number depends on it: runs of word
# characters joined by hyphens or apostrophes, without WORD's dotted
# abbreviations and digit groups ("U.S." is two words here, "1,500" two, "3.5"
# two) and with underscores. The paragraph roles (analysis.measures.context)
# weigh each sentence by this count; counting ``words`` instead moves the role
# probabilities of the bundled corpus.
SIMPLE_WORD = re.compile(r"\w+(?:[’'\-]\w+)*")

# The word rule of the sentence-role model's features (analysis.measures.context.
# features.tokens), on lower-cased text: runs of ASCII letters and digits, with
# one apostrophe suffix ("iran's", "won’t"); no hyphens ("follow-up" is two) and
# no non-ASCII letters. The committed model (measures/context/model.json) was
# trained on these tokens; a different rule would need the model retrained.
FEATURE_TOKEN = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")


# --- words read backwards --------------------------------------------------------

# A third word rule, for reading the words before an offset (analysis.pipeline.actors,
# who is the subject of a clause): a run of word characters, apostrophes, dots and
# hyphens from its first letter or digit ("U.S." keeps its last dot, "Iran's" its
# "'s"). Read backwards on the reversed text with DOTTED_WORD_REVERSED, which finds
# the same words in reverse order; ``words`` cannot be read backwards that way.
DOTTED_WORD = re.compile(r"[^\W_][\w’'.\-]*")
DOTTED_WORD_REVERSED = re.compile(r"[\w’'.\-]*[^\W_]")  # DOTTED_WORD on reversed text


# --- reported speech -----------------------------------------------------------------

SPEECH_VERBS_FILE = "speech_verbs.txt"
DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those", "his", "her", "its",
                         "their", "our", "my", "your"})


def _by_first_letter(words) -> str:
    """An alternation matching exactly ``words``, grouped by first letter ("s(?:aid|ays)|t(?:old)").

    The engine then tries one group per position instead of every word.
    """
    groups: dict[str, list[str]] = {}
    for w in sorted(set(words)):
        groups.setdefault(w[0], []).append(re.escape(w[1:]))
    return "|".join("%s(?:%s)" % (re.escape(first), "|".join(sorted(rest, key=lambda r: (-len(r), r))))
                    for first, rest in groups.items())


class SpeechVerbs:
    """The verbs that introduce reported speech, and the patterns that find them.

    ``speech``: the subject is the source ("said"); ``address``: the object is
    the addressee ("told"); ``verbs`` both. ``verb_word`` finds a verb between
    word boundaries; ``verb_spans`` the verbs that are whole runs of ASCII letters
    (lowercase only: "States" in "United States" is no verb; "according" is read
    by its own rule).
    """

    def __init__(self, speech, address):
        self.speech = frozenset(speech)
        self.address = frozenset(address)
        self.verbs = self.speech | self.address
        self.verb_word = re.compile(r"\b(?:%s)\b" % "|".join(sorted(self.verbs)))
        # only a run of letters can equal a verb; "according" is read by its own rule
        tokens = [v for v in self.verbs if v.isascii() and v.isalpha() and v != "according"]
        self.verb_token = re.compile(r"(?<![A-Za-z])(?:%s)(?![A-Za-z])" % _by_first_letter(tokens)
                                     if tokens else r"(?!)")
        # the same verbs found faster (see ``verb_spans``): the engine only tries the
        # positions holding a non-letter, about one per word
        self.verb_after = re.compile(r"[^A-Za-z](%s)(?![A-Za-z])" % _by_first_letter(tokens)
                                     if tokens else r"(?!)")

    def verb_spans(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of every ``verb_token`` match in ``text``, in order.

        A verb starts the text or follows a non-letter, which ``verb_after`` takes
        with it; verbs are runs of letters, so two of them never share that
        non-letter and ``verb_after`` finds all but the one at offset 0.
        """
        first = self.verb_token.match(text)
        spans = [first.span()] if first is not None else []
        spans += [m.span(1) for m in self.verb_after.finditer(text)]
        return spans


def load_speech_verbs(path=None) -> SpeechVerbs:
    """Read a speech-verb list: the bundled ``analysis/pipeline/speech_verbs.txt`` or
    ``path`` (sections ``[speech]`` and ``[address]``, one verb a line, ``#`` comments)."""
    content, name = read_data("analysis.pipeline", SPEECH_VERBS_FILE, path)
    entries = {k: [v.lower() for v in vs] for k, vs in read_sections(content, name, ("speech", "address")).items()}
    return SpeechVerbs(entries["speech"], entries["address"])


SPEECH_VERBS = load_speech_verbs()


@dataclass(frozen=True, slots=True)
class ReportedSpeech:
    """One stretch of reported speech in a sentence; offsets into the text.

    ``start``/``end``: what is reported; ``source``: the phrase naming who says it
    ("according to X", "X said", "said X"). ``verb``: the speech verb's span
    (None for "according to"). ``form``: ``according``, ``before`` ("..., X
    said." / "..., said X.": the report comes before) or ``after`` ("X said
    (that) ..."). For ``after``: ``bare_source`` is true when the source phrase
    holds no content word (the sentence's subject is the speaker: "Biden
    condemned ... and said ..."), and ``addressee`` when the verb takes an
    addressee and no "that" follows it: the report then starts after the
    addressee ("X told Y ..."), which the caller, knowing the names, skips.
    """

    start: int
    end: int
    source: tuple[int, int]
    verb: tuple[int, int] | None
    form: str
    bare_source: bool = False
    addressee: bool = False


_ACCORDING = re.compile(r"\b[Aa]ccording to\b")
_CAPITALISED_END = re.compile(r"\s+([A-Z][\w.’'-]*\s*){1,5}[.,]?\s*$")  # "..., said Foreign Minister X."
_CONTENT_WORD = re.compile(r"[A-Za-z]{3,}")
_THAT = re.compile(r"(.{0,120}?)\bthat\b")
_THAT_BREAK = re.compile(r"[.;:!?“\"]")
_ADVERBIAL = re.compile(
    r"^(?:\s+(?:(?:on|in|at|last|this|late|early|during|to)\b[^,.;!?“”\"]{0,40}"
    r"|[A-Z][a-z]+day|today|yesterday|tonight|reportedly|earlier|later|again|also))*")
_END_ATTRIBUTION = re.compile(r"[\s.!?”\"’)]*$|\s*,\s*according to\b")
_CLAUSE_OPENER = re.compile(r"\b(?:that|when|while|after|because|and|but)\b|[,;:]")
_RENEPO_ESUALC = re.compile(r"\b(?:taht|nehw|elihw|retfa|esuaceb|dna|tub)\b|[,;:]")  # _CLAUSE_OPENER reversed


def reported_speech(text: str, start: int = 0, end: int | None = None,
                    verbs: SpeechVerbs | None = None) -> list[ReportedSpeech]:
    """The reported speech of the sentence ``text[start:end]`` (offsets into ``text``).

    - "according to X, ...": the part after the comma (when three or more words
      follow it); "..., according to X.": the part before;
    - "..., X said." (up to seven words between the comma and the verb, nothing
      but an adverbial after it) and "..., said X." (capitalised words after it):
      the part before the comma;
    - "X said (that) ...": the part after the verb, after "that" when it follows.
    A verb after a determiner or a possessive ("Biden's reported advice") or a
    negation ("didn't say") introduces nothing. ``verbs``: SPEECH_VERBS by default.
    """
    verbs = verbs or SPEECH_VERBS
    if end is None:
        end = len(text)
    sent = text[start:end]
    out: list[ReportedSpeech] = []
    if not sent:
        return out
    # "according to X, ..." / "..., according to X."
    for acc in _ACCORDING.finditer(sent) if "ccording to" in sent else ():
        a0 = start + acc.start()
        comma = sent.find(",", acc.end())
        src_end = start + (comma if comma >= 0 else len(sent))
        source = (a0, src_end)
        if comma >= 0 and len(sent[comma:].split()) >= 3:
            out.append(ReportedSpeech(src_end, end, source, None, "according"))  # "according to X, <content>"
        elif acc.start() > 0:
            out.append(ReportedSpeech(start, a0, source, None, "according"))  # "<content>, according to X."
    # "X said (that) ...", "..., X said."
    for w0, w1 in verbs.verb_spans(sent):
        v0, v1 = start + w0, start + w1
        head = sent[:w0]
        prev_words = head.rsplit(None, 2)[-2:]  # the last two words
        if prev_words and (prev_words[-1].lower() in DETERMINERS or prev_words[-1].endswith(("’s", "'s"))
                           or _negation(prev_words[-1])
                           or (len(prev_words) == 2 and _negation(prev_words[0]))):
            continue  # "Biden's reported advice", "didn't say": no reported speech
        tail = sent[w1:]
        last_comma = head.rfind(",")
        src_text = head[last_comma + 1:] if last_comma >= 0 else head
        if last_comma >= 0 and len(src_text.split()) <= 7 and _END_ATTRIBUTION.match(_tail_rest(tail)):
            # "..., X said." -> the part before the comma is reported
            out.append(ReportedSpeech(start, start + last_comma, (start + last_comma + 1, v1), (v0, v1), "before"))
            continue
        if last_comma >= 0 and _CAPITALISED_END.match(tail):
            # "..., said X."
            out.append(ReportedSpeech(start, start + last_comma, (v0, end), (v0, v1), "before"))
            continue
        # "X said (that) ..." -> after the verb
        src_start = start + (last_comma + 1 if last_comma >= 0 else 0)
        src_start = max(src_start, _clause_start(sent, w0) + start)
        bare = not _CONTENT_WORD.search(text[src_start:v0].replace("also", ""))
        content_start = v1
        addressee = False
        that = _THAT.match(tail) if "that" in tail[:124] else None  # (_THAT ends by then)
        if that and not _THAT_BREAK.search(that.group(1)):
            content_start = v1 + that.end()
        elif sent[w0:w1] in verbs.address:
            addressee = True
        if content_start < end:
            out.append(ReportedSpeech(content_start, end, (src_start, v1), (v0, v1), "after", bare, addressee))
    return out


def _negation(word: str) -> bool:
    """not, never, or a word ending in n't."""
    low = word.lower()
    return low in ("not", "never") or low.endswith(("n't", "n’t"))


def _tail_rest(tail: str) -> str:
    """What follows a speech verb, minus short adverbials ("Sunday", "in a statement")."""
    return _ADVERBIAL.sub("", tail, count=1)


def _clause_start(text: str, pos: int) -> int:
    """Offset just after the last clause opener before ``pos`` ("that", "when", "and", comma), else 0.

    The openers of ``text[:pos]`` never overlap (a word opener is a whole run of
    word characters), so the last one is the first that ``_RENEPO_ESUALC`` finds
    in the reversed text: only the words after it are read.
    """
    m = _RENEPO_ESUALC.search(text[:pos][::-1])
    return pos - m.start() if m is not None else 0
