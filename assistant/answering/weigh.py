"""Weigh evidence: kind × relevance × independence, then a verdict.

A pure function of its inputs, so the arithmetic can be checked by hand
(see tests/test_weigh.py).
"""
from __future__ import annotations

import math
from dataclasses import replace

from ..schema import Evidence, Judgement, Verdict
from . import rules


def weigh(evidence: list[Evidence], keep_order: bool = False) -> list[Evidence]:
    """Set each item's weight and ``why``; strongest first unless ``keep_order`` (an information answer).

    In a claim's answer a ``neutral`` piece is context: shown, never counted (weight 0)."""
    raw = [(e, 0.0 if e.stance == "neutral" and not keep_order else
            rules.KIND_WEIGHT[e.kind] * max(0.0, min(1.0, e.relevance))) for e in evidence]
    seen: dict[tuple[str, str], int] = {}
    out: list[Evidence] = []
    for e, w in sorted(raw, key=lambda t: -t[1]):
        voice = (e.author or e.source_id, e.stance)
        n = seen.get(voice, 0)
        seen[voice] = n + 1
        factor = rules.INDEPENDENCE_DECAY ** n
        why = (f"{e.kind.replace('_', ' ')} {rules.KIND_WEIGHT[e.kind]:g} × relevance {e.relevance:.2f}" if w or keep_order
               else "context: shown, not counted")
        if n:
            why += f" × independence {factor:g} (piece {n + 1} from this voice on this side)"
        out.append(replace(e, weight=round(w * factor, 4), why=(f"{e.why}; " if e.why else "") + why))
    if keep_order:
        position = {id(e): n for n, (e, _) in enumerate(raw)}
        return [o for _, o in sorted(zip([e for e, _ in sorted(raw, key=lambda t: -t[1])], out),
                                     key=lambda pair: position[id(pair[0])])]
    return sorted(out, key=lambda e: (-e.weight, -e.relevance))


def judge(claim: str | None, claim_id: str | None, evidence: list[Evidence],
          bands: rules.VerdictBands = rules.BANDS) -> Judgement:
    """Balance and verdict from weighed evidence (the rules: ``rules.VerdictBands``)."""
    w_for = sum(e.weight for e in evidence if e.stance == "supports")
    w_against = sum(e.weight for e in evidence if e.stance == "contradicts")
    w_qual = sum(e.weight for e in evidence if e.stance == "qualifies")
    total = w_for + w_against + w_qual
    weights = (round(w_for, 4), round(w_against, 4), round(w_qual, 4))
    if total < bands.min_total:
        return Judgement(claim, claim_id, "insufficient_evidence", None, round(_coverage(total), 3), evidence,
                         *weights)
    sided = w_for + w_against
    balance = (w_for - w_against) / sided if sided else 0.0
    verdict = verdict_for(balance, w_for, w_against, w_qual, bands)
    agreement = 0.5 if verdict in ("contested", "qualified") else 0.5 + 0.5 * abs(balance)
    confidence = _coverage(total) * agreement * (1 - 0.5 * w_qual / total)
    return Judgement(claim, claim_id, verdict, round(balance, 3), round(confidence, 3), evidence, *weights)


def verdict_for(balance: float, w_for: float, w_against: float, w_qual: float,
                bands: rules.VerdictBands = rules.BANDS) -> Verdict:
    """The verdict words that agree with the numbers: "contested" only when both sides weigh; "qualified"
    (holds only in part) when qualifying evidence outweighs each side and is a large share of the whole;
    otherwise the side that weighs more, firmly only when little qualifies it."""
    if min(w_for, w_against) >= bands.contested_min_side and abs(balance) < bands.leans_edge:
        return "contested"
    heavily_qualified = w_qual >= bands.qualified_share * (w_for + w_against + w_qual)
    one_sided = bands.one_sided_leans and min(w_for, w_against) == 0 < max(w_for, w_against)
    if (heavily_qualified and w_qual >= max(w_for, w_against) and not one_sided) or balance == 0:
        return "qualified"
    firm = abs(balance) >= bands.firm_edge and not heavily_qualified
    if balance > 0:
        return "supported" if firm else "leans_supported"
    return "unsupported" if firm else "leans_unsupported"


def _coverage(total: float) -> float:
    return 1.0 - math.exp(-total / rules.CONFIDENCE_SCALE)
