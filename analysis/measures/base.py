"""The Measure interface: what every measure declares and does.

A measure turns a segmented article (``Document``) into a typed annotation
(its counts and the evidence behind them), and declares the metric rows the
table computes from those counts. Everything generic (annotate, the metrics
table, the bootstrap intervals, the CLI, the report) iterates over the
registered measures (``analysis.measures.MEASURES``); adding a measure is one
module plus one line there. docs/architecture.md has a worked example.

Counts live in *unit matrices*: one row per unit (a sentence or a paragraph),
one column per count. The table sums a column over a group's units (an
article, or all of an outlet's articles) and resamples the units with
replacement for the intervals, so a row's value is a function of column sums:

    Ratio     scale * sum(numerator) / sum(denominator)   e.g. hedges per 1,000 words
    Total     sum(column), no interval                    e.g. paragraphs
    Formula   f(sums of several columns)                  e.g. Flesch-Kincaid grade

Every unit matrix carries the base columns ``words`` and ``one`` (1 per unit),
filled from the text layer, so a measure can divide by them without counting
them itself. Measures about actors also keep *target columns*: one block per
actor of the corpus's actors file, on the sentence rows (only actors an
article mentions take memory), and rows with ``target=EACH_ACTOR``.
``ArticleMean`` rows are one value per article (e.g. where an actor is first
named), averaged over an outlet's articles.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from analysis.pipeline.model import Article, Corpus

SENTENCES, PARAGRAPHS = "sentences", "paragraphs"
UNITS = (SENTENCES, PARAGRAPHS)  # the resampling units, in the order the table keeps them
# the base columns of each unit matrix, before and after the measures' own columns
BASE_HEAD = {SENTENCES: ("words",), PARAGRAPHS: ("words", "one")}
BASE_TAIL = {SENTENCES: ("one",), PARAGRAPHS: ()}
EACH_ACTOR = "*"  # the target of a row computed once per actor of the actors file


@dataclass(frozen=True)
class Ratio:
    """``scale * sum(numerator) / sum(denominator)`` over ``unit``; n = sum of ``n`` (default the denominator).

    With ``target=EACH_ACTOR`` the numerator and denominator name a target
    column, or a base or measure column of the sentence matrix ("one").
    No value and no interval where the denominator sums to 0."""

    metric: str
    target: str
    unit: str
    numerator: str
    denominator: str
    scale: float = 1.0
    n: tuple[str, str] | None = None  # (unit, column); default (unit, denominator)


@dataclass(frozen=True)
class Total:
    """``sum(column)`` over ``unit``, without an interval; n = sum of ``n`` (default the column itself)."""

    metric: str
    target: str
    unit: str
    column: str
    n: tuple[str, str] | None = None


@dataclass(frozen=True)
class Formula:
    """``function(sums)`` where ``sums`` maps each of ``inputs`` (columns of ``unit``) to its sum:
    numbers for the value, arrays of resamples for the interval (so ``function``
    must work on numpy arrays). n = sum of ``n``."""

    metric: str
    target: str
    unit: str
    inputs: tuple[str, ...]
    function: Callable[[Mapping[str, np.ndarray]], Any]
    n: tuple[str, str] = (SENTENCES, "one")


@dataclass(frozen=True)
class ArticleMean:
    """One value per article and target (``Counted.article_values[metric]``); an outlet's value is
    the mean over its articles that have one. No interval; n = the number of articles."""

    metric: str
    target: str


Row = Ratio | Total | Formula | ArticleMean


@dataclass(frozen=True)
class MetricInfo:
    """A line of the metric catalogue: a metric's name, what its ``n`` counts, what it means."""

    name: str
    unit: str
    description: str


@dataclass(slots=True)
class Document:
    """A segmented article as the measures see it: everything the text layer computed once.

    ``texts[i]`` and ``tokens[i]`` are sentence i's text and words
    (``analysis.pipeline.text.words``); ``mentions`` are the actor mentions
    (``analysis.pipeline.actors.find_mentions``), offsets into ``article.body``.
    """

    article: Article
    texts: list[str]
    tokens: list[list[str]]
    mentions: list = field(default_factory=list)

    @property
    def sentences(self):
        return self.article.sentences


@dataclass(slots=True)
class Counted:
    """What a measure contributes to the table for one article.

    ``units[unit]``: (units, columns) array, the measure's ``columns[unit]`` in
    order; ``targets``: actor name -> (sentences, ``target_columns``) array, only
    for actors the article mentions; ``article_values[metric]``: target -> value.
    """

    units: dict[str, np.ndarray] = field(default_factory=dict)
    targets: dict[str, np.ndarray] = field(default_factory=dict)
    article_values: dict[str, dict[str, float]] = field(default_factory=dict)


class Measure:
    """Base class of a measure. Subclasses set the class attributes and implement ``annotate``,
    ``count`` and ``record_fields``; the defaults declare nothing.

    name            short identifier ("hedging")
    columns         unit -> names of the count columns it adds to that unit's matrix
    target_columns  names of its per-actor columns (on sentences)
    sentence_fields names of the per-sentence evidence its annotation exposes on
                    ``SentenceAnnotation`` (e.g. ``s.hedges``)
    article_fields  names of per-article attributes exposed on ``ArticleAnnotation``
    """

    name: str = ""
    columns: Mapping[str, Sequence[str]] = {}
    target_columns: Sequence[str] = ()
    sentence_fields: Sequence[str] = ()
    article_fields: Sequence[str] = ()

    def setup(self, corpus: Corpus) -> None:
        """Build what is needed once per corpus (matchers, lexicons)."""

    def warm(self) -> None:
        """Load lazily built models now (before worker processes are forked)."""

    def catalogue(self) -> list[MetricInfo]:
        """The metrics this measure adds, for ``metric_catalogue()``."""
        return []

    def rows(self, corpus: Corpus) -> list[Row]:
        """The metric rows, in table order (rows with ``target=EACH_ACTOR`` come after every
        measure's other rows, actor by actor)."""
        return []

    def annotate(self, docs: list[Document]) -> list[Any]:
        """One typed annotation per document (a batch, so that a measure can keep its tables
        in the processor's caches across articles)."""
        raise NotImplementedError

    def values(self, annotation, doc: Document) -> dict[str, Any]:
        """``sentence_fields`` (each a list, one item per sentence) and ``article_fields`` of one
        annotation."""
        return {}

    def count(self, annotation, doc: Document) -> Counted:
        """The article's counts for the table."""
        return Counted()

    def record_fields(self, annotation, doc: Document, i: int, evidence: bool) -> dict[str, Any]:
        """Fields of sentence ``i``'s record in ``annotate`` output (offsets relative to the
        sentence); ``evidence``: include what decided each value."""
        return {}


def tally(per_sentence, categories, category_of) -> np.ndarray:
    """A (sentences, 1 + categories) count matrix: per sentence, how many items it holds, then
    how many of each category (``category_of(item)``, one of ``categories``)."""
    column = {c: 1 + k for k, c in enumerate(categories)}
    x = np.zeros((len(per_sentence), 1 + len(categories)))
    for i, items in enumerate(per_sentence):
        x[i, 0] = len(items)
        for item in items:
            x[i, column[category_of(item)]] += 1.0
    return x
