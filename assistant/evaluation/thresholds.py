"""Choose the answer path's cut-offs on development data only: ``claimcheck eval --choose-thresholds``.

The bands (bands.py) only re-read a verdict; these cut-offs change what is matched, read and retrieved, so
each candidate answers every set again. Two cut-offs at a time, the others at today's values: each pair in
``GRID`` is a 3 x 3 grid around today's. Development and held-out sets as in bands.py; the held-out counts are
printed beside each candidate and play no part in the choice (ties: today's values).
"""
from __future__ import annotations

import itertools
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from ..answering import rules
from .bands import DEVELOPMENT, HELD_OUT, ask_all
from .evaluate import direction, load_split

GRID: tuple[dict[str, tuple[float, ...]], ...] = (
    {"CLAIM_MATCH_MIN": (0.50, 0.55, 0.60), "NEIGHBOUR_MIN": (0.55, 0.60, 0.65)},
    {"OFF_CATALOGUE_SIMILARITY": (0.30, 0.35, 0.40), "MODEL_ON_TOPIC_MIN": (0.15, 0.20, 0.25)},
    {"MAX_RETRIEVED_EVIDENCE": (3, 4, 5), "KEYWORD_BONUS": (0.02, 0.04, 0.06)},
)
_TIED = {"KEYWORD_BONUS": ("KEYWORD_BONUS_MAX", 2.0)}  # the bonus is capped at two keywords' worth


@contextmanager
def overridden(values: dict[str, float]) -> Iterator[None]:
    """``answering.rules`` with these cut-offs for the duration, then today's again."""
    names = dict(values)
    for name, (tied, factor) in _TIED.items():
        if name in values:
            names[tied] = values[name] * factor
    today = {name: getattr(rules, name) for name in names}
    try:
        for name, value in names.items():
            setattr(rules, name, type(today[name])(value))
        yield
    finally:
        for name, value in today.items():
            setattr(rules, name, value)


def _counts(assistant: Any, path: Path, halves: dict[str, list[str]]) -> dict[str, int]:
    right: dict[str, int] = {}
    for a in ask_all(assistant, path, halves):
        right[a.set] = right.get(a.set, 0) + (direction(a.answer.verdict, bool(a.answer.evidence)) == a.expect)
    return right


def choose_thresholds(assistant: Any, path: Path, split: Path) -> dict:
    halves = load_split(split)
    report = []
    answered: dict[frozenset, dict[str, int]] = {}  # by what differs from today: today's is answered once
    for grid in GRID:
        rows = []
        for values in itertools.product(*grid.values()):
            candidate = dict(zip(grid, values))
            changed = frozenset((k, v) for k, v in candidate.items() if getattr(rules, k) != v)
            if changed not in answered:
                with overridden(dict(changed)):
                    answered[changed] = _counts(assistant, path, halves)
            right = answered[changed]
            rows.append({**candidate, "today": not changed,
                         "development": sum(right.get(s, 0) for s in DEVELOPMENT),
                         "held_out (not used)": {s: right.get(s, 0) for s in HELD_OUT},
                         "by development set": {s: right.get(s, 0) for s in DEVELOPMENT}})
        best = max(rows, key=lambda r: (r["development"], r["today"]))
        report.append({"chosen": {k: best[k] for k in grid}, "today": {k: getattr(rules, k) for k in grid},
                       "candidates": rows})
    return {"grids": report}
