"""Stance of a passage the catalogue does not cover (a team's documents, passages retrieved for a question).

Offline and cautious: first the nearest labelled quotes of the same claim in the catalogue vote; failing
a clear vote, a passage that is about the claim is read by the trained stance model (stance_model.py),
which decides only when it is sure (hedged passages qualify); without a model, cue words decide;
otherwise ``neutral``. Measured by ``claimcheck eval``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..knowledge.embedding import cosine
from . import rules
from .catalogue import Catalogue
from .rules import (
    AFFIRM_CUES,
    AFFIRM_ON_TOPIC_MIN,
    CUE_ON_TOPIC_MIN,
    HEDGE_CUES,
    NEGATION_CUES,
    ON_TOPIC_MIN,
    QUALIFY_CUES,
    RESULT_ON_TOPIC_MIN,
    STANCE_MODEL_MARGIN,
)
from .results import Result, read_result, stance_of
from .stance_model import StanceModel
from .understanding import negated


@dataclass(frozen=True)
class Request:
    """One passage to read: on a catalogue claim (``claim_id``, labelled neighbours first), or on a claim as the
    user worded it (``claim``, with ``on_topic`` its cosine to the passage)."""

    text: str
    vector: list[float] | None = None
    claim_id: str | None = None
    claim: str | None = None
    on_topic: float = 0.0
    exclude_source: str | None = None


@dataclass(frozen=True)
class _ModelRead:
    """A (claim, passage) pair only the stance model can decide."""

    claim: str
    text: str


Stance = tuple[str, str]  # (stance, how it was decided)
_NOT_JUST = re.compile(r"\bnot (?:just|only|merely)\b", re.I)  # "..., not just support aims" denies nothing


class StanceClassifier:
    def __init__(self, catalogue: Catalogue, quote_vectors: dict[tuple[str, str], list[float]],
                 claim_vectors: dict[str, list[float]], model: StanceModel | None = None) -> None:
        """``quote_vectors``: (claim id, quote) -> vector; ``claim_vectors``: claim id -> vector."""
        self.catalogue, self.quote_vectors, self.claim_vectors = catalogue, quote_vectors, claim_vectors
        self.model = model

    def on_claim(self, claim: str, text: str, on_topic: float) -> Stance:
        """Stance of ``text`` on a claim as worded (no labelled neighbours): the model where there is one."""
        return self.read([Request(text, claim=claim, on_topic=on_topic)])[0]

    def classify(self, text: str, vector: list[float], claim_id: str, exclude_source: str | None = None) -> Stance:
        """Stance of ``text`` on a catalogue claim."""
        return self.read([Request(text, vector, claim_id, exclude_source=exclude_source)])[0]

    def read(self, requests: list[Request]) -> list[Stance]:
        """Each request's stance; the passages only the model can decide are read in one call (an answer's
        passages together cost about a third less than one by one)."""
        first = [self._without_model(r) for r in requests]
        pending = [(f.claim, f.text) for f in first if isinstance(f, _ModelRead)]
        read = iter(self.model.support_probability(pending) if pending and self.model is not None else [])
        return [_by_probability(next(read)) if isinstance(f, _ModelRead) else f for f in first]

    def _without_model(self, r: Request) -> Stance | _ModelRead:
        if r.claim_id is None:
            return self._on_claim(r.claim or "", r.text, r.on_topic)
        claim = self.catalogue.claim(r.claim_id)
        if claim is None:
            return "neutral", "no claim"
        best: dict[str, float] = {}
        for e in claim.evidence:
            if e.source_id == r.exclude_source:
                continue
            qv = self.quote_vectors.get((r.claim_id, e.quote))
            if qv is None or r.vector is None:
                continue
            s = cosine(r.vector, qv)
            best[e.stance] = max(best.get(e.stance, -1.0), s)
        ranked = sorted(best.items(), key=lambda t: -t[1])
        if ranked and ranked[0][1] >= rules.NEIGHBOUR_MIN and (
            len(ranked) == 1 or ranked[0][1] - ranked[1][1] >= rules.NEIGHBOUR_MARGIN
        ):
            return ranked[0][0], f"nearest labelled quote ({ranked[0][1]:.2f})"
        on_topic = cosine(r.vector, self.claim_vectors.get(r.claim_id, [])) if r.vector is not None else 0.0
        return self._on_claim(claim.claim, r.text, on_topic)

    def _on_claim(self, claim: str, text: str, on_topic: float) -> Stance | _ModelRead:
        result = read_result(text) if on_topic >= RESULT_ON_TOPIC_MIN else None
        if self.model is None:
            return by_cues(text, on_topic) if result is None else _by_result(result, claim)
        if on_topic < rules.MODEL_ON_TOPIC_MIN:
            return "neutral", "not about the claim"
        if QUALIFY_CUES.search(text):
            return "qualifies", "qualifying words"
        if result is not None:
            return _by_result(result, claim)
        return _ModelRead(claim, text)


def _by_result(result: Result, claim: str) -> Stance:
    """A reported result: its figures decide (results.py)."""
    return stance_of(result, negated(_NOT_JUST.sub(" ", claim), "")), f"reported result ({result.shown_by.strip()})"


def _by_probability(p: float) -> Stance:
    """The model decides only when it is sure."""
    if abs(p - 0.5) >= STANCE_MODEL_MARGIN:
        return ("supports" if p > 0.5 else "contradicts"), f"stance model (p = {p:.2f})"
    return "neutral", f"stance model unsure (p = {p:.2f})"


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
