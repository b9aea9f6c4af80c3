"""Read a team's metrics export and say what was understood: ``read_table``.

The result is one tidy frame (date, channel, one column per metric role) plus
an honest account: which columns played which role, which were not used,
which rows were dropped and why (by spreadsheet row number), and what was
guessed. A file we cannot make sense of is rejected whole with a message
naming the missing columns and the columns found.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd

from . import columns as C
from .cells import Numbers, as_text, is_missing, parse_dates, parse_numbers
from .errors import BadMapping, UnreadableData
from .exports import load
from .headers import Guess, channel_label, guess


@dataclass(frozen=True)
class Problem:
    """A cell we could not read; ``row`` is the spreadsheet row (the header is row 1)."""

    row: int
    column: str
    message: str


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

    def describe(self) -> str:
        return describe(self)


def row_span(rows: Sequence[int]) -> str:
    """Spreadsheet rows as ranges: [2, 3, 4, 6] -> "2-4, 6"."""
    spans: list[str] = []
    ordered = sorted(set(rows))
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] == ordered[j] + 1:
            j += 1
        spans.append(str(ordered[i]) if i == j else f"{ordered[i]}-{ordered[j]}")
        i = j + 1
    return ", ".join(spans)


def _resolve(mapping: dict[str, str], found: list[str]) -> dict[str, str]:
    """Map override keys onto the file's real headers (exact, else ignoring case/punctuation)."""
    resolved: dict[str, str] = {}
    for key, role in mapping.items():
        if role not in C.ROLES:
            raise BadMapping(f"unknown role '{role}' for column '{key}'; roles are: {', '.join(C.ROLES)}")
        hits = [c for c in found if c == key] or [c for c in found if C.norm(c) == C.norm(key)]
        if len(hits) != 1:
            raise BadMapping(f"column '{key}' is not in the file; its columns are: {', '.join(found)}")
        resolved[hits[0]] = role
    return resolved


def _guesses(found: list[str], mapping: dict[str, str]) -> list[Guess]:
    """Every column's reading, overrides first (rank -1 so they always win)."""
    out = []
    for column in found:
        g = guess(column)
        if column in mapping:
            role = mapping[column]
            g = g if g.role == role else Guess(column, role)
            g = Guess(column, role, g.channel, g.part, -1, False, g.money_header)
        out.append(g)
    return out


def _pick(guesses: list[Guess], role: str, notes: list[str]) -> Guess | None:
    """The best column for a single-column role; the others are noted as left unused."""
    options = sorted((g for g in guesses if g.role == role), key=lambda g: g.rank)
    if len(options) > 1:
        notes.append(f"Used '{options[0].column}' as the {role}; left "
                     + ", ".join(f"'{g.column}'" for g in options[1:]) + " unused.")
    return options[0] if options else None


def _guess_date(raw: pd.DataFrame, guesses: list[Guess], notes: list[str]) -> Guess | None:
    """With no date header, the first unclaimed column whose cells read as dates."""
    for g in guesses:
        if g.role is None:
            cells = as_text(raw[g.column])
            cells = cells[~is_missing(cells)]
            dates = parse_dates(cells)
            if len(cells) and dates.how != "Excel day numbers" and \
                    dates.values.notna().mean() >= C.DATE_GUESS_SHARE:
                notes.append(f"No column is named like a date; used '{g.column}', whose cells are dates.")
                return Guess(g.column, "date")
    return None


def _reject(path: Path, what: str, found: list[str]) -> UnreadableData:
    return UnreadableData(str(path), f"{what}; columns found: {', '.join(repr(c) for c in found) or 'none'}")


