"""Speed helpers of the sentiment scorers; a reader of the method can skip this module.

``ChunkCache`` keeps what each distinct whitespace chunk says on its own
(``tokens.Chunk``), so a sentence's words are looked up, not worked out again.
``FastLayer`` sums the learned layer's logits without building feature names:
the sentence's own features once per sentence (``sentence_logits``), the
target's from weight tables arranged by relation, sign, role and word
(``LogitTables``, ``target_logits``; the evidence weights of a kind of word,
per relation, summed once in the order the features add them:
``LogitTables.evidence``), the window words by word. The sums are
the model applied to ``features.target_features`` (a test checks it on every
gold item); ``value_from_logits`` is ``learned.value_of`` written out for
three classes.
"""
from __future__ import annotations

from bisect import bisect_right
from math import exp
from operator import itemgetter

from analysis.measures.sentiment.features import RELATIONS, target_relations, word_key
from analysis.measures.sentiment.learned import NEUTRAL_BAND, NEUTRAL_SCALE
from analysis.measures.sentiment.vader_port import normalize

CHUNK_CACHE = 500_000  # distinct chunks (and word keys) kept before the cache starts over
_ZERO = (0.0, 0.0, 0.0)
_FIRST, _SECOND, _THIRD = itemgetter(0), itemgetter(1), itemgetter(2)


class ChunkCache(dict):
    """``tokens.Chunk`` by raw chunk; starts over when it holds ``CHUNK_CACHE`` chunks."""

    def add(self, raw: str, chunk):
        if len(self) >= CHUNK_CACHE:
            self.clear()
        self[raw] = chunk
        return chunk

    def chunks(self, raws: list, make) -> list:
        """The chunks of ``raws``; ``make(raw)`` works out (and adds) those not seen before."""
        try:
            return list(map(self.__getitem__, raws))
        except KeyError:  # chunks not seen before
            return list(map(make, raws))


