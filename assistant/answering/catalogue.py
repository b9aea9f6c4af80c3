"""The claim catalogue (corpus/claims.json): claims the essays argue about, and information topics.

Written by reading the essays: each claim with the passages that bear on it,
their stance and a verbatim quote. ``understanding`` matches questions to it.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from ..errors import BadInput


@dataclass(frozen=True)
class CatalogueEvidence:
    """One labelled passage: its stance on the claim as worded (``neutral`` entries are context and weigh
    nothing), whether it names research with a number, and whether both blind labelling passes agreed."""

    source_id: str
    stance: str
    quote: str
    note: str = ""
    statistic: bool = False
    agreed: bool = True


@dataclass
class Claim:
    id: str
    claim: str
    topic: str
    paraphrases: list[str]
    keywords: list[str]
    if_supported: str
    if_unsupported: str
    what_would_change: str
    evidence: list[CatalogueEvidence]
    # A claim that one thing beats another ("Value and price decide purchases more than brand conversation
    # does"): words naming the side it puts first and the side it puts second, so a question that puts them
    # the other way round ("Will our personality win the sale over a cheaper rival?") asks its opposite.
    compares: tuple[tuple[str, ...], tuple[str, ...]] | None = None


@dataclass
class Topic:
    """A question that asks for information the essays give."""

    id: str
    question: str
    paraphrases: list[str]
    keywords: list[str]
    quotes: list[CatalogueEvidence]


@dataclass
class Catalogue:
    claims: list[Claim]
    topics: list[Topic]

    def claim(self, claim_id: str) -> Claim | None:
        return next((c for c in self.claims if c.id == claim_id), None)

    def topic(self, topic_id: str) -> Topic | None:
        return next((t for t in self.topics if t.id == topic_id), None)


def _evidence(item: dict) -> CatalogueEvidence:
    return CatalogueEvidence(source_id=item["source_id"], stance=item.get("stance", "neutral"), quote=item["quote"],
                             note=item.get("note", ""), statistic=bool(item.get("statistic", False)),
                             agreed=bool(item.get("agreed", True)))


def load_catalogue(corpus_dir: Path) -> Catalogue:
    path = corpus_dir / "claims.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BadInput(f"{path}: the claim catalogue cannot be read ({exc}); restore it from the repository") from exc
    claims = [
        Claim(id=c["id"], claim=c["claim"], topic=c.get("topic", ""), paraphrases=c.get("paraphrases", []),
              keywords=[k.lower() for k in c.get("keywords", [])], if_supported=c.get("if_supported", ""),
              if_unsupported=c.get("if_unsupported", ""), what_would_change=c.get("what_would_change", ""),
              evidence=[_evidence(e) for e in c.get("evidence", [])],
              compares=(tuple(c["compares"]["first"]), tuple(c["compares"]["second"])) if "compares" in c else None)
        for c in data["claims"]
    ]
    topics = [
        Topic(id=t["id"], question=t["question"], paraphrases=t.get("paraphrases", []),
              keywords=[k.lower() for k in t.get("keywords", [])], quotes=[_evidence(q) for q in t.get("quotes", [])])
        for t in data.get("topics", [])
    ]
    return Catalogue(claims, topics)
