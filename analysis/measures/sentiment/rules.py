"""The previous release's weighing of evidence (module doc of the package, "Legacy rules", steps
3-5): which words of an analysed sentence speak about the target, with which weight."""
from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from operator import attrgetter

from analysis.measures.sentiment.sentence import Sentence
from analysis.measures.sentiment.syntax import (clause_start, explicit_agent, find_blocker, governing_judge,
                                                in_agent_phrase, in_foreign_np, noun_phrase_end,
                                                passive_participle, quote_rule, shared_subject_clauses,
                                                subject_like)
from analysis.measures.sentiment.vader_port import ALPHA
from analysis.measures.sentiment.words import BENEFACTIVE, PRONOUN_POSS

OTHER_CLAUSE_WEIGHT = 0.05  # weight of a word one clause away; halved per further clause
_AGENT_PREP = attrgetter("agent_prep")
_OF = attrgetter("of")
_PREP = attrgetter("prep")


def score_toward(sent: Sentence, a: int, b: int) -> float:
    toks, clause, valence, quoted = sent.toks, sent.clause, sent.valence, sent.quoted
    t0, t1 = sent.tokens_at(a, b)
    if t0 >= len(toks) or t1 < t0:
        return 0.0
    # words without valence add nothing, nor do the target's own (``valued`` is in order)
    valued = sent.valued
    lo = bisect_left(valued, t0)
    hi = bisect_right(valued, t1, lo)
    if hi > lo:
        valued = valued[:lo] + valued[hi:]
    if not valued:
        return 0.0
    c = clause[t0]
    subj = subject_like(sent, t0)
    passive_at = passive_participle(sent, t1) if subj else None
    shared = shared_subject_clauses(sent, t0) if subj and passive_at is None and sent.changes else {}
    # the rest is needed only when a word is quoted / weighed (the helpers have no side effects)
    quoting = quote_rule(sent, t0, t1) if sent.has_quote and any(map(quoted.__getitem__, valued)) \
        else None
    # word_weight weighs the words of the target's clause and of the clauses that share its
    # subject; it reads np_end for those after the target, and judge_at for those before it
    # and, when the target is not a subject, for those after it
    same = [j for j in valued if clause[j] == c or clause[j] in shared] if sent.changes else valued
    after = bool(same) and same[-1] > t1
    np_end = noun_phrase_end(sent, t0, t1, subj) if after else None
    judge_at = governing_judge(sent, t0) if (same and same[0] < t0) or (after and not subj) else None
    total = 0.0
    others: dict[int, list[float]] = {}
    after_but = bool(shared) and any(w > 1 for w in shared.values())
    for j in valued:
        role, cj = toks[j].role, clause[j]
        if quoting is not None and quoted[j] and cj in quoting:
            if not role or role in ("harm", "judge", "attitude"):
                total += valence[j]
            continue
        if cj != c:
            if cj in shared:
                # "The striker scored but was sent off": the same subject's predicate
                total += valence[j] * shared[cj] * word_weight(
                    sent, j, t0, t1, subj, passive_at, np_end, judge_at, same_clause=False)
                continue
            if role:
                continue
            others.setdefault(cj, []).append(valence[j])
            continue
        weight = word_weight(sent, j, t0, t1, subj, passive_at, np_end, judge_at)
        if weight and after_but:
            weight *= 0.5  # VADER's "but" rule: the clause after "but" dominates
        total += valence[j] * weight
    for other, values in others.items():
        # another clause adds the MEAN of its word valences, so its length does not count
        d = abs(other - c)
        total += OTHER_CLAUSE_WEIGHT * 0.5 ** (d - 1) * sum(values) / len(values)
    if not total:
        return 0.0
    value = total / math.sqrt(total * total + ALPHA)
    return round(max(-1.0, min(1.0, value)), 4)


