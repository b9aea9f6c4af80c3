"""Load an export file into a grid of cell texts, whatever its encoding or delimiter.

Marketing tools export CSV with commas, semicolons (European locales), tabs or
pipes, in UTF-8, UTF-8 with a BOM, UTF-16 (Excel's "Unicode text") or
Windows-1252; spreadsheets come as .xlsx. This module only turns bytes into a
DataFrame of strings with the header as column names; meaning comes later.
Whatever the bytes, the outcome is a grid or one UnreadableData saying what is
wrong with the file and how to fix it, never a parser's traceback.
"""
from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from openpyxl import load_workbook

from ..errors import UnreadableData
from . import rules
from .cells import guess_decimal_comma

# The longest cell read, in characters, whatever the file's size: 30 times Excel's own cell limit (32,767),
# so a pasted log or HTML blob is read, and a quote never closed (swallowing the rest of the file) is caught.
MAX_CELL_CHARS: int = 1_000_000
# The longest column name read: real headers stay under 200 characters; a longer one is a quote never
# closed in the header row, and header matching costs grow with its length.
MAX_HEADER_CHARS: int = 1_000
# The csv module's own field limit: above any cell we accept, and within a C long on every platform.
CSV_FIELD_LIMIT: int = 2**31 - 1
# Leading bytes sampled to tell UTF-16 without a BOM (every other byte zero) and binary files from text.
SAMPLE_BYTES: int = 65_536
# In UTF-16 text without a BOM at least this share of the high bytes is zero (ASCII digits, delimiters)...
UTF16_MIN_ZERO_SHARE: float = 0.3
# ...and at most this share of the low bytes.
UTF16_MAX_ZERO_SHARE: float = 0.05
# Share of control characters (besides NUL) above which decoded "text" is binary (random bytes give about 11%).
MAX_CONTROL_SHARE: float = 0.05
# Characters the delimiter sniffer reads: enough for 60 lines of a wide export, bounded for a huge one.
SNIFF_CHARS: int = 2_000_000
# Bytes an .xlsx may unpack to (a zip bomb unpacks to gigabytes); real exports are far smaller.
MAX_XLSX_UNPACKED_BYTES: int = 512 * 1024 * 1024
# Cells (including empty ones openpyxl pads rows with) read from a workbook's first sheet: 100,000 rows x 50.
MAX_SHEET_CELLS: int = 5_000_000

csv.field_size_limit(max(csv.field_size_limit(), CSV_FIELD_LIMIT))  # only ever raised, once, at import

_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 .xls, and password-protected .xlsx
# C0 controls but tab, line breaks and form feed, and the replacement character; not C1 (0x80-0x9F), which
# Latin-1 makes of Shift-JIS or GB18030 text that is merely in an encoding we do not know.
_CONTROL = dict.fromkeys([*range(0x01, 0x09), 0x0B, *range(0x0E, 0x20), 0x7F, 0xFFFD])
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_BLANK_LINES = re.compile(r"(?:[ \t]*(?:\r\n|\r|\n))+")
_MB = 1024 * 1024


@dataclass
class Raw:
    """Cell texts (row i is spreadsheet row i + 2) and how the file was read."""

    frame: pd.DataFrame
    how: str  # e.g. "semicolon-delimited, cp1252" or "Excel workbook"
    delimiter: str | None
    decimal_comma: bool
    skipped: list[tuple[int, str]]  # (spreadsheet row, why) for lines with the wrong number of cells


_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}


def _utf16_without_bom(data: bytes) -> str | None:
    """The UTF-16 byte order when the high byte of most characters is zero and the low byte is not, else None."""
    sample = data[:SAMPLE_BYTES]
    even, odd = sample[0::2], sample[1::2]
    if len(odd) < 2:
        return None
    even_zeros, odd_zeros = even.count(0) / len(even), odd.count(0) / len(odd)
    if odd_zeros >= UTF16_MIN_ZERO_SHARE and even_zeros <= UTF16_MAX_ZERO_SHARE:
        return "utf-16-le"
    if even_zeros >= UTF16_MIN_ZERO_SHARE and odd_zeros <= UTF16_MAX_ZERO_SHARE:
        return "utf-16-be"
    return None


