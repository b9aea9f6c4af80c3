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


# --- conventions and layouts of real exports (issue: marketing data as teams have it) ----------

def _adstock(x: np.ndarray, decay: float) -> np.ndarray:
    """Geometric carry-over, normalised so a unit of spend adds up to one unit of effect."""
    out, carry = np.zeros(len(x)), 0.0
    for i, v in enumerate(x):
        carry = v + decay * carry
        out[i] = carry
    return out * (1 - decay)


def _media(x: np.ndarray, decay: float, beta: float) -> np.ndarray:
    """Outcome from one channel: beta x adstock / (adstock + mean spend), diminishing returns."""
    a = _adstock(x, decay)
    return beta * a / (a + x.mean())


MMM_TRUTH: dict[str, dict[str, float]] = {}  # filled by the generators: channel -> true return per unit of spend


def robyn_style_weekly(rng: np.random.Generator) -> None:
    """156 weeks, the Robyn demo's column names; revenue from tv, facebook and search (print does nothing)."""
    weeks = _weeks(dt.date(2021, 1, 4), 156)
    n = len(weeks)
    t = np.arange(n)
    spend = {"tv": rng.gamma(4, 5000, n) * (rng.uniform(size=n) < 0.7), "ooh": rng.gamma(3, 2000, n),
             "print": rng.gamma(3, 1500, n), "facebook": rng.gamma(5, 1200, n), "search": rng.gamma(6, 800, n)}
    effect = {"tv": (0.6, 160_000.0), "ooh": (0.3, 30_000.0), "print": (0.3, 0.0), "facebook": (0.2, 50_000.0),
              "search": (0.1, 45_000.0)}  # (carry-over decay, beta): print has no effect
    media = {c: _media(spend[c], *effect[c]) for c in spend}
    competitor = rng.normal(100_000, 15_000, n)
    events = np.where(rng.uniform(size=n) < 0.06, "event2", "na")
    revenue = (300_000 + 400 * t + 40_000 * np.sin(2 * np.pi * t / 52.18) + sum(media.values())
               - 0.5 * (competitor - 100_000) + 30_000 * (events != "na") + rng.normal(0, 12_000, n))
    MMM_TRUTH["robyn_style_weekly.csv"] = {c: round(float(media[c].sum() / spend[c].sum()), 3) for c in spend}
    rows = [[w.isoformat(), f"{revenue[i]:.0f}", f"{spend['tv'][i]:.0f}", f"{spend['ooh'][i]:.0f}",
             f"{spend['print'][i]:.0f}", f"{spend['facebook'][i] * rng.uniform(60, 90):.0f}",
             f"{spend['search'][i] * rng.uniform(0.4, 0.6):.0f}", f"{spend['search'][i]:.0f}",
             f"{competitor[i]:.0f}", f"{spend['facebook'][i]:.0f}", events[i], f"{rng.gamma(2, 9000):.0f}"]
            for i, w in enumerate(weeks)]
    _write_csv("robyn_style_weekly.csv", ["DATE", "revenue", "tv_S", "ooh_S", "print_S", "facebook_I",
                                          "search_clicks_P", "search_S", "competitor_sales_B", "facebook_S",
                                          "events", "newsletter"], rows)


def geo_media_weekly(rng: np.random.Generator) -> None:
    """104 weeks x 5 geos, Meridian's demo names; conversions from Channel0 and Channel1, not Channel2."""
    weeks, geos = _weeks(dt.date(2022, 1, 3), 104), [f"Geo{i}" for i in range(5)]
    effect = {"Channel0": (0.4, 900.0), "Channel1": (0.2, 500.0), "Channel2": (0.2, 0.0)}
    rows, media_total, spend_total = [], {c: 0.0 for c in effect}, {c: 0.0 for c in effect}
    for g, geo in enumerate(geos):
        population = 200_000 + 150_000 * g
        n = len(weeks)
        spend = {c: rng.gamma(4, 300 + 100 * g, n) for c in effect}
        media = {c: _media(spend[c], *effect[c]) * population / 500_000 for c in effect}
        for c in effect:
            media_total[c] += media[c].sum()
            spend_total[c] += spend[c].sum()
        competitor = rng.normal(0, 1, n)
        sentiment = rng.normal(0, 1, n)
        promo = (rng.uniform(size=n) < 0.1).astype(int)
        conversions = (population / 200 + 300 * promo - 150 * competitor + sum(media.values())
                       + rng.normal(0, 60, n))
        for i, w in enumerate(weeks):
            rows.append([geo, w.isoformat(), *[f"{spend[c][i] * rng.uniform(90, 110):.0f}" for c in effect],
                         *[f"{spend[c][i]:.2f}" for c in effect], f"{competitor[i]:.4f}", f"{sentiment[i]:.4f}",
                         promo[i], f"{max(conversions[i], 0):.0f}", f"{rng.uniform(0.9, 1.1):.4f}", population])
    MMM_TRUTH["geo_media_weekly.csv"] = {c: round(float(media_total[c] / spend_total[c]), 3) for c in effect}
    _write_csv("geo_media_weekly.csv", ["geo", "time", *[f"{c}_impression" for c in effect],
                                        *[f"{c}_spend" for c in effect], "competitor_sales_control",
                                        "sentiment_score_control", "Promo", "conversions", "revenue_per_conversion",
                                        "population"], rows)


