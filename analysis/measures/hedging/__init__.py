"""Hedge cues: words with which a text lowers its commitment to what it says.

Method (docs/hedging.md has the full account, the lexicon's provenance and the
validation figures, external first):

1. The lexicon (``analysis/measures/hedging/hedges.csv``; columns ``cue, category, rule,
   news_rule, accept, note, source, added`` and CoNLL-2010 statistics) lists
   single- and multi-word cues, each in one of five categories (``CATEGORIES``;
   ``weasel`` = vague attribution / unsupported claim).
2. All cues are compiled into ONE case-insensitive regular expression, built as a
   prefix tree so that at any position the longest cue wins.
3. A cue whose ``rule`` column names a context check (``RULES``) is kept only if
   the check passes: "about" needs a following number, "May" the month is not a
   modal, "claims" the noun is not a distancing verb, and so on. Checks look at a
   few neighbouring tokens only, so the whole pass stays linear in the text.
   When a long cue fails its check, shorter cues starting at the same place are
   tried.
4. Cues marked ``accept=model`` must also pass the learned acceptance layer
   (``analysis/measures/hedging/model.json``, trained on CoNLL-2010 Wikipedia by
   ``make train``): a linear model over the cue, its category and its
   neighbouring tokens (``candidate_features``).

``find_hedges`` (the news measure) returns non-overlapping ``Hedge`` records
sorted by start, whose ``text[start:end] == cue``. ``uncertainty_cues`` /
``hedged_sentence`` let the layer decide every cue: the CoNLL-2010 sense of an
uncertain sentence. ``legacy_find_hedges`` is the method before the weasel
category and the layer. ``evaluate_against_gold`` scores the method, and a naive
single-word baseline, against the in-house hand-labelled gold set
(``analysis/validation/gold/hedges_gold.csv``, labelled by docs/guideline-hedging.md).
"""
from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Callable, Iterable

CATEGORIES = ("epistemic", "evidential", "approximator", "shield", "weasel")
CATEGORY_LABELS = {
    "epistemic": "epistemic modal verb",
    "evidential": "evidential / distancing attribution",
    "approximator": "approximator",
    "shield": "shield / uncertainty marker",
    "weasel": "vague attribution / unsupported claim",
}
MODEL_NAME = "hedging"  # analysis/measures/hedging/model.json: the learned acceptance layer


@dataclass(frozen=True, slots=True)
class Hedge:
    cue: str  # the exact matched text: text[start:end] == cue
    category: str  # one of CATEGORIES
    start: int
    end: int


@dataclass(frozen=True)
class LexiconEntry:
    cue: str  # normalised: lower case, single spaces
    category: str
    rule: str = ""
    note: str = ""
    source: str = ""
    accept: str = ""  # "model": in find_hedges the learned layer must also accept each occurrence
    news_rule: str = ""  # a further check that find_hedges (not uncertainty_cues) applies
    added: str = ""  # empty for the original lexicon (kept as ``legacy_find_hedges``)


@dataclass(frozen=True, eq=False)
class Lexicon:
    """Lexicon entries plus the compiled matcher; build with ``load_lexicon``."""

    entries: tuple[LexiconEntry, ...]
    path: str
    pattern: re.Pattern
    by_cue: dict  # normalised cue -> tuple of entries, tried in file order
    shorter: dict  # normalised cue -> (entries, pattern) of cues that are word-prefixes of it, longest first
    rules: dict = None  # rule name -> check; None: RULES

    def __len__(self) -> int:
        return len(self.entries)


# --------------------------------------------------------------------------
# tokens around a match
# --------------------------------------------------------------------------
_TOKEN = r"[$£€]?\d[\d,.]*%?|\w+(?:['’‘-]\w+)*|[^\w\s]"
_TOKEN_RE = re.compile(_TOKEN)
_NEXT_RE = re.compile(r"\s*(" + _TOKEN + ")")
_LINE_END_RE = re.compile(r"[ \t\u00a0]*(?:\n|\r|$)")
_WS_RE = re.compile(r"\s+")


def _next_tokens(text: str, end: int, n: int = 2) -> list[str]:
    out = []
    pos = end
    for _ in range(n):
        m = _NEXT_RE.match(text, pos)
        if not m:
            break
        out.append(m.group(1))
        pos = m.end()
    return out


def _prev_tokens(text: str, start: int, n: int = 2) -> list[str]:
    """The ``n`` tokens before ``start``, nearest last."""
    window = text[max(0, start - 60):start]
    return _TOKEN_RE.findall(window)[-n:]


def _nth(tokens: list[str], i: int) -> str:
    return tokens[i].lower() if -len(tokens) <= i < len(tokens) else ""


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