def decode(data: bytes) -> tuple[str, str]:
    """Bytes to text: a BOM decides; then the zero bytes of UTF-16; else UTF-8, Windows-1252, Latin-1.

    A NUL byte alone does not make a file UTF-16: some tools pad or sprinkle UTF-8 exports with NULs.
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace"), "utf-8 with BOM"
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return data.decode("utf-16", errors="replace"), "utf-16"
    encoding = _utf16_without_bom(data)
    if encoding:
        return data.decode(encoding, errors="replace"), encoding
    for encoding in rules.ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes every byte")  # pragma: no cover


def _not_text(path: Path, data: bytes, text: str) -> UnreadableData | None:
    """The error for a file that is a workbook, an archive or binary data under a text suffix, else None."""
    if data.startswith(_ZIP_MAGIC):
        return UnreadableData(str(path), "the file is a zip archive (an Excel workbook?), not a text export; if it "
                                         "is a workbook rename it to .xlsx, otherwise export the data as CSV")
    if data.startswith(_OLE2_MAGIC):
        return UnreadableData(str(path), "the file is an old-style Excel workbook (.xls), not a text export; open "
                                         "it in Excel and save it as .xlsx or as CSV")
    sample = text[:SAMPLE_BYTES]
    control = len(sample) - len(sample.translate(_CONTROL))
    if sample and control / len(sample) > MAX_CONTROL_SHARE:
        return UnreadableData(str(path), f"the file does not look like a text export: {control / len(sample):.0%} "
                                         "of its first characters are control codes or undecodable bytes, so it "
                                         "is binary data or damaged; export the data again as CSV (UTF-8) or .xlsx")
    return None


def _first_lines(text: str, count: int) -> list[str]:
    """Up to ``count`` lines, split where csv and pandas split them (\\r\\n, \\r or \\n), from a bounded head."""
    head = text[:SNIFF_CHARS]
    lines = _LINE_BREAK.split(head, maxsplit=count)[:count]
    if len(head) < len(text) and len(lines) < count:
        lines = lines[:-1] or lines  # the last line was cut short
    return lines


def sniff(text: str) -> str:
    """The delimiter that splits the header and most lines into the same number (>1) of cells."""
    lines = [line for line in _first_lines(text, 60) if line.strip()]
    best, best_score = ",", (0, 0)
    for delimiter in rules.DELIMITERS:
        counts = [len(row) for row in csv.reader(lines, delimiter=delimiter)]
        if not counts or counts[0] < 2:
            continue
        score = (sum(c == counts[0] for c in counts), counts[0])
        if score > best_score:
            best, best_score = delimiter, score
    return best


def unique_names(header: list[object]) -> list[str]:
    """Column names as pandas gives them: a blank header "Unnamed: i", a repeated one "name.1", "name.2"."""
    names: list[str] = []
    seen: set[str] = set()
    for i, cell in enumerate(header):
        name = f"Unnamed: {i}" if cell is None or str(cell).strip() == "" else str(cell)
        base, n = name, 0
        while name in seen:
            n += 1
            name = f"{base}.{n}"
        seen.add(name)
        names.append(name)
    return names


def _read_delimited(text: str, delimiter: str) -> tuple[pd.DataFrame, list[tuple[int, str]]]:
    """Fast path with pandas; lines with too many or too few cells fall back to the csv module."""
    try:
        frame = pd.read_csv(io.StringIO(text), sep=delimiter, dtype=str, keep_default_na=False,
                            skip_blank_lines=False, engine="c")
        if isinstance(frame.index, pd.RangeIndex):  # else pandas took surplus cells for a row index
            return frame, []
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError, OverflowError):
        pass
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    if not rows:
        return pd.DataFrame(), []
    header, body, skipped = unique_names(rows[0]), [], []
    width = len(header)
    for number, row in enumerate(rows[1:], start=2):
        if len(row) > width and not any(cell.strip() for cell in row[width:]):
            row = row[:width]  # a delimiter at the end of the line adds nothing
        if len(row) == width or not any(cell.strip() for cell in row):
            body.append(row if len(row) == width else [""] * width)
        else:
            skipped.append((number, f"has {len(row)} cells where the header has {width}"))
            body.append((row + [""] * width)[:width])  # kept so it is counted, then dropped
    return pd.DataFrame(body, columns=header, dtype=str), skipped


def _check_sizes(path: Path, frame: pd.DataFrame, size: int) -> None:
    """UnreadableData naming the first header over MAX_HEADER_CHARS, or the row and column of the first cell
    over MAX_CELL_CHARS; ``size`` (the characters read) spares the scan of a file too small to hold one."""
    for position, column in enumerate(frame.columns, start=1):
        if len(column) > MAX_HEADER_CHARS:
            raise UnreadableData(str(path), f"the header of column {position} ('{column[:40]}...') has "
                                            f"{len(column):,} characters, more than the {MAX_HEADER_CHARS:,} of "
                                            "a column name; is a quote (\") in the header row never closed? Close "
                                            "it, or make the first row hold the column names")
    if size <= MAX_CELL_CHARS:
        return
    for column in frame.columns:
        lengths = frame[column].astype(str).str.len()
        if len(lengths) and lengths.max() > MAX_CELL_CHARS:
            i = int(lengths.to_numpy().argmax())
            raise UnreadableData(str(path), f"row {int(frame.index[i]) + 2}, column '{column[:80]}' has a cell of "
                                            f"{int(lengths.iloc[i]):,} characters (at most {MAX_CELL_CHARS:,} "
                                            "are read); is a quote (\") opened there never closed? Close it or "
                                            "remove the cell, then upload the file again")


def _unopenable(path: Path, exc: OSError) -> UnreadableData:
    return UnreadableData(str(path), f"the file could not be opened ({exc.strerror or exc}); check that it is a "
                                     "file you may read, then try again")


def _load_text(path: Path, suffix: str) -> Raw:
    """A delimited text export: decode, sniff, parse, check cell sizes."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _unopenable(path, exc)
    text, encoding = decode(data)
    nuls = text.count("\x00")
    text = text.replace("\x00", "")
    problem = _not_text(path, data, text)
    if problem:
        raise problem
    if not text.strip():
        raise UnreadableData(str(path), "the file is empty" + (" (it holds only NUL bytes)" if nuls else ""))
    above = _BLANK_LINES.match(text)  # blank lines above the header: the header is not row 1
    blank = len(_LINE_BREAK.findall(above.group())) if above else 0
    text = text[above.end():] if above else text
    delimiter = "\t" if suffix == ".tsv" else sniff(text)
    frame, skipped = _read_delimited(text, delimiter)
    if blank:
        frame.index = pd.RangeIndex(blank, blank + len(frame))  # index + 2 = the file's row
        skipped = [(row + blank, why) for row, why in skipped]
    _check_sizes(path, frame, len(text))
    decimal_comma = guess_decimal_comma(frame, delimiter)
    how = f"{_DELIMITER_NAMES[delimiter]}-delimited, {encoding}" + (", decimal comma" if decimal_comma else "")
    if nuls:
        how += f", {nuls:,} NUL byte(s) ignored"
    return Raw(frame, how, delimiter, decimal_comma, skipped)


