"""Features of one target in one analysed sentence: the input of the learned layer.

``target_features(scorer, sent, extra, t0, t1, legacy)`` returns a dict of named
features (``{"e:pred+": 2.2, "w:L1:condemned": 1.0, ...}``) for the target
occupying tokens ``t0..t1`` of ``sent`` (an analysed sentence of
``analysis.sentiment``), and, when ``words`` is a dict, records for each feature
the token indices behind it, so an explanation can show its words.

Feature families (docs/actors-sentiment.md has the full table):

``e:<rel><sign>``
    Lexicon evidence: the absolute valence of every word with a valence, summed
    by its syntactic relation to the target (``rel``), split by sign. Relations: ``in`` (inside the mention), ``np`` (the target's own noun
    phrase: "Iran's brazen attack"), ``premod`` (a modifier before it: "the brave
    firefighters"), ``pass`` (participle of a passive the target is subject of),
    ``pred`` (the predicate of the clause the target is subject of), ``verdict``
    (an evaluation verb whose object holds the target: "condemned Iran"),
    ``judged`` (the rest of such an evaluated phrase), ``before`` / ``after``
    (elsewhere in the target's clause), ``other`` (another clause). (Distance
    bins of the same evidence and the rule-based weight of each word were tried:
    they added about 0.001 macro-F1 in cross-validation for a fifth of the run
    time, and were left out.)
``e:<role><V|N>:<rel><sign>``
    The same evidence for act and evaluation words of the news lexicon (harm,
    defeat, protect, judge, ...), with their part of speech (verb or noun, a
    heuristic read from the words around them: "attack" after "the" is a noun).
``q:<same|cross><sign>``
    Evidence inside quotation marks when the target is / is not quoted too.
``x:<rel><sign>``
    Evidence whose sense is reversed by a negator VADER does not know
    ("unable to", "failed to", "declined to", "refused to").
``r:...``
    Role cues: subject, subject of a passive, object of an evaluation verb,
    possessor, after "by" (agent), speaker of reported speech, quoted,
    pronoun, the word before the target when it is a preposition.
``w:<L1|L2|R1|R2>:<word>``
    Words right before/after the target (1, 2-4 words away), lower-cased.
``v:<rel>:<word>``
    Which lexicon word stands in which relation ("v:pred:blamed"): the layer
    learns the news sense of a word in its place.
``b:<word>``
    The words of the sentence outside the target (present or not).
``legacy``, ``legacy+``, ``legacy-``, ``s:vader``, ``win:vader``
    The rule-based score (its rules about agents, victims, evaluators, negated
    and hypothetical acts), the whole sentence's and the window's normalised
    lexicon sums.
"""
from __future__ import annotations

import math

_PRONOUNS = frozenset({"he", "she", "they", "him", "her", "them", "i", "we", "you", "it", "us", "me",
                       "his", "their", "its", "our", "my", "your"})
_PREV_CUES = frozenset({"by", "of", "for", "to", "with", "against", "from", "on", "at", "about", "toward",
                        "towards", "and", "said", "says", "told", "like", "than", "as", "under", "over",
                        "without", "praised", "criticized", "accused", "blamed", "attacked", "slammed",
                        "supported", "backed", "defended"})


def _norm(x: float) -> float:
    return x / math.sqrt(x * x + 15) if x else 0.0


def word_key(low: str) -> str:
    """The form of a word in feature names: lower case, numbers as ``<num>``."""
    return "<num>" if low[:1].isdigit() else low


def window(toks, t0, t1):
    """(index, feature prefix) of the window words: up to four before and four after the target,
    not across a full stop, a semicolon or a closing bracket."""
    out = []
    for k in range(t0 - 1, max(-1, t0 - 5), -1):
        out.append((k, "w:L1:" if k == t0 - 1 else "w:L2:"))
        if toks[k].trail_stop and k < t0 - 1:
            break
    n = len(toks)
    for k in range(t1 + 1, min(n, t1 + 5)):
        out.append((k, "w:R1:" if k == t1 + 1 else "w:R2:"))
        if toks[k].trail_stop:
            break
    return out


def sentence_features(sent, score: float) -> dict:
    """The features that are the same for every target of the sentence, except its words
    (``score``: the sentence's normalised lexicon sum, ``_Extra.score``)."""
    f = {}
    if sent.has_quote:
        f["r:has_quote"] = 1.0
    if score:
        f["s:vader"] = score
    return f


