"""The HTML report: one self-contained page, checked as HTML and in a real browser (headless
Chromium from the distribution, `make browser`), offline."""
from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser

import pandas as pd
import pytest

from analysis.report.html import build_report

from .conftest import CORPUS, ROOT


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.links, self.resources, self.figures, self.stack = set(), [], [], [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
        for key in ("src", "href", "xlink:href"):
            if key in a and not a[key].startswith("#"):
                self.resources.append((tag, a[key]))
        if tag == "figure":
            self.figures.append([])
        elif self.figures:
            self.figures[-1].append(tag)


@pytest.fixture(scope="module")
def page(corpus):
    return build_report(corpus)


def test_the_page_is_valid_html_and_fetches_nothing(page):
    import html5lib

    html5lib.HTMLParser(strict=True).parse(page)  # raises on any parse error
    found = _Collect()
    found.feed(page)
    assert found.resources == []  # no external script, style, font, image or link
    assert "@import" not in page and not re.search(r"url\((?!#)", page)  # only the drawings' own clip paths
    for href in found.links:  # every number's link leads to a panel of the page
        assert href.startswith("#") and href[1:] in found.ids, href


def test_every_figure_has_a_title_a_drawing_and_a_caption_on_intervals(page, corpus):
    found = _Collect()
    found.feed(page)
    assert len(found.figures) == 5
    for tags in found.figures:
        assert tags[0] == "h3" and "svg" in tags and "figcaption" in tags
    assert page.count("95 % bootstrap intervals") == 5
    for i, outlet in enumerate(corpus.outlets):
        for kind in ("hedges", "mentions", "roles"):
            assert f'<details id="ev-{kind}-o{i}">' in page
    # Outlet A's hedge panel lists every cue the annotation found in its article
    from analysis.annotate import annotate_corpus

    cues = sum(len(r["hedges"]) for r in annotate_corpus(corpus, evidence=False) if r["outlet"] == "Outlet A")
    assert f"Outlet A: {cues} hedge cues</summary>" in page


def test_text_from_the_corpus_is_escaped(tmp_path):
    from analysis import load_corpus

    folder = tmp_path / "c"
    shutil.copytree(CORPUS, folder)
    manifest = (folder / "manifest.csv").read_text(encoding="utf-8")
    (folder / "manifest.csv").write_text(manifest.replace("Outlet A", "<script>alert(1)</script>"),
                                         encoding="utf-8")
    page = build_report(load_corpus(folder))
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


CHROMIUM = shutil.which("chromium")
OFFLINE = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
           "--no-first-run", "--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND"]


