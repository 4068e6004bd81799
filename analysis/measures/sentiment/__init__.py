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
features are in ``features.py``). The analysis adds: periods
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
it is given once, without that cache. These helpers are in ``speed.py``.

Modules: ``lexicon`` (the news lexicon), ``vader_port`` (VADER's word valence
rules, ported), ``words`` (closed-class word lists), ``tokens`` (what a chunk
says on its own), ``clauses`` (sentence bounds, clauses, quotation),
``sentence`` (a sentence analysed once for all its targets), ``syntax`` (the
target's place: subject, noun phrase, governing verb, agent), ``rules`` (the
legacy weighing of evidence), ``legacy`` (``LegacyScorer``), ``features`` and
``learned`` (the learned layer's input, weights and value), ``scorer``
(``Scorer``), ``explain`` (``Scorer.explain_towards``), ``speed`` (caches and
the fast logit sums), ``measure`` (the metrics table's sentiment rows).

Known limits: no parser, so subjects, objects and noun phrases are guessed from
word order and capitalisation; irony and sarcasm are not detected; pronoun
possessives ("its attack") do not tell whose act it is; a comma-separated list
of subjects is read as introductory phrases.
"""
from __future__ import annotations

from functools import cache

from analysis.deprecation import moved
from analysis.measures.sentiment.legacy import LegacyScorer, legacy_scorer, legacy_sentiment_toward
from analysis.measures.sentiment.learned import CLASSES, MODEL_NAME, NEUTRAL_BAND, NEUTRAL_SCALE
from analysis.measures.sentiment.lexicon import LEXICON_FILE, ROLES, NewsLexicon, load_news_lexicon
from analysis.measures.sentiment.rules import OTHER_CLAUSE_WEIGHT
from analysis.measures.sentiment.scorer import Scorer
from analysis.measures.sentiment.vader_port import ALPHA

__all__ = ["ALPHA", "CLASSES", "LEXICON_FILE", "MODEL_NAME", "NEUTRAL_BAND", "NEUTRAL_SCALE", "OTHER_CLAUSE_WEIGHT",
           "ROLES", "LegacyScorer", "NewsLexicon", "Scorer", "label", "legacy_scorer", "legacy_sentiment_toward",
           "load_news_lexicon", "scorer", "sentence_sentiment", "sentiment_toward"]


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


# the in-house gold evaluation moved to analysis.validation.sentiment_gold
__getattr__ = moved(__name__, ("evaluate_sentiment", "read_gold", "f1_scores", "GOLD_FILE", "LABELS"),
                    "analysis.validation.sentiment_gold")
