"""Whatever bytes a team uploads, read_table gives a table or one UnreadableData naming the file.

Hypothesis throws arbitrary bytes, encodings, delimiters, huge cells, NUL
bytes and broken quoting at the reader; a valid export, however it is
written, reads back the numbers that were written. The examples below pin
what a user sees for each file that once ended in a traceback.
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import tempfile
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from assistant.errors import UnreadableData
from assistant.team_data import Table, exports, read_table
from assistant.team_data.cells import parse_dates

FUZZ = settings(max_examples=150, deadline=None, database=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
CHEAP = settings(FUZZ, max_examples=300)  # for properties whose examples take milliseconds
SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx")
DELIMITERS = (",", ";", "\t", "|")
WEEKLY = "date,channel,spend,orders\n2024-01-01,social,100,5\n2024-01-08,social,110,6\n2024-01-15,social,90,4\n"


def read_bytes(data: bytes, name: str) -> Table | UnreadableData:
    """read_table on a real file holding ``data``: the Table, or the UnreadableData (checked to name the file)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            return read_table(path)
        except UnreadableData as err:
            assert name in str(err), f"the message does not name the file: {err}"
            return err


def rejected(data: bytes, name: str) -> str:
    outcome = read_bytes(data, name)
    assert isinstance(outcome, UnreadableData), f"{name} was read, not rejected"
    return str(outcome)


def read(data: bytes, name: str = "export.csv") -> Table:
    outcome = read_bytes(data, name)
    assert isinstance(outcome, Table), f"{name} was rejected: {outcome}"
    return outcome


# --- any bytes at all ------------------------------------------------------------------------

MAGIC = st.sampled_from([b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, b"PK\x03\x04",
                         b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"date,spend,orders\n"])


@CHEAP
@given(MAGIC, st.binary(max_size=4096), st.sampled_from(SUFFIXES))
def test_any_bytes_give_a_table_or_an_error_naming_the_file(magic, data, suffix):
    read_bytes(magic + data, "upload" + suffix)


# --- text built from the pieces real exports are made of -------------------------------------

HEADERS = st.sampled_from(["date", "Date", "week", "Week starting", "month", "channel", "Platform", "spend",
                           "Ad spend", "Cost (€)", "orders", "Orders", "revenue", "clicks", "likes", "ad_id",
                           "notes", "", " ", '"', '"date"', "date\x00", "CTR %"])
DATES = st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)).flatmap(
    lambda d: st.sampled_from([d.isoformat(), f"{d:%d/%m/%Y}", f"{d:%m/%d/%Y}", f"{d:%b %Y}", f"{d:%Y%m%d}",
                               f"{d.isocalendar()[0]}-W{d.isocalendar()[1]:02d}",
                               f"{d.isoformat()}T23:30:00+02:00", f"{d.isoformat()}T00:00:00Z"]))
CELLS = st.one_of(
    st.integers(-10**20, 10**20).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.decimals(-10**9, 10**9, places=2).flatmap(
        lambda v: st.sampled_from([f"${v:,}", f"{v:,} €", f"({v})", f"{v}%", str(v).replace(".", ",")])),
    DATES,
    st.sampled_from(["9999-12-31", "1000-01-01", "99999-01-01", "0000-00-00", "45292", "23843192048310125",
                     "2.3843192048310124e+16", "0", "1", "2", "n/a", "-", "#REF!", "inf", "", " "]),
    st.sampled_from(['"', '""', '"unterminated', 'a"b', '"a""b"', "\x00", "\r", "\n", "\r\n", ",", ";", "\t", "|",
                     "\ufeff", "\u2028", "\x1a"]),
    st.text(max_size=12),
    st.sampled_from([1_000, 140_000]).map(lambda n: "x" * n),
)
LINE_ENDS = st.sampled_from(["\n", "\r\n", "\r"])
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252", "latin-1"])


