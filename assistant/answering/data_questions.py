"""Questions about the team's own numbers ("which channel gives us the cheapest orders?").

They are answered from the workspace's findings, not weighed as a claim: the finding that answers the
question is quoted first as ``company_data``, with at most ``MAX_OTHER_FINDINGS`` close runners-up, and the
answer says it in one sentence with its numbers.
"""
from __future__ import annotations

import re
from typing import Iterable

from ..schema import Finding
from . import rules

_QUESTION = re.compile(rules.DATA_QUESTION, re.I)
_CUES = {kind: re.compile(pattern, re.I) for kind, pattern in rules.DATA_KIND_CUES.items()}
_OUTCOME_WORDS = {"cost_per_order": "cost per order", "cost_per_lead": "cost per lead",
                  "cost_per_conversion": "cost per conversion"}


def is_data_question(question: str) -> bool:
    return bool(_QUESTION.search(question))


def rank_findings(question: str, findings: Iterable[Finding], similarity: dict[str, float]) -> list[Finding]:
    """The findings that answer the question, best first: similarity of the finding's sentence to the
    question, plus a bonus where the question's words point at the finding's kind (a question about a link
    between two measures points at the link alone)."""
    cued = {kind for kind, cue in _CUES.items() if cue.search(question)}
    relation = cued & set(rules.DATA_RELATION_KINDS)
    cued = relation or cued
    scored = sorted(((similarity.get(f.id, 0.0) + (rules.DATA_CUE_BONUS if f.kind in cued else 0.0), f)
                     for f in findings if f.kind != "too_little_data"), key=lambda t: -t[0])
    if not scored:
        return []
    best = scored[0][0]
    others = [f for s, f in scored[1:] if s >= best - rules.DATA_OTHER_MARGIN][: rules.MAX_OTHER_FINDINGS]
    return [scored[0][1], *others]


def plain_answer(finding: Finding) -> str:
    """The finding said in one sentence: "email had the lowest cost per order: 3.39, against 45.47 for social"."""
    channels = {k: v for k, v in finding.numbers.items() if k in finding.channels}
    if finding.kind == "cost_per_outcome" and len(channels) >= 2:
        (low, low_v), (high, high_v) = min(channels.items(), key=lambda t: t[1]), max(channels.items(),
                                                                                    key=lambda t: t[1])
        what = _OUTCOME_WORDS.get(finding.topic, "cost per outcome")
        return f"{low} had the lowest {what}: {low_v:,.2f}, against {high_v:,.2f} for {high}."
    if finding.kind == "return_on_spend" and len(channels) >= 2:
        (best, best_v), (worst, worst_v) = max(channels.items(), key=lambda t: t[1]), min(channels.items(),
                                                                                        key=lambda t: t[1])
        return (f"{best} brought back the most revenue per unit of spend: {best_v:,.2f}, against {worst_v:,.2f} "
                f"for {worst}.")
    return finding.sentence.removeprefix("In your data, ")[:1].upper() + finding.sentence.removeprefix(
        "In your data, ")[1:]