def facebook_ads_ad_level(rng: np.random.Generator) -> None:
    """300 ads in three campaigns, no dates, the public Facebook ad-level export's columns."""
    campaigns = {916: (0.00025, 1.40, 0.050), 936: (0.00020, 1.50, 0.020), 1178: (0.00018, 1.60, 0.010)}
    rows = []
    for i in range(300):
        campaign = [916, 936, 1178][i % 3]
        ctr, cpc, conv_rate = campaigns[campaign]
        impressions = int(rng.lognormal(10.5, 0.8))
        clicks = int(rng.binomial(impressions, ctr))
        conversions = int(rng.binomial(clicks, conv_rate)) if clicks else 0
        rows.append([708746 + 17 * i, campaign, 103916 + 3 * i // 10, ["30-34", "35-39", "40-44", "45-49"][i % 4],
                     "MF"[i % 2], 10 + i % 40, impressions, clicks, f"{clicks * cpc * rng.uniform(0.9, 1.1):.2f}",
                     conversions, int(rng.binomial(conversions, 0.4)) if conversions else 0])
    _write_csv("facebook_ads_ad_level.csv", ["ad_id", "xyz_campaign_id", "fb_campaign_id", "age", "gender",
                                             "interest", "Impressions", "Clicks", "Spent", "Total_Conversion",
                                             "Approved_Conversion"], rows)


def facebook_posts(rng: np.random.Generator) -> None:
    """200 posts of one page, no dates, semicolons, the public page-export's columns; video engages most."""
    kinds = {"Photo": 200, "Status": 350, "Link": 80, "Video": 400}  # mean interactions per post
    header = ["Page total likes", "Type", "Category", "Post Month", "Post Weekday", "Post Hour", "Paid",
              "Lifetime Post Total Reach", "Lifetime Post Total Impressions", "Lifetime Engaged Users",
              "Lifetime Post Consumers", "Lifetime Post Impressions by people who have liked your Page",
              "comment", "like", "share", "Total Interactions"]
    rows = []
    for i in range(200):
        kind = list(kinds)[i % 4]
        paid = int(rng.uniform() < 0.3)
        reach = int(rng.lognormal(9, 0.4) * (1.6 if paid else 1.0))
        interactions = int(rng.poisson(kinds[kind]))
        like = int(interactions * 0.85)
        comment = int(interactions * 0.05)
        share = interactions - like - comment
        rows.append([139441 - i * 10, kind, 1 + i % 3, 1 + i % 12, 1 + i % 7, i % 24, paid, reach,
                     int(reach * rng.uniform(1.6, 2.0)), int(reach * 0.1), int(reach * 0.08), int(reach * 0.7),
                     comment, like, share, interactions])
    with open(HERE / "facebook_posts.csv", "w", encoding="utf-8", newline="") as f:
        csv.writer(f, delimiter=";").writerows([header, *rows])


def wide_conventions_weekly(rng: np.random.Generator) -> None:
    """52 weeks, one channel per column in every way headers are written, with controls beside them."""
    weeks = _weeks(dt.date(2024, 1, 1), 52)
    header = ["Week", "TV Spend", "spend_radio", "FacebookSpend", "SEARCH-COST", "Impressions (TV)",
              "facebook_impressions", "Orders", "Revenue", "competitor_price", "Holiday", "Competitor Sales"]
    rows = []
    for w in weeks:
        spend = [rng.uniform(4000, 6000), rng.uniform(1000, 2000), rng.uniform(1500, 2500), rng.uniform(2000, 3000)]
        orders = int(rng.poisson(500))
        rows.append([w.isoformat(), *[f"{s:.2f}" for s in spend], int(spend[0] * 40), int(spend[2] * 80), orders,
                     f"{orders * 50 * rng.uniform(0.95, 1.05):.2f}", f"{rng.uniform(9, 11):.2f}",
                     "Christmas" if w.month == 12 and w.day > 20 else "", int(rng.poisson(450))])
    _write_csv("wide_conventions_weekly.csv", header, rows)


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
                                   journey_weekly, robyn_style_weekly, geo_media_weekly, facebook_ads_ad_level,
                                   facebook_posts, wide_conventions_weekly]):
        make(np.random.default_rng(SEED + offset))
    for name, truth in MMM_TRUTH.items():
        print(name, "true return per unit of spend:", truth)


if __name__ == "__main__":
    main()
