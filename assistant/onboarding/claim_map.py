"""The claim map: what the catalogue's sources say about each claim, and the journey tour.

Computed from the claim catalogue (corpus/claims.json) and the journey
(corpus/journey.json); the app's Claim map and Training pages and the quiz
(quiz.py) only use what these functions return.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from ..answering.catalogue import Catalogue, Claim
from ..errors import BadInput
from ..answering.rules import LEANS_EDGE

# Stance -> the mark shown in the claim map, in display order.
MARKS: dict[str, str] = {"supports": "✔", "contradicts": "✘", "qualifies": "~"}

# "Is this claim supported by the essays?": the lean of the catalogue's stance balance.
# balance = (for - against) / (for + against + qualifying), the weighing formula with every passage counting 1.
LEAN_MARGIN = 0.05  # claims this close to an edge are too close to call and never asked about
LEANS: dict[str, str] = {
    "supported": "Mostly supported",
    "mixed": "Mixed: the essays qualify it or disagree",
    "contradicted": "Mostly contradicted",
}


# --- sources and journey ---------------------------------------------------------------

def source_titles(corpus_dir: Path) -> dict[str, str]:
    """source_id -> title of every bundled essay, read from its front matter."""
    from ..knowledge.ingest import bundled_paths
    from ..knowledge.reading import read_markdown

    return {s.source_id: s.title for s in map(read_markdown, bundled_paths(Path(corpus_dir)))}


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


# --- what the catalogue says about a claim ------------------------------------------------

@dataclass(frozen=True)
class Balance:
    supports: int
    contradicts: int
    qualifies: int

    @property
    def value(self) -> float:
        total = self.supports + self.contradicts + self.qualifies
        return (self.supports - self.contradicts) / total if total else 0.0

    @property
    def lean(self) -> str:
        """supported | mixed | contradicted."""
        v = self.value
        return "supported" if v >= LEANS_EDGE else "contradicted" if v <= -LEANS_EDGE else "mixed"

    @property
    def clear(self) -> bool:
        """Far enough from the edges that the lean is not a coin toss."""
        return abs(abs(self.value) - LEANS_EDGE) >= LEAN_MARGIN

    def describe(self) -> str:
        return (f"{self.supports} passage(s) for, {self.contradicts} against and {self.qualifies} qualifying "
                f"(balance {self.value:+.2f})")


def claim_balance(claim: Claim) -> Balance:
    return Balance(supports=sum(e.stance == "supports" for e in claim.evidence),
                   contradicts=sum(e.stance == "contradicts" for e in claim.evidence),
                   qualifies=sum(e.stance == "qualifies" for e in claim.evidence))


def stances_by_source(claim: Claim) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for e in claim.evidence:
        if e.stance in MARKS:
            out.setdefault(e.source_id, set()).add(e.stance)
    return out


def mark(stances: Iterable[str]) -> str:
    """'✔', '✘ ~' ...: one mark per stance present, in a fixed order; '' for none."""
    present = set(stances)
    return " ".join(m for s, m in MARKS.items() if s in present)


def claim_matrix(catalogue: Catalogue, sources: Mapping[str, str] | Sequence[str]) -> list[dict[str, object]]:
    """One row per claim: its id and text, a mark per source (column named by the source's title), the counts.

    ``sources`` is source_id -> column title (or a list of source ids, used as titles).
    """
    titles = dict(sources) if isinstance(sources, Mapping) else {s: s for s in sources}
    rows = []
    for c in catalogue.claims:
        by_source = stances_by_source(c)
        b = claim_balance(c)
        row: dict[str, object] = {"claim_id": c.id, "Claim": c.claim}
        row.update({title: mark(by_source.get(sid, ())) for sid, title in titles.items()})
        row.update({"For": b.supports, "Against": b.contradicts, "Qualifying": b.qualifies,
                    "Lean": LEANS[b.lean] if b.lean != "mixed" else "Mixed"})
        rows.append(row)
    return rows


@dataclass(frozen=True)
class Quote:
    source_id: str
    source: str
    stance: str
    quote: str
    note: str
    statistic: bool


def claim_quotes(catalogue: Catalogue, claim_id: str, titles: Mapping[str, str] | None = None) -> list[Quote]:
    """The catalogue's quotes for one claim: for, then against, then qualifying."""
    claim = catalogue.claim(claim_id)
    if claim is None:
        raise BadInput(f"no claim {claim_id!r} in the catalogue")
    order = {s: n for n, s in enumerate(MARKS)}
    titles = titles or {}
    return [Quote(e.source_id, titles.get(e.source_id, e.source_id), e.stance, e.quote, e.note, e.statistic)
            for e in sorted(claim.evidence, key=lambda e: order.get(e.stance, 9))]