@st.composite
def messy_exports(draw) -> tuple[bytes, str]:
    delimiter = draw(st.sampled_from(DELIMITERS))
    header = draw(st.lists(HEADERS, min_size=1, max_size=6))
    rows = draw(st.lists(st.lists(CELLS, max_size=len(header) + 2), max_size=10))
    ends = draw(st.lists(LINE_ENDS, min_size=len(rows) + 1, max_size=len(rows) + 1))
    text = "".join(delimiter.join(cells) + end for cells, end in zip([header, *rows], ends))
    if draw(st.booleans()):
        text = text.rstrip("\r\n")  # a last line without its line break
    data = text.encode(draw(ENCODINGS), errors="replace")
    return data, "export" + draw(st.sampled_from(SUFFIXES))


@FUZZ
@given(messy_exports())
def test_messy_text_in_any_encoding_gives_a_table_or_an_error_naming_the_file(export):
    data, name = export
    outcome = read_bytes(data, name)
    if isinstance(outcome, Table):  # and what it says about rows is about rows of the file
        last_row = data.count(b"\n") + data.count(b"\r") + 2
        assert all(2 <= p.row <= last_row for p in outcome.problems)
        assert outcome.rows_used <= outcome.rows_read


# --- a valid export, however it is written, reads back what was written ------------------------

JUNK_TEXT = st.text(st.sampled_from("abc XYZ éü\"',;|\t\n"), max_size=30)


@st.composite
def valid_exports(draw) -> tuple[bytes, str, dict[tuple[pd.Timestamp, str], tuple[float, int]]]:
    """A weekly or daily long export with 1-2 channels and junk columns, and the values it holds."""
    delimiter = draw(st.sampled_from(DELIMITERS))
    decimal_comma = delimiter != "," and draw(st.booleans())
    weeks = draw(st.integers(3, 20))
    step = draw(st.sampled_from([1, 7]))
    start = pd.Timestamp(draw(st.dates(dt.date(2015, 1, 1), dt.date(2030, 1, 1))))
    date_format = draw(st.sampled_from(["%Y-%m-%d", "%Y/%m/%d", "%d.%m.%Y", "%b %d, %Y"]))
    channels = draw(st.lists(st.sampled_from(["social", "search", "email"]), min_size=1, max_size=2, unique=True))
    money = draw(st.sampled_from(["{:.2f}", "${:.2f}", "{:,.2f}", "${:,.2f}"]))
    junk = draw(st.lists(st.sampled_from(["notes", "remarks", "ad_id", "memo"]), max_size=3, unique=True))
    header = {"date": draw(st.sampled_from(["date", "Date", "Week starting", "day"])),
              "channel": draw(st.sampled_from(["channel", "Channel", "Platform"])),
              "spend": draw(st.sampled_from(["spend", "Ad spend", "Cost"])),
              "orders": draw(st.sampled_from(["orders", "Orders", "purchases"]))} | {j: j for j in junk}
    order = draw(st.permutations(list(header)))
    expected, lines = {}, []
    for week in range(weeks):
        day = start + pd.Timedelta(days=week * step)
        for channel in channels:
            cents = draw(st.integers(0, 10**9))
            orders = draw(st.integers(0, 10**6))
            spend = money.format(cents / 100)
            if decimal_comma:
                spend = spend.replace(",", " ").replace(".", ",")
            cells = {"date": day.strftime(date_format), "channel": channel, "spend": spend, "orders": str(orders)}
            cells |= {j: draw(JUNK_TEXT) for j in junk}
            lines.append([cells[c] for c in order])
            expected[(day, channel)] = (cents / 100, orders)
    out = io.StringIO()
    end = draw(LINE_ENDS)
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL])) if "\n" in end else csv.QUOTE_ALL
    writer = csv.writer(out, delimiter=delimiter, quoting=quoting, lineterminator=end)  # quotes any cell with a "\n"
    writer.writerows([[header[c] for c in order], *lines])
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252", "latin-1"]))
    name = "export" + (".tsv" if delimiter == "\t" and draw(st.booleans()) else draw(st.sampled_from([".csv", ".txt"])))
    return out.getvalue().encode(encoding), name, expected


