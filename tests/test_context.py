"""Tests for analysis.measures.context: sentence and paragraph roles, temporal resolution,
agreement, evaluation, and the NewsDiscourse training (analysis/validation/context_external.py).

Expected roles are ones a reader agrees with from the text (docs/guideline-context.md);
other expected values are worked out by arithmetic written out beside them.
"""
from __future__ import annotations

import csv
import datetime as dt
import math
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.measures import context as ctx
from analysis.measures.context import (ROLES, RoleDecision, classify_paragraphs, paragraph_roles,
                                       resolve_temporal, sentence_roles, speed, temporal)
from analysis.validation import context_gold
from analysis.validation.context_gold import cohen_kappa, evaluate, score_labels

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "analysis" / "validation" / "gold" / "context_pass1.csv"
CONSTRUCTED = ROOT / "analysis" / "validation" / "gold" / "context_constructed.csv"
EXTERNAL = ROOT.parent / "shared" / "external-gold"
SAT = dt.date(2024, 4, 13)  # a Saturday


def role(text, event_date=SAT, article_date=None):
    return classify_paragraphs([text], event_date, article_date)[0]


# ---------------------------------------------------------------------------
# Roles a reader agrees with. A paragraph on its own has no place in an article:
# it is scored at several hypothetical places (not as a lede).

HAND_CASES = [
    # background stated without a date of the event: earlier events in the plain past,
    # the general situation
    ("In 2019, the two countries fought a brief border war that killed dozens of soldiers.", "context"),
    ("The rebels seized the town in 2019 after a four-month siege.", "context"),
    ("The company was founded in 1998 and employs about 4,000 people.", "context"),
    ("The war began in 2015 and has killed thousands.", "context"),
    ("The region has suffered from drought for years, and many farmers had already left.", "context"),
    # an opinion is a reaction by what it says
    ("Critics said the decision was reckless.", "reaction"),
    ("Analysts said the move was a clear sign of weakness.", "reaction"),
    ("\u201cThis is a dangerous escalation that puts lives at risk,\u201d the senator said.", "reaction"),
    # what is expected to follow (NewsDiscourse's Distant_Expectations_Consequences -> other)
    ("Talks are expected to resume next week.", "other"),
    ("The court will issue its ruling next month.", "other"),
    ("", "other"),
]


@pytest.mark.parametrize("text, expected", HAND_CASES)
def test_hand_checked_paragraphs(text, expected):
    assert role(text).role == expected


QUAKE = ["A magnitude 6.8 earthquake struck the northern province on Saturday, killing at least 40 "
             "people and toppling buildings.",
             "Rescue teams pulled survivors from the rubble overnight, officials said.",
             "The province sits on an active fault line. A quake of similar strength in 1999 killed more "
             "than 17,000 people.",
             "\u201cThe government failed these people,\u201d said an opposition lawmaker, who called the "
             "response slow and chaotic.",
             "Aftershocks are expected to continue for several days, seismologists said."]
QUAKE_DAY = dt.date(2025, 3, 8)  # a Saturday


def test_an_article_lede_reaction_and_expectation():
    decisions = classify_paragraphs(QUAKE, QUAKE_DAY)
    assert [d.role for d in decisions[:1] + decisions[3:]] == ["main", "reaction", "other"]
    # the background paragraph is far more likely context than the lede
    assert decisions[2].probs["context"] > 10 * decisions[0].probs["context"]
    (first, second), = sentence_roles(QUAKE, QUAKE_DAY)[2:3]
    assert first.role == "context"   # "The province sits on an active fault line."


def test_an_earlier_disaster_is_context():
    assert classify_paragraphs(QUAKE, QUAKE_DAY)[2].role == "context"


