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
from .cells import Dates, as_text, is_missing, parse_dates, parse_numbers
from .exports import load
from .headers import Guess, channel_label
from .model_results import ModelResults, read_model_results
from .roles import (
    Groups,
    guess_date,
    guesses_for,
    metric_columns,
    pick,
    resolve_mapping,
)
from .tidy import infer_period, row_frame, tidy_frame


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
    period: str  # "day" | "week" | "month"; "none" for an export without dates (ad-level, post-level)
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
    controls: pd.DataFrame | None = None  # per date (and region): control variables, never outcomes
    dimensions: list[str] = field(default_factory=list)  # columns grouping a dateless export's rows
    regions: int = 0  # distinct regions (0: the file has no region column)
    results: ModelResults | None = None  # a media-mix model's results table (Robyn, Meridian, PyMC-Marketing)

    @property
    def dated(self) -> bool:
        return self.period != "none"

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


def _clip(cell: str, limit: int = 60) -> str:
    """A cell quoted in a message: a runaway cell (an unclosed quote) must not become a 200,000-character line."""
    return cell if len(cell) <= limit else cell[: limit - 1] + "…"


def _problems(frame: pd.DataFrame, rows: pd.Series, date_column: str | None, bad_dates: pd.Series, groups: Groups,
              skipped: list[tuple[int, str]]) -> tuple[list[Problem], pd.Series]:
    """Every unreadable cell as a Problem (sorted by row), and which rows they spoil."""
    problems = [Problem(r, "(whole row)", why) for r, why in skipped]
    if date_column is not None:
        text = as_text(frame[date_column])
        problems += [Problem(int(rows[i]), date_column, f"'{_clip(text[i])}' is not a date" if text[i] else "the date is missing")
                     for i in frame.index[bad_dates.to_numpy()]]
    bad = bad_dates | rows.isin({r for r, _ in skipped})
    for members in groups.values():
        for g, numbers in members:
            text = as_text(frame[g.column])
            problems += [Problem(int(rows[i]), g.column, f"'{_clip(text[i])}' is not a number")
                         for i in frame.index[numbers.bad.to_numpy()]]
            bad |= numbers.bad
    return sorted(problems, key=lambda p: (p.row, p.column)), bad


def _date_column(frame: pd.DataFrame, guesses: list[Guess], notes: list[str],
                 decimal_comma: bool) -> tuple[Guess | None, Dates | None]:
    """The date column and its parsed cells; (None, None) for an export without dates.

    A column named like a date whose cells are small whole numbers ("Post Month" holding 1-12, an hour, a
    weekday number) is a part of a date, not a date: it groups rows instead.
    """
    date = pick(guesses, "date", notes)
    if date is not None:
        dates = parse_dates(frame[date.column], prefer_dayfirst=decimal_comma)
        text = as_text(frame[date.column])
        text = text[~is_missing(text)]
        if text.empty or not text.str.fullmatch(r"\d{1,2}").mean() >= rules.DATE_GUESS_SHARE:
            return date, dates
        notes.append(f"'{date.column}' is named like a date but most of its cells are not dates; "
                     "read it as a column that groups rows.")
        guesses[:] = [g if g.column != date.column else Guess(g.column, "dimension") for g in guesses]
    date = guess_date(frame, guesses, notes)
    if date is None:
        return None, None
    return date, parse_dates(frame[date.column], prefer_dayfirst=decimal_comma)


def _controls(frame: pd.DataFrame, keys: pd.DataFrame, guesses: list[Guess], decimal_comma: bool,
              notes: list[str]) -> pd.DataFrame | None:
    """Control variables per key (date, region): numbers averaged; a text column (holiday names) as 0/1."""
    columns = [g.column for g in guesses if g.role == "control"]
    if not columns:
        return None
    out = keys.copy()
    for column in columns:
        numbers = parse_numbers(frame[column], decimal_comma)
        filled = ~is_missing(as_text(frame[column]))
        if filled.any() and numbers.bad.sum() > filled.sum() / 2:
            out[column] = filled.astype(float).to_numpy()
            notes.append(f"Read '{column}' as a control that is on (1) where it has a value and off (0) elsewhere.")
        else:
            out[column] = numbers.values.to_numpy()
    return out.groupby(list(keys.columns), sort=True).mean().reset_index()


