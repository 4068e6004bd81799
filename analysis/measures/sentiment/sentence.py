"""A sentence analysed once for all its targets (``Sentence``): word valences, clauses, quotation,
and what its role words are (a verb here, a hypothetical act)."""
from __future__ import annotations

from dataclasses import dataclass
from operator import attrgetter

from analysis.measures.sentiment.clauses import mark_clauses
from analysis.measures.sentiment.syntax import is_irrealis, is_verbal
from analysis.measures.sentiment.vader_port import IDIOMS, vader_valence

_LONG_ALPHA = attrgetter("long_alpha")
_LONG_CAP = attrgetter("long_cap")
_ACT_ROLES = frozenset({"harm", "defeat", "protect"})  # act words: see Sentence.irrealis
_TAKING_ROLES = frozenset({"judge", "attitude", "speech", "address", "defeat", "protect"})  # see find_blocker


@dataclass(slots=True, eq=False)
class Sentence:
    """An analysed sentence: its tokens (shared ``Chunk`` objects) and, per token, the
    facts that depend on the sentence (lists indexed like ``toks``)."""

    text: str
    toks: list  # Chunk of each whitespace-separated token
    clause: list  # clause number
    valence: list  # word valence in this sentence (0.0 for names, negated acts, ...)
    negated: list  # an act or evaluation word negated by one of the three words before it
    quoted: list  # inside quotation marks
    title_case: bool  # worked out only when it matters (see analyse), else False
    has_quote: bool
    valued: tuple  # indices of the tokens with a non-zero valence, in order
    changes: list  # indices of the tokens whose clause differs from the previous token's
    spaced: bool  # the text is its tokens joined by single spaces
    takers: list  # indices of the tokens with a role that can take a later word into its object
    verbal: list  # a role word used as a verb (syntax.is_verbal); False for a word without a role
    irrealis: list  # an act word (harm, defeat, protect) negated or hypothetical (syntax.is_irrealis)

    def tokens_at(self, a: int, b: int) -> tuple[int, int]:
        """(first token ending after ``a``, last token starting before ``b``), character offsets.

        Tokens are the whitespace-separated chunks (``str.split``), so the tokens
        starting before an offset are the chunks of the text before it. In a
        ``spaced`` text the k-th space follows token k: the tokens ending before an
        offset are the spaces before it, and the tokens starting before it are one
        more than the spaces before its last character.
        """
        text = self.text
        if self.spaced:
            spaces = text.count(" ", 0, a)  # the tokens ending before a
            t0 = spaces + 1 if a > 0 and text[a - 1] != " " and (a == len(text) or text[a] == " ") \
                else spaces  # and one more if a token ends at a
            if b > a:  # the spaces before b - 1: those before a and those from a on
                return t0, spaces + text.count(" ", a, b - 1)
            return t0, (text.count(" ", 0, b - 1) if b > 0 else -1)
        t0 = len(text[:a].split())
        if 0 < a < len(text) and not text[a].isspace() and not text[a - 1].isspace():
            t0 -= 1
        return t0, len(text[:b].split()) - 1


