"""What each channel's spend did to the outcome: a small, honest media-mix regression.

The outcome of each period (and region) is regressed on every channel's spend after two
transforms that marketing data needs: carry-over (spend keeps working for a few periods;
normalised geometric adstock) and diminishing returns (x / (x + h), h a multiple of the
channel's mean spend in that region). Beside the media terms sit region effects, a trend, a
yearly season (Fourier terms, only with a year of data) and the team's controls, all scaled by
each region's size, because a big region's December bump is bigger in units than a small one's.

Why ordinary least squares with unconstrained media coefficients, not ridge or NNLS: ridge pulls
correlated channels towards an equal split and shrinks every return towards zero, so its
bootstrap intervals are tight around a biased answer; NNLS piles the bootstrap mass of any weak
channel at exactly zero, so "the interval contains zero" would be near automatic and tell the
user nothing. Plain least squares lets a channel's coefficient land anywhere, so when two
channels move together the bootstrap spreads between them and the interval says so, and a
no-effect channel's interval contains zero only when the data are consistent with zero.
Channels the data cannot tell apart at all (near-identical spend) are fitted as one, and each
member gets the range from none to all of the pair's return.

Why a block bootstrap of residuals: the design (spend, season, controls) is fixed by the team,
the noise is what repeats differently; residuals are resampled in blocks of consecutive periods,
the same blocks in every region, so demand shocks that last weeks and hit all regions at once
keep their weight. With the design fixed each draw is one matrix product, which keeps 20
channels x 5,000 rows within seconds.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.signal import lfilter

MIN_PERIODS = 26  # half a year of weeks: fewer cannot tell carry-over, trend and noise apart
PERIODS_PER_CHANNEL = 4  # each channel's coefficient needs several periods of its own behind it
DECAY_GRID = (0.0, 0.2, 0.4, 0.6, 0.8)  # carry-over from none to a half-life of about three periods
SATURATION_GRID = (0.5, 1.0, 2.0, 4.0, math.inf)  # half-response spend / mean spend; inf = no saturation
COLLINEAR_CORR = 0.8  # |corr| of two channels' within-region spend above which they are named together
INSEPARABLE_CORR = 0.995  # above this the data cannot split two channels at all: they are fitted as one
TREND_KNOT_DAYS = 182  # the trend may bend twice a year: growth rarely keeps one pace for long
SEASON_MIN_DAYS = 364  # a yearly cycle needs a year of data, or it is indistinguishable from trend
SEASON_HARMONICS = 2  # yearly Fourier pairs: a peak and a trough, few enough for two years of weeks
CV_MODE = 'forecast'
POINT = 'fit'
RESAMPLE = 'pairs'
JITTER = 1e-9
INTERVAL_KIND = 'basic'
CV_BLOCKS = 5
CV_GAP = 4
HOLDOUT_FOLDS = 3  # rolling-origin folds: each forecasts a later stretch from everything before it
HOLDOUT_SHARE = 0.1  # each fold's share of the periods
BOOTSTRAP_DRAWS = 500  # enough for stable 5% and 95% percentiles; each draw is one matrix product
INTERVAL = 0.90  # the interval users read as "likely range"
BLOCK_POWER = 1 / 3  # block length ~ periods^(1/3), the usual rate for block bootstraps
MAX_LEVERAGE = 0.99  # caps the inflation of a residual at a period the fit passes through almost exactly
LEVERAGE=True
MIN_BLOCK = 2  # shortest block: keeps at least one period of autocorrelation


@dataclass(frozen=True)
class ChannelEffect:
    """One channel's estimated effect over the whole period.

    contribution: outcome attributed to the channel's spend, summed over periods and regions.
    contribution_share: max(contribution, 0) / sum of all channels' positive contributions
        (0 for a channel whose estimate is negative), so the shares of channels that helped add to 1.
    roi: contribution / spend; roi_low and roi_high: its 90% bootstrap interval.
    collinear_with: channels whose spend moves with this one (|corr| >= COLLINEAR_CORR); their
        split is uncertain and the interval shows it. roi is nan for a channel with no spend or
        spend that never varies (nothing to learn from).
    """

    channel: str
    contribution: float
    contribution_share: float
    roi: float
    roi_low: float
    roi_high: float
    spend: float
    collinear_with: tuple[str, ...] = ()


@dataclass(frozen=True)
class MediaFit:
    """The fitted model: per-channel effects and the choices behind them.

    decay: the shared geometric carry-over rate (share of an effect left for the next period).
    saturation: half-response spend as a multiple of the channel's mean spend (inf = straight line).
    holdout_r2: out-of-sample R^2 over the rolling-origin folds, against each region's mean of the
        forecast stretch (so region size differences do not flatter it).
    too_little: why no model was fitted, in plain English; channels is empty then.
    """

    outcome: str
    channels: list[ChannelEffect]
    periods: int
    regions: int
    decay: float
    saturation: float
    holdout_r2: float
    too_little: str | None = None


def adstock(spend: np.ndarray, decay: float) -> np.ndarray:
    """Normalised geometric carry-over along the last axis: a_t = (1 - decay) x_t + decay a_{t-1}.

    The weights (1 - decay) * decay^lag sum to 1, so the transform moves spend in time without
    changing its total (apart from what spills past the last period).
    """
    return lfilter([1.0 - decay], [1.0, -decay], spend, axis=-1)


def saturate(x: np.ndarray, half: np.ndarray | float) -> np.ndarray:
    """Diminishing returns x * h / (x + h): slope 1 at zero, half of its ceiling h at x = h."""
    if np.isinf(half).all():
        return x
    with np.errstate(invalid="ignore", divide="ignore"):
        out = x * half / (x + half)
    return np.nan_to_num(out)


def _too_little(outcome: str, periods: int, regions: int, channels: int) -> str | None:
    """The plain-English reason the data cannot support a media model, or None."""
    if periods < MIN_PERIODS:
        return (f"Only {periods} periods of data; a media model needs at least {MIN_PERIODS} "
                f"to separate carry-over, trend and noise.")
    if periods < PERIODS_PER_CHANNEL * channels:
        return (f"Only {periods} periods for {channels} channels; a media model needs at least "
                f"{PERIODS_PER_CHANNEL} periods per channel ({PERIODS_PER_CHANNEL * channels}).")
    return None


def _panel(frame: pd.DataFrame, spend: list[str], outcome: str, controls: list[str], date: str,
           region: str | None) -> tuple[np.ndarray, np.ndarray, np.ndarray, pd.DatetimeIndex, list]:
    """Arrays on the full region x period grid: spend (C,R,T), outcome (R,T), controls (K,R,T).

    Missing spend is no spend; a missing outcome or control leaves that row out of the fit but
    its spend still carries over into later periods.
    """
    df = frame[[date] + ([region] if region else []) + list(spend) + [outcome] + list(controls)].copy()
    df[date] = pd.to_datetime(df[date])
    key = "__region__" if region is None else region
    if region is None:
        df[key] = "all"
    sums = df.groupby([key, date])[list(spend) + [outcome]].sum(min_count=1)
    means = df.groupby([key, date])[list(controls)].mean()
    dates = pd.DatetimeIndex(sorted(df[date].dropna().unique()))
    regions = sorted(df[key].dropna().unique(), key=str)
    grid = pd.MultiIndex.from_product([regions, dates])
    shape = (len(regions), len(dates))
    cube = lambda cols, t: np.stack([t[c].reindex(grid).to_numpy(float).reshape(shape) for c in cols]) \
        if cols else np.zeros((0,) + shape)
    spend_arr = np.nan_to_num(cube(list(spend), sums))
    return spend_arr, cube([outcome], sums)[0], cube(list(controls), means), dates, regions


def _groups(corr: np.ndarray, cut: float) -> list[list[int]]:
    """Connected groups of channels whose |corr| >= cut (single-linkage), in channel order."""
    n = len(corr)
    parent = list(range(n))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for i in range(n):
        for j in range(i + 1, n):
            if abs(corr[i, j]) >= cut:
                parent[root(j)] = root(i)
    out: dict[int, list[int]] = {}
    for i in range(n):
        out.setdefault(root(i), []).append(i)
    return list(out.values())


def _baseline_design(dates: pd.DatetimeIndex, size: np.ndarray, controls: np.ndarray) -> np.ndarray:
    """Non-media columns on the (R,T) grid: region effects, trend, season, controls, scaled by region size."""
    n_r, n_t = len(size), len(dates)
    days = (dates - dates[0]).days.to_numpy(float)
    span = max(days[-1], 1.0)
    shared = [days / span - 0.5]
    knots = np.arange(TREND_KNOT_DAYS, span - TREND_KNOT_DAYS / 2, TREND_KNOT_DAYS)
    shared += [np.maximum(days - k, 0.0) / span for k in knots]
    if (dates[-1] - dates[0]).days >= SEASON_MIN_DAYS:
        angle = 2 * np.pi * dates.day_of_year.to_numpy(float) / 365.25
        for h in range(1, SEASON_HARMONICS + 1):
            shared += [np.sin(h * angle), np.cos(h * angle)]
    cols = [np.broadcast_to(np.eye(n_r)[:, :, None], (n_r, n_r, n_t))[i] for i in range(n_r)]
    cols += [size[:, None] * s[None, :] for s in shared]
    for z in controls:
        sd = np.nanstd(z)
        cols.append(size[:, None] * ((z - np.nanmean(z)) / sd if sd > 0 else np.zeros_like(z)))
    return np.stack(cols, axis=-1)  # (R, T, columns)


def _media_columns(spend: np.ndarray, decay: float, saturation: float, groups: list[list[int]]) -> np.ndarray:
    """Transformed spend, one column per group (members of a group summed): (R, T, groups)."""
    stocked = adstock(spend, decay)
    half = saturation * stocked.mean(axis=-1, keepdims=True) if math.isfinite(saturation) else math.inf
    shaped = saturate(stocked, half)
    return np.stack([shaped[g].sum(axis=0) for g in groups], axis=-1)


def _folds(period: np.ndarray, n_t: int, n_cols: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """(train, test) row masks for validation.

    CV_MODE "forecast": rolling origin, each stretch forecast from all periods before it.
    CV_MODE "blocked": contiguous blocks, each predicted from the periods on both sides with a gap.
    """
    out = []
    if CV_MODE == "forecast":
        h = max(2, round(n_t * HOLDOUT_SHARE))
        for f in range(HOLDOUT_FOLDS, 0, -1):
            start, stop = n_t - f * h, n_t - (f - 1) * h
            train, test = period < start, (period >= start) & (period < stop)
            if train.sum() > n_cols and test.any():
                out.append((train, test))
        return out
    edges = np.linspace(0, n_t, CV_BLOCKS + 1).round().astype(int)
    for start, stop in zip(edges[:-1], edges[1:]):
        test = (period >= start) & (period < stop)
        train = (period < start - CV_GAP) | (period >= stop + CV_GAP)
        if train.sum() > n_cols and test.any():
            out.append((train, test))
    return out


def _forecast_sse(x: np.ndarray, ys: np.ndarray, folds: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """Summed squared forecast error over the folds, one per column of ys (rows x series)."""
    sse = np.zeros(ys.shape[1])
    for train, test in folds:
        beta = np.linalg.pinv(x[train]) @ ys[train]
        sse += ((ys[test] - x[test] @ beta) ** 2).sum(axis=0)
    return sse


def _fold_sst(y: np.ndarray, region: np.ndarray, folds: list[tuple[np.ndarray, np.ndarray]]) -> float:
    """Squares of the forecast stretches about each region's own mean there: the R^2 denominator."""
    sst = 0.0
    for _, test in folds:
        for r in np.unique(region[test]):
            part = y[test & (region == r)]
            sst += ((part - part.mean()) ** 2).sum()
    return sst


