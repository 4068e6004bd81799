"""Targeted sentiment: the attitude a sentence expresses toward one actor mention.

``sentiment_toward(text, start, end)`` scores the target ``text[start:end]`` in
[-1, 1]; ``|v| < 0.05`` reads as neutral (VADER's convention) and ``label(v)``
gives the class. ``sentence_sentiment(text)`` is plain VADER on the whole
sentence, the baseline. ``Scorer.sentiment_towards(sentence, spans)`` scores
several mentions of one sentence; ``Scorer.explain_towards(sentence, spans, k)``
lists, per mention, the features and words that decided it.

Current method (``Scorer``; docs/actors-sentiment.md)
----------------------------------------------------
The sentence is analysed by the rules below (VADER valences with the news
lexicon, clauses, quotation, roles, the target's grammatical position). Every
word with a valence becomes evidence labelled by its relation to the target
(own noun phrase, premodifier, predicate, passive participle, governing
evaluation verb, rest of the clause, other clause; nearer to the target or to
another name; distance), and with role cues, the words around the target and
the sentence's words it is the input of a multinomial logistic regression (``analysis/measures/sentiment/model.json``,
trained on NewsMTSC by ``analysis.validation.sentiment_external.train``; the
features are in ``analysis/sentiment_features.py``). The analysis adds: periods
after abbreviations ("Mr.", "U.S.") do not end clauses; curly apostrophes in
negations ("didn’t") negate; "unable/failed/declined/refused to" reverse the
next words; "like" as a preposition and "well" in "as well" carry no valence.

Value: the decided class is the most probable one. Positive: ``max(0.05,
P(pos) - P(neg))``; negative: ``min(-0.05, P(pos) - P(neg))``; neutral:
``0.049 * (P(pos) - P(neg))``, strictly inside (-0.05, 0.05). So ``label(value)``
is always the decided class, and the value grows with P(pos) - P(neg).

Legacy rules (``LegacyScorer``, ``legacy_sentiment_toward``)
-------------------------------------------------------------
The previous release's method, kept unchanged for comparison; its sentence
analysis is what the features are read from.

Built on VADER (Hutto & Gilbert 2014, MIT licence): one
``SentimentIntensityAnalyzer`` is created, and the news lexicon
``analysis/measures/sentiment/vader_news.csv`` (token, valence, reason, role) is merged into its
lexicon. Word valences follow VADER's own rules (negation, boosters, ALL CAPS,
"no", "least", idioms) over the whitespace tokens of the sentence. Then:

1. Proper names carry no sentiment: a capitalised word that is not the first
   word of the sentence ("United States", "Iron Dome", "Security Council") gets
   valence 0, except in Title Case headlines and ALL-CAPS emphasis.
2. The sentence is cut into clauses at contrastive conjunctions (but, while,
   whereas, although, though, yet, however), subordinators and relative
   pronouns (that, which, who, when, after, because, if, ...), semicolons,
   colons, dashes, brackets and sentence-final punctuation inside the text; a
   relative clause opened by ", which" / ", who" ends at the next comma.
3. The target's position in its clause decides which words speak about it:
   - *subject* (nothing but determiners, capitalised words or an introductory
     phrase before it in its clause): the rest of the clause is its predicate,
     but stops at an evaluation or speech verb (the subject is then the
     evaluator, and what it says is about others);
   - *possessor or modifier* ("Iran's brazen attack", "an Israeli airstrike"):
     its noun phrase is its own;
   - *object of an evaluation verb* ("praised Israel's ...", "condemned Iran"):
     the verb's valence and the rest of the evaluated phrase;
   - *benefactive* ("a win for Iran"): the word before "for"/"to";
   - anything else (victim, addressee, place): only its own noun phrase.
   Another clause adds the MEAN of its plain word valences (act and evaluation
   words never cross clauses) with weight 0.05, halved per further clause; the
   weight was chosen on the development half of the constructed gold items
   (0, 0.05, 0.1, 0.15 and 0.25 tried: more weight, more errors).
   Two quotation rules: "“...,” X said of <target>" gives the target the
   quotation's words; in "“... you ...,” X told <target>" the clauses with
   "you"/"your" speak about the addressee. A clause after "but"/"and" without a
   subject of its own ("... but was later sent off") continues the target's
   clause when the target is its subject; after "but" it weighs 1.5 and the
   target's own clause 0.5 (VADER's "but" rule).
4. Roles from the news lexicon (column ``role``) fix what an act word means for
   the target: ``harm`` (attack, kill, invade) is negative for its agent and
   nothing for its victim; ``defeat`` (intercept, thwart, beat) positive for the
   agent and negative for what is defeated; ``protect`` (defend, help, support)
   positive for the agent, nothing for the beneficiary; ``judge`` (praise,
   condemn) and ``attitude`` (believe, fear) carry their valence to the object
   only; ``speech`` and ``address`` (said, told) mark a source; ``vow`` (promised,
   vowed) keeps a following infinitive real. The agent of an act word is an
   explicit possessor or capitalised modifier before it, or the phrase after
   "by"/"from" (and "of" for protect words), else the clause subject. A passive
   subject ("was shelled") is the act's object. Act words that are negated or
   hypothetical (could, may, should, must, any, planned, infinitive "to" not after
   a vow verb) count for nothing: not attacking is not a good deed (guideline
   rule 5); a negated evaluation verb likewise ("did not condemn" = neutral).
5. Normalisation: the weighted sum of valences in scope is mapped with VADER's
   ``x / sqrt(x^2 + 15)``. Only the target's own scope is summed and other
   clauses add a bounded mean, so a long sentence does not push the score toward
   the extremes the way VADER's compound on the whole sentence does (VADER's
   punctuation emphasis, "!" and "??", is not applied).

Speed: what a word says on its own (lowercased form, punctuation, role, lexicon
entries, ...) is worked out once per distinct whitespace chunk and kept. The
analysis of a sentence starts with one pass over its words that lists the few
each later step looks at (lexicon words, role words, clause and quotation
marks), and works out once what every target asks about its role words (a verb
here or not, a hypothetical act or not), so the several mentions of a sentence
share it. ``sentiment_toward`` also caches the analysis of whole sentences;
``sentiment_towards``, the path of the metrics pipeline, analyses each sentence
it is given once, without that cache.

Known limits: no parser, so subjects, objects and noun phrases are guessed from
word order and capitalisation; irony and sarcasm are not detected; pronoun
possessives ("its attack") do not tell whose act it is; a comma-separated list
of subjects is read as introductory phrases.
"""
from __future__ import annotations

import csv
import io
import math
import re
import string
from dataclasses import dataclass, replace
from bisect import bisect_left, bisect_right
from functools import cache, lru_cache
from itertools import compress
from math import exp
from operator import attrgetter, itemgetter
from importlib import resources
from pathlib import Path

from analysis.measures.linear import softmax
from analysis.measures.sentiment.vader_port import (BOOSTER_DICT, IDIOM_WORDS, IDIOMS, MODIFIERS, NEGATE,
                                                    negated_word, new_analyzer, vader_valence)
from analysis.measures.sentiment.features import (LogitTables, target_features, target_logits, valued_items,
                                 word_key)

