"""The previous release's rule-based method (``LegacyScorer``; module doc of the package, "Legacy
rules"), kept unchanged for comparison. ``Scorer`` builds on its sentence analysis."""
from __future__ import annotations

from functools import cache, lru_cache

from analysis.measures.sentiment.clauses import sentence_bounds
from analysis.measures.sentiment.lexicon import load_news_lexicon
from analysis.measures.sentiment.rules import score_toward
from analysis.measures.sentiment.sentence import Sentence, analyse
from analysis.measures.sentiment.speed import ChunkCache
from analysis.measures.sentiment.tokens import Chunk, make_chunk
from analysis.measures.sentiment.vader_port import new_analyzer
from analysis.measures.sentiment.words import ALNUM, LONG_TEXT


class LegacyScorer:
    """The rule-based method before the learned layer (module doc, "Legacy rules").

    Kept, unchanged, so that the external validation can score it beside the
    current method; ``Scorer`` builds on its sentence analysis. Holds the merged
    lexicon and the per-sentence cache.
    """

    def __init__(self, lexicon_path=None, cache_size: int = 200_000):
        self.news = load_news_lexicon(lexicon_path)
        self.analyzer = new_analyzer()
        self.analyzer.lexicon.update(self.news.valence)
        self.lexicon = self.analyzer.lexicon
        self.roles = self.news.role
        self.vow = self.news.tokens("vow")
        self._chunks = ChunkCache()  # per-word cache, see ``_chunk``
        self._analyse = lru_cache(maxsize=cache_size)(self._analyse_uncached)
        self._baseline = lru_cache(maxsize=cache_size)(self._baseline_uncached)

    # -- public ---------------------------------------------------------------

    def sentence_sentiment(self, text: str) -> float:
        """VADER's compound score of the whole text (the baseline), -1..1."""
        return self._baseline(text or "")

    def sentiment_toward(self, text: str, start: int, end: int) -> float:
        """Sentiment toward the target ``text[start:end]``, -1..1 (see module doc).

        An empty target, or one without a word character, scores 0.0.
        Offsets are clamped to the text.
        """
        if not text:
            return 0.0
        n = len(text)
        start = min(max(int(start), 0), n)
        end = min(max(int(end), start), n)
        if end <= start or not ALNUM.search(text, start, end):
            return 0.0
        s0, s1 = self._sentence_bounds(text, start, end)
        sent = self._analyse(text[s0:s1])
        return score_toward(sent, start - s0, end - s0)

    def sentiment_towards(self, sentence: str, spans) -> list[float]:
        """Sentiment toward several targets of one sentence: ``[(start, end), ...]``.

        The sentence is analysed once, without the cache: this is the path the
        metrics pipeline takes, so throughput never depends on the same
        sentence recurring in a corpus. Equal to ``sentiment_toward`` per span.
        """
        if not sentence:
            return [0.0 for _ in spans]
        out = []
        analysed = {}  # (s0, s1) -> Sentence
        n = len(sentence)
        whole = n <= LONG_TEXT and "\n" not in sentence  # then _sentence_bounds is (0, n)
        whole_sent = None  # the analysis of the whole sentence, then
        for start, end in spans:
            # clamped like sentiment_toward's offsets (an end before the start scores 0.0 there too)
            start, end = int(start), int(end)
            if start < 0:
                start = 0
            elif start > n:
                start = n
            if end > n:
                end = n
            # no word character, no target (most targets start with one)
            if end <= start or not (sentence[start].isalnum() or ALNUM.search(sentence, start, end)):
                out.append(0.0)
                continue
            if whole:
                if whole_sent is None:
                    whole_sent = self._analyse_uncached(sentence)
                out.append(score_toward(whole_sent, start, end))
                continue
            s0, s1 = self._sentence_bounds(sentence, start, end)
            sent = analysed.get((s0, s1))
            if sent is None:
                sent = analysed[(s0, s1)] = self._analyse_uncached(sentence[s0:s1])
            out.append(score_toward(sent, start - s0, end - s0))
        return out

    # -- internals ------------------------------------------------------------

    def _baseline_uncached(self, text: str) -> float:
        return float(self.analyzer.polarity_scores(text)["compound"])

    def _sentence_bounds(self, text, start, end):
        return sentence_bounds(text, start, end)

    def _chunk(self, raw: str) -> Chunk:
        """The word-level facts of one chunk (``tokens.Chunk``), computed once per distinct chunk."""
        chunk = self._chunks.get(raw)
        if chunk is not None:
            return chunk
        return self._chunks.add(raw, make_chunk(raw, self.lexicon, self.roles))

    def _analyse_uncached(self, sent: str) -> Sentence:
        """``sent`` analysed (``sentence.analyse``): tokens, valences, roles, clauses, quotation."""
        raws = sent.split()  # the whitespace-separated chunks
        return analyse(sent, raws, self._chunks.chunks(raws, self._chunk), self.lexicon, self.vow)


@cache
def legacy_scorer() -> LegacyScorer:
    """The process-wide rule-based scorer of the previous release (for comparison only)."""
    return LegacyScorer()


def legacy_sentiment_toward(text: str, start: int, end: int) -> float:
    """The previous release's rule-based value (module doc, "Legacy rules"); kept for comparison."""
    return legacy_scorer().sentiment_toward(text, start, end)