@FUZZ
@given(valid_exports())
def test_a_valid_export_reads_back_the_numbers_written(export):
    data, name, expected = export
    table = read(data, name)
    got = {(row.date, row.channel): (row.spend, row.orders) for row in table.frame.itertuples()}
    assert got == expected
    assert table.problems == [] and table.rows_used == len(expected)


# --- files that once ended in a traceback -------------------------------------------------------

def test_random_bytes_are_rejected_as_not_a_text_export_naming_the_file():
    noise = bytes((i * 7919 + 13) % 251 for i in range(5000))
    message = rejected(noise, "noise.csv")
    assert "noise.csv" in message and "does not look like a text export" in message


def test_a_200000_character_cell_is_read_and_the_metric_columns_are_intact():
    text = WEEKLY.replace("channel,spend,orders\n", "channel,spend,orders,notes\n")
    lines = text.splitlines()
    lines[1:] = [line + "," + ("x" * 200_000 if i == 1 else "short") for i, line in enumerate(lines[1:], 1)]
    table = read("\n".join(lines).encode())
    assert table.frame["spend"].tolist() == [100, 110, 90] and table.frame["orders"].tolist() == [5, 6, 4]
    assert "notes" in table.unrecognised and table.problems == []


def test_a_cell_over_the_size_cap_is_rejected_naming_its_row_and_column():
    cell = "x" * (exports.MAX_CELL_CHARS + 1)
    text = f"date,orders,notes\n2024-01-01,5,ok\n2024-01-08,6,{cell}\n"
    message = rejected(text.encode(), "blob.csv")
    assert "row 3, column 'notes'" in message and f"{exports.MAX_CELL_CHARS:,}" in message


def test_an_unclosed_quote_swallowing_a_large_file_is_rejected_saying_so():
    body = "".join(f"2024-01-{d % 28 + 1:02d},{d}\n" for d in range(80_000))
    message = rejected(f'date,orders\n"2023-12-31,1\n{body}'.encode(), "quote.csv")
    assert "row 2" in message and "never closed" in message


def test_a_header_swallowed_by_an_unclosed_quote_is_rejected_naming_the_column():
    text = 'date,orders,"notes\n' + "2024-01-01,5,x\n" * 200
    message = rejected(text.encode(), "header.csv")
    assert "the header of column 3" in message and "never closed" in message


@pytest.mark.parametrize("year", ["9999", "1000", "99999"])
def test_a_date_out_of_range_is_a_problem_on_its_row_not_a_crash(year):
    table = read(WEEKLY.replace("2024-01-15", f"{year}-01-15").encode())
    assert [(p.row, p.column, p.message) for p in table.problems] == [(4, "date", f"'{year}-01-15' is not a date")]
    assert table.rows_used == 2


def test_an_excel_date_in_the_year_9999_is_a_problem_on_its_row():
    wb = Workbook()
    wb.active.append(["Week", "Orders"])
    for day in (dt.datetime(2024, 1, 1), dt.datetime(2024, 1, 8), dt.datetime(9999, 12, 31)):
        wb.active.append([day, 5])
    data = io.BytesIO()
    wb.save(data)
    table = read(data.getvalue(), "export.xlsx")
    assert [(p.row, p.column) for p in table.problems] == [(4, "Week")] and table.rows_used == 2


@pytest.mark.parametrize("cells", [
    ["23843192048310125", "23843192048310126", "23843192048310127"],  # Meta ad ids
    ["2.3843192048310124e+16", "2.3843192048310126e+16"],  # the same ids after a spreadsheet
    [str(i) for i in range(2500)],  # a row index, which passes 1900..2199 on the way
    [str(i) for i in range(1, 40)],
    ["120200001", "120200002"],
])
def test_ids_and_row_indexes_are_never_dates(cells):
    dates = parse_dates(pd.Series(cells))
    assert dates.values.isna().all() and dates.bad.all()