class FastLayer:
    """A ``LinearModel`` of three classes arranged for ``logits`` (see module doc)."""

    def __init__(self, model):
        self.intercept = model.intercept
        # the word features' weights by word, per family ("b:", "w:L1:", ...): looked up without
        # building their names
        by_word: dict[str, dict] = {p: {} for p in ("b:", "w:L1:", "w:L2:", "w:R1:", "w:R2:")}
        for name, ws in model.weights.items():
            prefix = name[:2] if name.startswith("b:") else name[:5]
            if prefix in by_word:
                by_word[prefix][name[len(prefix):]] = ws
        self.tables = LogitTables(model.weights)
        self.bag_w = by_word["b:"]
        self._keys: dict[str, str] = {}  # lower-cased word -> its form in feature names
        self.w_has_quote = model.weights.get("r:has_quote", _ZERO)
        self.w_score = model.weights.get("s:vader", _ZERO)
        self.w_l1, self.w_l2 = by_word["w:L1:"], by_word["w:L2:"]
        self.w_r1, self.w_r2 = by_word["w:R1:"], by_word["w:R2:"]

    def keys(self, lows: list) -> list:
        """The words ``lows`` as in feature names (``features.word_key``)."""
        try:
            return list(map(self._keys.__getitem__, lows))
        except KeyError:  # words not seen before
            return [self._keys.get(low) or self._key(low) for low in lows]

    def _key(self, low: str) -> str:
        """A word as in feature names (``features.word_key``), remembered."""
        key = self._keys[low] = word_key(low)
        if len(self._keys) > CHUNK_CACHE:
            self._keys.clear()
        return key

    def sentence_logits(self, has_quote: bool, score: float, keys: list) -> tuple:
        """Intercept plus the logits of the features all targets of a sentence share: its words
        (``b:``), its score (``s:vader``) and ``r:has_quote``."""
        b0, b1, b2 = self.intercept  # three classes (checked in __init__)
        # the sentence's own features of target_features (r:has_quote, s:vader)
        if has_quote:
            ws = self.w_has_quote
            b0 += ws[0]
            b1 += ws[1]
            b2 += ws[2]
        if score:
            ws = self.w_score
            b0 += ws[0] * score
            b1 += ws[1] * score
            b2 += ws[2] * score
        # each word once, in order (a fixed summation order)
        wss = list(filter(None, map(self.bag_w.get, dict.fromkeys(keys))))  # (weights are non-empty tuples)
        if wss:
            b0 = sum(map(_FIRST, wss), b0)
            b1 = sum(map(_SECOND, wss), b1)
            b2 = sum(map(_THIRD, wss), b2)
        return b0, b1, b2

    def value(self, sent, extra, a: int, b: int, ipos: int, ineg: int) -> float:
        """``value_from_logits`` of the target's ``logits`` (0.0 when no token is the target)."""
        lg = self.logits(sent, extra, a, b)
        if lg is None:
            return 0.0
        return value_from_logits(lg, ipos, ineg)

    def logits(self, sent, extra, a, b):
        """The model's logits for the target ``sent.text[a:b]``, as from ``features.target_features``,
        without feature names: the sentence's words and score summed once per sentence
        (``learned.Extra.bag``, ``sentence_logits``), the target's features by weight tables
        (``target_logits``), the window words looked up by word (as ``features.window`` lists
        them), minus the sentence words that occur only inside the target."""
        t0, t1 = sent.tokens_at(a, b)
        toks = sent.toks
        n = len(toks)
        if t0 >= n or t1 < t0:
            return None
        l0, l1, l2 = target_logits(sent, extra, t0, t1, self.tables, extra.bag)
        keys = extra.keys
        # the window words, as features.window lists them
        if t0 > 0:
            ws = self.w_l1.get(keys[t0 - 1])
            if ws is not None:
                l0 += ws[0]
                l1 += ws[1]
                l2 += ws[2]
            if t0 > 1:
                get = self.w_l2.get
                for k in range(t0 - 2, t0 - 5 if t0 > 4 else -1, -1):
                    ws = get(keys[k])
                    if ws is not None:
                        l0 += ws[0]
                        l1 += ws[1]
                        l2 += ws[2]
                    if toks[k].trail_stop:
                        break
        k = t1 + 1
        if k < n:
            ws = self.w_r1.get(keys[k])
            if ws is not None:
                l0 += ws[0]
                l1 += ws[1]
                l2 += ws[2]
            if k + 1 < n and not toks[k].trail_stop:
                get = self.w_r2.get
                for k in range(k + 1, t1 + 5 if t1 + 5 < n else n):
                    ws = get(keys[k])
                    if ws is not None:
                        l0 += ws[0]
                        l1 += ws[1]
                        l2 += ws[2]
                    if toks[k].trail_stop:
                        break
        # the sentence's words were all counted in the bag: take back those only inside the target
        if t0 == t1:
            key = keys[t0]
            ws = self.bag_w.get(key)
            if ws is not None and keys.count(key) == 1:
                l0 -= ws[0]
                l1 -= ws[1]
                l2 -= ws[2]
        else:
            bag_w = self.bag_w
            inside = keys[t0:t1 + 1]
            for key in dict.fromkeys(inside):
                ws = bag_w.get(key)
                if ws is not None and inside.count(key) == keys.count(key):
                    l0 -= ws[0]
                    l1 -= ws[1]
                    l2 -= ws[2]
        return l0, l1, l2


def value_from_logits(lg, ipos: int, ineg: int) -> float:
    """``learned.value_of(softmax(lg), ipos, ineg)``, the same arithmetic written out for three
    classes (``lg``: three logits; ``ipos``, ``ineg``: the indices of the positive and negative
    class)."""
    l0, l1, l2 = lg
    m = l0 if l0 >= l1 else l1  # max(l0, l1, l2)
    if l2 > m:
        m = l2
    e0, e1, e2 = exp(l0 - m), exp(l1 - m), exp(l2 - m)
    total = e0 + e1 + e2
    p = (e0 / total, e1 / total, e2 / total)
    best = 1 if p[1] > p[0] else 0
    if p[2] > p[best]:
        best = 2
    diff = p[ipos] - p[ineg]
    if best == ipos:
        return max(NEUTRAL_BAND, round(diff, 4))
    if best == ineg:
        return min(-NEUTRAL_BAND, round(diff, 4))
    return round(NEUTRAL_SCALE * diff, 4)


