"""The claim map: what each source says about each claim, and the quotes behind each mark.

Computed from the claim catalogue (corpus/claims.json); the Claim map page,
the journey tour and the quiz only use what these functions return.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

from ..answering.catalogue import Catalogue, Claim
from ..answering.rules import LEANS_EDGE
from ..errors import BadInput
from ..schema import LEAN_WORDS, STANCE_MARKS, Direction

# "Is this claim supported by the essays?": the lean of the catalogue's stance balance.
# balance = (for - against) / (for + against + qualifying), the weighing formula with every passage counting 1.
LEAN_MARGIN = 0.05  # claims this close to an edge are too close to call and never asked about


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
    def lean(self) -> Direction:
        """positive | mixed | negative, in the one direction vocabulary (``schema.words``)."""
        v = self.value
        return "positive" if v >= LEANS_EDGE else "negative" if v <= -LEANS_EDGE else "mixed"

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
        if e.stance in STANCE_MARKS:
            out.setdefault(e.source_id, set()).add(e.stance)
    return out


def mark(stances: Iterable[str]) -> str:
    """'✔', '✘ ~' ...: one mark per stance present, in a fixed order; '' for none."""
    present = set(stances)
    return " ".join(m for s, m in STANCE_MARKS.items() if s in present)


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
                    "Lean": LEAN_WORDS[b.lean] if b.lean != "mixed" else "Mixed"})
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
    """The catalogue's quotes for one claim: for, then against, then qualifying, then context (neutral)."""
    claim = catalogue.claim(claim_id)
    if claim is None:
        raise BadInput(f"no claim {claim_id!r} in the catalogue")
    order = {s: n for n, s in enumerate(STANCE_MARKS)}
    titles = titles or {}
    return [Quote(e.source_id, titles.get(e.source_id, e.source_id), e.stance, e.quote, e.note, e.statistic)
            for e in sorted(claim.evidence, key=lambda e: order.get(e.stance, 9))]


@dataclass(frozen=True)
class ClaimView:
    """One claim as the claim map shows it when picked: its lean, its quotes, and a question to ask about it."""

    id: str
    statement: str
    lean: str  # LEAN_WORDS' wording
    balance: str
    quotes: tuple[Quote, ...]

    @property
    def question(self) -> str:
        """The claim put as a question for the chat."""
        return f"Is it true that {self.statement[0].lower()}{self.statement[1:]}?"


@dataclass(frozen=True)
class ClaimMap:
    """The whole map: columns (source titles, in title order), one row per claim, and each claim's view."""

    titles: dict[str, str]
    rows: list[dict[str, object]]
    claims: list[ClaimView]

    def claim(self, claim_id: str) -> ClaimView:
        found = next((c for c in self.claims if c.id == claim_id), None)
        if found is None:
            raise BadInput(f"no claim {claim_id!r} in the catalogue")
        return found


def build_claim_map(catalogue: Catalogue, titles: Mapping[str, str]) -> ClaimMap:
    ordered = dict(sorted(titles.items(), key=lambda t: t[1]))
    views = []
    for c in catalogue.claims:
        b = claim_balance(c)
        views.append(ClaimView(c.id, c.claim, LEAN_WORDS[b.lean], b.describe(),
                               tuple(claim_quotes(catalogue, c.id, ordered))))
    return ClaimMap(ordered, claim_matrix(catalogue, ordered), views)
