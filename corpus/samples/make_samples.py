"""Write the synthetic metrics exports in this folder (deterministic: fixed seeds).

Run from the repository root:  .venv/bin/python corpus/samples/make_samples.py
The files are committed; this script documents exactly how they were made,
and README.md states each one's ground truth.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from pathlib import Path

import numpy as np
from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
SEED = 3  # a typical draw among seeds 1-8: see README.md


def _weeks(start: dt.date, n: int) -> list[dt.date]:
    return [start + dt.timedelta(weeks=i) for i in range(n)]


def no_effect_weekly(rng: np.random.Generator) -> None:
    """52 weeks x social/search/email; social engagement grows 40% and is independent of orders."""
    weeks = _weeks(dt.date(2024, 1, 1), 52)
    trend = np.linspace(4000, 5600, len(weeks))
    engagement = np.round(trend * rng.lognormal(0, 0.15, len(weeks)))
    channels = {"social": (1800, 40, 90000, 0.012), "search": (1500, 120, 60000, 0.05),
                "email": (300, 90, 30000, 0.08)}  # spend, mean orders, impressions, click rate
    rows = []
    for i, week in enumerate(weeks):
        for name, (spend, orders_mean, impressions, ctr) in channels.items():
            impr = int(rng.normal(impressions, impressions * 0.1))
            orders = int(rng.poisson(orders_mean))
            rows.append([week.isoformat(), name, f"{spend * rng.uniform(0.9, 1.1):.2f}", impr,
                         int(impr * ctr * rng.uniform(0.9, 1.1)), int(engagement[i]) if name == "social" else "",
                         orders, f"{orders * 55 * rng.uniform(0.9, 1.1):.2f}"])
    _write_csv("no_effect_weekly.csv", ["week", "channel", "spend", "impressions", "clicks", "engagements",
                                        "orders", "revenue"], rows)


def lagged_effect_weekly(rng: np.random.Generator) -> None:
    """60 weeks; total orders_t = 400 + 0.04 * social engagement_(t-2) + N(0, 50), split over channels."""
    weeks = _weeks(dt.date(2023, 1, 2), 60)
    engagement = np.clip(rng.normal(5000, 1500, len(weeks) + 2), 500, None).round()
    total = np.round(400 + 0.04 * engagement[:-2] + rng.normal(0, 50, len(weeks))).astype(int)
    shares = {"social": 0.2, "search": 0.5, "email": 0.3}
    spend = {"social": 2000, "search": 2500, "email": 400}
    rows = []
    for i, week in enumerate(weeks):
        split = rng.multinomial(total[i], list(shares.values()))
        for (name, _), orders in zip(shares.items(), split):
            rows.append([week.strftime("%d/%m/%Y"), name.title(), f"${spend[name] * rng.uniform(0.9, 1.1):,.2f}",
                         int(engagement[i + 2]) if name == "social" else "", int(orders),
                         f"${orders * 60 * rng.uniform(0.95, 1.05):,.2f}"])
    _write_csv("lagged_effect_weekly.csv", ["Week starting", "Channel", "Spend", "Engagements", "Orders",
                                            "Revenue"], rows)


def _eu(x: float, decimals: int = 0) -> str:
    """1234.5 -> '1.234,5' (European separators)."""
    text = f"{x:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def messy_wide_monthly(rng: np.random.Generator) -> None:
    """30 months, wide, ';' + cp1252 + decimal comma; orders_t = 900 + 0.03 * engagement_t + N(0, 80)."""
    months = [dt.date(2022 + (m // 12), m % 12 + 1, 1) for m in range(30)]
    likes = np.round(np.linspace(8000, 20000, 30) * rng.lognormal(0, 0.1, 30))
    comments = np.round(likes * rng.uniform(0.04, 0.06, 30))
    shares = np.round(likes * rng.uniform(0.015, 0.025, 30))
    orders = np.round(900 + 0.03 * (likes + comments + shares) + rng.normal(0, 80, 30))
    header = ["Month", "Social Spend ($)", "Search Spend ($)", "FB Likes", "FB Comments", "FB Shares",
              " Orders ", "Revenue €", "Email Open Rate"]
    rows = []
    for i, month in enumerate(months):
        rows.append([month.strftime("%b %Y"), "$" + _eu(rng.uniform(3000, 5000), 2),
                     "$" + _eu(rng.uniform(6000, 8000), 2), _eu(likes[i]), _eu(comments[i]), _eu(shares[i]),
                     _eu(orders[i]), "€" + _eu(orders[i] * rng.uniform(48, 52), 2),
                     _eu(rng.uniform(18, 30), 1) + "%"])
    rows[7][4] = "n/a"  # a blank, not an error
    rows[12][2] = "-"  # a blank, not an error
    rows[20][6] = "#REF!"  # a broken formula: the row is dropped and reported
    rows.append(["Total", "", "", _eu(likes.sum()), "", "", _eu(orders.sum()), "", ""])  # a summary row
    with open(HERE / "messy_wide_monthly.csv", "w", encoding="cp1252", newline="") as f:
        csv.writer(f, delimiter=";").writerows([header, *rows])


def tiny(rng: np.random.Generator) -> None:
    """5 weeks only: too little data for a correlation."""
    rows = []
    for week in _weeks(dt.date(2024, 3, 4), 5):
        rows.append([week.isoformat(), "social", int(rng.integers(800, 1200)), int(rng.integers(20, 40))])
        rows.append([week.isoformat(), "search", "", int(rng.integers(60, 90))])
    _write_csv("tiny.csv", ["date", "channel", "engagements", "orders"], rows)


def journey_weekly(rng: np.random.Generator) -> None:
    """40 weeks, .xlsx with real Excel dates, every journey stage; B2B-style channels."""
    weeks = _weeks(dt.date(2024, 1, 1), 40)
    channels = {"LinkedIn": (3000, 400000), "Search": (2000, 150000), "Email": (300, 50000)}  # cost, impressions
    wb = Workbook()
    ws = wb.active
    ws.title = "weekly"
    ws.append(["Week", "Platform", "Cost", "Impressions", "Sessions", "Leads", "Orders", "NPS", "Referrals",
               "Repeat purchases", "Engagements"])
    for week in weeks:
        for name, (cost, impressions) in channels.items():
            impr = int(rng.normal(impressions, impressions * 0.05))
            clicks = int(rng.binomial(impr, 0.02))
            leads = int(rng.binomial(clicks, 0.08))
            orders = int(rng.binomial(leads, 0.25))
            ws.append([dt.datetime.combine(week, dt.time()), name, round(cost * rng.uniform(0.9, 1.1), 2), impr,
                       clicks, leads, orders, int(rng.normal(40, 5)), int(rng.binomial(orders, 0.10)),
                       int(rng.binomial(orders, 0.30)),
                       int(rng.normal(2500, 400)) if name == "LinkedIn" else None])
    for row in ws.iter_rows(min_row=2, max_col=1):
        row[0].number_format = "yyyy-mm-dd"
    wb.properties.creator = "make_samples.py"
    wb.properties.created = dt.datetime(2024, 5, 1)
    _save_reproducibly(wb, HERE / "journey_weekly.xlsx")


def _save_reproducibly(wb: Workbook, path: Path) -> None:
    """Save with fixed zip timestamps and a fixed 'modified' date, so reruns give identical bytes."""
    buffer = io.BytesIO()
    wb.save(buffer)
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2024-05-01T00:00:00Z", data)
            dst.writestr(zipfile.ZipInfo(item.filename, date_time=(2024, 5, 1, 0, 0, 0)), data,
                         compress_type=zipfile.ZIP_DEFLATED)


def _write_csv(name: str, header: list[str], rows: list[list]) -> None:
    with open(HERE / name, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([header, *rows])


def main() -> None:
    """Each sample gets its own generator, so changing one never changes another."""
    for offset, make in enumerate([no_effect_weekly, lagged_effect_weekly, messy_wide_monthly, tiny,
                                   journey_weekly]):
        make(np.random.default_rng(SEED + offset))


if __name__ == "__main__":
    main()
