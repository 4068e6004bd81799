"""The target's place in its sentence, guessed from word order, capitals and the news lexicon's
roles (no parser): subject, passive subject, the noun phrase it owns, the evaluation verb
governing it, the agent of an act, whether an act is real (module doc of the package, steps 3-4)."""
from __future__ import annotations

from bisect import bisect_right

from analysis.measures.sentiment.words import (AGENT_PREPS, AUX, BE, IRREGULAR_PARTICIPLES, PRONOUN_POSS,
                                               VERBAL_BEFORE)


def shared_subject_clauses(sent, t0) -> dict:
    """Later clauses that continue the target's clause without a subject of their own.

    "The striker scored twice but was later sent off": the clause after "but"
    is the striker's too. Returns {clause: weight}: 1.5 after "but"/"yet"
    (VADER's rule that the part after "but" dominates), 1.0 after "and".
    """
    toks, clause, changes = sent.toks, sent.clause, sent.changes
    out = {}
    n = len(toks)
    # the tokens where the clause changes after the target's
    for k in changes[bisect_right(changes, t0):]:
        first = toks[k]
        nxt = toks[k + 1] if k + 1 < n else None
        if first.low in ("but", "yet", "and") and nxt is not None and verb_like(sent, k + 1):
            out[clause[k]] = 1.5 if first.low in ("but", "yet") else 1.0
        else:
            break
    return out


def verb_like(sent, k) -> bool:
    """Does the word at ``k`` look like the start of a predicate ("was", "condemned", "later said")?"""
    toks = sent.toks
    while k < len(toks) and toks[k].low.endswith("ly") and not toks[k].cap:
        k += 1
    if k >= len(toks) or toks[k].cap:
        return False
    low = toks[k].low
    return (low in BE or low in AUX or low.endswith("ed") or low in IRREGULAR_PARTICIPLES
            or toks[k].role in ("speech", "address", "judge", "attitude", "vow"))


def quote_rule(sent, t0, t1):
    """Clauses of a quotation that speak about the target, or None.

    Two attributions are read: "“...,” X said of <target>" (the quotation is
    about the target), and "“... you ...,” X told <target>" (second person in a
    quotation addressed to the target: only clauses with "you"/"your").
    """
    toks = sent.toks
    if not sent.has_quote or sent.quoted[t0]:
        return None
    k = t0
    while k > 0 and toks[k - 1].determiner:
        k -= 1
    before = toks[max(0, k - 3):k]  # the three words before them
    if before and before[-1].low in ("of", "about") \
            and any(t.role in ("speech", "address") for t in before[:-1]):
        return {c for c, q in zip(sent.clause, sent.quoted) if q}
    # the last address verb ("told") among them, by position (equal words are one Chunk)
    governing = len(before) - 1
    while governing >= 0 and before[governing].role != "address":
        governing -= 1
    if governing >= 0 and all(t.determiner or t.cap or t.role == "address" for t in before[governing:]):
        clauses = {c for t, c, q in zip(toks, sent.clause, sent.quoted)
                   if q and t.low in ("you", "your", "you've", "you're")}
        return clauses or None
    return None


def is_verbal(toks, j) -> bool:
    """Is the role word ``toks[j]`` a verb here? Base forms need a verbal context ("did not condemn").

    Asked once per role word of a sentence (``Sentence.verbal``).
    """
    tok = toks[j]
    if tok.participle:
        return True
    prev = toks[j - 1] if j > 0 else None
    if tok.role in ("speech", "address", "attitude", "vow"):
        return not (prev is not None and (prev.determiner or prev.poss))
    if tok.third_person and prev is not None and not prev.determiner and not prev.prep and not prev.poss:
        return True
    if prev is not None and prev.low in VERBAL_BEFORE:
        return True
    return tok.low in ("said", "told", "says", "tells", "according")


def subject_like(sent, t0) -> bool:
    toks, clause = sent.toks, sent.clause
    c = clause[t0]
    k = t0 - 1
    while k >= 0 and clause[k] == c:
        tok = toks[k]
        if tok.trail_pause or tok.opener:  # after , ; : or a conjunction
            return True
        if sent.verbal[k] and tok.role in ("speech", "attitude"):
            return True  # subject of a complement clause ("said he", "fear the army")
        if tok.np_start or tok.coord:  # a determiner, a number or and/or
            k -= 1
            continue
        if tok.cap and not (sent.title_case and (tok.role or sent.valence[k])):
            k -= 1
            continue
        return False
    return True


def passive_participle(sent, t1):
    """Index of the participle when the target is the subject of a passive ("was shelled")."""
    toks, clause = sent.toks, sent.clause
    c = clause[t1]
    n = len(toks)
    k = t1 + 1
    # skip the possessed noun phrase ("the ministry's servers were breached")
    steps = 0
    while k < n and clause[k] == c and steps < 6:
        tok = toks[k]
        if tok.before_be and k + 1 < n and toks[k + 1].be:
            k += 1
            continue
        if tok.be:
            m = k + 1
            skips = 0
            while m < n and clause[m] == c and skips <= 2:
                w = toks[m].low
                if w.endswith("ed") or w.endswith("en") or w in IRREGULAR_PARTICIPLES:
                    return m
                if w.endswith("ly") or w in ("not", "also", "still", "already", "reportedly", "being", "been"):
                    m += 1
                    skips += 1
                    continue
                break
            return None
        if tok.function or (tok.role and k > t1 + 1):  # (any role: act, evaluation, speech, vow)
            return None
        if toks[k - 1].trail:
            return None
        k += 1
        steps += 1
    return None


