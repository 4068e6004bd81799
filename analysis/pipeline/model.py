"""Data model shared by every stage: corpus, article, paragraphs, sentences, quotes.

All offsets are character offsets into ``Article.body`` (the cleaned text) unless
a docstring says otherwise. Paragraphs in ``body`` are separated by one blank
line ("\\n\\n"); a paragraph never contains a blank line.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class LogEntry:
    """One line that cleaning dropped, changed or moved to metadata."""

    line: int  # 1-based line number in the decoded raw text
    action: str  # "dropped" | "changed" | "metadata" | "decoded"
    rule: str  # the rule's name, e.g. "read-more-link"
    before: str
    after: str = ""


@dataclass(frozen=True)
class Sentence:
    index: int  # 0-based within the article
    paragraph: int  # index of the paragraph it belongs to
    start: int
    end: int


@dataclass(frozen=True)
class Paragraph:
    index: int
    start: int
    end: int
    sentences: tuple[Sentence, ...]


@dataclass(frozen=True)
class Quote:
    """A direct quotation: ``start:end`` includes the quotation marks when present.

    ``closed`` is False when the text has only one of the two marks (the span then
    runs to the end, or from the start, of the paragraph).
    """

    start: int
    end: int
    closed: bool = True


@dataclass(frozen=True)
class Actor:
    name: str
    kind: str  # person | country | organisation | group
    aliases: tuple[str, ...]
    demonyms: tuple[str, ...] = ()


@dataclass
class Article:
    id: str
    outlet: str
    file: Path
    raw: str  # decoded text of the file (HTML: the extracted main text)
    body: str  # cleaned body: paragraphs separated by "\n\n"
    meta: dict[str, str] = field(default_factory=dict)  # manifest + metadata lines
    log: list[LogEntry] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    event_date: dt.date | None = None

    @property
    def sentences(self) -> list[Sentence]:
        return [s for p in self.paragraphs for s in p.sentences]

    def text(self, span) -> str:
        """Text of a Paragraph, Sentence or Quote (anything with start/end)."""
        return self.body[span.start:span.end]

    @property
    def title(self) -> str:
        return self.meta.get("title", "")


@dataclass
class Corpus:
    path: Path
    name: str
    articles: list[Article]
    actors: list[Actor]
    event_name: str = ""
    event_date: dt.date | None = None
    warnings: tuple = ()  # (path, message) pairs the user should see; the data was still loaded

    @property
    def outlets(self) -> list[str]:
        """Outlets in manifest order, each once."""
        known = getattr(self.articles, "outlets", None)  # corpus.LazyArticles knows them unread
        if known is not None:
            return list(known)
        seen: dict[str, None] = {}
        for a in self.articles:
            seen.setdefault(a.outlet, None)
        return list(seen)
