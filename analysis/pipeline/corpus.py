"""Load an event corpus folder: manifest, actors, decoding, HTML extraction.

The corpus folder contract (README, "Bring your own corpus"):

    manifest.csv   id, outlet, file (required); title, date, url, language, notes
    actors.yaml    event {name, date}; actors {Name: {kind, aliases, demonyms}}
    <files>        .txt / .md (plain text), .html / .htm (main text extracted)

Every problem is reported as one line naming the file; all problems of a corpus
are collected before raising, so a user fixes them in one pass.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
import warnings
from html.parser import HTMLParser
from pathlib import Path

import yaml

from analysis.errors import CorpusError
from analysis.pipeline.clean import clean_text
from analysis.pipeline.model import Actor, Article, Corpus, LogEntry
from analysis.pipeline.segment import segment

REQUIRED_COLUMNS = ("id", "outlet", "file")
OPTIONAL_COLUMNS = ("title", "date", "url", "language", "notes")
TEXT_SUFFIXES = {".txt", ".md"}
HTML_SUFFIXES = {".html", ".htm"}
ACTOR_KINDS = {"person", "country", "organisation", "group"}


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")  # control characters other than \t \n \f \r
# in manifest fields: control characters (but tab and line breaks), bidirectional overrides and isolates
_FIELD_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")
_WORD = re.compile(r"[^\W_]")  # a letter or digit
LINE_KEY = "_line"  # read_manifest: the manifest line a row starts on


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode file bytes; return ``(text, encoding)``.

    UTF-8 (a BOM is dropped) first; otherwise cp1252, then latin-1, which never
    fails. Raises ValueError for bytes that are not text (NUL bytes, or mostly
    control characters), which latin-1 would otherwise accept silently.
    """
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise ValueError("starts like UTF-16 but does not decode as UTF-16: save it as UTF-8") from None
        return _check_control(text).replace("\r\n", "\n").replace("\r", "\n"), "utf-16"
    if b"\x00" in data:
        half = data[1::2] if data[1::2].count(0) > data[0::2].count(0) else data[0::2]
        if half.count(0) > len(half) // 2:
            raise ValueError("looks like UTF-16 without a byte-order mark, which is not supported: save it as UTF-8")
        raise ValueError("contains NUL bytes: not a text file")
    try:
        text, enc = data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        try:
            text, enc = data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            text, enc = data.decode("latin-1"), "latin-1"
    return _check_control(text).replace("\r\n", "\n").replace("\r", "\n"), enc