def _excel_value(value: object) -> object:
    """A cell as pandas.read_excel gives it: whole numbers as int (45292, not 45292.0)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _sheet_rows(path: Path) -> list[tuple]:
    """The first sheet's rows as values, within MAX_SHEET_CELLS; openpyxl's errors are the caller's to catch."""
    book = load_workbook(path, read_only=True, data_only=True)
    try:
        if not book.worksheets:
            raise UnreadableData(str(path), "the workbook has no worksheet; put the data on the first sheet")
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # the declared size may be wrong, or absurd
        rows, cells = [], 0
        for row in sheet.iter_rows(values_only=True):
            cells += max(len(row), 1)
            if cells > MAX_SHEET_CELLS:
                raise UnreadableData(str(path), f"the first sheet has more than {MAX_SHEET_CELLS:,} cells (around "
                                                f"row {len(rows) + 1:,}); delete unused rows and columns, or "
                                                "export the data as CSV")
            rows.append(row)
        return rows
    finally:
        book.close()


def _check_workbook_file(path: Path) -> None:
    """UnreadableData for an .xlsx that is not a zip archive, a damaged one, or one unpacking to too much."""
    try:
        with path.open("rb") as handle:
            magic = handle.read(len(_OLE2_MAGIC))
    except OSError as exc:
        raise _unopenable(path, exc)
    if magic.startswith(_OLE2_MAGIC):
        raise UnreadableData(str(path), "the file is an old-style Excel workbook (.xls) or a password-protected "
                                        "one; open it in Excel, remove any password and save it as .xlsx")
    if not magic.startswith(_ZIP_MAGIC):
        raise UnreadableData(str(path), "the file is not an Excel workbook (an .xlsx file is a zip archive and "
                                        "this one is not); if it is a CSV or text export, rename it to .csv")
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise UnreadableData(str(path), f"the file is a damaged Excel workbook ({exc}); open it in Excel and "
                                        "save it again, or export the data as CSV")
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise UnreadableData(str(path), f"the workbook unpacks to {unpacked / _MB:,.0f} MB, more than the "
                                        f"{MAX_XLSX_UNPACKED_BYTES / _MB:,.0f} MB read; delete unused sheets "
                                        "and images, or export the data as CSV")


