"""Choose the verdict bands on the development half only: ``claimcheck eval --choose-bands``.

Every question is answered once; the weighed evidence does not depend on the bands, so each candidate in
``GRID`` only re-reads the verdict (``weigh.judge``). The candidate with the most right directions on the
development half wins (ties: the one nearest today's bands); held-out figures are printed beside it for
the record and play no part in the choice.
"""
from __future__ import annotations

import itertools
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from ..answering import rules
from ..answering.understanding import Conversation
from ..answering.weigh import judge
from ..schema import VERDICT_DIRECTION
from .evaluate import load_questions, load_split

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


def choose_bands(assistant: Any, path: Path, split: Path) -> dict:
    questions = load_questions(path)
    halves = load_split(split)
    conversations: dict[str, Conversation] = {}
    answers = []
    for q in questions:
        conversation = conversations.setdefault(q.get("follows") or q["id"], Conversation())
        answers.append((q, assistant.ask(q["question"], conversation=conversation)))

    def score(candidate: tuple[rules.VerdictBands, float], ids: set[str]) -> int:
        bands, floor = candidate
        right = 0
        for q, answer in answers:
            if q["id"] not in ids or not q.get("expect"):
                continue
            verdict = answer.verdict
            if verdict is not None and answer.claim is not None:
                evidence = [replace(e, weight=refloor(e.weight, e.relevance, floor)) for e in answer.evidence]
                verdict = judge(answer.claim, answer.claim_id, evidence, bands).verdict
            got = VERDICT_DIRECTION[verdict] if answer.evidence or verdict else "insufficient"
            right += got == q["expect"]
        return right

    today = (rules.BANDS, rules.RELEVANCE_FLOOR)
    development, held_out = set(halves["development"]), set(halves["held_out"])
    candidates = [(replace(today[0], **dict(zip(GRID, values))), floor)
                  for values in itertools.product(*GRID.values()) for floor in FLOORS]
    distance = lambda c: (sum(abs(getattr(c[0], k) - getattr(today[0], k)) for k in GRID)  # noqa: E731
                          + abs(c[1] - today[1]))
    best = max(candidates, key=lambda c: (score(c, development), -distance(c)))
    return {"chosen": {**asdict(best[0]), "relevance_floor": best[1]},
            "today": {**asdict(today[0]), "relevance_floor": today[1]},
            "development": {"chosen": score(best, development), "today": score(today, development),
                            "total": sum(1 for q in questions if q["id"] in development and q.get("expect"))},
            "held_out": {"chosen": score(best, held_out), "today": score(today, held_out),
                         "total": sum(1 for q in questions if q["id"] in held_out and q.get("expect"))},
            "candidates": len(candidates)}
