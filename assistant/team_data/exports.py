"""Load an export file into a grid of cell texts, whatever its encoding or delimiter.

Marketing tools export CSV with commas, semicolons (European locales), tabs or
pipes, in UTF-8, UTF-8 with a BOM, UTF-16 (Excel's "Unicode text") or
Windows-1252; spreadsheets come as .xlsx. This module only turns bytes into a
DataFrame of strings with the header as column names; meaning comes later.
"""
from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import UnreadableData
from . import rules
from .cells import guess_decimal_comma


@dataclass
class Raw:
    """Cell texts (row i is spreadsheet row i + 2) and how the file was read."""

    frame: pd.DataFrame
    how: str  # e.g. "semicolon-delimited, cp1252" or "Excel workbook"
    delimiter: str | None
    decimal_comma: bool
    skipped: list[tuple[int, str]]  # (spreadsheet row, why) for lines with the wrong number of cells


_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}


def decode(data: bytes) -> tuple[str, str]:
    """Bytes to text: a BOM decides; else UTF-8, then Windows-1252, then Latin-1."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8"), "utf-8 with BOM"
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return data.decode("utf-16"), "utf-16"
    if b"\x00" in data[:400]:  # UTF-16 without a BOM: every other byte is zero
        encoding = "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"
        return data.decode(encoding, errors="replace"), encoding
    for encoding in rules.ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes every byte")  # pragma: no cover


def sniff(text: str) -> str:
    """The delimiter that splits the header and most lines into the same number (>1) of cells."""
    lines = [line for line in text.splitlines()[:60] if line.strip()]
    best, best_score = ",", (0, 0)
    for delimiter in rules.DELIMITERS:
        counts = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        if not counts or counts[0] < 2:
            continue
        score = (sum(c == counts[0] for c in counts), counts[0])
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _read_delimited(text: str, delimiter: str) -> tuple[pd.DataFrame, list[tuple[int, str]]]:
    """Fast path with pandas; lines with too many or too few cells fall back to the csv module."""
    try:
        frame = pd.read_csv(io.StringIO(text), sep=delimiter, dtype=str, keep_default_na=False,
                            skip_blank_lines=False, engine="c")
        return frame, []
    except pd.errors.ParserError:
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    header, body, skipped = rows[0], [], []
    for number, row in enumerate(rows[1:], start=2):
        if len(row) == len(header) or not any(cell.strip() for cell in row):
            body.append(row if len(row) == len(header) else [""] * len(header))
        else:
            skipped.append((number, f"has {len(row)} cells where the header has {len(header)}"))
            body.append((row + [""] * len(header))[:len(header)])  # kept so it is counted, then dropped
    return pd.DataFrame(body, columns=header, dtype=str), skipped


def load(path: Path) -> Raw:
    """Read ``path`` into cell texts; UnreadableData for an unknown suffix or an empty file."""
    suffix = path.suffix.lower()
    if suffix not in rules.SUPPORTED_SUFFIXES:
        raise UnreadableData(str(path), f"cannot read '{suffix or 'no extension'}' files; "
                                        f"use one of {', '.join(rules.SUPPORTED_SUFFIXES)}")
    if not path.is_file():
        raise UnreadableData(str(path), "no such file")
    if suffix == ".xlsx":
        try:
            frame = pd.read_excel(path, sheet_name=0, dtype=object, engine="openpyxl")
        except Exception as exc:  # a damaged workbook raises anything
            raise UnreadableData(str(path), f"could not be read as an Excel workbook ({type(exc).__name__}: {exc})")
        frame.columns = [str(c) for c in frame.columns]
        return Raw(frame, "Excel workbook", None, False, [])
    text, encoding = decode(path.read_bytes())
    if not text.strip():
        raise UnreadableData(str(path), "the file is empty")
    delimiter = "\t" if suffix == ".tsv" else sniff(text)
    frame, skipped = _read_delimited(text, delimiter)
    decimal_comma = guess_decimal_comma(frame, delimiter)
    how = f"{_DELIMITER_NAMES[delimiter]}-delimited, {encoding}" + (", decimal comma" if decimal_comma else "")
    return Raw(frame, how, delimiter, decimal_comma, skipped)
