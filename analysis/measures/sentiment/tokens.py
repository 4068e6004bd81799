"""What one whitespace-separated chunk of a sentence says on its own (``Chunk``)."""
from __future__ import annotations

from dataclasses import dataclass, replace

from analysis.measures.sentiment.vader_port import BOOSTER_DICT, IDIOM_WORDS, MODIFIERS, NEGATE, negated_word
from analysis.measures.sentiment.words import (AGENT_PREPS, BE, BEFORE_BE, CLOSE_QUOTES, CONTRAST, COORD,
                                               DASH_CHARS, DASHES, DETERMINERS, FUNCTION, IRREALIS,
                                               IRREGULAR_PARTICIPLES, OPEN_QUOTES, PAUSE_CHARS, PREPOSITIONAL,
                                               PREPS, PUNCT, RELATIVE, SENTENCE_CHARS, STOP_CHARS, SUBORD)


@dataclass(frozen=True, slots=True, eq=False)
class Chunk:
    """What one whitespace-separated chunk says on its own, in any sentence.

    Computed once per distinct chunk and kept in a ``speed.ChunkCache`` (a per-word
    cache: the sentence around it still is analysed every time). A slotted class,
    as the per-sentence and per-target code reads these attributes very often;
    compared by identity (equal chunks are one object).
    """

    word: str  # punctuation stripped (the chunk itself when nothing is left)
    low: str
    lead: str  # punctuation stripped from the front
    trail: str  # punctuation stripped from the back
    cap: bool  # first letter upper case
    poss: bool  # possessive ("Iran's", "allies'")
    upper: bool  # word.isupper() (VADER's ALL CAPS emphasis)
    shouted: bool  # ALL CAPS and longer than two letters: emphasis, not a proper name
    long_alpha: bool  # starts with a letter and is longer than three characters (title case test)
    long_cap: bool  # long_alpha and capitalised
    vader_word: bool  # in the lexicon and not a booster: VADER gives it a valence
    vader_plain: bool  # no VADER rule looks at the word itself: not "no"/"kind", not in an idiom
    vader_modifier: bool  # VADER's rules change the valence of a word after it (booster, negation, ...)
    idiom_word: bool  # a word of one of VADER's multi-word idioms or boosters
    vader_negation: bool  # VADER's negation word test ("not", "never", "didn't")
    negator: bool  # negates a following act word: VADER's negations and "no"
    irrealis_cue: bool  # makes a following act word hypothetical or negated (IRREALIS, negations)
    irrealis_mark: bool  # irrealis_cue, scope_prep or "to": syntax.is_irrealis looks at it
    role: str  # role in the news lexicon, "" if none
    opener: bool  # contrastive conjunction or subordinator: may open a clause
    prepositional: bool  # "after", "before", ... : a preposition when a noun phrase follows
    relative: bool  # relative pronoun
    coord: bool  # and / or / nor / &
    determiner: bool
    prep: bool  # preposition
    be: bool  # a form of "be" or "get" (BE)
    before_be: bool  # has / have / had or a modal: comes before "be" in "has been", "will be"
    agent_prep: bool  # "by" / "from": may introduce an act's agent
    of: bool  # the word "of"
    scope_prep: bool  # a preposition other than of / from / to: an act word after it is outside a verb's scope
    function: bool  # function word (FUNCTION)
    adjectival: bool  # demonym-like ("Iranian"), see adjectival
    np_start: bool  # a determiner or a number (starts a noun phrase)
    participle: bool  # ends in -ed/-ing or an irregular participle ("struck")
    third_person: bool  # ends in -s but not -ss ("condemns")
    dash: bool  # the chunk is a dash
    lead_paren: bool  # "(" in front
    trail_stop: bool  # ; : . ! ? … ) after the word
    trail_dash: bool  # en or em dash after the word
    trail_comma: bool
    trail_pause: bool  # , ; or : after the word
    trail_sentence: bool  # . ! ? : … after the word
    opens_quote: bool  # “ " « in front
    opens_single: bool  # ‘ in front
    closes_quote: bool  # ” " » after the word
    trail_apostrophe: bool  # ’ after the word (closes a single quotation)
    marked: bool  # may change the clause or quotation state: opener, dash, bracket, quotation mark
    break_after: bool  # punctuation or a dash after it that may end a clause
    title_word: bool  # capitalised, with a role or a VADER valence: Title Case decides if it is a name
    inert: bool  # none of upper, vader_word, role, negator, marked, break_after (see sentence.analyse)


