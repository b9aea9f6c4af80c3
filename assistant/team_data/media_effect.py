"""What each channel's spend did to the outcome: a small, honest media-mix regression.

The outcome of each period (and region) is regressed on every channel's spend after two
transforms that marketing data need: carry-over (spend keeps working for a few periods) and
diminishing returns (x h / (x + h), h a multiple of the channel's mean spend in that region).
Beside the media terms sit region effects, a trend that may bend every half year, a yearly season
(Fourier terms, only with a year of data) and the team's controls; trend, season and controls are
scaled by each region's size, because a big region's December bump is bigger in units than a
small one's.

Carry-over has two settings, shared by all channels: the lag at which it peaks and the rate at
which it builds up to and fades from that peak (lag weights decay^|lag - peak|, summing to 1).
Peak 0 is the usual geometric adstock; a later peak is the delayed adstock that open-source
media-mix tools offer (pymc-marketing's delayed_adstock, Robyn's Weibull) for media such as TV
or print whose effect arrives some periods after the spend. Without it a delayed effect is forced
onto the weeks of the spend itself: the fitted curve is out of step with the outcome, a channel's
return leaks to channels whose spend happens to line up better, and weak channels come out
negative. The delayed shapes are broad on purpose (a bump around the peak, spread over several
periods): a spike some periods after the spend is not how media work, and with spikes, or many
peak lags, in the grid, the resamples whose holdout happens to favour one move an immediate
channel's effect off its spend entirely; a search channel with a clear return in two years of
weekly data then often got an interval through zero. One broad peak covers effects peaking
anywhere from about one to four periods after the spend, and costs the least such noise; with
less than a year of data it is not offered at all, as its holdout stretches are too short.
Spend before the first period is not in the data, but its carry-over runs into the first periods.
Leaving it out of the media terms but also out of the model makes those periods look as if every
channel had just started, worst for long and delayed carry-overs; guessing it (say, as the first
weeks' mean spend) is wrong whenever it was in fact zero, and even a few wrong periods bend the
season and trend enough to spoil the forecasts the choice rests on. So what it left behind is a
term of its own: the chosen carry-over's tail from steady spend before the data (a curve fading
over the first periods, scaled by region size), whose size the fit estimates; it is credited to
no channel.

Why ordinary least squares with unconstrained media coefficients, not ridge or NNLS: ridge pulls
correlated channels towards an equal split and every return towards zero, so its intervals are
tight around a biased answer; NNLS piles the resamples of any weak channel at exactly zero, so
"the interval contains zero" would be near automatic and tell the user nothing. Least squares
lets a coefficient land anywhere: when two channels move together the resamples spread between
them and the interval says so, and a no-effect channel's interval contains zero only when the
data are consistent with zero. Channels the data cannot tell apart at all (near-identical spend)
are fitted as one, and each member gets the range from none to all of their joint return.

Why one carry-over for all channels rather than one per channel: a choice per channel multiplies
the grid by itself once per channel, and every resample would need that search again. On the
development sets, handing the model each channel's true carry-over raised how often a return's
sign came out right by only two to three points (to 94%), with intervals too narrow once the
choice was no longer uncertain; a per-channel search, with its own choice noise, would get less.
What mostly limits a weak channel is how little its spend varies once carry-over has smoothed it.

Why a moving-block bootstrap of whole periods, repeating the choice of carry-over and saturation
in every resample: the model is always wrong in shape (real carry-over differs by channel, real
saturation is rarely this curve), and resampling residuals around the fitted model would treat it
as the truth and give intervals that are too narrow; resampling periods (spend and outcome
together, in blocks so that weeks-long shocks stay together) lets the intervals feel the misfit,
and re-choosing the transforms lets them feel how uncertain that choice is. The reported figure is
the median over resamples (bagging), which is steadier than one hard choice from a grid; the
interval runs from the 5th to the 95th percentile of the resamples.
Every fit goes through per-period sums of squares and cross-products, so 500 resamples cost a
few matrix products per grid point rather than 500 regressions; and since the baseline columns
are the same at every grid point, their block of each resample's normal equations is inverted
once, leaving each grid point only the few media coefficients to solve for.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.signal import lfilter, lfilter_zi

MIN_PERIODS = 26  # half a year of weeks: fewer cannot tell carry-over, trend and noise apart
PERIODS_PER_CHANNEL = 4  # each channel's coefficient needs several periods of its own behind it
DECAY_GRID = (0.0, 0.2, 0.4, 0.6, 0.8)  # carry-over from none to a half-life of about three periods
PEAK_GRID = (0, 2)  # carry-over peaks at once (geometric) or two periods after the spend (TV, print):
# with DELAYED_DECAY_GRID's spread, the later peak stands for effects peaking about one to four periods on
DELAYED_DECAY_GRID = (0.6, 0.8)  # a delayed effect is spread over weeks around its peak, never a late spike
DELAYED_MIN_DAYS = 364  # with less, each holdout stretch is a few periods: too few to tell a late effect
# from noise, and the extra shapes only give noise more ways to win the forecast comparison
SATURATION_GRID = (1.0, 2.0, 4.0, math.inf)  # half-response spend / mean spend (inf: a straight line);
# no sharper curve, because the return credited to spend is the area under the curve down to zero
# spend, which the data never show: a sharp curve invents a large return there
COLLINEAR_CORR = 0.8  # |corr| of two channels' within-region spend above which they are named together
INSEPARABLE_CORR = 0.995  # above this the data cannot split two channels at all: they are fitted as one
TREND_KNOT_DAYS = 182  # the trend may bend every half year: growth rarely keeps one pace for long
SEASON_MIN_DAYS = 364  # a yearly cycle needs a year of data, or it is indistinguishable from trend
SEASON_HARMONICS = 2  # yearly Fourier pairs: a peak and a trough, few enough for two years of weeks
HOLDOUT_FOLDS = 3  # rolling-origin folds: each forecasts a later stretch from everything before it
HOLDOUT_SHARE = 0.1  # each fold's share of the periods
BOOTSTRAP_DRAWS = 500  # enough for stable 5% and 95% percentiles
INTERVAL = 0.90  # the range users read as "likely"
BLOCK_POWER = 1 / 3  # block length ~ periods^(1/3), the usual rate for block bootstraps
MIN_BLOCK = 2  # shortest block: keeps at least neighbouring periods together
JITTER = 1e-9  # relative ridge on scaled columns: only keeps a resample without, say, any holiday solvable


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

    decay: the carry-over rate chosen on the data as they are (share of an effect left for the
        next period after the peak, and the rate it builds up before it), shared by all channels;
        resamples may choose differently.
    saturation: the half-response spend chosen, as a multiple of each channel's mean spend in its
        region (inf = straight line, no saturation).
    holdout_r2: out-of-sample R^2 of that choice over the rolling-origin folds: 1 - its squared
        forecast errors / those of forecasting each region's mean so far (0 = no better than that).
    too_little: why no model was fitted, in plain English; channels is empty then.
    peak: the lag (in periods) at which the chosen carry-over peaks: 0 is geometric adstock,
        more is delayed adstock (the effect builds up to that many periods after the spend).
    """

    outcome: str
    channels: list[ChannelEffect]
    periods: int
    regions: int
    decay: float
    saturation: float
    holdout_r2: float
    too_little: str | None = None
    peak: int = 0


