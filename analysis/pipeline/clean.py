"""Clean one article's text: repair the encoding, drop page furniture, lift metadata.

``clean_text(raw)`` takes the decoded text of one article (``\\n`` line endings;
for HTML, the extracted main text, one paragraph per line) and returns the body
the later stages analyse, the metadata lines it found (headline, standfirst,
date) and a log with one entry for every line it dropped, changed or moved to
metadata, naming the rule that did it. Every rule is described in
docs/cleaning.md; the rule names below are the ones the log shows.

The pipeline, in order:

1. Character repair, line by line (logged as ``changed``): ``encoding-ftfy``,
   ``invisible-chars``, ``nbsp``, ``whitespace``; then, only in documents that
   show its signature, ``lossy-a-circumflex``.
2. Metadata lines (logged as ``metadata``): ``date-line``, ``byline``.
3. Furniture lines (logged as ``dropped``): breadcrumbs, "Read more" links,
   photo credits and captions, comment and rating widgets, share and follow
   prompts, newsletter sign-ups, advertisement markers, "click here" lines,
   copyright lines, tag lists, navigation, wire credits, bare links.
4. The tail of the page: short widget words ("Reviews", "85 %") and a trailing
   list of unrelated headlines are dropped only at the very end.
5. Paragraphs: per document, either blank-line separated blocks (hard-wrapped
   blocks joined) or one paragraph per line.
6. Headline and standfirst (``headline``, ``dek``): leading paragraphs without
   terminal punctuation move to metadata.

Every decision depends on the line itself and its neighbours, never on the
outlet, so the same rules apply to any corpus. Cleaning is idempotent:
``clean_text(clean_text(x).body).body == clean_text(x).body``.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field

import ftfy

from analysis.pipeline.model import LogEntry

__all__ = ["Cleaned", "clean_text", "format_log", "FTFY_CONFIG", "RULES"]


@dataclass(frozen=True)
class Cleaned:
    """The result of cleaning one article.

    ``body``: paragraphs separated by exactly "\\n\\n"; each paragraph is one
    stripped line; no empty paragraphs. ``meta``: "title", "dek", "date"
    (YYYY-MM-DD), "updated", "author" when the text states them. ``log``: one
    entry per line dropped, changed or moved to metadata, in line order.
    """

    body: str
    meta: dict[str, str] = field(default_factory=dict)
    log: list[LogEntry] = field(default_factory=list)


#: Every rule name the log can show, with what it does (docs/cleaning.md has more).
RULES: dict[str, str] = {
    "encoding-ftfy": "ftfy repairs mojibake, HTML entities, control characters; curly quotes kept",
    "invisible-chars": "soft hyphens, zero-width spaces, word joiners and BOMs removed",
    "nbsp": "non-breaking and other Unicode spaces become plain spaces",
    "whitespace": "tabs and runs of spaces collapsed to one space; line ends stripped",
    "lossy-a-circumflex": "a bare 'â' left by lost UTF-8 bytes becomes ’ “ ” or — from its neighbours",
    "date-line": "a date line (or a 'date ...' prefix) moves to meta['date'] / meta['updated']",
    "byline": "a 'By Name' line moves to meta['author']",
    "headline": "a short first paragraph without terminal punctuation moves to meta['title']",
    "dek": "the unpunctuated paragraph right after the headline moves to meta['dek']",
    "breadcrumb": "navigation trails: 'Home / Politics / ...', numbered or bulleted",
    "read-more-link": "'Read More: <headline>', 'Also Read:', 'Related:', 'See also:', 'READ MORE |'",
    "related-heading": "a lone 'Related stories' / 'More from X' / 'Most read' heading",
    "related-headlines": "unpunctuated headline lines directly under a related heading",
    "photo-credit": "captions and credits: 'Photo: ...', 'Credit: ...', '(Photo by X/Getty Images)'",
    "comment-form": "comment and rating widgets: 'Leave a comment', 'User Score', '3 ratings'",
    "share-prompt": "'Share this article', 'Follow us on X', rows of share buttons",
    "newsletter": "newsletter and subscription prompts",
    "advertisement": "'Advertisement', 'Story continues below', 'Sponsored content'",
    "click-here": "short lines that ask the reader to click or tap here",
    "copyright": "'© 2024 ...', 'Copyright 2024 ...', 'All rights reserved'",
    "tags": "'Tags: ...', 'Topics: ...', 'Filed under: ...'",
    "site-navigation": "'Skip to content', 'Back to top', 'Next article'; 'Menu' etc. at the end",
    "wire-credit": "'Reporting by X; Editing by Y'",
    "link-only": "a line that is only a URL or a markdown link",
    "trailing-headlines": "two or more unpunctuated headline-like lines closing the page",
}

# --------------------------------------------------------------------------- #
# 1. Character repair
# --------------------------------------------------------------------------- #

#: ftfy options, each chosen deliberately (docs/cleaning.md, "Encoding").
FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html="auto",          # "&amp;" -> "&" unless the line looks like HTML
    remove_terminal_escapes=True,  # ANSI colour codes are never text
    fix_encoding=True,             # the mojibake repair itself
    restore_byte_a0=True,
    replace_lossy_sequences=True,
    decode_inconsistent_utf8=True,
    fix_c1_controls=True,
    fix_latin_ligatures=True,      # "ﬁ" -> "fi", so words match the lexicons
    fix_character_width=True,      # fullwidth "ＡＢＣ" -> "ABC"
    uncurl_quotes=False,           # KEEP curly quotes: quotation detection needs them
    fix_line_breaks=False,         # lines are numbered before cleaning; never add or remove one
    fix_surrogates=True,
    remove_control_chars=True,
    normalization="NFC",
    explain=False,
)

# A line made only of printable ASCII (no "&"), NBSP and General Punctuation
# (U+2010-U+2027: dashes, curly quotes, "…") cannot change under FTFY_CONFIG, so
# ftfy is skipped for it (tests/test_clean.py checks this): most lines of a
# well-encoded English page never reach ftfy. Except "†", "‡" and "•" (U+2020-
# U+2022): in MacRoman "†" and "•" are bytes that continue a UTF-8 sequence (A0,
# A5) and "‡" one that starts a three-byte one (E0), while "“", "’", "–"... start
# two-byte ones, so ftfy reads "“†" as mojibake of "Ҡ". Without them, no encoding
# ftfy tries has both a byte that starts a sequence and one that continues it in
# the set (every pair of its characters is checked in tests/test_clean.py).
_FTFY_SAFE = "\x20-\x25\x27-\x7e\u00a0\u2010-\u201f\u2023-\u2027"
_NEEDS_FTFY = re.compile(f"[^{_FTFY_SAFE}]")
_INVISIBLE = re.compile("[\u00ad\u180e\u200b\u2060\ufeff]")
# Every Unicode space separator except the plain space (NBSP, narrow NBSP, figure
# space, en/em spaces, ideographic space, ...).
_NBSP = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")

_CHAR_RULES = ("encoding-ftfy", "invisible-chars", "nbsp", "whitespace")
# Words of those same characters (no "&", no space of any kind) joined by single
# plain spaces: no character rule changes such a line (tests/test_clean.py checks
# this), so _repair_chars returns it at once.
_PLAIN_CHARS = "\x21-\x25\x27-\x7e\u2010-\u201f\u2023-\u2027"  # _FTFY_SAFE without spaces
_PLAIN = re.compile(f"[{_PLAIN_CHARS}]+(?: [{_PLAIN_CHARS}]+)*")


def _apply_char_rule(rule: str, text: str) -> str:
    if rule == "encoding-ftfy":
        return ftfy.fix_text(text, FTFY_CONFIG) if _NEEDS_FTFY.search(text) else text
    if rule == "invisible-chars":
        return _INVISIBLE.sub("", text)
    if rule == "nbsp":
        return _NBSP.sub(" ", text)
    return " ".join(text.split())  # whitespace: every str.isspace() run -> one space


def _repair_chars(text: str, changes: list[tuple[str, str, str]]) -> str:
    """Run the character rules until nothing changes (one rule can expose work for
    another, e.g. removing a soft hyphen lets NFC compose a letter)."""
    if _PLAIN.fullmatch(text):
        return text
    for _ in range(4):
        changed = False
        for rule in _CHAR_RULES:
            new = _apply_char_rule(rule, text)
            if new != text:
                changes.append((rule, text, new))
                text, changed = new, True
        if not changed:
            break
    return text


# The lossy "â": when UTF-8 text is read as Latin-1/cp1252 and the C1 bytes are
# then thrown away, "’" (E2 80 99), "“", "”", "–", "—" all become a bare "â"
# (the E2 byte). ftfy cannot undo it: the bytes that told them apart are gone.
# A document gets this repair only if it shows the damage somewhere unambiguous:
# "â" right after closing punctuation (",â" ".â" — never in a real word) or in an
# English contraction/possessive ("Iranâs", "donât", "weâll", "1990âs").
_LOSSY_SIGNATURE = re.compile(r"[.,!?;:)\]}%]â|[^\W_]â(?:s|ll|re|ve|d)\b|nât\b")
_OPENERS = set("([{“‘«‹—–-/\"'")
_OPEN_BEFORE = set("$£€#@([{\"'‘“…")


def _lossy_char(prev: str, nxt: str) -> str | None:
    """What a bare "â" stood for, from the character before (already repaired)
    and after it; None when the neighbours do not decide it."""
    # a neighbouring bare "â" is itself a lost punctuation mark, not a letter
    prev_alnum = prev.isalnum() and prev != "â"
    next_alnum = nxt.isalnum() and nxt != "â"
    prev_space = prev == "" or prev.isspace()
    next_space = nxt == "" or nxt.isspace()
    if prev_alnum and next_alnum:
        return "\u2019"  # Iranâs -> Iran’s
    if next_alnum and (prev_space or prev in _OPENERS):
        return "\u2018" if prev == "\u201c" else "\u201c"  # âYou -> “You
    if prev_space and next_space:
        return "\u2014" if prev and nxt else None  # militias â such -> militias — such
    if not prev_space and (next_space or not next_alnum):
        return "\u201d"  # win,â Biden -> win,” Biden; missilesâ -> missiles”
    if prev_space and nxt in _OPEN_BEFORE:
        return "\u201c"
    return None


_BARE_A = re.compile("â")


def _repair_lossy(text: str) -> str:
    previous = [-1, ""]  # end and replacement of the last "â" handled, for "ââ"

    def replace(m: re.Match) -> str:
        i = m.start()
        prev = previous[1] if previous[0] == i else (text[i - 1] if i else "")
        nxt = text[i + 1] if i + 1 < len(text) else ""
        new = _lossy_char(prev, nxt) or "â"
        previous[0], previous[1] = i + 1, new
        return new

    return _BARE_A.sub(replace, text)


# --------------------------------------------------------------------------- #
# 2. Metadata lines: dates and bylines
# --------------------------------------------------------------------------- #

_MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3,
    "apr": 4, "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7,
    "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9, "oct": 10,
    "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}
_MONTH = "(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + ")"
_WEEKDAY = r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\.?,?\s+"
_DATE = (
    r"(?:(?P<y1>\d{4})[-/.](?P<m1>\d{1,2})[-/.](?P<d1>\d{1,2})"
    rf"|(?P<m2>{_MONTH})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{{4}})"
    rf"|(?P<d3>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m3>{_MONTH})\.?,?\s+(?P<y3>\d{{4}}))"
)
_TIME = (
    r"(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?"
    r"|\s*(?:[,|·•–—-]|at)?\s*\d{1,2}[:.]\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?"
    r"(?:\s*(?:[A-Z]{2,5}|(?:UTC|GMT)\s*[+-]\s*\d{1,2}(?::?\d{2})?))?)?"
)
_DATE_LABEL = (
    r"(?P<label>date|dated|publication date|(?:first |originally )?published(?: on)?|posted(?: on)?"
    r"|(?:last )?updated(?: on)?|(?:last )?modified(?: on)?)"
)
_DATE_LINE = re.compile(
    rf"^(?:{_DATE_LABEL}\s*[:\-–—]?\s*)?(?:{_WEEKDAY})?{_DATE}{_TIME}(?P<rest>.*)$",
    re.IGNORECASE)
_RUN_IN_START = re.compile(r"[^\W\d_]|[“\"‘']")
_REST_SEPARATOR = re.compile(r"^[|·•,;/–—-]\s*")

_UPPER = "A-ZÀ-ÖØ-ÞĀ-Ž"
_NAME = (rf"[{_UPPER}][\w'’.-]*"
         rf"(?:\s+(?:[{_UPPER}][\w'’.-]*|de|da|del|der|van|von|al|el|bin|ibn|la|le|du|dos))*")
_BYLINE = re.compile(
    rf"^(?i:by|written by|words by)\s+(?P<names>{_NAME}(?:\s*(?:,|&|\band\b)\s*{_NAME})*)"
    rf"(?:\s*[,|–—-]\s*{_NAME})?\s*$")


def _match_date(text: str) -> tuple[str, str, str] | None:
    """``(kind, iso_date, rest)`` if ``text`` is a date line: a label ("Published",
    "Updated", "date", ...) and a date, or a bare date filling the whole line.
    ``rest`` is body text run into the same line after a label and date."""
    m = _DATE_LINE.match(text)
    if not m:
        return None
    if m["y1"]:
        y, mo, d = int(m["y1"]), int(m["m1"]), int(m["d1"])
    elif m["y2"]:
        y, mo, d = int(m["y2"]), _MONTHS[m["m2"].lower()], int(m["d2"])
    else:
        y, mo, d = int(m["y3"]), _MONTHS[m["m3"].lower()], int(m["d3"])
    try:
        iso = dt.date(y, mo, d).isoformat()
    except ValueError:
        return None
    label = (m["label"] or "").lower()
    kind = "updated" if ("updated" in label or "modified" in label) else "date"
    rest = m["rest"].strip()
    if not rest:
        return kind, iso, ""
    if not label:
        return None  # a bare date followed by text is a dateline of the body: keep it
    if _RUN_IN_START.match(rest):
        return kind, iso, rest
    second = _REST_SEPARATOR.sub("", rest)  # "Published: ... | Updated: ..."
    if second != rest:
        again = _match_date(second)
        if again and not again[2]:
            return kind, iso, ""
    return None


# --------------------------------------------------------------------------- #
# 3. Furniture lines (context-free: each decision reads one line)
# --------------------------------------------------------------------------- #

_I = re.IGNORECASE
_SEP = r"(?:\s*(?::|\||»|›|>>?)|\s+[-–—]{1,2}\s)"
_APOS = "[’']"

_BULLET = re.compile(r"^\s*(?:(?P<num>\d{1,2})[.)]|[-*•·])\s*(?P<item>.*)$")
_HOME = re.compile(r"^(?:home|homepage|home page|front page|start|main page)\s*[/>»›|]?$", _I)
_CRUMB_SEPARATOR = re.compile(r"^[/>»›|\\→]+$")
_BREADCRUMB_LINE = re.compile(
    r"^(?:you are here\s*:?\s*)?(?:home|homepage|home page|front page|start)\s*(?:/|>|»|›|→|\|)\s*\S", _I)

_READ_MORE = re.compile(
    r"^(?:read (?:more|also|next|this|the latest)|also read|more to read|see also|see more|more"
    r"|related(?: (?:story|stories|article|articles|content|coverage|news|reading|links?|posts?|topics?))?"
    r"|recommended(?: reading| stories)?|suggested(?: reading)?|further reading|don" + _APOS + r"?t miss"
    r"|must read|watch|video|listen|trending(?: now)?|up next|in pictures|in depth"
    r"|more (?:on this(?: story)?|from \S+(?: \S+){0,3}|news|stories|coverage)"
    r"|you (?:may|might) also (?:like|be interested in)|editor" + _APOS + r"?s picks?)"
    + _SEP + r"\s*\S", _I)
_READ_MORE_BARE = re.compile(r"^read more\b", _I)
_RELATED_HEADING = re.compile(
    r"^(?:related(?: (?:stories|articles|content|coverage|news|reading|links|posts|topics))?"
    r"|read (?:more|next|also)|also read|see also|more (?:stories|news|on this(?: story)?|like this|to read)"
    r"|more from \S+(?: \S+){0,3}|most (?:read|popular|viewed|shared)|recommended(?: for you| stories| reading)?"
    r"|trending(?: now| stories)?|top stories|latest (?:news|stories)|popular (?:now|stories)"
    r"|you (?:may|might) also (?:like|be interested in)|editor" + _APOS + r"?s picks?|don" + _APOS
    + r"?t miss|in other news|what to read next|further reading)\s*:?$", _I)

_PHOTO_LEAD = re.compile(
    r"^(?:(?:(?:file|main|top|lead|featured|header|cover)\s+)?"
    r"(?:photo(?:graph)?|image|picture|foto|illustration|caption|video still)s?"
    r"(?:\s+(?:credits?|by|source|courtesy(?:\s+of)?))?|credits?|pictured|courtesy(?:\s+photo)?)\s*[:|©]", _I)
_PHOTO_BY_LEAD = re.compile(r"^(?:photo(?:graph)?|image|picture)s? by\s+\S", _I)
_AGENCIES = (r"AP|AFP|EPA(?:-EFE)?|REUTERS|Reuters|Getty Images|Xinhua|Anadolu(?: Agency)?|Shutterstock"
             r"|DepositPhotos|Depositphotos|Alamy|Bloomberg|Handout|Pool|SIPA|Sipa USA|TASS|IDF|WANA|UPI"
             r"|NurPhoto|Sputnik|dpa|ANSA|Flash90")
_CREDIT_TAIL = re.compile(
    r"(?:\b(?i:photo(?:graph)?|image|picture|credit)s?(?:\s+(?i:by|credit|courtesy(?: of)?))?\s*[:|]\s*[^.!?]{1,100}\.?"
    r"|\b(?i:photo(?:graph)?|image) by\s+[^\s.!?]+(?:\s+[^\s.!?]+){0,5}"
    r"|\((?:(?:AP|AFP|EPA|Reuters|REUTERS|File|IDF|Getty|Courtesy)\s+)?(?i:photo|image|picture|foto)s?"
    r"(?:\s+(?i:by|credit|courtesy)|\s*[:/])[^()]{0,80}\)"
    rf"|\b(?:{_AGENCIES})(?:\s+(?:Photo|Images?))?\s*/\s*[^\s/.!?][^/.!?]{{0,60}}"
    r"|/\s*(?:Getty Images|AFP|AP|REUTERS|Reuters|Shutterstock|EPA|Bloomberg|Anadolu|NurPhoto|Sipa USA)"
    r"(?:\s+via\s+\w+(?:\s+\w+)?)?"
    r"|\bvia (?:Getty Images|REUTERS|Reuters|AP|AFP|EPA|Shutterstock))\s*$")
_CREDIT_TAIL_CHARS = 200  # every credit form is shorter: search only the line's end
_AGENCY_ONLY = re.compile(rf"^(?:{_AGENCIES})(?:\s+(?:Photo|Images?))?$")

_COMMENT_FORM = re.compile(
    r"^(?:leave (?:a|your) (?:comment|reply|review)s?|(?:post|add|write) (?:a |your )?comment"
    r"|(?:show|view|load|hide|see|read) (?:all |more )?(?:\d+ )?comments?(?: \(\d+\))?"
    r"|join the (?:conversation|discussion)|\d+ (?:comments?|ratings?|votes?|reviews?|responses?|replies)"
    r"|comments? \(\d+\)|no comments(?: yet)?|be the first to (?:comment|review|rate)\b.*"
    r"|(?:you must be )?(?:logged in|log in|sign in|login) to (?:post a |leave a )?(?:comment|reply|rate)\b.*"
    r"|your email address will not be published\b.*|required fields are marked\b.*"
    r"|save my name, email,? and website\b.*|cancel reply|rate this(?: article| story| post)?"
    r"|user (?:score|rating|reviews?)|(?:average )?rating\s*:?\s*\d+(?:[.,]\d+)?(?:\s*/\s*\d+)?(?: stars?)?"
    r"|\d+(?:[.,]\d+)? out of \d+(?: stars?)?|[★☆✩✭✮ ]+|(?:name|e-?mail|website|comment|message)\s*\*"
    r"|comment policy\b.*|report (?:this )?comment)\W*$", _I)

_SHARE = re.compile(
    r"^(?:(?:(?:share|tweet|email|e-mail|print|copy(?: link)?|facebook|twitter|x|linkedin|whatsapp|telegram"
    r"|reddit|pinterest|flipboard|messenger|sms|mail|bookmark)\b[\s|·•,/]*)+"
    r"|share (?:this|the|on|via|to)\b.{0,60}"
    r"|follow (?:us|@\S+|[A-Z][\w.]*(?: [A-Z][\w.]*){0,3}) on (?:twitter|x|facebook|instagram|telegram"
    r"|google news|linkedin|threads|whatsapp|youtube|tiktok|bluesky|mastodon)\b.{0,80}"
    r"|follow (?:us|@\w+)\W*|like us on facebook\b.*|join (?:us|our \w+(?: \w+)?) on (?:whatsapp|telegram"
    r"|facebook|x|twitter|instagram)\b.*)$", _I)

_NEWSLETTER = re.compile(
    r"^(?:(?:sign up|signup|sign-up|subscribe|register|get|receive|join|enter your e-?mail)\b.{0,160}"
    r"\b(?:newsletters?|inbox|e-?mail alerts?|(?:daily|morning|evening|weekly) briefing|breaking news alerts)\b.{0,80}"
    r"|(?:subscribe|sign up|signup)(?: now| today| here| for free| free)?|(?:our |free |daily )?newsletters?"
    r"|already (?:a subscriber|have an account)\b.*|by (?:signing up|subscribing|clicking)\b.*"
    r"\b(?:agree|consent|terms|privacy)\b.*|thanks? (?:you )?for (?:signing up|subscribing)\b.*"
    r"|unsubscribe at any time\b.*)$", _I)

_ADVERT = re.compile(
    r"^\W*(?:advertisement|advertising|advert|ads?|sponsored(?: content| post| links?)?"
    r"|promoted(?: content| stories)?|paid (?:content|partner content|post)|partner content"
    r"|continue reading (?:below|after (?:the )?(?:ad|advertisement))"
    r"|(?:story|article) continues (?:below|after (?:the )?(?:ad|advertisement))(?: advertisement)?"
    r"|scroll (?:down )?to continue(?: with content| reading)?|skip (?:the )?(?:ad|advert|advertisement)"
    r"|close ad|report (?:this )?ad)\W*$", _I)

_CLICK_HERE = re.compile(r"\b(?:click|tap) here\b", _I)

_COPYRIGHT = re.compile(
    r"^(?:©|\(c\)\s*\d{4}|copyright\s*(?:©|\(c\))?\s*\d{4})|\ball rights reserved\b"
    r"|\bmay not be (?:published|reproduced|redistributed|copied)\b"
    r".*\b(?:broadcast|rewritten|redistributed|permission)\b",
    _I)
_COPYRIGHT_HINTS = ("©", "(c)", "copyright", "rights reserved", "may not be")
_CREDIT_HINTS = (":", "|", "/", "(", "photo", "image", "via ")

_TAGS = re.compile(r"^(?:tags?|topics?|filed under|categories|category|keywords|subjects?)\s*:\s*\S", _I)

_NAVIGATION = re.compile(
    r"^(?:skip to (?:main )?(?:content|navigation)|back to top|jump to (?:content|navigation)"
    r"|toggle (?:navigation|menu)|open (?:navigation|menu)|close (?:menu|navigation)|main menu"
    r"|(?:next|previous|prev) (?:article|story|post)|loading(?:\.\.\.|…)?"
    r"|javascript is (?:disabled|required)\b.*|please enable javascript\b.*)\W*$", _I)

_WIRE_CREDIT = re.compile(
    r"^\(?(?i:(?:additional )?reporting|writing|editing|compiled|edited|produced)"
    r"(?i: and (?:writing|editing|reporting))? (?i:by)\s+[A-Z]")

_LINK_ONLY = re.compile(r"^(?:<?https?://\S+>?|www\.\S+\.\S+|\[[^\]]*\]\([^)\s]*\))$", _I)

# Widget words that are furniture only at the very end of a page (a page's tail
# often holds a rating widget, a comment form or a menu; in the middle of a body
# "Reviews" could be a subheading and "85 %" a pull-out figure).
_TAIL_COMMENT = re.compile(
    r"^(?:reviews?|comments?|responses?|replies|\d+(?:[.,]\d+)?\s*%|\d+(?:[.,]\d+)?|name|e-?mail|website"
    r"|submit|post(?: comment)?|reply|send|rating|score|votes?)\W*$", _I)
_TAIL_NAVIGATION = re.compile(
    r"^(?:home|menu|search|close|more|back|next|previous|login|log in|sign in|tags|share|print|top)\W*$", _I)

_TERMINAL_MARKS = ".!?…:;"
_CLOSERS = "\"'”’»)]"
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+")

SHORT_LINE_CHARS = 300  # longer lines are never short furniture (menus, widgets, prompts)
HEADLINE_MAX_WORDS = 25  # a headline, or one of a trailing list of headlines
DEK_MAX_WORDS = 60
WRAP_MIN, WRAP_MAX = 40, 100  # line lengths of a hard-wrapped plain-text block


def _words(text: str) -> int:
    return len(text.split())


def _unterminated(text: str) -> bool:
    """No terminal punctuation (. ! ? … : ;) at the end, closing quotes aside."""
    text = text.rstrip(_CLOSERS)
    return not text or text[-1] not in _TERMINAL_MARKS


def _headline_like(text: str) -> bool:
    return _unterminated(text) and _words(text) <= HEADLINE_MAX_WORDS


def _credit_tail(text: str) -> bool:
    """A caption or credit closing the line ("... Photo: X", "REUTERS/Name")."""
    tail = text[-_CREDIT_TAIL_CHARS:]
    lower = tail.lower()
    return any(h in lower for h in _CREDIT_HINTS) and bool(_CREDIT_TAIL.search(tail))


def _furniture_rule(text: str) -> str | None:
    """The furniture rule a (character-repaired, non-empty) line matches, or None.

    Only captions and "Read more" lines can be long; every other furniture line
    is short, so longer lines skip those patterns (this also bounds the regex
    work on pathological input)."""
    words = _words(text)
    if _READ_MORE.match(text) or (words <= 25 and _READ_MORE_BARE.match(text)):
        return "read-more-link"
    if _PHOTO_LEAD.match(text) or _PHOTO_BY_LEAD.match(text) or (words <= 80 and _credit_tail(text)):
        return "photo-credit"
    if len(text) > SHORT_LINE_CHARS:
        return None
    lower = text.lower()
    if _RELATED_HEADING.match(text):
        return "related-heading"
    if _AGENCY_ONLY.match(text):
        return "photo-credit"
    if _COMMENT_FORM.match(text):
        return "comment-form"
    if words <= 20 and _SHARE.match(text):
        return "share-prompt"
    if words <= 40 and _NEWSLETTER.match(text):
        return "newsletter"
    if _ADVERT.match(text):
        return "advertisement"
    if words <= 30 and " here" in lower and _CLICK_HERE.search(text):
        return "click-here"
    if words <= 40 and any(h in lower for h in _COPYRIGHT_HINTS) and _COPYRIGHT.search(text):
        return "copyright"
    if words <= 40 and _TAGS.match(text):
        return "tags"
    if _NAVIGATION.match(text):
        return "site-navigation"
    if words <= 40 and _WIRE_CREDIT.match(text) and (
            ";" in text or "editing by" in lower or _unterminated(text.rstrip(")"))):
        return "wire-credit"
    if _LINK_ONLY.match(text):
        return "link-only"
    if words <= 20 and _BREADCRUMB_LINE.match(text):
        return "breadcrumb"
    return None


def _tail_rule(text: str) -> str | None:
    if len(text) > 40:
        return None
    if _TAIL_COMMENT.match(text):
        return "comment-form"
    if _TAIL_NAVIGATION.match(text):
        return "site-navigation"
    return None


# --------------------------------------------------------------------------- #
# The line-level driver
# --------------------------------------------------------------------------- #

class _Line:
    __slots__ = ("no", "raw", "text", "changes", "status", "rule", "meta")

    def __init__(self, no: int, raw: str):
        self.no = no
        self.raw = raw
        self.text = raw
        self.changes: list[tuple[str, str, str]] = []
        self.status = "body"  # "body" | "blank" | "dropped" | "metadata"
        self.rule = ""
        self.meta: list[tuple[str, str, str]] = []  # (rule, key, value)

    @property
    def alive(self) -> bool:
        return self.status == "body"

    def drop(self, rule: str) -> None:
        self.status, self.rule = "dropped", rule


def _mark_breadcrumb_runs(lines: list[_Line]) -> None:
    """Multi-line breadcrumb trails, as HTML extraction renders them:
    numbered ("1. Home / 2. / 3. Politics"), bulleted ("- Home / - World") or bare
    items alternating with separator lines ("Home / > / World"). A trail starts at
    a "Home" item and runs over consecutive non-blank lines."""
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        if not line.alive:
            i += 1
            continue
        m = _BULLET.match(line.text)
        item = m["item"] if m else line.text
        if not _HOME.match(item):
            i += 1
            continue
        run = [line]
        j = i + 1
        if m:  # numbered or bulleted list: consecutive items, numbers counting up
            number = int(m["num"]) if m["num"] else None
            while j < n and lines[j].alive:
                mj = _BULLET.match(lines[j].text)
                if not mj or _words(mj["item"]) > 12 or bool(mj["num"]) != (number is not None):
                    break
                if number is not None:
                    if int(mj["num"]) != number + 1:
                        break
                    number += 1
                run.append(lines[j])
                j += 1
        else:  # bare items: "Home", "/", "Politics", "/", "Article"
            after_separator = False
            while j < n and lines[j].alive:
                text = lines[j].text
                if _CRUMB_SEPARATOR.match(text):
                    after_separator = True
                elif after_separator and _words(text) <= 12:
                    after_separator = False
                else:
                    break
                run.append(lines[j])
                j += 1
            if not any(_CRUMB_SEPARATOR.match(x.text) for x in run):
                run = []
        if len(run) >= 2:
            for x in run:
                x.drop("breadcrumb")
            i = j
        else:
            i += 1


def _blocks(lines: list[_Line]) -> list[list[_Line]]:
    """Maximal runs of non-blank lines (dropped lines included, as members)."""
    blocks: list[list[_Line]] = []
    current: list[_Line] = []
    for line in lines:
        if line.status == "blank":
            if current:
                blocks.append(current)
                current = []
        else:
            current.append(line)
    if current:
        blocks.append(current)
    return blocks


def _mark_related_headlines(lines: list[_Line], blank_mode: bool) -> None:
    """Unpunctuated headline lines right under a "Related stories" heading."""
    for i, line in enumerate(lines):
        if line.rule != "related-heading":
            continue
        for nxt in lines[i + 1:]:
            if nxt.status == "blank":
                if blank_mode:
                    break
                continue
            if nxt.status == "dropped":
                continue
            if not nxt.alive:
                break
            item = _BULLET.match(nxt.text)
            text = item["item"] if item else nxt.text
            if not text or not _headline_like(text):
                break
            nxt.drop("related-headlines")


def _mark_tail(lines: list[_Line], blank_mode: bool) -> None:
    """The end of the page: widget words, then a trailing list of headlines (two
    or more unpunctuated headline-like lines with no blank line between them),
    repeated until the page ends with a body line. Walks back from the end only."""
    end = len(lines)
    while True:
        i = end - 1
        while i >= 0:  # widget words ("Reviews", "85 %", "Menu") closing the page
            line = lines[i]
            if line.alive:
                rule = _tail_rule(line.text)
                if not rule:
                    break
                line.drop(rule)
            i -= 1
        end = i + 1
        if end == 0:
            return
        members: list[_Line] = []
        j = end - 1
        while j >= 0 and lines[j].status != "blank":
            line = lines[j]
            if line.alive:
                if not _headline_like(line.text):
                    if blank_mode:  # the whole last block must be headlines
                        members = []
                    break
                members.append(line)
            j -= 1
        if len(members) < 2:
            return
        for line in members:
            line.drop("trailing-headlines")
        end = min(x.no for x in members) - 1  # line numbers are 1-based indexes + 1


def _wrapped(members: list[_Line]) -> bool:
    """A hard-wrapped plain-text paragraph: every line but the last is 40-100
    characters long, the last at most 100, and none is a list item."""
    if any(_BULLET.match(x.text) for x in members[1:]):
        return False
    return (all(WRAP_MIN <= len(x.text) <= WRAP_MAX for x in members[:-1])
            and len(members[-1].text) <= WRAP_MAX)


def _mostly_wrapped(lines: list[_Line]) -> bool:
    """Hard-wrapped plain text: most blocks of two or more lines look wrapped."""
    multi = [b for b in _blocks(lines) if len(b) > 1]
    return bool(multi) and 2 * sum(_wrapped(b) for b in multi) >= len(multi)


def _paragraphs(lines: list[_Line], blank_mode: bool) -> list[tuple[str, list[_Line]]]:
    paragraphs: list[tuple[str, list[_Line]]] = []
    if not blank_mode:
        return [(x.text, [x]) for x in lines if x.alive]
    for block in _blocks(lines):
        members = [x for x in block if x.alive]
        if len(members) > 1 and _wrapped(members):
            paragraphs.append((" ".join(x.text for x in members), members))
        else:
            paragraphs.extend((x.text, [x]) for x in members)
    return paragraphs


def _take_headline(paragraphs: list[tuple[str, list[_Line]]], meta: dict[str, str]) -> int:
    """Move the headline (and standfirst) to ``meta``; return how many leading
    paragraphs were taken.

    The leading paragraphs without terminal punctuation are counted (up to 3).
    One: it is the headline if it has at most 25 words. Two: headline and dek
    (the dek at most 60 words). Three or more, or nothing after them: ambiguous,
    nothing is taken (a list, a poem, a page of fragments).
    """
    k = 0
    for text, members in paragraphs[:3]:
        if len(members) != 1 or not _unterminated(text):
            break
        k += 1
    if k == 0 or k == 3 or k == len(paragraphs):
        return 0
    title_text, (title_line,) = paragraphs[0]
    if _words(title_text) > HEADLINE_MAX_WORDS:
        return 0
    title = _MARKDOWN_HEADING.sub("", title_text).strip() or title_text
    meta["title"] = title
    title_line.status, title_line.rule = "metadata", "headline"
    title_line.meta.append(("headline", "title", title))
    if k == 2:
        dek_text, (dek_line,) = paragraphs[1]
        if _words(dek_text) <= DEK_MAX_WORDS:
            dek = _MARKDOWN_HEADING.sub("", dek_text).strip() or dek_text
            meta["dek"] = dek
            dek_line.status, dek_line.rule = "metadata", "dek"
            dek_line.meta.append(("dek", "dek", dek))
            return 2
    return 1


def clean_text(raw: str) -> Cleaned:
    """Clean one article's decoded text (see the module docstring and
    docs/cleaning.md). Never raises on any string."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    lines = [_Line(no, line) for no, line in enumerate(text.split("\n"), start=1)]

    # 1. characters
    for line in lines:
        line.text = _repair_chars(line.raw, line.changes)
    repaired = "\n".join(x.text for x in lines)
    if "â" in repaired and _LOSSY_SIGNATURE.search(repaired):
        for line in lines:
            if "â" in line.text:
                fixed = _repair_lossy(line.text)
                if fixed != line.text:
                    line.changes.append(("lossy-a-circumflex", line.text, fixed))
                    line.text = _repair_chars(fixed, line.changes)
    for line in lines:
        if not line.text:
            line.status = "blank"

    # per document: blank-line paragraphs, or one paragraph per line
    blank_gaps = single_gaps = 0
    previous, blanks_since = None, 0
    for line in lines:
        if line.status == "blank":
            blanks_since += 1
            continue
        if previous is not None:
            if blanks_since:
                blank_gaps += 1
            else:
                single_gaps += 1
        previous, blanks_since = line, 0
    blank_mode = blank_gaps > 0 and (blank_gaps >= single_gaps or _mostly_wrapped(lines))

    # 2.-3. metadata and furniture lines
    meta: dict[str, str] = {}
    _mark_breadcrumb_runs(lines)
    for line in lines:
        if not line.alive:
            continue
        date = _match_date(line.text)
        if date:
            kind, iso, rest = date
            line.meta.append(("date-line", kind, iso))
            meta.setdefault(kind, iso)
            if rest:
                line.changes.append(("date-line", line.text, rest))
                line.text = rest
            else:
                line.status, line.rule = "metadata", "date-line"
                continue
        byline = _words(line.text) <= 12 and _BYLINE.match(line.text)
        if byline:
            line.status, line.rule = "metadata", "byline"
            line.meta.append(("byline", "author", byline["names"]))
            meta.setdefault("author", byline["names"])
            continue
        rule = _furniture_rule(line.text)
        if rule:
            line.drop(rule)
    _mark_related_headlines(lines, blank_mode)

    # 4. the tail of the page
    _mark_tail(lines, blank_mode)

    # 5.-6. paragraphs, headline and standfirst
    paragraphs = _paragraphs(lines, blank_mode)
    taken = _take_headline(paragraphs, meta)
    body = "\n\n".join(text for text, _ in paragraphs[taken:])

    log: list[LogEntry] = []
    for line in lines:
        if line.status == "dropped":
            log.append(LogEntry(line.no, "dropped", line.rule, line.raw))
            continue
        if line.raw.strip():  # a blank raw line is no content, whatever cleaning did to it
            for rule, before, after in line.changes:
                if rule != "date-line":
                    log.append(LogEntry(line.no, "changed", rule, before, after))
        for rule, key, value in line.meta:
            before = line.text if rule in ("headline", "dek") else _meta_source(line)
            log.append(LogEntry(line.no, "metadata", rule, before, f"{key}: {value}"))
        for rule, before, after in line.changes:
            if rule == "date-line":
                log.append(LogEntry(line.no, "changed", rule, before, after))
    return Cleaned(body=body, meta=meta, log=log)