def _modified_residuals(x: np.ndarray, resid: np.ndarray) -> np.ndarray:
    """Residuals divided by sqrt(1 - leverage) and re-centred (Davison & Hinkley): fitted residuals
    are smaller than the noise, most at unusual periods such as flights and holidays, and
    resampling them as they are would make the intervals too narrow."""
    q = np.linalg.qr(x)[0] if LEVERAGE else np.zeros((len(x), 0))
    leverage = np.minimum((q ** 2).sum(axis=1), MAX_LEVERAGE)
    out = resid / np.sqrt(1 - leverage)
    return out - out.mean()


def _wild_signs(n_t: int, draws: int, rng: np.random.Generator) -> np.ndarray:
    """Random signs shared by blocks of consecutive periods, each block's start shifted at random: (n_t, draws)."""
    block = max(MIN_BLOCK, math.ceil(n_t ** BLOCK_POWER))
    offset = rng.integers(0, block, draws)
    which = (np.arange(n_t)[:, None] + offset[None, :]) // block
    signs = rng.choice([-1.0, 1.0], (which.max() + 1, draws))
    return np.take_along_axis(signs, which, axis=0)


def _segments(n_t: int) -> np.ndarray:
    """Per period: 0 before the first forecast stretch, f = 1..HOLDOUT_FOLDS inside stretch f."""
    h = max(2, round(n_t * HOLDOUT_SHARE))
    label = np.zeros(n_t, dtype=int)
    for f in range(1, HOLDOUT_FOLDS + 1):
        label[n_t - (HOLDOUT_FOLDS - f + 1) * h: n_t - (HOLDOUT_FOLDS - f) * h] = f
    return label


