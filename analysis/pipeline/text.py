"""The text layer: the one tokenizer, sentence splitter and quotation finder every measure uses.

Segmentation (``analysis.pipeline.segment``) runs once per article and keeps
paragraphs, sentences and quotations with their character offsets; measures
read those and tokenise with ``words`` / ``word_spans`` here, so no measure
splits or counts text a second way.

Words: letters and digits joined by hyphens or apostrophes, or by ``.`` and
``,`` between digits ("follow-up", "Iran's", "1,500", "3.5"); a dotted
abbreviation ("U.S.") is one word. Text is NFC-normalised first when it is
not ASCII, so a composed and a decomposed accent count alike.
"""
from __future__ import annotations

import re
import unicodedata

from analysis.pipeline.segment import find_quotes, quote_at, split_sentences

__all__ = ["WORD", "words", "word_spans", "split_sentences", "find_quotes", "quote_at", "SIMPLE_WORD"]

WORD = re.compile(
    # dotted abbreviation ("U.S.", "U.S.'s"), read without its dots
    r"(?<![^\W_])(?:[^\W\d_]\.){2,}(?:['\u2019][^\W_]+)?"
    # letters/digits joined by hyphens or apostrophes, or by . , between digits
    r"|[^\W_]+(?:(?:[-\u2010\u2011'\u2019]|(?<=\d)[.,](?=\d))[^\W_]+)*"
)


def _nfc(text: str) -> str:
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def words(text: str) -> list[str]:
    """The words of ``text``, by the rule in the module docstring."""
    return WORD.findall(_nfc(text))


def word_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each word of ``text``; offsets into ``text`` as given
    (NFC normalisation can shorten a non-ASCII text, so spans are taken on the text
    itself, not normalised: a combining accent is no word character there, so the
    span of a decomposed "Cafe\u0301" ends before the accent)."""
    return [m.span() for m in WORD.finditer(text)]


# Another word rule, kept where a published number depends on it: runs of word
# characters joined by hyphens or apostrophes, without WORD's dotted
# abbreviations and digit groups ("U.S." is two words here, "1,500" two, "3.5"
# two) and with underscores. The paragraph roles (analysis.measures.context)
# weigh each sentence by this count; counting ``words`` instead moves the role
# probabilities of the bundled corpus.
SIMPLE_WORD = re.compile(r"\w+(?:[’'\-]\w+)*")
