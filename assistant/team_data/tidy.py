"""Shape parsed columns into the tidy frame analyse reads: one row per date and channel.

Long files already have a channel per row; wide files carry it in headers, so
each (role, channel) group of columns becomes rows of its own. Engagement
parts are summed (a blank part counts as 0 unless every part is blank), rows
repeating a date and channel are added up, and NPS, a score, is averaged.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from . import rules
from .roles import Groups


def infer_period(dates: pd.Series) -> str:
    """day, week or month from the median gap between distinct dates."""
    distinct = np.sort(dates.dropna().unique())
    if len(distinct) < 2:
        return "week"
    gap = float(np.median(np.diff(distinct).astype("timedelta64[s]").astype(float))) / 86400
    for period, limit in rules.PERIOD_MAX_GAP_DAYS.items():
        if gap <= limit:
            return period
    return "month"


def _pieces(keys: dict[str, pd.Series], channel: pd.Series | None, groups: Groups, keep: pd.Series) -> pd.DataFrame:
    """One row per input row and channel (a wide file's channels become rows), parts summed."""
    by_channel: dict[str, dict[str, pd.Series]] = {}
    for (role, chan), members in groups.items():
        values = sum((m[1].values.fillna(0) for m in members[1:]), members[0][1].values.fillna(0))
        blank = np.logical_and.reduce([m[1].values.isna().to_numpy() for m in members])
        by_channel.setdefault(chan, {})[role] = values.where(~blank)
    pieces = []
    for chan, metrics in by_channel.items():
        label = channel if chan == rules.ALL_CHANNELS and channel is not None else chan
        pieces.append(pd.DataFrame({**keys, "channel": label, **metrics})[keep])
    return pd.concat(pieces, ignore_index=True)


def tidy_frame(dates: pd.Series, channel: pd.Series | None, groups: Groups, keep: pd.Series,
               region: pd.Series | None = None) -> pd.DataFrame:
    """One row per (date, channel, region): parts summed, duplicate rows added up (NPS averaged)."""
    keys = {"date": dates} | ({"region": region} if region is not None else {})
    frame = _pieces(keys, channel, groups, keep)
    roles = [r for r in rules.METRIC_ROLES if r in frame.columns]
    grouped = frame.groupby(["date", "channel"] + (["region"] if region is not None else []), sort=True)
    tidy = grouped[roles].sum(min_count=1)
    for role in rules.AVERAGED_ROLES & set(roles):
        tidy[role] = grouped[role].mean()
    return tidy.reset_index()


def row_frame(rows: pd.Series, channel: pd.Series | None, dims: dict[str, pd.Series], groups: Groups,
              keep: pd.Series) -> pd.DataFrame:
    """A dateless export kept row by row (spreadsheet ``row``), its grouping columns beside the metrics."""
    return _pieces({"row": rows, **dims}, channel, groups, keep)