def _is_numeral(tok: str) -> bool:
    if not tok:
        return False
    if tok[0].isdigit() or (tok[0] in "$£€" and len(tok) > 1):
        return True
    low = tok.lower()
    head = low.split("-", 1)[0]
    return low in _NUMBER_WORDS or head in _NUMBER_WORDS


def _is_quantity(tokens: list[str]) -> bool:
    """A number, a fraction, 'a dozen', 'an hour', a time of day, 'mid-May'..."""
    first, second = _nth(tokens, 0), _nth(tokens, 1)
    if _is_numeral(first) or first in _FRACTIONS or first in _TIME_WORDS:
        return True
    if first in _MULTIPLIERS or first.startswith("mid-"):
        return True
    if first in ("a", "an") and (second in _UNITS or _is_numeral(second)):
        return True
    return False


def _possessive(tok: str) -> bool:
    return tok.endswith("'s") or tok.endswith("’s") or tok.endswith("s'") or tok.endswith("s’")


# --------------------------------------------------------------------------
# context checks: rule(text, start, end) -> keep the cue?
# --------------------------------------------------------------------------
def _lowercase_modal(text, start, end):
    # Capitalised "May" is the month, a name (Theresa May) or an optative /
    # permission "May" opening a sentence; the epistemic modal is written lower case.
    if text[start:end] != "may":
        return False
    return not _is_numeral(_nth(_next_tokens(text, end, 1), 0))


_MIGHT_NOUN_PREV = _DETERMINERS | frozenset("""
all full sheer military economic naval nuclear industrial financial political
air armed""".split())


_MIGHT_NOUN_NEXT = frozenset("is was 's ’s has makes made".split())


def _modal_might(text, start, end):
    prev = _prev_tokens(text, start, 1)
    nxt = _nth(_next_tokens(text, end, 1), 0)
    if (prev and (_nth(prev, -1) in _MIGHT_NOUN_PREV or _possessive(prev[-1]))):
        return False
    if nxt in _MIGHT_NOUN_NEXT:
        return False  # "Might is right", "might makes right"; "might be lifted" is the modal
    if nxt == "" or nxt == "of" or (len(nxt) == 1 and not nxt.isalnum()):
        # "military might." / "the might of": a noun, unless a subject pronoun
        # makes it an elliptical modal ("It might.")
        return _nth(prev, -1) in _SUBJECT_PRONOUNS and nxt != "of"
    return True


def _modal_might_legacy(text, start, end):
    """The original check, kept for ``legacy_find_hedges``: it also rejected
    "might be" / "might been", which lost "The sanctions might be lifted."."""
    nxt = _nth(_next_tokens(text, end, 1), 0)
    if nxt in _BE:
        return False
    return _modal_might(text, start, end)


_PERCEPTION = frozenset("see hear feel smell watch sense".split())
_PERCEIVED = frozenset("seen heard felt smelled smelt".split())


def _modal_could(text, start, end):
    nxt = _next_tokens(text, end, 2)
    first, second = _nth(nxt, 0), _nth(nxt, 1)
    if first == "not" or first in _PERCEPTION:
        return False
    if first == "be" and second in _PERCEIVED:
        return False
    return True


def _quantity_after(text, start, end):
    return _is_quantity(_next_tokens(text, end, 2))


def _degree_after(text, start, end):
    nxt = _next_tokens(text, end, 2)
    return _is_quantity(nxt) or _nth(nxt, 0) in _UNIVERSALS


def _numeral_after(text, start, end):
    return _is_numeral(_nth(_next_tokens(text, end, 1), 0))


def _quantity_before(text, start, end):
    prev = _prev_tokens(text, start, 1)
    tok = _nth(prev, -1)
    return _is_numeral(tok) or tok in _UNITS or tok in _TIME_WORDS


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
    nxt = _next_tokens(text, end, 2)
    first, second = _nth(nxt, 0), _nth(nxt, 1)
    if first in _CLAIM_FIXED or first == "lives" or (first == "the" and second in ("lives", "life")):
        return False  # "claimed responsibility", "claimed the lives of"
    prev = _prev_tokens(text, start, 1)
    before = _nth(prev, -1)
    if form in ("claimed", "claiming"):
        return before not in _DETERMINERS
    # "claim" / "claims": verb or noun?
    if before in _SUBJECT_PRONOUNS:
        return True
    if form == "claim" and before == "to":
        return True  # "continued to claim that"
    if before in _CLAIM_NOUN_PREV or (prev and _possessive(prev[-1])):
        return False
    if prev and _DEMONYM_RE.match(prev[-1]):
        return False  # "Israeli claims", "Iranian claims"
    if first in _CLAIM_NOUN_NEXT or first == "" or (len(first) == 1 and not first.isalnum()):
        return False
    return True


