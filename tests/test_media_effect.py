"""fit_media: what each channel's spend did to the outcome, with honest intervals.

Each test states one behaviour a user would notice: a channel that works gets a positive return
close to the truth, one that does nothing gets an interval through zero, too little data gets a
plain reason instead of numbers, channels bought together are named and not split with false
confidence, regions pool, and a control that drives sales is not credited to a channel.
"""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from assistant.evaluation.synthetic_media import make_set
from assistant.team_data.media_effect import COLLINEAR_CORR, adstock, fit_media, saturate

WEEKS = 104
BASELINE = 50_000.0


def _weekly(weeks: int = WEEKS, seed: int = 0, regions: int = 0) -> tuple[pd.DataFrame, np.random.Generator]:
    """Dates (and regions) with two years of weekly rows and a seeded generator for the rest."""
    dates = pd.date_range("2022-01-03", periods=weeks, freq="W-MON")
    rng = np.random.default_rng(seed)
    if not regions:
        return pd.DataFrame({"date": dates}), rng
    return pd.DataFrame({"date": np.tile(dates, regions),
                         "region": np.repeat([f"r{i}" for i in range(regions)], weeks)}), rng


def _spend(rng: np.random.Generator, n: int, level: float = 1000.0) -> np.ndarray:
    return level * rng.lognormal(0.0, 0.5, n)


def _by_name(fit) -> dict:
    return {c.channel: c for c in fit.channels}


def test_adstock_hand_worked() -> None:
    """Carry-over with decay 0.5 on one burst of 100: a_t = 0.5 x_t + 0.5 a_(t-1).

    Week 1: 0.5 * 100 = 50. Week 2: 0.5 * 0 + 0.5 * 50 = 25. Week 3: 0.5 * 25 = 12.5.
    The 87.5 shown plus the 12.5 still to come after week 3 make the original 100: carry-over
    moves spend in time without inventing any. Saturation x h / (x + h) with h = 100 halves a
    spend of 100 (100 * 100 / 200 = 50) and barely touches a spend of 1 (1 * 100 / 101).
    """
    assert adstock(np.array([100.0, 0.0, 0.0]), 0.5) == pytest.approx([50.0, 25.0, 12.5])
    assert adstock(np.array([100.0, 0.0, 0.0]), 0.0) == pytest.approx([100.0, 0.0, 0.0])
    assert saturate(np.array([100.0, 1.0]), 100.0) == pytest.approx([50.0, 100 / 101])


def test_strong_channel_is_found_and_idle_channel_is_not() -> None:
    """Search returns 3 per unit of spend after carry-over; display does nothing."""
    frame, rng = _weekly(seed=1)
    frame["search"], frame["display"] = _spend(rng, WEEKS), _spend(rng, WEEKS)
    effect = 3.0 * adstock(frame["search"].to_numpy(), 0.5)
    frame["sales"] = BASELINE + effect + rng.normal(0, 1000, WEEKS)
    truth = effect.sum() / frame["search"].sum()

    fit = fit_media(frame, ["search", "display"], "sales")
    search, display = _by_name(fit)["search"], _by_name(fit)["display"]

    assert fit.too_little is None and fit.periods == WEEKS and fit.regions == 1
    assert search.roi_low > 0, "a strong channel's interval excludes zero"
    assert search.roi == pytest.approx(truth, rel=0.2)
    assert search.roi_low <= truth <= search.roi_high
    assert display.roi_low <= 0 <= display.roi_high, "a channel with no effect keeps zero in its interval"
    assert search.roi == pytest.approx(search.contribution / search.spend)
    assert search.spend == pytest.approx(frame["search"].sum())
    shares = [c.contribution_share for c in fit.channels if c.contribution > 0]
    assert sum(shares) == pytest.approx(1.0) and search.contribution_share > 0.8


def test_twenty_periods_is_too_little() -> None:
    frame, rng = _weekly(weeks=20)
    frame["search"], frame["sales"] = _spend(rng, 20), rng.normal(BASELINE, 1000, 20)

    fit = fit_media(frame, ["search"], "sales")

    assert fit.channels == [] and fit.periods == 20
    assert "20 periods" in fit.too_little


