"""What each channel's spend bought: cost per order or lead, return on spend, shares.

These are totals over the whole file per channel, the figures a budget
meeting argues about. Where social sits among the channels (best, middle,
worst) decides the stance on "social media drives sales".
"""
from __future__ import annotations

import pandas as pd

from ..schema import Finding
from . import figures, rules
from .headers import is_social
from .table import Table

_CAVEAT = ("Orders, leads and revenue are credited to channels as your export records them (usually the last click), which "
           "undercounts channels that work earlier in the journey, such as social.")


def channel_totals(table: Table) -> pd.DataFrame:
    """Whole-file totals per named channel (the "all" row excluded), channels with spend only."""
    df = table.frame[table.frame["channel"] != rules.ALL_CHANNELS]
    roles = [r for r in ("spend", "orders", "conversions", "leads", "revenue") if r in df.columns]
    sums = df.groupby("channel")[roles].sum(min_count=1)
    return sums[sums["spend"] > 0] if "spend" in sums.columns else sums.iloc[0:0]


def _and(items: list[str]) -> str:
    """'a, b and c'."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def social_rank(per: pd.Series, num: pd.Series, den: pd.Series, lower_is_better: bool) -> str:
    """best / middle / worst for the social channels pooled (num/den) against each other channel."""
    social = [c for c in per.index if is_social(c)]
    others = per.drop(social)
    if not social or others.empty:
        return "absent"
    pooled = num[social].sum() / den[social].sum()
    better = pooled < others.min() if lower_is_better else pooled > others.max()
    worse = pooled > others.max() if lower_is_better else pooled < others.min()
    return "best" if better else "worst" if worse else "middle"


def _ratio(table: Table, workspace: str, sums: pd.DataFrame, num: str, den: str, topic: str,
           name: str) -> Finding | None:
    """One finding listing num/den per channel, sorted best first."""
    if num not in sums.columns or den not in sums.columns:
        return None
    ok = sums[(sums[den] > 0) & sums[num].notna()]
    if len(ok) < 2:
        return None
    per = (ok[num] / ok[den]).sort_values(ascending=topic != "return_on_spend")
    cur, unit = table.currency, figures.plural(table)
    n = table.frame["date"].nunique()
    if topic == "return_on_spend":
        listed = _and([f"{figures.money(v, cur)} on {c}" for c, v in per.items()])
        sentence = f"In your data, each {figures.money(1, cur)} of spend brought back in revenue {listed} over {n} {unit}."
        rank = social_rank(per, ok[num], ok[den], lower_is_better=False)
    else:
        listed = ", ".join(f"{c} {figures.money(v, cur)}" for c, v in per.items())
        sentence = (f"In your data, {name} was lowest for {per.index[0]} ({figures.money(per.iloc[0], cur)}) and highest "
                    f"for {per.index[-1]} ({figures.money(per.iloc[-1], cur)}) over {n} {unit}: {listed}.")
        rank = social_rank(per, ok[num], ok[den], lower_is_better=True)
    numbers = {f"{c}": float(v) for c, v in per.items()} | {"n": n}
    chart = {"type": "bar", "x": list(per.index), "y": per.round(4).tolist(), "x_label": "channel",
             "y_label": f"{name} ({cur})" if cur else name}
    method = f"total {num} / total {den} per channel over the whole file"
    return figures.finding(table, workspace, topic, num + "/" + den, sentence, numbers, n, method, _CAVEAT,
                     [num, den], rank, chart, list(per.index))


def _shares(table: Table, workspace: str, sums: pd.DataFrame) -> Finding | None:
    """Each channel's share of spend beside its share of orders."""
    if "orders" not in sums.columns:
        return None
    ok = sums[sums["orders"].notna()]
    if len(ok) < 2 or ok["orders"].sum() <= 0:
        return None
    spend, orders = ok["spend"] / ok["spend"].sum(), ok["orders"] / ok["orders"].sum()
    order = spend.sort_values(ascending=False).index
    n = table.frame["date"].nunique()
    listed = "; ".join(f"{c} had {figures.percent(spend[c])} of spend and {figures.percent(orders[c])} of orders" for c in order)
    sentence = f"In your data, over {n} {figures.plural(table)}: {listed}."
    social = [c for c in order if is_social(c)]
    rank = "absent"
    if social and len(social) < len(order):
        ratio = orders[social].sum() / spend[social].sum()
        low, high = rules.SHARE_RATIO_BOUNDS
        rank = "worst" if ratio < low else "best" if ratio > high else "middle"
    numbers = {f"{c}_spend_share": spend[c] for c in order} | {f"{c}_orders_share": orders[c] for c in order}
    chart = {"type": "grouped_bar", "x": list(order), "x_label": "channel", "y_label": "share",
             "series": {"share of spend": [float(spend[c]) for c in order],
                        "share of orders": [float(orders[c]) for c in order]}}
    return figures.finding(table, workspace, "spend_vs_orders_share", "shares", sentence, numbers | {"n": n}, n,
                     "each channel's total as a share of all channels' total, for spend and for orders",
                     _CAVEAT, ["spend", "orders"], rank, chart, list(order))


def spend_findings(table: Table, workspace: str) -> list[Finding]:
    """Per-channel spend findings; none without a channel dimension and spend."""
    sums = channel_totals(table)
    if len(sums) < 2:
        return []
    found = [_ratio(table, workspace, sums, "spend", "orders", "cost_per_order", "cost per order"),
             _ratio(table, workspace, sums, "spend", "conversions", "cost_per_conversion", "cost per conversion"),
             _ratio(table, workspace, sums, "spend", "leads", "cost_per_lead", "cost per lead"),
             _ratio(table, workspace, sums, "revenue", "spend", "return_on_spend", "return on spend"),
             _shares(table, workspace, sums)]
    return [f for f in found if f is not None]