def test_probabilities_sum_to_one_and_confidence_is_the_top_one():
    texts = ["Troops crossed the border on Saturday.", "The two states had fought a war in 1999. "
             "Critics said the incursion was reckless.", "Talks are expected next week."]
    for d in classify_paragraphs(texts, SAT):
        assert set(d.probs) == set(ROLES)
        assert sum(d.probs.values()) == pytest.approx(1.0, abs=1e-5)
        assert d.confidence == pytest.approx(max(d.probs.values()), abs=1e-6)
        assert d.role == max(ROLES, key=lambda r: (d.probs[r], -ROLES.index(r)))
    for par in sentence_roles(texts, SAT):
        for s in par:
            assert sum(s.probs.values()) == pytest.approx(1.0, abs=1e-9)
            assert s.role == max(s.probs, key=s.probs.get)


def test_paragraph_probabilities_are_the_word_weighted_mean_of_its_sentences():
    texts = ["Troops crossed the border on Saturday.",
             "The two states had fought a war in 1999 over the same stretch of land. Critics said it was reckless."]
    sents = sentence_roles(texts, SAT)
    decision = classify_paragraphs(texts, SAT)[1]
    text = texts[1]
    words = [len(re.findall(r"\w+(?:[’'\-]\w+)*", text[s.start:s.end])) for s in sents[1]]
    assert words == [15, 5]
    for r in ROLES:
        mean = sum(w * s.probs[r] for w, s in zip(words, sents[1])) / sum(words)
        assert decision.probs[r] == pytest.approx(mean, abs=1e-6)


def test_sentences_come_from_the_project_splitter():
    from analysis.pipeline.segment import split_sentences

    text = "U.S. officials said so. Mr. Smith left. He spoke at 4 p.m. on Monday."
    (sents,) = sentence_roles([text], SAT)
    assert [(s.start, s.end) for s in sents] == split_sentences(text)
    assert getattr(ctx, "split_sentences", split_sentences) is split_sentences  # no splitter of its own


def test_reasons_name_features():
    d = classify_paragraphs(["Troops crossed the border on Saturday.", "Talks are expected to resume next week."],
                            SAT)[1]
    assert d.role == "other"
    assert d.reasons and all(r.endswith(")") and "-> other" in r for r in d.reasons)


def test_a_lone_paragraph_is_not_read_as_a_lede():
    text = "The rebels seized the town in 2019 after a four-month siege."
    assert classify_paragraphs([text], SAT, placed=True)[0].role == "main"   # as an article's first sentence
    assert classify_paragraphs([text], SAT)[0].role == "context"


# ---------------------------------------------------------------------------
# Temporal resolution


def one(text, event=SAT, article=None):
    found = resolve_temporal(text, event, article)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("text, first, relation, days", [
    ("on April 1", dt.date(2024, 4, 1), "before", 12),
    ("on 1 April", dt.date(2024, 4, 1), "before", 12),
    ("on April 1st", dt.date(2024, 4, 1), "before", 12),
    ("the 1st of April", dt.date(2024, 4, 1), "before", 12),
    ("Dec 22, 2015", dt.date(2015, 12, 22), "before", 3035),    # 2015-12-22 .. 2024-04-13
    ("on 2024-04-01", dt.date(2024, 4, 1), "before", 12),
    # a day-month more than 60 days after the reference is last year's: 2023-10-07
    ("October 7", dt.date(2023, 10, 7), "before", 189),          # 24 + 30 + 31 + 31 + 29 + 31 + 13
    ("in 2015", dt.date(2015, 1, 1), "before", 3390),           # 2015-01-01 .. 2024-04-13
    ("last week", dt.date(2024, 4, 6), "before", 7),
    ("last month", dt.date(2024, 3, 13), "before", 31),
    ("two weeks ago", dt.date(2024, 3, 30), "before", 14),
    ("in the last six months", dt.date(2023, 10, 13), "before", 183),
    ("on Saturday", dt.date(2024, 4, 13), "during", 0),
    ("Sunday", dt.date(2024, 4, 14), "during", -1),
    ("on April 13", dt.date(2024, 4, 13), "during", 0),
    ("in 2024", dt.date(2024, 1, 1), "containing", 103),
    ("on April 20", dt.date(2024, 4, 20), "after", -7),
])
def test_temporal_resolution(text, first, relation, days):
    t = one(text)
    assert (t.first, t.relation, t.days) == (first, relation, days)