def _check_control(text: str) -> str:
    control = len(_CONTROL.findall(text))
    if control > max(2, len(text) // 100):
        raise ValueError(f"{control} control characters: not a text file")
    return text


def _read_bytes(path: Path) -> bytes:
    """The file's bytes, or CorpusError naming it (unreadable, a folder, missing)."""
    try:
        return path.read_bytes()
    except IsADirectoryError:
        raise CorpusError(path, "is a folder, not a file") from None
    except FileNotFoundError:
        raise CorpusError(path, "missing") from None
    except PermissionError:
        raise CorpusError(path, "cannot be read: permission denied") from None
    except OSError as err:
        raise CorpusError(path, f"cannot be read: {err.strerror or err}") from None


def extract_html(html: str) -> str:
    """Main text of an HTML page via trafilatura (no network, no scripts run).

    Paragraphs come back one per line; comments and tables are left out.
    """
    import trafilatura  # imported lazily: it is slow to import and only HTML needs it

    text = trafilatura.extract(
        html, include_comments=False, include_tables=False, include_images=False,
        include_links=False, with_metadata=False, deduplicate=False)
    if not text:
        # lxml, under trafilatura, gives up on pages nested deeper than 255 elements; the plain
        # block text is better than reporting "no main text" for a page that has one
        text = _block_text(html)
    return text or ""


_BLOCKS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre"})
_SKIPPED = frozenset({"script", "style", "noscript", "template", "nav", "footer", "header", "aside", "form"})


def _block_text(html: str) -> str:
    """The text of the page's paragraphs, headings and list items, one per line (a fallback).

    Python's own HTML parser keeps no tree, so nesting depth does not matter; the
    text of scripts, styles, navigation, headers, footers and forms is left out.
    """
    class Blocks(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.skip = 0
            self.depth = 0
            self.current: list[str] = []
            self.out: list[str] = []

        def handle_starttag(self, tag, attrs):
            if tag in _SKIPPED:
                self.skip += 1
            elif tag in _BLOCKS:
                self.depth += 1

        def handle_endtag(self, tag):
            if tag in _SKIPPED and self.skip:
                self.skip -= 1
            elif tag in _BLOCKS and self.depth:
                self.depth -= 1
                if not self.depth:
                    line = " ".join("".join(self.current).split())
                    if line:
                        self.out.append(line)
                    self.current = []

        def handle_data(self, data):
            if self.depth and not self.skip:
                self.current.append(data)

    parser = Blocks()
    parser.feed(html)
    parser.close()
    return "\n".join(parser.out)


def _parse_date(value, where) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise CorpusError(where, f"date {value!r} is not YYYY-MM-DD") from None


def load_actors(path: Path) -> tuple[list[Actor], str, dt.date | None]:
    """Read actors.yaml; return (actors, event name, event date)."""
    if not path.exists():
        raise CorpusError(path, "missing: every corpus needs actors.yaml (see README)")
    raw = _read_bytes(path)
    try:
        data = yaml.safe_load(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise CorpusError(path, "not UTF-8 text") from None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        where = f"line {mark.line + 1}: " if mark is not None else ""
        raise CorpusError(path, f"not valid YAML: {where}{err.problem or err.context}") from None
    except yaml.YAMLError as err:
        first = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise CorpusError(path, f"not valid YAML: {first}") from None
    except ValueError as err:  # a date YAML recognises but the calendar does not have (2024-02-30)
        raise CorpusError(path, f"not a valid date: {err}") from None
    if not isinstance(data, dict) or not isinstance(data.get("actors"), dict):
        raise CorpusError(path, "needs a mapping 'actors:' of actor names to {kind, aliases}")
    event = data.get("event") or {}
    if not isinstance(event, dict):
        raise CorpusError(path, "'event:' must be a mapping with name and date")
    actors = []
    for name, spec in data["actors"].items():
        spec = spec or {}
        if not isinstance(spec, dict):
            raise CorpusError(path, f"actor {name!r}: expected a mapping with kind and aliases")
        kind = spec.get("kind", "person")
        if kind not in ACTOR_KINDS:
            raise CorpusError(path, f"actor {name!r}: kind {kind!r} is not one of "
                              + ", ".join(sorted(ACTOR_KINDS)))
        aliases = spec.get("aliases") or [name]
        demonyms = spec.get("demonyms") or []
        # one alias written as a plain string is one alias, never split into letters
        aliases = [aliases] if isinstance(aliases, str) else aliases
        demonyms = [demonyms] if isinstance(demonyms, str) else demonyms
        if not isinstance(aliases, list) or not isinstance(demonyms, list):
            raise CorpusError(path, f"actor {name!r}: aliases and demonyms must be lists of strings")
        if not all(isinstance(a, str) and a.strip() for a in [*aliases, *demonyms]):
            raise CorpusError(path, f"actor {name!r}: aliases and demonyms must be non-empty strings")
        actors.append(Actor(str(name), kind, tuple(a.strip() for a in aliases),
                            tuple(d.strip() for d in demonyms)))
    return actors, str(event.get("name", "") or ""), _parse_date(event.get("date"), path)


class AliasWarning(UserWarning):
    """Two actors in actors.yaml share a name form; emitted once per shared form."""


def alias_conflicts(actors: list[Actor]) -> list[str]:
    """One message per name form (alias or demonym) that two or more actors share.

    Forms are compared as the mention finder compares them (white space folded,
    curly apostrophes straightened, case ignored). A shared form is given to one
    of its actors only where the article has already named exactly one of them
    by another form; elsewhere its mentions are dropped, so the user must hear
    about it.
    """
    owners: dict[str, list[tuple[str, str]]] = {}
    for actor in actors:
        for form in (*actor.aliases, *actor.demonyms):
            key = " ".join(form.replace("\u2019", "'").split()).casefold()
            names = owners.setdefault(key, [])
            if all(n != actor.name for n, _ in names):
                names.append((actor.name, form))
    out = []
    for key, names in owners.items():
        if len(names) > 1:
            who = " and ".join(repr(n) for n, _ in names)
            out.append(f"actors {who} share the alias {names[0][1]!r}: its mentions count for one of them "
                       "only where the article named that one first by another alias, and are dropped elsewhere")
    return out


def read_manifest(folder: Path) -> list[dict[str, str]]:
    path = folder / "manifest.csv"
    if not path.exists():
        raise CorpusError(path, "missing: every corpus needs manifest.csv with columns id, outlet, file")
    try:
        text = _read_bytes(path).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CorpusError(path, "not UTF-8 text") from None
    reader = csv.DictReader(io.StringIO(text))
    columns = [c.strip() for c in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise CorpusError(path, "missing column(s) " + ", ".join(missing)
                          + " (required: id, outlet, file)")
    rows = []
    try:
        for row in reader:
            values = [v for v in row.values() if isinstance(v, str)]
            # the physical line the record starts on (blank lines and quoted line breaks counted)
            line = reader.line_num - sum(v.count("\n") for v in values)
            bad = next((v for v in values if _FIELD_FORBIDDEN.search(v)), None)
            if bad is not None:
                ch = _FIELD_FORBIDDEN.search(bad).group()
                raise CorpusError(f"{path}:{line}", f"a field holds the control character U+{ord(ch):04X}: "
                                  "remove it (control and text-direction characters are not allowed)")
            clean = {(k or "").strip(): (v or "").strip() for k, v in row.items() if k is not None}
            if any(v for k, v in clean.items() if k != LINE_KEY):
                clean[LINE_KEY] = line
                rows.append(clean)
    except csv.Error as err:
        raise CorpusError(f"{path}:{reader.line_num}", f"not valid CSV: {err}") from None
    if not rows:
        raise CorpusError(path, "has no articles")
    return rows


def load_corpus(path, *, progress=None) -> Corpus:
    """Load, clean and segment every article of the corpus folder at ``path``.

    Raises CorpusError listing every problem found (one line each).
    ``progress``, if given, is called as ``progress(i, n, article_id)``.
    """
    scan = _scan(path)
    articles, problems = [], list(scan.problems)
    for i, entry in enumerate(scan.entries):
        if progress:
            progress(i, len(scan.entries), entry.row["id"])
        got = _load_article(entry, scan.event_date)
        if isinstance(got, Article):
            articles.append(got)
        else:
            problems.extend(got)
    if problems:
        raise CorpusError(None, problems=problems)
    return scan.corpus(articles, warn=True)


def open_corpus(path) -> Corpus:
    """The corpus at ``path`` with its articles read only when they are used.

    The folder, the manifest and the actors file are checked now (CorpusError
    lists every problem); each article is read, cleaned and segmented when a
    slice of ``corpus.articles`` is taken, and not kept (``LazyArticles``), so a
    pass over a large corpus holds one span of articles at a time. An article
    that cannot be read is reported by ``LazyArticles.load``.
    """
    scan = _scan(path)
    if scan.problems:
        raise CorpusError(None, problems=scan.problems)
    return scan.corpus(LazyArticles(scan.entries, scan.event_date), warn=True)


class _Entry:
    """One manifest row that passed the manifest's checks: what loading it needs."""

    __slots__ = ("row", "file", "where", "suffix")

    def __init__(self, row, file, where, suffix):
        self.row, self.file, self.where, self.suffix = row, file, where, suffix


class _Scan:
    """The checked folder: actors, event, the manifest's entries and the problems found."""

    def __init__(self, folder, actors, event_name, event_date, entries, problems):
        self.folder, self.actors, self.event_name, self.event_date = folder, actors, event_name, event_date
        self.entries, self.problems = entries, problems

    def corpus(self, articles, warn: bool) -> Corpus:
        notes = tuple((str(self.folder / "actors.yaml"), msg) for msg in alias_conflicts(self.actors))
        if warn:
            for where, msg in notes:
                warnings.warn(f"{where}: {msg}", AliasWarning, stacklevel=3)
        return Corpus(path=self.folder, name=self.folder.name, articles=articles, actors=self.actors,
                      event_name=self.event_name, event_date=self.event_date, warnings=notes)


def _scan(path) -> _Scan:
    """Check the folder, the actors file and every manifest row, without reading the articles."""
    folder = Path(path)
    if not folder.is_dir():
        raise CorpusError(folder, "not a folder (a corpus is a folder with manifest.csv)")
    actors, event_name, event_date = load_actors(folder / "actors.yaml")
    rows = read_manifest(folder)
    manifest = folder / "manifest.csv"
    root = folder.resolve()
    problems: list[tuple[str, str]] = []
    seen_ids: dict[str, int] = {}
    entries = []
    for row in rows:
        lineno = row.pop(LINE_KEY)
        where = f"{manifest}:{lineno}"
        art_id, outlet, rel = row.get("id", ""), row.get("outlet", ""), row.get("file", "")
        if not art_id or not outlet or not rel:
            problems.append((where, "id, outlet and file must all be filled in"))
            continue
        if any("\n" in v or "\r" in v for v in (art_id, outlet, rel)):
            problems.append((where, "id, outlet and file must each be on one line"))
            continue
        if art_id in seen_ids:
            problems.append((where, f"duplicate id {art_id!r} (first on line {seen_ids[art_id]})"))
            continue
        seen_ids[art_id] = lineno
        file = folder / rel
        try:
            file.resolve().relative_to(root)
        except ValueError:
            problems.append((where, f"file {rel!r} is outside the corpus folder"))
            continue
        suffix = file.suffix.lower()
        if suffix not in TEXT_SUFFIXES | HTML_SUFFIXES:
            problems.append((file, f"unknown extension {file.suffix or '(none)'!r}: use .txt, .md or .html"))
            continue
        if file.is_dir():
            problems.append((file, f"is a folder, not a file (listed in manifest.csv line {lineno})"))
            continue
        if not file.is_file():
            problems.append((file, f"missing (listed in manifest.csv line {lineno})"))
            continue
        if row.get("date"):
            try:
                dt.date.fromisoformat(row["date"])
            except ValueError:
                problems.append((where, f"date {row['date']!r} is not YYYY-MM-DD (leave it empty if unknown)"))
                continue
        entries.append(_Entry(row, file, where, suffix))
    return _Scan(folder, actors, event_name, event_date, entries, problems)


def _load_article(entry: _Entry, event_date) -> Article | list[tuple]:
    """Read, decode, clean and segment one article: the Article, or its problems (one or more lines)."""
    file, row = entry.file, entry.row
    try:
        data = _read_bytes(file)
    except CorpusError as err:
        return list(err.problems)
    if not data.strip():
        return [(file, "empty file")]
    try:
        text, encoding = decode_bytes(data)
    except ValueError as err:
        return [(file, str(err))]
    del data
    if entry.suffix in HTML_SUFFIXES:
        text = extract_html(text)
        if not text.strip():
            return [(file, "no main text found in the HTML")]
    cleaned = clean_text(text)
    log = list(cleaned.log)
    if encoding != "utf-8":
        log.insert(0, LogEntry(0, "decoded", "decode-fallback", f"not valid UTF-8; decoded as {encoding}"))
    meta = {k: row.get(k, "") for k in OPTIONAL_COLUMNS}
    for key, value in cleaned.meta.items():
        if not meta.get(key):
            meta[key] = value  # metadata lines fill gaps, never override the manifest
    meta["encoding"] = encoding
    paragraphs, quotes = segment(cleaned.body)
    if not paragraphs:
        return [(file, "no body text left after cleaning (see `python -m analysis clean`)")]
    if not _WORD.search(cleaned.body):
        return [(file, "no words left after cleaning, only punctuation or symbols")]
    article_date = _parse_date(meta.get("date"), file) if meta.get("date") else None
    return Article(id=row["id"], outlet=row["outlet"], file=file, raw=text, body=cleaned.body,
                   meta=meta, log=log, paragraphs=paragraphs, quotes=quotes,
                   event_date=event_date or article_date)


class LazyArticles:
    """The articles of ``open_corpus``: a sequence that reads, cleans and segments articles
    when they are taken, and keeps none of them.

    ``len()`` and ``outlets`` come from the manifest; indexing or slicing loads
    the articles (CorpusError on a problem); ``load(start, stop)`` returns the
    articles that could be loaded and the problems of the others, so that a pass
    can report every problem at the end.
    """

    def __init__(self, entries, event_date):
        self._entries = list(entries)
        self._event_date = event_date

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def outlets(self) -> list[str]:
        return list(dict.fromkeys(e.row["outlet"] for e in self._entries))

    def load(self, start: int, stop: int) -> tuple[list[Article], list[tuple]]:
        articles, problems = [], []
        for entry in self._entries[start:stop]:
            got = _load_article(entry, self._event_date)
            if isinstance(got, Article):
                articles.append(got)
            else:
                problems.extend(got)
        return articles, problems

    def __getitem__(self, index):
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step != 1:
                return [self[i] for i in range(start, stop, step)]
            articles, problems = self.load(start, stop)
        else:
            i = range(len(self))[index]
            articles, problems = self.load(i, i + 1)
        if problems:
            raise CorpusError(None, problems=problems)
        return articles if isinstance(index, slice) else articles[0]

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]


def take_articles(articles, start: int, stop: int) -> tuple[list[Article], list[tuple]]:
    """Articles ``start:stop`` of a list or of ``LazyArticles`` (read now), and the problems
    of those that could not be read."""
    load = getattr(articles, "load", None)
    if load is not None:
        return load(start, stop)
    return list(articles[start:stop]), []
