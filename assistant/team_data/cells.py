"""Turn the text of export cells into numbers and dates, column at a time.

Exports write numbers as "$1,234.50", "1.234,5 €", "12%" or "n/a", and dates
as ISO, "2024-W05", "Jan 2024", "01/02/2024" or Excel day serials. Parsing is
vectorised over a column so a 100,000-row file stays fast, and every cell
that cannot be read is reported rather than silently turned into a blank.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import rules

# Plain string patterns (no flags) so pandas can run them in Arrow rather than in Python.
_CURRENCY = "[" + re.escape(rules.CURRENCY_SYMBOLS) + "]|" + "|".join(rules.CURRENCY_CODES)
_STRIP = "[" + re.escape(rules.CURRENCY_SYMBOLS + rules.SPACE_SEPARATORS) + "%()+\\s]|" + "|".join(rules.CURRENCY_CODES)
_EU_NUMBER = re.compile(r"^\D*-?[\d.]*\d,\d+\D*$")
_US_NUMBER = re.compile(r"^\D*-?[\d,]*\d\.\d+\D*$")


@dataclass
class Numbers:
    """A parsed column: values (NaN where blank or bad), which cells were bad, money or not."""

    values: pd.Series
    bad: pd.Series
    money: bool


@dataclass
class Dates:
    """A parsed date column and how it was read, so the reader can say so."""

    values: pd.Series
    bad: pd.Series
    how: str
    note: str | None = None


def as_text(values: pd.Series) -> pd.Series:
    """Cells as stripped strings ("" for blanks), whatever type the reader gave them."""
    if pd.api.types.is_string_dtype(values) and not pd.api.types.is_object_dtype(values):
        return values.fillna("").str.strip()
    return values.astype(object).where(values.notna(), "").astype(str).str.strip()


def is_missing(text: pd.Series) -> pd.Series:
    """True where a cell means "no value" (blank, n/a, -, ...), which is not an error."""
    return text.str.lower().isin(rules.MISSING_TOKENS)


def guess_decimal_comma(frame: pd.DataFrame, delimiter: str) -> bool:
    """Whether the file writes 1.234,5: only when not comma-delimited and such cells outnumber 1,234.5."""
    if delimiter == ",":
        return False
    sample = as_text(pd.Series(frame.head(200).to_numpy().ravel()))
    eu = int(sample.str.match(_EU_NUMBER).sum())
    us = int(sample.str.match(_US_NUMBER).sum())
    return eu > us


def parse_numbers(values: pd.Series, decimal_comma: bool = False) -> Numbers:
    """Read currency, thousands separators, (negatives) and percentages (12% -> 0.12)."""
    text = as_text(values)
    missing = is_missing(text)
    money = bool(text.str.contains(_CURRENCY, regex=True).any())
    number = pd.Series(np.nan, index=text.index)
    if not decimal_comma:  # fast path: most columns of most exports are plain numbers
        number = _to_float(text.where(~missing, ""), strict=True)
    todo = ~missing & number.isna()
    if todo.any():
        number[todo] = _clean_numbers(text[todo], decimal_comma)
    bad = ~missing & number.isna()
    return Numbers(number.where(~missing), bad, money)


def _to_float(text: pd.Series, strict: bool = False) -> pd.Series:
    """Whole-column cast (fast, in Arrow); if any cell fails, all NaN when ``strict``, else cell by cell."""
    try:
        return text.where(text != "", "nan").astype("float64")
    except (ValueError, TypeError):
        if strict:
            return pd.Series(np.nan, index=text.index)
        return pd.to_numeric(text, errors="coerce").astype(float)


def _clean_numbers(text: pd.Series, decimal_comma: bool) -> pd.Series:
    """The slow path: strip symbols and separators, then apply % and (negative)."""
    percent = text.str.endswith("%")
    negative = text.str.startswith("(") & text.str.endswith(")")
    core = text.str.replace(_STRIP, "", regex=True)
    if decimal_comma:
        core = core.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    else:
        core = core.str.replace(",", "", regex=False)
    number = _to_float(core)
    return number.where(~percent, number / 100.0).where(~negative, -number)


def _iso_weeks(text: pd.Series) -> pd.Series:
    """2024-W05 (or 2024W05-3) -> that ISO week's Monday (or given weekday)."""
    parts = text.str.extract(rules.ISO_WEEK)
    ok = parts[0].notna()
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    if ok.any():
        day = parts[2].fillna("1")
        iso = parts[0] + "-W" + parts[1].str.zfill(2) + "-" + day
        out[ok] = pd.to_datetime(iso[ok], format="%G-W%V-%u", errors="coerce")
    return out