def _meta_source(line: _Line) -> str:
    """The line text a date/byline was read from (before a run-in date was cut off)."""
    for rule, before, _after in line.changes:
        if rule == "date-line":
            return before
    return line.text


# --------------------------------------------------------------------------- #
# The log, for people
# --------------------------------------------------------------------------- #

_SHOW = 100   # longest excerpt shown for a dropped or metadata line
_CONTEXT = 15  # characters of context around each change


def _visible(text: str) -> str:
    """Make invisible characters visible: NBSP -> \\xa0, zero-width space -> \\u200b."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)


def _shorten(text: str, width: int = _SHOW) -> str:
    text = _visible(" ".join(text.split()) if text.strip() else text)
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def describe_change(before: str, after: str) -> str:
    """``"before" -> "after"``, whole if short; otherwise each changed stretch with
    a little context, so the change stays visible in long lines."""
    if len(before) <= 70 and len(after) <= 70:
        return f'"{_visible(before)}" -> "{_visible(after)}"'
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    regions: list[list[int]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if regions and i1 - regions[-1][1] <= 2 * _CONTEXT:
            regions[-1][1], regions[-1][3] = i2, j2
        else:
            regions.append([i1, i2, j1, j2])
    parts = []
    for i1, i2, j1, j2 in regions[:4]:
        a, b = max(0, i1 - _CONTEXT), min(len(before), i2 + _CONTEXT)
        c, d = max(0, j1 - _CONTEXT), min(len(after), j2 + _CONTEXT)
        pre, post = ("…" if a else ""), ("…" if b < len(before) else "")
        pre2, post2 = ("…" if c else ""), ("…" if d < len(after) else "")
        parts.append(f'"{pre}{_visible(before[a:b])}{post}" -> "{pre2}{_visible(after[c:d])}{post2}"')
    if len(regions) > 4:
        parts.append(f"(+{len(regions) - 4} more)")
    return "; ".join(parts)


def format_log(log) -> str:
    """One line per log entry, for ``python -m analysis clean CORPUS``::

          line 19   dropped   read-more-link      Read More: US Army To Hold Joint ...
          line 3    changed   lossy-a-circumflex  "…ort to Iranâs attack. B…" -> "…ort to Iran’s attack. B…"
    """
    rows = []
    for entry in log:
        where = f"line {entry.line}" if entry.line else "file"
        if entry.action == "changed":
            what = describe_change(entry.before, entry.after)
        elif entry.action == "metadata":
            key, _, value = entry.after.partition(": ")
            same = " ".join(entry.before.split()) == value
            what = f"{key} = {_shorten(value)}" if same else f"{_shorten(entry.before, 70)} -> {key} = {value}"
        else:
            what = _shorten(entry.before)
        rows.append(f"  {where:<9} {entry.action:<9} {entry.rule:<19} {what}")
    return "\n".join(rows)
