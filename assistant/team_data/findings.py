"""Turn a read export into findings a marketer can quote: ``analyse``.

The central question is the one social teams are asked: did periods with
more engagement bring more orders? We answer with a rank correlation of
per-period totals, trying engagement leading by 0-4 periods and correcting
for having tried several, and always say that correlation is not cause.
Channel costs (spend.py) and the customer journey (journey.py) follow.
"""
from __future__ import annotations

import pandas as pd

from ..schema import Finding
from . import figures, rules
from .correlation import OUTCOMES, correlation_finding
from .funnel import journey_findings
from .effects import media_effect_findings, model_result_findings
from .groups import group_findings
from .spend import spend_findings
from .table import Table


def _moved(change: float) -> str:
    """'rose 42%', 'fell 7.5%' or 'stayed flat'."""
    if abs(change) < 0.01:
        return "stayed flat"
    return f"{'rose' if change > 0 else 'fell'} {figures.percent(abs(change))}"


def _trend(table: Table, workspace: str, eng: pd.Series, label: str, role: str,
           outcome: pd.Series) -> Finding | None:
    """Mean per period in the first half against the second: "engagement rose 42% while orders rose 3%"."""
    both = pd.DataFrame({"e": eng, "o": outcome}).dropna().sort_index()
    half = len(both) // 2
    if len(both) < rules.MIN_TREND_PERIODS:
        return None
    first, second = both.iloc[:half].mean(), both.iloc[-half:].mean()
    if first["e"] == 0 or first["o"] == 0:
        return None
    e_change, o_change = second["e"] / first["e"] - 1, second["o"] / first["o"] - 1
    unit, noun = figures.plural(table, half), OUTCOMES[role]
    sentence = (f"In your data, {label} {_moved(e_change)} from the first {half} {unit} to the last {half} while "
                f"{noun} {_moved(o_change)} (average per {table.period}: {figures.count(first['e'])} to "
                f"{figures.count(second['e'])} engagements; {figures.count(first['o'])} to {figures.count(second['o'])} {noun}).")
    numbers = {"engagement_change": e_change, "outcome_change": o_change, "half": half,
               "engagement_first": first["e"], "engagement_second": second["e"],
               "outcome_first": first["o"], "outcome_second": second["o"]}
    chart = {"type": "line", "x": [f"{d:%Y-%m-%d}" for d in both.index],
             "series": {label: both["e"].tolist(), noun: both["o"].tolist()}, "x_label": table.period}
    caveat = (f"Two trends over the same {rules.PERIOD_PLURAL[table.period]} say nothing about cause on their own: "
              "growth in both can come from the same season or from the business growing.")
    return figures.finding(table, workspace, "trend", role, sentence, numbers, len(both),
                     "mean per period, first half versus second half of the periods with both figures",
                     caveat, ["engagements", role], "any", chart, figures.engagement_channels(table, label))


def _too_little(table: Table, workspace: str, label: str, role: str, n: int) -> Finding:
    """Said instead of a correlation that a handful of periods cannot support."""
    unit = figures.plural(table, n)
    sentence = (f"In your data, there is too little data to relate {label} to {OUTCOMES[role]}: "
                f"{n} {unit}, at least {rules.MIN_PERIODS} needed.")
    return figures.finding(table, workspace, "too_little_data", role, sentence,
                     {"n": n, "min_periods": rules.MIN_PERIODS}, n, "count of periods with both figures",
                     f"Add more {rules.PERIOD_PLURAL[table.period]} of data (at least {rules.MIN_PERIODS}) and read the file again.",
                     ["engagements", role], "any", None)


def analyse(table: Table, workspace: str, fits: bool = True) -> list[Finding]:
    """Every finding the export allows, engagement first, then channels, then the journey; an export without
    dates is compared by its groups instead. ``fits=False`` leaves out the media model (seconds on a big
    file), which ``media_effect_findings`` adds later."""
    if table.results is not None:
        return model_result_findings(table, workspace)
    if not table.dated:
        per_row = table.frame[[r for r in rules.METRIC_ROLES if r in table.frame.columns]]
        return group_findings(table, workspace) + journey_findings(table, workspace, per_row)
    out: list[Finding] = []
    eng, label = figures.engagement(table)
    period_totals = figures.totals(table)
    outcomes = [r for r in OUTCOMES if r in period_totals.columns and period_totals[r].notna().any()]
    if label and eng.notna().any() and outcomes:
        first = outcomes[0]
        n = len(pd.DataFrame({"e": eng, "o": period_totals[first]}).dropna())
        if n < rules.MIN_PERIODS:
            out.append(_too_little(table, workspace, label, first, n))
        else:
            out += [f for role in outcomes
                    if (f := correlation_finding(table, workspace, eng, label, role, period_totals[role])) is not None]
        trend_role = next((r for r in ("orders", "revenue") if r in outcomes), None)
        if trend_role and (f := _trend(table, workspace, eng, label, trend_role, period_totals[trend_role])):
            out.append(f)
    out += spend_findings(table, workspace)
    out += journey_findings(table, workspace, period_totals)
    if fits:
        out += media_effect_findings(table, workspace)
    return out
