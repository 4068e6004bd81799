"""The hedge lexicon: reading the CSV and compiling its cues into one matcher.

All cues are compiled into ONE case-insensitive regular expression, built as a
prefix tree so that at any position the longest cue wins. ``Lexicon.shorter``
lists, for each multi-word cue, the shorter cues it starts with, tried in turn
when the long cue fails its check.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from analysis.datafiles import read_data
from analysis.measures.hedging.cache import read_once
from analysis.measures.hedging.rules import LEGACY_RULES, RULES

CATEGORIES = ("epistemic", "evidential", "approximator", "shield", "weasel")
CATEGORY_LABELS = {
    "epistemic": "epistemic modal verb",
    "evidential": "evidential / distancing attribution",
    "approximator": "approximator",
    "shield": "shield / uncertainty marker",
    "weasel": "vague attribution / unsupported claim",
}
ACCEPT_VALUES = ("", "model")
LEXICON_FILE = "hedges.csv"
_PACKAGE = "analysis.measures.hedging"
_WS_RE = re.compile(r"\s+")


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
    _after_break: re.Pattern = field(init=False, repr=False)  # see ``find``

    def __post_init__(self):
        object.__setattr__(self, "_after_break", re.compile(_after_break_regex(self.by_cue)))

    def __len__(self) -> int:
        return len(self.entries)

    def find(self, text: str, pos: int = 0) -> tuple[int, int] | None:
        """``(start, end)`` of ``self.pattern.search(text, pos)``, or None.

        Speed only: the same match, found faster. A cue starts at offset 0 or after
        a non-word character (the lookbehind of ``pattern``): after trying offset 0,
        the search only stops at non-word characters (``_after_break_regex``) and
        reads the cue after them.
        """
        if pos <= 0:
            m = self.pattern.match(text)
            if m is not None:
                return m.span()
            m = self._after_break.search(text)
        else:
            m = self._after_break.search(text, pos - 1)
        return m.span(1) if m is not None else None


def normalise_cue(cue: str) -> str:
    """A cue as the lexicon keys it: lower case (casefolded), single spaces."""
    return _WS_RE.sub(" ", cue.strip().casefold())


def _trie(cues: Iterable[str]) -> dict:
    """The cues as a prefix tree: character -> subtree; the key "" marks the end of a cue."""
    trie: dict = {}
    for cue in cues:
        node = trie
        for ch in cue:
            node = node.setdefault(ch, {})
        node[""] = True
    return trie


def _branch(node: dict) -> str:
    """The expression of a prefix tree: longer continuations first, the end of a cue last."""
    alts = []
    for ch in sorted(k for k in node if k):
        piece = r"\s+" if ch == " " else re.escape(ch)
        alts.append(piece + _branch(node[ch]))
    if "" in node:
        alts.append(r"(?!\w)")
    if len(alts) == 1:
        return alts[0]
    return "(?:" + "|".join(alts) + ")"


def _trie_regex(cues: Iterable[str]) -> str:
    """One alternation over all cues, factored as a prefix tree.

    At every node the longer continuations come first and the end of a cue is
    tried last, so the regex prefers the longest cue at a position. A space in a
    cue matches any run of whitespace; every cue must end at a word boundary.
    """
    return r"(?<!\w)" + _branch(_trie(cues))


def _after_break_regex(cues: Iterable[str]) -> str:
    """A non-word character, then (group 1) what ``_trie_regex(cues)`` matches, compiled
    without re.IGNORECASE: ``Lexicon.find`` runs it (speed only, see there).

    Each subtree is the same expression under ``(?i:...)``; the first character is one
    alternative per ASCII character that it matches case-insensitively ("a", "A"),
    in the original order, and a last alternative takes a non-ASCII first character
    to the original expression. The engine passes over an alternative whose first
    character is another literal with one comparison.
    """
    trie = _trie(cues)
    ascii_chars = [chr(i) for i in range(128)]
    alts = []
    for ch in sorted(trie):
        rest = "(?i:%s)" % _branch(trie[ch])
        alts += [re.escape(c) + rest for c in ascii_chars if re.fullmatch(re.escape(ch), c, re.IGNORECASE)]
    alts.append(r"(?=[^\x00-\x7f])(?i:%s)" % _branch(trie))
    return r"\W(%s)" % "|".join(alts)


def parse_lexicon(handle, where: str) -> tuple[LexiconEntry, ...]:
    reader = csv.DictReader(handle)
    fields = [f.strip() for f in (reader.fieldnames or [])]
    missing = [c for c in ("cue", "category") if c not in fields]
    if missing:
        raise ValueError(f"{where}: missing column(s) {', '.join(missing)} "
                         "(a hedge lexicon needs at least cue, category)")
    reader.fieldnames = fields
    entries, seen = [], {}
    for line, row in enumerate(reader, start=2):
        cue = normalise_cue(row.get("cue") or "")
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


def build_lexicon(entries: tuple[LexiconEntry, ...], where: str, rules=None) -> Lexicon:
    """The compiled ``Lexicon`` of ``entries`` (``rules`` None: ``RULES``)."""
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
        return packaged_lexicon()
    try:
        data, where = read_data(_PACKAGE, LEXICON_FILE, path, encoding="utf-8-sig")
    except OSError as exc:
        raise ValueError(f"{Path(path)}: cannot read hedge lexicon ({exc.strerror})") from None
    return build_lexicon(parse_lexicon(io.StringIO(data), where), where)


def _packaged_entries() -> tuple[LexiconEntry, ...]:
    data, where = read_data(_PACKAGE, LEXICON_FILE, encoding="utf-8-sig")
    return parse_lexicon(io.StringIO(data), where)


@read_once
def packaged_lexicon() -> Lexicon:
    """The packaged lexicon, with ``RULES``."""
    return build_lexicon(_packaged_entries(), f"{_PACKAGE.replace('.', '/')}/{LEXICON_FILE}")


@read_once
def legacy_lexicon() -> Lexicon:
    """The lexicon and rules as they were before the weasel category and the
    learned layer: the packaged rows whose ``added`` column is empty, with the
    original "might" check. Used by ``legacy_find_hedges``."""
    entries = tuple(e for e in _packaged_entries() if not e.added)
    return build_lexicon(entries, "analysis/measures/hedging/hedges.csv (legacy rows)", LEGACY_RULES)
