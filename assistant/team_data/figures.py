"""Shared pieces of every finding: per-period totals, number wording, the Finding itself.

Findings are quoted verbatim to marketers, so numbers are written one way
everywhere ("1,234", "$12.50", "42%", "p < 0.001"), and every Finding gets a
stable id from workspace, file, topic and key so re-reading a file replaces
rather than duplicates its findings.
"""
from __future__ import annotations

import hashlib
import math

import numpy as np
import pandas as pd

from ..schema import Finding
from . import rules
from .headers import is_social
from .table import Table


def plural(table: Table, n: int = 2) -> str:
    """'week' or 'weeks' (day/month likewise) for ``n`` periods."""
    return table.period if n == 1 else rules.PERIOD_PLURAL[table.period]


def _decimals(x: float, significant: int = 2) -> int:
    """Decimals that show ``significant`` digits of a number under 1 (0.018 needs 3), at least one."""
    if x == 0 or abs(x) >= 1:
        return 1
    return max(1, significant - 1 - math.floor(math.log10(abs(x))))


def count(x: float) -> str:
    """A count as people write it: 1,234; 12.5; 0.31 (small averages keep two significant digits)."""
    if abs(x - round(x)) < 1e-9 or abs(x) >= 100:
        return f"{x:,.0f}"
    return f"{x:,.1f}" if abs(x) >= 10 else f"{x:.{_decimals(x) if abs(x) < 1 else 1}f}"


def money(x: float, currency: str) -> str:
    """$1,234.50, or 1,234.50 when the export named no currency."""
    return f"{'-' if x < 0 else ''}{currency}{abs(x):,.2f}"


def ratio(x: float) -> str:
    """A return per unit: 1.85, 0.096, -0.0041 (two decimals, or two significant digits under 0.1)."""
    return f"{x:.2f}" if abs(x) >= 0.1 or x == 0 else f"{x:.{_decimals(x) + 0}f}"


def percent(x: float) -> str:
    """A share or change as a percentage: 0.4213 -> 42%, 0.031 -> 3.1%, 0.00018 -> 0.018% (never "0.0%")."""
    v = x * 100
    return f"{v:.0f}%" if abs(v) >= 10 else f"{v:.{_decimals(v)}f}%"


def pvalue(p: float) -> str:
    """p written for a reader: 'p < 0.001' or 'p = 0.04'."""
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}" if p < 0.01 else f"p = {p:.2f}"


def totals(table: Table) -> pd.DataFrame:
    """Per-period totals of every metric: the file's own "all" row if it has one, else the channel sum."""
    df = table.frame
    roles = [c for c in df.columns if c in rules.METRIC_ROLES]
    whole = df[df["channel"] == rules.ALL_CHANNELS].groupby("date")[roles].sum(min_count=1)
    parts = df[df["channel"] != rules.ALL_CHANNELS].groupby("date")[roles].sum(min_count=1)
    for role in rules.AVERAGED_ROLES & set(roles):
        parts[role] = df[df["channel"] != rules.ALL_CHANNELS].groupby("date")[role].mean()
    return whole.combine_first(parts).sort_index()


def engagement(table: Table) -> tuple[pd.Series, str]:
    """Per-period engagement and what to call it: social channels' only, when the file names them."""
    df = table.frame
    if "engagements" not in df.columns:
        return pd.Series(dtype=float), ""
    social = df["channel"].isin(social_channels(table)) & df["engagements"].notna()
    if social.any():
        return df[social].groupby("date")["engagements"].sum(min_count=1), "social engagement"
    return totals(table)["engagements"], "engagement"


def social_channels(table: Table) -> list[str]:
    """The export's social channels, by name ([] when it has none or no channel dimension)."""
    return sorted(c for c in table.frame["channel"].unique() if is_social(c))


def engagement_channels(table: Table, label: str) -> list[str]:
    """The channels an engagement series (``engagement``'s label) was summed over: social ones, or all ([])."""
    if label != "social engagement":
        return []
    df = table.frame
    return [c for c in social_channels(table) if df.loc[df["channel"] == c, "engagements"].notna().any()]


def period_index(dates: pd.DatetimeIndex, period: str) -> np.ndarray:
    """Whole periods since the first date, so gaps (a dropped row) are kept as gaps when lagging."""
    if period == "month":
        return np.asarray(dates.year * 12 + dates.month - (dates[0].year * 12 + dates[0].month))
    days = np.asarray((dates - dates[0]).days, dtype=float)
    return np.round(days / (7.0 if period == "week" else 1.0)).astype(int)


def columns_for(table: Table, roles: list[str]) -> list[str]:
    """Original column names behind ``roles``, date (and channel) first."""
    names: list[str] = []
    for role in ["date", "channel", *roles]:
        names += [c for c in table.roles.get(role, []) if c not in names]
    return names


def finding(table: Table, workspace: str, topic: str, key: str, sentence: str, numbers: dict[str, float],
            n: int, method: str, caveat: str, roles: list[str], signal: str, chart: dict | None,
            channels: list[str] | None = None) -> Finding:
    """A Finding with a stable id and the spreadsheet rows it rests on.

    ``signal``: what it found in one word (positive / weak / none / negative for a correlation; best / middle /
    worst / absent for where the social channels rank; "any" otherwise); answering decides what that means
    for a claim.
    """
    digest = hashlib.sha1("\x1f".join([workspace, table.file, topic, key]).encode()).hexdigest()[:16]
    return Finding(id=f"fd-{digest}", workspace=workspace, file=table.file, kind=rules.FINDING_KINDS[topic],
                   topic=topic, sentence=sentence, numbers={k: float(v) for k, v in numbers.items()}, n=int(n),
                   method=method, caveat=caveat, channels=list(channels or []), columns=columns_for(table, roles),
                   rows=table.row_ranges, signal=signal, chart=chart)
