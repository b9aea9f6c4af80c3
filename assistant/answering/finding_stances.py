"""Which claims a team's finding bears on, and with which stance.

Findings (``team_data``) say what the numbers show in one word, their
``signal``; which catalogue claim that supports or contradicts is answering's
business, so the table lives in ``answering.rules.FINDING_STANCES``.
"""
from __future__ import annotations

from typing import Iterable

from ..schema import Finding
from .rules import FINDING_STANCES


def finding_stances(finding: Finding) -> dict[str, str]:
    """claim id -> stance for one finding ({} when it bears on no claim)."""
    return dict(FINDING_STANCES.get(finding.topic, {}).get(finding.signal, {}))


def bears_on(finding: Finding, claim_id: str) -> bool:
    return claim_id in finding_stances(finding)


def claims_with_findings(findings: Iterable[Finding]) -> frozenset[str]:
    """Every claim some finding bears on: the team's numbers can speak to these."""
    return frozenset(c for f in findings for c in finding_stances(f))
