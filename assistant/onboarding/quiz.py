"""The onboarding quiz: questions drawn from the claim catalogue and the journey, each with its citation.

Which source argues for or against a claim, whether the essays support a claim,
what a quote says about a claim, which journey stage a passage describes:
every question is answerable from the sources and cites the passage that answers it.
"""
from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass, field
from typing import Mapping, Sequence

from ..answering.catalogue import Catalogue, CatalogueEvidence, Claim
from ..answering.rules import LEANS_EDGE
from ..errors import BadInput
from ..schema import LEAN_WORDS, safe_cell
from .claim_map import claim_balance, stances_by_source
from .journey import Journey, Stage

STANCE_OPTIONS: dict[str, str] = {
    "supports": "It supports the claim",
    "contradicts": "It contradicts the claim",
    "qualifies": "It qualifies the claim (true only partly, or only under some conditions)",
}
KINDS: tuple[str, ...] = ("quote_stance", "which_source", "claim_supported", "journey_stage")
# Notes marking a quote that states the view its author attacks: read alone it points the other way,
# so it is never asked about on its own and is cited only when nothing plainer exists.
SET_UP_WORDS: tuple[str, ...] = ("orthodoxy", "assertion", "set up", "ironic", "scare quotes", "dispute")
CSV_FIELDS: tuple[str, ...] = ("number", "kind", "question", "your_answer", "correct_answer", "correct",
                               "source", "quote")


@dataclass(frozen=True)
class Question:
    """One multiple-choice question; ``answer`` is one of ``options``; the citation answers it."""

    number: int
    kind: str  # one of KINDS
    prompt: str
    options: tuple[str, ...]
    answer: str
    source_id: str  # the citation: a verbatim quote and its source
    source: str
    quote: str
    explanation: str
    claim_id: str | None = None
    passage: str | None = None  # a quote shown with the question itself (quote_stance, journey_stage)


def _plain(e: CatalogueEvidence) -> bool:
    """Safe to teach from: both blind labelling passes agreed on it, and the quote says what its author means
    (not a view set up to be knocked down)."""
    return e.agreed and not any(w in e.note.lower() for w in SET_UP_WORDS)


def _title(titles: Mapping[str, str], source_id: str) -> str:
    return titles.get(source_id, source_id.replace("-", " ").capitalize())


def _quote_stance(claim: Claim, e: CatalogueEvidence, titles: Mapping[str, str]) -> dict:
    return dict(kind="quote_stance", claim_id=claim.id,
                prompt=f"What does this passage from “{_title(titles, e.source_id)}” say about the claim "
                       f"“{claim.claim}”?",
                options=tuple(STANCE_OPTIONS.values()), answer=STANCE_OPTIONS[e.stance],
                source_id=e.source_id, quote=e.quote, passage=e.quote,
                explanation=f"The catalogue marks this passage: it {e.stance} the claim"
                            + (f" ({e.note})." if e.note else "."))


def _which_source(claim: Claim, stance: str, right: str, others: list[str], titles: Mapping[str, str],
                  rng: random.Random) -> dict:
    e = next(x for x in claim.evidence if x.source_id == right and x.stance == stance and _plain(x))
    options = [_title(titles, right)] + [_title(titles, s) for s in rng.sample(others, 3)]
    rng.shuffle(options)
    side = "for" if stance == "supports" else "against"
    return dict(kind="which_source", claim_id=claim.id,
                prompt=f"Which source argues {side} the claim “{claim.claim}”?",
                options=tuple(options), answer=_title(titles, right), source_id=right, quote=e.quote,
                explanation=f"“{_title(titles, right)}” {stance} it; the other three sources hold no passage "
                            f"that {stance} it.")


LEAN_SIDE: dict[str, str] = {"positive": "supports", "negative": "contradicts", "mixed": "qualifies"}


def _claim_supported(claim: Claim, titles: Mapping[str, str]) -> dict:
    b = claim_balance(claim)
    side = LEAN_SIDE[b.lean]
    e = next(x for x in claim.evidence if x.stance == side and _plain(x))
    return dict(kind="claim_supported", claim_id=claim.id,
                prompt=f"Taken together, do the essays support the claim “{claim.claim}”?",
                options=tuple(LEAN_WORDS.values()), answer=LEAN_WORDS[b.lean], source_id=e.source_id, quote=e.quote,
                explanation=f"The catalogue holds {b.describe()}; from ±{LEANS_EDGE:g} a claim counts as mostly "
                            f"supported or contradicted.")