def _metric_columns(raw: pd.DataFrame, guesses: list[Guess], decimal_comma: bool, wide: bool,
                    notes: list[str]) -> tuple[dict[tuple[str, str], list[tuple[Guess, Numbers]]], list[str]]:
    """Parse metric columns and group them by (role, channel); returns groups and columns left out."""
    parsed: list[tuple[Guess, Numbers]] = []
    left: list[str] = []
    for g in guesses:
        if g.role not in C.METRIC_ROLES:
            continue
        numbers = parse_numbers(raw[g.column], decimal_comma)
        filled = int((~is_missing(as_text(raw[g.column]))).sum())
        if filled and numbers.bad.sum() > filled / 2:
            notes.append(f"'{g.column}' looked like {g.role} by its name, but most cells are not numbers; left it out.")
            left.append(g.column)
            continue
        if g.ambiguous_sales:
            role = "revenue" if numbers.money else "orders"
            notes.append(f"Read '{g.column}' as {role}: "
                         + ("its cells carry a currency symbol." if numbers.money else "a count of sales, as its cells carry no currency symbol."))
            g = Guess(g.column, role, g.channel, g.part, g.rank)
        parsed.append((g, numbers))
    groups: dict[tuple[str, str], list[tuple[Guess, Numbers]]] = {}
    for g, numbers in parsed:
        key = (g.role or "", (g.channel if wide else None) or C.ALL_CHANNELS)
        groups.setdefault(key, []).append((g, numbers))
    for key, members in list(groups.items()):
        whole = sorted((m for m in members if m[0].part is None), key=lambda m: m[0].rank)
        keep = whole[:1] if whole else members
        dropped = [m[0].column for m in members if m not in keep]
        if dropped:
            left += dropped
            notes.append(f"Used '{keep[0][0].column}' for {key[0]}; left {', '.join(repr(d) for d in dropped)} unused.")
        elif len(keep) > 1:
            parts = [m[0].part or m[0].column for m in keep]
            notes.append(f"Summed {', '.join(parts[:-1])} and {parts[-1]} into engagements"
                         + (f" for {key[1]}." if key[1] != C.ALL_CHANNELS else "."))
        groups[key] = keep
    return groups, left


def _period(dates: pd.Series) -> str:
    """day, week or month from the median gap between distinct dates."""
    distinct = np.sort(dates.dropna().unique())
    if len(distinct) < 2:
        return "week"
    gap = float(np.median(np.diff(distinct).astype("timedelta64[s]").astype(float))) / 86400
    for period, limit in C.PERIOD_MAX_GAP_DAYS.items():
        if gap <= limit:
            return period
    return "month"