def _believe_verb(text, start, end):
    nxt = _next_tokens(text, end, 2)
    first, second = _nth(nxt, 0), _nth(nxt, 1)
    if first in ("in", "me") or (first == "it" and second == "or"):
        return False
    prev = _prev_tokens(text, start, 2)
    p1, p2 = _nth(prev, -1), _nth(prev, -2)
    if p1 in ("can't", "can’t", "cannot", "couldn't", "couldn’t"):
        return False
    if p1 == "to" and p2 in ("hard", "difficult", "impossible"):
        return False
    return True


_THINK_NOT = frozenset("tank tanks tanker about of twice again back ahead through over up big outside".split())


def _think_verb(text, start, end):
    return _nth(_next_tokens(text, end, 1), 0) not in _THINK_NOT


_APPEAR_NOT_AFTER_TO = _DETERMINERS | frozenset("""
him them me us you reporters journalists supporters voters""".split())
_APPEAR_ADJ = frozenset("""
likely unlikely certain uncertain unclear increasingly poised set ready more
less""".split())


def _appear_hedge(text, start, end):
    nxt = _next_tokens(text, end, 2)
    first = _nth(nxt, 0)
    if first == "to" and len(nxt) > 1:
        second = nxt[1]
        return second.lower() not in _APPEAR_NOT_AFTER_TO and not second[:1].isupper()
    if first == "that" or first in _APPEAR_ADJ:
        return True
    if first == "as" and _nth(nxt, 1) in ("if", "though"):
        return True
    return _nth(_prev_tokens(text, start, 1), -1) in ("it", "there")


def _suggest_hedge(text, start, end):
    first = _nth(_next_tokens(text, end, 1), 0)
    if first in ("a", "an"):
        return False  # "suggested a four-day week": proposal
    if len(first) > 4 and first.endswith("ing"):
        return False  # "suggested postponing the vote": proposal
    return True


def _to_or_that_after(text, start, end):
    return _nth(_next_tokens(text, end, 1), 0) in ("to", "that")


def _that_after(text, start, end):
    return _nth(_next_tokens(text, end, 1), 0) == "that"


def _after_determiner(text, start, end):
    prev = _prev_tokens(text, start, 1)
    if not prev:
        return False
    nxt = _nth(_next_tokens(text, end, 1), 0)
    if not nxt or not nxt[0].isalnum():
        return False  # "it became apparent." / "the reported."
    return _nth(prev, -1) in _DETERMINERS or _possessive(prev[-1])


_NOT_A_NOUN = frozenset("of for to and or is was are were as in on at".split())


def _before_noun(text, start, end):
    nxt = _next_tokens(text, end, 1)
    tok = _nth(nxt, 0)
    return bool(tok) and tok[0].isalpha() and nxt[0][0].islower() and tok not in _NOT_A_NOUN


_PASSIVE_PREV = _BE | frozenset("also still now widely generally long once".split())


def _passive_report(text, start, end):
    tok = _nth(_prev_tokens(text, start, 1), -1)
    if tok.endswith("'s") or tok.endswith("’s"):
        return True  # "he's said to", contracted "is"
    return tok in _PASSIVE_PREV or (len(tok) > 3 and tok.endswith("ly"))


_POSSIBLE_NOT_PREV = frozenset("""
as if where wherever when whenever most best worst every all everything anything
not""".split())
_MAKE = frozenset("make makes made making".split())


def _possible_hedge(text, start, end):
    prev = _prev_tokens(text, start, 2)
    p1, p2 = _nth(prev, -1), _nth(prev, -2)
    if p1 in _POSSIBLE_NOT_PREV or (len(p1) > 4 and p1.endswith("est")):
        return False  # "as soon as possible", "the strongest possible terms"
    if p1 in _MAKE or p2 in _MAKE:
        return False  # "made it possible"
    return _nth(_next_tokens(text, end, 1), 0) != "to"  # "possible to travel": feasibility


_KIND_NOT_PREV = _DETERMINERS | frozenset("""
what which whatever any some every each no same one another new different
similar other first only all""".split())


def _kind_of(text, start, end):
    return _nth(_prev_tokens(text, start, 1), -1) not in _KIND_NOT_PREV


def _headline_tag(text, start, end):
    before = text[max(0, start - 4):start].rstrip(" \t\u00a0")
    if not before or before[-1] not in ":–—-":
        return False
    return bool(_LINE_END_RE.match(text, end))


_ACCORDING_NOT = frozenset("plan plans schedule script protocol".split())


def _according_to(text, start, end):
    nxt = _next_tokens(text, end, 2)
    first, second = _nth(nxt, 0), _nth(nxt, 1)
    return first not in _ACCORDING_NOT and not (first == "the" and second in _ACCORDING_NOT | {"rules", "law"})


