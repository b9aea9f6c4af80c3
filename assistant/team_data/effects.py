"""What each channel's spend did to the outcome, as findings: ``media_effect``.

Two sources give the same kind of finding: our own regression of the outcome on
every channel's spend (media_effect.py), and the results of a media-mix model a
team already runs (Robyn, Meridian, PyMC-Marketing; model_results.py). Either
way a finding names one channel and carries ``contribution``,
``contribution_share``, ``roi``, ``roi_low`` and ``roi_high``; its signal is
"positive" when the interval is above zero, "zero" when it spans zero and
"negative" below, which answering turns into supports, qualifies, contradicts.
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pandas as pd

from ..schema import Finding
from . import figures, rules
from .headers import channel_name, is_social
from .model_results import ChannelResult, ModelResults
from .table import Table

if TYPE_CHECKING:  # the model (and scipy) load only when a file is analysed, not with the chat
    from .media_effect import ChannelEffect

_OBSERVATIONAL = ("This is observational: spend is not assigned at random, so a season, a promotion or a budget "
                  "that follows demand can pass for an effect. The experiment that settles it is a geo holdout "
                  "(lift) test: pause {channel} in a random half of your regions for a few {unit} and compare "
                  "{outcome}.")


def _signal(low: float | None, high: float | None) -> str:
    if low is None or high is None or math.isnan(low) or math.isnan(high):
        return "any"
    return "positive" if low > 0 else "negative" if high < 0 else "zero"


def _topic(channel: str) -> str:
    """Social channels get a topic of their own: their effect bears on "social media drives sales"."""
    return "media_effect_social" if is_social(channel) else "media_effect"


def _amount(value: float, money: bool, currency: str) -> str:
    return figures.money(value, currency) if money and currency else figures.ratio(value)


def outcome_role(table: Table) -> str | None:
    """The outcome a channel's spend is set against: revenue (a return in money), else orders, conversions, leads."""
    return next((r for r in rules.EFFECT_OUTCOMES if r in table.frame.columns and table.frame[r].notna().any()),
                None)


def model_frame(table: Table) -> tuple[pd.DataFrame, list[str], str, list[str], str | None] | None:
    """One row per period (and region): each channel's spend, the outcome summed over channels, the controls."""
    outcome = outcome_role(table)
    df = table.frame
    if outcome is None or "spend" not in df.columns:
        return None
    keys = ["date"] + (["region"] if "region" in df.columns else [])
    paid = df[(df["channel"] != rules.ALL_CHANNELS) & df["spend"].notna()]
    if paid.empty:
        return None
    spend = paid.pivot_table(index=keys, columns="channel", values="spend", aggfunc="sum").fillna(0.0)
    spend = spend.loc[:, spend.sum() > 0]
    totals = df.groupby(keys)[outcome].sum(min_count=1).rename(outcome)
    frame = spend.join(totals, how="inner").dropna(subset=[outcome]).reset_index()
    controls: list[str] = []
    if table.controls is not None:
        usable = [c for c in table.controls.columns if c not in keys and table.controls[c].notna().all()]
        frame = frame.merge(table.controls[keys + usable], on=keys, how="left")
        controls = [c for c in usable if frame[c].notna().all() and frame[c].nunique() > 1]
    channels = [str(c) for c in spend.columns]
    frame.columns = [str(c) for c in frame.columns]
    return frame, channels, outcome, controls, "region" if "region" in keys else None


def _effect_sentence(table: Table, e: ChannelEffect, outcome: str, n: int) -> str:
    money = outcome == "revenue"
    per = f"each {figures.money(1, table.currency)} spent" if table.currency else "each unit of spend"
    word = "in revenue" if money else rules.EFFECT_NOUNS[outcome]
    roi, low, high = (_amount(v, money, table.currency) for v in (e.roi, e.roi_low, e.roi_high))
    verdict = {"positive": "a return above zero", "zero": "an interval that includes zero, so no clear effect",
               "negative": "a return below zero"}.get(_signal(e.roi_low, e.roi_high), "no estimate")
    together = (f" Its spend moved together with {', '.join(e.collinear_with)}'s, so the model cannot split "
                "their effect well: read the interval, not the point." if e.collinear_with else "")
    return (f"In your data, {per} on {e.channel} brought {roi} {word} (90% interval {low} to {high}; "
            f"{verdict}), {figures.percent(e.contribution_share)} of what media brought over {n} "
            f"{figures.plural(table, n)}.{together}")


