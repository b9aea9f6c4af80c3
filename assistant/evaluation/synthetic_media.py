"""Synthetic weekly media sets whose true return per channel is known, to validate media_effect.

Each set is drawn from a process deliberately unlike the fitted model, so a good score means
the model survives the ways real data differ from its assumptions:

* carry-over is geometric with a different rate per channel, or delayed and peaked (Weibull
  weights), while the model fits one shared geometric rate;
* diminishing returns follow an S-shaped Hill curve, while the model fits x / (x + k);
* the trend curves, the season is a December peak with a summer dip (not a sum of sines),
  holidays lift sales and spend together, and marketers spend more in the high season;
* a competitor series drives sales down and, in some sets, one channel's spend reacts to it;
* noise is autocorrelated (demand shocks last a few weeks);
* some sets have two channels bought together (spend correlation about 0.8 or more);
* every set has exactly one channel with no effect at all.

True contribution of a channel = the outcome its spend (including carry-over from the weeks
before the window) added inside the window; true ROI = that contribution / its spend in the window.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.signal import lfilter
from scipy.stats import weibull_min

CHANNEL_NAMES = ("search", "social", "tv", "display", "video", "radio", "print", "affiliate")
OUTCOME = "sales"
CONTROLS = ("competitor_sales", "holiday")
BURN_IN = 13  # weeks of spend before the window, so the first weeks carry over from earlier spend
MAX_LAG = 13  # a quarter: carry-over weights beyond it are negligible for every shape drawn here
ROI_RANGE = (0.4, 3.0)  # revenue per unit of spend for channels that work: typical published media ROIs
MEDIA_SHARE_RANGE = (0.1, 0.4)  # share of sales due to media; MMM studies report roughly this band
NOISE_CV_RANGE = (0.03, 0.08)  # unexplained weekly variation as a fraction of baseline sales
P_REGIONS = 0.3  # share of sets with 2-5 regions (geo-level data)
P_CORRELATED = 0.4  # share of sets where two channels are bought together
P_WEIBULL = 0.5  # share of sets whose carry-over is delayed and peaked instead of geometric
P_FLIGHTED = 0.4  # chance a channel runs in on/off flights rather than always on
PAIR_SLACK = 0.3  # log-sd of week-to-week differences between a pair's spends: correlation about 0.8-0.95
P_REACTS_TO_COMPETITOR = 0.5  # chance one channel's spend rises when the competitor is strong


@dataclass(frozen=True)
class MediaTruth:
    """What generated a set: the numbers a fitted model should recover."""

    roi: dict[str, float]
    contribution: dict[str, float]
    spend: dict[str, float]
    no_effect: str
    correlated: tuple[str, str] | None
    carryover: str
    periods: int
    regions: int
    controls: tuple[str, ...] = CONTROLS
    outcome: str = OUTCOME


def _season(dates: pd.DatetimeIndex, rng: np.random.Generator) -> np.ndarray:
    """A December peak (Gaussian in day of year, wrapping at new year) plus a summer dip or lift."""
    doy = dates.day_of_year.to_numpy(float)
    peak, width = rng.uniform(330, 358), rng.uniform(15, 35)
    gap = np.minimum(np.abs(doy - peak), 365.25 - np.abs(doy - peak))
    summer = rng.uniform(-0.1, 0.1) * np.exp(-0.5 * ((doy - 200) / 40) ** 2)
    return rng.uniform(0.1, 0.4) * np.exp(-0.5 * (gap / width) ** 2) + summer


def _holidays(dates: pd.DatetimeIndex) -> np.ndarray:
    """1 for the week of Black Friday (late November) and the two weeks before Christmas."""
    d = dates.day_of_year.to_numpy()
    return (((d >= 327) & (d <= 334)) | ((d >= 345) & (d <= 359))).astype(float)


def _ar1(rng: np.random.Generator, n: int, phi: float, sd: float, size: tuple[int, ...] = ()) -> np.ndarray:
    """Stationary AR(1) noise along the last axis."""
    shocks = rng.normal(0.0, sd * np.sqrt(1 - phi ** 2), size + (n,))
    shocks[..., 0] /= np.sqrt(1 - phi ** 2)
    return lfilter([1.0], [1.0, -phi], shocks, axis=-1)


def _flights(rng: np.random.Generator, n: int) -> np.ndarray:
    """On/off pattern: bursts of 2-8 weeks on, 1-6 weeks off."""
    on, out, state = np.zeros(n), 0, rng.random() < 0.5
    while out < n:
        length = rng.integers(2, 9) if state else rng.integers(1, 7)
        on[out:out + length] = state
        out, state = out + length, not state
    return on


def _carryover_weights(rng: np.random.Generator, kind: str) -> np.ndarray:
    """Lag weights summing to 1: geometric with its own rate, or a delayed Weibull bump."""
    lags = np.arange(MAX_LAG, dtype=float)
    if kind == "geometric":
        w = rng.uniform(0.1, 0.7) ** lags
    else:
        w = weibull_min.pdf(lags + 0.5, rng.uniform(1.5, 4.0), scale=rng.uniform(1.0, 5.0))
    return w / w.sum()


def make_set(seed: int, channels: int | None = None, periods: int | None = None, regions: int | None = None,
             correlated: bool | None = None, carryover: str | None = None) -> tuple[pd.DataFrame, MediaTruth]:
    """One weekly set (date, [region], one spend column per channel, sales, controls) and its truth.

    Arguments left as None are drawn from the seed: 3-6 channels, 104-208 weeks, regions in
    P_REGIONS of sets (regions=0 or 1 means one national series with no region column).
    """
    rng = np.random.default_rng(seed)
    n_ch = int(channels or rng.integers(3, 7))
    n_t = int(periods or rng.integers(104, 209))
    n_r = int(regions if regions is not None else (rng.integers(2, 6) if rng.random() < P_REGIONS else 0))
    has_region, n_r = n_r > 1, max(n_r, 1)
    paired = bool(rng.random() < P_CORRELATED if correlated is None else correlated) and n_ch >= 2
    kind = carryover or ("weibull" if rng.random() < P_WEIBULL else "geometric")
    names = [str(n) for n in rng.choice(CHANNEL_NAMES, n_ch, replace=False)]
    total = n_t + BURN_IN
    start = pd.Timestamp("2018-01-01") + pd.Timedelta(weeks=int(rng.integers(0, 200)))
    dates = pd.date_range(start, periods=total, freq="W-MON")
    season, holiday = _season(dates, rng), _holidays(dates)
    years = np.arange(total) / 52.0
    trend = 1 + rng.uniform(-0.1, 0.25) * years + rng.uniform(-0.05, 0.05) * years ** 2
    size = rng.lognormal(0.0, 0.5, n_r) if has_region else np.ones(1)
    size /= size.mean()

    competitor = 100 * np.exp(_ar1(rng, total, 0.8, 0.15))
    comp_z = (competitor - competitor.mean()) / competitor.std()
    reacting = int(rng.integers(n_ch)) if rng.random() < P_REACTS_TO_COMPETITOR else -1

    level = np.exp(rng.uniform(np.log(2e3), np.log(5e4), n_ch))
    wiggle = _ar1(rng, total, 0.7, 0.3, (n_ch,))
    on = np.array([_flights(rng, total) if rng.random() < P_FLIGHTED else np.ones(total) for _ in range(n_ch)])
    log_spend = wiggle + rng.uniform(0, 1.5, (n_ch, 1)) * season / 0.4 + 0.5 * holiday
    if reacting >= 0:
        log_spend[reacting] += 0.3 * comp_z
    regional = rng.normal(0, 0.25, (n_ch, n_r, total)) if has_region else np.zeros((n_ch, 1, total))
    if paired:  # bought together: the same plan, flights and regional split, with some week-to-week slack
        log_spend[1], on[1], regional[1] = log_spend[0], on[0], regional[0]
        regional[1] += rng.normal(0, PAIR_SLACK, (n_r, total))
    spend = level[:, None, None] * size[None, :, None] * np.exp(log_spend[:, None, :] + regional) * on[:, None, :]

    no_effect = int(rng.integers(n_ch))
    roi = np.where(np.arange(n_ch) == no_effect, 0.0, rng.uniform(*ROI_RANGE, n_ch))
    window = slice(BURN_IN, None)
    media = np.zeros((n_ch, n_r, total))
    for c in range(n_ch):
        adstocked = lfilter(_carryover_weights(rng, kind), [1.0], spend[c], axis=-1)
        half = rng.uniform(0.5, 2.5) * adstocked[:, window].mean(axis=1, keepdims=True)
        shape = rng.uniform(1.0, 2.5)
        response = size[:, None] * adstocked ** shape / (adstocked ** shape + half ** shape)
        scale = roi[c] * spend[c][:, window].sum() / response[:, window].sum()
        media[c] = scale * response
    spend_total = spend[:, :, window].sum(axis=(1, 2))
    media_total = (roi * spend_total).sum()

    holiday_lift, competitor_hit = rng.uniform(0.1, 0.3), rng.uniform(0.02, 0.08)
    baseline_shape = trend * (1 + season) * (1 + holiday_lift * holiday) * (1 - competitor_hit * comp_z)
    share = rng.uniform(*MEDIA_SHARE_RANGE)
    base_level = media_total * (1 - share) / share / (n_r * baseline_shape[window].sum())
    baseline = base_level * size[:, None] * baseline_shape
    noise = _ar1(rng, total, rng.uniform(0.0, 0.5), rng.uniform(*NOISE_CV_RANGE), (n_r,)) * base_level * size[:, None]
    sales = baseline + media.sum(axis=0) + noise

    rows = {"date": np.tile(dates[window], n_r)}
    if has_region:
        rows["region"] = np.repeat([f"region_{i + 1}" for i in range(n_r)], n_t)
    for c, name in enumerate(names):
        rows[name] = spend[c][:, window].ravel().round(2)
    rows[OUTCOME] = sales[:, window].ravel().round(2)
    rows["competitor_sales"] = np.tile(competitor[window], n_r).round(1)
    rows["holiday"] = np.tile(holiday[window], n_r)
    contribution = media[:, :, window].sum(axis=(1, 2))
    truth = MediaTruth(
        roi={n: float(contribution[c] / spend_total[c]) for c, n in enumerate(names)},
        contribution={n: float(contribution[c]) for c, n in enumerate(names)},
        spend={n: float(spend_total[c]) for c, n in enumerate(names)},
        no_effect=names[no_effect], correlated=(names[0], names[1]) if paired else None,
        carryover=kind, periods=n_t, regions=n_r)
    return pd.DataFrame(rows), truth