def _journey_stage(journey: Journey, stage: Stage, rng: random.Random, titles: Mapping[str, str]) -> dict:
    others = [s.name for s in journey.stages if s.id != stage.id]
    options = [stage.name, *rng.sample(others, 3)]
    rng.shuffle(options)
    return dict(kind="journey_stage", claim_id=None,
                prompt="Which stage of the Social Customer Journey does this passage describe?",
                options=tuple(options), answer=stage.name, source_id=journey.source_id, quote=stage.quote,
                passage=stage.quote, explanation=f"{stage.name}: {stage.summary}")


def _pools(catalogue: Catalogue, journey: Journey | None, titles: Mapping[str, str],
           rng: random.Random) -> dict[str, list]:
    """Every question that can be asked, per kind (built lazily from (maker, args) pairs)."""
    sources = sorted(titles) or sorted({e.source_id for c in catalogue.claims for e in c.evidence})
    pools: dict[str, list] = {k: [] for k in KINDS}
    for c in catalogue.claims:
        seen: dict[str, set[str]] = {}
        for e in c.evidence:
            seen.setdefault(e.quote, set()).add(e.stance)
        for e in c.evidence:
            if e.stance in STANCE_OPTIONS and seen[e.quote] == {e.stance} and _plain(e):
                pools["quote_stance"].append((_quote_stance, (c, e, titles)))
        by_source = stances_by_source(c)
        for stance in ("supports", "contradicts"):
            holders = sorted({e.source_id for e in c.evidence if e.stance == stance and _plain(e)})
            others = [s for s in sources if stance not in by_source.get(s, set())]
            if len(others) >= 3:
                for right in holders:
                    pools["which_source"].append((_which_source, (c, stance, right, others, titles, rng)))
        side = LEAN_SIDE[claim_balance(c).lean]
        if claim_balance(c).clear and any(e.stance == side and _plain(e) for e in c.evidence):
            pools["claim_supported"].append((_claim_supported, (c, titles)))
    if journey is not None and len(journey.stages) >= 4:
        pools["journey_stage"] = [(_journey_stage, (journey, s, rng, titles)) for s in journey.stages]
    return pools


def make_quiz(catalogue: Catalogue, journey: Journey | None = None, n: int = 8, seed: int = 0,
              titles: Mapping[str, str] | None = None) -> list[Question]:
    """``n`` questions mixing the kinds in turn, the same for the same seed."""
    if n < 1:
        raise BadInput("a quiz needs at least one question")
    rng = random.Random(seed)
    titles = dict(titles or {})
    pools = _pools(catalogue, journey, titles, rng)
    for pool in pools.values():
        rng.shuffle(pool)
    kinds = [k for k in KINDS if pools[k]]
    if not kinds:
        raise BadInput("the claim catalogue holds nothing to ask about")
    picked: list[tuple] = []
    turn = 0
    while len(picked) < n and any(pools[k] for k in kinds):
        kind = kinds[turn % len(kinds)]
        turn += 1
        if pools[kind]:
            picked.append(pools[kind].pop())
    questions = []
    for number, (maker, args) in enumerate(picked, 1):
        spec = maker(*args)
        questions.append(Question(number=number, source=_title(titles, spec["source_id"]), **spec))
    return questions


def grade(question: Question, choice: str | None) -> bool:
    return choice is not None and choice == question.answer


@dataclass
class Attempt:
    question: Question
    choice: str

    @property
    def correct(self) -> bool:
        return grade(self.question, self.choice)


@dataclass
class Score:
    correct: int
    answered: int
    total: int
    attempts: list[Attempt] = field(default_factory=list)

    def describe(self) -> str:
        return f"{self.correct} of {self.answered} correct" + (
            f" ({self.total - self.answered} still to answer)" if self.answered < self.total else "")


def score(questions: Sequence[Question], answers: Mapping[int, str]) -> Score:
    """``answers``: question number -> the option chosen."""
    attempts = [Attempt(q, answers[q.number]) for q in questions if q.number in answers]
    return Score(sum(a.correct for a in attempts), len(attempts), len(questions), attempts)


def results_csv(questions: Sequence[Question], answers: Mapping[int, str]) -> str:
    """Header plus one row per answered question; no cell runs as a formula when opened in a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for a in score(questions, answers).attempts:
        q = a.question
        writer.writerow([safe_cell(v) for v in (q.number, q.kind, q.prompt, a.choice, q.answer,
                                            "yes" if a.correct else "no", q.source, q.quote)])
    return out.getvalue()
