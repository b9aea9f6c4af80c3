"""The plain dataclasses that flow between the stages.

ingest -> store -> retrieve -> weigh -> compose; data: export -> findings.
Every stage takes and returns these, so a stage can be read, tested and
swapped on its own.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .words import Kind, Stance, Verdict


@dataclass(frozen=True)
class Caller:
    """Who is asking: a signed-in user's e-mail and groups. ``None`` in its place is the local command line."""

    email: str
    groups: tuple[str, ...] = ()


@dataclass(frozen=True)
class Section:
    """A span of a source text that passages never cross (a heading's body)."""

    start: int
    end: int
    heading: str = ""


@dataclass
class SourceText:
    """A document as read from disk: its exact text, which all offsets index."""

    source_id: str
    title: str
    text: str
    path: str = ""
    author: str | None = None
    kind: str = "document"  # essay | comment | document
    sections: list[Section] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Passage:
    """One to three sentences of a source; ``text == source.text[start:end]``."""

    id: str
    source_id: str
    text: str
    start: int
    end: int
    source: str  # the title a reader sees
    author: str | None
    kind: str  # essay | comment | document
    section: str = ""


@dataclass(frozen=True)
class Hit:
    """A passage a retriever found, with its fused score (higher is better)."""

    passage: Passage
    score: float
    dense_rank: int | None = None
    lexical_rank: int | None = None
    similarity: float = 0.0  # cosine similarity to the query, for relevance
    window: str = ""  # the passage with its neighbours in the same section (``Retriever.with_windows``)
    window_start: int | None = None


@dataclass
class Finding:
    """A computed result from a team's own metrics: numbers, not a text chunk."""

    id: str
    workspace: str
    file: str
    kind: str  # lagged_correlation, trend, cost_per_outcome, return_on_spend, spend_vs_outcome_share, funnel, ...
    topic: str  # the finer key within a kind, e.g. engagement_vs_orders, cost_per_lead
    sentence: str  # the quote the assistant cites, numbers included
    numbers: dict[str, float]  # name -> number; rates as fractions (0.086, not 8.6)
    n: int  # sample size: periods (or rows) the figure rests on
    method: str
    caveat: str
    channels: list[str] = field(default_factory=list)  # the channels it speaks of; [] for the business as a whole
    columns: list[str] = field(default_factory=list)  # the export's columns it was computed from
    rows: str = ""  # spreadsheet rows, e.g. "2-41"
    signal: str = ""  # what it found in one word (positive, weak, none, negative; best, middle, worst, absent; any)
    chart: dict | None = None  # data for the UI's chart, plain lists

    def to_dict(self) -> dict:
        """The finding as ``claimcheck data show --json`` prints it."""
        return {"id": self.id, "kind": self.kind, "sentence": self.sentence, "numbers": self.numbers,
                "channels": self.channels, "n": self.n, "method": self.method, "caveat": self.caveat}


@dataclass
class Evidence:
    """A weighed piece of evidence as the answer cites it ([E1], [E2], ...)."""

    id: str
    kind: Kind
    source: str
    source_id: str
    author: str | None
    quote: str
    stance: Stance
    weight: float
    start: int | None
    end: int | None
    relevance: float = 0.0
    passage: str = ""  # the whole passage the quote sits in, for highlighting
    passage_start: int | None = None
    why: str = ""  # how the weight was reached, in words
    curated: bool = False  # from the claim catalogue (its stance labelled by hand); else retrieved for this question


@dataclass
class Judgement:
    """The weigh stage's result for one claim."""

    claim: str | None
    claim_id: str | None
    verdict: Verdict | None
    balance: float | None
    confidence: float
    evidence: list[Evidence]
    weight_for: float = 0.0
    weight_against: float = 0.0
    weight_qualifies: float = 0.0


@dataclass
class Answer:
    """What ``Assistant.ask`` returns; ``to_dict`` is the CLI's JSON contract."""

    question: str
    claim: str | None
    verdict: Verdict | None
    balance: float | None
    confidence: float
    answer: str
    evidence: list[Evidence]
    timings_ms: dict[str, float]
    claim_id: str | None = None
    findings: list[Finding] = field(default_factory=list)
    kind: str = "claim"  # claim (weighed), info, data (the team's numbers), none (not addressed)

    def to_dict(self) -> dict:
        return {
            "question": self.question,
            "claim": self.claim,
            "verdict": self.verdict,
            "balance": self.balance,
            "confidence": self.confidence,
            "answer": self.answer,
            "evidence": [
                {
                    "id": e.id, "kind": e.kind, "source": e.source, "source_id": e.source_id,
                    "author": e.author, "quote": e.quote, "stance": e.stance, "weight": e.weight,
                    "start": e.start, "end": e.end,
                }
                for e in self.evidence
            ],
            "timings_ms": self.timings_ms,
            "kind": self.kind,
        }
