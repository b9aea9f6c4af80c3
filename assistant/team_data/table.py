"""Read a team's metrics export and say what was understood: ``read_table``.

The result is one tidy frame (date, channel, one column per metric role) plus
an honest account: which columns played which role, which were not used,
which rows were dropped and why (by spreadsheet row number), and what was
guessed. A file we cannot make sense of is rejected whole with a message
naming the missing columns and the columns found.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd

from ..errors import UnreadableData
from . import rules
from .cells import as_text, is_missing, parse_dates
from .exports import load
from .headers import channel_label
from .roles import (
    Groups,
    guess_date,
    guesses_for,
    metric_columns,
    pick,
    resolve_mapping,
)
from .tidy import infer_period, tidy_frame


@dataclass(frozen=True)
class Problem:
    """A cell we could not read; ``row`` is the spreadsheet row (the header is row 1)."""

    row: int
    column: str
    message: str


@dataclass(frozen=True)
class Column:
    """How one column of the export was read: its role (None: not recognised) and, in a wide file, its channel."""

    name: str
    role: str | None
    channel: str | None = None

    def to_dict(self) -> dict:
        return {"name": self.name, "role": self.role, "channel": self.channel}


@dataclass
class Table:
    """An export as understood: the tidy ``frame`` and everything said about it."""

    file: str
    layout: str  # "long" | "wide"
    period: str  # "day" | "week" | "month"
    roles: dict[str, list[str]]
    unrecognised: list[str]
    problems: list[Problem]
    rows_read: int
    rows_used: int
    frame: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    currency: str = ""  # the symbol money columns were written with, if any
    used_rows: list[int] = field(default_factory=list)  # spreadsheet rows kept
    columns: list[Column] = field(default_factory=list)  # every column of the file, in file order

    def describe(self) -> str:
        return describe(self)

    @cached_property
    def row_ranges(self) -> str:
        """The kept spreadsheet rows as ranges ("2-41, 43-60"), computed once for all findings."""
        return row_span(self.used_rows)


def row_span(rows: Sequence[int]) -> str:
    """Spreadsheet rows as ranges: [2, 3, 4, 6] -> "2-4, 6"."""
    ordered = np.unique(np.asarray(rows, dtype=int))
    if not len(ordered):
        return ""
    breaks = np.flatnonzero(np.diff(ordered) != 1)
    starts, ends = ordered[np.r_[0, breaks + 1]], ordered[np.r_[breaks, len(ordered) - 1]]
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in zip(starts, ends))


def _reject(path: Path, what: str, found: list[str]) -> UnreadableData:
    return UnreadableData(str(path), f"{what}; columns found: {', '.join(repr(c) for c in found) or 'none'}")


def _problems(frame: pd.DataFrame, rows: pd.Series, date_column: str, bad_dates: pd.Series, groups: Groups,
              skipped: list[tuple[int, str]]) -> tuple[list[Problem], pd.Series]:
    """Every unreadable cell as a Problem (sorted by row), and which rows they spoil."""
    problems = [Problem(r, "(whole row)", why) for r, why in skipped]
    text = as_text(frame[date_column])
    problems += [Problem(int(rows[i]), date_column, f"'{text[i]}' is not a date" if text[i] else "the date is missing")
                 for i in frame.index[bad_dates.to_numpy()]]
    bad = bad_dates | rows.isin({r for r, _ in skipped})
    for members in groups.values():
        for g, numbers in members:
            text = as_text(frame[g.column])
            problems += [Problem(int(rows[i]), g.column, f"'{text[i]}' is not a number")
                         for i in frame.index[numbers.bad.to_numpy()]]
            bad |= numbers.bad
    return sorted(problems, key=lambda p: (p.row, p.column)), bad


def read_table(path: str | Path, mapping: dict[str, str] | None = None) -> Table:
    """Read and recognise one export; see the module docstring for what comes back."""
    path = Path(path)
    raw = load(path)
    frame = raw.frame.loc[:, [c for c in raw.frame.columns
                              if not (c.startswith("Unnamed:") and as_text(raw.frame[c]).eq("").all())]]
    found = [str(c) for c in frame.columns]
    blank_rows = frame.apply(lambda col: is_missing(as_text(col))).all(axis=1) if len(frame) else pd.Series(dtype=bool)
    frame = frame.loc[~blank_rows] if len(frame) else frame
    if frame.empty or not found:
        raise _reject(path, "the file has no data rows", found)
    notes: list[str] = [f"Read as {raw.how}."]
    guesses = guesses_for(found, resolve_mapping(mapping or {}, found))
    date = pick(guesses, "date", notes) or guess_date(frame, guesses, notes)
    if date is None:
        raise _reject(path, "no date column: expected one named like date, week, month, period or day", found)
    chan = pick(guesses, "channel", notes)
    wide = chan is None and any(g.channel for g in guesses if g.role in rules.METRIC_ROLES)
    groups, left = metric_columns(frame, guesses, raw.decimal_comma, wide, notes)
    if not groups and left:
        raise _reject(path, "no metric column could be read: " + " ".join(notes[-len(left):]), found)
    if not groups:
        raise _reject(path, "no metric column recognised: expected columns such as spend, orders, engagements, "
                            "revenue, impressions, clicks, leads, referrals, repeat purchases or nps", found)
    rows = pd.Series(frame.index.to_numpy() + 2, index=frame.index)
    dates = parse_dates(frame[date.column], prefer_dayfirst=raw.decimal_comma)
    if dates.note:
        notes.append(dates.note)
    problems, bad = _problems(frame, rows, date.column, dates.bad, groups, raw.skipped)
    if bad.sum() > rules.MAX_BAD_ROW_SHARE * len(frame):
        examples = "; ".join(f"row {p.row}, '{p.column}': {p.message}" for p in problems[:3])
        raise _reject(path, f"{int(bad.sum())} of {len(frame)} rows could not be read (e.g. {examples})", found)
    keep = ~bad
    channel = None
    if chan is not None:
        labels = as_text(frame[chan.column])
        channel = labels.map({t: channel_label(t) for t in labels.unique()})
    tidy = tidy_frame(dates.values, channel, groups, keep)
    if chan is not None and len(tidy) < int(keep.sum()):
        notes.append(f"Added up {int(keep.sum()) - len(tidy)} rows that repeated a date and channel.")
    used = {g.column: g.role or "" for members in groups.values() for g, _ in members}
    channel_of = {g.column: g.channel for members in groups.values() for g, _ in members} if wide else {}
    roles: dict[str, list[str]] = {"date": [date.column]} | ({"channel": [chan.column]} if chan else {})
    for g in guesses:
        if g.column in used:
            roles.setdefault(used[g.column], []).append(g.column)
    ignored = [g.column for g in guesses if g.role == "ignore"]
    unrecognised = [c for c in found if c not in used and c not in ignored and c != date.column
                    and (chan is None or c != chan.column)]
    money = [g.column for g in guesses if g.column in used and g.role in ("spend", "revenue")]
    currency = next((s for col in money for s in rules.CURRENCY_SYMBOLS
                     if s in col or as_text(frame[col]).str.contains(s, regex=False).any()), "")
    period = infer_period(tidy["date"])
    fixed = {date.column: "date"} | ({chan.column: "channel"} if chan else {}) | {c: "ignore" for c in ignored}
    columns = [Column(c, fixed.get(c) or used.get(c) or None, channel_of.get(c)) for c in found]
    if bad.any():
        notes.append(f"Dropped {int(bad.sum())} row(s) that could not be read: {row_span(rows[bad].tolist())}.")
    return Table(file=path.name, layout="wide" if wide else "long", period=period, roles=roles,
                 unrecognised=unrecognised, problems=problems, rows_read=len(frame), rows_used=int(keep.sum()),
                 frame=tidy, notes=notes, currency=currency, used_rows=rows[keep].tolist(), columns=columns)


def describe(table: Table) -> str:
    """A short plain summary of what was understood, for the CLI and the app."""
    df = table.frame
    n = df["date"].nunique()
    span = f"{df['date'].min():%Y-%m-%d} to {df['date'].max():%Y-%m-%d}" if n else "no dates"
    channels = sorted(df["channel"].unique())
    lines = [f"{table.file}: {table.layout} layout, {n} {rules.PERIOD_PLURAL[table.period]} ({span}), "
             f"{len(channels)} channel(s): {', '.join(channels)}.",
             "Columns used: " + "; ".join(f"{role} <- {', '.join(repr(c) for c in cols)}"
                                          for role, cols in table.roles.items()) + "."]
    if table.unrecognised:
        lines.append("Not used: " + ", ".join(repr(c) for c in table.unrecognised) + ".")
    lines.append(f"Rows: {table.rows_used} of {table.rows_read} used.")
    lines += [f"Row {p.row}, '{p.column}': {p.message}." for p in table.problems[:10]]
    if len(table.problems) > 10:
        lines.append(f"... and {len(table.problems) - 10} more problems.")
    lines += table.notes
    return "\n".join(lines)
