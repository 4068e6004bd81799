"""The current method (``Scorer``): the rule-based sentence analysis of ``LegacyScorer`` read as
features (``features.py``), weighed by the learned layer (``learned.py``; module doc of the
package, "Current method")."""
from __future__ import annotations

from functools import lru_cache
from itertools import compress
from operator import attrgetter

from analysis.measures.sentiment import explain
from analysis.measures.sentiment.clauses import clamp_span, sentence_bounds_abbrev
from analysis.measures.sentiment.features import target_features
from analysis.measures.sentiment.learned import Extra, adjust_valences, load_layer, value_of
from analysis.measures.sentiment.legacy import LegacyScorer
from analysis.measures.sentiment.sentence import Sentence
from analysis.measures.sentiment.speed import FastLayer, valued_items
from analysis.measures.sentiment.tokens import Chunk, unstop_abbreviation
from analysis.measures.sentiment.vader_port import normalize
from analysis.measures.sentiment.words import LONG_TEXT
from analysis.pipeline.segment import load_lexicon

_LOW = attrgetter("low")
_CAP = attrgetter("cap")


class Scorer(LegacyScorer):
    """The current method: the rule-based sentence analysis read as features, weighed by a
    multinomial logistic regression (``analysis/measures/sentiment/model.json``).

    ``sentiment_towards`` / ``sentiment_toward`` return a value whose ``label`` is the
    model's decided class (module doc, "Value"); ``explain_towards`` lists the features
    and words that decided it.
    """

    def __init__(self, lexicon_path=None, cache_size: int = 200_000, model=None):
        super().__init__(lexicon_path, cache_size)
        bounds = load_lexicon()
        self._abbrev = bounds.prefix | bounds.number | bounds.ambiguous
        self.model, (self._ineg, self._ineu, self._ipos) = load_layer(model)
        self._analyse = lru_cache(maxsize=cache_size)(self._prepare)
        self._fast = FastLayer(self.model)  # the model's weights arranged for summing (speed)

    # -- public ---------------------------------------------------------------

    def sentiment_toward(self, text: str, start: int, end: int) -> float:
        span = clamp_span(text, start, end)
        if span is None:
            return 0.0
        start, end = span
        s0, s1 = self._sentence_bounds(text, start, end)
        sent, extra = self._analyse(text[s0:s1])
        return self._fast_value(sent, extra, start - s0, end - s0)

    def sentiment_towards(self, sentence: str, spans) -> list[float]:
        """Sentiment toward several targets of one sentence, ``[(start, end), ...]``; each
        equal to ``sentiment_toward``. The sentence is analysed once, without the cache."""
        out = []
        n = len(sentence)
        if n <= LONG_TEXT and "\n" not in sentence:  # then the sentence bounds are (0, n)
            sent = extra = None
            value, ipos, ineg = self._fast.value, self._ipos, self._ineg
            for a, b in spans:
                # clamp_span's result at once for the usual span: ints in the text, starting with a word character
                if not (type(a) is int and type(b) is int and 0 <= a < b <= n and sentence[a].isalnum()):
                    span = clamp_span(sentence, a, b)
                    if span is None:
                        out.append(0.0)
                        continue
                    a, b = span
                if sent is None:
                    sent, extra = self._prepare(sentence)
                out.append(value(sent, extra, a, b, ipos, ineg))
            return out
        analysed = {}
        for span in spans:
            span = clamp_span(sentence, *span)
            if span is None:
                out.append(0.0)
                continue
            start, end = span
            s0, s1 = self._sentence_bounds(sentence, start, end)
            p = analysed.get((s0, s1))
            if p is None:
                p = analysed[(s0, s1)] = self._prepare(sentence[s0:s1])
            out.append(self._fast_value(p[0], p[1], start - s0, end - s0))
        return out

    def explain_towards(self, sentence: str, spans, k: int = 5) -> list[list[dict]]:
        """Per span, the ``k`` features that pushed most toward the decided class:
        ``{"feature", "words" (the sentence's words behind it, "" if none), "weight"}``
        (``explain.explain_towards``)."""
        return explain.explain_towards(self, sentence, spans, k)

    def features_toward(self, text: str, start: int, end: int) -> dict:
        """The named features of the target ``text[start:end]`` (the learned layer's input)."""
        return self._features_at(text, start, end) or {}

    def proba_toward(self, text: str, start: int, end: int) -> dict | None:
        """The model's class probabilities for the target, ``{"negative": p, ...}`` (None: no target)."""
        p = self._proba(self._features_at(text, start, end))
        return None if p is None else dict(zip(self.model.classes, p))

    def _features_at(self, text, start, end, words=None):
        span = clamp_span(text, start, end)
        if span is None:
            return None
        start, end = span
        s0, s1 = self._sentence_bounds(text, start, end)
        sent, extra = self._prepare(text[s0:s1])
        return self._features(sent, extra, start - s0, end - s0, words)

    # -- internals ------------------------------------------------------------

    def _proba(self, feats):
        if feats is None:
            return None
        return self.model.proba(feats)

    def _value(self, p) -> float:
        """The value of class probabilities ``p`` (``learned.value_of``)."""
        return value_of(p, self._ipos, self._ineg)

    def _fast_value(self, sent, extra, a, b) -> float:
        """``_value`` of the target's probabilities, from logits summed without feature names (``speed``)."""
        return self._fast.value(sent, extra, a, b, self._ipos, self._ineg)

    def _features(self, sent, extra, a, b, words=None) -> dict:
        t0, t1 = sent.tokens_at(a, b)
        if t0 >= len(sent.toks) or t1 < t0:
            return None
        return target_features(sent, extra, t0, t1, words)

    def _chunk(self, raw: str) -> Chunk:
        """As the rule-based method's, but a period after an abbreviation ("Mr.", "U.S.", "Dr.")
        does not end a clause (``tokens.unstop_abbreviation``)."""
        chunk = self._chunks.get(raw)
        if chunk is not None:
            return chunk
        chunk = super()._chunk(raw)
        unstopped = unstop_abbreviation(chunk, self._abbrev)
        if unstopped is not chunk:
            self._chunks[raw] = unstopped
        return unstopped

    def _sentence_bounds(self, text, start, end):
        """As the rule-based method's, but no sentence ends after an abbreviation."""
        return sentence_bounds_abbrev(text, start, end, self._abbrev)

    def _prepare(self, text: str):
        """The analysed sentence and the learned layer's per-sentence facts (``Extra``)."""
        # curly apostrophes in negations ("didn’t") read like straight ones (same length)
        sent = self._analyse_uncached(text.replace("n’t", "n't") if "’" in text else text)
        return sent, self._extra(sent)

    def _extra(self, sent: Sentence) -> Extra:
        """The learned layer's per-sentence facts (``learned.Extra``)."""
        toks = sent.toks
        lows = list(map(_LOW, toks))
        valence, valued, rev = adjust_valences(sent, lows)
        score = normalize(sum(map(valence.__getitem__, valued)))
        keys = self._fast.keys(lows)
        # the features shared by all targets of the sentence, summed once for all its targets
        bag = self._fast.sentence_logits(sent.has_quote, score, keys)
        caps = list(compress(range(len(toks)), map(_CAP, toks)))
        if caps and caps[0] == 0:
            del caps[0]
        items = valued_items(sent, valence, valued, rev, lows, caps, self._fast.tables)
        return Extra(valence, valued, rev, lows, keys, score, bag, caps, items)