def _sheet_frame(path: Path, rows: list[tuple]) -> pd.DataFrame:
    """Rows to a frame with the first non-blank row as header, indexed so that index + 2 is the sheet's row."""
    rows = [[_excel_value(v) for v in row] for row in rows]
    filled = [i for i, row in enumerate(rows) if any(v is not None and str(v).strip() for v in row)]
    if not filled:
        return pd.DataFrame()
    first, last = filled[0], filled[-1]
    width = max(len(row) - next((k for k, v in enumerate(reversed(row)) if v is not None), len(row))
                for row in rows[first:last + 1])
    if (last - first + 1) * width > MAX_SHEET_CELLS:  # one far-off cell would pad every row out to it
        raise UnreadableData(str(path), f"the first sheet spans {last - first + 1:,} rows by {width:,} columns, "
                                        f"more than {MAX_SHEET_CELLS:,} cells; delete unused rows and columns "
                                        "(a stray value far below or right of the data), or export it as CSV")
    grid = [(list(row) + [None] * width)[:width] for row in rows[first:last + 1]]
    return pd.DataFrame(grid[1:], columns=unique_names(grid[0]), dtype=object,
                        index=pd.RangeIndex(first, first + len(grid) - 1))


def _load_workbook(path: Path) -> Raw:
    """The first sheet of an .xlsx; a damaged, disguised or oversized workbook is UnreadableData."""
    _check_workbook_file(path)
    try:
        rows = _sheet_rows(path)
    except UnreadableData:
        raise
    except Exception as exc:  # a damaged workbook makes openpyxl raise anything
        why = f"{type(exc).__name__}: {exc}"[:200]
        raise UnreadableData(str(path), f"the file could not be read as an Excel workbook ({why}); open it in "
                                        "Excel and save it again, or export the data as CSV")
    frame = _sheet_frame(path, rows)
    _check_sizes(path, frame, 0)  # Excel itself holds a cell to 32,767 characters
    return Raw(frame, "Excel workbook", None, False, [])


def load(path: Path) -> Raw:
    """Read ``path`` into cell texts; UnreadableData for an unknown suffix, an empty or an unreadable file."""
    suffix = path.suffix.lower()
    if suffix not in rules.SUPPORTED_SUFFIXES:
        raise UnreadableData(str(path), f"cannot read '{suffix or 'no extension'}' files; "
                                        f"use one of {', '.join(rules.SUPPORTED_SUFFIXES)}")
    if not path.is_file():
        raise UnreadableData(str(path), "no such file")
    if suffix == ".xlsx":
        return _load_workbook(path)
    return _load_text(path, suffix)
