"""Which claims a team's finding bears on, and with which stance.

Findings (``team_data``) say what the numbers show in one word, their
``signal``; which catalogue claim that supports or contradicts is answering's
business, so the table lives in ``answering.rules.FINDING_STANCES``.
"""
from __future__ import annotations

import re
from typing import Iterable

from ..schema import Finding
from .rules import EFFECT_STANCES, FINDING_STANCES


def finding_stances(finding: Finding) -> dict[str, str]:
    """claim id -> stance for one finding ({} when it bears on no claim)."""
    return dict(FINDING_STANCES.get(finding.topic, {}).get(finding.signal, {}))


def channel_effects(findings: Iterable[Finding], question: str) -> list[tuple[Finding, str]]:
    """What each channel's spend did, for a claim the user put about a channel they name ("does our TV
    spend drive sales?"): a return above zero supports it, an interval around zero qualifies, below contradicts."""
    words = set(re.findall(r"[a-z0-9]+", question.lower()))
    out = []
    for f in findings:
        stance = EFFECT_STANCES.get(f.signal)
        if f.kind == "media_effect" and stance and f.channels and set(f.channels[0].split()) <= words:
            out.append((f, stance))
    return out


def bears_on(finding: Finding, claim_id: str) -> bool:
    return claim_id in finding_stances(finding)


def claims_with_findings(findings: Iterable[Finding]) -> frozenset[str]:
    """Every claim some finding bears on: the team's numbers can speak to these."""
    return frozenset(c for f in findings for c in finding_stances(f))
