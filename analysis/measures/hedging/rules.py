"""The context checks: ``rule(text, start, end) -> keep the cue?``

A lexicon row names at most one check in ``rule`` (and one more in
``news_rule``, which only ``find_hedges`` applies). Each check looks at a few
tokens on either side of the cue (``tokens``), so the whole pass stays linear
in the text. ``RULES`` maps the names to the checks; ``LEGACY_RULES`` is the
original set, for ``legacy_find_hedges``.
"""
from __future__ import annotations

import re
from typing import Callable

from analysis.measures.hedging.tokens import next_tokens, nth, prev_tokens

_LINE_END_RE = re.compile(r"[ \t\u00a0]*(?:\n|\r|$)")


# --------------------------------------------------------------------------
# word classes used by the context checks (closed-class words, not cues)
# --------------------------------------------------------------------------
_NUMBER_WORDS = frozenset("""
one two three four five six seven eight nine ten eleven twelve thirteen fourteen
fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy
eighty ninety hundred hundreds thousand thousands million millions billion billions
trillion trillions dozen dozens""".split())
_FRACTIONS = frozenset("half third thirds quarter quarters fifth fifths tenth tenths".split())
_UNITS = frozenset("""
second seconds minute minutes hour hours day days week weeks fortnight month months
year years decade decades century centuries mile miles kilometre kilometres kilometer
kilometers km metre metres meter meters foot feet inch inches ton tons tonne tonnes
percent per score""".split()) | _NUMBER_WORDS | _FRACTIONS
_TIME_WORDS = frozenset("noon midday midnight dawn dusk sunrise sunset".split())
_MULTIPLIERS = frozenset("twice double triple threefold tenfold".split())
_UNIVERSALS = frozenset("""
all every everyone everybody everything each none nobody nothing always never
entirely completely totally wholly universally""".split())
_DETERMINERS = frozenset("""
the a an this that these those his her its their our my your whose""".split())
_BE = frozenset("is are was were be been being 's ’s".split())
_SUBJECT_PRONOUNS = frozenset("i you he she it we they who which also".split())


def is_numeral(tok: str) -> bool:
    """A number in digits (or an amount, "$300"), or a number word ("twenty", "twenty-five")."""
    if not tok:
        return False
    if tok[0].isdigit() or (tok[0] in "$£€" and len(tok) > 1):
        return True
    low = tok.lower()
    head = low.split("-", 1)[0]
    return low in _NUMBER_WORDS or head in _NUMBER_WORDS


def _is_quantity(tokens: list[str]) -> bool:
    """A number, a fraction, 'a dozen', 'an hour', a time of day, 'mid-May'..."""
    first, second = nth(tokens, 0), nth(tokens, 1)
    if is_numeral(first) or first in _FRACTIONS or first in _TIME_WORDS:
        return True
    if first in _MULTIPLIERS or first.startswith("mid-"):
        return True
    if first in ("a", "an") and (second in _UNITS or is_numeral(second)):
        return True
    return False


def possessive(tok: str) -> bool:
    """"Iran's", "officials'": a possessive form."""
    return tok.endswith("'s") or tok.endswith("’s") or tok.endswith("s'") or tok.endswith("s’")


# --------------------------------------------------------------------------
# context checks: rule(text, start, end) -> keep the cue?
# --------------------------------------------------------------------------
def _lowercase_modal(text, start, end):
    # Capitalised "May" is the month, a name (Theresa May) or an optative /
    # permission "May" opening a sentence; the epistemic modal is written lower case.
    if text[start:end] != "may":
        return False
    return not is_numeral(nth(next_tokens(text, end, 1), 0))


_MIGHT_NOUN_PREV = _DETERMINERS | frozenset("""
all full sheer military economic naval nuclear industrial financial political
air armed""".split())


_MIGHT_NOUN_NEXT = frozenset("is was 's ’s has makes made".split())


def _modal_might(text, start, end):
    prev = prev_tokens(text, start, 1)
    nxt = nth(next_tokens(text, end, 1), 0)
    if (prev and (nth(prev, -1) in _MIGHT_NOUN_PREV or possessive(prev[-1]))):
        return False
    if nxt in _MIGHT_NOUN_NEXT:
        return False  # "Might is right", "might makes right"; "might be lifted" is the modal
    if nxt == "" or nxt == "of" or (len(nxt) == 1 and not nxt.isalnum()):
        # "military might." / "the might of": a noun, unless a subject pronoun
        # makes it an elliptical modal ("It might.")
        return nth(prev, -1) in _SUBJECT_PRONOUNS and nxt != "of"
    return True