class LogitTables:
    """The model's weights arranged for ``target_logits``: looked up by relation, sign, role and
    word instead of by feature name (the same weights, so the same sums as ``target_features``)."""

    def __init__(self, weights: dict):
        def w(name):
            return weights.get(name, _ZERO)

        self.weights = weights
        # per relation: (weights of "e:<rel>-", "e:<rel>+"), the same for "x:<rel>"
        self.ev = {r: (w("e:" + r + "-"), w("e:" + r + "+")) for r in RELATIONS}
        self.rev = {r: (w("x:" + r + "-"), w("x:" + r + "+")) for r in RELATIONS}
        self.irrealis = (w("e:irrealis-"), w("e:irrealis+"))
        self.quoted = {True: (w("q:same-"), w("q:same+")), False: (w("q:cross-"), w("q:cross+"))}
        self.near = {True: (w("n:near-"), w("n:near+")), False: (w("n:far-"), w("n:far+"))}
        self.near_clause = {(nr, same): (w(f"n:{'near' if nr else 'far'}{'S' if same else 'O'}-"),
                                         w(f"n:{'near' if nr else 'far'}{'S' if same else 'O'}+"))
                            for nr in (True, False) for same in (True, False)}
        self.dist = (w("d:-"), w("d:+"))
        # near? -> same clause? -> sign: the weights of "n:<near|far>" and "n:<near|far><S|O>", summed
        self.near_all = {nr: {same: tuple(tuple(a + b for a, b in zip(self.near[nr][sg],
                                                                       self.near_clause[(nr, same)][sg]))
                                           for sg in (False, True))
                              for same in (False, True)}
                         for nr in (False, True)}
        self.win = w("win:vader")
        # per (role, verb?): relation -> (weights of "e:<role><V|N>:<rel>-", ... "+")
        self.role: dict = {}
        # per word: relation -> weights of "v:<rel>:<word>"
        self.word: dict = {}
        for name, ws in weights.items():
            if name.startswith("e:") and ":" in name[2:]:
                head, rel = name[2:].split(":", 1)
                if head[-1:] in ("V", "N") and rel[:-1] in RELATIONS:
                    key = (head[:-1], head[-1] == "V")
                    pair = self.role.setdefault(key, {}).setdefault(rel[:-1], [_ZERO, _ZERO])
                    pair[rel[-1] == "+"] = ws
            elif name.startswith("v:"):
                rel, _, word = name[2:].partition(":")
                self.word.setdefault(word, {})[rel] = ws
        # per sign: nearer? -> same clause? -> the weights of "n:<near|far>" and "n:<near|far><S|O>", summed
        self.near_by_sign = tuple(tuple(tuple(self.near_all[nr][same][sg] for same in (False, True))
                                        for nr in (False, True))
                                  for sg in (False, True))
        self._evidence: dict = {}

    def evidence(self, role_key, irrealis: bool, quoted: bool, reversed_: bool) -> tuple:
        """Per sign, per target quoted?: relation -> the summed weights of a word's evidence features
        ("e:<rel>", "e:<role><V|N>:<rel>", "e:irrealis", "q:<same|cross>", "x:<rel>", in the order
        ``target_features`` adds them) for a word of role ``role_key`` ((role, verb?) or None),
        irrealis, quoted and reversed as given. Worked out once per combination."""
        key = (role_key, irrealis, quoted, reversed_)
        out = self._evidence.get(key)
        if out is None:
            out = self._evidence[key] = tuple(tuple(
                {rel: self._evidence_sum(rel, s, role_key, irrealis, quoted, tq, reversed_) for rel in RELATIONS}
                for tq in (False, True)) for s in (False, True))
        return out

    def _evidence_sum(self, rel, s, role_key, irrealis, quoted, tq, reversed_) -> tuple:
        m0, m1, m2 = self.ev[rel][s]
        pairs = self.role.get(role_key) if role_key else None
        if pairs is not None:
            pair = pairs.get(rel)
            if pair is not None:
                ws = pair[s]
                m0 += ws[0]
                m1 += ws[1]
                m2 += ws[2]
        if irrealis:
            ws = self.irrealis[s]
            m0 += ws[0]
            m1 += ws[1]
            m2 += ws[2]
        if quoted:
            ws = self.quoted[tq][s]
            m0 += ws[0]
            m1 += ws[1]
            m2 += ws[2]
        if reversed_:
            ws = self.rev[rel][s]
            m0 += ws[0]
            m1 += ws[1]
            m2 += ws[2]
        return m0, m1, m2