def test_since_reaches_back():
    t = one("since October 7")
    assert t.kind == "since" and t.relation == "before" and t.first == dt.date(2023, 10, 7)
    t = one("since January", event=dt.date(2025, 9, 1))
    assert (t.first, t.relation) == (dt.date(2025, 1, 1), "before")


def test_earlier_this_month():
    t = one("earlier this month")
    assert t.relation == "before" and t.last == dt.date(2024, 4, 12)


def test_weekdays_use_the_article_date_when_known():
    sunday = dt.date(2024, 4, 14)
    assert one("on Saturday", article=sunday).first == dt.date(2024, 4, 13)
    t = one("last Monday", article=sunday)
    assert (t.first, t.relation, t.days) == (dt.date(2024, 4, 8), "before", 5)
    t = one("next Friday", article=sunday)
    assert (t.first, t.relation) == (dt.date(2024, 4, 19), "after")


def test_weekdays_without_article_date_take_the_nearest_to_the_event():
    # event on Saturday 13 April: Thursday -> the 11th (2 days before), Tuesday -> the 16th
    assert one("on Thursday").first == dt.date(2024, 4, 11)
    assert one("on Thursday").relation == "before"
    assert one("on Tuesday").first == dt.date(2024, 4, 16)


def test_deictic_words():
    sunday = dt.date(2024, 4, 14)
    assert one("yesterday", article=sunday).first == SAT
    assert one("today", article=sunday).relation == "during"
    # without an article date the report is taken to be from the day after the event
    assert one("tomorrow").first == dt.date(2024, 4, 15)
    assert one("tomorrow").relation == "after"


def test_months_without_year():
    assert one("in October", event=dt.date(2025, 1, 18)).first == dt.date(2024, 10, 1)
    assert one("in October", event=dt.date(2025, 1, 18)).relation == "before"
    assert one("in October", event=dt.date(2025, 9, 1)).relation == "after"


def test_not_dates():
    assert resolve_temporal("More than 2000 soldiers took part.", SAT) == []
    assert resolve_temporal("Officials may meet again.", SAT) == []
    assert resolve_temporal("The march went ahead.", SAT) == []
    assert resolve_temporal("about 1,200 people", SAT) == []


def test_without_any_date_only_backward_expressions_place():
    t = one("last week", event=None)
    assert (t.relation, t.first) == ("before", None)
    assert one("in 2015", event=None).relation == "unknown"


# ---------------------------------------------------------------------------
# Agreement and scores


def test_kappa_two_by_two():
    # yes/yes 20, yes/no 5, no/yes 10, no/no 15: p_o = 35/50 = 0.7;
    # A says yes 25/50, B 30/50: p_e = 0.5*0.6 + 0.5*0.4 = 0.5; kappa = 0.2/0.5 = 0.4
    a = ["y"] * 20 + ["y"] * 5 + ["n"] * 10 + ["n"] * 15
    b = ["y"] * 20 + ["n"] * 5 + ["y"] * 10 + ["n"] * 15
    assert cohen_kappa(a, b) == pytest.approx(0.4)


def test_kappa_three_classes():
    # agreement on 7 of 10: p_o = 0.7; both annotators use m 4x, c 3x, r 3x:
    # p_e = 0.16 + 0.09 + 0.09 = 0.34; kappa = 0.36 / 0.66 = 6/11
    a = list("mmmmcccrrr")
    b = list("mmmcccrrrm")
    assert cohen_kappa(a, b) == pytest.approx(6 / 11)


def test_kappa_edges():
    assert cohen_kappa("xy", "xy") == 1.0
    assert cohen_kappa("xy", "yx") == -1.0  # p_o = 0, p_e = 0.5
    # one label throughout on both sides: the shared scoring helper calls that perfect agreement
    assert cohen_kappa("xx", "xx") == 1.0
    with pytest.raises(ValueError):
        cohen_kappa("xy", "x")
    with pytest.raises(ValueError):
        cohen_kappa([], [])