def _tidy(dates: pd.Series, channel: pd.Series, groups: dict, keep: pd.Series) -> pd.DataFrame:
    """One row per (date, channel): parts summed, duplicate rows added up (NPS averaged)."""
    pieces = []
    for (role, chan), members in groups.items():
        values = sum((m[1].values.fillna(0) for m in members[1:]), members[0][1].values.fillna(0))
        blank = np.logical_and.reduce([m[1].values.isna() for m in members])
        col_channel = channel if chan == C.ALL_CHANNELS and channel is not None else chan
        pieces.append(pd.DataFrame({"date": dates, "channel": col_channel, "role": role,
                                    "value": values.where(~blank)})[keep])
    long = pd.concat(pieces, ignore_index=True)
    summed = long.pivot_table(index=["date", "channel"], columns="role", values="value", aggfunc="sum",
                              observed=True, dropna=False)
    counts = long.dropna(subset=["value"]).pivot_table(index=["date", "channel"], columns="role", values="value",
                                                       aggfunc="count", observed=True)
    summed = summed.where(counts.reindex_like(summed).fillna(0) > 0)
    for role in C.AVERAGED_ROLES & set(summed.columns):
        summed[role] = summed[role] / counts[role].reindex(summed.index)
    roles = [r for r in C.METRIC_ROLES if r in summed.columns]
    return summed[roles].reset_index().rename_axis(columns=None)


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
    guesses = _guesses(found, _resolve(mapping or {}, found))
    date = _pick(guesses, "date", notes) or _guess_date(frame, guesses, notes)
    if date is None:
        raise _reject(path, "no date column: expected one named like date, week, month, period or day", found)
    chan = _pick(guesses, "channel", notes)
    wide = chan is None and any(g.channel for g in guesses if g.role in C.METRIC_ROLES)
    groups, left = _metric_columns(frame, guesses, raw.decimal_comma, wide, notes)
    if not groups:
        raise _reject(path, "no metric column recognised: expected columns such as spend, orders, engagements, "
                            "revenue, impressions, clicks, leads, referrals, repeat purchases or nps", found)
    rows = pd.Series(frame.index.to_numpy() + 2, index=frame.index)
    dates = parse_dates(frame[date.column], prefer_dayfirst=raw.decimal_comma)
    if dates.note:
        notes.append(dates.note)
    problems = [Problem(r, "(whole row)", why) for r, why in raw.skipped]
    date_text = as_text(frame[date.column])
    problems += [Problem(int(rows[i]), date.column, f"'{date_text[i]}' is not a date" if date_text[i] else "the date is missing")
                 for i in frame.index[dates.bad.to_numpy()]]
    bad = dates.bad.copy()
    for members in groups.values():
        for g, numbers in members:
            text = as_text(frame[g.column])
            problems += [Problem(int(rows[i]), g.column, f"'{text[i]}' is not a number")
                         for i in frame.index[numbers.bad.to_numpy()]]
            bad |= numbers.bad
    skipped_rows = {r for r, _ in raw.skipped}
    bad |= rows.isin(skipped_rows)
    problems.sort(key=lambda p: (p.row, p.column))
    if bad.sum() > C.MAX_BAD_ROW_SHARE * len(frame):
        examples = "; ".join(f"row {p.row}, '{p.column}': {p.message}" for p in problems[:3])
        raise _reject(path, f"{int(bad.sum())} of {len(frame)} rows could not be read (e.g. {examples})", found)
    keep = ~bad
    channel = None
    if chan is not None:
        labels = as_text(frame[chan.column])
        channel = labels.map({t: channel_label(t) for t in labels.unique()})
    tidy = _tidy(dates.values, channel, groups, keep)
    if chan is not None and len(tidy) < int(keep.sum()):
        notes.append(f"Added up {int(keep.sum()) - len(tidy)} rows that repeated a date and channel.")
    used = {g.column for members in groups.values() for g, _ in members}
    roles: dict[str, list[str]] = {"date": [date.column]} | ({"channel": [chan.column]} if chan else {})
    for g in guesses:
        if g.column in used:
            roles.setdefault(g.role or "", []).append(g.column)
    ignored = [g.column for g in guesses if g.role == "ignore"]
    unrecognised = [c for c in found if c not in used and c not in ignored and c != date.column
                    and (chan is None or c != chan.column)]
    money = [g.column for g in guesses if g.column in used and g.role in ("spend", "revenue")]
    currency = next((s for col in money for s in C.CURRENCY_SYMBOLS
                     if s in col or as_text(frame[col]).str.contains(s, regex=False).any()), "")
    period = _period(tidy["date"])
    if bad.any():
        notes.append(f"Dropped {int(bad.sum())} row(s) that could not be read: {row_span(rows[bad].tolist())}.")
    return Table(file=path.name, layout="wide" if wide else "long", period=period, roles=roles,
                 unrecognised=unrecognised, problems=problems, rows_read=len(frame), rows_used=int(keep.sum()),
                 frame=tidy, notes=notes, currency=currency, used_rows=rows[keep].tolist())


def describe(table: Table) -> str:
    """A short plain summary of what was understood, for the CLI and the app."""
    df = table.frame
    n = df["date"].nunique()
    span = f"{df['date'].min():%Y-%m-%d} to {df['date'].max():%Y-%m-%d}" if n else "no dates"
    channels = sorted(df["channel"].unique())
    lines = [f"{table.file}: {table.layout} layout, {n} {C.PERIOD_PLURAL[table.period]} ({span}), "
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
