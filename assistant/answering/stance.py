"""Stance of a passage the catalogue does not cover (a team's documents).

Offline and cautious: first the nearest labelled quotes of the same claim in
the catalogue vote; failing a clear vote, cue words decide only for a
passage that is about the claim; otherwise ``neutral``. Measured by
``claimcheck eval`` (leave-one-source-out over the catalogue).
"""
from __future__ import annotations

import re

from .catalogue import Catalogue
from ..knowledge.embedding import cosine

NEIGHBOUR_MIN = 0.6  # cosine to a labelled quote before its stance counts
NEIGHBOUR_MARGIN = 0.08  # the winning stance must lead the next by this much
ON_TOPIC_MIN = 0.4  # cosine to the claim before a hedge cue may decide ...
CUE_ON_TOPIC_MIN = 0.55  # ... before a negating cue may (it misfires more) ...
AFFIRM_ON_TOPIC_MIN = 0.65  # ... and before an affirming cue may (essays restate the view they attack)
NEGATION_CUES = re.compile(
    r"\b(not|no|never|myth|don[’']t|doesn[’']t|won[’']t|isn[’']t|aren[’']t|didn[’']t|rarely|fail(?:s|ed)?|"
    r"crap|delud\w*|untrue|nothing|hardly|lose interest|stop caring|tiny percentage)\b",
    re.I,
)
HEDGE_CUES = re.compile(
    r"\b(may|might|some(?:times)?|only|depends|partly|up to|can lead|not always|not necessarily|in some cases|"
    r"unless|if)\b",
    re.I,
)
AFFIRM_CUES = re.compile(
    r"\b(drives?|drove|increase[sd]?|boost(?:s|ed)?|gr[eo]w|doubled|tripled|raise[sd]?|improve[sd]?|"
    r"lift(?:s|ed)?|works|proved?|shows?|key|essential|real)\b",
    re.I,
)


class StanceClassifier:
    def __init__(self, catalogue: Catalogue, quote_vectors: dict[tuple[str, str], list[float]],
                 claim_vectors: dict[str, list[float]]) -> None:
        """``quote_vectors``: (claim id, quote) -> vector; ``claim_vectors``: claim id -> vector."""
        self.catalogue, self.quote_vectors, self.claim_vectors = catalogue, quote_vectors, claim_vectors

    def classify(self, text: str, vector: list[float], claim_id: str,
                 exclude_source: str | None = None) -> tuple[str, str]:
        """(stance, how it was decided)."""
        claim = self.catalogue.claim(claim_id)
        if claim is None:
            return "neutral", "no claim"
        best: dict[str, float] = {}
        for e in claim.evidence:
            if e.source_id == exclude_source:
                continue
            qv = self.quote_vectors.get((claim_id, e.quote))
            if qv is None:
                continue
            s = cosine(vector, qv)
            best[e.stance] = max(best.get(e.stance, -1.0), s)
        ranked = sorted(best.items(), key=lambda t: -t[1])
        if ranked and ranked[0][1] >= NEIGHBOUR_MIN and (
            len(ranked) == 1 or ranked[0][1] - ranked[1][1] >= NEIGHBOUR_MARGIN
        ):
            return ranked[0][0], f"nearest labelled quote ({ranked[0][1]:.2f})"
        return by_cues(text, cosine(vector, self.claim_vectors.get(claim_id, [])))


def by_cues(text: str, on_topic: float) -> tuple[str, str]:
    """Cue words, trusted only as far as the text is about the claim (``on_topic``: their cosine).

    Alone, this is the stance for a claim outside the catalogue, where no labelled quotes can vote."""
    if on_topic < ON_TOPIC_MIN:
        return "neutral", "not clearly about the claim"
    if HEDGE_CUES.search(text):
        return "qualifies", "hedge cue"
    if on_topic >= CUE_ON_TOPIC_MIN and NEGATION_CUES.search(text):
        return "contradicts", "negation cue"
    if on_topic >= AFFIRM_ON_TOPIC_MIN and AFFIRM_CUES.search(text):
        return "supports", "affirming cue"
    return "neutral", "no clear cue"
