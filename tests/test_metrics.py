"""read_table: what a user sees when they hand Claimcheck a metrics export.

Each test is one behaviour: a file goes in, and the roles, layout, period,
values, problems or rejection message that come out are what a person
looking at the spreadsheet would expect.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from assistant.errors import BadMapping, UnreadableData
from assistant.team_data.cells import parse_dates, parse_numbers
from assistant.team_data.table import Problem, describe, read_table, row_span

SAMPLES = Path(__file__).resolve().parent.parent / "corpus" / "samples"


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


WEEKLY = "date,channel,spend,orders\n2024-01-01,social,100,5\n2024-01-08,social,110,6\n2024-01-15,social,90,4\n"


# --- the bundled samples ---------------------------------------------------------------

def test_long_sample_is_read_as_weekly_rows_per_channel():
    table = read_table(SAMPLES / "no_effect_weekly.csv")
    assert (table.layout, table.period) == ("long", "week")
    assert table.rows_read == table.rows_used == 156
    assert sorted(table.frame["channel"].unique()) == ["email", "search", "social"]
    assert table.roles["engagements"] == ["engagements"] and table.roles["channel"] == ["channel"]
    assert list(table.frame.columns[:2]) == ["date", "channel"]


def test_messy_wide_sample_is_understood_despite_its_mess():
    """';' delimiter, cp1252, decimal commas, $ and €, FB likes/comments/shares, two broken rows."""
    table = read_table(SAMPLES / "messy_wide_monthly.csv")
    assert (table.layout, table.period) == ("wide", "month")
    assert table.roles["engagements"] == ["FB Likes", "FB Comments", "FB Shares"]
    assert table.roles["orders"] == [" Orders "] and table.roles["revenue"] == ["Revenue €"]
    assert "Email Open Rate" in table.unrecognised
    assert [(p.row, p.column) for p in table.problems] == [(22, " Orders "), (32, "Month")]
    assert (table.rows_read, table.rows_used) == (31, 29)
    assert any("Summed likes, comments and shares into engagements" in n for n in table.notes)
    first = table.frame[table.frame["date"] == "2022-01-01"].set_index("channel")
    assert first.loc["social", "spend"] == pytest.approx(4717.51)  # written "$4.717,51"
    assert first.loc["all", "revenue"] == pytest.approx(58032.02)  # written "€58.032,02"


def test_excel_sample_reads_real_excel_dates():
    table = read_table(SAMPLES / "journey_weekly.xlsx")
    assert table.period == "week" and table.frame["date"].min() == pd.Timestamp("2024-01-01")
    assert table.roles["clicks"] == ["Sessions"] and table.roles["channel"] == ["Platform"]


# --- delimiters, encodings, formats --------------------------------------------------------

@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_any_common_delimiter_is_sniffed(tmp_path, delimiter):
    path = write(tmp_path, "export.csv", WEEKLY.replace(",", delimiter))
    table = read_table(path)
    assert table.frame["orders"].tolist() == [5, 6, 4]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"])
def test_common_encodings_are_decoded(tmp_path, encoding):
    text = "Date,Channel,Orders\n2024-01-01,Café,5\n2024-01-08,Café,6\n"
    table = read_table(write(tmp_path, "export.csv", text, encoding))
    assert table.frame["channel"].unique().tolist() == ["café"]
    assert table.roles["date"] == ["Date"]  # a BOM does not stick to the first header


def test_tsv_suffix_is_tab_delimited(tmp_path):
    table = read_table(write(tmp_path, "export.tsv", WEEKLY.replace(",", "\t")))
    assert table.frame["spend"].tolist() == [100, 110, 90]


def test_real_xlsx_with_dates_numbers_and_text(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.append(["Week", "Channel", "Ad spend", "Orders"])
    ws.append([dt.datetime(2024, 1, 1), "Social", 100.5, 5])
    ws.append([dt.datetime(2024, 1, 8), "Social", "$1,000", 6])
    wb.save(tmp_path / "export.xlsx")
    table = read_table(tmp_path / "export.xlsx")
    assert table.frame["spend"].tolist() == [100.5, 1000.0]
    assert table.frame["date"].tolist() == [pd.Timestamp("2024-01-01"), pd.Timestamp("2024-01-08")]


def test_unsupported_suffix_is_rejected_naming_the_supported_ones(tmp_path):
    with pytest.raises(UnreadableData) as err:
        read_table(write(tmp_path, "export.json", "{}"))
    assert "'.json'" in str(err.value) and ".csv" in str(err.value) and ".xlsx" in str(err.value)


# --- cell values --------------------------------------------------------------------------

def test_currency_thousands_percent_and_blanks_are_parsed():
    numbers = parse_numbers(pd.Series(["$1,234.50", "€12", "12%", "(30)", "n/a", "-", "", "£ 2 000"]))
    assert numbers.values.tolist()[:4] == [1234.5, 12.0, 0.12, -30.0]
    assert numbers.values[4:7].isna().all() and numbers.values[7] == 2000
    assert not numbers.bad.any() and numbers.money


def test_european_numbers_in_a_semicolon_file(tmp_path):
    text = "Datum;Channel;Spend;Orders;Share\n2024-01-01;social;1.234,5 €;1.200;12,5%\n2024-01-08;social;99,9 €;7;3%\n"
    table = read_table(write(tmp_path, "eu.csv", text))
    assert table.frame["spend"].tolist() == [1234.5, 99.9]
    assert table.frame["orders"].tolist() == [1200, 7]
    assert table.currency == "€"


@pytest.mark.parametrize("cells, first", [
    (["2024-W05", "2024-W06"], "2024-01-29"),
    (["Jan 2024", "Feb 2024"], "2024-01-01"),
    (["2024-01-01", "2024-01-08"], "2024-01-01"),
    (["13/01/2024", "20/01/2024"], "2024-01-13"),  # only day-first fits
    (["01/13/2024", "01/20/2024"], "2024-01-13"),  # only month-first fits
    (["45292", "45299"], "2024-01-01"),  # Excel day numbers
    (["2024-01-01T23:30:00+02:00", "2024-01-08T23:30:00+02:00"], "2024-01-01"),  # the local date, not UTC
])
def test_date_notations(cells, first):
    assert parse_dates(pd.Series(cells)).values.iloc[0] == pd.Timestamp(first)


def test_ambiguous_day_month_order_follows_the_evenly_spaced_reading_and_says_so():
    """01/02..01/12 as day-first is monthly; as month-first it would be Jan 2..Jan 12 then a jump."""
    cells = pd.Series([f"01/{m:02d}/2024" for m in range(2, 13)] + ["01/01/2025"])
    dates = parse_dates(cells)
    assert dates.values.iloc[0] == pd.Timestamp("2024-02-01")
    assert dates.note and "day first" in dates.note


@pytest.mark.parametrize("step, period", [(1, "day"), (7, "week"), (30, "month")])
def test_period_is_inferred_from_the_gap_between_dates(tmp_path, step, period):
    days = [dt.date(2024, 1, 1) + dt.timedelta(days=step * i) for i in range(6)]
    text = "date,orders\n" + "".join(f"{d},{i}\n" for i, d in enumerate(days))
    assert read_table(write(tmp_path, "p.csv", text)).period == period


# --- layouts and roles ------------------------------------------------------------------

def test_wide_layout_takes_channels_from_headers(tmp_path):
    text = ("Week,social_spend,Search Clicks,email - orders,Spend (Search)\n"
            "2024-01-01,100,50,7,80\n2024-01-08,120,55,9,85\n")
    table = read_table(write(tmp_path, "wide.csv", text))
    assert table.layout == "wide"
    by = table.frame.set_index(["date", "channel"])
    assert by.loc[(pd.Timestamp("2024-01-01"), "social"), "spend"] == 100
    assert by.loc[(pd.Timestamp("2024-01-01"), "search"), "spend"] == 80
    assert by.loc[(pd.Timestamp("2024-01-08"), "email"), "orders"] == 9


def test_file_without_channels_is_long_with_channel_all(tmp_path):
    table = read_table(write(tmp_path, "t.csv", "date,orders\n2024-01-01,3\n2024-01-08,4\n"))
    assert table.layout == "long" and table.frame["channel"].unique().tolist() == ["all"]


@pytest.mark.parametrize("header, role", [
    ("Week starting", "date"), ("Period", "date"), ("Source", "channel"), ("Campaign type", "channel"),
    ("Amount spent", "spend"), ("Budget", "spend"), ("Purchases", "orders"), ("Conversions", "conversions"),
        ("Total_Conversion", "conversions"), ("Approved Conversion", "conversions"),
    ("Interactions", "engagements"), ("GMV", "revenue"), ("Sales value", "revenue"), ("Reach", "impressions"),
    ("Sessions", "clicks"), ("Leads", "leads"), ("Referrals", "referrals"),
    ("Returning customers", "repeat_purchases"), ("Repeat orders", "repeat_purchases"),
    ("Net Promoter Score", "nps"),
])
def test_synonyms_are_recognised_whatever_the_case_or_punctuation(tmp_path, header, role):
    if role == "date":
        text = f"{header.upper()},orders\n2024-01-01,1\n2024-01-08,2\n"
    elif role == "channel":
        text = f"date,{header.lower().replace(' ', '_')},orders\n2024-01-01,social,1\n2024-01-08,social,2\n"
    else:
        text = f"date, {header} ,other\n2024-01-01,5,1\n2024-01-08,6,2\n"
    table = read_table(write(tmp_path, "s.csv", text))
    assert role in table.roles


def test_sales_is_orders_unless_its_cells_carry_a_currency(tmp_path):
    count = read_table(write(tmp_path, "a.csv", "date,sales\n2024-01-01,5\n2024-01-08,6\n"))
    money = read_table(write(tmp_path, "b.csv", "date,sales\n2024-01-01,$5.00\n2024-01-08,$6.00\n"))
    assert "orders" in count.roles and "revenue" in money.roles
    assert any("currency" in n for n in money.notes)


def test_likes_comments_and_shares_are_summed_into_engagements_and_said(tmp_path):
    text = "date,likes,comments,shares,orders\n2024-01-01,10,2,1,5\n2024-01-08,20,,3,6\n"
    table = read_table(write(tmp_path, "e.csv", text))
    assert table.frame["engagements"].tolist() == [13, 23]
    assert "Summed likes, comments and shares into engagements." in table.notes


def test_ratios_are_never_taken_for_counts(tmp_path):
    text = "date,orders,CTR,Cost per order,Engagement rate\n2024-01-01,5,2%,3,4%\n2024-01-08,6,3%,3,5%\n"
    table = read_table(write(tmp_path, "r.csv", text))
    assert table.unrecognised == ["CTR", "Cost per order", "Engagement rate"]


# --- overrides ----------------------------------------------------------------------------

def test_mapping_overrides_the_guess(tmp_path):
    text = "When,Widgets shipped,orders\n2024-01-01,5,9\n2024-01-08,6,9\n"
    table = read_table(write(tmp_path, "m.csv", text), {"When": "date", "widgets shipped": "orders", "orders": "ignore"})
    assert table.roles["orders"] == ["Widgets shipped"] and table.frame["orders"].tolist() == [5, 6]
    assert "orders" not in table.unrecognised


def test_mapping_to_a_missing_column_lists_the_columns(tmp_path):
    with pytest.raises(BadMapping, match="'Clicks' is not in the file; its columns are: date, spend, orders"):
        read_table(write(tmp_path, "m.csv", "date,spend,orders\n2024-01-01,1,2\n"), {"Clicks": "clicks"})


def test_mapping_to_an_unknown_role_lists_the_roles(tmp_path):
    with pytest.raises(BadMapping, match="unknown role 'sales'.*roles are: date, channel, region, campaign"):
        read_table(write(tmp_path, "m.csv", "date,spend,orders\n2024-01-01,1,2\n"), {"orders": "sales"})


# --- problems and rejections --------------------------------------------------------------

def test_bad_rows_are_dropped_and_listed_by_spreadsheet_row_and_column(tmp_path):
    text = ("date,channel,spend,orders\n2024-01-01,social,100,5\n2024-01-08,social,1O0,6\n\n"
            "not a date,social,90,4\n2024-01-22,social,n/a,-\n2024-01-29,social,95,7\n")
    table = read_table(write(tmp_path, "bad.csv", text))
    assert table.problems == [Problem(3, "spend", "'1O0' is not a number"),
                              Problem(5, "date", "'not a date' is not a date")]
    assert (table.rows_read, table.rows_used) == (5, 3)  # the blank line is neither read nor a problem
    assert row_span(table.used_rows) == "2, 6-7"


def test_more_than_half_bad_rows_rejects_the_file(tmp_path):
    text = "date,orders\n2024-01-01,1\n2024-13-45,2\nsoon,3\n"
    with pytest.raises(UnreadableData, match="2 of 3 rows could not be read.*row 3, 'date'"):
        read_table(write(tmp_path, "bad.csv", text))


def test_a_metric_column_of_text_is_rejected_saying_which_column(tmp_path):
    text = "date,orders\n2024-01-01,x\n2024-01-08,y\n2024-01-15,3\n"
    with pytest.raises(UnreadableData, match="no metric column could be read: 'orders'.*not numbers .e.g. 'x'"):
        read_table(write(tmp_path, "bad.csv", text))


def test_a_file_with_neither_dates_nor_a_column_to_group_by_is_rejected_naming_file_and_columns(tmp_path):
    with pytest.raises(UnreadableData) as err:
        read_table(write(tmp_path, "nodate.csv", "orders,spend\n5,10\n6,12\n"))
    message = str(err.value)
    assert "nodate.csv" in message and "no date column" in message and "no column to group rows by" in message
    assert "'orders', 'spend'" in message


def test_missing_metric_columns_are_rejected_naming_what_was_expected(tmp_path):
    with pytest.raises(UnreadableData) as err:
        read_table(write(tmp_path, "nometric.csv", "date,notes\n2024-01-01,hello\n"))
    assert "no metric column recognised" in str(err.value) and "orders" in str(err.value)
    assert "'date', 'notes'" in str(err.value)


def test_empty_file_is_rejected(tmp_path):
    with pytest.raises(UnreadableData, match="empty"):
        read_table(write(tmp_path, "empty.csv", ""))


def test_a_date_column_with_an_odd_name_is_found_by_its_cells(tmp_path):
    table = read_table(write(tmp_path, "d.csv", "Reporting,orders\n2024-01-01,5\n2024-01-08,6\n"))
    assert table.roles["date"] == ["Reporting"] and any("whose cells are dates" in n for n in table.notes)


def test_rows_repeating_a_date_and_channel_are_added_up(tmp_path):
    text = "date,channel,orders\n2024-01-01,social,5\n2024-01-01,Social,6\n2024-01-08,social,1\n"
    table = read_table(write(tmp_path, "dup.csv", text))
    assert table.frame["orders"].tolist() == [11, 1]
    assert any("Added up 1 rows" in n for n in table.notes)


def test_describe_says_what_was_understood():
    text = describe(read_table(SAMPLES / "messy_wide_monthly.csv"))
    assert "wide layout" in text and "29 months" in text and "Row 22, ' Orders ': '#REF!' is not a number" in text


def test_a_line_with_the_wrong_number_of_cells_is_listed_and_dropped(tmp_path):
    table = read_table(write(tmp_path, "rag.csv", "date,orders,spend\n2024-01-01,5,3\n2024-01-08,6,4,9\n2024-01-15,7,5\n"))
    assert table.problems == [Problem(3, "(whole row)", "has 4 cells where the header has 3")]
    assert (table.rows_read, table.rows_used, table.used_rows) == (3, 2, [2, 4])


def test_excel_unicode_text_export_is_read(tmp_path):
    """Excel's "Unicode text" is UTF-16 with tabs, saved as .txt."""
    text = "Week\tChannel\tOrders\r\n2024-01-01\tsocial\t5\r\n2024-01-08\tsocial\t6\r\n"
    table = read_table(write(tmp_path, "export.txt", text, "utf-16"))
    assert table.frame["orders"].tolist() == [5, 6] and "tab-delimited, utf-16" in table.notes[0]