def adstock(spend: np.ndarray, decay: float, peak: int = 0, before: np.ndarray | float = 0.0) -> np.ndarray:
    """Normalised carry-over along the last axis, peaking peak periods after the spend.

    Lag weights decay^|lag - peak|, scaled to sum to 1. With peak 0 this is geometric adstock,
    a_t = (1 - decay) x_t + decay a_{t-1}; with peak > 0 the effect builds up to the peak at the
    rate it fades after it (decay 0: a pure delay). The weights sum to 1, so the transform moves
    spend in time without changing its total (apart from what spills past the last period).
    before: spend in every period before the first (broadcast over the leading axes; 0: none).
    """
    rise = decay ** np.arange(peak, 0, -1.0)  # weights of lags 0 .. peak-1, before scaling
    b = np.zeros(peak + 1)  # rise + lag^peak / (1 - decay lag), over the denominator 1 - decay lag
    b[:peak] += rise
    b[1:] -= decay * rise
    b[peak] += 1.0
    b /= rise.sum() + 1.0 / (1.0 - decay)
    a = [1.0, -decay]
    if np.all(np.asarray(before) == 0):
        return lfilter(b, a, spend, axis=-1)
    state = lfilter_zi(b, a) * np.broadcast_to(before, spend.shape[:-1])[..., None]
    return lfilter(b, a, spend, axis=-1, zi=state)[0]


