"""Did periods with more engagement go with more of an outcome? Lagged rank correlation.

Per-period engagement is set against per-period orders (or revenue, leads,
repeat purchases) with engagement leading by 0 to 4 periods; the lag with the
largest |r| is reported with its p multiplied by the number of lags tried
(Bonferroni), because trying five lags and keeping the best inflates chance
findings. Periods are counted on the calendar, so a dropped week stays a gap.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..schema import Finding
from . import figures, rules
from .table import Table

# Outcomes engagement is related to, with the word used in sentences.
OUTCOMES: dict[str, str] = {"orders": "orders", "conversions": "conversions", "revenue": "revenue", "leads": "leads",
                            "repeat_purchases": "repeat purchases"}


def _align(x: pd.Series, y: pd.Series, period: str) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Both series on whole-period numbers (gaps stay gaps), plus each number's date."""
    dates = pd.DatetimeIndex(x.index.union(y.index))
    index = figures.period_index(dates, period)
    xs = pd.Series(x.reindex(dates).to_numpy(), index=index).groupby(level=0).sum(min_count=1)
    ys = pd.Series(y.reindex(dates).to_numpy(), index=index).groupby(level=0).sum(min_count=1)
    when = pd.Series(dates, index=index).groupby(level=0).first()
    return xs, ys, when


def lag_pairs(x: pd.Series, y: pd.Series, period: str, lag: int) -> pd.DataFrame:
    """Rows of (date, x at t, y at t + lag) where both are known."""
    xs, ys, when = _align(x, y, period)
    pairs = pd.DataFrame({"date": when.to_numpy(), "x": xs.to_numpy(), "y": ys.reindex(xs.index + lag).to_numpy()})
    return pairs.dropna()


def lagged_correlations(x: pd.Series, y: pd.Series, period: str) -> list[tuple[int, float, float, int]]:
    """(lag, Spearman r, p, pairs) for each lag with enough pairs; x at t against y at t + lag."""
    from scipy import stats  # loaded when a file is analysed, not with the chat (about 0.8 s)

    out = []
    for lag in rules.LAGS:
        pairs = lag_pairs(x, y, period, lag)
        if len(pairs) < rules.MIN_PERIODS:
            continue
        r, p = stats.spearmanr(pairs["x"], pairs["y"])
        r, p = (0.0, 1.0) if np.isnan(r) else (float(r), float(p))
        out.append((lag, r, p, len(pairs)))
    return out


def strength(r: float) -> str:
    """Plain words for |r|: no, a weak, a moderate or a strong link."""
    return next(word for bound, word in rules.STRENGTH_WORDS if abs(r) < bound)


def link(r: float, verdict: str) -> str:
    """'a strong link', 'a weak negative link, within chance', 'no link'."""
    word = strength(r)
    if word == "no":
        return "no link"
    sign = "negative " if r < 0 else ""
    return f"{word} {sign}link" + (", within chance" if verdict == "none" else "")


def _verdict(r: float, p_adjusted: float) -> str:
    """positive / weak / none / negative, the outcome keys of CLAIM_STANCES."""
    if p_adjusted >= rules.ALPHA:
        return "none"
    if r < 0:
        return "negative"
    return "positive" if r >= rules.SUPPORT_MIN_R else "weak"


def correlation_finding(table: Table, workspace: str, eng: pd.Series, label: str, role: str,
                 outcome: pd.Series) -> Finding | None:
    tried = lagged_correlations(eng, outcome, table.period)
    if not tried:
        return None
    lag, r, p, n = max(tried, key=lambda t: (abs(t[1]), -t[0]))
    p_adj = min(1.0, p * len(tried))
    verdict, noun, unit = _verdict(r, p_adj), OUTCOMES[role], figures.plural(table)
    when = "in the same " + table.period if lag == 0 else f"{lag} {figures.plural(table, lag)} later"
    head = {"positive": f"did go with more {noun}, {when}",
            "weak": f"did go with more {noun}, {when}, but only weakly",
            "none": f"did not bring more {noun}",
            "negative": f"went with fewer {noun}, not more, {when}"}[verdict]
    last = tried[-1][0]
    sentence = (f"In your data, {unit} with more {label} {head} (Spearman r = {r:.2f}, {link(r, verdict)}, "
                f"over {n} {unit}, lags 0 to {last} tried, best lag {lag}, adjusted {figures.pvalue(p_adj)}).")
    numbers = {"r": r, "n": n, "best_lag": lag, "p_adjusted": p_adj, "p": p, "lags_tried": len(tried),
               "max_lag": last, **{f"r_lag{k}": rk for k, rk, _, _ in tried}}
    caveat = (f"Correlation is not cause: a season, a promotion or a price change can move both. The experiment "
              f"that settles it is a holdout test: pause social activity for a random set of {unit} or regions "
              f"(a geo test) and compare {noun}.")
    pairs = lag_pairs(eng, outcome, table.period, lag)
    chart = {"type": "scatter", "x": pairs["x"].tolist(), "y": pairs["y"].tolist(),
             "x_label": f"{label} ({table.period})", "y_label": f"{noun} {when}", "lag": lag,
             "dates": [f"{d:%Y-%m-%d}" for d in pairs["date"]], "lags": [t[0] for t in tried],
             "r_by_lag": [t[1] for t in tried]}
    method = (f"Spearman rank correlation of per-{table.period} totals, {label} leading by 0 to {last} "
              f"{unit}; best lag by |r|, p Bonferroni-adjusted for {len(tried)} lags")
    topic = f"engagement_vs_{role}"
    return figures.finding(table, workspace, topic, role, sentence, numbers, n, method, caveat,
                     ["engagements", role], verdict, chart, figures.engagement_channels(table, label))