def _modal_might_legacy(text, start, end):
    """The original check, kept for ``legacy_find_hedges``: it also rejected
    "might be" / "might been", which lost "The sanctions might be lifted."."""
    nxt = nth(next_tokens(text, end, 1), 0)
    if nxt in _BE:
        return False
    return _modal_might(text, start, end)


_PERCEPTION = frozenset("see hear feel smell watch sense".split())
_PERCEIVED = frozenset("seen heard felt smelled smelt".split())


def _modal_could(text, start, end):
    nxt = next_tokens(text, end, 2)
    first, second = nth(nxt, 0), nth(nxt, 1)
    if first == "not" or first in _PERCEPTION:
        return False
    if first == "be" and second in _PERCEIVED:
        return False
    return True


def _quantity_after(text, start, end):
    return _is_quantity(next_tokens(text, end, 2))


def _degree_after(text, start, end):
    nxt = next_tokens(text, end, 2)
    return _is_quantity(nxt) or nth(nxt, 0) in _UNIVERSALS


def _numeral_after(text, start, end):
    return is_numeral(nth(next_tokens(text, end, 1), 0))


def _quantity_before(text, start, end):
    prev = prev_tokens(text, start, 1)
    tok = nth(prev, -1)
    return is_numeral(tok) or tok in _UNITS or tok in _TIME_WORDS


_CLAIM_NOUN_PREV = _DETERMINERS | frozenset("""
such any no some many several similar both other false unfounded baseless
unverified unsubstantiated conflicting competing rival territorial new earlier
previous latest initial insurance legal deny denies denied denying reject rejects
rejected rejecting dismiss dismisses dismissed dismissing dispute disputes
disputed disputing make makes made making repeat repeats repeated investigate
investigates investigated investigating verify verified contradict contradicts
contradicted refute refutes refuted rebut rebutted question questioned echo
echoes echoed back backed amid despite over about of with against by on""".split())
_CLAIM_NOUN_NEXT = frozenset("""
of were was are is have has had by about against for on over and or remain
remains remained went""".split())
_CLAIM_FIXED = frozenset("responsibility credit".split())
_DEMONYM_RE = re.compile(r"[A-Z]\w*(?:ian|ese|ish|i)$")


def _claim_verb(text, start, end):
    form = text[start:end].lower()
    nxt = next_tokens(text, end, 2)
    first, second = nth(nxt, 0), nth(nxt, 1)
    if first in _CLAIM_FIXED or first == "lives" or (first == "the" and second in ("lives", "life")):
        return False  # "claimed responsibility", "claimed the lives of"
    prev = prev_tokens(text, start, 1)
    before = nth(prev, -1)
    if form in ("claimed", "claiming"):
        return before not in _DETERMINERS
    # "claim" / "claims": verb or noun?
    if before in _SUBJECT_PRONOUNS:
        return True
    if form == "claim" and before == "to":
        return True  # "continued to claim that"
    if before in _CLAIM_NOUN_PREV or (prev and possessive(prev[-1])):
        return False
    if prev and _DEMONYM_RE.match(prev[-1]):
        return False  # "Israeli claims", "Iranian claims"
    if first in _CLAIM_NOUN_NEXT or first == "" or (len(first) == 1 and not first.isalnum()):
        return False
    return True


def _believe_verb(text, start, end):
    nxt = next_tokens(text, end, 2)
    first, second = nth(nxt, 0), nth(nxt, 1)
    if first in ("in", "me") or (first == "it" and second == "or"):
        return False
    prev = prev_tokens(text, start, 2)
    p1, p2 = nth(prev, -1), nth(prev, -2)
    if p1 in ("can't", "can’t", "cannot", "couldn't", "couldn’t"):
        return False
    if p1 == "to" and p2 in ("hard", "difficult", "impossible"):
        return False
    return True


_THINK_NOT = frozenset("tank tanks tanker about of twice again back ahead through over up big outside".split())


