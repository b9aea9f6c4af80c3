"""Findings from an export without dates (ad-level, post-level): its rows compared by group.

An ad platform's ad-level export or a page's post-level export has one row per
ad or post and no dates, so nothing can be said over time; what a team asks of
it is which campaign, ad set, audience or post type did better. Rows are
summed per group of each grouping column, and each ratio is a ratio of totals
(total spend / total conversions), never an average of per-row ratios, which
small rows would swing.
"""
from __future__ import annotations

import pandas as pd

from ..schema import Finding
from . import figures, rules
from .headers import is_social
from .spend import social_rank
from .table import Table

_CAVEAT = ("Groups differ in more than the column that names them (budget, timing, audience), so a gap between "
           "groups is a lead to test, not a cause; outcomes are credited as the platform records them.")


def item_noun(table: Table) -> str:
    """What one row is: posts, ads or rows, from the file's column names."""
    words = {w for c in table.columns for w in rules.header_words(c.name)}
    return next((noun for word, noun in rules.ITEM_NOUNS if word in words), "rows")


def _labels(table: Table, column: str) -> pd.Series:
    """A grouping column's values as a reader sees them: a 0/1 "Paid" column as paid and organic."""
    values = table.frame[column].astype(str)
    if rules.norm(column) in rules.PAID_COLUMNS and set(values.unique()) <= {"0", "1", "0.0", "1.0"}:
        return values.map(lambda v: "paid" if v.startswith("1") else "organic")
    return values


def _groupings(table: Table) -> list[tuple[str, str, pd.Series]]:
    """(column, how the sentence names it, labels) for each column worth grouping by."""
    out = []
    names = [c for c in table.dimensions] + (["channel"] if table.frame["channel"].nunique() > 1 else [])
    for column in names:
        labels = _labels(table, column)
        if 2 <= labels.nunique() <= rules.MAX_GROUPS:
            out.append((column, "channel" if column == "channel" else f"'{column}'", labels))
    return out


def _listing(per: pd.Series, write) -> str:
    return ", ".join(f"{k} {write(v)}" for k, v in per.items())


def _ratio(table: Table, workspace: str, column: str, name: str, sums: pd.DataFrame, num: str, den: str,
           topic: str, what: str, write, lower_is_better: bool, limit_one: bool = False) -> Finding | None:
    """num/den per group, best first; None when fewer than two groups have both, or a rate would pass 100%."""
    if num not in sums.columns or den not in sums.columns:
        return None
    ok = sums[(sums[den] > 0) & sums[num].notna()]
    if len(ok) < 2:
        return None
    per = (ok[num] / ok[den]).sort_values(ascending=lower_is_better)
    if limit_one and (per > 1).any():
        table.notes.append(f"No {what} by {name}: {num} outnumber {den} for {per[per > 1].index[0]}, so the "
                           "rate would pass 100%; check that both columns count the same thing.")
        return None
    n, noun = table.rows_used, item_noun(table)
    sentence = (f"In your data, {what} by {name} was best for {per.index[0]} ({write(per.iloc[0])}) and worst for "
                f"{per.index[-1]} ({write(per.iloc[-1])}) over {n:,} {noun}: {_listing(per, write)}.")
    channels = list(per.index) if column == "channel" else []
    signal = social_rank(per, ok[num], ok[den], lower_is_better) if column == "channel" else "any"
    chart = {"type": "bar", "x": list(per.index), "y": per.round(6).tolist(), "x_label": name.strip("'"),
             "y_label": what}
    return figures.finding(table, workspace, topic, f"{column}:{num}/{den}", sentence,
                           {str(k): float(v) for k, v in per.items()} | {"n": n}, n,
                           f"total {num} / total {den} per value of {name}, over the whole file", _CAVEAT,
                           [num, den], signal, chart, channels)


def _per_item(table: Table, workspace: str, column: str, name: str, labels: pd.Series, role: str,
              what: str) -> Finding | None:
    """The average of ``role`` per row in each group: engagement per post type, reach of paid against organic."""
    df = pd.DataFrame({"g": labels, "v": table.frame[role]}).dropna()
    if df["g"].nunique() < 2:
        return None
    per = df.groupby("g")["v"].mean().sort_values(ascending=False)
    counts = df.groupby("g")["v"].size()
    noun = item_noun(table)
    listed = ", ".join(f"{k} {figures.count(v)} ({counts[k]:,} {noun})" for k, v in per.items())
    sentence = f"In your data, {what} per {noun.rstrip('s')} by {name} was highest for {per.index[0]}: {listed}."
    chart = {"type": "bar", "x": list(per.index), "y": per.round(4).tolist(), "x_label": name.strip("'"),
             "y_label": f"{what} per {noun.rstrip('s')}"}
    return figures.finding(table, workspace, f"{role}_per_item", f"{column}:{role}", sentence,
                           {str(k): float(v) for k, v in per.items()} | {"n": len(df)}, len(df),
                           f"mean {role} per {noun.rstrip('s')} for each value of {name}", _CAVEAT, [role], "any",
                           chart, list(per.index) if column == "channel" else [])


def group_findings(table: Table, workspace: str) -> list[Finding]:
    """Per grouping column: cost per outcome, conversion rate, return on spend, engagement and reach per item."""
    found: list[Finding | None] = []
    money = lambda v: figures.money(v, table.currency)  # noqa: E731
    for column, name, labels in _groupings(table):
        roles = [r for r in rules.METRIC_ROLES if r in table.frame.columns]
        sums = table.frame[roles].groupby(labels).sum(min_count=1)
        for outcome in ("conversions", "orders", "leads"):
            found.append(_ratio(table, workspace, column, name, sums, "spend", outcome, f"cost_per_{outcome[:-1]}",
                                f"cost per {outcome[:-1]}", money, lower_is_better=True))
            found.append(_ratio(table, workspace, column, name, sums, outcome, "clicks", f"{outcome[:-1]}_rate",
                                f"{outcome[:-1]} rate per click", figures.percent, lower_is_better=False,
                                limit_one=True))
        found.append(_ratio(table, workspace, column, name, sums, "revenue", "spend", "return_on_spend",
                            "return on spend", money, lower_is_better=False))
        found.append(_ratio(table, workspace, column, name, sums, "clicks", "impressions", "click_rate",
                            "click rate", figures.percent, lower_is_better=False, limit_one=True))
        for role, what in (("engagements", "engagement"), ("impressions", "impressions")):
            if role in table.frame.columns and not is_social(column):
                found.append(_per_item(table, workspace, column, name, labels, role, what))
    return [f for f in found if f is not None]
