"""The tidy table open-source media-mix tools read, for a team that outgrows ``media_effect``.

PyMC-Marketing's ``MMM`` takes one row per date with a column per channel's
spend, the control columns and the target; Meridian's ``CsvDataLoader`` takes
one row per geo and time with ``<channel>_spend`` (and impressions when the
export has them), controls, the KPI and a population. Both are written from
the same frame the media model fits, so what Claimcheck analysed and what the
tool reads are the same numbers.
"""
from __future__ import annotations

import pandas as pd

from ..errors import BadInput
from .effects import model_frame
from .table import Table

FORMATS: tuple[str, ...] = ("pymc-marketing", "meridian")


def model_input(table: Table, fmt: str) -> pd.DataFrame:
    """The export as ``fmt``'s input table; BadInput when the file has no spend per channel or no outcome."""
    built = model_frame(table)
    if built is None:
        raise BadInput(f"{table.file}: a media-mix input needs spend per channel and an outcome (revenue, orders, "
                       "conversions or leads) per period; this file has "
                       + ("no dates" if not table.dated else "not both") + ". `claimcheck data show` says what was read")
    frame, channels, outcome, controls, region = built
    if fmt == "pymc-marketing":
        out = frame.groupby("date")[[*channels, outcome, *controls]].agg(
            {**{c: "sum" for c in channels}, outcome: "sum", **{c: "mean" for c in controls}}).reset_index()
        out = out.rename(columns={"date": "date_week", outcome: "y", **{c: f"{c}_spend" for c in channels}})
        out["date_week"] = out["date_week"].dt.strftime("%Y-%m-%d")
        return out
    if fmt == "meridian":
        geo = frame["region"] if region else "national"
        out = pd.DataFrame({"geo": geo, "time": frame["date"].dt.strftime("%Y-%m-%d")})
        for c in channels:
            out[f"{c}_spend"] = frame[c]
        for c in controls:
            out[f"{c}_control" if not c.endswith("control") else c] = frame[c]
        out["revenue" if outcome == "revenue" else "conversions"] = frame[outcome]
        out["population"] = 1.0
        return out
    raise BadInput(f"unknown format {fmt!r}; formats are: {', '.join(FORMATS)}")