def test_score_labels_by_hand():
    s = score_labels(["main", "main", "context", "reaction"], ["main", "context", "context", "main"])
    assert s["accuracy"] == 0.5
    assert s["per_role"]["main"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "support": 2}
    assert s["per_role"]["context"]["precision"] == 0.5
    assert s["per_role"]["context"]["f1"] == pytest.approx(2 / 3)
    assert s["per_role"]["reaction"]["f1"] == 0.0
    assert s["macro_f1"] == pytest.approx((0.5 + 2 / 3 + 0) / 3)  # "other" has no support
    assert s["confusion"]["main"] == {"main": 1, "context": 1, "reaction": 0, "other": 0}


def test_baselines():
    texts = ["a", "b", "c"]
    assert context_gold.baseline_roles(texts, "first_half_main") == ["main", "main", "context"]
    assert context_gold.baseline_roles(["He said so.", "It fell in 2001.", "Rain."], "keywords") == [
        "reaction", "context", "main"]


# ---------------------------------------------------------------------------
# Gold files and the evaluation


def test_gold_pass1_is_complete():
    rows = list(csv.DictReader(GOLD.open(encoding="utf-8")))
    assert Counter(r["article"][:3] for r in rows) == {"000": 5, "001": 9, "002": 18, "003": 13, "004": 10}
    assert {r["role"] for r in rows} <= set(ROLES)
    for art in {r["article"] for r in rows}:
        idx = sorted(int(r["paragraph"]) for r in rows if r["article"] == art)
        assert idx == list(range(len(idx)))


def test_constructed_gold():
    rows = list(csv.DictReader(CONSTRUCTED.open(encoding="utf-8")))
    assert len(rows) >= 25
    assert {r["role"] for r in rows} <= set(ROLES)
    assert set(Counter(r["role"] for r in rows)) == set(ROLES)


@pytest.fixture(scope="module")
def evaluation():
    return evaluate()


def test_seed_evaluation(evaluation):
    """In-house gold of the bundled corpus (not used for training or tuning).

    The learned model follows NewsDiscourse's conventions, which differ from the
    in-house guideline: what a source reports about the event (the call's content,
    quoted) is often an evaluation or an expectation there, main here. Measured:
    accuracy 25/55 = 0.455, macro-F1 0.492 (the replaced rules: 54/55, 0.983,
    written with this gold in view). Context is found (11 of 12 context paragraphs)
    but main paragraphs go to context, reaction or other (20 of 28).
    """
    seeds = evaluation["seeds"]
    assert seeds["unaligned"] == []
    assert seeds["n"] == 55
    m = seeds["method"]
    assert m["accuracy"] == pytest.approx(25 / 55)
    assert m["confusion"]["context"]["context"] == 11
    assert m["macro_f1"] > max(b["macro_f1"] for b in seeds["baselines"].values())
    assert seeds["best_baseline"] == "first_half_main"   # 32/55 = 0.582
    assert seeds["baselines"]["first_half_main"]["accuracy"] == pytest.approx(32 / 55)
    assert seeds["baselines"]["all_main"]["accuracy"] == pytest.approx(28 / 55)


def test_seed_evaluation_on_raw_lines():
    seeds = evaluate(articles="raw", constructed_path=False)["seeds"]
    assert seeds["source"] == "raw lines" and seeds["unaligned"] == []
    assert seeds["method"]["accuracy"] == pytest.approx(25 / 55)


def test_constructed_evaluation(evaluation):
    """Constructed in-house paragraphs, each judged on its own: 18/38 = 0.474,
    macro-F1 0.363 (the replaced rules: 0.816, 0.858); context recall 9/11."""
    con = evaluation["constructed"]
    assert con["n"] == 38
    m = con["method"]
    assert m["accuracy"] == pytest.approx(18 / 38)
    assert m["confusion"]["context"]["context"] == 9