def saturate(x: np.ndarray, half: np.ndarray | float) -> np.ndarray:
    """Diminishing returns x h / (x + h): slope 1 at zero, half of its ceiling h at x = h."""
    if np.isinf(half).all():
        return x
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.nan_to_num(x * half / (x + half))


def _too_little(periods: int, channels: int) -> str | None:
    """The plain-English reason the data cannot support a media model, or None."""
    if periods < MIN_PERIODS:
        return (f"Only {periods} periods of data; a media model needs at least {MIN_PERIODS} "
                f"to separate carry-over, trend and noise.")
    if periods < PERIODS_PER_CHANNEL * channels:
        return (f"Only {periods} periods for {channels} channels; a media model needs at least "
                f"{PERIODS_PER_CHANNEL} periods per channel ({PERIODS_PER_CHANNEL * channels}).")
    return None


def _panel(frame: pd.DataFrame, spend: list[str], outcome: str, controls: list[str], date: str,
           region: str | None) -> tuple[np.ndarray, np.ndarray, np.ndarray, pd.DatetimeIndex]:
    """Arrays on the full region x period grid: spend (C,R,T), outcome (R,T), controls (K,R,T), dates.

    Missing spend is no spend; a missing outcome or control leaves that row out of the fit, but
    its spend still carries over into later periods.
    """
    needed = [date] + ([region] if region else []) + spend + [outcome] + controls
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise ValueError("fit_media: no column named " + ", ".join(repr(c) for c in missing))
    key = region or "__region__"
    df = frame[[date] + ([region] if region else []) + spend + [outcome] + controls].copy()
    df[date] = pd.to_datetime(df[date])
    if region is None:
        df[key] = "all"
    df = df.dropna(subset=[date, key])
    sums = df.groupby([key, date])[spend + [outcome]].sum(min_count=1)
    means = df.groupby([key, date])[controls].mean()
    dates = pd.DatetimeIndex(sorted(df[date].unique()))
    grid = pd.MultiIndex.from_product([sorted(df[key].unique(), key=str), dates])
    shape = (len(grid.levels[0]), len(dates))

    def cube(cols: list[str], table: pd.DataFrame) -> np.ndarray:
        arrays = [table[c].reindex(grid).to_numpy(float).reshape(shape) for c in cols]
        return np.stack(arrays) if arrays else np.zeros((0,) + shape)

    return np.nan_to_num(cube(spend, sums)), cube([outcome], sums)[0], cube(controls, means), dates


def _groups(corr: np.ndarray, cut: float) -> list[list[int]]:
    """Connected groups of channels whose |corr| >= cut (single linkage), in channel order."""
    parent = list(range(len(corr)))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for i in range(len(corr)):
        for j in range(i + 1, len(corr)):
            if abs(corr[i, j]) >= cut:
                parent[root(j)] = root(i)
    out: dict[int, list[int]] = {}
    for i in range(len(corr)):
        out.setdefault(root(i), []).append(i)
    return list(out.values())