def valued_items(sent, valence, valued, reversed_, lows, caps, tab: LogitTables) -> list:
    """Per word with a valence (``valued``), what ``target_logits`` needs of it whatever the
    target: (valence, absolute valence, the nearest capitalised word at or before it and after it
    (-1: none), its clause, its evidence weights by target quoted? and relation
    (``LogitTables.evidence``), its near/far weights by nearer? and same clause?, its distance
    weights, its word's weights by relation (None: none), the word)."""
    out = []
    toks, verbal, irrealis, quoted, clause = sent.toks, sent.verbal, sent.irrealis, sent.quoted, sent.clause
    evidence, near, dist = tab.evidence, tab.near_by_sign, tab.dist
    known = tab._evidence  # evidence's results by its arguments, looked up here first
    word_tab = tab.word
    n_caps = len(caps)
    for j in valued:
        v = valence[j]
        s = v > 0
        k = bisect_right(caps, j) if n_caps else 0
        role = toks[j].role
        low = lows[j]
        key = ((role, verbal[j]) if role else None, bool(role and irrealis[j]), quoted[j], reversed_[j])
        by_sign = known.get(key) or evidence(*key)
        out.append((v, v if s else -v, caps[k - 1] if k else -1, caps[k] if k < n_caps else -1, clause[j],
                    by_sign[s], near[s], dist[s], word_tab.get(low), low))
    return out


def dist_weight(dt: int) -> float:
    """The weight of evidence ``dt`` words from the target in ``d:<sign>`` (``features.target_features``)."""
    return 1.0 / (1.0 + dt / 3.0)


_DIST_WEIGHTS = [dist_weight(dt) for dt in range(256)]  # looked up by distance, for the usual ones


def target_logits(sent, extra, t0: int, t1: int, tab: LogitTables, logits):
    """``logits`` (three floats) plus the weighted sum of the target's features except the
    sentence's words, its score and ``r:has_quote`` (summed once per sentence by the scorer) and
    the window words (looked up by word): the same sum as the model applied to
    ``target_features``, without building feature names."""
    l0, l1, l2 = logits
    cues, rels, tq = target_relations(sent, extra, t0, t1)
    if cues:
        get = tab.weights.get
        for name, _ in cues:
            ws = get(name)
            if ws is not None:
                l0 += ws[0]
                l1 += ws[1]
                l2 += ws[2]
    c = sent.clause[t0]
    seen = None
    # the valences of the window (up to four words either side), summed from the valued words in
    # order: the same sums as over all the window's words, whose other valences are 0.0
    left = right = 0
    dist_weights = _DIST_WEIGHTS
    for j, rel, (v, av, lc, rc, cj, by_quote, near, ds, byrel, low) in zip(extra.valued, rels, extra.items):
        # the evidence features of the word's relation (e:, role, irrealis, q:, x:), summed in advance
        m0, m1, m2 = by_quote[tq][rel]
        if rel != "in":
            if j < t0:
                dt = t0 - j
                if dt <= 4:
                    left += v
            else:
                dt = j - t1
                if dt <= 4:
                    right += v
            nr = not ((lc >= 0 and not t0 <= lc <= t1 and j - lc < dt)
                      or (rc >= 0 and not t0 <= rc <= t1 and rc - j < dt))  # nearer(caps, j, t0, t1)
            ws = near[nr][cj == c]
            x = dist_weights[dt] if dt < 256 else dist_weight(dt)
            m0 += ws[0] + ds[0] * x
            m1 += ws[1] + ds[1] * x
            m2 += ws[2] + ds[2] * x
            if byrel is not None:
                vws = byrel.get(rel)
                if vws is not None:
                    key = (rel, low)
                    if seen is None:
                        seen = {key}
                    elif key in seen:  # a word-in-relation feature counts once
                        vws = None
                    else:
                        seen.add(key)
                    if vws is not None:
                        l0 += vws[0]
                        l1 += vws[1]
                        l2 += vws[2]
        l0 += m0 * av
        l1 += m1 * av
        l2 += m2 * av
    win = left + right
    if win:
        ws = tab.win
        x = normalize(win)
        l0 += ws[0] * x
        l1 += ws[1] * x
        l2 += ws[2] * x
    return l0, l1, l2