def noun_phrase_end(sent, t0, t1, subj=None) -> int:
    """Last index of the noun phrase the target modifies or owns (t1 if none).

    ``subj``: ``subject_like(sent, t0)`` when the caller has it.
    """
    toks, clause = sent.toks, sent.clause
    n = len(toks)
    c = clause[t1]
    if toks[t1].trail and not toks[t1].poss:
        return t1
    if toks[t1].trail and toks[t1].poss and toks[t1].trail not in ("'", "’"):
        return t1
    end = t1
    k = t1 + 1
    while k < n and k - t1 <= 5 and clause[k] == c:
        tok = toks[k]
        if tok.function and not tok.coord:
            break
        if tok.coord and (k + 1 >= n or toks[k + 1].function):
            break
        if sent.verbal[k] and tok.role in ("judge", "attitude", "speech", "address", "vow"):
            break
        end = k
        if tok.trail:
            break
        k += 1
    if not toks[t1].poss and end > t1:
        if not (toks[t1].cap or toks[t1].adjectival):
            return t1  # a common noun ("three hikers") owns nothing after it
        # a lowercase word right after a proper name that is not a possessor is usually its verb
        if not toks[t1 + 1].cap and (subject_like(sent, t0) if subj is None else subj) \
                and not toks[t1].adjectival:
            return t1
    return end


def governing_judge(sent, t0):
    """Index of an evaluation verb whose object phrase holds the target, or None."""
    toks, clause = sent.toks, sent.clause
    c = clause[t0]
    k = t0 - 1
    while k >= 0 and clause[k] == c and t0 - k <= 12:
        tok = toks[k]
        if sent.verbal[k]:  # a role word used as a verb
            if tok.role in ("judge", "attitude"):
                return k
            if tok.role in ("speech", "address"):
                return None
        if tok.trail or (tok.prep and tok.low != "of"):
            return None  # the target sits in a modifier of the evaluated phrase, not in it
        k -= 1
    return None


def find_blocker(sent, t1, j):
    """An act or evaluation word between target and ``j`` that takes ``j`` into its object."""
    toks, takers = sent.toks, sent.takers
    for k in takers[bisect_right(takers, t1):]:  # the only candidates
        if k >= j:
            break
        r = toks[k].role
        if r in ("judge", "attitude", "speech", "address") and sent.verbal[k]:
            return k
        if r in ("defeat", "protect"):
            return k
    return None


def is_irrealis(toks, clause, negated, j, vow) -> bool:
    """Is the act word ``toks[j]`` negated or hypothetical (not reported as real)?

    The same for every target of the sentence: worked out for each act word
    when the sentence is analysed (``Sentence.irrealis``).
    """
    if negated[j]:
        return True
    c = clause[j]
    k = j - 1
    first = j - 5 if j > 5 else 0  # up to five words back
    while k >= first and clause[k] == c:
        tok = toks[k]
        if tok.irrealis_mark:  # most words are none of the three below
            if tok.irrealis_cue:
                return True
            if tok.low == "to" and not (k > 0 and toks[k - 1].low in vow):
                # infinitive: requested or intended, unless vowed ("vowed to strike")
                nxt = toks[k + 1] if k + 1 < len(toks) else None
                if nxt is not None and k + 1 >= j - 2 and not nxt.cap and not nxt.poss \
                        and not nxt.function:
                    return True  # "to refrain from attacks"; not "to Iran's attack" (a preposition)
            if tok.scope_prep:
                return False  # an act noun inside a prepositional phrase is outside the verb's scope
        k -= 1
    return False


def explicit_agent(sent, j):
    """Index of an explicit agent of act word ``j``: possessor/capitalised modifier, or by/from X."""
    toks, clause = sent.toks, sent.clause
    c = clause[j]
    k = j - 1
    steps = 0
    while k >= 0 and clause[k] == c and steps < 5:
        tok = toks[k]
        if tok.trail and k != j - 1 and not tok.poss:
            break
        if tok.poss or tok.low in PRONOUN_POSS:
            return k
        if tok.cap and not (sent.title_case and tok.role) and k > 0:
            return k
        if tok.function and not tok.coord:
            break
        k -= 1
        steps += 1
    n = len(toks)
    k = j + 1
    while k < n and k - j <= 3 and clause[k] == c:
        if toks[k].low in AGENT_PREPS and k + 1 < n:
            m = k + 1
            while m < n and toks[m].determiner:
                m += 1
            return m if m < n else None
        if toks[k - 1].trail:
            break
        k += 1
    return None


def in_foreign_np(sent, j, t0, t1) -> bool:
    """Is plain word ``j`` a modifier of an act word that has another agent ("a deadly airstrike by X")?"""
    toks = sent.toks
    n = len(toks)
    for k in range(j + 1, min(n, j + 3)):
        if toks[k - 1].trail:
            return False
        if toks[k].role in ("harm", "defeat", "protect"):
            agent = explicit_agent(sent, k)
            return agent is not None and not (t0 <= agent <= t1)
        if toks[k].function:
            return False
    return False


def clause_start(sent, j) -> int:
    toks, clause = sent.toks, sent.clause
    k = j
    while k > 0 and clause[k - 1] == clause[j]:
        k -= 1
    return k


def in_agent_phrase(sent, j) -> bool:
    toks = sent.toks
    for k in range(max(0, j - 2), j):
        if toks[k].low in AGENT_PREPS and not any(toks[m].trail for m in range(k, j)):
            return True
    return False
