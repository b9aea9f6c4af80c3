"""Exports opened in a spreadsheet never run a formula (assistant/schema/spreadsheet.py).

A text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return gets a leading apostrophe (OWASP's advice), so Excel, LibreOffice and
Google Sheets show it as text; numbers, signed ones included, stay numbers.
Checked on the quiz results CSV and on the brief's evidence table.
"""
from __future__ import annotations

import csv
from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt

from assistant.onboarding.brief import brief
from assistant.onboarding.quiz import CSV_FIELDS, make_quiz, results_csv
from assistant.schema import JOINER, Answer, Evidence, safe_cell

HYPERLINK = '=HYPERLINK("http://x","y")'


@pytest.mark.parametrize("text, cell", [
    ("=1+1", "'=1+1"),
    (HYPERLINK, "'" + HYPERLINK),
    ("+SUM(A1:A9)", "'+SUM(A1:A9)"),
    ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
    ("-1+2", "'-1+2"),
    ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    ("-", "'-"),
])
def test_text_that_a_spreadsheet_would_run_gets_a_leading_apostrophe(text, cell):
    assert safe_cell(text) == cell


@pytest.mark.parametrize("value", [3, -3, -3.5, 0.0, "-3.5", "+4", "-1,234.5", "-12%", "-1e-3", "42"])
def test_numbers_stay_numbers(value):
    assert safe_cell(value) == value and type(safe_cell(value)) is type(value)


@pytest.mark.parametrize("value", ["Brand love", "", "a=b", "1-2", "“=quoted”", "'=already", None])
def test_everything_else_is_left_as_it_is(value):
    assert safe_cell(value) == value


def test_a_quiz_answer_written_as_a_formula_reads_back_as_text(catalogue, journey, titles, tmp_path):
    quiz = make_quiz(catalogue, journey, n=2, seed=0, titles=titles)
    path = tmp_path / "claimcheck-quiz-results.csv"
    path.write_text(results_csv(quiz, {1: HYPERLINK, 2: "-1+2"}), encoding="utf-8", newline="")
    with path.open(encoding="utf-8", newline="") as f:
        rows = [dict(zip(CSV_FIELDS, row)) for row in list(csv.reader(f))[1:]]
    assert [r["your_answer"] for r in rows] == ["'" + HYPERLINK, "'-1+2"]
    assert [r["number"] for r in rows] == ["1", "2"], "numbers stay plain numbers"
    assert [r["correct"] for r in rows] == ["no", "no"]
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for r in rows for cell in r.values())


class _Cells(HTMLParser):
    """The text of every table cell in rendered HTML, as a spreadsheet receives a pasted table."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append("".join(self._cell).replace(JOINER, ""))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def test_the_brief_table_pasted_into_a_spreadsheet_runs_no_formula(tmp_path):
    sources = [HYPERLINK, "+cmd|' /C calc'!A0", "@SUM(A1:A9)", "\t-1+2", "Ordinary title"]
    evidence = [Evidence(id=f"E{i}", kind="document", source=title, source_id=f"doc{i}", author=None,
                         quote="=1+1 is what it says", stance="supports", weight=0.5, start=0, end=10)
                for i, title in enumerate(sources, 1)]
    answer = Answer(question="Does it?", claim=None, verdict="contested", balance=0.0, confidence=0.5,
                    answer="See the evidence.", evidence=evidence, timings_ms={})
    path = tmp_path / "claimcheck-brief.md"
    path.write_text(brief(answer), encoding="utf-8")

    cells = _Cells()
    cells.feed(MarkdownIt("commonmark").enable("table").render(path.read_text(encoding="utf-8")))
    header, *rows = cells.rows
    assert header == ["", "Stance", "Kind", "Weight", "Source", "Quote"]
    column = {name: [r[i] for r in rows] for i, name in enumerate(header)}
    assert column["Source"] == ["'" + HYPERLINK, "'+cmd|' /C calc'!A0", "'@SUM(A1:A9)", "'-1+2", "Ordinary title"]
    assert column["Weight"] == ["0.50"] * 5, "weights stay numbers"
    assert all(q.startswith("“=1+1") for q in column["Quote"]), "a quote opens with its quotation mark"
    assert not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for r in rows for c in r)
