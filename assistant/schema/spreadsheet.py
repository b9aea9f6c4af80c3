"""Cells people open in spreadsheets, made safe from formula injection.

Quiz results, the brief's tables and anything else exported end up in Excel,
LibreOffice or Google Sheets, which run a cell starting with ``=``, ``+``,
``-`` or ``@`` (or a tab or carriage return before one) as a formula. OWASP's
advice: start such a text cell with an apostrophe so it stays text.
"""
from __future__ import annotations

import re

FORMULA_STARTS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
# A signed number ("-3.5", "+4", "-1,234.5", "-1e-3", "-12%") is data, not a formula: it is left as it is, so it
# stays a number. Digits and separators only: "-1+2" or "-2+3+cmd|' /C calc'!A0" is text and gets the apostrophe.
_NUMBER = re.compile(r"[+-](?=[\d.,]*\d)[\d.,]+([eE][+-]?\d+)?%?")


def safe_cell(value: object) -> object:
    """``value`` as a spreadsheet cell that cannot run: numbers unchanged, dangerous text behind an apostrophe."""
    if value is None or isinstance(value, (int, float)):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(text) else value