def _chromium(*args):
    proc = subprocess.run([CHROMIUM, *OFFLINE, *args], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed: `make browser` installs it")
def test_the_report_in_headless_chromium_offline(tmp_path):
    out = tmp_path / "report.html"
    proc = subprocess.run([str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else "python3",
                           "-m", "analysis", "report", str(CORPUS), "--out", str(out)], cwd=ROOT,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    shot = tmp_path / "shot.png"
    _chromium("--window-size=1280,2400", f"--screenshot={shot}", out.as_uri())
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 50_000  # a page, not a blank
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1280, 2400)
    # the page's own script counts the figures the browser laid out, and opens the panel a number links to
    dom = _chromium("--virtual-time-budget=3000", "--dump-dom", out.as_uri() + "#ev-mentions-o2")
    assert re.search(r'<body data-figures-drawn="5"', dom)
    assert re.search(r'<details id="ev-mentions-o2" open="">', dom)
    assert re.search(r'<details id="ev-mentions-o1">', dom)  # the others stay closed
    # JavaScript off is not checked in the browser (headless Chromium's switches for it either
    # still run the page's script or print no DOM); the page source shows what such a reader
    # gets: inline SVG figures and all 15 panels as native details elements, closed
    source = out.read_text(encoding="utf-8")
    assert source.count("<details id=") == 15 and "open" not in re.findall(r"<details[^>]*>", source)[0]


def test_a_large_corpus_lists_the_first_rows_and_counts_them_all(tmp_path, corpus):
    """200 articles of two outlets: each evidence panel lists the outlet's first rows (those of the
    full evidence tables, in the same order: at most EVIDENCE_ROWS, from at most its first
    EVIDENCE_ARTICLES articles), its summary counts every row (as the annotate records do), and
    the page is the same on one process or two."""
    from analysis import load_corpus
    from analysis.annotate import Annotator, annotate_corpus
    from analysis.report.evidence import hedge_table, mention_table
    from analysis.report.html import EVIDENCE_ARTICLES, EVIDENCE_ROWS

    from .conftest import sampled_corpus

    big = load_corpus(sampled_corpus(tmp_path, corpus, 200, paragraphs=6, outlets=2, seed=5))
    page = build_report(big, jobs=2)
    assert build_report(big, jobs=1) == page
    records = list(annotate_corpus(big, evidence=False))
    annotations = list(Annotator(big).many(big.articles))
    hedges, mentions = hedge_table(annotations, width=90), mention_table(annotations, width=90)
    assert (EVIDENCE_ROWS, EVIDENCE_ARTICLES) == (200, 50)
    listed_hedges = []
    for i, outlet in enumerate(big.outlets):
        mine = [r for r in records if r["outlet"] == outlet]
        n_hedges = sum(len(r["hedges"]) for r in mine)
        n_mentions = sum(len(r["mentions"]) for r in mine)
        n_paragraphs = len({(r["article"], r["paragraph"]) for r in mine})
        first_articles = [a.id for a in big.articles if a.outlet == outlet][:EVIDENCE_ARTICLES]
        h = hedges[(hedges.outlet == outlet) & hedges.article.isin(first_articles)].head(EVIDENCE_ROWS)
        m = mentions[(mentions.outlet == outlet) & mentions.article.isin(first_articles)].head(EVIDENCE_ROWS)
        listed_hedges.append(len(h))
        more = " (the first {:,} listed; <code>annotate</code> gives them all)</summary>"
        assert f"{outlet}: {n_hedges:,} hedge cues{more.format(len(h))}" in page
        assert f"{outlet}: {n_mentions:,} actor mentions{more.format(EVIDENCE_ROWS)}" in page  # "2,805"
        assert f"{outlet}: {n_paragraphs:,} paragraphs and their roles{more.format(EVIDENCE_ROWS)}" in page
        panel = page.split(f'<details id="ev-hedges-o{i}">')[1].split("</details>")[0]
        assert re.findall(r"<tr><td>(a\d+)</td><td>([^<]*)</td>", panel) == list(zip(h["article"], h["cue"]))
        panel = page.split(f'<details id="ev-mentions-o{i}">')[1].split("</details>")[0]
        assert re.findall(r"<tr><td>(a\d+)</td><td>([^<]*)</td>", panel) == list(zip(m["article"], m["actor"]))
        assert n_paragraphs == 100 * 6 and n_mentions > 2000
    # the hedge panels stop at the outlet's 50th article before their 200th cue (counted with the
    # full evidence table above: 296 and 333 cues in all, 147 and 180 in the first 50 articles)
    assert listed_hedges == [147, 180]


def test_the_report_reads_each_article_once_and_the_listed_ones_again(tmp_path, corpus, monkeypatch):
    """A lazily opened corpus of 200 articles (two outlets): the metrics pass reads every article
    once and also takes its outlet, id and title; only the articles the evidence panels list are
    read again (here each outlet's first 50: their hedge cues stay under 200, see the test above).
    The page is the one of the same corpus loaded whole."""
    from analysis import load_corpus
    from analysis.pipeline import corpus as corpus_module
    from analysis.pipeline.corpus import open_corpus

    from .conftest import sampled_corpus

    folder = sampled_corpus(tmp_path, corpus, 200, paragraphs=6, outlets=2, seed=5)
    expected = build_report(load_corpus(folder), jobs=1)
    reads = []
    load = corpus_module._load_article

    def counted(entry, event_date):
        reads.append(entry.row["id"])
        return load(entry, event_date)

    monkeypatch.setattr(corpus_module, "_load_article", counted)
    lazy = open_corpus(folder)
    assert build_report(lazy, jobs=1) == expected
    # the outlets take turns (a0 Outlet 0, a1 Outlet 1, ...): their first 50 articles are a0 ... a99
    assert reads == [f"a{i}" for i in range(200)] + [f"a{i}" for i in range(100)]


def test_the_report_pass_keeps_the_outlet_rows_and_each_articles_counts(tmp_path, corpus):
    """``outlets_and_articles`` (what the report holds instead of the whole table): its table is
    the outlet rows of ``metrics_table``, its facts are each article's, in corpus order, and each
    article's evidence counts are those of the annotate records (hedge cues, actor mentions,
    paragraphs), as are those the page's helper takes from a whole table."""
    from analysis import load_corpus, metrics_table
    from analysis.annotate import annotate_corpus
    from analysis.report.html import _counter, _evidence_counts, _facts
    from analysis.table import outlets_and_articles

    from .conftest import sampled_corpus

    small = load_corpus(sampled_corpus(tmp_path, corpus, 12, paragraphs=4, outlets=3, seed=11))
    table, seen, counts = outlets_and_articles(small, _facts, _counter)
    whole = metrics_table(small)
    outlet_rows = whole[whole["article"] == ""].reset_index(drop=True)
    pd.testing.assert_frame_equal(table, outlet_rows)
    assert seen == [(a.outlet, a.id, a.title) for a in small.articles]
    records = list(annotate_corpus(small, evidence=False))
    expected = {}
    for r in records:
        got = expected.setdefault((r["outlet"], r["article"]), [0, 0, set()])
        got[0] += len(r["hedges"])
        got[1] += len(r["mentions"])
        got[2].add(r["paragraph"])
    expected = {k: (h, m, len(p)) for k, (h, m, p) in expected.items()}
    assert len(expected) == 12 and all(m > 0 for _, m, _ in expected.values())
    assert counts == expected
    from_table = _evidence_counts(whole)
    assert {k: v for k, v in from_table.items() if k[1]} == expected
    for o in small.outlets:  # the outlet's counts are its articles' sums
        mine = [v for (oo, _), v in expected.items() if oo == o]
        assert from_table[o, ""] == _evidence_counts(table)[o, ""] == tuple(map(sum, zip(*mine)))