def _vague_quantity(text, start, end):
    # "some critics", "many of his works", "in some cases"; not "some 300" (an
    # approximator) nor "some time"
    nxt = _next_tokens(text, end, 1)
    first = _nth(nxt, 0)
    if not first or _is_numeral(first) or first in ("time", "times"):
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
    nxt = _next_tokens(text, end, 5)
    if not nxt or _is_numeral(nxt[0]):
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
    prev = _prev_tokens(text, start, 1)
    before = _nth(prev, -1)
    if before in _DETERMINERS or (prev and _possessive(prev[-1])) or _is_numeral(before):
        return False
    return before not in _QUANTIFIERS  # "some historians": the quantifier is the cue


_CONSIDER_NEXT = frozenset("to as by the a an one among among amongst".split())


def _passive_or_as(text, start, end):
    # "is considered (to be / the / one of)", "widely regarded as"; not "he
    # considered resigning"
    if _passive_report(text, start, end):
        return True
    nxt = _nth(_next_tokens(text, end, 1), 0)
    prev = _nth(_prev_tokens(text, start, 1), -1)
    return prev not in _SUBJECT_PRONOUNS and nxt in ("as", "by")


_NOT_DOUBT_PREV = frozenset("no without beyond little".split())


def _not_no_doubt(text, start, end):
    return _nth(_prev_tokens(text, start, 1), -1) not in _NOT_DOUBT_PREV


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


# --------------------------------------------------------------------------
# lexicon loading and the compiled matcher
# --------------------------------------------------------------------------
def _normalise(cue: str) -> str:
    return _WS_RE.sub(" ", cue.strip().casefold())


def _trie_regex(cues: Iterable[str]) -> str:
    """One alternation over all cues, factored as a prefix tree.

    At every node the longer continuations come first and the end of a cue is
    tried last, so the regex prefers the longest cue at a position. A space in a
    cue matches any run of whitespace; every cue must end at a word boundary.
    """
    trie: dict = {}
    for cue in cues:
        node = trie
        for ch in cue:
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node) -> str:
        alts = []
        for ch in sorted(k for k in node if k):
            piece = r"\s+" if ch == " " else re.escape(ch)
            alts.append(piece + build(node[ch]))
        if "" in node:
            alts.append(r"(?!\w)")
        if len(alts) == 1:
            return alts[0]
        return "(?:" + "|".join(alts) + ")"

    return r"(?<!\w)" + build(trie)


ACCEPT_VALUES = ("", "model")


def _parse_lexicon(handle, where: str) -> tuple[LexiconEntry, ...]:
    reader = csv.DictReader(handle)
    fields = [f.strip() for f in (reader.fieldnames or [])]
    missing = [c for c in ("cue", "category") if c not in fields]
    if missing:
        raise ValueError(f"{where}: missing column(s) {', '.join(missing)} "
                         "(a hedge lexicon needs at least cue, category)")
    reader.fieldnames = fields
    entries, seen = [], {}
    for line, row in enumerate(reader, start=2):
        cue = _normalise(row.get("cue") or "")
        if not cue:
            continue
        category = (row.get("category") or "").strip()
        rule = (row.get("rule") or "").strip()
        accept = (row.get("accept") or "").strip()
        if category not in CATEGORIES:
            raise ValueError(f"{where}: line {line}: category {category!r} is not one of "
                             f"{', '.join(CATEGORIES)}")
        news_rule = (row.get("news_rule") or "").strip()
        for r in (rule, news_rule):
            if r and r not in RULES:
                raise ValueError(f"{where}: line {line}: unknown rule {r!r} "
                                 f"(known: {', '.join(sorted(RULES))})")
        if accept not in ACCEPT_VALUES:
            raise ValueError(f"{where}: line {line}: accept {accept!r} is not empty or 'model'")
        # A cue may be listed twice only in two categories told apart by their
        # rules ("some 300": approximator; "some critics": weasel).
        if (cue, category) in seen or (cue in {c for c, _ in seen} and not rule):
            first = seen.get((cue, category)) or min(v for (c, _), v in seen.items() if c == cue)
            raise ValueError(f"{where}: line {line}: cue {cue!r} already listed on line {first}")
        seen[(cue, category)] = line
        entries.append(LexiconEntry(cue, category, rule,
                                    (row.get("note") or "").strip(),
                                    (row.get("source") or "").strip(),
                                    accept,
                                    news_rule,
                                    (row.get("added") or "").strip()))
    if not entries:
        raise ValueError(f"{where}: the hedge lexicon has no entries")
    return tuple(entries)


