"""The Social Customer Journey (corpus/journey.json) and its stage-by-stage tour.

The tour is what the Training page shows: each stage with its quote, the
metrics that measure it, and the claims it bears on with what the essays
make of them.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from ..answering.catalogue import Catalogue
from ..errors import BadInput
from ..schema import LEAN_WORDS
from .claim_map import claim_balance


@dataclass(frozen=True)
class StageEvidence:
    source_id: str
    quote: str


@dataclass(frozen=True)
class Stage:
    """One stage of the Social Customer Journey, as corpus/journey.json describes it."""

    id: str
    name: str
    summary: str
    quote: str
    metrics: tuple[str, ...]
    claims: tuple[str, ...]
    other_evidence: tuple[StageEvidence, ...] = ()


@dataclass(frozen=True)
class Journey:
    source_id: str
    stages: tuple[Stage, ...]


def load_journey(corpus_dir: Path) -> Journey:
    path = Path(corpus_dir) / "journey.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BadInput(f"{path}: the journey cannot be read ({exc}); restore it from the repository") from exc
    stages = tuple(
        Stage(id=s["id"], name=s["name"], summary=s.get("summary", ""), quote=s["quote"],
              metrics=tuple(s.get("metrics", [])), claims=tuple(s.get("claims", [])),
              other_evidence=tuple(StageEvidence(o["source_id"], o["quote"]) for o in s.get("other_evidence", [])))
        for s in data["stages"]
    )
    return Journey(source_id=data.get("source_id", "the-social-customers-journey"), stages=stages)


@dataclass(frozen=True)
class TourClaim:
    statement: str
    lean: str  # LEAN_WORDS' wording: "Mostly supported", ...
    balance: str  # "3 passage(s) for, 1 against and 2 qualifying (balance +0.33)"


@dataclass(frozen=True)
class TourStage:
    number: int
    name: str
    summary: str
    quote: str
    source: str  # the title of the essay the quote is from
    metrics: tuple[str, ...]
    claims: tuple[TourClaim, ...]
    more: tuple[tuple[str, str], ...]  # (quote, source title) of further passages on the stage


def tour(journey: Journey, catalogue: Catalogue, titles: Mapping[str, str]) -> list[TourStage]:
    """Every stage with its quote, metrics, claims and further passages, titles resolved."""
    stages = []
    for number, stage in enumerate(journey.stages, 1):
        claims = []
        for claim_id in stage.claims:
            claim = catalogue.claim(claim_id)
            if claim is not None:
                balance = claim_balance(claim)
                claims.append(TourClaim(claim.claim, LEAN_WORDS[balance.lean], balance.describe()))
        stages.append(TourStage(
            number=number, name=stage.name, summary=stage.summary, quote=stage.quote,
            source=titles.get(journey.source_id, journey.source_id), metrics=stage.metrics, claims=tuple(claims),
            more=tuple((o.quote, titles.get(o.source_id, o.source_id)) for o in stage.other_evidence)))
    return stages