LEXICON_FILE = "vader_news.csv"
ROLES = ("harm", "defeat", "protect", "judge", "attitude", "speech", "address", "vow")
NEUTRAL_BAND = 0.05  # |value| below this reads as neutral (VADER's convention)
OTHER_CLAUSE_WEIGHT = 0.05  # weight of a word one clause away; halved per further clause
ALPHA = 15  # VADER's normalisation constant

# Closed-class word lists (grammar, not sentiment; kept here like VADER keeps NEGATE).
_CONTRAST = frozenset({"but", "while", "whereas", "although", "though", "yet", "however"})
_SUBORD = frozenset({"that", "which", "who", "whom", "whose", "where", "when", "after", "before",
                     "because", "since", "unless", "until", "whether", "if"})
_RELATIVE = frozenset({"which", "who", "whom", "whose", "where"})
_DETERMINERS = frozenset({"the", "a", "an", "this", "these", "those", "his", "her", "its", "their",
                          "our", "my", "your", "some", "several", "many", "two", "three", "both"})
_PRONOUN_POSS = frozenset({"his", "her", "its", "their", "our", "my", "your"})
_PREPS = frozenset({"of", "in", "on", "at", "to", "for", "with", "by", "from", "against", "toward",
                    "towards", "into", "onto", "upon", "over", "under", "about", "between", "among",
                    "amid", "amidst", "across", "through", "during", "without", "within", "targeting",
                    "following", "despite", "than", "like", "as", "via", "per", "near", "around"})
_FUNCTION = _PREPS | _DETERMINERS | _CONTRAST | _SUBORD | frozenset({
    "is", "was", "were", "are", "be", "been", "being", "am", "has", "have", "had", "do", "does",
    "did", "will", "would", "could", "should", "may", "might", "must", "can", "shall", "not",
    "no", "nor", "or", "so", "then", "than", "also", "it", "he", "she", "they", "we", "i", "you",
    "him", "them", "us", "me", "there", "here", "all", "any", "each", "every", "nearly", "most"})
_BE = frozenset({"is", "was", "were", "are", "be", "been", "being", "am", "get", "got", "gets"})
_BEFORE_BE = frozenset({"has", "have", "had", "will", "would", "could", "should", "may", "might", "must"})
_PREPOSITIONAL = frozenset({"after", "before", "since", "until"})  # prepositions before a noun phrase
_AUX = frozenset({"has", "have", "had", "will", "would", "could", "should", "may", "might", "must",
                  "can", "did", "does", "do", "continues", "continued", "also"})
_IRREALIS = frozenset({"could", "might", "may", "should", "can", "must", "any", "planned",
                       "possible", "potential", "hypothetical"})
_AGENT_PREPS = frozenset({"by", "from"})
_BENEFACTIVE = frozenset({"for", "to"})
_COORD = frozenset({"and", "or", "nor", "&"})
_VERBAL_BEFORE = frozenset({"to", "not", "never", "will", "would", "could", "should", "may",
                            "might", "must", "can", "did", "do", "does", "didn't", "don't",
                            "doesn't", "won't", "wouldn't", "and", "or", "also"})
_IRREGULAR_PARTICIPLES = frozenset({"hit", "struck", "shot", "beaten", "hurt", "caught", "held",
                                    "thrown", "taken", "seen", "made", "given", "known", "led",
                                    "sent", "shut", "overrun", "overthrown", "won", "lost", "told",
                                    "said", "cut", "beat", "put", "set", "spent", "paid", "left"})
_PUNCT = string.punctuation + "“”‘’«»–—…"
_STOP_CHARS = frozenset(";:.!?…)")
_DASH_CHARS = frozenset("–—")
_PAUSE_CHARS = frozenset(",;:")
_SENTENCE_CHARS = frozenset(".!?:…")
_OPEN_QUOTES = frozenset("“\"«")
_CLOSE_QUOTES = frozenset("”\"»")
_DASHES = frozenset({"-", "–", "—", "--", "―"})
_LONG_TEXT = 400  # texts longer than this are cut to the sentence around the target
_SENTENCE_END = re.compile(r"[.!?…][\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])|\n+")


# --- lexicon -----------------------------------------------------------------

@dataclass(frozen=True)
class NewsLexicon:
    """The news overrides: valence changes merged into VADER, and act roles."""

    valence: dict  # token -> valence (only rows with a valence)
    role: dict  # token -> role (only rows with a role)
    reason: dict  # token -> reason

    def tokens(self, role: str) -> frozenset:
        return frozenset(t for t, r in self.role.items() if r == role)


def load_news_lexicon(path=None) -> NewsLexicon:
    """Read ``vader_news.csv`` (bundled, or ``path``): columns token, valence, reason, role.

    ``valence`` empty keeps VADER's value (a role-only row). Raises ValueError
    naming the file and line for a malformed row.
    """
    if path is None:
        text = resources.files(__name__).joinpath(LEXICON_FILE).read_text("utf-8")
        name = LEXICON_FILE
    else:
        text = Path(path).read_text("utf-8")
        name = str(path)
    reader = csv.DictReader(io.StringIO(text))
    missing = {"token", "valence", "reason"} - set(reader.fieldnames or ())
    if missing:
        raise ValueError(f"{name}: missing column(s) {', '.join(sorted(missing))}")
    valence, role, reason = {}, {}, {}
    for lineno, row in enumerate(reader, start=2):
        token = (row.get("token") or "").strip().lower()
        if not token:
            raise ValueError(f"{name}:{lineno}: empty token")
        if token in reason:
            raise ValueError(f"{name}:{lineno}: duplicate token {token!r}")
        value = (row.get("valence") or "").strip()
        if value:
            try:
                valence[token] = float(value)
            except ValueError:
                raise ValueError(f"{name}:{lineno}: valence {value!r} is not a number") from None
            if not -4.0 <= valence[token] <= 4.0:
                raise ValueError(f"{name}:{lineno}: valence {value} outside VADER's -4..4")
        r = (row.get("role") or "").strip()
        if r:
            if r not in ROLES:
                raise ValueError(f"{name}:{lineno}: role {r!r} is not one of {', '.join(ROLES)}")
            role[token] = r
        reason[token] = (row.get("reason") or "").strip()
        if not reason[token] and (value or r):
            raise ValueError(f"{name}:{lineno}: every change needs a reason")
    return NewsLexicon(valence, role, reason)


# --- sentence analysis ---------------------------------------------------------