def _build(entries: tuple[LexiconEntry, ...], where: str, rules=None) -> Lexicon:
    by_cue: dict = {}
    for e in entries:
        by_cue[e.cue] = by_cue.get(e.cue, ()) + (e,)
    pattern = re.compile(_trie_regex(by_cue), re.IGNORECASE)
    shorter = {}
    for cue in by_cue:
        prefixes = sorted((o for o in by_cue if cue.startswith(o + " ")), key=lambda o: -len(o))
        if prefixes:
            shorter[cue] = tuple((by_cue[o], re.compile(_trie_regex([o]), re.IGNORECASE))
                                 for o in prefixes)
    return Lexicon(entries, where, pattern, by_cue, shorter, rules)


def load_lexicon(path=None) -> Lexicon:
    """Load a hedge lexicon CSV (columns ``cue, category`` required; ``rule, note,
    source, accept`` and any statistics columns optional). Default: the packaged
    ``analysis/measures/hedging/hedges.csv``.

    ``rule`` names one of ``RULES`` (a context check); empty means "always a cue".
    ``accept`` = ``model`` sends each occurrence that passes the rule to the
    learned acceptance layer as well. Raises ValueError naming the file and line
    for a malformed lexicon.
    """
    if path is None:
        return _default_lexicon()
    path = Path(path)
    try:
        data = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ValueError(f"{path}: cannot read hedge lexicon ({exc.strerror})") from None
    return _build(_parse_lexicon(io.StringIO(data), str(path)), str(path))


def _packaged_entries() -> tuple[LexiconEntry, ...]:
    res = resources.files(__name__).joinpath("hedges.csv")
    data = res.read_text(encoding="utf-8-sig")
    return _parse_lexicon(io.StringIO(data), "analysis/measures/hedging/hedges.csv")


@lru_cache(maxsize=1)
def _default_lexicon() -> Lexicon:
    return _build(_packaged_entries(), "analysis/measures/hedging/hedges.csv")


@lru_cache(maxsize=1)
def legacy_lexicon() -> Lexicon:
    """The lexicon and rules as they were before the weasel category and the
    learned layer: the packaged rows whose ``added`` column is empty, with the
    original "might" check. Used by ``legacy_find_hedges``."""
    entries = tuple(e for e in _packaged_entries() if not e.added)
    return _build(entries, "analysis/measures/hedging/hedges.csv (legacy rows)", LEGACY_RULES)


# --------------------------------------------------------------------------
# the learned acceptance layer
# --------------------------------------------------------------------------
def _feature_token(tok: str) -> str:
    if not tok:
        return ""
    if _is_numeral(tok) and not tok.isalpha():
        return "<num>"
    return tok.lower()


def candidate_features(text: str, start: int, end: int, entry: LexiconEntry) -> dict:
    """The named features the acceptance layer sees for one cue occurrence:
    the cue, its category, the two tokens on either side (numbers as <num>,
    <s> / </s> at the edges) and their pairings with the cue."""
    prev = _prev_tokens(text, start, 2)
    nxt = _next_tokens(text, end, 2)
    p1 = _feature_token(prev[-1]) if prev else "<s>"
    p2 = _feature_token(prev[-2]) if len(prev) > 1 else "<s>"
    n1 = _feature_token(nxt[0]) if nxt else "</s>"
    n2 = _feature_token(nxt[1]) if len(nxt) > 1 else "</s>"
    cue, cat = entry.cue, entry.category
    return {"cat=" + cat: 1.0, "cue=" + cue: 1.0,
            "p1=" + p1: 1.0, "n1=" + n1: 1.0,
            "p2p1=" + p2 + " " + p1: 1.0, "n1n2=" + n1 + " " + n2: 1.0,
            "p1+cue=" + p1 + " " + cue: 1.0, "cue+n1=" + cue + " " + n1: 1.0,
            "cat+p1=" + cat + " " + p1: 1.0, "cat+n1=" + cat + " " + n1: 1.0}


@dataclass(frozen=True, eq=False)
class Acceptor:
    """A learned acceptance layer: a LinearModel over ``candidate_features`` and
    the probability threshold at or above which an occurrence is accepted."""

    model: object  # analysis.measures.linear.LinearModel
    threshold: float

    def score(self, text: str, start: int, end: int, entry: LexiconEntry) -> float:
        """Log-odds that the occurrence is a hedge, minus the threshold's log-odds."""
        model = self.model
        w, logit = model.weights, model.intercept[1] - model.intercept[0]
        for name in candidate_features(text, start, end, entry):
            ws = w.get(name)
            if ws is not None:
                logit += ws[1] - ws[0]
        return logit - self._cut

    def accepts(self, text: str, start: int, end: int, entry: LexiconEntry) -> bool:
        return self.score(text, start, end, entry) >= 0.0

    def explain(self, text: str, start: int, end: int, entry: LexiconEntry, k: int = 5):
        """The features that decided most, as (name, contribution) pairs."""
        feats = candidate_features(text, start, end, entry)
        return self.model.explain(feats, self.model.classes[1], k)

    @property
    def _cut(self) -> float:
        t = min(max(self.threshold, 1e-9), 1 - 1e-9)
        return math.log(t / (1 - t))


