"""The weighing rules, as named data in one place.

Everything that decides how much a piece of evidence counts, and which
verdict a balance earns, lives here so the answer can show it and a reader
can argue with it.
"""
from __future__ import annotations

# How much one piece of evidence of each kind counts before relevance and
# independence: a team's own measured data describes this business; named
# research beats an essayist's argument; a reader's comment counts least.
KIND_WEIGHT: dict[str, float] = {
    "company_data": 3.0,
    "statistic": 1.5,
    "argument": 1.0,
    "document": 1.0,
    "comment": 0.6,
}

# The essay kinds on disk map to evidence kinds.
SOURCE_KIND_TO_EVIDENCE: dict[str, str] = {"essay": "argument", "comment": "comment", "document": "document"}

# A passage cites named research when it matches this (case-insensitive).
STATISTIC_PATTERN = (
    r"\b(gartner|mckinsey|forrester|nielsen|pew|harvard business|research (?:shows|finds|found)|"
    r"a (?:study|survey)|stacks of research)\b|\d+(?:\.\d+)?\s?%"
)

# Independence: the n-th piece (0-based) from the same author on the same
# side counts INDEPENDENCE_DECAY ** n, so one voice repeated is not a chorus.
INDEPENDENCE_DECAY = 0.5

# Stances and the side they count for in the balance.
SIDE: dict[str, int] = {"supports": 1, "contradicts": -1, "qualifies": 0, "neutral": 0}

# balance = (for - against) / (for + against + QUALIFY_DAMPING * qualifying):
# qualifying evidence pulls the balance towards "contested".
QUALIFY_DAMPING = 1.0

# Verdict bands on the balance, checked top to bottom.
# (Chosen on the shipped evaluation set: ±0.3 and ±0.2 both get 35/47 directions,
# ±0.3 calls more of the mixed questions right; see README.)
LEANS_EDGE = 0.3
VERDICT_BANDS: list[tuple[float, str]] = [
    (0.6, "supported"),
    (LEANS_EDGE, "leans_supported"),
    (-LEANS_EDGE, "contested"),
    (-0.6, "leans_unsupported"),
    (-1.0, "unsupported"),
]

# Below this total weight there is not enough evidence to call it.
MIN_TOTAL_WEIGHT = 0.8
# Confidence = (1 - exp(-total / CONFIDENCE_SCALE)) * agreement.
CONFIDENCE_SCALE = 3.0

# Relevance: curated catalogue evidence earns at least this much; retrieved
# passages earn their cosine similarity to the question, rescaled so that
# RELEVANCE_FLOOR -> 0 and 1.0 -> 1.
CATALOGUE_RELEVANCE_MIN = 0.3
RELEVANCE_FLOOR = 0.2

# Question understanding.
CLAIM_MATCH_MIN = 0.55  # cosine to a claim's statement or paraphrases
TOPIC_MATCH_MIN = 0.55  # cosine to an information topic
FOLLOW_UP_MATCH_MIN = 0.62  # a follow-up switches claim only on a clearer match
KEYWORD_BONUS = 0.04  # per catalogue keyword in the question, at most KEYWORD_BONUS_MAX
KEYWORD_BONUS_MAX = 0.08
INFO_TOPIC_MARGIN = 0.05  # an information question goes to a topic scoring within this of the best claim
TOPIC_OVER_CLAIM = 0.15  # any other question goes to a topic only when it beats the best claim by this
DATA_CLAIM_MARGIN = 0.05  # a claim the team's findings address wins when within this of the best ...
OWN_DATA_MARGIN = 0.1  # ... or within this when the question points at "our numbers"
IN_SCOPE_SIMILARITY = 0.5  # best passage similarity below this: the corpus does not address the question
# A claim outside the catalogue is weighed only on team passages at least this close to the question.
OFF_CATALOGUE_SIMILARITY = 0.5

# Evidence shown.
MAX_EVIDENCE = 10
MAX_RETRIEVED_EVIDENCE = 3  # non-catalogue passages (team documents) added per answer
QUOTE_MAX_CHARS = 300


def verdict_for(balance: float) -> str:
    for edge, verdict in VERDICT_BANDS:
        if balance >= edge:
            return verdict
    return "unsupported"


def describe() -> list[str]:
    """The rules in words, for the answer's 'How this was weighed'."""
    kinds = ", ".join(f"{k.replace('_', ' ')} {w:g}" for k, w in KIND_WEIGHT.items())
    return [
        f"Weight = kind × relevance × independence. Kind weights: {kinds}.",
        f"Relevance is the similarity of the passage to the question, from 0 to 1 (curated evidence at least {CATALOGUE_RELEVANCE_MIN:g}).",
        f"Independence: each further piece from the same author on the same side counts {INDEPENDENCE_DECAY:g}× the one before.",
        "Balance = (weight for − weight against) / (for + against + qualifying), from −1 to 1.",
        "Verdict: " + ", ".join(f"{v.replace('_', ' ')} from {edge:+g}" for edge, v in VERDICT_BANDS)
        + f"; under {MIN_TOTAL_WEIGHT:g} total weight, not enough evidence.",
    ]