def test_agreement_with_a_second_pass(tmp_path):
    rows = list(csv.DictReader(GOLD.open(encoding="utf-8")))
    gold = tmp_path / "context_pass1.csv"
    pass2 = tmp_path / "context_pass2.csv"
    for path, flip in ((gold, False), (pass2, True)):
        with path.open("w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0]))
            w.writeheader()
            for i, r in enumerate(rows):
                r = dict(r)
                if flip and i == 0:
                    r["role"] = "context"  # one disagreement: a main row labelled context
                w.writerow(r)
    agreement = evaluate(gold_path=gold, articles="raw", constructed_path=False)["agreement"]
    assert agreement["n"] == 55
    assert agreement["agreement"] == pytest.approx(54 / 55)
    assert agreement["confusion"]["main"]["context"] == 1


# ---------------------------------------------------------------------------
# Articles, lexicon, robustness


@pytest.mark.xfail(strict=True, reason="known error: 'Critics said the incursion was reckless.' as a short "
                   "second paragraph reads as context (0.45 against reaction 0.36): on its own the classifier "
                   "says reaction (0.50), the sequence smoothing pulls it toward the context paragraph after it")
def test_paragraph_roles_on_an_article():
    from analysis.pipeline.model import Article, Paragraph

    body = ("Troops crossed the border on Saturday.\n\n"
            "Critics said the incursion was reckless.\n\n"
            "The two states had fought a war in 1999.")
    paras, start = [], 0
    for i, chunk in enumerate(body.split("\n\n")):
        paras.append(Paragraph(i, start, start + len(chunk), ()))
        start += len(chunk) + 2
    art = Article(id="x", outlet="X", file=Path("x.txt"), raw=body, body=body,
                  paragraphs=paras, event_date=SAT)
    assert paragraph_roles(art) == ["main", "reaction", "context"]


@pytest.mark.xfail(strict=True, reason="regression: the rules read 'condemned' as a reaction cue; the learned "
                   "model gives this short sentence context 0.64, reaction 0.18")
def test_a_condemnation_is_a_reaction():
    texts = ["Troops crossed the border on Saturday.", "The ministry condemned the incursion.",
             "The two states had fought a war in 1999."]
    assert classify_paragraphs(texts, SAT)[1].role == "reaction"


def test_paragraph_roles_on_the_bundled_corpus(corpus):
    for art in corpus.articles:
        roles = paragraph_roles(art)
        assert len(roles) == len(art.paragraphs)
        assert set(roles) <= set(ROLES)


def test_empty_list():
    assert classify_paragraphs([]) == []


def test_deterministic():
    texts = [r["text"] for r in csv.DictReader(CONSTRUCTED.open(encoding="utf-8"))]
    assert classify_paragraphs(texts, SAT) == classify_paragraphs(texts, SAT)


CUE_WORDS = ["said", "in a statement", "According to", "had been", "last week", "April 1",
             "since", "2015", "condemned", "reportedly", "This comes after", "for months",
             "spokesman", "\u201c", "\u201d", "Saturday", "It is unclear", "Read more:", "ago",
             "two", "weeks", "U.S.", ". ", ", ", "\n", "İ", "\u00e2"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(), max_size=5),
       st.one_of(st.none(), st.dates()), st.one_of(st.none(), st.dates()))
def test_never_raises_on_arbitrary_text(texts, event, published):
    out = classify_paragraphs(texts, event, published)
    assert len(out) == len(texts)
    for d in out:
        assert isinstance(d, RoleDecision)
        assert d.role in ROLES
        assert 0.0 <= d.confidence <= 1.0
        assert sum(d.probs.values()) == pytest.approx(1.0, abs=1e-5)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(CUE_WORDS) | st.text(max_size=6), max_size=25).map(" ".join),
       st.one_of(st.none(), st.dates()))
def test_never_raises_on_cue_soup(text, event):
    (d,) = classify_paragraphs([text], event)
    assert d.role in ROLES and 0.0 <= d.confidence <= 1.0
    assert sum(d.probs.values()) == pytest.approx(1.0, abs=1e-5)
    resolve_temporal(text, event, event)


def test_two_annotation_passes_agree():
    """context_pass2.csv was labelled independently from the guideline alone.

    Measured on the 55 bundled paragraphs: 53/55 agree, Cohen's kappa 0.942
    (pass 2 read two mainly-main paragraphs as context and reaction).
    """
    result = evaluate()
    agreement = result["agreement"]
    assert agreement["n"] == 55
    assert agreement["kappa"] >= 0.85
    assert agreement["agreement"] == pytest.approx(53 / 55)


