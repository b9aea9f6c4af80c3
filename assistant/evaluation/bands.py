"""Choose the verdict bands on development data only: ``claimcheck eval --choose-bands``.

Development data: the development half of the main set, and, when they sit beside it, the team-documents
questions (a set with no held-out half) and the first paraphrase triples (read question by question while
building, so development). Held out: the main set's other half and the held-out triples, printed beside
the choice for the record and playing no part in it.

Every question is answered once; the weighed evidence does not depend on the bands, so each candidate in
``GRID`` only re-reads the verdict (``weigh.judge``). The candidate with the most right directions over the
development data wins (ties: the one nearest today's bands).
"""
from __future__ import annotations

import itertools
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from ..answering import rules
from ..answering.understanding import Conversation
from ..answering.weigh import judge
from .evaluate import (
    TEAM_WORKSPACE,
    ask_triples,
    direction,
    ensure_team_documents,
    heldout_triples,
    load_questions,
    load_split,
)

GRID: dict[str, tuple[float, ...]] = {
    "leans_edge": (0.2, 0.3, 0.4),
    "firm_edge": (0.5, 0.6, 0.7),
    "contested_min_side": (0.3, 0.5, 0.8),
    "qualified_share": (0.4, 0.5, 0.6, 1.01),
    "min_total": (0.5, 0.8, 1.2),
    "one_sided_leans": (False, True),
}
# The relevance floor is chosen with the bands: each piece's weight is rescaled to the candidate floor
# (relevance = (similarity - floor) / (1 - floor)); a curated quote dropped at today's floor stays dropped.
FLOORS: tuple[float, ...] = (0.1, 0.2, 0.3)


def refloor(weight: float, relevance: float, floor: float) -> float:
    """A piece's weight at another relevance floor, from its relevance at today's (rules.RELEVANCE_FLOOR)."""
    if relevance <= 0 or floor == rules.RELEVANCE_FLOOR:
        return weight if relevance > 0 else 0.0
    similarity = rules.RELEVANCE_FLOOR + relevance * (1 - rules.RELEVANCE_FLOOR)
    return weight * max(0.0, (similarity - floor) / (1 - floor)) / relevance


@dataclass(frozen=True)
class _Asked:
    set: str  # which set the question is from
    expect: str
    answer: Any


def ask_all(assistant: Any, path: Path, halves: dict[str, list[str]]) -> list[_Asked]:
    """Every question of every set, answered once: each conversation in order, team questions in their
    workspace, each triple wording fresh."""
    asked: list[_Asked] = []
    conversations: dict[str, Conversation] = {}
    half = {qid: name for name, ids in halves.items() for qid in ids}
    for q in load_questions(path):
        conversation = conversations.setdefault(q.get("follows") or q["id"], Conversation())
        answer = assistant.ask(q["question"], conversation=conversation)
        if q.get("expect") and q["id"] in half:
            asked.append(_Asked(half[q["id"]], q["expect"], answer))
    team = path.with_name("team_questions.jsonl")
    if team.exists():
        ensure_team_documents(assistant, path.with_name("team_docs"))
        asked += [_Asked("team", q["expect"], assistant.ask(q["question"], workspace=TEAM_WORKSPACE))
                  for q in load_questions(team) if q.get("expect")]
    first = path.with_name("paraphrase_triples.jsonl")
    for triples, label in ((first, "triples"), (heldout_triples(first), "triples_held_out")):
        if triples.exists():
            asked += [_Asked(label, t["expect"], answer) for t, answers in ask_triples(assistant, triples)
                      for answer in answers]
    return asked


DEVELOPMENT = ("development", "team", "triples")
HELD_OUT = ("held_out", "triples_held_out")


def choose_bands(assistant: Any, path: Path, split: Path) -> dict:
    asked = ask_all(assistant, path, load_split(split))

    def score(candidate: tuple[rules.VerdictBands, float], sets: tuple[str, ...]) -> int:
        bands, floor = candidate
        right = 0
        for a in asked:
            if a.set not in sets:
                continue
            verdict = a.answer.verdict
            if verdict is not None and a.answer.claim is not None:
                evidence = [replace(e, weight=refloor(e.weight, e.relevance, floor)) for e in a.answer.evidence]
                verdict = judge(a.answer.claim, a.answer.claim_id, evidence, bands).verdict
            right += direction(verdict, bool(a.answer.evidence)) == a.expect
        return right

    today = (rules.BANDS, rules.RELEVANCE_FLOOR)
    candidates = [(replace(today[0], **dict(zip(GRID, values))), floor)
                  for values in itertools.product(*GRID.values()) for floor in FLOORS]
    distance = lambda c: (sum(abs(getattr(c[0], k) - getattr(today[0], k)) for k in GRID)  # noqa: E731
                          + abs(c[1] - today[1]))
    best = max(candidates, key=lambda c: (score(c, DEVELOPMENT), -distance(c)))
    by_set = {name: {"chosen": score(best, (name,)), "today": score(today, (name,)),
                     "total": sum(a.set == name for a in asked)}
              for name in DEVELOPMENT + HELD_OUT if any(a.set == name for a in asked)}
    return {"chosen": {**asdict(best[0]), "relevance_floor": best[1]},
            "today": {**asdict(today[0]), "relevance_floor": today[1]},
            "development (chosen on)": {"chosen": score(best, DEVELOPMENT), "today": score(today, DEVELOPMENT)},
            "by set": by_set, "candidates": len(candidates)}
