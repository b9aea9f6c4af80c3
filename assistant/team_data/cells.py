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

# Years a date may fall in: outside them a cell is a placeholder (9999-12-31), a typo or an id, not a date.
DATE_YEARS: tuple[int, int] = (1900, 2199)
# Digits in the longest date written as a plain number (YYYYMMDD); longer integers are ids, never dates.
MAX_DATE_DIGITS: int = 8

# Plain string patterns (no flags) so pandas can run them in Arrow rather than in Python.
_CURRENCY = "[" + re.escape(rules.CURRENCY_SYMBOLS) + "]|" + "|".join(rules.CURRENCY_CODES)
_STRIP = "[" + re.escape(rules.CURRENCY_SYMBOLS + rules.SPACE_SEPARATORS) + "%()+\\s]|" + "|".join(rules.CURRENCY_CODES)
_SPACES = re.escape(rules.SPACE_SEPARATORS)  # "1 234,5" is as European as "1.234,5"
_EU_NUMBER = re.compile(r"^\D*-?[\d." + _SPACES + r"]*\d,\d+\D*$")
_US_NUMBER = re.compile(r"^\D*-?[\d," + _SPACES + r"]*\d\.\d+\D*$")


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
    """Read currency, thousands separators, (negatives) and percentages (12% -> 0.12); infinities are bad cells."""
    text = as_text(values)
    missing = is_missing(text)
    money = bool(text.str.contains(_CURRENCY, regex=True).any())
    number = pd.Series(np.nan, index=text.index)
    if not decimal_comma:  # fast path: most columns of most exports are plain numbers
        number = _to_float(text.where(~missing, ""), strict=True)
    todo = ~missing & number.isna()
    if todo.any():
        number[todo] = _clean_numbers(text[todo], decimal_comma)
    number = number.where(np.isfinite(number))  # "inf", "1e999": not a count anyone wrote
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


def _plausible(parsed: pd.Series) -> pd.Series:
    """Naive datetime64[ns], NaT outside DATE_YEARS: no reading can overflow later or pass an id off as a date."""
    low, high = (np.datetime64(f"{year:04d}-01-01") for year in (DATE_YEARS[0], DATE_YEARS[1] + 1))
    if isinstance(parsed.dtype, pd.DatetimeTZDtype):
        parsed = parsed.dt.tz_localize(None)  # keep the wall-clock date, as the offsets are stripped
    if not pd.api.types.is_datetime64_dtype(parsed):  # cell by cell: Timestamps, some with an offset
        parsed = pd.Series([v.tz_localize(None) if isinstance(v, pd.Timestamp) and v.tzinfo else v for v in parsed],
                           index=parsed.index, dtype=object)
        parsed = parsed.where(parsed.map(lambda v: isinstance(v, pd.Timestamp) and low <= v < high), pd.NaT)
        return pd.Series(list(parsed), index=parsed.index, dtype="datetime64[ns]")
    values = parsed.to_numpy()
    values = np.where((values >= low) & (values < high), values, np.datetime64("NaT"))
    return pd.Series(values.astype("datetime64[ns]"), index=parsed.index)


def _read_cell(text: str, fmt: str) -> pd.Timestamp:
    """One cell as ``fmt``, NaT when it does not fit."""
    try:
        return pd.to_datetime(text, format=fmt, errors="coerce")
    except (ValueError, TypeError, OverflowError):
        return pd.NaT


def _to_dates(text: pd.Series, fmt: str) -> pd.Series:
    """pd.to_datetime that never raises: a column it refuses whole (mixed UTC offsets) is read cell by cell."""
    try:
        parsed = pd.to_datetime(text, format=fmt, errors="coerce")
    except (ValueError, TypeError, OverflowError):
        parsed = pd.Series([_read_cell(t, fmt) for t in text], index=text.index, dtype=object)
    return _plausible(parsed)