def media_effect_findings(table: Table, workspace: str) -> list[Finding]:
    """Per channel, what its spend did to the outcome (or why nothing can be said yet)."""
    built = model_frame(table)
    if built is None:
        return []
    frame, channels, outcome, controls, region = built
    from .media_effect import fit_media

    fit = fit_media(frame, channels, outcome, controls, date="date", region=region)
    n = fit.periods
    if fit.too_little:
        sentence = f"In your data, there is too little data to tell what each channel's spend did: {fit.too_little}"
        return [figures.finding(table, workspace, "too_little_data", "media_effect", sentence,
                                {"n": n, "channels": len(channels), "min_periods": rules.EFFECT_MIN_PERIODS}, n,
                                "count of periods with spend and the outcome",
                                "Add more periods, or fewer channels, and read the file again.",
                                ["spend", outcome], "any", None)]
    if fit.holdout_r2 < rules.EFFECT_MIN_HOLDOUT_R2:
        sentence = (f"In your data, spend explains too little of {rules.EFFECT_NOUNS[outcome]} to say what each "
                    f"channel did: the model forecasts held-out {figures.plural(table)} no better than the average "
                    f"of the {figures.plural(table)} before them (holdout R² {fit.holdout_r2:.2f}).")
        return [figures.finding(table, workspace, "too_little_data", "media_effect", sentence,
                                {"n": n, "channels": len(channels), "holdout_r2": fit.holdout_r2}, n,
                                "rolling-origin holdout of the media regression",
                                "More periods, or spend that varies more (a planned on/off test), give the model "
                                "something to learn from.", ["spend", outcome], "any", None)]
    unit = figures.plural(table)
    method = (f"regression of {outcome} per {table.period}{' and region' if region else ''} on each channel's spend "
              + (f"with carry-over peaking {fit.peak} {figures.plural(table, fit.peak)} after spend (decay {fit.decay:g}) and "
                 if fit.peak else f"with carry-over (geometric adstock, decay {fit.decay:g}) and ")
              + ("no diminishing returns" if math.isinf(fit.saturation) else
                 f"diminishing returns (half response at {fit.saturation:g}x mean spend)")
              + f", chosen by out-of-sample fit "
              f"(holdout R² {fit.holdout_r2:.2f}); trend, season"
              + (", region effects" if region else "") + (f", controls {', '.join(controls)}" if controls else "")
              + "; 90% block-bootstrap interval")
    out = []
    for e in fit.channels:
        if math.isnan(e.roi):
            continue
        numbers = {"contribution": e.contribution, "contribution_share": e.contribution_share, "roi": e.roi,
                   "roi_low": e.roi_low, "roi_high": e.roi_high, "spend": e.spend, "n": n}
        caveat = _OBSERVATIONAL.format(channel=e.channel, unit=unit, outcome=rules.EFFECT_NOUNS[outcome])
        out.append(figures.finding(table, workspace, _topic(e.channel), e.channel,
                                   _effect_sentence(table, e, outcome, n), numbers, n, method, caveat,
                                   ["spend", outcome], _signal(e.roi_low, e.roi_high), None, [e.channel]))
    return out


def _result_sentence(results: ModelResults, r: ChannelResult) -> str:
    parts = []
    if r.roi is not None:
        interval = (f" ({results.interval} {figures.ratio(r.roi_low)} to {figures.ratio(r.roi_high)})"
                    if r.roi_low is not None and r.roi_high is not None else "")
        parts.append(f"a {results.measure} of {figures.ratio(r.roi)}{interval}")
    if r.contribution_share is not None:
        parts.append(f"{figures.percent(r.contribution_share)} of the outcome")
    return f"In your data, your {results.model} model gave {channel_name(r.channel)} " + " and ".join(parts) + "."


def model_result_findings(table: Table, workspace: str) -> list[Finding]:
    """A team's own media-mix model results, one finding per channel, cited as its data."""
    results = table.results
    if results is None:
        return []
    out = []
    for r in results.channels:
        if r.roi is None and r.contribution_share is None:
            continue
        numbers = {k: v for k, v in {"contribution": r.contribution, "contribution_share": r.contribution_share,
                                     "roi": r.roi, "roi_low": r.roi_low, "roi_high": r.roi_high,
                                     "spend": r.spend}.items() if v is not None}
        caveat = (f"A media-mix model is observational: its returns rest on the model's assumptions. The experiment "
                  f"that checks it is a geo holdout (lift) test of {channel_name(r.channel)}.")
        channel = channel_name(r.channel)
        out.append(figures.finding(table, workspace, _topic(channel), f"{results.model}:{channel}",
                                   _result_sentence(results, r), numbers, len(results.channels), results.method,
                                   caveat, ["results"], _signal(r.roi_low, r.roi_high) if r.roi is not None else "any", None,
                                   [channel]))
    return out