# ---------------------------------------------------------------------------
# The keyed temporal scans give the same results as plain scanning (_keyed_finditer)


TEMPORAL_WORDS = [
    "since", "from", "until", "by", "in", "on", "during", "last", "early", "late", "mid-", "next", "this",
    "before", "after", "the", "end", "beginning", "of", "March", "May", "may", "MARCH", "Sept.", "Sep", "Oct",
    "December", "Monday", "Saturday", "SATURDAY", "saturday", "Fridays", "12", "1", "3rd", "21st", "2023",
    "1990s", "2000", "2024-04-01", "ago", "AGO", "a few", "two", "several", "weeks", "week", "months", "year",
    "decade", "day", "over", "within", "for", "previous", "past", "earlier", "that", "yesterday", "Today",
    "tonight", "overnight", "morning", "evening", "weekend", "spring", "soldiers", "$2000", "2,000", "2019%",
    "\u017fince", "la\u017ft", "ye\u017fterday", "\u212ago", "\u0130n", "\u0131", "xsince", "_", "\u00e9March",
    "3May", "\u2014", "(", ",", ".", "\n", "  ",
]
temporal_soup = st.lists(st.sampled_from(TEMPORAL_WORDS) | st.text(max_size=4), max_size=16).map(" ".join)


def _plain_temporal(text, event, article):
    """resolve_temporal as it was before the key scan: each expression scans the whole
    paragraph when the paragraph has a token it needs (maximal runs of ASCII letters)."""
    tokens = set(re.findall(r"[A-Za-z]+", text))
    lowered = {t.lower() for t in tokens}
    has_year = re.search(r"(?:19|20)\d\d", text) is not None
    has_month = not tokens.isdisjoint(temporal._MONTHS)
    found, taken, ref = [], [], article or event
    for kind, rx in temporal._TEMPORAL_PATTERNS:
        if ((kind in ("iso", "year") and not has_year)
                or (kind in ("mdy", "dmy") and not (has_month and (has_year or re.search(r"\d", text))))
                or (kind in ("month", "month_year") and not has_month)
                or (kind == "weekday" and tokens.isdisjoint(temporal._WEEKDAYS))
                or (kind in speed.GATE_WORDS and lowered.isdisjoint(speed.GATE_WORDS[kind]))):
            continue
        for m in rx.finditer(text):
            s, e = m.span()
            if kind == "year" and m.group("prep"):
                s = m.start("year")
            if any(s < te and ts < e for ts, te in taken):
                continue
            try:
                mention = temporal._resolve_one(kind, m, text, s, e, event, article, ref)
            except (OverflowError, ValueError):
                mention = None
            if mention is not None:
                found.append(mention)
                taken.append((s, e))
    return sorted(found, key=lambda t: t.start)


@settings(max_examples=400, deadline=None)
@given(temporal_soup, st.one_of(st.none(), st.dates()), st.one_of(st.none(), st.dates()))
def test_temporal_key_scan_equals_plain_scanning(text, event, published):
    assert resolve_temporal(text, event, published) == _plain_temporal(text, event, published)


@settings(max_examples=300, deadline=None)
@given(temporal_soup)
def test_keyed_scans_equal_finditer(text):
    rev = text[::-1]
    for kind, rx in temporal._TEMPORAL_PATTERNS:
        keys = temporal._GATES.scan_keys.get(kind)
        if keys is not None:
            got = [m.span() for m in temporal._GATES.keyed_matches(kind, rx, text, rev, speed.key_starts(keys, text))]
            assert got == [m.span() for m in rx.finditer(text)], kind


def test_temporal_keys_in_odd_text():
    # "ſ" (long s) matches "s" case-insensitively, and the token "last" (in "élast")
    # lets the scan run: such text is scanned, not keyed
    text = "The \u00e9last talks failed la\u017ft week."
    assert [t.text for t in resolve_temporal(text, SAT)] == ["la\u017ft week"]