def test_excel_day_numbers_are_dates_only_where_the_caller_asks():
    cells = pd.Series(["45292", "45299", "45306"])
    assert parse_dates(cells).values.iloc[0] == pd.Timestamp("2024-01-01")
    assert parse_dates(cells, excel_serials=False).values.isna().all()


def test_mixed_utc_offsets_are_read_as_their_local_dates():
    dates = parse_dates(pd.Series(["2024-01-01T23:30:00+02", "2024-01-08T23:30:00Z", "2024-01-15"]))
    assert dates.values.tolist() == [pd.Timestamp("2024-01-01"), pd.Timestamp("2024-01-08"),
                                     pd.Timestamp("2024-01-15")]


def test_infinite_numbers_are_problems_on_their_row():
    table = read(WEEKLY.replace("110,6", "inf,6").encode())
    assert [(p.row, p.column) for p in table.problems] == [(3, "spend")]


def test_nul_bytes_inside_a_utf8_file_are_ignored_not_taken_for_utf16():
    table = read(WEEKLY.replace("social,100", "soc\x00ial,100").replace("\n2024-01-15", "\x00\n2024-01-15").encode())
    assert table.frame["orders"].tolist() == [5, 6, 4] and table.frame["channel"].unique().tolist() == ["social"]
    assert "utf-8, 2 NUL byte(s) ignored" in table.notes[0]


def test_a_file_of_nul_bytes_is_empty():
    assert "the file is empty (it holds only NUL bytes)" in rejected(b"\x00" * 300, "nul.csv")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_recognised(encoding):
    table = read(WEEKLY.replace("social", "société").encode(encoding))
    assert table.frame["orders"].tolist() == [5, 6, 4] and table.frame["channel"].iloc[0] == "société"


@pytest.mark.parametrize("encoding", ["shift_jis", "gb18030"])
def test_east_asian_encodings_are_read_with_their_numbers_intact(encoding):
    text = "日付,チャネル,spend,orders\n2024-01-01,ソーシャル,100,5\n2024-01-08,ソーシャル,110,6\n"
    table = read(text.replace("日付", "date").encode(encoding))
    assert table.frame["orders"].tolist() == [5, 6] and table.frame["spend"].tolist() == [100, 110]


@pytest.mark.parametrize("data, why", [
    (codecs.BOM_UTF8, "the file is empty"),
    (codecs.BOM_UTF16_LE, "the file is empty"),
    (b"date,channel,spend,orders\n", "no data rows"),
    (b",,,\n,,,\n;;;\n", "no date column"),
    (b'"', "no data rows"),
])
def test_a_file_without_data_is_rejected_saying_why(data, why):
    message = rejected(data, "bare.csv")
    assert why in message


@pytest.mark.parametrize("end", ["\r", "\r\n", "\n"])
def test_any_line_ending_and_a_mix_of_them_are_read(end):
    mixed = WEEKLY.replace("\n", end, 2)
    assert read(mixed.encode()).frame["orders"].tolist() == [5, 6, 4]
    ragged = mixed + "2024-01-22,social,1,2,3" + end  # the csv-module path, too
    assert read(ragged.encode()).frame["orders"].tolist() == [5, 6, 4]


def test_blank_lines_above_the_header_keep_problems_on_the_file_row():
    table = read(b"\n \r\ndate,orders\n2024-01-01,5\n2024-01-08,x\n2024-01-15,6\n")
    assert [(p.row, p.column) for p in table.problems] == [(5, "orders")]
    assert table.used_rows == [4, 6]


def test_an_unterminated_quote_at_the_end_drops_only_that_row():
    table = read((WEEKLY + '2024-01-22,social,"5,6\n').encode())
    assert table.frame["orders"].tolist() == [5, 6, 4]
    assert [(p.row, p.column) for p in table.problems] == [(5, "(whole row)")]