def acceptor_from_model(model) -> Acceptor:
    return Acceptor(model, float(model.meta.get("threshold", 0.5)))


@lru_cache(maxsize=1)
def load_acceptor() -> Acceptor:
    """The packaged acceptance layer (analysis/measures/hedging/model.json)."""
    from analysis.measures.linear import load_model

    return acceptor_from_model(load_model(MODEL_NAME))


# --------------------------------------------------------------------------
# the finder
# --------------------------------------------------------------------------
def _in_compound(text: str, start: int, end: int) -> bool:
    """True when the match is glued to a hyphenated compound ('make-believe', 'about-face')."""
    if start >= 2 and text[start - 1] == "-" and text[start - 2].isalnum():
        return True
    return end + 1 < len(text) and text[end] == "-" and text[end + 1].isalpha()


def _scan(text: str, lexicon: Lexicon, acceptor, collect=None, every=False) -> list[Hedge]:
    """The one pass behind ``find_hedges`` and ``uncertainty_cues``. ``acceptor``
    None: the rules alone decide. ``every``: every cue that passes its rule goes
    to the learned layer, not only those marked ``accept=model``. ``collect``: a
    list that receives (start, end, entry) for every occurrence that passed its
    rule and is sent to the learned layer."""
    rules = lexicon.rules or RULES
    search, by_cue, shorter = lexicon.pattern.search, lexicon.by_cue, lexicon.shorter

    def accept(start, end, entries):
        if _in_compound(text, start, end):
            return None
        for entry in entries:
            if entry.rule and not rules[entry.rule](text, start, end):
                continue
            if entry.news_rule and not every and not rules[entry.news_rule](text, start, end):
                continue
            if every or entry.accept == "model":
                if collect is not None:
                    collect.append((start, end, entry))
                if acceptor is not None and not acceptor.accepts(text, start, end, entry):
                    continue
            return entry
        return None

    out: list[Hedge] = []
    pos, n = 0, len(text)
    while pos < n:
        m = search(text, pos)
        if m is None:
            break
        start, end = m.span()
        key = _normalise(m.group())
        entries = by_cue.get(key)
        if entries is None:  # a case-insensitive match on an exotic case variant (e.g. long s)
            pos = start + 1
            continue
        entry = accept(start, end, entries)
        if entry is not None:
            out.append(Hedge(text[start:end], entry.category, start, end))
            pos = end
            continue
        for short, short_re in shorter.get(key, ()):
            sm = short_re.match(text, start)
            if sm:
                entry = accept(start, sm.end(), short)
                if entry is not None:
                    out.append(Hedge(text[start:sm.end()], entry.category, start, sm.end()))
                    pos = sm.end()
                    break
        else:
            pos = start + 1
    return out


def find_hedges(text: str, lexicon=None, acceptor=None) -> list[Hedge]:
    """All hedge cues in ``text``, sorted by start and non-overlapping.

    ``lexicon``: a ``Lexicon`` from ``load_lexicon``, a path to a lexicon CSV, or
    None for the packaged lexicon. ``acceptor``: the learned layer that decides
    the occurrences of cues marked ``accept=model``; None uses the packaged one
    (analysis/measures/hedging/model.json), False turns it off (such cues then count
    whenever their rule passes). At each position the longest cue that is
    accepted wins; ``text[h.start:h.end] == h.cue`` for every result.
    """
    if not text:
        return []
    lexicon, acceptor = _resolve(lexicon, acceptor)
    return _scan(text, lexicon, acceptor)


def _resolve(lexicon, acceptor):
    """The lexicon and learned layer to use: None means the packaged ones, a path a lexicon
    CSV, ``acceptor=False`` no layer."""
    if lexicon is None:
        lexicon = _default_lexicon()
    elif not isinstance(lexicon, Lexicon):
        lexicon = load_lexicon(lexicon)
    if acceptor is None:
        acceptor = load_acceptor()
    elif acceptor is False:
        acceptor = None
    return lexicon, acceptor


def uncertainty_cues(text: str, lexicon=None, acceptor=None) -> list[Hedge]:
    """The cues that make a sentence uncertain in the sense of CoNLL-2010
    (hedges and weasel words): the same lexicon, rules and pass as
    ``find_hedges``, but the learned layer decides every occurrence, of every
    category. It rejects most approximators ("about 300") and many root-modal
    "may" ("users may download"), which the news measure keeps."""
    if not text:
        return []
    lexicon, acceptor = _resolve(lexicon, acceptor)
    return _scan(text, lexicon, acceptor, every=True)


def hedged_sentence(text: str, lexicon=None, acceptor=None) -> bool:
    """True when ``uncertainty_cues`` finds at least one cue: the sentence-level
    decision scored on the CoNLL-2010 uncertainty labels."""
    return bool(uncertainty_cues(text, lexicon, acceptor))