def _weighted_fits(x: np.ndarray, y: np.ndarray, mask: np.ndarray, weights: np.ndarray,
                   segment: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Forecast error summed over the rolling-origin folds, and coefficients on all periods, per weighting.

    weights (draws, T) counts how often each period is in a resample (all ones: the data as they
    are). Everything goes through per-period sums of squares and cross-products, so a thousand
    resamples cost a few matrix products rather than a thousand regressions.
    """
    n_p = x.shape[-1]
    xm = np.where(mask[..., None], x, 0.0)
    ym = np.where(mask, y, 0.0)
    gram = np.einsum("rtp,rtq->tpq", xm, xm).reshape(len(segment), -1)
    cross = np.einsum("rtp,rt->tp", xm, ym)
    sq = (ym ** 2).sum(axis=0)
    n_seg = segment.max() + 1
    seg_gram = np.stack([weights[:, segment == k] @ gram[segment == k] for k in range(n_seg)])
    seg_cross = np.stack([weights[:, segment == k] @ cross[segment == k] for k in range(n_seg)])
    seg_sq = np.stack([weights[:, segment == k] @ sq[segment == k] for k in range(n_seg)])
    seg_gram = seg_gram.reshape(n_seg, -1, n_p, n_p)
    jitter = JITTER * np.eye(n_p)

    def solve(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        scale = np.maximum(np.trace(a, axis1=-2, axis2=-1) / n_p, 1e-300)[:, None, None]
        return np.linalg.solve(a + jitter * scale, b[..., None])[..., 0]

    sse = np.zeros(weights.shape[0])
    for f in range(1, n_seg):
        beta = solve(seg_gram[:f].sum(axis=0), seg_cross[:f].sum(axis=0))
        quad = np.einsum("bp,bpq,bq->b", beta, seg_gram[f], beta)
        sse += seg_sq[f] - 2 * np.einsum("bp,bp->b", beta, seg_cross[f]) + quad
    return sse, solve(seg_gram.sum(axis=0), seg_cross.sum(axis=0))


def _scaled(x: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Columns divided by their root mean square over the fitted rows, so one jitter suits all."""
    rms = np.sqrt((np.where(mask[..., None], x, 0.0) ** 2).sum(axis=(0, 1)) / max(mask.sum(), 1))
    return x / np.where(rms > 0, rms, 1.0)


def _block_draws(n_t: int, draws: int, rng: np.random.Generator) -> np.ndarray:
    """Period indices for circular moving-block resampling: (draws, n_t)."""
    block = max(MIN_BLOCK, math.ceil(n_t ** BLOCK_POWER))
    starts = rng.integers(0, n_t, (draws, math.ceil(n_t / block)))
    idx = (starts[:, :, None] + np.arange(block)[None, None, :]) % n_t
    return idx.reshape(draws, -1)[:, :n_t]


def fit_media(frame: pd.DataFrame, spend: list[str], outcome: str, controls: list[str] = (),
              date: str = "date", region: str | None = None, seed: int = 0) -> MediaFit:
    """Estimate each channel's contribution and return on spend, with 90% bootstrap intervals.

    Carry-over and saturation are chosen together from DECAY_GRID x SATURATION_GRID by
    rolling-origin forecast error, then the chosen model is fitted on all periods.
    """
    spend, controls = list(spend), list(controls)
    spend_arr, y, z, dates, regions = _panel(frame, spend, outcome, controls, date, region)
    n_c, (n_r, n_t) = len(spend), y.shape
    reason = _too_little(outcome, n_t, n_r, n_c)
    if reason:
        return MediaFit(outcome, [], n_t, n_r, math.nan, math.nan, math.nan, reason)

    mask = np.isfinite(y) & np.isfinite(z).all(axis=0)
    z = np.where(np.isfinite(z), z, 0.0)
    region_mean = np.array([np.nanmean(np.where(mask[r], y[r], np.nan)) for r in range(n_r)])
    size = region_mean / np.nanmean(region_mean)
    if not np.all(np.isfinite(size) & (size > 0)):
        size = np.ones(n_r)
    base = _baseline_design(dates, size, z)

    demeaned = spend_arr - spend_arr.mean(axis=-1, keepdims=True)
    flat = demeaned.reshape(n_c, -1)
    active = [c for c in range(n_c) if flat[c].std() > 0 and spend_arr[c].sum() > 0]
    with np.errstate(invalid="ignore", divide="ignore"):
        corr = np.nan_to_num(np.corrcoef(flat)) if n_c > 1 else np.ones((1, 1))
    sub = corr[np.ix_(active, active)]
    groups = [[active[i] for i in g] for g in _groups(sub, INSEPARABLE_CORR)]

    grid = [(d, k) for d in DECAY_GRID for k in SATURATION_GRID]
    period = np.broadcast_to(np.arange(n_t), (n_r, n_t))[mask]
    region_of = np.broadcast_to(np.arange(n_r)[:, None], (n_r, n_t))[mask]
    designs = [np.concatenate([_media_columns(spend_arr, d, k, groups), base], axis=-1) for d, k in grid]
    folds = _folds(period, n_t, designs[0].shape[-1])
    ym = y[mask]
    scores = [_forecast_sse(x[mask], ym[:, None], folds)[0] for x in designs]
    chosen = int(np.argmin(scores))
    sst = _fold_sst(ym, region_of, folds)
    holdout_r2 = 1 - scores[chosen] / sst if sst > 0 else math.nan

    n_g = len(groups)
    if RESAMPLE == "pairs":
        segment = _segments(n_t)
        rng = np.random.default_rng(seed)
        idx = _block_draws(n_t, BOOTSTRAP_DRAWS, rng)
        counts = np.zeros((BOOTSTRAP_DRAWS, n_t))
        np.add.at(counts, (np.arange(BOOTSTRAP_DRAWS)[:, None], idx), 1.0)
        weights = np.vstack([np.ones((1, n_t)), counts])
        best_sse = np.full(BOOTSTRAP_DRAWS + 1, np.inf)
        all_draws = np.zeros((n_g, BOOTSTRAP_DRAWS + 1))
        totals = []
        for x in designs:
            xs = _scaled(x, mask)
            total = np.where(mask[..., None], xs[..., :n_g], 0.0).sum(axis=(0, 1))
            totals.append(total)
            sse, coef = _weighted_fits(xs, y, mask, weights, segment)
            better = sse < best_sse
            all_draws[:, better] = (coef[better, :n_g] * total).T
            best_sse[better] = sse[better]
        draws = all_draws[:, 1:]
        beta = all_draws[:, 0] / np.where(totals[chosen] != 0, totals[chosen], 1.0)
        totals[chosen] = np.where(totals[chosen] != 0, totals[chosen], 1.0)
    else:
      xm = designs[chosen][mask]
      beta = np.linalg.pinv(xm) @ ym
      fitted = xm @ beta
      resid = np.zeros_like(y)
      resid[mask] = _modified_residuals(xm, ym - fitted)
      rng = np.random.default_rng(seed)
      if RESAMPLE == "wild":
        ys = fitted[:, None] + (resid[..., None] * _wild_signs(n_t, BOOTSTRAP_DRAWS, rng)[None])[mask]
      else:
        idx = _block_draws(n_t, BOOTSTRAP_DRAWS, rng)
        ys = fitted[:, None] + np.moveaxis(resid[:, idx], 1, -1)[mask]  # (rows, draws)
      totals = [np.where(mask[..., None], x[..., :n_g], 0.0).sum(axis=(0, 1)) for x in designs]
      best_sse = np.full(BOOTSTRAP_DRAWS, np.inf)
      draws = np.zeros((n_g, BOOTSTRAP_DRAWS))
      for x, total in zip(designs, totals):
        sse = _forecast_sse(x[mask], ys, folds)
        better = sse < best_sse
        if better.any():
            coef = np.linalg.pinv(x[mask])[:n_g] @ ys[:, better]
            draws[:, better] = coef * total[:, None]
            best_sse[better] = sse[better]
    decay, sat = grid[chosen]

    lo_q, hi_q = (1 - INTERVAL) / 2, 1 - (1 - INTERVAL) / 2
    spend_fit = np.where(mask[None], spend_arr, 0.0).sum(axis=(1, 2))
    effects: dict[int, tuple[float, float, float]] = {}
    for g, members in enumerate(groups):
        contrib = beta[g] * totals[chosen][g]
        if POINT == "bagged":
            contrib = float(np.median(draws[g]))
        elif POINT == "mean":
            contrib = float(np.mean(draws[g]))
        low, high = np.quantile(draws[g], [lo_q, hi_q])
        if INTERVAL_KIND == "basic":
            low, high = 2 * contrib - high, 2 * contrib - low
        group_spend = spend_fit[members].sum()
        for c in members:
            if len(members) == 1:
                effects[c] = (contrib, low, high)
            else:
                effects[c] = (contrib * spend_fit[c] / group_spend, min(0.0, low), max(0.0, high))

    positive = sum(max(e[0], 0.0) for e in effects.values())
    out = []
    for c, name in enumerate(spend):
        named = tuple(spend[j] for j in range(n_c) if j != c and abs(corr[c, j]) >= COLLINEAR_CORR)
        if c not in effects:
            out.append(ChannelEffect(name, 0.0, 0.0, math.nan, math.nan, math.nan, float(spend_fit[c]), named))
            continue
        contrib, low, high = effects[c]
        s = spend_fit[c]
        out.append(ChannelEffect(
            channel=name, contribution=float(contrib),
            contribution_share=float(max(contrib, 0.0) / positive) if positive > 0 else 0.0,
            roi=float(contrib / s), roi_low=float(low / s), roi_high=float(high / s),
            spend=float(s), collinear_with=named))
    return MediaFit(outcome, out, n_t, n_r, float(decay), float(sat), float(holdout_r2))