def _excel_serials(text: pd.Series) -> pd.Series:
    """Excel day numbers (45292 -> 2024-01-01); anything else NaT."""
    number = pd.to_numeric(text, errors="coerce")
    low, high = rules.EXCEL_SERIAL_RANGE
    number = number.where((number >= low) & (number <= high))
    return pd.to_datetime(number, unit="D", origin="1899-12-30", errors="coerce")


def _irregularity(dates: pd.Series) -> float:
    """Spread of the gaps between sorted distinct dates (lower = more evenly spaced)."""
    gaps = np.diff(np.sort(dates.dropna().unique()).astype("datetime64[D]").astype(float))
    if len(gaps) < 2 or gaps.mean() == 0:
        return 0.0
    return float(gaps.std() / gaps.mean())


def _candidates(unique: pd.Series, prefer_dayfirst: bool) -> list[tuple[str, pd.Series]]:
    """Every reading of the distinct cell texts we know, best-known formats first."""
    formats = list(rules.DATE_FORMATS)
    if not prefer_dayfirst:  # month-first formats before day-first ones on a tie
        for dm, md in rules.DAY_MONTH_TWINS.items():
            i, j = formats.index(dm), formats.index(md)
            formats[i], formats[j] = formats[j], formats[i]
    found = [("Excel day numbers", _excel_serials(unique)), ("ISO weeks (2024-W05)", _iso_weeks(unique))]
    local = unique.str.replace(r"T?(Z|[+-]\d{2}:?\d{2})$", "", regex=True)  # keep the wall-clock date
    for fmt in formats:
        found.append((fmt, pd.to_datetime(local if fmt == "ISO8601" else unique, format=fmt, errors="coerce")))
    return found


def parse_dates(values: pd.Series, prefer_dayfirst: bool = False) -> Dates:
    """Pick the one format that reads the most distinct cells; on a tie the most evenly spaced."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return Dates(values.astype("datetime64[ns]").dt.normalize(), values.isna(), "dates")
    text = as_text(values)
    unique = pd.Series(text.unique())
    unique = unique[unique != ""].reset_index(drop=True)
    best: tuple[str, pd.Series] | None = None
    best_key: tuple[int, float] = (0, 0.0)
    full: list[str] = []
    for how, parsed in _candidates(unique, prefer_dayfirst):
        count = int(parsed.notna().sum())
        if count == 0:
            continue
        if count == len(unique):
            full.append(how)
        key = (count, -_irregularity(parsed))
        if best is None or key > best_key:
            best, best_key = (how, parsed), key
    if best is None:
        empty = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
        return Dates(empty, text != "", "nothing")
    how, parsed = best
    lookup = dict(zip(unique, parsed))
    dates = pd.to_datetime(text.map(lookup), errors="coerce").astype("datetime64[ns]").dt.normalize()
    note = None
    twins = rules.DAY_MONTH_TWINS | {md: dm for dm, md in rules.DAY_MONTH_TWINS.items()}
    if how in twins:
        order = "day first" if how.startswith("%d") else "month first"
        if twins[how] in full and how in full:
            note = (f"Dates such as {unique.iloc[0]} fit both day-first and month-first; read them {order}, "
                    "which spaces them more evenly.")
        else:
            note = f"Read dates {order} ({how}): the other order does not fit them all."
    return Dates(dates, dates.isna(), how, note)