def _iso_weeks(text: pd.Series) -> pd.Series:
    """2024-W05 (or 2024W05-3) -> that ISO week's Monday (or given weekday)."""
    parts = text.str.extract(rules.ISO_WEEK)
    ok = parts[0].notna()
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    if ok.any():
        day = parts[2].fillna("1")
        iso = parts[0] + "-W" + parts[1].str.zfill(2) + "-" + day
        out[ok] = _to_dates(iso[ok], "%G-W%V-%u")
    return out


def _excel_serials(text: pd.Series) -> pd.Series:
    """Excel day numbers (45292 -> 2024-01-01); anything else NaT."""
    number = pd.to_numeric(text, errors="coerce").astype(float)
    low, high = rules.EXCEL_SERIAL_RANGE
    number = number.where((number >= low) & (number <= high))
    return _plausible(pd.to_datetime(number, unit="D", origin="1899-12-30", errors="coerce"))


def _ids(unique: pd.Series) -> pd.Series:
    """Distinct cells that are identifiers, never dates: integers longer than YYYYMMDD, numbers in
    e-notation (a long id after a spreadsheet), and every cell of a 0, 1, 2, ... (or 1, 2, 3, ...) row index."""
    integer = unique.str.fullmatch(r"[+-]?\d+").astype(bool)
    long = integer & (unique.str.lstrip("+-").str.len() > MAX_DATE_DIGITS)
    scientific = unique.str.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+").astype(bool)
    ids = long | scientific
    if len(unique) > 1 and integer.all() and not long.any():
        numbers = np.sort(np.array([int(v) for v in unique]))
        if numbers[0] in (0, 1) and (np.diff(numbers) == 1).all():
            ids[:] = True
    return ids


def _irregularity(dates: pd.Series) -> float:
    """Spread of the gaps between sorted distinct dates (lower = more evenly spaced)."""
    gaps = np.diff(np.sort(dates.dropna().unique()).astype("datetime64[D]").astype(float))
    if len(gaps) < 2 or gaps.mean() == 0:
        return 0.0
    return float(gaps.std() / gaps.mean())


def _candidates(unique: pd.Series, prefer_dayfirst: bool, excel_serials: bool) -> list[tuple[str, pd.Series]]:
    """Every reading of the distinct cell texts we know, best-known formats first."""
    formats = list(rules.DATE_FORMATS)
    if not prefer_dayfirst:  # month-first formats before day-first ones on a tie
        for dm, md in rules.DAY_MONTH_TWINS.items():
            i, j = formats.index(dm), formats.index(md)
            formats[i], formats[j] = formats[j], formats[i]
    found = [("Excel day numbers", _excel_serials(unique))] if excel_serials else []
    found.append(("ISO weeks (2024-W05)", _iso_weeks(unique)))
    local = unique.str.replace(r"T?(Z|[+-]\d{2}:?\d{2})$", "", regex=True)  # keep the wall-clock date
    for fmt in formats:
        found.append((fmt, _to_dates(local if fmt == "ISO8601" else unique, fmt)))
    return found


def parse_dates(values: pd.Series, prefer_dayfirst: bool = False, excel_serials: bool = True) -> Dates:
    """Pick the one format that reads the most distinct cells; on a tie the most evenly spaced.

    Never raises: a cell outside DATE_YEARS, an id (see ``_ids``) or anything unreadable is a bad cell.
    Plain numbers are read as Excel day numbers only when ``excel_serials`` (a column named as a date).
    """
    if pd.api.types.is_datetime64_any_dtype(values):
        dates = _plausible(values).dt.normalize()
        return Dates(dates, dates.isna(), "dates")
    text = as_text(values)
    unique = pd.Series(text.unique())
    unique = unique[unique != ""].reset_index(drop=True)
    unique = unique[~_ids(unique)].reset_index(drop=True) if len(unique) else unique
    best: tuple[str, pd.Series] | None = None
    best_key: tuple[int, float] = (0, 0.0)
    full: list[str] = []
    for how, parsed in _candidates(unique, prefer_dayfirst, excel_serials):
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
    lookup = pd.Series(parsed.to_numpy(), index=unique.to_numpy())
    dates = text.map(lookup).astype("datetime64[ns]").dt.normalize()
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