def target_features(sc, sent, extra, t0: int, t1: int, legacy: float, words: dict | None = None,
                    bag: bool = True) -> dict:
    """Named features of the target at tokens ``t0..t1`` (see module doc).

    ``bag=False`` leaves out the features that are the same for every target of
    the sentence (its words ``b:``, ``s:vader``, ``r:has_quote``), which the
    scorer sums once per sentence instead (``sentence_features``), and the window
    words ``w:``, which it looks up by word (the same sums, see
    ``Scorer._fast_proba``).

    ``sc``: the Scorer (its structure helpers); ``sent``: the analysed sentence;
    ``extra``: the per-sentence facts of ``Scorer._extra`` (adjusted valences,
    reversed words, sentence score); ``legacy``: the rule-based score of the target.
    """
    toks, clause, quoted = sent.toks, sent.clause, sent.quoted
    valence, reversed_, lows = extra.valence, extra.reversed, extra.lows
    n = len(toks)
    f: dict[str, float] = {}
    rec = words is not None

    fget = f.get
    if rec:
        def add(name, value, idx=None):
            f[name] = fget(name, 0.0) + value
            if idx is not None:
                words.setdefault(name, []).append(idx)
    else:
        def add(name, value, idx=None):
            f[name] = fget(name, 0.0) + value

    c = clause[t0]
    subj = sc._subject_like(sent, t0)
    passive_at = sc._passive(sent, t1) if subj else None
    np_end = sc._np_end(sent, t0, t1, subj)
    judge_at = sc._governing_judge(sent, t0)
    shared = sc._shared_subject_clauses(sent, t0) if subj and passive_at is None and sent.changes else {}
    tq = quoted[t0]

    # role cues
    if subj:
        add("r:subj", 1.0)
    if passive_at is not None:
        add("r:passive", 1.0, passive_at)
    if judge_at is not None:
        add("r:judged", 1.0, judge_at)
    if toks[t1].poss:
        add("r:poss", 1.0)
    if tq:
        add("r:quoted", 1.0)
    if sent.has_quote and bag:
        add("r:has_quote", 1.0)
    if t0 == t1 and lows[t0] in _PRONOUNS:
        add("r:pronoun", 1.0)
    if t0 > 0:
        prev = lows[t0 - 1]
        if prev in _PREV_CUES:
            add("r:prev:" + prev, 1.0, t0 - 1)
    k = t1 + 1
    if k < n and toks[k].role in ("speech", "address"):
        add("r:speaker", 1.0, k)
    elif k + 1 < n and toks[k + 1].role in ("speech", "address") and toks[k].low in ("has", "had", "also", "then"):
        add("r:speaker", 1.0, k + 1)

    # lexicon evidence by relation
    verbal, irrealis = sent.verbal, sent.irrealis
    for j in extra.valued:
        v = valence[j]
        sign = "+" if v > 0 else "-"
        av = v if v > 0 else -v
        cj = clause[j]
        if t0 <= j <= t1:
            rel = "in"
        elif cj == c or cj in shared:
            if j > t1:
                if passive_at is not None and j == passive_at:
                    rel = "pass"
                elif j <= np_end:
                    rel = "np"
                elif subj:
                    rel = "pred"
                elif judge_at is not None:
                    rel = "judged"
                else:
                    rel = "after"
            else:
                if judge_at == j:
                    rel = "verdict"
                elif t0 - j <= 3 and not any(t.function or t.trail for t in toks[j:t0]):
                    rel = "premod"
                else:
                    rel = "before"
        else:
            rel = "other"
        add("e:" + rel + sign, av, j)
        role = toks[j].role
        if role:
            pos = "V" if verbal[j] else "N"
            add("e:" + role + pos + ":" + rel + sign, av, j)
            if irrealis[j]:
                add("e:irrealis" + sign, av, j)
        if quoted[j]:
            add(("q:same" if tq else "q:cross") + sign, av, j)
        if reversed_[j]:
            add("x:" + rel + sign, av, j)
        if rel != "in":
            name = "v:" + rel + ":" + lows[j]
            f[name] = 1.0
            if rec:
                words.setdefault(name, []).append(j)

    # words around the target
    keys = extra.keys
    if bag:
        for k, prefix in window(toks, t0, t1):
            add(prefix + keys[k], 1.0, k)
    lo, hi = max(0, t0 - 4), min(n, t1 + 5)
    win = sum(valence[lo:t0]) + sum(valence[t1 + 1:hi])
    if win:
        add("win:vader", _norm(win))
    if extra.score and bag:
        add("s:vader", extra.score)
    if legacy:
        add("legacy", legacy)
        add("legacy+" if legacy > 0 else "legacy-", 1.0)
    if bag:
        for i, key in enumerate(keys):
            if i < t0 or i > t1:
                name = "b:" + key
                f[name] = 1.0
                if rec:
                    words.setdefault(name, []).append(i)
    return f