def candidates(text: str, lexicon=None) -> list[tuple[int, int, LexiconEntry]]:
    """The occurrences the learned layer is asked about: (start, end, entry) for
    each cue occurrence that passes its rule, from the pass of
    ``uncertainty_cues`` with the layer accepting everything. Training uses these."""
    if lexicon is None:
        lexicon = _default_lexicon()
    out: list = []
    _scan(text or "", lexicon, None, out, every=True)
    return out


def legacy_find_hedges(text: str) -> list[Hedge]:
    """The method before the weasel category and the learned layer (the original
    137 cues and rules), kept so the external evaluation can score it."""
    if not text:
        return []
    return _scan(text, legacy_lexicon(), None)


# --------------------------------------------------------------------------
# validation against the hand-labelled gold set
# --------------------------------------------------------------------------
BASELINE_WORDS = ("may", "might", "could", "reportedly", "allegedly", "according to",
                  "about", "nearly", "some", "appear", "seem", "suggest", "likely",
                  "possibly", "unclear", "believe")
_BASELINE_RE = re.compile(r"\b(?:" + "|".join(w.replace(" ", r"\s+") for w in BASELINE_WORDS) + r")\b",
                          re.IGNORECASE)


def naive_hedges(text: str) -> list[Hedge]:
    """The comparison baseline: a plain case-insensitive regex over bare words
    (``BASELINE_WORDS``), no context checks, no inflections. Category is empty."""
    return [Hedge(m.group(), "", m.start(), m.end()) for m in _BASELINE_RE.finditer(text)]


HELD_OUT_PREFIX = "h-"  # gold sentence ids of the held-out part


def load_gold(path=None) -> list[dict]:
    """Gold sentences: dicts with sentence_id, source, text and ``cues``, a list
    of Hedge with offsets into the sentence text (located in order of occurrence)."""
    if path is None:
        res = resources.files("analysis.validation").joinpath("gold", "hedges_gold.csv")
        data, where = res.read_text(encoding="utf-8"), "analysis/validation/gold/hedges_gold.csv"
    else:
        data, where = Path(path).read_text(encoding="utf-8"), str(path)
    rows = []
    for line, row in enumerate(csv.DictReader(io.StringIO(data)), start=2):
        text, pos, cues = row["text"], 0, []
        for item in filter(None, (row.get("cues") or "").split(";")):
            cue, _, category = item.rpartition("|")
            i = text.find(cue, pos)
            if i < 0 or category not in CATEGORIES:
                raise ValueError(f"{where}: line {line}: cannot place cue {item!r} in the sentence")
            cues.append(Hedge(cue, category, i, i + len(cue)))
            pos = i + len(cue)
        rows.append({"sentence_id": row["sentence_id"], "source": row["source"],
                     "text": text, "cues": cues})
    return rows


def _match(gold: list[Hedge], pred: list[Hedge], *, category: bool, exact: bool) -> int:
    """Number of one-to-one matches: spans overlap (or are identical when
    ``exact``), and categories agree when ``category``."""
    used, tp = set(), 0
    for g in gold:
        for j, p in enumerate(pred):
            if j in used:
                continue
            same_span = (p.start, p.end) == (g.start, g.end)
            overlap = p.start < g.end and g.start < p.end
            if (same_span if exact else overlap) and (not category or p.category == g.category):
                used.add(j)
                tp += 1
                break
    return tp


def _prf(tp: int, n_pred: int, n_gold: int) -> dict:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "tp": tp,
            "fp": n_pred - tp, "fn": n_gold - tp}


def cohen_kappa(a: list[bool], b: list[bool]) -> float:
    """Cohen's kappa for two yes/no labellings of the same items."""
    n = len(a)
    if n == 0:
        return float("nan")
    po = sum(x == y for x, y in zip(a, b)) / n
    pa, pb = sum(a) / n, sum(b) / n
    pe = pa * pb + (1 - pa) * (1 - pb)
    return 1.0 if pe == 1 else (po - pe) / (1 - pe)


def _score(rows, finder, *, category: bool, exact: bool) -> dict:
    tp = n_pred = n_gold = 0
    gold_yes, pred_yes = [], []
    for row in rows:
        pred = finder(row["text"])
        tp += _match(row["cues"], pred, category=category, exact=exact)
        n_pred += len(pred)
        n_gold += len(row["cues"])
        gold_yes.append(bool(row["cues"]))
        pred_yes.append(bool(pred))
    out = _prf(tp, n_pred, n_gold)
    out["sentence_agreement"] = sum(g == p for g, p in zip(gold_yes, pred_yes)) / max(1, len(rows))
    out["sentence_kappa"] = cohen_kappa(gold_yes, pred_yes)
    return out