def _results_table(path: Path, frame: pd.DataFrame, found: list[str], results: ModelResults,
                   notes: list[str]) -> Table:
    """A media-mix model's results: one row per channel, nothing to tidy or compute."""
    notes.append(f"Read as {results.model} results: {len(results.channels)} channel(s), {results.measure} "
                 + (f"with a {results.interval}." if results.interval else "without an interval."))
    channels = pd.DataFrame({"channel": [c.channel for c in results.channels],
                             "spend": [c.spend for c in results.channels]})
    rows = list(range(2, len(frame) + 2))
    return Table(file=path.name, layout="model results", period="none", roles={"results": found}, unrecognised=[],
                 problems=[],
                 rows_read=len(frame), rows_used=len(frame), frame=channels, notes=notes, used_rows=rows,
                 columns=[Column(c, None) for c in found], results=results)


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
    results = read_model_results(frame, path.name)
    if results is not None:
        return _results_table(path, frame, found, results, notes)
    guesses = guesses_for(found, resolve_mapping(mapping or {}, found))
    date, dates = _date_column(frame, guesses, notes, raw.decimal_comma)
    chan = pick(guesses, "channel", notes)
    region = pick(guesses, "region", notes)
    dimensions = [g.column for g in guesses if g.role in ("campaign", "dimension")]
    if date is None and chan is None and region is None and not dimensions:
        raise _reject(path, "no date column (expected one named like date, week, month, period or day) and no "
                            "column to group rows by (channel, campaign, ad set, audience, post type, paid or organic)",
                      found)
    wide = chan is None and any(g.channel for g in guesses if g.role in rules.METRIC_ROLES)
    groups, left = metric_columns(frame, guesses, raw.decimal_comma, wide, notes)
    if not groups and left:
        raise _reject(path, "no metric column could be read: " + " ".join(notes[-len(left):]), found)
    if not groups:
        raise _reject(path, "no metric column recognised: expected columns such as spend, orders, conversions, "
                            "engagements, revenue, impressions, clicks, leads, referrals, repeat purchases or nps",
                      found)
    rows = pd.Series(frame.index.to_numpy() + 2, index=frame.index)
    if dates is not None and dates.note:
        notes.append(dates.note)
    bad_dates = dates.bad if dates is not None else pd.Series(False, index=frame.index)
    problems, bad = _problems(frame, rows, date.column if date else None, bad_dates, groups, raw.skipped)
    if bad.sum() > rules.MAX_BAD_ROW_SHARE * len(frame):
        examples = "; ".join(f"row {p.row}, '{p.column}': {p.message}" for p in problems[:3])
        raise _reject(path, f"{int(bad.sum())} of {len(frame)} rows could not be read (e.g. {examples})", found)
    keep = ~bad
    channel = None
    if chan is not None:
        labels = as_text(frame[chan.column])
        channel = labels.map({t: channel_label(t) for t in labels.unique()})
    regions = as_text(frame[region.column]).replace("", "unlabelled") if region is not None else None
    controls = None
    if date is not None:
        tidy = tidy_frame(dates.values, channel, groups, keep, regions)
        if chan is not None and len(tidy) < int(keep.sum()):
            notes.append(f"Added up {int(keep.sum()) - len(tidy)} rows that repeated a date and channel.")
        keys = pd.DataFrame({"date": dates.values} | ({"region": regions} if regions is not None else {}))[keep]
        controls = _controls(frame[keep], keys, guesses, raw.decimal_comma, notes)
        period = infer_period(tidy["date"])
    else:
        dims = {c: as_text(frame[c]).replace("", "(blank)") for c in dimensions}
        if region is not None:
            dims[region.column] = regions
        tidy = row_frame(rows, channel, dims, groups, keep)
        dimensions = list(dims)
        period = "none"
    used = {g.column: g.role or "" for members in groups.values() for g, _ in members}
    channel_of = {g.column: g.channel for members in groups.values() for g, _ in members} if wide else {}
    fixed: dict[str, str] = {}
    for role, g in (("date", date), ("channel", chan), ("region", region)):
        if g is not None:
            fixed[g.column] = role
    fixed |= {g.column: g.role for g in guesses if g.role == "control"
              or (g.role in ("campaign", "dimension") and g.column in dimensions) or g.role == "ignore"}
    roles: dict[str, list[str]] = {}
    for column in found:
        role = fixed.get(column) or used.get(column)
        if role and role != "ignore":
            roles.setdefault(role, []).append(column)
    unrecognised = [c for c in found if c not in used and c not in fixed]
    money = [g.column for g in guesses if g.column in used and g.role in ("spend", "revenue")]
    currency = next((s for col in money for s in rules.CURRENCY_SYMBOLS
                     if s in col or as_text(frame[col]).str.contains(s, regex=False).any()), "")
    columns = [Column(c, fixed.get(c) or used.get(c) or None, channel_of.get(c)) for c in found]
    if bad.any():
        notes.append(f"Dropped {int(bad.sum())} row(s) that could not be read: {row_span(rows[bad].tolist())}.")
    return Table(file=path.name, layout="wide" if wide else "long", period=period, roles=roles,
                 unrecognised=unrecognised, problems=problems, rows_read=len(frame), rows_used=int(keep.sum()),
                 frame=tidy, notes=notes, currency=currency, used_rows=rows[keep].tolist(), columns=columns,
                 controls=controls, dimensions=dimensions,
                 regions=int(regions[keep].nunique()) if regions is not None else 0)


def describe(table: Table) -> str:
    """A short plain summary of what was understood, for the CLI and the app."""
    if table.results is not None:
        return "\n".join([f"{table.file}: {table.results.model} results; {table.results.method}",
                          f"Rows: {table.rows_read}.", *table.notes])
    df = table.frame
    channels = sorted(df["channel"].unique())
    if table.dated:
        n = df["date"].nunique()
        span = f"{df['date'].min():%Y-%m-%d} to {df['date'].max():%Y-%m-%d}" if n else "no dates"
        head = f"{table.file}: {table.layout} layout, {n} {rules.PERIOD_PLURAL[table.period]} ({span}), "
    else:
        groups = ", ".join(f"'{d}' ({df[d].nunique()} values)" for d in table.dimensions)
        head = f"{table.file}: no dates, rows grouped by {groups or 'channel'}; "
    lines = [head + f"{len(channels)} channel(s): {', '.join(channels)}"
             + (f"; {table.regions} region(s)." if table.regions else "."),
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