def word_weight(sent, j, t0, t1, subj, passive_at, np_end, judge_at, same_clause=True) -> float:
    toks = sent.toks
    tok = toks[j]
    role = tok.role
    verbal = sent.verbal[j]  # False for a word without a role
    if j > t1:
        if passive_at is not None and j == passive_at:
            # the subject undergoes the act: victims get nothing, the evaluated get the verdict
            if role in ("judge", "attitude"):
                return 1.0
            if role == "defeat":
                return -1.0 if sent.valence[j] > 0 else 1.0
            if role in ("harm", "protect"):
                return 0.0
            return 1.0
        if j <= np_end:  # the target's own noun phrase ("Iran's brazen attack")
            if role in ("harm", "defeat", "protect"):
                return 0.0 if sent.irrealis[j] else 1.0
            if role in ("judge", "attitude", "speech", "address") and verbal:
                return 0.0
            return 1.0
        if subj:
            # the participle of a passive is not a blocker: the subject is its object
            after = t1 if passive_at is None or passive_at >= j else passive_at
            blocker = find_blocker(sent, after, j) if same_clause else find_blocker(
                sent, clause_start(sent, j), j)
            if blocker is not None:
                return 0.0
            if not role and in_agent_phrase(sent, j):
                return 0.0  # "shelled by rebels": the agent phrase is about the agent
            if role in ("judge", "attitude", "speech", "address") and verbal:
                return 0.0  # the subject is the evaluator
            if role in ("harm", "defeat", "protect"):
                if sent.irrealis[j]:
                    return 0.0
                agent = explicit_agent(sent, j)
                if agent is not None and not (t0 <= agent <= t1):
                    return 0.0
                if role == "defeat" and sent.valence[j] < 0:
                    return 1.0  # a participle of the beaten ("beaten 3-0")
                return 1.0
            if in_foreign_np(sent, j, t0, t1):
                return 0.0
            return 1.0
        if judge_at is not None:
            # inside the phrase an evaluation verb evaluates
            if role in ("harm", "defeat", "protect"):
                if sent.irrealis[j] or find_blocker(sent, t1, j) is not None:
                    return 0.0
                agent = explicit_agent(sent, j)
                if agent is not None and not (t0 <= agent <= t1) and toks[agent].low not in PRONOUN_POSS:
                    return 0.0
                return 1.0
            if role in ("judge", "attitude", "speech", "address") and verbal:
                return 0.0
            if find_blocker(sent, t1, j) is not None:
                return 0.0
            if in_foreign_np(sent, j, t0, t1):
                return 0.0
            return 1.0
        return 0.0
    # j before the target
    if role in ("judge", "attitude") and verbal and judge_at == j:
        return 1.0  # the verdict of the verb that governs the target
    if role in ("harm", "defeat", "protect"):
        if sent.irrealis[j]:
            return 0.0
        if t0 - j > 6:  # more than five words between them
            return 0.0
        between = toks[j + 1:t0]
        if any(map(_AGENT_PREP, between)) or (role == "protect" and any(map(_OF, between))):
            if role == "defeat" and sent.valence[j] < 0:
                return 0.0
            return 1.0  # "thwarted by Israel", "attacks from Iran", "the help of the US"
        if role == "defeat" and not subj and len(between) <= 4 and not any(map(_PREP, between)):
            return -1.0 if sent.valence[j] > 0 else 1.0  # the defeated object ("downing Iranian drones")
        return 0.0
    if role and verbal:
        return 0.0
    # plain evaluative word before the target
    between = toks[j + 1:t0]
    if len(between) <= 2 and j > 0 and toks[j - 1].determiner and not toks[j - 1].trail \
            and all(not t.function for t in between) and not any(t.trail for t in between) \
            and not tok.trail:
        return 1.0  # premodifier of the target's noun phrase ("the brave firefighters")
    if len(between) <= 3 and between and between[0].low in BENEFACTIVE and not tok.trail:
        return 1.0  # "a win for Iran"
    if judge_at is not None and judge_at < j:
        return 1.0  # "praised the remarkable ..."
    return 0.0