# ---------------------------------------------------------------------------
# The model: provenance, inference without scikit-learn, retraining


def test_model_loads_with_provenance():
    model = ctx.load_role_model()
    assert set(model.classes) == set(ROLES)
    meta = model.meta
    assert meta["split"] == "train" and meta["n_articles"] == 502
    assert "Choubey" in meta["citation"] and "cite the paper" in meta["licence"]
    assert meta["training_command"] == "make train"
    assert meta["scikit_learn"] and meta["features"] and meta["model"]
    size = (ROOT / "analysis" / "measures" / "context" / "model.json").stat().st_size
    assert size < 1_000_000


def test_inference_needs_neither_sklearn_nor_private_regex_modules():
    import subprocess
    import sys

    code = ("import sys; from analysis.measures.context import classify_paragraphs; "
            "classify_paragraphs(['Troops crossed the border on Saturday.', 'Critics said it was reckless.']); "
            "print('sklearn' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
    for path in [ROOT / "analysis" / "context.py", *(ROOT / "analysis" / "measures" / "context").glob("*.py")]:
        source = path.read_text(encoding="utf-8")
        assert "sre_parse" not in source and "_parser" not in source and "_constants" not in source, path


def test_features_of_a_sentence_by_hand():
    from analysis.measures.context.features import article_features

    (f1, f2), = [article_features([["Troops crossed the border on Saturday."],
                                    ["The two states had fought a war in 1999."]], None, SAT, SAT,
                                   resolve=resolve_temporal)]
    assert f1["sent:0"] == 1.0 and f1["rel"] == 0.0 and f1["lede|time:during"] == 1.0
    assert f2["rel"] == 1.0 and f2["par:1"] == 1.0
    assert f2["tense:past_perfect"] == 1.0 and f2["time:before_long"] == 1.0   # 1999: 25 years before
    assert f2["w:<year>"] == 1.0 and f2["b:had_fought"] == 1.0
    assert f2["early|tense:past_perfect"] == 1.0 and f2["early|time:before_long"] == 1.0  # sentences 1-3
    assert f2["ov1:0"] == 1.0   # no content word of the first sentence


@pytest.mark.skipif(not (EXTERNAL / "newsdiscourse").is_dir(), reason="../shared/external-gold is absent")
def test_retraining_reproduces_the_committed_model(tmp_path):
    from analysis.validation.context_external import train

    out = tmp_path / "context.json"
    train(EXTERNAL, out)
    assert out.read_bytes() == (ROOT / "analysis" / "measures" / "context" / "model.json").read_bytes()


# ---------------------------------------------------------------------------
# The speed machinery gives what the plain method gives (analysis.measures.context.speed)


def _plain_explain(model, features, c, k):
    """The explanation as the plain method ranks it: each feature's value times its
    contrast (its weight for class c minus the mean of the others'), by size, ties by name."""
    n = len(model.classes)
    contrib = []
    for name, value in features.items():
        ws = model.weights.get(name)
        if ws is None or not value:
            continue
        v = value * (ws[c] - (sum(ws) - ws[c]) / (n - 1))
        contrib.append((-abs(v), name, v))
    contrib.sort()
    return [(name, round(v, 4)) for _, name, v in contrib[:k]]


def _plain_probs(model, features, order):
    """The role probabilities as the method computes them: per class, the intercept plus
    the sum of the features' weights (0.0 for a name the model does not weigh) in the
    order of the features, the position ``rel`` weighed by its value; a softmax."""
    sums = [0.0] * 4
    for c in range(4):
        sums[c] = sum([model.weights.get(name, (0.0,) * 4)[c] for name in features])
    logits = [x + y for x, y in zip(model.intercept, sums)]
    rel = features.get("rel")
    if rel is not None and rel != 1.0 and "rel" in model.weights:
        logits = [x + (rel - 1.0) * y for x, y in zip(logits, model.weights["rel"])]
    e = [math.exp(x - max(logits)) for x in logits]
    return [e[i] / sum(e) for i in order]


article_text = st.lists(st.lists(st.lists(st.sampled_from(CUE_WORDS) | st.text(max_size=6), max_size=12)
                                 .map(" ".join), min_size=1, max_size=3), min_size=1, max_size=5)


@settings(max_examples=200, deadline=None)
@given(article_text, st.one_of(st.none(), st.dates()))
def test_scores_from_the_weighed_features_equal_the_model_on_all_features(paragraphs, event):
    from analysis.measures.context.features import SAY_WORDS, iter_article_features

    model = ctx.load_role_model()
    order = [model.classes.index(r) for r in ROLES]
    weighed = speed.vocabulary(model, keep=SAY_WORDS)
    settings_ = dict(resolve=ctx._resolve_temporal, neighbours=False, pairs=True, interactions=True)
    full = list(iter_article_features(paragraphs, None, event, event, **settings_))
    reduced = list(iter_article_features(paragraphs, None, event, event, weighed=weighed, **settings_))
    assert len(full) == len(reduced)
    for f, r in zip(full, reduced):
        # the reduced dict is the full one less names the model does not weigh, in the same order
        assert list(r) == [name for name in f if name in r]
        assert all(name not in model.weights for name in f if name not in r)
        p = _plain_probs(model, f, order)
        assert p == pytest.approx([model.proba(f)[i] for i in order], abs=1e-12)
        assert speed.probs(model, r, order) == p   # exactly: the same additions in the same order
        got, kept = speed.score(model, r, order)
        assert got == p
        for c in range(len(model.classes)):
            assert speed.explain(model, kept, c, 3) == _plain_explain(model, f, c, 3)
            assert speed.explain(model, f, c, 3) == _plain_explain(model, f, c, 3)


@settings(max_examples=100, deadline=None)
@given(article_text, st.one_of(st.none(), st.dates()))
def test_decisions_without_reasons_are_the_same(paragraphs, event):
    texts = [" ".join(p) for p in paragraphs]
    with_reasons = classify_paragraphs(texts, event, event)
    without = classify_paragraphs(texts, event, event, reasons=False)
    assert [(d.role, d.confidence, d.probs) for d in without] == [(d.role, d.confidence, d.probs) for d in with_reasons]
    assert all(d.reasons == () for d in without)


def test_the_gate_word_test_finds_every_gate_word():
    words = set().union(*speed.GATE_WORDS.values())
    assert all(speed.has_gate_word(f"xx {w} yy") for w in words)
    assert not speed.has_gate_word("troops crossed the border on saturday.")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40) | temporal_soup)
