"""Actor mentions: who is named where, in whose voice.

``find_mentions(article, actors)`` returns every mention of a tracked actor in
``article.body`` with its offsets, sentence, paragraph, kind, voice and speaker;
``mention_stats`` turns them into per-actor counts for one article.

Method (docs/actors-sentiment.md)
---------------------------------
Surface forms. ``build_matcher`` compiles ONE regular expression over every alias
and demonym of every actor, longest first, matched as whole words. Proper names
are case-sensitive ("US" is not "us"); descriptive titles ("the president") also
match with a capital first letter on each lowercase word ("The President").
Straight and curly apostrophes are interchangeable; spaces match any whitespace.
Each alias gets a kind:

- ``name``: the alias contains the actor's key name ("President Joe Biden");
- ``title``: the alias contains a lowercase word other than a function word
  ("the American president", "Israel's prime minister", "the Jewish state");
- ``alias``: any other proper name ("Bibi", "Tehran", "Islamic Republic");
- ``demonym``: from ``demonyms`` ("Iranian", "Israelis") -> the country actor;
- ``possessive``: any of the above followed by 's or ' ("Iran’s" -> text "Iran");
- ``pronoun``: he/his/him/himself/she/her/hers/herself, and I/me/my/mine/myself
  inside a quotation whose speaker is a person actor.

Overlaps. At each position the longest alias wins ("Israeli Prime Minister
Benjamin Netanyahu" is one Netanyahu mention, not also Israel). In addition,
a demonym, a non-person actor's name (possessive or not) or the same person's
title that is followed, across nothing but title words, by a person's mention
is folded into that person's mention: "Israeli Prime Minister Netanyahu",
"U.S. Secretary of Defense Lloyd Austin" with only "Lloyd Austin" listed.
Title words are the words of the corpus's person aliases ("President",
"Prime", "Minister", "Secretary", "of", "Defense", ...), so "Iran Warns
Netanyahu" in a headline stays two mentions.

Ambiguous titles. A title whose words are all lowercase ("the president",
"the prime minister"), or any surface form listed for several actors, is
resolved only when the article makes it unambiguous: exactly one candidate actor
has been named (by a non-ambiguous mention) earlier in the article, and the
title's head does not occur capitalised earlier outside that actor's mentions
("President of Ukraine Petro Poroshenko" makes a later "the president"
ambiguous). Unresolved mentions are not emitted.

Pronouns. he/his/him/himself/she/her/hers/herself refer to a person actor:
the most recent *subject-like* person mention before the pronoun in the same
sentence, else in the nearest earlier sentence that mentions a person, in the
same or the previous paragraph; a mention is subject-like when nothing but a
clause opening (sentence start, punctuation, "that", "but", "when", a speech
verb, a coordinated subject...) precedes it. "him" (an object) skips the actor
that is the subject of its own sentence. A pronoun in an opening phrase refers
forward ("In his statement, Biden said" -> Biden). If no subject-like mention
is found, the pronoun resolves only when every person mention in that window is
the same actor; otherwise it is not emitted. Gender is not checked. Pronouns
are resolved twice: the second pass also sees the I/my of quotations whose
speaker the first pass found ("“I told him ...” ... “...,” he continued").

Voice and speaker. ``quoted`` when the mention lies inside a direct quotation
(the quote spans from ``analysis.pipeline.segment``) or inside reported speech:
- "X said/told Y (that) ...": the part after the verb (after "that" when it
  follows; the addressee of told/urged/warned is not part of it);
- "..., X said." / "..., said X." at the end of a sentence: the part before;
- "according to X, ..." / "..., according to X.": the other part.
Reported speech is found by the text layer (analysis.pipeline.text.reported_speech,
with its speech verbs, analysis/pipeline/speech_verbs.txt); this module names its speaker.
The speaker is the actor mentioned in the source phrase (X) when there is
exactly one, else None. A quotation's speaker is found in its attribution
("“...,” Biden told Netanyahu", "Kirby said: “...”", "he continued"), else the
subject-like person mention of its sentence before it ("Biden condemned the
strikes in “...”"), else the speaker of the previous quotation in the same
paragraph, else the subject of a previous paragraph ending with a colon.
Everything else is ``narrator``.

Known limits: no parser; block quotations without quotation marks are read as
narrator voice; gender and number of pronouns are not checked; "it/its/they"
are not resolved; subject detection is positional.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from dataclasses import dataclass, field
from itertools import accumulate
from operator import attrgetter

from analysis.pipeline.model import Actor, Article, Sentence
from analysis.pipeline.text import (DETERMINERS as _DETERMINERS, DOTTED_WORD_REVERSED, SPEECH_VERBS,
                                    SpeechVerbs, reported_speech)

KINDS = ("name", "alias", "title", "demonym", "possessive", "pronoun")
VOICES = ("narrator", "quoted")

_FUNCTION_WORDS = frozenset({"the", "a", "an", "of", "and", "for", "de", "la", "le", "al", "el",
                             "von", "van", "der", "du", "da", "bin", "ibn", "&"})
# he/his/him/himself/she/her/hers/herself and I/me/my/mine/myself as whole words, not after
# a word character or apostrophe. The expressions begin with the possible first letters, so
# that the engine only tries the positions holding one; the lookbehind after the first letter
# checks the character before the word.
_THIRD = re.compile(r"[HhSs](?<![\w’'][HhSs])(?:(?<=[Hh])(?:e|is|im|imself|ers?|erself)|(?<=[Ss])he)(?!\w)")
_FIRST = re.compile(r"[IMm](?<![\w’'][IMm])(?:(?<=I)|(?<=[Mm])(?:e|y|ine|yself))(?!\w)")
_START = attrgetter("start")
_OPENING = frozenset({"that", "but", "when", "while", "after", "before", "because",
                      "as", "if", "since", "although", "though", "yet", "so", "then", "whether",
                      "where", "which", "who", "also", "however", "meanwhile", "still"})
_CLAUSE_PUNCT = re.compile(r"[,;:—–(“\"‘]")
# matched on the reversed body where a stretch of text ends: the stretch's last word
# (text.DOTTED_WORD_REVERSED, group 1), unless _CLAUSE_PUNCT comes after it (see _subject_like)
_WORD_BACK = re.compile(r"[^%s]*?(%s)" % (_CLAUSE_PUNCT.pattern[1:-1], DOTTED_WORD_REVERSED.pattern))


@dataclass(frozen=True, slots=True)
class Mention:
    actor: str
    text: str
    start: int  # offsets into article.body
    end: int
    sentence: int
    paragraph: int
    kind: str  # name | alias | title | demonym | possessive | pronoun
    voice: str  # narrator | quoted
    speaker: str | None


@dataclass(frozen=True)
class _Form:
    candidates: tuple[str, ...]  # actor names listing this surface form
    kind: str
    ambiguous: bool  # needs the article to make it unambiguous
    head: str  # for generic titles: the title without its article ("president")


@dataclass
class Matcher:
    """Everything compiled once per corpus (see ``build_matcher``).

    The fields after ``address`` are derived from the others when the matcher
    is created (the actor sets and the speech verbs, text.SpeechVerbs).
    """

    regex: re.Pattern
    forms: dict  # normalised surface form -> _Form
    kinds: dict  # actor name -> actor kind
    title_words: frozenset
    speech: frozenset = field(default_factory=frozenset)
    address: frozenset = field(default_factory=frozenset)
    persons: frozenset = field(init=False)  # names of the person actors
    speech_verbs: SpeechVerbs = field(init=False)  # ``speech`` and ``address`` and their patterns
    verbs: frozenset = field(init=False)  # speech | address
    verb_word: re.Pattern = field(init=False)  # a speech verb between word boundaries
    surface: dict = field(init=False)  # matched text -> _Form or None (filled while matching)

    def __post_init__(self):
        self.persons = frozenset(a for a, k in self.kinds.items() if k == "person")
        if self.speech == SPEECH_VERBS.speech and self.address == SPEECH_VERBS.address:
            self.speech_verbs = SPEECH_VERBS  # the bundled list, compiled once
        else:
            self.speech_verbs = SpeechVerbs(self.speech, self.address)
        self.verbs = self.speech_verbs.verbs
        self.verb_word = self.speech_verbs.verb_word
        self.surface = {}


def _norm(text: str) -> str:
    return " ".join(text.replace("’", "'").split())


def _alias_kind(alias: str, actor: Actor) -> str:
    words = [w for w in re.split(r"\s+", alias.replace("’", "'")) if w]
    key = actor.name.split()[-1] if actor.name.split() else actor.name
    if any(re.sub(r"'s?$", "", w) == key for w in words) or alias == actor.name:
        return "name"
    if any(w[:1].islower() and w.lower() not in _FUNCTION_WORDS for w in words):
        return "title"
    return "alias"


def _is_generic_title(alias: str) -> bool:
    words = alias.split()
    content = [w for w in words if w.lower() not in ("the", "a", "an")]
    return bool(content) and all(w[:1].islower() for w in content)


def _pattern(alias: str, kind: str) -> tuple[str, str]:
    """The expression of one alias as (the characters it can start with, the expression of the rest).

    Spaces match any whitespace, apostrophes straight or curly, and a title's
    lowercase words may be capitalised.
    """
    firsts, parts = "", []
    for i, w in enumerate(alias.replace("’", "'").split()):
        if kind == "title" and w[:1].islower():
            head = w[0] + w[0].upper()
        else:
            head = "'’" if w[0] == "'" else w[0]
        rest = re.escape(w[1:]).replace("'", "['’]")
        if i == 0:
            firsts = head
            parts.append(rest)
        else:
            parts.append((f"[{head}]" if len(head) > 1 else re.escape(head)) + rest)
    return firsts, r"\s+".join(parts)


# one unit of an alias expression (``_pattern``): a run of whitespace, a character class,
# an escaped character or a character
_UNIT = re.compile(r"\\s\+|\[[^\]]*\]|\\.|.", re.DOTALL)


def _group(first: str, rests: list[str]) -> str:
    """The expression of the aliases starting with ``first`` (escaped): ``first``, the
    lookbehind (no word character or apostrophe before it), the alternation of ``rests``.

    The characters that every one of ``rests`` starts with (up to a run of whitespace)
    are read before the lookbehind, which then spans them too, and a run of whitespace
    that every one of them continues with is read once, when what follows it in each
    is no whitespace (so that the run is read whole either way). Speed only: at most
    positions holding ``first``, as the "t" of "the ...", the engine fails on these
    before trying each alias.
    """
    units = [_UNIT.findall(rest) for rest in rests]
    common = 0
    while all(len(u) > common for u in units) and len({u[common] for u in units}) == 1 \
            and units[0][common] != r"\s+":
        common += 1
    head = first + "".join(units[0][:common])
    space = ""
    if all(len(u) > common + 1 and u[common] == r"\s+" and not _may_be_space(u[common + 1]) for u in units):
        space, common = r"\s+", common + 1
    return "%s(?<![\\w’']%s)%s(?:%s)" % (head, head, space, "|".join("".join(u[common:]) for u in units))


def _may_be_space(unit: str) -> bool:
    """Can the unit (``_UNIT``) match a whitespace character? No only for a character that is
    none, escaped or not, and for a class of such characters (no range, negation or escape)."""
    if unit.startswith("["):
        return any(ch.isspace() or ch in "-^\\[" for ch in unit[1:-1])
    if unit.startswith("\\"):
        return len(unit) != 2 or unit[1].isalnum() or unit[1].isspace()  # (\s+, \d... or a space)
    return unit.isspace() or unit in ".^$*+?{}()|[]\\" or len(unit) != 1


def build_matcher(actors: list[Actor]) -> Matcher:
    """Compile one regular expression over all aliases and demonyms (longest first)."""
    table: dict[str, dict] = {}
    patterns: dict[str, str] = {}
    kinds = {a.name: a.kind for a in actors}
    title_words = set()
    for actor in actors:
        entries = [(al, _alias_kind(al, actor)) for al in actor.aliases]
        entries += [(d, "demonym") for d in actor.demonyms]
        for alias, kind in entries:
            if not alias.strip():
                continue
            key = _norm(alias)
            slot = table.setdefault(key, {"candidates": [], "kind": kind, "generic": False})
            if actor.name not in slot["candidates"]:
                slot["candidates"].append(actor.name)
            if kind == "title" and _is_generic_title(alias):
                slot["generic"] = True
                slot["kind"] = "title"
            patterns.setdefault(key, _pattern(alias, kind))
            if actor.kind == "person" and kind != "demonym":
                title_words.update(w.lower() for w in alias.replace("’", "'").split() if w.lower() != "and")
    forms = {}
    for key, slot in table.items():
        generic = slot["generic"]
        head = " ".join(w for w in key.split() if w.lower() not in ("the", "a", "an")) if generic else ""
        forms[key] = _Form(tuple(slot["candidates"]), slot["kind"],
                           generic or len(slot["candidates"]) > 1, head)
        if slot["kind"] == "title":
            forms.setdefault(key.lower(), forms[key])
    ordered = sorted(patterns.items(), key=lambda kv: (-len(kv[0]), kv[0]))
    # grouped by first character: at any position only one group can match, and it holds
    # that character's aliases in the same (longest first) order, so the engine tries one
    # group instead of every alias; and as every group begins with its character, the engine
    # only tries the positions holding one of them. The lookbehind after that character
    # checks the one before it (not a word character or apostrophe).
    groups: dict[str, list[str]] = {}
    for _, (firsts, rest) in ordered:
        for ch in dict.fromkeys(firsts):
            groups.setdefault(ch, []).append(rest)
    alternation = "|".join(_group(re.escape(ch), rests) for ch, rests in groups.items())
    regex = re.compile(r"(?:%s)(?!\w)" % alternation if groups else r"(?!)")
    return Matcher(regex, forms, kinds, frozenset(title_words), SPEECH_VERBS.speech, SPEECH_VERBS.address)


# --- the article's scaffolding -------------------------------------------------

class _Layout:
    """Sentence and paragraph lookup by offset, the quote spans, and the reversed body (for
    reading the words before an offset, see ``_subject_like``)."""

    def __init__(self, article: Article):
        body = article.body
        sents = article.sentences
        if not sents:
            sents = [Sentence(0, 0, 0, len(body))]
        self.body = body
        self.sents = sents
        self.starts = [s.start for s in sents]
        self.quotes = sorted(article.quotes, key=lambda q: (q.start, -q.end))
        self.qstarts = [q.start for q in self.quotes]
        self.qreach = list(accumulate((q.end for q in self.quotes), max))  # latest end up to each quote
        self._reversed = body[::-1]

    def sentence_of(self, pos: int):
        i = bisect_right(self.starts, pos) - 1
        return self.sents[max(i, 0)]

    def quotes_at(self, mentions) -> list:
        """The quote holding each mention (``start:end``), or None: the latest-starting one,
        then the shortest."""
        quotes, qstarts, reach = self.quotes, self.qstarts, self.qreach
        if not quotes:
            return [None] * len(mentions)
        out = []
        for m in mentions:
            start, end = m.start, m.end
            i = bisect_right(qstarts, start)
            found = None
            while i and reach[i - 1] >= end:  # else no quote up to i - 1 ends late enough
                i -= 1
                q = quotes[i]
                if q.end >= end and q.start <= start:
                    found = q
                    break
            out.append(found)
        return out


@dataclass(slots=True)
class _M:
    """A mention under construction."""

    actor: str | None
    start: int
    end: int
    kind: str
    form: _Form | None = None
    sentence: int = 0
    paragraph: int = 0
    subject: bool | None = None  # subject-like; None until asked (read it with ``_subject``)
    voice: str = "narrator"
    speaker: str | None = None
    first_person: bool = False  # I/me/my inside a quotation (added after the pronoun pass)


# --- main entry ------------------------------------------------------------------

def find_mentions(article: Article, actors: list[Actor], matcher: Matcher | None = None) -> list[Mention]:
    """Every resolved mention of a tracked actor in ``article.body``, in text order."""
    matcher = matcher or build_matcher(actors)
    body = article.body
    if not body:
        return []
    layout = _Layout(article)
    found = _match_names(body, matcher)
    found = _fold_titles(body, found, matcher)
    starts, sents = layout.starts, layout.sents
    for m in found:
        i = bisect_right(starts, m.start) - 1
        s = sents[i if i > 0 else 0]  # layout.sentence_of(m.start)
        m.sentence, m.paragraph = s.index, s.paragraph
    found = _resolve_ambiguous(body, found, matcher)
    persons = matcher.persons
    named = found
    pronouns = _third_person_pronouns(body, layout, matcher)
    # two passes: quotation speakers need the pronouns ("he continued"), and pronouns
    # after a quotation need its first-person mentions ("I told him ...")
    found = _resolve_third_person(body, named, pronouns, layout, matcher)
    speakers = _quote_speakers(body, layout, found, persons, matcher)
    first = _first_person(body, layout, speakers, persons)
    if first:  # (else the second pass would repeat the first one)
        again = _resolve_third_person(body, named + first, pronouns, layout, matcher)
        # with pronouns, each pass returns the names and the pronouns it resolved (without the
        # first person); if the second resolves them as the first did, the quotation speakers,
        # which depend on nothing else, and so their first person stay the same
        if not (pronouns and _same_mentions(again, found)):
            speakers = _quote_speakers(body, layout, again, persons, matcher)
            first = _first_person(body, layout, speakers, persons)
        found = again
    taken = {(m.start, m.end) for m in found}
    found = sorted(found + [m for m in first if (m.start, m.end) not in taken], key=_START)
    _assign_voice(body, found, layout, speakers, matcher)
    return _mentions(found, body)


def _mentions(found: list[_M], body: str) -> list[Mention]:
    """``Mention(m.actor, body[m.start:m.end], m.start, ..., m.speaker)`` of each mention, built
    faster: a frozen dataclass's ``__init__`` sets each field through ``object.__setattr__``;
    here each slot is set through its descriptor, in field order, which gives the same
    objects (slots: a long article holds hundreds of thousands of mentions)."""
    new = object.__new__
    (actor, text, start, end, sentence, paragraph, kind, voice, speaker) = _MENTION_SLOTS
    out = []
    for m in found:
        mention = new(Mention)
        actor(mention, m.actor)
        text(mention, body[m.start:m.end])
        start(mention, m.start)
        end(mention, m.end)
        sentence(mention, m.sentence)
        paragraph(mention, m.paragraph)
        kind(mention, m.kind)
        voice(mention, m.voice)
        speaker(mention, m.speaker)
        out.append(mention)
    return out


_MENTION_SLOTS = tuple(getattr(Mention, f).__set__ for f in Mention.__dataclass_fields__)


_POSSESSIVE_S = re.compile(r"['’]s(?!\w)")  # Iran's
_POSSESSIVE_BARE = re.compile(r"['’](?!\w)")  # the Israelis'
_UNSEEN = object()  # not in Matcher.surface yet


def _match_names(body: str, matcher: Matcher) -> list[_M]:
    out = []
    surface = matcher.surface  # matched text -> _Form (one lookup per distinct spelling)
    for match in matcher.regex.finditer(body):
        text = match.group()
        form = surface.get(text, _UNSEEN)
        if form is _UNSEEN:
            key = _norm(text)
            form = surface[text] = matcher.forms.get(key) or matcher.forms.get(key.lower())
        if form is None:
            continue
        start, end = match.span()
        kind = form.kind
        if body.startswith(("'", "’"), end) and (
                _POSSESSIVE_S.match(body, end) or (text.endswith("s") and _POSSESSIVE_BARE.match(body, end))):
            kind = "possessive"
        actor = form.candidates[0] if not form.ambiguous else None
        out.append(_M(actor, start, end, kind, form))
    return out


_POSSESSIVE_MARK = re.compile(r"^['’]s?")
_GAP_BREAK = re.compile(r"[,;:.!?()“”\"\n—–]")  # punctuation that keeps a title apart from a name


def _fold_titles(body: str, found: list[_M], matcher: Matcher) -> list[_M]:
    """Fold "Israeli Prime Minister" + "Netanyahu" into one person mention (see module doc)."""
    if not found:
        return found
    persons, title_words = matcher.persons, matcher.title_words
    out = [found[0]]
    for m in found[1:]:
        prev = out[-1]
        # only a person's mention takes the one before it in; the cheap tests come first
        if m.actor in persons and prev.end <= m.start:
            same = prev.actor == m.actor or (
                prev.actor is None and prev.form is not None and m.actor in prev.form.candidates)
            same = same and prev.kind in ("title", "name", "alias")
            foldable = prev.kind == "demonym" or (prev.actor is not None and prev.actor not in persons)
            # (_GAP_BREAK holds no possessive mark: the gap is searched before it is removed)
            if (same or foldable) and not _GAP_BREAK.search(body, prev.end, m.start):
                gap = body[prev.end:m.start]
                if prev.kind == "possessive":
                    gap = _POSSESSIVE_MARK.sub("", gap)
                words = gap.split()
                if (same or words) and all(w.replace("’", "'").lower() in title_words for w in words):
                    out[-1] = _M(m.actor, prev.start, m.end, m.kind if m.kind != "title" else "name", m.form)
                    continue
        out.append(m)
    return out


def _subject(m: _M, layout: _Layout, matcher: Matcher) -> bool:
    """Is ``m`` subject-like? ``m.subject``, computed on first use: a name's is read only where
    a pronoun, a quotation or a speech verb needs it (pronouns get theirs when made)."""
    if m.subject is None:
        m.subject = _subject_like(layout, layout.sentence_of(m.start).start, m.start, matcher)
    return m.subject


def _subject_like(layout: _Layout, sent_start: int, pos: int, matcher: Matcher | None) -> bool:
    """Nothing but a clause opening precedes ``pos`` in its sentence (see module doc).

    Reads the words (text.DOTTED_WORD) of ``body[sent_start:pos]`` backwards from ``pos``, as many
    as needed; clause punctuation (``_CLAUSE_PUNCT``) between two of them, or between the
    last one and ``pos``, is a clause opening.

    A word runs from the first letter or digit of a run of word characters, apostrophes,
    dots and hyphens to the run's end, so reading the reversed body with DOTTED_WORD_REVERSED (a run
    up to its last letter or digit) finds the same words in reverse order. Each step
    matches ``_WORD_BACK`` at the reversed offset reached: it finds the next word back
    (group 1, ``body[n - w.end(1):n - w.start(1)]`` with n = len(body)) and fails when
    clause punctuation comes first or no word is left, both of which make ``pos``
    subject-like.
    """
    if pos <= sent_start:
        return True  # nothing precedes it
    body, back = layout.body, layout._reversed
    n = len(body)
    stop = n - sent_start
    w = _WORD_BACK.match(back, n - pos, stop)
    while w is not None:
        start, end = n - w.end(1), n - w.start(1)
        low = body[start:end].lower().rstrip(".")
        if low in _DETERMINERS:
            w = _WORD_BACK.match(back, w.end(), stop)
            continue
        if low in ("and", "or", "nor"):
            # a coordinated subject ("Biden and his advisers") or object ("met Biden and
            # Netanyahu"): decide by what precedes the first conjunct
            w = _WORD_BACK.match(back, w.end(), stop)
            while w is not None:
                start, end = n - w.end(1), n - w.start(1)
                if not (body[start].isupper() or body[start:end].lower() in _DETERMINERS):
                    break  # w is read as any other word
                w = _WORD_BACK.match(back, w.end(), stop)
            continue
        if low in _OPENING or (matcher is not None and low in matcher.speech):
            return True
        return False
    return True  # clause punctuation, or the start of the sentence


def _whole_word_starts(body: str, word: str) -> list[int]:
    """Offsets of ``word`` in ``body`` with no word character before or after it, in text
    order (what ``re.finditer(r"(?<!\\w)word(?!\\w)", body)`` finds, without trying every offset)."""
    out = []
    n = len(word)
    i = body.find(word)
    while i >= 0:
        before, after = body[i - 1:i], body[i + n:i + n + 1]
        if not (before.isalnum() or before == "_") and not (after.isalnum() or after == "_"):
            out.append(i)
            i = body.find(word, i + n)
        else:
            i = body.find(word, i + 1)
    return out


def _resolve_ambiguous(body: str, found: list[_M], matcher: Matcher) -> list[_M]:
    """Resolve generic titles and shared forms by what the article named earlier.

    A shared form goes to the one candidate the article has already named by
    another form. A generic title ("the president") goes to that candidate only
    if every earlier capitalised use of its head word ("President") lies inside
    a kept mention of that candidate; one outside (another president named)
    leaves it unresolved.

    Linear in the number of mentions and head words: ``found`` is in text order,
    so the kept mentions before a position never change once it is passed; each
    (head word, actor) pair keeps a cursor over the head word's offsets and
    remembers whether a stray one was seen, and "inside a kept mention" is a
    binary search over that actor's kept spans.
    """
    named_at: dict[str, int] = {}
    heads: dict[str, list[int]] = {}
    kept_starts: dict[str, list[int]] = {}  # per actor, starts and ends of its kept mentions, in text order
    kept_ends: dict[str, list[int]] = {}
    cursor: dict[tuple[str, str], list] = {}  # (head, actor) -> [next head offset to check, stray seen]
    out = []

    def keep(m: _M) -> None:
        out.append(m)
        kept_starts.setdefault(m.actor, []).append(m.start)
        kept_ends.setdefault(m.actor, []).append(m.end)

    for m in found:
        if m.actor is not None:
            named_at.setdefault(m.actor, m.start)
            keep(m)
            continue
        form = m.form
        earlier = [a for a in form.candidates if named_at.get(a, len(body)) < m.start]
        if len(earlier) != 1:
            continue
        actor = earlier[0]
        if form.head:
            head = form.head
            if head not in heads:
                cap = " ".join(w[:1].upper() + w[1:] for w in head.split())
                heads[head] = _whole_word_starts(body, cap)
            offsets = heads[head]
            state = cursor.setdefault((head, actor), [0, False])
            starts, ends = kept_starts.get(actor, []), kept_ends.get(actor, [])
            while not state[1] and state[0] < len(offsets) and offsets[state[0]] < m.start:
                h = offsets[state[0]]
                i = bisect_right(starts, h) - 1
                if i < 0 or h >= ends[i]:  # not inside a kept mention of that actor
                    state[1] = True
                state[0] += 1
            if state[1]:
                continue  # another holder of the title was named: leave it unresolved
        m.actor = actor
        keep(m)
    return out


def _third_person_pronouns(body, layout, matcher) -> list[tuple]:
    """(start, end, sentence, paragraph, subject-like) of every he/his/him/she/her."""
    out = []
    for p in _THIRD.finditer(body):
        s = layout.sentence_of(p.start())
        out.append((p.start(), p.end(), s.index, s.paragraph, _subject_like(layout, s.start, p.start(), matcher)))
    return out


def _same_mentions(a: list[_M], b: list[_M]) -> bool:
    """Do ``a`` and ``b`` hold mentions with the same offsets, actors and kinds, in the same order?"""
    return len(a) == len(b) and all(x.start == y.start and x.end == y.end and x.actor == y.actor
                                    and x.kind == y.kind for x, y in zip(a, b))


def _resolve_third_person(body, found, pronoun_spans, layout, matcher) -> list[_M]:
    """Add he/his/him/she/her mentions resolved to a person actor (see module doc).

    ``pronoun_spans`` comes from ``_third_person_pronouns``; each pass gets new,
    unresolved pronoun mentions.
    """
    if not pronoun_spans:
        return found
    pronouns = [_M(None, start, end, "pronoun", None, sentence, paragraph, subject)
                for start, end, sentence, paragraph, subject in pronoun_spans]
    merged = sorted(found + pronouns, key=_START)
    persons = matcher.persons
    ctx = _PronounContext(merged, layout, matcher)
    left = len(pronouns)  # not visited yet
    for m in merged:
        if m.kind == "pronoun" and m.actor is None:  # one of ``pronouns``
            actor = _cataphora(body, m, ctx, layout, matcher) or _antecedent(body, m, ctx)
            if actor is not None and actor in persons:
                m.actor = actor
                ctx.add_pronoun(m)
            left -= 1
            if not left:
                break  # the mentions after the last pronoun are read by none
        elif m.actor in persons:
            ctx.add_person(m)
    # kept: the names, the quotations' first person and the resolved pronouns, in text order
    return [m for m in merged if (m.kind != "pronoun" or m.actor is not None) and not m.first_person]


class _PronounContext:
    """The mentions a pronoun can refer to, indexed by sentence.

    ``merged`` is every mention and pronoun in text order; they are visited in
    that order, and the kept person mentions (names, quotation first person,
    resolved pronouns) are recorded as they are reached (``add_person``,
    ``add_pronoun``). Resolution then looks at the pronoun's own sentence and the
    sentences before it instead of scanning every mention of the article.
    """

    def __init__(self, merged: list[_M], layout: _Layout, matcher: Matcher):
        self.layout, self.matcher = layout, matcher  # for ``_subject``
        self.person_mentions: dict[int, list[_M]] = {}  # sentence -> kept person mentions, in order
        self.person_paragraph: dict[int, int] = {}  # sentence -> latest paragraph of those mentions
        self.person_sentences: list[int] = []  # the keys of person_mentions, sorted
        # sentence -> earliest start of a kept mention with an actor: those of the names (and of
        # the quotation first person) are known from the start, as ``named_before`` only asks
        # whether one precedes the pronoun; those of the pronouns are added when resolved
        self.first_named: dict[int, int] = {}
        for m in merged:  # in text order: the first one seen is the earliest
            if m.actor is not None and m.sentence not in self.first_named:
                self.first_named[m.sentence] = m.start
        self.merged = merged
        self._ahead: dict[int, tuple[list[int], list[_M]]] | None = None  # see first_named_after

    def add_pronoun(self, m: _M) -> None:
        """Record a resolved pronoun."""
        earliest = self.first_named.get(m.sentence)
        if earliest is None or m.start < earliest:
            self.first_named[m.sentence] = m.start
        self.add_person(m)

    def add_person(self, m: _M) -> None:
        """Record a kept mention of a person actor."""
        sentence = m.sentence
        group = self.person_mentions.get(sentence)
        if group is None:
            self.person_mentions[sentence] = [m]
            self.person_paragraph[sentence] = m.paragraph
            insort(self.person_sentences, sentence)  # (mentions come in text order: an append)
        else:
            group.append(m)
            if m.paragraph > self.person_paragraph[sentence]:
                self.person_paragraph[sentence] = m.paragraph

    def named_before(self, p: _M) -> bool:
        """Does a kept mention with an actor precede ``p`` in its sentence?"""
        start = self.first_named.get(p.sentence)
        return start is not None and start < p.start

    def first_named_after(self, sentence: int, pos: int) -> _M | None:
        """The first mention with an actor (before the visit) starting after ``pos`` in ``sentence``."""
        if self._ahead is None:
            # mentions that have an actor before the visit (names, quotation first person), by
            # sentence (made on first use, before any pronoun after ``pos`` is visited)
            self._ahead = {}
            current = None
            for m in self.merged:
                if m.actor is not None:
                    if m.sentence != current:  # (a sentence's mentions come one after another)
                        current = m.sentence
                        starts, ms = self._ahead.setdefault(current, ([], []))
                    starts.append(m.start)
                    ms.append(m)
        starts, ms = self._ahead.get(sentence, ((), ()))
        i = bisect_right(starts, pos)
        return ms[i] if i < len(ms) else None


def _cataphora(body, p: _M, ctx: _PronounContext, layout, matcher):
    """A pronoun in an opening phrase refers forward: "In his statement, Biden said ..."."""
    s = layout.sentence_of(p.start)
    if body.find(",", s.start, p.start) >= 0 or ctx.named_before(p):
        return None
    comma = body.find(",", p.end, s.end)
    if comma < 0 or comma - p.end > 80:
        return None
    # later mentions are not visited yet: those with an actor are names (pronouns have none yet)
    m = ctx.first_named_after(p.sentence, comma)
    if m is not None:
        if _subject(m, layout, matcher) and body[comma + 1:m.start].strip() in ("", "the"):
            return m.actor
        return None
    return None


def _antecedent(body, p: _M, ctx: _PronounContext):
    # a quotation's own "I" is not the antecedent of its attribution ("“I will ...,” he said"):
    # that would only repeat the previous guess
    same_all = ctx.person_mentions.get(p.sentence, [])
    same = [m for m in same_all if not m.first_person]
    # the nearest earlier sentence that mentions a person, in the same or the previous paragraph:
    # paragraphs never decrease with the sentence index, so if the nearest earlier sentence with a
    # person is more than one paragraph back, every earlier one is too (a binary search, not a scan)
    previous = []
    last = None
    i = bisect_left(ctx.person_sentences, p.sentence) - 1
    if i >= 0 and p.paragraph - ctx.person_paragraph[ctx.person_sentences[i]] <= 1:
        last = ctx.person_sentences[i]
    if last is not None:
        previous = [m for m in ctx.person_mentions[last] if p.paragraph - m.paragraph <= 1]
    word = body[p.start:p.end].lower()
    layout, matcher = ctx.layout, ctx.matcher
    exclude = None
    if word == "him":  # an object pronoun is not its own clause's subject
        exclude = next((m.actor for m in same_all if _subject(m, layout, matcher)), None)
    for group in (same, previous):
        # the last subject-like mention of the group, other than ``exclude``
        for m in reversed(group):
            if m.actor != exclude and _subject(m, layout, matcher):
                return m.actor
    window = {m.actor for m in same + previous if m.actor != exclude}
    if len(window) == 1:
        return window.pop()
    return None


# --- quotations and voice ------------------------------------------------------------

def _by_sentence(mentions: list[_M]) -> dict[int, list[_M]]:
    """The mentions of each sentence, in the order of ``mentions``."""
    out: dict[int, list[_M]] = {}
    sentence = group = None
    for m in mentions:
        if m.sentence != sentence:  # (in text order, a sentence's mentions come one after another)
            sentence = m.sentence
            group = out.setdefault(sentence, [])
        group.append(m)
    return out


_VERB_AFTER = re.compile(r"\s*(?:(?:\w+ly|also|then|later|had|has|have)\s+){0,2}([a-z]+)\b")


def _verb_after(body, pos, limit, verbs) -> re.Match | None:
    """A speech verb within a few words after ``pos`` ("reportedly told", "said")."""
    m = _VERB_AFTER.match(body[pos:pos + limit])
    if m and m.group(1) in verbs:
        return m
    return None


def _quote_speakers(body, layout, found, persons, matcher) -> dict:
    """Speaker actor (or None) of every quote span, keyed by (start, end)."""
    speakers: dict = {}
    by_start = sorted(found, key=_START)
    starts = [m.start for m in by_start]
    by_sentence = _by_sentence(by_start)  # in text order
    prev_quote = None
    for q in layout.quotes:
        speaker = _attribution(body, q, by_start, starts, matcher)
        sent = layout.sentence_of(q.start)
        if speaker is None:
            # an embedded partial quote: the subject of its sentence said it (the last
            # subject-like person mention before it)
            speaker = next((m.actor for m in reversed(by_sentence.get(sent.index, ())) if m.end <= q.start
                            and m.actor in persons and _subject(m, layout, matcher)), None)
        if speaker is None and prev_quote is not None and prev_quote[0].start < q.start:
            pq, pspeaker = prev_quote
            if layout.sentence_of(pq.start).paragraph == sent.paragraph:
                speaker = pspeaker
        if speaker is None and sent.index > 0:
            # a quotation opening a paragraph after one that ends with a colon
            prev = layout.sents[sent.index - 1]
            if prev.paragraph == sent.paragraph - 1 and body[prev.start:prev.end].rstrip().endswith(":") \
                    and q.start == sent.start:
                speaker = next((m.actor for m in by_sentence.get(prev.index, ())
                                if m.actor in persons and _subject(m, layout, matcher)), None)
        speakers[(q.start, q.end)] = speaker
        prev_quote = (q, speaker)
    return speakers


_ATTRIBUTION_AFTER = re.compile(r"[\s,]*(?:(?:\w+ly|said|says|added|told|wrote)\s+)?")
_SENTENCE_BREAK = re.compile(r"[.!?”\"]")
_INTRODUCES = re.compile(r"[:,]\s*$")
_SHORT_INTRO = re.compile(r"\s*(?:\w+ly\s+)?\w+\s*[:,]?\s*")


def _attribution(body, q, mentions, starts, matcher):
    """Speaker named next to the quote: after it ("...,” X said") or before it ("X said: “")."""
    verbs = matcher.verbs
    # after the closing mark
    i = bisect_right(starts, q.end - 1)
    if i < len(mentions):
        m = mentions[i]
        gap = body[q.end:m.start]
        if m.actor is not None and len(gap) <= 40 and _ATTRIBUTION_AFTER.fullmatch(gap):
            if matcher.verb_word.search(gap) or _verb_after(body, m.end, 40, verbs):
                return m.actor
    # before the opening mark
    i = bisect_right(starts, q.start) - 1
    while i >= 0:
        m = mentions[i]
        if m.end > q.start:
            i -= 1
            continue
        gap = body[m.end:q.start]
        if len(gap) > 80 or _SENTENCE_BREAK.search(gap):
            break
        vm = _verb_after(body, m.end, 40, verbs)
        if m.actor is not None and vm is not None and _INTRODUCES.search(gap.rstrip("“\"‘ ")) is not None:
            return m.actor
        if m.actor is not None and vm is not None and _SHORT_INTRO.fullmatch(gap):
            return m.actor
        i -= 1
    return None


def _first_person(body, layout, speakers, persons) -> list[_M]:
    """I/me/my/mine/myself inside quotations whose speaker is a person actor."""
    extra = []
    for (qs, qe), speaker in speakers.items():
        if speaker is None or speaker not in persons:
            continue
        for p in _FIRST.finditer(body, qs, qe):
            s = layout.sentence_of(p.start())
            extra.append(_M(speaker, p.start(), p.end(), "pronoun", None, s.index, s.paragraph,
                            _subject_like(layout, s.start, p.start(), None), "quoted", speaker, True))
    return sorted(extra, key=_START)


def _assign_voice(body, found, layout, speakers, matcher) -> None:
    quotes = layout.quotes_at(found)
    narrated = [m.start for m, q in zip(found, quotes) if q is None]
    narrated.sort()
    spans = _reported_spans(body, layout, found, matcher, narrated)
    # the innermost (latest-starting, then shortest, then first found) reported speech holding
    # a mention is the first in this order that holds it
    order = sorted(range(len(spans)), key=lambda i: (-spans[i][0], spans[i][1], i))
    ordered = [spans[i] for i in order]
    neg_starts = [-sp[0] for sp in ordered]
    longest = max((end - start for start, end, _, _ in spans), default=0)
    for m, q in zip(found, quotes):
        if q is not None:
            m.voice = "quoted"
            m.speaker = speakers.get((q.start, q.end))
            continue
        # spans starting after the mention cannot hold it; nor can those starting so early
        # that even the longest span ends before the mention does
        for k in range(bisect_left(neg_starts, -m.start), len(ordered)):
            start, end, speaker, source = ordered[k]
            if start < m.end - longest:
                break
            if m.end <= end and not (source[0] <= m.start < source[1]):
                m.voice = "quoted"
                m.speaker = speaker
                break


def _reported_spans(body, layout, found, matcher, wanted=None) -> list[tuple]:
    """(start, end, speaker, (source_start, source_end)) of reported speech in each sentence
    (text.reported_speech), with its speaker: the one actor mentioned in the source
    phrase; for "X said ...", when the source phrase holds no content word, the
    sentence's subject-like mention before the verb. After "X told Y" the report
    starts after the addressee Y, when Y is a mention.

    A span lies within its sentence; with ``wanted`` (sorted offsets of the mentions
    whose voice is asked), sentences where none of them starts are skipped.
    """
    spans = []
    by_sentence = _by_sentence(found)
    verbs = matcher.speech_verbs
    for s in layout.sents:
        if wanted is not None:
            i = bisect_left(wanted, s.start)
            if i == len(wanted) or wanted[i] >= s.end:
                continue  # no span of this sentence can hold a wanted mention
        mentions = by_sentence.get(s.index, [])
        for r in reported_speech(body, s.start, s.end, verbs):
            speaker = _source_actor(mentions, r.source)
            start = r.start
            if r.form == "after":
                v0, v1 = r.verb
                if speaker is None and r.bare_source:
                    # "Biden condemned ... and said ...": the subject is the sentence's
                    # (the last subject-like mention before the verb: read from the verb backwards)
                    speaker = next((m.actor for m in reversed(mentions) if m.end <= v0 and m.actor is not None
                                    and _subject(m, layout, matcher)), None)
                if r.addressee:
                    obj = [m for m in mentions if m.start >= v1 and body[v1:m.start].strip() in ("", "the")]
                    if obj:
                        start = obj[0].end
                        if start >= r.end:
                            continue
            spans.append((start, r.end, speaker, r.source))
    return spans


def _source_actor(mentions: list[_M], source: tuple[int, int]):
    """The one actor mentioned inside ``source`` (start, end), or None when there are none or several."""
    lo, hi = source
    actor = None
    for m in mentions:
        if m.actor is not None and lo <= m.start and m.end <= hi:
            if actor is None:
                actor = m.actor
            elif m.actor != actor:
                return None  # a second actor
    return actor


# --- per-article statistics --------------------------------------------------------------

def mention_stats(article: Article, mentions: list[Mention], actors: list[Actor]) -> dict:
    """Per actor: ``mentions`` (count, pronouns included), ``sentence_share`` (share of the
    article's sentences with at least one mention, 0..1) and ``first_mention`` (start of
    the first mention / body length, 0 = start of body, or None when never mentioned)."""
    n_sent = len(article.sentences) or (1 if article.body else 0)
    length = len(article.body)
    out = {}
    for actor in actors:
        ms = [m for m in mentions if m.actor == actor.name]
        sentences = {m.sentence for m in ms}
        out[actor.name] = {
            "mentions": len(ms),
            "sentence_share": len(sentences) / n_sent if n_sent else 0.0,
            "first_mention": min(m.start for m in ms) / length if ms and length else None,
        }
    return out