def _think_verb(text, start, end):
    return nth(next_tokens(text, end, 1), 0) not in _THINK_NOT


_APPEAR_NOT_AFTER_TO = _DETERMINERS | frozenset("""
him them me us you reporters journalists supporters voters""".split())
_APPEAR_ADJ = frozenset("""
likely unlikely certain uncertain unclear increasingly poised set ready more
less""".split())


def _appear_hedge(text, start, end):
    nxt = next_tokens(text, end, 2)
    first = nth(nxt, 0)
    if first == "to" and len(nxt) > 1:
        second = nxt[1]
        return second.lower() not in _APPEAR_NOT_AFTER_TO and not second[:1].isupper()
    if first == "that" or first in _APPEAR_ADJ:
        return True
    if first == "as" and nth(nxt, 1) in ("if", "though"):
        return True
    return nth(prev_tokens(text, start, 1), -1) in ("it", "there")


def _suggest_hedge(text, start, end):
    first = nth(next_tokens(text, end, 1), 0)
    if first in ("a", "an"):
        return False  # "suggested a four-day week": proposal
    if len(first) > 4 and first.endswith("ing"):
        return False  # "suggested postponing the vote": proposal
    return True


def _to_or_that_after(text, start, end):
    return nth(next_tokens(text, end, 1), 0) in ("to", "that")


def _that_after(text, start, end):
    return nth(next_tokens(text, end, 1), 0) == "that"


def _after_determiner(text, start, end):
    prev = prev_tokens(text, start, 1)
    if not prev:
        return False
    nxt = nth(next_tokens(text, end, 1), 0)
    if not nxt or not nxt[0].isalnum():
        return False  # "it became apparent." / "the reported."
    return nth(prev, -1) in _DETERMINERS or possessive(prev[-1])


_NOT_A_NOUN = frozenset("of for to and or is was are were as in on at".split())


def _before_noun(text, start, end):
    nxt = next_tokens(text, end, 1)
    tok = nth(nxt, 0)
    return bool(tok) and tok[0].isalpha() and nxt[0][0].islower() and tok not in _NOT_A_NOUN


_PASSIVE_PREV = _BE | frozenset("also still now widely generally long once".split())


def _passive_report(text, start, end):
    tok = nth(prev_tokens(text, start, 1), -1)
    if tok.endswith("'s") or tok.endswith("’s"):
        return True  # "he's said to", contracted "is"
    return tok in _PASSIVE_PREV or (len(tok) > 3 and tok.endswith("ly"))


_POSSIBLE_NOT_PREV = frozenset("""
as if where wherever when whenever most best worst every all everything anything
not""".split())
_MAKE = frozenset("make makes made making".split())


def _possible_hedge(text, start, end):
    prev = prev_tokens(text, start, 2)
    p1, p2 = nth(prev, -1), nth(prev, -2)
    if p1 in _POSSIBLE_NOT_PREV or (len(p1) > 4 and p1.endswith("est")):
        return False  # "as soon as possible", "the strongest possible terms"
    if p1 in _MAKE or p2 in _MAKE:
        return False  # "made it possible"
    return nth(next_tokens(text, end, 1), 0) != "to"  # "possible to travel": feasibility


_KIND_NOT_PREV = _DETERMINERS | frozenset("""
what which whatever any some every each no same one another new different
similar other first only all""".split())


def _kind_of(text, start, end):
    return nth(prev_tokens(text, start, 1), -1) not in _KIND_NOT_PREV


def _headline_tag(text, start, end):
    before = text[max(0, start - 4):start].rstrip(" \t\u00a0")
    if not before or before[-1] not in ":–—-":
        return False
    return bool(_LINE_END_RE.match(text, end))


_ACCORDING_NOT = frozenset("plan plans schedule script protocol".split())


def _according_to(text, start, end):
    nxt = next_tokens(text, end, 2)
    first, second = nth(nxt, 0), nth(nxt, 1)
    return first not in _ACCORDING_NOT and not (first == "the" and second in _ACCORDING_NOT | {"rules", "law"})


