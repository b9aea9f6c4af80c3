"""The Social Customer Journey in a team's own numbers, and the after-purchase rates.

Stages consider, research, decide, act, enjoy, refer, repeat are measured by
impressions, clicks, leads, orders, NPS, referrals and repeat purchases. The
first four form a funnel (each stage as a share of the one before it);
referrals and repeat purchases are shares of orders; NPS is a score, shown
but never divided.
"""
from __future__ import annotations

import pandas as pd

from ..schema import Finding
from . import figures, rules
from .table import Table

# Words for each role's count in sentences.
NOUNS: dict[str, str] = {"impressions": "impressions", "clicks": "clicks", "leads": "leads", "orders": "orders",
                         "conversions": "conversions",
                         "referrals": "referrals", "repeat_purchases": "repeat purchases", "nps": "NPS"}


def _stages(totals: pd.DataFrame) -> list[tuple[str, str, float]]:
    """(stage, role, whole-file figure) for each stage the file measures; NPS averaged."""
    out = []
    for stage, role in rules.JOURNEY:
        if role == "orders" and "orders" not in totals.columns:
            role = "conversions"  # an ad platform's conversions are its orders when the file has no orders
        if role in totals.columns and totals[role].notna().any():
            value = totals[role].mean() if role in rules.AVERAGED_ROLES else totals[role].sum()
            out.append((stage, role, float(value)))
    return out


def _funnel(table: Table, workspace: str, stages: list[tuple[str, str, float]], n: int) -> Finding | None:
    """One sentence walking the journey, each stage with its conversion from the one before."""
    counted = [s for s in stages if s[1] not in rules.AVERAGED_ROLES]
    if len(counted) < 2:
        return None
    funnel = [s for s in counted if s[0] not in rules.AFTER_PURCHASE]
    wider = next(((a, b) for a, b in zip(funnel, funnel[1:]) if b[2] > a[2]), None)
    if wider is not None:
        (_, role_a, a), (_, role_b, b) = wider
        table.notes.append(f"No funnel: {NOUNS[role_b]} ({figures.count(b)}) outnumber {NOUNS[role_a]} "
                           f"({figures.count(a)}), so they are not stages of one funnel (the platform may count "
                           "them over different windows or people).")
        return None
    orders = next((v for _, r, v in stages if r in ("orders", "conversions")), None)
    parts, numbers, rates = [], {"n": float(n)}, []
    previous: float | None = None
    for stage, role, value in stages:
        numbers[role] = value
        if role in rules.AVERAGED_ROLES:
            parts.append(f"{stage}: average {NOUNS[role]} {value:.0f}")
            rates.append(None)
            continue
        base = orders if stage in rules.AFTER_PURCHASE else previous
        rate = value / base if base else None
        of = " of orders" if stage in rules.AFTER_PURCHASE else ""
        parts.append(f"{stage} {figures.count(value)} {NOUNS[role]}" + (f" ({figures.percent(rate)}{of})" if rate is not None else ""))
        if rate is not None:
            numbers[f"{stage}_rate"] = rate
        rates.append(rate)
        if stage not in rules.AFTER_PURCHASE:
            previous = value
    sentence = f"In your data, over {n} {figures.plural(table, n)} the journey ran: " + "; ".join(parts) + "."
    chart = {"type": "funnel", "stages": [s for s, _, _ in stages], "values": [v for _, _, v in stages],
             "labels": [NOUNS[r] for _, r, _ in stages], "conversion": rates}
    caveat = ("Each stage is a share of the stage before it in the same file and period, not the same people "
              "followed through; refer and repeat are shares of orders.")
    return figures.finding(table, workspace, "funnel", "journey", sentence, numbers, n,
                     "whole-file totals per journey stage; each stage divided by the previous measured one",
                     caveat, [r for _, r, _ in stages], "any", chart)


def _rate(table: Table, workspace: str, totals: pd.DataFrame, role: str, topic: str,
          caveat: str) -> Finding | None:
    """role / orders over the whole file (referral rate, repeat rate)."""
    if role not in totals.columns or "orders" not in totals.columns:
        return None
    both = totals[[role, "orders"]].dropna()
    part, orders = float(both[role].sum()), float(both["orders"].sum())
    if orders <= 0 or both.empty:
        return None
    rate, noun = part / orders, NOUNS[role]
    if rate > 1:
        table.notes.append(f"No {noun} rate: {figures.count(part)} {noun} against {figures.count(orders)} orders "
                           "would be over 100%; check that both columns count the same customers.")
        return None
    sentence = (f"In your data, {noun} came to {figures.percent(rate)} of orders ({figures.count(part)} {noun} against "
                f"{figures.count(orders)} orders over {len(both)} {figures.plural(table, len(both))}).")
    per_period = (both[role] / both["orders"].where(both["orders"] > 0))
    chart = {"type": "line", "x": [f"{d:%Y-%m-%d}" for d in both.index],
             "series": {f"{noun} per order": per_period.round(4).tolist()}, "x_label": table.period} \
        if table.dated else None
    return figures.finding(table, workspace, topic, role, sentence, {"rate": rate, role: part, "orders": orders,
                                                               "n": len(both)}, len(both),
                     f"total {noun} / total orders over the periods with both", caveat, [role, "orders"],
                     "any", chart)


def _same_scope(table: Table, stages: list[tuple[str, str, float]]) -> list[tuple[str, str, float]]:
    """The stages measured over the same channels: a wide file's impressions for tv and facebook alone and its
    orders for the whole business are not one funnel, so the stages outside the commonest scope are left out."""
    df = table.frame
    scope = {role: frozenset(df.loc[df[role].notna(), "channel"]) for _, role, _ in stages}
    counts: dict[frozenset, int] = {}
    for _, role, _ in stages:
        counts[scope[role]] = counts.get(scope[role], 0) + 1
    best = max(counts, key=lambda s: counts[s]) if counts else frozenset()
    kept = [s for s in stages if scope[s[1]] == best]
    dropped = [NOUNS[r] for _, r, _ in stages if scope[r] != best]
    if dropped and len(kept) >= 2:
        table.notes.append(f"Funnel without {', '.join(dropped)}: measured over other channels than "
                           f"{', '.join(NOUNS[r] for _, r, _ in kept)}.")
    elif dropped:
        table.notes.append(f"No funnel: {', '.join(NOUNS[r] for _, r, _ in stages)} are each measured over "
                           "different channels, so they are not stages of one funnel.")
    return kept


def journey_findings(table: Table, workspace: str, totals: pd.DataFrame) -> list[Finding]:
    """Funnel, referral rate and repeat rate, each only where the file has the columns."""
    n = len(totals)
    found = [
        _funnel(table, workspace, _same_scope(table, _stages(totals)), n),
        _rate(table, workspace, totals, "referrals", "referral_rate",
              "Exports count only tracked referrals (codes, links), so untracked word of mouth is missing: "
              "read this as a floor."),
        _rate(table, workspace, totals, "repeat_purchases", "repeat_rate",
              "A repeat rate shows how much of the business comes back; it does not show what brought "
              "customers back."),
    ]
    return [f for f in found if f is not None]
