"""Features of one target in one analysed sentence: the input of the learned layer.

``target_features(sent, extra, t0, t1)`` returns a dict of named
features (``{"e:pred+": 2.2, "w:L1:condemned": 1.0, ...}``) for the target
occupying tokens ``t0..t1`` of ``sent`` (an analysed sentence of
``analysis.measures.sentiment``), and, when ``words`` is a dict, records for each feature
the token indices behind it, so an explanation can show its words.

Feature families (docs/actors-sentiment.md has the full table):

``e:<rel><sign>``
    Lexicon evidence: the absolute valence of every word with a valence, summed
    by its syntactic relation to the target (``rel``), split by sign. Relations:
    ``in`` (inside the mention), ``np`` (the target's own noun phrase: "Iran's
    brazen attack"), ``premod`` (a modifier before it: "the brave
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
``n:<near|far><sign>``, ``n:<near|far><S|O><sign>``
    Evidence outside the target, split by whether the target is at least as near
    to the word as every other capitalised word after the first (``nearer``), and
    by same (``S``) or other (``O``) clause.
``d:<sign>``
    Evidence outside the target weighted by 1 / (1 + distance in words / 3).
``s:vader``, ``win:vader``
    The whole sentence's and the window's normalised lexicon sums. (The
    rule-based score was a feature in the first release; it added nothing
    measurable in cross-validation and cost a quarter of the scoring time.)

The scorer does not build these names at run time: ``speed.target_logits`` sums
the same weights from tables arranged by relation, sign, role and word
(``speed.LogitTables``); ``target_relations`` is the one place where the target's
role and each word's relation to it are decided, for both.
"""
from __future__ import annotations

from bisect import bisect_right

from analysis.measures.sentiment.syntax import (governing_judge, noun_phrase_end, passive_participle,
                                                shared_subject_clauses, subject_like)
from analysis.measures.sentiment.vader_port import normalize

_PRONOUNS = frozenset({"he", "she", "they", "him", "her", "them", "i", "we", "you", "it", "us", "me",
                       "his", "their", "its", "our", "my", "your"})
_PREV_CUES = frozenset({"by", "of", "for", "to", "with", "against", "from", "on", "at", "about", "toward",
                        "towards", "and", "said", "says", "told", "like", "than", "as", "under", "over",
                        "without", "praised", "criticized", "accused", "blamed", "attacked", "slammed",
                        "supported", "backed", "defended"})


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


def nearer(caps, j, t0, t1) -> bool:
    """Is the target (tokens ``t0..t1``) at least as close to word ``j`` as every other capitalised
    word (``caps``: the indices of the capitalised words after the first, in order)?"""
    dt = t0 - j if j < t0 else j - t1
    k = bisect_right(caps, j)
    if k and not (t0 <= caps[k - 1] <= t1) and j - caps[k - 1] < dt:
        return False  # a name before the word, nearer than the target
    if k and caps[k - 1] == j:
        return False  # the word is itself capitalised: nearer to itself
    if k < len(caps) and not (t0 <= caps[k] <= t1) and caps[k] - j < dt:
        return False
    return True


def target_relations(sent, extra, t0: int, t1: int):
    """The role cues of the target (``[(name, token index or None), ...]``) and the relation of
    every word with a valence to it (``[rel, ...]`` in the order of ``extra.valued``, see module doc), plus whether the
    target is quoted. Shared by ``target_features`` and ``target_logits``."""
    toks, clause, quoted = sent.toks, sent.clause, sent.quoted
    lows = extra.lows
    n = len(toks)
    cues = []
    c = clause[t0]
    subj = subject_like(sent, t0)
    passive_at = passive_participle(sent, t1) if subj else None
    np_end = noun_phrase_end(sent, t0, t1, subj) if extra.valued and extra.valued[-1] > t1 else t1  # read after t1 only
    judge_at = governing_judge(sent, t0)
    # the later clauses that share the target's subject (none: an empty tuple, nothing to build)
    shared = shared_subject_clauses(sent, t0) if subj and passive_at is None and sent.changes else ()
    tq = quoted[t0]
    if subj:
        cues.append(("r:subj", None))
    if passive_at is not None:
        cues.append(("r:passive", passive_at))
    if judge_at is not None:
        cues.append(("r:judged", judge_at))
    if toks[t1].poss:
        cues.append(("r:poss", None))
    if tq:
        cues.append(("r:quoted", None))
    if t0 == t1 and lows[t0] in _PRONOUNS:
        cues.append(("r:pronoun", None))
    if t0 > 0:
        prev = lows[t0 - 1]
        if prev in _PREV_CUES:
            cues.append(("r:prev:" + prev, t0 - 1))
    k = t1 + 1
    if k < n and toks[k].role in ("speech", "address"):
        cues.append(("r:speaker", k))
    elif k + 1 < n and toks[k + 1].role in ("speech", "address") and toks[k].low in ("has", "had", "also", "then"):
        cues.append(("r:speaker", k + 1))
    rels = []
    for j in extra.valued:
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
        rels.append(rel)
    return cues, rels, tq


def target_features(sent, extra, t0: int, t1: int, words: dict | None = None) -> dict:
    """Named features of the target at tokens ``t0..t1`` (see module doc).

    ``sent``: the analysed sentence (``sentence.Sentence``); ``extra``: the
    per-sentence facts of the learned layer (``learned.Extra``: (adjusted valences,
    reversed words, sentence score, capitalised words). ``words``, when a dict,
    receives for each feature the token indices behind it.
    """
    toks, clause, quoted = sent.toks, sent.clause, sent.quoted
    valence, reversed_, lows = extra.valence, extra.reversed, extra.lows
    n = len(toks)
    f: dict[str, float] = {}
    rec = words is not None
    fget = f.get

    def add(name, value, idx=None):
        f[name] = fget(name, 0.0) + value
        if rec and idx is not None:
            words.setdefault(name, []).append(idx)

    cues, rels, tq = target_relations(sent, extra, t0, t1)
    for name, idx in cues:
        add(name, 1.0, idx)
    if sent.has_quote:
        add("r:has_quote", 1.0)
    verbal, irrealis = sent.verbal, sent.irrealis
    c, caps = clause[t0], extra.caps
    for j, rel in zip(extra.valued, rels):
        v = valence[j]
        sign = "+" if v > 0 else "-"
        av = v if v > 0 else -v
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
            near = "n:near" if nearer(caps, j, t0, t1) else "n:far"
            add(near + sign, av, j)
            add(near + ("S" if clause[j] == c else "O") + sign, av, j)
            add("d:" + sign, av / (1.0 + (t0 - j if j < t0 else j - t1) / 3.0), j)

    # words around the target
    keys = extra.keys
    for k, prefix in window(toks, t0, t1):
        add(prefix + keys[k], 1.0, k)
    lo, hi = max(0, t0 - 4), min(n, t1 + 5)
    win = sum(valence[lo:t0]) + sum(valence[t1 + 1:hi])
    if win:
        add("win:vader", normalize(win))
    if extra.score:
        add("s:vader", extra.score)
    for i, key in enumerate(keys):
        if i < t0 or i > t1:
            name = "b:" + key
            f[name] = 1.0
            if rec:
                words.setdefault(name, []).append(i)
    return f


RELATIONS = ("in", "np", "premod", "pass", "pred", "verdict", "judged", "before", "after", "other")