def test_fewer_than_four_periods_per_channel_is_too_little() -> None:
    frame, rng = _weekly(weeks=30)
    names = [f"channel_{i}" for i in range(8)]
    for name in names:
        frame[name] = _spend(rng, 30)
    frame["sales"] = rng.normal(BASELINE, 1000, 30)

    fit = fit_media(frame, names, "sales")

    assert fit.channels == []
    assert "30 periods for 8 channels" in fit.too_little and "32" in fit.too_little


def test_identical_spends_are_named_together_and_not_split_with_false_confidence() -> None:
    """TV and radio were always bought together; only TV works, but no data could tell."""
    frame, rng = _weekly(seed=2)
    frame["tv"] = _spend(rng, WEEKS)
    frame["radio"] = frame["tv"]
    frame["search"] = _spend(rng, WEEKS)
    effect = 2.0 * adstock(frame["tv"].to_numpy(), 0.4) + 1.0 * adstock(frame["search"].to_numpy(), 0.4)
    frame["sales"] = BASELINE + effect + rng.normal(0, 500, WEEKS)

    fit = _by_name(fit_media(frame, ["tv", "radio", "search"], "sales"))

    assert fit["tv"].collinear_with == ("radio",) and fit["radio"].collinear_with == ("tv",)
    assert fit["search"].collinear_with == ()
    assert fit["tv"].roi == pytest.approx(fit["radio"].roi), "no arbitrary split: each gets the pair's rate"
    for name in ("tv", "radio"):
        assert fit[name].roi_low <= 0, f"{name} may have done nothing"
        assert fit[name].roi_high >= 1.8, f"{name} may have done all of the pair's work"
    assert fit["search"].roi_high - fit["search"].roi_low < fit["tv"].roi_high - fit["tv"].roi_low


def test_correlated_but_separable_channels_are_named() -> None:
    """Spends that move together (but not identically) are named, and still fitted one by one."""
    frame, rng = _weekly(seed=3)
    common = _spend(rng, WEEKS)
    frame["social"] = common
    frame["video"] = common * rng.lognormal(0, 0.15, WEEKS)
    frame["sales"] = BASELINE + 1.5 * adstock(common, 0.3) + rng.normal(0, 800, WEEKS)
    corr = np.corrcoef(frame["social"], frame["video"])[0, 1]

    fit = _by_name(fit_media(frame, ["social", "video"], "sales"))

    assert corr >= COLLINEAR_CORR
    assert fit["social"].collinear_with == ("video",)
    assert fit["social"].roi != pytest.approx(fit["video"].roi)


def test_regions_are_pooled_with_their_own_levels() -> None:
    """Three regions of different sizes share one return per unit of spend."""
    weeks, regions = WEEKS, 3
    frame, rng = _weekly(weeks=weeks, seed=4, regions=regions)
    size = np.repeat([0.5, 1.0, 2.0], weeks)
    frame["search"] = _spend(rng, weeks * regions) * size
    frame["print"] = _spend(rng, weeks * regions) * size
    stocked = np.concatenate([adstock(frame["search"].to_numpy()[r * weeks:(r + 1) * weeks], 0.3)
                              for r in range(regions)])
    frame["sales"] = BASELINE * size + 2.0 * stocked + rng.normal(0, 500, weeks * regions) * size
    truth = 2.0 * stocked.sum() / frame["search"].sum()

    fit = fit_media(frame, ["search", "print"], "sales", region="region")
    search, printed = _by_name(fit)["search"], _by_name(fit)["print"]

    assert fit.regions == regions and fit.periods == weeks
    assert search.roi == pytest.approx(truth, rel=0.2) and search.roi_low > 0
    assert printed.roi_low <= 0 <= printed.roi_high


def test_a_control_that_drives_sales_is_not_credited_to_a_channel_that_follows_it() -> None:
    """Category demand (seen in competitor sales) lifts our sales; TV is bought when demand is high.

    TV itself does nothing. Without the control the model credits TV; with it, it does not.
    """
    frame, rng = _weekly(seed=5)
    demand = np.convolve(rng.normal(0, 1, WEEKS + 7), np.ones(8) / np.sqrt(8), mode="valid")
    frame["competitor_sales"] = 20_000 + 3_000 * demand
    frame["tv"] = 1000 * np.exp(0.5 * demand + rng.normal(0, 0.3, WEEKS))
    frame["search"] = _spend(rng, WEEKS)
    frame["sales"] = (BASELINE + 5_000 * demand + 2.0 * adstock(frame["search"].to_numpy(), 0.3)
                      + rng.normal(0, 800, WEEKS))

    with_control = _by_name(fit_media(frame, ["tv", "search"], "sales", controls=["competitor_sales"]))
    without = _by_name(fit_media(frame, ["tv", "search"], "sales"))

    assert without["tv"].roi_low > 0, "the test needs TV to look effective when demand is ignored"
    assert with_control["tv"].roi_low <= 0 <= with_control["tv"].roi_high
    assert with_control["search"].roi_low > 0