@dataclass(frozen=True, slots=True, eq=False)
class _Chunk:
    """What one whitespace-separated chunk says on its own, in any sentence.

    Computed once per distinct chunk and kept in ``Scorer._chunks`` (a per-word
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
    irrealis_cue: bool  # makes a following act word hypothetical or negated (_IRREALIS, negations)
    irrealis_mark: bool  # irrealis_cue, scope_prep or "to": Scorer._irrealis looks at it
    role: str  # role in the news lexicon, "" if none
    opener: bool  # contrastive conjunction or subordinator: may open a clause
    prepositional: bool  # "after", "before", ... : a preposition when a noun phrase follows
    relative: bool  # relative pronoun
    coord: bool  # and / or / nor / &
    determiner: bool
    prep: bool  # preposition
    be: bool  # a form of "be" or "get" (_BE)
    before_be: bool  # has / have / had or a modal: comes before "be" in "has been", "will be"
    agent_prep: bool  # "by" / "from": may introduce an act's agent
    of: bool  # the word "of"
    scope_prep: bool  # a preposition other than of / from / to: an act word after it is outside a verb's scope
    function: bool  # function word (_FUNCTION)
    adjectival: bool  # demonym-like ("Iranian"), see Scorer._adjectival
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
    inert: bool  # none of upper, vader_word, role, negator, marked, break_after (see _analyse_uncached)


@dataclass(slots=True, eq=False)
class _Sentence:
    """An analysed sentence: its tokens (shared ``_Chunk`` objects) and, per token, the
    facts that depend on the sentence (lists indexed like ``toks``)."""

    text: str
    toks: list  # _Chunk of each whitespace-separated token
    clause: list  # clause number
    valence: list  # word valence in this sentence (0.0 for names, negated acts, ...)
    negated: list  # an act or evaluation word negated by one of the three words before it
    quoted: list  # inside quotation marks
    title_case: bool  # worked out only when it matters (see _analyse_uncached), else False
    has_quote: bool
    valued: tuple  # indices of the tokens with a non-zero valence, in order
    changes: list  # indices of the tokens whose clause differs from the previous token's
    spaced: bool  # the text is its tokens joined by single spaces
    takers: list  # indices of the tokens with a role that can take a later word into its object
    verbal: list  # a role word used as a verb (Scorer._verbal); False for a word without a role
    irrealis: list  # an act word (harm, defeat, protect) negated or hypothetical (Scorer._irrealis)

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


_ALNUM = re.compile(r"[^\W_]")  # a character for which str.isalnum() holds
_CHUNK_CACHE = 500_000  # distinct chunks kept by a Scorer before the cache starts over
_LONG_ALPHA = attrgetter("long_alpha")
_LONG_CAP = attrgetter("long_cap")
_ACT_ROLES = frozenset({"harm", "defeat", "protect"})  # act words: see _Sentence.irrealis
_TAKING_ROLES = frozenset({"judge", "attitude", "speech", "address", "defeat", "protect"})  # see _blocker
_AGENT_PREP = attrgetter("agent_prep")
_OF = attrgetter("of")
_PREP = attrgetter("prep")
_LOW = attrgetter("low")
_FIRST, _SECOND, _THIRD = itemgetter(0), itemgetter(1), itemgetter(2)
_CAP = attrgetter("cap")


class LegacyScorer:
    """The rule-based method before the learned layer (module doc, "Legacy rules").

    Kept, unchanged, so that the external validation can score it beside the
    current method; ``Scorer`` builds on its sentence analysis. Holds the merged
    lexicon and the per-sentence cache.
    """

    def __init__(self, lexicon_path=None, cache_size: int = 200_000):
        self.news = load_news_lexicon(lexicon_path)
        self.analyzer = new_analyzer()
        self.analyzer.lexicon.update(self.news.valence)
        self.lexicon = self.analyzer.lexicon
        self.roles = self.news.role
        self.vow = self.news.tokens("vow")
        self._chunks: dict[str, _Chunk] = {}  # per-word cache, see ``_chunk``
        self._analyse = lru_cache(maxsize=cache_size)(self._analyse_uncached)
        self._baseline = lru_cache(maxsize=cache_size)(self._baseline_uncached)

    # -- public ---------------------------------------------------------------

    def sentence_sentiment(self, text: str) -> float:
        """VADER's compound score of the whole text (the baseline), -1..1."""
        return self._baseline(text or "")

    def sentiment_toward(self, text: str, start: int, end: int) -> float:
        """Sentiment toward the target ``text[start:end]``, -1..1 (see module doc).

        An empty target, or one without a word character, scores 0.0.
        Offsets are clamped to the text.
        """
        if not text:
            return 0.0
        n = len(text)
        start = min(max(int(start), 0), n)
        end = min(max(int(end), start), n)
        if end <= start or not _ALNUM.search(text, start, end):
            return 0.0
        s0, s1 = self._sentence_bounds(text, start, end)
        sent = self._analyse(text[s0:s1])
        return self._score(sent, start - s0, end - s0)

    def sentiment_towards(self, sentence: str, spans) -> list[float]:
        """Sentiment toward several targets of one sentence: ``[(start, end), ...]``.

        The sentence is analysed once, without the cache: this is the path the
        metrics pipeline takes, so throughput never depends on the same
        sentence recurring in a corpus. Equal to ``sentiment_toward`` per span.
        """
        if not sentence:
            return [0.0 for _ in spans]
        out = []
        analysed = {}  # (s0, s1) -> _Sentence
        n = len(sentence)
        whole = n <= _LONG_TEXT and "\n" not in sentence  # then _sentence_bounds is (0, n)
        whole_sent = None  # the analysis of the whole sentence, then
        for start, end in spans:
            # clamped like sentiment_toward's offsets (an end before the start scores 0.0 there too)
            start, end = int(start), int(end)
            if start < 0:
                start = 0
            elif start > n:
                start = n
            if end > n:
                end = n
            # no word character, no target (most targets start with one)
            if end <= start or not (sentence[start].isalnum() or _ALNUM.search(sentence, start, end)):
                out.append(0.0)
                continue
            if whole:
                if whole_sent is None:
                    whole_sent = self._analyse_uncached(sentence)
                out.append(self._score(whole_sent, start, end))
                continue
            s0, s1 = self._sentence_bounds(sentence, start, end)
            sent = analysed.get((s0, s1))
            if sent is None:
                sent = analysed[(s0, s1)] = self._analyse_uncached(sentence[s0:s1])
            out.append(self._score(sent, start - s0, end - s0))
        return out

    # -- internals ------------------------------------------------------------

    def _baseline_uncached(self, text: str) -> float:
        return float(self.analyzer.polarity_scores(text)["compound"])

    @staticmethod
    def _sentence_bounds(text, start, end):
        if len(text) <= _LONG_TEXT and "\n" not in text:
            return 0, len(text)
        s0 = 0
        lo = max(0, start - 2000)
        for m in _SENTENCE_END.finditer(text, lo, start):
            s0 = m.end()
        m = _SENTENCE_END.search(text, end)
        s1 = m.start() + len(m.group(0).rstrip()) if m else len(text)
        if m and m.group(0).startswith("\n"):
            s1 = m.start()
        return s0, max(s1, end)

    def _chunk(self, raw: str) -> _Chunk:
        """The word-level facts of one chunk (see ``_Chunk``), computed once per distinct chunk."""
        chunk = self._chunks.get(raw)
        if chunk is not None:
            return chunk
        word = raw.strip(_PUNCT)
        if not word:
            word, lead, trail = raw, "", ""  # an emoticon or a lone mark stays as it is
        else:
            i = raw.find(word)
            lead, trail = raw[:i], raw[i + len(word):]
        low = word.lower()
        cap = word[:1].isupper()
        poss = low.endswith(("'s", "’s")) or (trail[:1] in ("'", "’") and low.endswith("s"))
        role = self.roles.get(low, "")
        opener = low in _CONTRAST or low in _SUBORD
        dash = word in _DASHES
        opens_quote, opens_single = not _OPEN_QUOTES.isdisjoint(lead), "‘" in lead
        closes_quote, trail_apostrophe = not _CLOSE_QUOTES.isdisjoint(trail), "’" in trail
        trail_stop, trail_dash = not _STOP_CHARS.isdisjoint(trail), not _DASH_CHARS.isdisjoint(trail)
        long_alpha = word[:1].isalpha() and len(word) > 3
        upper = word.isupper()
        vader_word = low in self.lexicon and low not in BOOSTER_DICT
        negator = low in NEGATE or "n't" in low or low == "no"
        marked = opener or dash or "(" in lead or opens_quote or opens_single or closes_quote or trail_apostrophe
        break_after = trail_stop or trail_dash or dash or "," in trail
        irrealis_cue = low in _IRREALIS or low in NEGATE or "n't" in low
        scope_prep = low in _PREPS and low not in ("of", "from", "to")
        chunk = _Chunk(
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
            prepositional=low in _PREPOSITIONAL,
            relative=low in _RELATIVE,
            coord=low in _COORD,
            determiner=low in _DETERMINERS,
            prep=low in _PREPS,
            be=low in _BE,
            before_be=low in _BEFORE_BE,
            agent_prep=low in _AGENT_PREPS,
            of=low == "of",
            scope_prep=scope_prep,
            function=low in _FUNCTION,
            adjectival=self._adjectival(word),
            participle=low.endswith(("ed", "ing")) or low in _IRREGULAR_PARTICIPLES,
            third_person=low.endswith("s") and not low.endswith("ss"),
            np_start=low in _DETERMINERS or low[:1].isdigit(),
            dash=dash,
            lead_paren="(" in lead,
            trail_stop=trail_stop,
            trail_dash=trail_dash,
            trail_comma="," in trail,
            trail_pause=not _PAUSE_CHARS.isdisjoint(trail),
            trail_sentence=not _SENTENCE_CHARS.isdisjoint(trail),
            opens_quote=opens_quote,
            opens_single=opens_single,
            closes_quote=closes_quote,
            trail_apostrophe=trail_apostrophe,
            marked=marked,
            break_after=break_after,
            title_word=cap and bool(role or vader_word),
            inert=not (upper or vader_word or role or negator or marked or break_after),
        )
        if len(self._chunks) >= _CHUNK_CACHE:
            self._chunks.clear()
        self._chunks[raw] = chunk
        return chunk

    def _analyse_uncached(self, sent: str) -> _Sentence:
        """Tokens of ``sent`` with their valences, roles, clauses and quotation state."""
        raws = sent.split()  # the whitespace-separated chunks
        n = len(raws)
        try:
            toks = list(map(self._chunks.__getitem__, raws))
        except KeyError:  # chunks not seen before
            toks = list(map(self._chunk, raws))
        # One pass gathers what the steps below look for; most tokens are ``inert``.
        caps = 0  # ALL CAPS tokens
        scored, roles, negators, events = [], [], [], []  # see _valences, _clauses
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
        valence, valued = self._valences(toks, title_case, negated, scored, caps)
        clause, changes, quoted, has_quote = self._clauses(toks, events)
        # what every target of the sentence asks about its role words: is each a verb here,
        # is an act hypothetical, which can take a later word into its object (_blocker)
        verbal = [False] * n
        irrealis = [False] * n
        takers = []
        for i in roles:
            verbal[i] = self._verbal(toks, i)
            role = toks[i].role
            if role in _ACT_ROLES:
                irrealis[i] = self._irrealis(toks, clause, negated, i)
            if role in _TAKING_ROLES:
                takers.append(i)
        return _Sentence(sent, toks, clause, valence, negated, quoted, title_case, has_quote, valued, changes,
                         " ".join(raws) == sent, takers, verbal, irrealis)

    def _valences(self, toks, title_case, negated, scored, caps) -> tuple[list[float], tuple]:
        """Each token's valence, and the indices of the tokens whose valence is not 0.

        VADER's word valence, except: proper names carry no sentiment (a capitalised
        word not after a sentence end; not in Title Case headlines; ALL CAPS is
        emphasis), and a negated act or evaluation word has none (guideline rule 5).
        ``scored``: the indices of the ``vader_word`` tokens, in order; ``caps``: how
        many tokens are ALL CAPS.
        """
        n = len(toks)
        valence = [0.0] * n
        if not scored:
            return valence, ()
        cap_diff = 0 < n - caps < n
        lexicon = self.lexicon
        valued = []
        for i in scored:
            c = toks[i]
            if c.vader_plain and not (c.upper and cap_diff) \
                    and not (i > 1 and toks[i - 2].idiom_word
                             and (toks[i - 1].idiom_word or (i > 2 and toks[i - 3].idiom_word))
                             and self._idiom_before(toks, i)) \
                    and not (i > 0 and toks[i - 1].vader_modifier) and not (i > 1 and toks[i - 2].vader_modifier) \
                    and not (i > 2 and toks[i - 3].vader_modifier):
                # no rule of VADER's applies: the shortcut of vader_valence, with its idiom test
                # narrowed to the idioms that can be there (_idiom_before)
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

    def _idiom_before(self, toks, i) -> bool:
        """Can VADER's idiom rule change the valence of word ``i``, not an idiom word itself?

        That rule (``_idioms_check``) is applied from the fourth word on, and then,
        as no idiom holds word ``i``, only an idiom or multi-word booster among
        words i - 3 .. i - 1 changes the valence.
        """
        if i < 3:
            return False
        w3, w2, w1 = toks[i - 3].low, toks[i - 2].low, toks[i - 1].low
        idioms = IDIOMS
        return (w2, w1) in idioms or (w3, w2, w1) in idioms or (w3, w2) in idioms

    @staticmethod
    def _clauses(toks, events) -> tuple[list[int], list[int], list[bool], bool]:
        """Clause number of each token, the tokens where it changes, the quotation state of each
        token, and whether any token is quoted.

        Clauses are numbered in order of appearance, except that the main clause
        resumes after a relative clause (module doc, step 2). Only a token that is
        ``marked``, or that follows one with ``break_after`` (``events``: their indices,
        in order), can change the state; the tokens between two such tokens keep it.
        """
        n = len(toks)
        clause = [0] * n
        quoted = [False] * n
        current = top = main_clause = 0
        close_relative = close_initial = False
        in_quote = has_quote = False
        single = False
        last_comma = -10
        changes = []
        done = 0  # the tokens before this index have their state
        for i in events:
            if i > done:  # the tokens in between keep the state
                if current:
                    clause[done:i] = [current] * (i - done)
                if in_quote:
                    quoted[done:i] = [True] * (i - done)
            c = toks[i]
            opens_clause = c.opener and not (c.prepositional and i + 1 < n and toks[i + 1].np_start)
            if i == 0 and opens_clause and not c.relative:
                close_initial = True  # "Although the Lakers lost, ...": ends at the first comma
            if i > 0:
                prev = toks[i - 1]
                prev_comma = prev.trail_comma
                boundary = False
                resume = None
                if prev.trail_stop or c.lead_paren:
                    boundary = True
                elif c.dash or prev.dash or prev.trail_dash:
                    boundary = True
                elif opens_clause:
                    boundary = True
                    if c.relative and prev_comma:
                        close_relative = True
                        main_clause = current
                elif close_relative and prev_comma:
                    boundary = True
                    close_relative = False
                    resume = main_clause  # the main clause goes on after the relative clause
                elif close_initial and prev_comma:
                    boundary = True
                    close_initial = False
                elif c.coord and prev_comma and last_comma < i - 6:
                    boundary = True  # ", and" joins clauses; "X, Y, and Z" is a list
                if prev_comma:
                    last_comma = i - 1
                if boundary:
                    close_initial = close_initial and not prev_comma
                    top += 1
                    before, current = current, resume if resume is not None else top
                    if current != before:
                        changes.append(i)
            clause[i] = current
            if not in_quote:
                if c.opens_quote:
                    in_quote = has_quote = True
                elif c.opens_single:
                    in_quote = single = has_quote = True
            quoted[i] = in_quote
            if in_quote and (c.closes_quote or (single and c.trail_apostrophe and not c.poss)):
                in_quote = single = False
            done = i + 1
        if n > done:
            if current:
                clause[done:] = [current] * (n - done)
            if in_quote:
                quoted[done:] = [True] * (n - done)
        return clause, changes, quoted, has_quote

    # -- per-target scoring -------------------------------------------------------

    def _score(self, sent: _Sentence, a: int, b: int) -> float:
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
        subj = self._subject_like(sent, t0)
        passive_at = self._passive(sent, t1) if subj else None
        shared = self._shared_subject_clauses(sent, t0) if subj and passive_at is None and sent.changes else {}
        # the rest is needed only when a word is quoted / weighed (the helpers have no side effects)
        quote_rule = self._quote_rule(sent, t0, t1) if sent.has_quote and any(map(quoted.__getitem__, valued)) \
            else None
        # _weight weighs the words of the target's clause and of the clauses that share its
        # subject; it reads np_end for those after the target, and judge_at for those before it
        # and, when the target is not a subject, for those after it
        same = [j for j in valued if clause[j] == c or clause[j] in shared] if sent.changes else valued
        after = bool(same) and same[-1] > t1
        np_end = self._np_end(sent, t0, t1, subj) if after else None
        judge_at = self._governing_judge(sent, t0) if (same and same[0] < t0) or (after and not subj) else None
        total = 0.0
        others: dict[int, list[float]] = {}
        after_but = bool(shared) and any(w > 1 for w in shared.values())
        for j in valued:
            role, cj = toks[j].role, clause[j]
            if quote_rule is not None and quoted[j] and cj in quote_rule:
                if not role or role in ("harm", "judge", "attitude"):
                    total += valence[j]
                continue
            if cj != c:
                if cj in shared:
                    # "The striker scored but was sent off": the same subject's predicate
                    total += valence[j] * shared[cj] * self._weight(
                        sent, j, t0, t1, subj, passive_at, np_end, judge_at, same_clause=False)
                    continue
                if role:
                    continue
                others.setdefault(cj, []).append(valence[j])
                continue
            weight = self._weight(sent, j, t0, t1, subj, passive_at, np_end, judge_at)
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

    def _weight(self, sent, j, t0, t1, subj, passive_at, np_end, judge_at, same_clause=True) -> float:
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
                blocker = self._blocker(sent, after, j) if same_clause else self._blocker(
                    sent, self._clause_start(sent, j), j)
                if blocker is not None:
                    return 0.0
                if not role and self._in_agent_phrase(sent, j):
                    return 0.0  # "shelled by rebels": the agent phrase is about the agent
                if role in ("judge", "attitude", "speech", "address") and verbal:
                    return 0.0  # the subject is the evaluator
                if role in ("harm", "defeat", "protect"):
                    if sent.irrealis[j]:
                        return 0.0
                    agent = self._explicit_agent(sent, j)
                    if agent is not None and not (t0 <= agent <= t1):
                        return 0.0
                    if role == "defeat" and sent.valence[j] < 0:
                        return 1.0  # a participle of the beaten ("beaten 3-0")
                    return 1.0
                if self._in_foreign_np(sent, j, t0, t1):
                    return 0.0
                return 1.0
            if judge_at is not None:
                # inside the phrase an evaluation verb evaluates
                if role in ("harm", "defeat", "protect"):
                    if sent.irrealis[j] or self._blocker(sent, t1, j) is not None:
                        return 0.0
                    agent = self._explicit_agent(sent, j)
                    if agent is not None and not (t0 <= agent <= t1) and toks[agent].low not in _PRONOUN_POSS:
                        return 0.0
                    return 1.0
                if role in ("judge", "attitude", "speech", "address") and verbal:
                    return 0.0
                if self._blocker(sent, t1, j) is not None:
                    return 0.0
                if self._in_foreign_np(sent, j, t0, t1):
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
        if len(between) <= 3 and between and between[0].low in _BENEFACTIVE and not tok.trail:
            return 1.0  # "a win for Iran"
        if judge_at is not None and judge_at < j:
            return 1.0  # "praised the remarkable ..."
        return 0.0

    # -- structure helpers ------------------------------------------------------------

    @staticmethod
    def _clause_start(sent, j) -> int:
        toks, clause = sent.toks, sent.clause
        k = j
        while k > 0 and clause[k - 1] == clause[j]:
            k -= 1
        return k

    @staticmethod
    def _in_agent_phrase(sent, j) -> bool:
        toks = sent.toks
        for k in range(max(0, j - 2), j):
            if toks[k].low in _AGENT_PREPS and not any(toks[m].trail for m in range(k, j)):
                return True
        return False

    def _shared_subject_clauses(self, sent, t0) -> dict:
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
            if first.low in ("but", "yet", "and") and nxt is not None and self._verb_like(sent, k + 1):
                out[clause[k]] = 1.5 if first.low in ("but", "yet") else 1.0
            else:
                break
        return out

    @staticmethod
    def _verb_like(sent, k) -> bool:
        """Does the word at ``k`` look like the start of a predicate ("was", "condemned", "later said")?"""
        toks = sent.toks
        while k < len(toks) and toks[k].low.endswith("ly") and not toks[k].cap:
            k += 1
        if k >= len(toks) or toks[k].cap:
            return False
        low = toks[k].low
        return (low in _BE or low in _AUX or low.endswith("ed") or low in _IRREGULAR_PARTICIPLES
                or toks[k].role in ("speech", "address", "judge", "attitude", "vow"))

    def _quote_rule(self, sent, t0, t1):
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
        # the last address verb ("told") among them, by position (equal words are one _Chunk)
        governing = len(before) - 1
        while governing >= 0 and before[governing].role != "address":
            governing -= 1
        if governing >= 0 and all(t.determiner or t.cap or t.role == "address" for t in before[governing:]):
            clauses = {c for t, c, q in zip(toks, sent.clause, sent.quoted)
                       if q and t.low in ("you", "your", "you've", "you're")}
            return clauses or None
        return None

    @staticmethod
    def _verbal(toks, j) -> bool:
        """Is the role word ``toks[j]`` a verb here? Base forms need a verbal context ("did not condemn").

        Asked once per role word of a sentence (``_Sentence.verbal``).
        """
        tok = toks[j]
        if tok.participle:
            return True
        prev = toks[j - 1] if j > 0 else None
        if tok.role in ("speech", "address", "attitude", "vow"):
            return not (prev is not None and (prev.determiner or prev.poss))
        if tok.third_person and prev is not None and not prev.determiner and not prev.prep and not prev.poss:
            return True
        if prev is not None and prev.low in _VERBAL_BEFORE:
            return True
        return tok.low in ("said", "told", "says", "tells", "according")

    def _subject_like(self, sent, t0) -> bool:
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

    def _passive(self, sent, t1):
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
                    if w.endswith("ed") or w.endswith("en") or w in _IRREGULAR_PARTICIPLES:
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

    def _np_end(self, sent, t0, t1, subj=None) -> int:
        """Last index of the noun phrase the target modifies or owns (t1 if none).

        ``subj``: ``_subject_like(sent, t0)`` when the caller has it.
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
            if not toks[t1 + 1].cap and (self._subject_like(sent, t0) if subj is None else subj) \
                    and not toks[t1].adjectival:
                return t1
        return end

    @staticmethod
    def _adjectival(word) -> bool:
        """Demonym-like words modify the noun that follows ("Iranian drones", "Israeli strike")."""
        low = word.lower()
        return low.endswith(("ian", "ean", "ese", "ish", "ic", "i", "an")) and not low.endswith("stan")

    def _governing_judge(self, sent, t0):
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

    def _blocker(self, sent, t1, j):
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

    def _irrealis(self, toks, clause, negated, j) -> bool:
        """Is the act word ``toks[j]`` negated or hypothetical (not reported as real)?

        The same for every target of the sentence: worked out for each act word
        when the sentence is analysed (``_Sentence.irrealis``).
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
                if tok.low == "to" and not (k > 0 and toks[k - 1].low in self.vow):
                    # infinitive: requested or intended, unless vowed ("vowed to strike")
                    nxt = toks[k + 1] if k + 1 < len(toks) else None
                    if nxt is not None and k + 1 >= j - 2 and not nxt.cap and not nxt.poss \
                            and not nxt.function:
                        return True  # "to refrain from attacks"; not "to Iran's attack" (a preposition)
                if tok.scope_prep:
                    return False  # an act noun inside a prepositional phrase is outside the verb's scope
            k -= 1
        return False

    def _explicit_agent(self, sent, j):
        """Index of an explicit agent of act word ``j``: possessor/capitalised modifier, or by/from X."""
        toks, clause = sent.toks, sent.clause
        c = clause[j]
        k = j - 1
        steps = 0
        while k >= 0 and clause[k] == c and steps < 5:
            tok = toks[k]
            if tok.trail and k != j - 1 and not tok.poss:
                break
            if tok.poss or tok.low in _PRONOUN_POSS:
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
            if toks[k].low in _AGENT_PREPS and k + 1 < n:
                m = k + 1
                while m < n and toks[m].determiner:
                    m += 1
                return m if m < n else None
            if toks[k - 1].trail:
                break
            k += 1
        return None

    def _in_foreign_np(self, sent, j, t0, t1) -> bool:
        """Is plain word ``j`` a modifier of an act word that has another agent ("a deadly airstrike by X")?"""
        toks = sent.toks
        n = len(toks)
        for k in range(j + 1, min(n, j + 3)):
            if toks[k - 1].trail:
                return False
            if toks[k].role in ("harm", "defeat", "protect"):
                agent = self._explicit_agent(sent, k)
                return agent is not None and not (t0 <= agent <= t1)
            if toks[k].function:
                return False
        return False