def evaluate_against_gold(path=None, lexicon=None, acceptor=None) -> dict:
    """Score ``find_hedges`` and the naive baseline against the gold set.

    Cue-level matching is one-to-one within a sentence. The headline figures
    (``method``, ``baseline``) count a prediction as correct when its span
    overlaps a gold cue, whatever the category (the baseline has none).
    ``method_strict`` also requires the exact span and the same category.
    ``by_source`` splits the figures into the seed-article sentences
    (``articles``), the constructed sentences written to exercise the ambiguous
    words (``constructed``) and the held-out constructed sentences (ids starting
    ``h-``), which were written and labelled after the rules were frozen and
    never used to change them (``held_out``); ``by_category`` gives the method's strict figures
    per category. Sentence level: ``sentence_agreement`` and ``sentence_kappa``
    (Cohen's kappa) on "has at least one hedge".
    """
    rows = load_gold(path)

    def method(text):
        return find_hedges(text, lexicon, acceptor)

    result = {
        "n_sentences": len(rows),
        "n_gold_cues": sum(len(r["cues"]) for r in rows),
        "method": _score(rows, method, category=False, exact=False),
        "method_strict": _score(rows, method, category=True, exact=True),
        "baseline": _score(rows, naive_hedges, category=False, exact=False),
        "by_source": {},
        "by_category": {},
    }
    splits = {"articles": [r for r in rows if r["source"] != "constructed"],
              "constructed": [r for r in rows if r["source"] == "constructed"
                              and not r["sentence_id"].startswith(HELD_OUT_PREFIX)],
              "held_out": [r for r in rows if r["source"] == "constructed"
                           and r["sentence_id"].startswith(HELD_OUT_PREFIX)]}
    for name, subset in splits.items():
        result["by_source"][name] = {
            "n_sentences": len(subset),
            "n_gold_cues": sum(len(r["cues"]) for r in subset),
            "method": _score(subset, method, category=False, exact=False),
            "baseline": _score(subset, naive_hedges, category=False, exact=False)}
    for cat in CATEGORIES:
        sub = [{**r, "cues": [c for c in r["cues"] if c.category == cat]} for r in rows]

        def only(text, cat=cat):
            return [h for h in find_hedges(text, lexicon, acceptor) if h.category == cat]

        result["by_category"][cat] = _score(sub, only, category=True, exact=True)
    return result


def annotator_agreement(pass2_path=None, gold_path=None) -> dict:
    """Agreement between the gold labels and an independent second annotation pass.

    The second pass (``analysis/validation/gold/hedges_pass2.csv``: sentence_id, cues) was
    made from the guideline alone, without seeing the first labels or the
    method, on a random sample of the gold sentences. Returns cue-level
    precision/recall/F1 of pass 2 against pass 1 (overlapping spans; ``strict``:
    exact span and category), sentence-level agreement and Cohen's kappa on
    "has at least one hedge", and the method's F1 on the same sentences against
    each pass, so the method can be read against the human ceiling.
    """
    gold = {r["sentence_id"]: r for r in load_gold(gold_path)}
    if pass2_path is None:
        res = resources.files("analysis.validation").joinpath("gold", "hedges_pass2.csv")
        data = res.read_text(encoding="utf-8")
    else:
        data = Path(pass2_path).read_text(encoding="utf-8")
    second = []
    for row in csv.DictReader(io.StringIO(data)):
        first = gold[row["sentence_id"]]
        text, pos, cues = first["text"], 0, []
        for item in filter(None, (row.get("cues") or "").split(";")):
            cue, _, category = item.rpartition("|")
            i = text.find(cue, pos)
            if i < 0:
                i = text.lower().find(cue.lower(), pos)
            if i < 0:
                raise ValueError(f"hedges_pass2.csv: {row['sentence_id']}: cannot place cue {item!r}")
            cues.append(Hedge(text[i:i + len(cue)], category, i, i + len(cue)))
            pos = i + len(cue)
        second.append({**first, "cues": cues})
    pass1 = [gold[r["sentence_id"]] for r in second]
    by_id = {r["sentence_id"]: r["cues"] for r in second}

    def as_pass2(text, _index={r["text"]: r["sentence_id"] for r in second}):
        return by_id[_index[text]]

    return {
        "n_sentences": len(second),
        "pass2_vs_pass1": _score(pass1, as_pass2, category=False, exact=False),
        "pass2_vs_pass1_strict": _score(pass1, as_pass2, category=True, exact=True),
        "method_vs_pass1": _score(pass1, find_hedges, category=False, exact=False),
        "method_vs_pass2": _score(second, find_hedges, category=False, exact=False),
        "baseline_vs_pass2": _score(second, naive_hedges, category=False, exact=False),
    }