def test_tokens_shape_digits_as_before(text):
    from analysis.measures.context.features import tokens
    from analysis.pipeline.text import FEATURE_TOKEN

    out = FEATURE_TOKEN.findall(text.lower())
    plain = [("<year>" if re.fullmatch(r"(?:19|20)\d\d", t) else "<num>") if re.search(r"\d", t) else t for t in out]
    assert tokens(text) == plain


_TOKEN_PIECES = ["iran", "Iran", "2024", "13th", "don't", "it’s", "u.s.", "-", "'", "’", ",", " ", "\n", "é", "_", "x1"]


@settings(max_examples=3000, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(_TOKEN_PIECES), max_size=12).map("".join))
def test_fast_token_and_word_counts_equal_the_patterns(s):
    """The context features' fast paths give what the regular expressions give: tokens of a
    lower-cased text (FEATURE_TOKEN), and the number of SIMPLE_WORD matches that weighs a
    sentence in its paragraph."""
    from analysis.measures.context import _WORD_COUNT
    from analysis.measures.context.features import _tokens
    from analysis.pipeline.text import FEATURE_TOKEN, SIMPLE_WORD

    low = s.lower()
    plain = FEATURE_TOKEN.findall(low)
    assert _tokens(low) == [("<year>" if re.fullmatch(r"(?:19|20)\d\d", t) else "<num>")
                            if not t.isalpha() and re.search(r"\d", t) else t for t in plain]
    assert len(_WORD_COUNT.findall(s)) == len(SIMPLE_WORD.findall(s))