# --- the current method: sentence analysis + features + a learned linear layer ---------------

MODEL_NAME = "sentiment"  # analysis/measures/sentiment/model.json
CLASSES = ("negative", "neutral", "positive")
NEUTRAL_SCALE = 0.049  # a neutral decision maps P(pos) - P(neg) into (-0.05, 0.05)
# negators VADER does not know: the word after "to" is reversed ("unable to win", "refused to condemn")
_EXTRA_NEGATORS = frozenset({"unable", "failed", "fails", "fail", "failing", "declined", "declines",
                             "decline", "declining", "refused", "refuses", "refuse", "refusing"})
# "like" is the verb after these ("I like", "would like", "don't like"); a preposition otherwise
_LIKE_VERB_BEFORE = frozenset({"i", "you", "we", "they", "would", "to", "not", "really", "do", "does", "did",
                               "don't", "didn't", "doesn't", "who", "people", "may", "might", "also", "still",
                               "americans", "voters", "supporters"})
_SENTENCE_END_WORD = re.compile(r"(\S+)$")


@dataclass(slots=True, eq=False)
class _Extra:
    """Per-sentence facts the learned layer adds to ``_Sentence`` (see ``Scorer._extra``)."""

    valence: list  # word valences after the part-of-speech and negator rules
    valued: tuple  # indices with a non-zero valence
    reversed: list  # reversed by an "unable to" / "failed to" negator
    lows: list  # lower-cased words
    keys: list  # the words as in feature names (sentiment_features.word_key)
    score: float  # the sentence's normalised valence sum
    bag: list  # per class: intercept + the logits of the features shared by the sentence's targets
    caps: list  # indices of the capitalised words after the first (sentiment_features.nearer)
    items: list  # per word of ``valued``: its weight-table entries (sentiment_features.valued_items)