@pytest.mark.parametrize("extra", ["", "\n2024-01-15,1,2,3,4,5"])  # the second forces the csv-module path
def test_repeated_and_blank_headers_get_distinct_names(extra):
    table = read(f"date,orders,orders,,spend\n2024-01-01,1,2,x,3\n2024-01-08,1,2,y,3{extra}\n".encode())
    assert [c.name for c in table.columns] == ["date", "orders", "orders.1", "Unnamed: 3", "spend"]
    assert table.frame["orders"].tolist() == [1, 1]


def test_surplus_cells_on_every_line_are_reported_not_shifted_into_other_columns():
    table = read(b"date,orders\n2024-01-01,5,9\n2024-01-08,6,9\n2024-01-15,7\n2024-01-22,8\n2024-01-29,9\n")
    assert table.frame["orders"].tolist() == [7, 8, 9]
    assert [p.row for p in table.problems] == [2, 3]


def test_a_delimiter_ending_every_data_line_is_harmless():
    table = read(b"date,orders\n2024-01-01,5,\n2024-01-08,6,\n")
    assert table.frame["orders"].tolist() == [5, 6] and table.problems == []


def test_ten_thousand_columns_are_read_into_the_grid(tmp_path):
    """The reader's part only: read_table's column-by-column work on such a file takes far longer."""
    header = ["date", "orders"] + [f"c{i}" for i in range(10_000)]
    lines = [",".join(header)] + [",".join([f"2024-01-{d:02d}", str(d)] + ["1"] * 10_000) for d in (1, 8, 15)]
    (tmp_path / "wide.csv").write_text("\n".join(lines))
    raw = exports.load(tmp_path / "wide.csv")
    assert raw.frame.shape == (3, 10_002) and raw.frame["orders"].tolist() == ["1", "8", "15"]


@pytest.mark.parametrize("data, why", [
    (WEEKLY.encode(), "is not an Excel workbook"),
    (bytes(range(256)) * 4, "is not an Excel workbook"),
    (b"PK\x03\x04" + bytes(range(256)) * 4, "is a damaged Excel workbook"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "old-style Excel workbook (.xls)"),
])
def test_an_xlsx_that_is_not_a_workbook_is_rejected_saying_what_it_is(data, why):
    assert why in rejected(data, "export.xlsx")


def test_a_zip_that_is_not_a_workbook_is_rejected_without_a_traceback():
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert "could not be read as an Excel workbook" in rejected(data.getvalue(), "export.xlsx")


def test_a_workbook_unpacking_to_too_much_is_rejected_before_it_is_read(monkeypatch):
    monkeypatch.setattr(exports, "MAX_XLSX_UNPACKED_BYTES", 1024 * 1024)
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<" * (2 * 1024 * 1024))  # kilobytes packed, megabytes out
    assert len(data.getvalue()) < 50_000
    assert "unpacks to 2 MB, more than the 1 MB read" in rejected(data.getvalue(), "bomb.xlsx")


def test_a_stray_cell_far_from_the_data_does_not_blow_up_the_sheet():
    wb = Workbook()
    wb.active.append(["Week", "Orders"])
    wb.active.append([dt.datetime(2024, 1, 1), 5])
    wb.active.cell(row=100_000, column=16_384, value="x")
    data = io.BytesIO()
    wb.save(data)
    assert "delete unused rows and columns" in rejected(data.getvalue(), "stray.xlsx")


def test_blank_rows_above_a_workbook_header_keep_problems_on_the_sheet_row():
    wb = Workbook()
    ws = wb.active
    ws.append([])
    ws.append([])
    ws.append(["Week", "Orders"])
    for day, orders in ((1, 5), (8, "#REF!"), (15, 4)):
        ws.append([dt.datetime(2024, 1, day), orders])
    data = io.BytesIO()
    wb.save(data)
    table = read(data.getvalue(), "export.xlsx")
    assert [(p.row, p.column) for p in table.problems] == [(5, "Orders")]