def analyse(sent: str, raws: list, toks: list, lexicon, vow) -> Sentence:
    """``sent`` analysed: its tokens with their valences, roles, clauses and quotation state.

    ``raws``: ``sent.split()``; ``toks``: their ``Chunk`` facts; ``lexicon``: VADER's with the
    news lexicon merged in; ``vow``: the news lexicon's vow words.
    """
    n = len(raws)
    # One pass gathers what the steps below look for; most tokens are ``inert``.
    caps = 0  # ALL CAPS tokens
    scored, roles, negators, events = [], [], [], []  # see word_valences, mark_clauses
    title_words = False  # a capitalised word with a role or valence
    after_break = False  # the token before has ``break_after``
    for i, c in enumerate(toks):
        if c.inert:
            if after_break:
                events.append(i)
                after_break = False
            continue
        if c.upper:
            caps += 1
        if c.vader_word:
            scored.append(i)
        if c.role:
            roles.append(i)
        if c.negator:
            negators.append(i)
        if c.title_word:
            title_words = True
        if c.marked or after_break:
            events.append(i)  # may change the clause or quotation state
        after_break = c.break_after
    # Title Case headline: at least 70% of two or more long words are capitalised. It only
    # changes how capitalised words with a role or valence are read, so it is worked out
    # when there are such words (and is False otherwise).
    if title_words:
        n_long = sum(map(_LONG_ALPHA, toks))
        title_case = n_long >= 2 and sum(map(_LONG_CAP, toks)) >= 0.7 * n_long
    else:
        title_case = False
    # an act or evaluation word is negated by a negation among the three words before it
    negated = [False] * n
    if roles:
        for k in negators:
            for i in range(k + 1, min(k + 4, n)):
                if toks[i].role:
                    negated[i] = True
    valence, valued = word_valences(toks, title_case, negated, scored, caps, lexicon)
    clause, changes, quoted, has_quote = mark_clauses(toks, events)
    # what every target of the sentence asks about its role words: is each a verb here,
    # is an act hypothetical, which can take a later word into its object (find_blocker)
    verbal = [False] * n
    irrealis = [False] * n
    takers = []
    for i in roles:
        verbal[i] = is_verbal(toks, i)
        role = toks[i].role
        if role in _ACT_ROLES:
            irrealis[i] = is_irrealis(toks, clause, negated, i, vow)
        if role in _TAKING_ROLES:
            takers.append(i)
    return Sentence(sent, toks, clause, valence, negated, quoted, title_case, has_quote, valued, changes,
                     " ".join(raws) == sent, takers, verbal, irrealis)


def word_valences(toks, title_case, negated, scored, caps, lexicon) -> tuple[list[float], tuple]:
    """Each token's valence, and the indices of the tokens whose valence is not 0.

    VADER's word valence, except: proper names carry no sentiment (a capitalised
    word not after a sentence end; not in Title Case headlines; ALL CAPS is
    emphasis), and a negated act or evaluation word has none (guideline rule 5).
    ``scored``: the indices of the ``vader_word`` tokens, in order; ``caps``: how
    many tokens are ALL CAPS; ``lexicon``: VADER's with the news lexicon merged in.
    """
    n = len(toks)
    valence = [0.0] * n
    if not scored:
        return valence, ()
    cap_diff = 0 < n - caps < n
    valued = []
    for i in scored:
        c = toks[i]
        if c.vader_plain and not (c.upper and cap_diff) \
                and not (i > 1 and toks[i - 2].idiom_word
                         and (toks[i - 1].idiom_word or (i > 2 and toks[i - 3].idiom_word))
                         and idiom_before(toks, i)) \
                and not (i > 0 and toks[i - 1].vader_modifier) and not (i > 1 and toks[i - 2].vader_modifier) \
                and not (i > 2 and toks[i - 3].vader_modifier):
            # no rule of VADER's applies: the shortcut of vader_valence, with its idiom test
            # narrowed to the idioms that can be there (idiom_before)
            v = lexicon[c.low]
        else:
            # VADER's rules read words i - 3 .. i + 2 only (and whether words i + 1 and
            # i + 2 exist): they are given the word lists of that window
            lo = i - 3 if i > 3 else 0
            window = toks[lo:i + 3]
            v = vader_valence(i - lo, [t.low for t in window], [t.upper for t in window],
                               [t.vader_negation for t in window], cap_diff, lexicon)
        if c.cap and i > 0 and not title_case and not c.lead and v and not c.shouted:
            if not toks[i - 1].trail_sentence:
                v = 0.0
        if negated[i]:
            v = 0.0
        if v:
            valence[i] = v
            valued.append(i)
    return valence, tuple(valued)


def idiom_before(toks, i) -> bool:
    """Can VADER's idiom rule change the valence of word ``i``, not an idiom word itself?

    That rule (``vader_port._idioms_check``) is applied from the fourth word on, and then,
    as no idiom holds word ``i``, only an idiom or multi-word booster among
    words i - 3 .. i - 1 changes the valence.
    """
    if i < 3:
        return False
    w3, w2, w1 = toks[i - 3].low, toks[i - 2].low, toks[i - 1].low
    idioms = IDIOMS
    return (w2, w1) in idioms or (w3, w2, w1) in idioms or (w3, w2) in idioms