class Scorer(LegacyScorer):
    """The current method: the rule-based sentence analysis read as features, weighed by a
    multinomial logistic regression (``analysis/measures/sentiment/model.json``).

    ``sentiment_towards`` / ``sentiment_toward`` return a value whose ``label`` is the
    model's decided class (module doc, "Value"); ``explain_towards`` lists the features
    and words that decided it.
    """

    def __init__(self, lexicon_path=None, cache_size: int = 200_000, model=None):
        super().__init__(lexicon_path, cache_size)
        from analysis.measures.linear import LinearModel, load_model
        from analysis.pipeline.segment import load_lexicon

        bounds = load_lexicon()
        self._abbrev = bounds.prefix | bounds.number | bounds.ambiguous
        self.model = model if isinstance(model, LinearModel) else load_model(model or MODEL_NAME)
        classes = self.model.classes
        if sorted(classes) != sorted(CLASSES):
            raise ValueError(f"sentiment model: classes {classes}, expected {CLASSES}")
        self._ineg, self._ineu, self._ipos = (classes.index(c) for c in CLASSES)
        self._analyse = lru_cache(maxsize=cache_size)(self._prepare)
        # the word features' weights by word, per family ("b:", "w:L1:", ...): looked up without
        # building their names (``_extra``, ``_fast_logits``)
        self._by_word: dict[str, dict] = {p: {} for p in ("b:", "w:L1:", "w:L2:", "w:R1:", "w:R2:")}
        for name, ws in self.model.weights.items():
            prefix = name[:2] if name.startswith("b:") else name[:5]
            if prefix in self._by_word:
                self._by_word[prefix][name[len(prefix):]] = ws
        self._tables = LogitTables(self.model.weights)
        self._bag_w = self._by_word["b:"]
        self._keys: dict[str, str] = {}  # lower-cased word -> its form in feature names
        zero = (0.0, 0.0, 0.0)
        self._w_has_quote = self.model.weights.get("r:has_quote", zero)
        self._w_score = self.model.weights.get("s:vader", zero)
        self._w_l1, self._w_l2 = self._by_word["w:L1:"], self._by_word["w:L2:"]
        self._w_r1, self._w_r2 = self._by_word["w:R1:"], self._by_word["w:R2:"]

    # -- public ---------------------------------------------------------------

    def sentiment_toward(self, text: str, start: int, end: int) -> float:
        span = self._clamp(text, start, end)
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
        if n <= _LONG_TEXT and "\n" not in sentence:  # then _sentence_bounds is (0, n)
            sent = extra = None
            value = self._fast_value
            for span in spans:
                span = self._clamp(sentence, *span)
                if span is None:
                    out.append(0.0)
                    continue
                if sent is None:
                    sent, extra = self._prepare(sentence)
                out.append(value(sent, extra, *span))
            return out
        analysed = {}
        for span in spans:
            span = self._clamp(sentence, *span)
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
        ``{"feature", "words" (the sentence's words behind it, "" if none), "weight"}``,
        ``weight`` the signed contribution toward the decided class (``LinearModel.explain``)."""
        out = []
        for span in spans:
            span = self._clamp(sentence, *span)
            if span is None:
                out.append([])
                continue
            start, end = span
            s0, s1 = self._sentence_bounds(sentence, start, end)
            sent, extra = self._prepare(sentence[s0:s1])
            words: dict = {}
            feats = self._features(sent, extra, start - s0, end - s0, words)
            if feats is None:
                out.append([])
                continue
            cls = self.model.classes[self._decide(self._proba(feats))]
            rows = []
            for name, weight in self.model.explain(feats, cls, k):
                idx = sorted(set(words.get(name, ())))
                rows.append({"feature": name, "words": " ".join(sent.toks[i].word for i in idx),
                             "weight": weight})
            out.append(rows)
        return out

    def features_toward(self, text: str, start: int, end: int) -> dict:
        """The named features of the target ``text[start:end]`` (the learned layer's input)."""
        return self._features_at(text, start, end) or {}

    def proba_toward(self, text: str, start: int, end: int) -> dict | None:
        """The model's class probabilities for the target, ``{"negative": p, ...}`` (None: no target)."""
        p = self._proba(self._features_at(text, start, end))
        return None if p is None else dict(zip(self.model.classes, p))

    def _features_at(self, text, start, end, words=None):
        span = self._clamp(text, start, end)
        if span is None:
            return None
        start, end = span
        s0, s1 = self._sentence_bounds(text, start, end)
        sent, extra = self._prepare(text[s0:s1])
        return self._features(sent, extra, start - s0, end - s0, words)

    # -- internals ------------------------------------------------------------

    @staticmethod
    def _clamp(text, start, end):
        """Offsets clamped to ``text``; None when the target is empty or has no word character."""
        if not text:
            return None
        n = len(text)
        start = min(max(int(start), 0), n)
        end = min(max(int(end), start), n)
        if end <= start or not (text[start].isalnum() or _ALNUM.search(text, start, end)):
            return None
        return start, end

    def _proba(self, feats):
        if feats is None:
            return None
        return self.model.proba(feats)

    def _fast_logits(self, sent, extra, a, b):
        """The model's logits for the target, as from ``_features(...)``, without feature names: the
        sentence's words and score summed once per sentence (``_Extra.bag``), the target's
        features by weight tables (``sentiment_features.target_logits``), the window words looked
        up by word (``sentiment_features.window``), minus the sentence words that occur only
        inside the target."""
        t0, t1 = sent.tokens_at(a, b)
        toks = sent.toks
        n = len(toks)
        if t0 >= n or t1 < t0:
            return None
        l0, l1, l2 = target_logits(self, sent, extra, t0, t1, self._tables, extra.bag)
        keys = extra.keys
        # the window words, as sentiment_features.window lists them
        if t0 > 0:
            ws = self._w_l1.get(keys[t0 - 1])
            if ws is not None:
                l0 += ws[0]
                l1 += ws[1]
                l2 += ws[2]
            get = self._w_l2.get
            for k in range(t0 - 2, max(-1, t0 - 5), -1):
                ws = get(keys[k])
                if ws is not None:
                    l0 += ws[0]
                    l1 += ws[1]
                    l2 += ws[2]
                if toks[k].trail_stop:
                    break
        k = t1 + 1
        if k < n:
            ws = self._w_r1.get(keys[k])
            if ws is not None:
                l0 += ws[0]
                l1 += ws[1]
                l2 += ws[2]
            if not toks[k].trail_stop:
                get = self._w_r2.get
                for k in range(t1 + 2, min(n, t1 + 5)):
                    ws = get(keys[k])
                    if ws is not None:
                        l0 += ws[0]
                        l1 += ws[1]
                        l2 += ws[2]
                    if toks[k].trail_stop:
                        break
        # the sentence's words were all counted in the bag: take back those only inside the target
        bag_w = self._bag_w
        if t0 == t1:
            key = keys[t0]
            ws = bag_w.get(key)
            if ws is not None and keys.count(key) == 1:
                l0 -= ws[0]
                l1 -= ws[1]
                l2 -= ws[2]
        else:
            inside = keys[t0:t1 + 1]
            for key in dict.fromkeys(inside):
                ws = bag_w.get(key)
                if ws is not None and inside.count(key) == keys.count(key):
                    l0 -= ws[0]
                    l1 -= ws[1]
                    l2 -= ws[2]
        return l0, l1, l2

    def _fast_proba(self, sent, extra, a, b):
        lg = self._fast_logits(sent, extra, a, b)
        return None if lg is None else softmax(list(lg))

    def _fast_value(self, sent, extra, a, b) -> float:
        """``_value(_fast_proba(...))``, the same arithmetic written out for three classes."""
        lg = self._fast_logits(sent, extra, a, b)
        if lg is None:
            return 0.0
        m = max(lg)
        e0, e1, e2 = exp(lg[0] - m), exp(lg[1] - m), exp(lg[2] - m)
        total = e0 + e1 + e2
        p = (e0 / total, e1 / total, e2 / total)
        best = 0
        if p[1] > p[0]:
            best = 1
        if p[2] > p[best]:
            best = 2
        diff = p[self._ipos] - p[self._ineg]
        if best == self._ipos:
            return max(NEUTRAL_BAND, round(diff, 4))
        if best == self._ineg:
            return min(-NEUTRAL_BAND, round(diff, 4))
        return round(NEUTRAL_SCALE * diff, 4)

    def _decide(self, p) -> int:
        return max(range(len(p)), key=p.__getitem__)

    def _value(self, p) -> float:
        """The contract of the value: ``label(value)`` is the decided class (module doc, "Value")."""
        if p is None:
            return 0.0
        diff = p[self._ipos] - p[self._ineg]
        best = self._decide(p)
        if best == self._ipos:
            return max(NEUTRAL_BAND, round(diff, 4))
        if best == self._ineg:
            return min(-NEUTRAL_BAND, round(diff, 4))
        return round(NEUTRAL_SCALE * diff, 4)

    def _features(self, sent, extra, a, b, words=None) -> dict:
        t0, t1 = sent.tokens_at(a, b)
        if t0 >= len(sent.toks) or t1 < t0:
            return None
        return target_features(self, sent, extra, t0, t1, words)

    def _chunk(self, raw: str) -> _Chunk:
        """As the rule-based method's, but a period after an abbreviation ("Mr.", "U.S.", "Dr.")
        does not end a clause."""
        chunk = self._chunks.get(raw)
        if chunk is not None:
            return chunk
        chunk = super()._chunk(raw)
        if chunk.trail == "." and (chunk.low in self._abbrev or "." in chunk.word
                                   or (len(chunk.word) == 1 and chunk.cap)):
            break_after = chunk.trail_dash or chunk.dash or chunk.trail_comma
            chunk = replace(chunk, trail_stop=False, trail_sentence=False, break_after=break_after,
                            inert=not (chunk.upper or chunk.vader_word or chunk.role or chunk.negator
                                       or chunk.marked or break_after))
            self._chunks[raw] = chunk
        return chunk

    def _sentence_bounds(self, text, start, end):
        """As the rule-based method's, but no sentence ends after an abbreviation."""
        if len(text) <= _LONG_TEXT and "\n" not in text:
            return 0, len(text)
        s0 = 0
        lo = max(0, start - 2000)
        for m in _SENTENCE_END.finditer(text, lo, start):
            if m.group(0)[0] != "\n" and self._abbrev_before(text, m.start()):
                continue
            s0 = m.end()
        pos = end
        while True:
            m = _SENTENCE_END.search(text, pos)
            if m is None or m.group(0)[0] == "\n" or not self._abbrev_before(text, m.start()):
                break
            pos = m.end()
        s1 = m.start() + len(m.group(0).rstrip()) if m else len(text)
        if m and m.group(0).startswith("\n"):
            s1 = m.start()
        return s0, max(s1, end)

    def _abbrev_before(self, text, i) -> bool:
        """Is the period at ``text[i]`` the end of an abbreviation?"""
        if text[i] != ".":
            return False
        m = _SENTENCE_END_WORD.search(text, max(0, i - 12), i)
        if not m:
            return False
        w = m.group(1).lstrip(_PUNCT)
        return w.lower() in self._abbrev or "." in w or (len(w) == 1 and w.isupper())

    def _prepare(self, text: str):
        """The analysed sentence and the learned layer's per-sentence facts (``_Extra``)."""
        # curly apostrophes in negations ("didn’t") read like straight ones (same length)
        sent = self._analyse_uncached(text.replace("n’t", "n't") if "’" in text else text)
        return sent, self._extra(sent)

    def _key(self, low: str) -> str:
        """A word as in feature names (``sentiment_features.word_key``), remembered."""
        key = self._keys[low] = word_key(low)
        if len(self._keys) > _CHUNK_CACHE:
            self._keys.clear()
        return key

    def _extra(self, sent) -> _Extra:
        toks = sent.toks
        n = len(toks)
        lows = list(map(_LOW, toks))
        valence = sent.valence
        changed = False
        rev = [False] * n
        for i in sent.valued:
            low = lows[i]
            if low == "like" and not (i > 0 and lows[i - 1] in _LIKE_VERB_BEFORE):
                changed = True  # a preposition ("like Iran", "leaders like him")
            elif low == "well" and ((i > 0 and lows[i - 1] == "as") or (i + 1 < n and lows[i + 1] in ("as", "over"))
                                    or "-" in toks[i].trail):
                changed = True  # "as well", "well over", "well-known"
        if not _EXTRA_NEGATORS.isdisjoint(lows):
            for k in range(n - 2):
                if lows[k] in _EXTRA_NEGATORS and lows[k + 1] == "to":
                    for i in range(k + 2, min(n, k + 5)):
                        if valence[i]:
                            rev[i] = True
                            changed = True
        if changed:
            valence = list(valence)
            for i in sent.valued:
                low = lows[i]
                if low == "like" and not (i > 0 and lows[i - 1] in _LIKE_VERB_BEFORE):
                    valence[i] = 0.0
                elif low == "well" and ((i > 0 and lows[i - 1] == "as")
                                        or (i + 1 < n and lows[i + 1] in ("as", "over")) or "-" in toks[i].trail):
                    valence[i] = 0.0
                if rev[i]:
                    valence[i] = -0.74 * valence[i]  # VADER's negation scalar
            valued = tuple(i for i in sent.valued if valence[i])
        else:
            valued = sent.valued
        total = sum(map(valence.__getitem__, valued))
        score = total / math.sqrt(total * total + ALPHA) if total else 0.0
        # the features shared by all targets of the sentence (its words ``b:``, its score, ...),
        # summed once for all its targets
        try:
            keys = list(map(self._keys.__getitem__, lows))
        except KeyError:  # words not seen before
            keys = [self._keys.get(low) or self._key(low) for low in lows]
        b0, b1, b2 = self.model.intercept  # three classes (checked in __init__)
        # the sentence's own features of target_features (r:has_quote, s:vader)
        if sent.has_quote:
            ws = self._w_has_quote
            b0 += ws[0]
            b1 += ws[1]
            b2 += ws[2]
        if score:
            ws = self._w_score
            b0 += ws[0] * score
            b1 += ws[1] * score
            b2 += ws[2] * score
        # each word once, in order (a fixed summation order)
        wss = [ws for ws in map(self._bag_w.get, dict.fromkeys(keys)) if ws is not None]
        if wss:
            b0 = sum(map(_FIRST, wss), b0)
            b1 = sum(map(_SECOND, wss), b1)
            b2 = sum(map(_THIRD, wss), b2)
        caps = list(compress(range(n), map(_CAP, toks)))
        if caps and caps[0] == 0:
            del caps[0]
        items = valued_items(sent, valence, valued, rev, lows, caps, self._tables)
        return _Extra(valence, valued, rev, lows, keys, score, (b0, b1, b2), caps, items)


@cache
def legacy_scorer() -> LegacyScorer:
    """The process-wide rule-based scorer of the previous release (for comparison only)."""
    return LegacyScorer()


def legacy_sentiment_toward(text: str, start: int, end: int) -> float:
    """The previous release's rule-based value (module doc, "Legacy rules"); kept for comparison."""
    return legacy_scorer().sentiment_toward(text, start, end)


@cache
def scorer() -> Scorer:
    """The process-wide Scorer (bundled lexicon), created on first use."""
    return Scorer()


def sentiment_toward(text: str, start: int, end: int) -> float:
    """Sentiment expressed toward the target ``text[start:end]``, in [-1, 1].

    ``|value| < 0.05`` reads as neutral. See the module docstring for the method.
    """
    return scorer().sentiment_toward(text, start, end)


def sentence_sentiment(text: str) -> float:
    """Whole-sentence VADER compound (with the news lexicon merged in): the baseline."""
    return scorer().sentence_sentiment(text)


def label(value: float) -> str:
    """'negative' | 'neutral' | 'positive' by VADER's ±0.05 convention."""
    if value >= NEUTRAL_BAND:
        return "positive"
    if value <= -NEUTRAL_BAND:
        return "negative"
    return "neutral"


# the in-house gold evaluation lives in analysis.validation.sentiment_gold; these names stay reachable here
_EVALUATION = frozenset({"evaluate_sentiment", "read_gold", "f1_scores", "GOLD_FILE", "LABELS"})


def __getattr__(name):
    if name in _EVALUATION:
        # imported on first use: sentiment_gold imports this package
        from analysis.validation import sentiment_gold

        return getattr(sentiment_gold, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
