"""Closed-class word lists and punctuation of the sentence analysis (grammar, not sentiment,
kept here like VADER keeps its NEGATE list)."""
from __future__ import annotations

import re
import string

CONTRAST = frozenset({"but", "while", "whereas", "although", "though", "yet", "however"})
SUBORD = frozenset({"that", "which", "who", "whom", "whose", "where", "when", "after", "before",
                     "because", "since", "unless", "until", "whether", "if"})
RELATIVE = frozenset({"which", "who", "whom", "whose", "where"})
DETERMINERS = frozenset({"the", "a", "an", "this", "these", "those", "his", "her", "its", "their",
                          "our", "my", "your", "some", "several", "many", "two", "three", "both"})
PRONOUN_POSS = frozenset({"his", "her", "its", "their", "our", "my", "your"})
PREPS = frozenset({"of", "in", "on", "at", "to", "for", "with", "by", "from", "against", "toward",
                    "towards", "into", "onto", "upon", "over", "under", "about", "between", "among",
                    "amid", "amidst", "across", "through", "during", "without", "within", "targeting",
                    "following", "despite", "than", "like", "as", "via", "per", "near", "around"})
FUNCTION = PREPS | DETERMINERS | CONTRAST | SUBORD | frozenset({
    "is", "was", "were", "are", "be", "been", "being", "am", "has", "have", "had", "do", "does",
    "did", "will", "would", "could", "should", "may", "might", "must", "can", "shall", "not",
    "no", "nor", "or", "so", "then", "than", "also", "it", "he", "she", "they", "we", "i", "you",
    "him", "them", "us", "me", "there", "here", "all", "any", "each", "every", "nearly", "most"})
BE = frozenset({"is", "was", "were", "are", "be", "been", "being", "am", "get", "got", "gets"})
BEFORE_BE = frozenset({"has", "have", "had", "will", "would", "could", "should", "may", "might", "must"})
PREPOSITIONAL = frozenset({"after", "before", "since", "until"})  # prepositions before a noun phrase
AUX = frozenset({"has", "have", "had", "will", "would", "could", "should", "may", "might", "must",
                  "can", "did", "does", "do", "continues", "continued", "also"})
IRREALIS = frozenset({"could", "might", "may", "should", "can", "must", "any", "planned",
                       "possible", "potential", "hypothetical"})
AGENT_PREPS = frozenset({"by", "from"})
BENEFACTIVE = frozenset({"for", "to"})
COORD = frozenset({"and", "or", "nor", "&"})
VERBAL_BEFORE = frozenset({"to", "not", "never", "will", "would", "could", "should", "may",
                            "might", "must", "can", "did", "do", "does", "didn't", "don't",
                            "doesn't", "won't", "wouldn't", "and", "or", "also"})
IRREGULAR_PARTICIPLES = frozenset({"hit", "struck", "shot", "beaten", "hurt", "caught", "held",
                                    "thrown", "taken", "seen", "made", "given", "known", "led",
                                    "sent", "shut", "overrun", "overthrown", "won", "lost", "told",
                                    "said", "cut", "beat", "put", "set", "spent", "paid", "left"})
PUNCT = string.punctuation + "“”‘’«»–—…"
STOP_CHARS = frozenset(";:.!?…)")
DASH_CHARS = frozenset("–—")
PAUSE_CHARS = frozenset(",;:")
SENTENCE_CHARS = frozenset(".!?:…")
OPEN_QUOTES = frozenset("“\"«")
CLOSE_QUOTES = frozenset("”\"»")
DASHES = frozenset({"-", "–", "—", "--", "―"})
LONG_TEXT = 400  # texts longer than this are cut to the sentence around the target
SENTENCE_END = re.compile(r"[.!?…][\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])|\n+")

ALNUM = re.compile(r"[^\W_]")  # a character for which str.isalnum() holds