def _trend_knots(dates: pd.DatetimeIndex, until: int) -> np.ndarray:
    """Days (from the first date) where the trend may bend, fitted on the periods before until.

    A bend needs half a spacing of data after it, or its slope is guessed from a few periods and
    a forecast from it runs wild.
    """
    days = (dates - dates[0]).days.to_numpy(float)
    last = days[until - 1] if until > 0 else 0.0
    return np.arange(TREND_KNOT_DAYS, last - TREND_KNOT_DAYS / 2 + 1, TREND_KNOT_DAYS)


def _baseline_design(dates: pd.DatetimeIndex, size: np.ndarray,
                     controls: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Non-media columns on the (R,T) grid: region effects, trend, season, controls (R, T, columns).

    Also returns, per column, the number of the trend bend it holds (-1 for other columns), so a
    forecast fold can leave out the bends it has too little data after.
    """
    n_r, n_t = len(size), len(dates)
    days = (dates - dates[0]).days.to_numpy(float)
    span = max(days[-1], 1.0)
    knots = _trend_knots(dates, n_t)
    shared = [days / span - 0.5] + [np.maximum(days - k, 0.0) / span for k in knots]
    if span >= SEASON_MIN_DAYS:
        angle = 2 * np.pi * dates.day_of_year.to_numpy(float) / 365.25
        for h in range(1, SEASON_HARMONICS + 1):
            shared += [np.sin(h * angle), np.cos(h * angle)]
    cols = [np.repeat(np.eye(n_r)[:, i:i + 1], n_t, axis=1) for i in range(n_r)]
    cols += [size[:, None] * s[None, :] for s in shared]
    for z in controls:
        sd = np.std(z)
        cols.append(size[:, None] * ((z - np.mean(z)) / sd if sd > 0 else np.zeros_like(z)))
    bend = np.full(len(cols), -1)
    bend[n_r + 1: n_r + 1 + len(knots)] = np.arange(len(knots))
    return np.stack(cols, axis=-1), bend


def _media_columns(spend: np.ndarray, decay: float, peak: int, saturation: float,
                   groups: list[list[int]]) -> np.ndarray:
    """Transformed spend, one column per group (members of a group summed): (R, T, groups)."""
    stocked = adstock(spend, decay, peak)
    half = saturation * stocked.mean(axis=-1, keepdims=True) if math.isfinite(saturation) else math.inf
    shaped = saturate(stocked, half)
    return np.stack([shaped[g].sum(axis=0) for g in groups], axis=-1)


def _carry_in(size: np.ndarray, n_t: int, decay: float, peak: int) -> np.ndarray:
    """What steady spend before the first period still adds in each period, by region size: (R, T, 1)."""
    return (size[:, None] * adstock(np.zeros(n_t), decay, peak, before=1.0))[..., None]


def _scaled(x: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Columns divided by their root mean square over the fitted rows, so one jitter suits all."""
    rms = np.sqrt((np.where(mask[..., None], x, 0.0) ** 2).sum(axis=(0, 1)) / max(mask.sum(), 1))
    return x / np.where(rms > 0, rms, 1.0)


def _segments(n_t: int) -> np.ndarray:
    """Per period: 0 before the first forecast stretch, f = 1..HOLDOUT_FOLDS inside stretch f."""
    h = max(2, round(n_t * HOLDOUT_SHARE))
    label = np.zeros(n_t, dtype=int)
    for f in range(1, HOLDOUT_FOLDS + 1):
        label[n_t - (HOLDOUT_FOLDS - f + 1) * h: n_t - (HOLDOUT_FOLDS - f) * h] = f
    return label


class _Fits:
    """Rolling-origin forecast errors and all-period coefficients, one per weighting, for any media columns.

    weights (W, T) counts how often each period appears in a resample (all ones: the data as
    they are). Each fold trains on the segments before its own and is scored on its own, all
    from weighted per-period sums of squares and cross-products. keep (folds, baseline columns)
    says which baseline columns each fold may use; a left-out column gets coefficient 0.
    The baseline columns are the same at every grid point, so their block of each training set's
    normal equations is inverted here, once; fit then solves only for the media coefficients,
    through the Schur complement of that block (partitioned least squares).
    """

    def __init__(self, base: np.ndarray, y: np.ndarray, mask: np.ndarray, weights: np.ndarray,
                 segment: np.ndarray, keep: np.ndarray) -> None:
        n_b, n_s = base.shape[-1], segment.max() + 1
        self.mask, self.weights = mask, weights
        self.parts = [segment == k for k in range(n_s)]
        xb, ym = np.where(mask[..., None], base, 0.0), np.where(mask, y, 0.0)
        self.n_b, self.xby = n_b, np.concatenate([xb, ym[..., None]], axis=-1)
        gram = self._segments(np.einsum("rtp,rtq->tpq", xb, xb))
        cross = self._segments(np.einsum("rtp,rt->tp", xb, ym))
        square = self._segments((ym ** 2).sum(axis=0))
        # training sets, one per segment: fold f (segments before f) for f = 1..n_s-1, then all periods
        use = np.vstack([keep, np.ones((1, n_b), dtype=bool)]).astype(float)
        both = use[:, None, :, None] * use[:, None, None, :]
        train = np.cumsum(gram, axis=0) * both
        size = np.einsum("swpp->sw", train) / use.sum(axis=-1)[:, None]
        self.jitter = JITTER * np.maximum(size, 1e-300)[..., None, None]
        # a left-out column gets a unit diagonal, so after masking its row and column of the inverse are 0
        unit = (1 - use)[:, None, None, :] * np.eye(n_b)
        self.inv = np.linalg.inv(train + self.jitter * np.eye(n_b) + unit) * both
        self.base_beta = self.inv @ (np.cumsum(cross, axis=0) * use[:, None, :])[..., None]  # (S, W, B, 1)
        self.test = (gram[1:], cross[1:, ..., None])
        h = self.base_beta[:-1, ..., 0]
        # each fold's forecast error with the baseline columns alone; fit corrects it for the media
        self.base_sse = (square[1:] - 2 * np.einsum("fwp,fwp->fw", h, cross[1:])
                         + np.einsum("fwp,fwpq,fwq->fw", h, gram[1:], h, optimize=True))

    def _segments(self, per_period: np.ndarray) -> np.ndarray:
        """Weighted sums over each segment's periods: (segments, W, ...)."""
        flat = per_period.reshape(len(per_period), -1)
        return np.stack([self.weights[:, p] @ flat[p] for p in self.parts]).reshape(
            (len(self.parts), len(self.weights)) + per_period.shape[1:])

    def fit(self, media: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Forecast error (W,) and all-period media coefficients (W, G) for media columns (R, T, G)."""
        xm = np.where(self.mask[..., None], media, 0.0)
        n_g, n_b = xm.shape[-1], self.n_b
        # per period, the media columns against themselves, the baseline columns and the outcome
        per = np.matmul(xm.transpose(1, 2, 0), np.concatenate([xm, self.xby], axis=-1).transpose(1, 0, 2))
        seg = self._segments(per)  # (S, W, G, G + B + 1)
        train = np.cumsum(seg, axis=0)
        mm, mb, my = train[..., :n_g], train[..., n_g:n_g + n_b], train[..., -1:]
        k = mb @ self.inv  # (S, W, G, B); 0 in the columns a fold leaves out
        schur = mm - k @ np.swapaxes(mb, -1, -2) + self.jitter * np.eye(n_g)
        beta = np.linalg.solve(schur, my - mb @ self.base_beta)  # (S, W, G, 1)
        # each fold's forecast error: the baseline-only error, corrected for the media terms and
        # for the change d they make to the baseline coefficients
        bm, bt = beta[:-1], np.swapaxes(beta[:-1], -1, -2)
        h, d = self.base_beta[:-1], -np.swapaxes(k[:-1], -1, -2) @ beta[:-1]
        gram, cross = self.test
        tm, tb, ty = seg[1:, ..., :n_g], seg[1:, ..., n_g:n_g + n_b], seg[1:, ..., -1:]
        sse = (self.base_sse
               + (bt @ (tm @ bm - 2 * ty + 2 * tb @ (h + d)))[..., 0, 0]
               + (np.swapaxes(d, -1, -2) @ (gram @ (2 * h + d) - 2 * cross))[..., 0, 0])
        return sse.sum(axis=0), beta[-1, ..., 0]


def _holdout_sst(y: np.ndarray, mask: np.ndarray, segment: np.ndarray) -> float:
    """The R^2 denominator: squared errors of the naive forecast "each region's mean so far"."""
    total = 0.0
    for f in range(1, segment.max() + 1):
        train, test = mask & (segment < f), mask & (segment == f)
        naive = (y * train).sum(axis=1, keepdims=True) / np.maximum(train.sum(axis=1, keepdims=True), 1)
        total += (((y - naive) ** 2) * test).sum()
    return total


def _block_weights(n_t: int, draws: int, rng: np.random.Generator) -> np.ndarray:
    """Circular moving-block resamples of the periods, as counts per period: (draws, n_t)."""
    block = max(MIN_BLOCK, math.ceil(n_t ** BLOCK_POWER))
    starts = rng.integers(0, n_t, (draws, math.ceil(n_t / block)))
    idx = ((starts[:, :, None] + np.arange(block)) % n_t).reshape(draws, -1)[:, :n_t]
    counts = np.zeros((draws, n_t))
    np.add.at(counts, (np.arange(draws)[:, None], idx), 1.0)
    return counts


def _region_size(y: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Each region's mean outcome relative to the average region (all ones when that makes no sense)."""
    mean = (y * mask).sum(axis=1) / np.maximum(mask.sum(axis=1), 1)
    size = mean / mean.mean() if mean.mean() > 0 else np.ones(len(mean))
    return size if np.all(size > 0) else np.ones(len(mean))


def _channel_groups(spend: np.ndarray) -> tuple[np.ndarray, list[list[int]]]:
    """Correlation of the channels' within-region spend, and the groups the model fits as one.

    A channel with no spend or spend that never varies is in no group: nothing can be learnt.
    """
    within = (spend - spend.mean(axis=-1, keepdims=True)).reshape(len(spend), -1)
    with np.errstate(invalid="ignore", divide="ignore"):
        corr = np.nan_to_num(np.atleast_2d(np.corrcoef(within)))
    active = [c for c in range(len(spend)) if within[c].std() > 0 and spend[c].sum() > 0]
    groups = [[active[i] for i in g] for g in _groups(corr[np.ix_(active, active)], INSEPARABLE_CORR)]
    return corr, groups


def _grid(delayed: bool = True) -> list[tuple[float, int, float]]:
    """Every (decay, peak, saturation) the search tries: geometric, and broad delayed carry-overs if delayed."""
    return [(d, p, k) for p in PEAK_GRID if delayed or p == 0
            for d in (DECAY_GRID if p == 0 else DELAYED_DECAY_GRID) for k in SATURATION_GRID]


def _search(spend: np.ndarray, size: np.ndarray, base: np.ndarray, y: np.ndarray, mask: np.ndarray,
            groups: list[list[int]], weights: np.ndarray, segment: np.ndarray, keep: np.ndarray,
            grid: list[tuple[float, int, float]]) -> tuple[np.ndarray, int, float]:
    """For every weighting, the grid point with the least forecast error and its group contributions.

    Each grid point fits the media columns and beside them the carry-in from spend before the
    data (its own coefficient, credited to no group). Returns contributions (groups, weightings),
    the grid index chosen on the data as they are (weighting 0) and that choice's forecast error.
    """
    n_g, n_t = len(groups), spend.shape[-1]
    best = np.full(len(weights), np.inf)
    contributions = np.zeros((n_g, len(weights)))
    chosen = 0
    fits = _Fits(_scaled(base, mask), y, mask, weights, segment, keep)
    for i, (decay, peak, sat) in enumerate(grid):
        x = _scaled(_media_columns(spend, decay, peak, sat, groups), mask)
        total = (x * mask[..., None]).sum(axis=(0, 1))
        sse, coef = fits.fit(np.concatenate([x, _scaled(_carry_in(size, n_t, decay, peak), mask)], axis=-1))
        better = np.nan_to_num(sse, nan=np.inf) < best
        contributions[:, better] = (coef[better, :n_g] * total).T
        best[better] = sse[better]
        chosen = i if better[0] else chosen
    return contributions, chosen, float(best[0])


def fit_media(frame: pd.DataFrame, spend: list[str], outcome: str, controls: list[str] = (),
              date: str = "date", region: str | None = None, seed: int = 0) -> MediaFit:
    """Estimate each channel's contribution and return on spend, with 90% bootstrap intervals.

    Carry-over (peak lag and decay: DECAY_GRID at peak 0, DELAYED_DECAY_GRID at a later peak, with
    DELAYED_MIN_DAYS of data) and saturation (SATURATION_GRID) are chosen by rolling-origin
    forecast error, on the data and again on every resample; contributions are the median over
    resamples and the interval their 5th to 95th percentile. seed fixes the resamples.
    """
    spend, controls = list(spend), list(controls)
    spend_arr, y, z, dates = _panel(frame, spend, outcome, controls, date, region)
    n_c, (n_r, n_t) = len(spend), y.shape
    reason = _too_little(n_t, n_c)
    if reason:
        return MediaFit(outcome, [], n_t, n_r, math.nan, math.nan, math.nan, reason)

    mask = np.isfinite(y) & np.isfinite(z).all(axis=0)
    y, z = np.where(mask, y, 0.0), np.where(np.isfinite(z), z, 0.0)
    size = _region_size(y, mask)
    base, bend = _baseline_design(dates, size, z)
    corr, groups = _channel_groups(spend_arr)
    segment = _segments(n_t)
    fold_starts = [int(np.argmax(segment == f)) for f in range(1, segment.max() + 1)]
    keep = np.array([bend < len(_trend_knots(dates, start))
                     for start in fold_starts]).reshape(len(fold_starts), -1)
    resamples = _block_weights(n_t, BOOTSTRAP_DRAWS, np.random.default_rng(seed))
    grid = _grid(delayed=(dates[-1] - dates[0]).days >= DELAYED_MIN_DAYS)
    contributions, chosen, sse = _search(spend_arr, size, base, y, mask, groups,
                                         np.vstack([np.ones((1, n_t)), resamples]), segment, keep, grid)
    sst = _holdout_sst(y, mask, segment)

    draws = contributions[:, 1:]
    quantiles = [(1 - INTERVAL) / 2, 1 - (1 - INTERVAL) / 2]
    spend_fit = (spend_arr * mask).sum(axis=(1, 2))
    effects: dict[int, tuple[float, float, float]] = {}
    for g, members in enumerate(groups):
        contrib, (low, high) = float(np.median(draws[g])), np.quantile(draws[g], quantiles)
        for c in members:
            if len(members) == 1:
                effects[c] = (contrib, low, high)
            else:
                effects[c] = (float(contrib * spend_fit[c] / spend_fit[members].sum()), min(0.0, low), max(0.0, high))

    positive = sum(max(e[0], 0.0) for e in effects.values())
    out = []
    for c, name in enumerate(spend):
        named = tuple(spend[j] for j in range(n_c) if j != c and abs(corr[c, j]) >= COLLINEAR_CORR)
        contrib, low, high = effects.get(c, (0.0, math.nan, math.nan))
        s = float(spend_fit[c])
        out.append(ChannelEffect(
            channel=name, contribution=contrib,
            contribution_share=max(contrib, 0.0) / positive if positive > 0 else 0.0,
            roi=contrib / s if c in effects else math.nan, roi_low=float(low / s), roi_high=float(high / s),
            spend=s, collinear_with=named))
    decay, peak, sat = grid[chosen]
    return MediaFit(outcome, out, n_t, n_r, float(decay), float(sat),
                    1 - sse / sst if sst > 0 else math.nan, peak=int(peak))