def _vague_quantity(text, start, end):
    # "some critics", "many of his works", "in some cases"; not "some 300" (an
    # approximator) nor "some time"
    nxt = next_tokens(text, end, 1)
    first = nth(nxt, 0)
    if not first or is_numeral(first) or first in ("time", "times"):
        return False
    return first[0].isalnum() or first in ("-", "’", "'")


_ATTRIBUTION_WORDS = frozenset("""
say says said saying argue argues argued arguing believe believes believed think
thinks thought claim claims claimed consider considers considered feel feels felt
contend contends contended suggest suggests suggested question questioned
questions warn warns warned doubt doubted doubts fear fears feared suspect
suspected speculate speculated maintain maintain maintained insist insists
insisted criticize criticized criticise criticised regard regarded view viewed
describe described call called allege alleged assert asserted see saw consider
agree agreed disagree disagreed accuse accused blame blamed praise praised hold
held reckon estimate estimated expect expected predict predicted
critics experts analysts observers scholars historians commentators
scientists researchers economists diplomats officials sources authorities
writers authors reviewers fans supporters opponents proponents skeptics sceptics
believers studies reports accounts sources theorists academics
""".split())
_CLAUSE_STOP = frozenset(", ; : . ( ) [ ] ! ? — –".split())


def _vague_attribution(text, start, end):
    # A vague quantifier as the source of a view: "some say", "many believe",
    # "most analysts", "some of them argue", "while others". Not a plain
    # quantity ("several people were treated", "some distance", "most of the
    # attack", "some 300"): a speech, belief or judgement verb, or a word for a
    # group that holds views, must follow within five tokens of the clause.
    nxt = next_tokens(text, end, 5)
    if not nxt or is_numeral(nxt[0]):
        return False
    for tok in nxt:
        low = tok.lower()
        if low in _CLAUSE_STOP:
            return False
        if low in _ATTRIBUTION_WORDS:
            return True
    return False


_QUANTIFIERS = frozenset("some many most several few certain other others".split())


def _bare_group(text, start, end):
    # "critics say", "experts believe": an unnamed group; not "the critics of the
    # plan", "Iran's critics", "two experts"
    prev = prev_tokens(text, start, 1)
    before = nth(prev, -1)
    if before in _DETERMINERS or (prev and possessive(prev[-1])) or is_numeral(before):
        return False
    return before not in _QUANTIFIERS  # "some historians": the quantifier is the cue


_CONSIDER_NEXT = frozenset("to as by the a an one among among amongst".split())


def _passive_or_as(text, start, end):
    # "is considered (to be / the / one of)", "widely regarded as"; not "he
    # considered resigning"
    if _passive_report(text, start, end):
        return True
    nxt = nth(next_tokens(text, end, 1), 0)
    prev = nth(prev_tokens(text, start, 1), -1)
    return prev not in _SUBJECT_PRONOUNS and nxt in ("as", "by")


_NOT_DOUBT_PREV = frozenset("no without beyond little".split())


def _not_no_doubt(text, start, end):
    return nth(prev_tokens(text, start, 1), -1) not in _NOT_DOUBT_PREV


RULES: dict[str, Callable[[str, int, int], bool]] = {
    "lowercase_modal": _lowercase_modal,
    "modal_might": _modal_might,
    "modal_could": _modal_could,
    "quantity_after": _quantity_after,
    "degree_after": _degree_after,
    "numeral_after": _numeral_after,
    "quantity_before": _quantity_before,
    "claim_verb": _claim_verb,
    "believe_verb": _believe_verb,
    "think_verb": _think_verb,
    "appear_hedge": _appear_hedge,
    "suggest_hedge": _suggest_hedge,
    "to_or_that_after": _to_or_that_after,
    "that_after": _that_after,
    "after_determiner": _after_determiner,
    "before_noun": _before_noun,
    "passive_report": _passive_report,
    "possible_hedge": _possible_hedge,
    "kind_of": _kind_of,
    "headline_tag": _headline_tag,
    "according_to": _according_to,
    "vague_quantity": _vague_quantity,
    "vague_attribution": _vague_attribution,
    "bare_group": _bare_group,
    "passive_or_as": _passive_or_as,
    "not_no_doubt": _not_no_doubt,
}
# The original rule set, for ``legacy_find_hedges``.
LEGACY_RULES = {**RULES, "modal_might": _modal_might_legacy}