def test_missing_outcome_weeks_are_left_out_not_fatal() -> None:
    frame, rng = _weekly(seed=6)
    frame["search"] = _spend(rng, WEEKS)
    frame["sales"] = BASELINE + 3.0 * adstock(frame["search"].to_numpy(), 0.5) + rng.normal(0, 1000, WEEKS)
    frame.loc[[10, 11, 50], "sales"] = np.nan

    fit = fit_media(frame, ["search"], "sales")

    assert fit.too_little is None and math.isfinite(fit.channels[0].roi) and fit.channels[0].roi_low > 0


def test_same_seed_same_answer() -> None:
    frame, truth = make_set(7, channels=3, periods=104, regions=0)
    args = (frame, list(truth.roi), truth.outcome, list(truth.controls))

    assert fit_media(*args, seed=3) == fit_media(*args, seed=3)


def test_synthetic_sets_carry_their_truth() -> None:
    """The validation sets: one idle channel, ROI = contribution / spend, pairs bought together."""
    frame, truth = make_set(11, correlated=True, regions=3)
    a, b = truth.correlated

    assert list(truth.roi) == [c for c in frame.columns if c in truth.roi]
    assert truth.roi[truth.no_effect] == 0 and sum(r == 0 for r in truth.roi.values()) == 1
    assert truth.roi[a] == pytest.approx(truth.contribution[a] / truth.spend[a])
    assert frame["region"].nunique() == 3 and len(frame) == 3 * truth.periods
    assert np.corrcoef(frame[a], frame[b])[0, 1] > 0.7
    assert make_set(11, correlated=True, regions=3)[0].equals(frame)


def test_the_fast_least_squares_equal_scikit_learn_on_every_fold_and_resample():
    """The model's solver (per-period cross-products, the baseline block inverted once, each resample a
    weighting of periods) must give what a well-kept library gives when each fit is done the plain way:
    scikit-learn's LinearRegression on the same columns with the same period weights, for the all-period
    coefficients, and for each rolling-origin fold's forecast error (fit on the segments before it,
    scored on its own)."""
    from sklearn.linear_model import LinearRegression

    from assistant.team_data.media_effect import _Fits, _segments

    rng = np.random.default_rng(7)
    n_r, n_t, n_b, n_g = 2, 60, 4, 3
    base = rng.normal(size=(n_r, n_t, n_b))
    media = rng.gamma(2.0, size=(n_r, n_t, n_g))
    y = base @ rng.normal(size=n_b) + media @ np.array([0.5, 0.0, 1.5]) + rng.normal(0, 0.3, size=(n_r, n_t))
    mask = np.ones((n_r, n_t), dtype=bool)
    weights = np.vstack([np.ones(n_t), rng.multinomial(n_t, np.ones(n_t) / n_t)]).astype(float)
    segment = _segments(n_t)
    keep = np.ones((segment.max(), n_b), dtype=bool)
    sse, beta = _Fits(base, y, mask, weights, segment, keep).fit(media)

    x = np.concatenate([media, base], axis=-1)
    for w in range(len(weights)):
        sample = np.broadcast_to(weights[w], (n_r, n_t))
        whole = LinearRegression(fit_intercept=False).fit(x.reshape(-1, n_g + n_b), y.ravel(), sample.ravel())
        assert beta[w] == pytest.approx(whole.coef_[:n_g], rel=1e-6, abs=1e-8)
        expected = 0.0
        for fold in range(1, segment.max() + 1):
            train, test = segment < fold, segment == fold
            part = LinearRegression(fit_intercept=False).fit(
                x[:, train].reshape(-1, n_g + n_b), y[:, train].ravel(), sample[:, train].ravel())
            error = y[:, test] - x[:, test] @ part.coef_
            expected += float((sample[:, test] * error ** 2).sum())
        assert sse[w] == pytest.approx(expected, rel=1e-6)