def make_chunk(raw: str, lexicon, roles) -> Chunk:
    """The word-level facts of one chunk (see ``Chunk``); ``lexicon``: VADER's, with the news
    lexicon merged in; ``roles``: the news lexicon's roles."""
    word = raw.strip(PUNCT)
    if not word:
        word, lead, trail = raw, "", ""  # an emoticon or a lone mark stays as it is
    else:
        i = raw.find(word)
        lead, trail = raw[:i], raw[i + len(word):]
    low = word.lower()
    cap = word[:1].isupper()
    poss = low.endswith(("'s", "’s")) or (trail[:1] in ("'", "’") and low.endswith("s"))
    role = roles.get(low, "")
    opener = low in CONTRAST or low in SUBORD
    dash = word in DASHES
    opens_quote, opens_single = not OPEN_QUOTES.isdisjoint(lead), "‘" in lead
    closes_quote, trail_apostrophe = not CLOSE_QUOTES.isdisjoint(trail), "’" in trail
    trail_stop, trail_dash = not STOP_CHARS.isdisjoint(trail), not DASH_CHARS.isdisjoint(trail)
    long_alpha = word[:1].isalpha() and len(word) > 3
    upper = word.isupper()
    vader_word = low in lexicon and low not in BOOSTER_DICT
    negator = low in NEGATE or "n't" in low or low == "no"
    marked = opener or dash or "(" in lead or opens_quote or opens_single or closes_quote or trail_apostrophe
    break_after = trail_stop or trail_dash or dash or "," in trail
    irrealis_cue = low in IRREALIS or low in NEGATE or "n't" in low
    scope_prep = low in PREPS and low not in ("of", "from", "to")
    chunk = Chunk(
        word=word, low=low, lead=lead, trail=trail, cap=cap, poss=poss,
        upper=upper,
        shouted=upper and len(word) > 2,
        long_alpha=long_alpha,
        long_cap=long_alpha and word[0].isupper(),
        vader_word=vader_word,
        vader_plain=low not in ("no", "kind") and low not in IDIOM_WORDS,
        vader_modifier=low in MODIFIERS or negated_word(low),
        idiom_word=low in IDIOM_WORDS,
        vader_negation=negated_word(low),
        negator=negator,
        irrealis_cue=irrealis_cue,
        irrealis_mark=irrealis_cue or scope_prep or low == "to",
        role=role,
        opener=opener,
        prepositional=low in PREPOSITIONAL,
        relative=low in RELATIVE,
        coord=low in COORD,
        determiner=low in DETERMINERS,
        prep=low in PREPS,
        be=low in BE,
        before_be=low in BEFORE_BE,
        agent_prep=low in AGENT_PREPS,
        of=low == "of",
        scope_prep=scope_prep,
        function=low in FUNCTION,
        adjectival=adjectival(word),
        participle=low.endswith(("ed", "ing")) or low in IRREGULAR_PARTICIPLES,
        third_person=low.endswith("s") and not low.endswith("ss"),
        np_start=low in DETERMINERS or low[:1].isdigit(),
        dash=dash,
        lead_paren="(" in lead,
        trail_stop=trail_stop,
        trail_dash=trail_dash,
        trail_comma="," in trail,
        trail_pause=not PAUSE_CHARS.isdisjoint(trail),
        trail_sentence=not SENTENCE_CHARS.isdisjoint(trail),
        opens_quote=opens_quote,
        opens_single=opens_single,
        closes_quote=closes_quote,
        trail_apostrophe=trail_apostrophe,
        marked=marked,
        break_after=break_after,
        title_word=cap and bool(role or vader_word),
        inert=not (upper or vader_word or role or negator or marked or break_after),
    )
    return chunk


def adjectival(word) -> bool:
    """Demonym-like words modify the noun that follows ("Iranian drones", "Israeli strike")."""
    low = word.lower()
    return low.endswith(("ian", "ean", "ese", "ish", "ic", "i", "an")) and not low.endswith("stan")


def unstop_abbreviation(chunk: Chunk, abbrev) -> Chunk:
    """``chunk``, or when it is an abbreviation ("Mr.", "U.S.", "Dr."; ``abbrev``: the known ones,
    lower case) with a period after it, the same chunk without a clause or sentence end."""
    if chunk.trail == "." and (chunk.low in abbrev or "." in chunk.word
                               or (len(chunk.word) == 1 and chunk.cap)):
        break_after = chunk.trail_dash or chunk.dash or chunk.trail_comma
        chunk = replace(chunk, trail_stop=False, trail_sentence=False, break_after=break_after,
                        inert=not (chunk.upper or chunk.vader_word or chunk.role or chunk.negator
                                   or chunk.marked or break_after))
    return chunk
