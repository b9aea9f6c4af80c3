"""A team's own media-mix-model results become channel numbers: Robyn, Meridian and PyMC-Marketing.

The three samples and their ground truth are in corpus/samples/README.md ("Media-mix-model results samples")
(made by corpus/samples/make_model_results.py); the small frames below are built
by hand so each rule can be checked on its own.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from assistant.errors import UnreadableData
from assistant.team_data.exports import load
from assistant.team_data.model_results import (
    ChannelResult,
    ModelResults,
    read_model_results,
)

SAMPLES = Path(__file__).resolve().parent.parent / "corpus" / "samples"
CLOSE = 1e-6


def sample(name: str) -> pd.DataFrame:
    return pd.read_csv(SAMPLES / name, dtype=str, keep_default_na=False)


def by_channel(results: ModelResults) -> dict[str, ChannelResult]:
    return {c.channel: c for c in results.channels}


def robyn_frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    """Robyn pareto_aggregated rows as cells of text, missing cells empty (as fwrite writes NA)."""
    columns = ["solID", "rn", "xDecompAgg", "xDecompPerc", "nrmse_train", "decomp.rssd", "mape", "robynPareto",
               "total_spend", "roi_total", "cpa_total", "boot_mean", "ci_low", "ci_up"]
    return pd.DataFrame([[str(r.get(c, "")) for c in columns] for r in rows], columns=columns)


def robyn_model(sol: str, nrmse: float, rssd: float, tv_share: float = 0.3, tv_roi: float = 3.0,
                **tv: object) -> list[dict[str, object]]:
    """One model: an intercept (no spend) and a tv row with 100 spent."""
    common = {"solID": sol, "nrmse_train": nrmse, "decomp.rssd": rssd, "mape": 0, "robynPareto": 1}
    return [{**common, "rn": "intercept", "xDecompAgg": 700, "xDecompPerc": 1 - tv_share},
            {**common, "rn": "tv_S", "xDecompAgg": tv_roi * 100, "xDecompPerc": tv_share, "total_spend": 100,
             "roi_total": tv_roi, **tv}]


# --------------------------------------------------------------------------- the samples

def test_robyn_sample_reports_the_lowest_error_cluster_winner_with_its_paid_channels():
    results = read_model_results(sample("robyn_pareto_aggregated.csv"), "robyn_pareto_aggregated.csv")

    assert results.model == "Robyn"
    assert "2_38_4" in results.method and "95%" in results.method
    assert results.measure == "ROAS" and results.interval == "bootstrap 95% interval (in-cluster)"
    expected = {  # channel: share, roi_total, ci_low, ci_up, xDecompAgg, total_spend (corpus/samples/README.md)
        "tv_S": (0.028250, 1.850000, 1.546299, 2.273951, 5207750.00, 2815000.00),
        "ooh_S": (0.006622, 0.984400, 0.687763, 1.170637, 1220656.00, 1240000.00),
        "print_S": (0.004100, 1.235000, 0.980134, 1.600366, 755820.00, 612000.00),
        "facebook_S": (0.020771, 2.719500, 1.912926, 3.097324, 3829056.00, 1408000.00),
        "search_S": (0.013849, 2.821000, 2.456390, 3.635110, 2553005.00, 905000.00),
    }
    got = by_channel(results)
    assert list(got) == list(expected)
    for name, (share, roi, low, high, contribution, spend) in expected.items():
        c = got[name]
        assert (c.contribution_share, c.roi, c.roi_low, c.roi_high, c.contribution, c.spend) == pytest.approx(
            (share, roi, low, high, contribution, spend), abs=CLOSE)


def test_robyn_sample_never_reports_intercept_trend_or_context_variables_as_channels():
    results = read_model_results(sample("robyn_pareto_aggregated.csv"), "robyn_pareto_aggregated.csv")

    names = {c.channel for c in results.channels}
    assert not names & {"intercept", "trend", "season", "holiday", "competitor_sales_B", "events", "newsletter"}


def test_meridian_sample_reports_posterior_means_and_the_90_percent_interval_not_the_prior():
    results = read_model_results(sample("meridian_summary_metrics.csv"), "meridian_summary_metrics.csv")

    assert results.model == "Meridian" and results.measure == "ROI"
    assert results.interval == "90% credible interval" and "90%" in results.method
    expected = {  # channel: pct_of_contribution / 100, roi mean, ci_lo, ci_hi (corpus/samples/README.md)
        "tv": (0.049700, 1.42, 0.91, 2.03), "radio": (0.006808, 0.86, 0.35, 1.47),
        "search": (0.056875, 3.25, 2.40, 4.21), "social": (0.026813, 1.95, 1.18, 2.84),
        "ooh": (0.003733, 0.64, 0.12, 1.30),
    }
    got = by_channel(results)
    assert list(got) == list(expected)  # the "All Channels" total is not a channel
    for name, (share, roi, low, high) in expected.items():
        c = got[name]
        assert (c.contribution_share, c.roi, c.roi_low, c.roi_high) == pytest.approx((share, roi, low, high),
                                                                                     abs=1e-5)
    assert got["tv"].spend == 4_200_000 and got["tv"].contribution == pytest.approx(5_964_000)


def test_pymc_sample_reports_roas_with_its_94_percent_hdi_and_shares_of_channel_contribution():
    results = read_model_results(sample("pymc_marketing_summary.csv"), "pymc_marketing_summary.csv")

    assert results.model == "PyMC-Marketing" and results.measure == "ROAS"
    assert results.interval == "94% highest-density interval"
    assert "not a share of total sales" in results.method
    expected = {  # channel: contribution share, roas mean, hdi_3%, hdi_97% (corpus/samples/README.md)
        "tv": (0.412, 1.62, 0.98, 2.31), "radio": (0.119, 0.85, 0.31, 1.42),
        "facebook": (0.204, 2.40, 1.55, 3.30), "search": (0.265, 3.05, 2.21, 3.92),
    }
    got = by_channel(results)
    assert list(got) == list(expected)  # adstock_alpha[tv], saturation_beta[tv], gamma_control[...] are not
    for name, (share, roi, low, high) in expected.items():
        c = got[name]
        assert (c.contribution_share, c.roi, c.roi_low, c.roi_high) == pytest.approx((share, roi, low, high),
                                                                                     abs=CLOSE)


@pytest.mark.parametrize("name", ["no_effect_weekly.csv", "lagged_effect_weekly.csv", "messy_wide_monthly.csv",
                                  "tiny.csv", "journey_weekly.xlsx"])
def test_ordinary_metrics_exports_are_left_to_the_normal_reader(name):
    assert read_model_results(load(SAMPLES / name).frame, name) is None


# --------------------------------------------------------------------------- Robyn's rules

def test_robyn_picks_the_model_with_the_lowest_error_score_a_hand_worked_example():
    """Robyn's errors_scores(): min-max normalise each error over all models, weight 1/3, distance to zero.

    nrmse A 0.10, B 0.20, C 0.15 -> 0, 1, 0.5;  decomp.rssd A 0.30, B 0.10, C 0.15 -> 1, 0, 0.25;  mape all 0.
    A = sqrt((0/3)^2 + (1/3)^2) = 0.333;  B = sqrt((1/3)^2 + 0) = 0.333;
    C = sqrt((0.5/3)^2 + (0.25/3)^2) = sqrt(0.02778 + 0.00694) = 0.186, so C, though neither error is its best.
    C's tv: xDecompAgg 250 over total_spend 100 is roi_total 2.5; xDecompPerc 0.25.
    """
    frame = robyn_frame(robyn_model("A", 0.10, 0.30) + robyn_model("B", 0.20, 0.10)
                        + robyn_model("C", 0.15, 0.15, tv_share=0.25, tv_roi=2.5))

    results = read_model_results(frame, "pareto_aggregated.csv")

    assert "model C" in results.method and "lowest Robyn error score" in results.method
    assert results.channels == [ChannelResult("tv_S", 0.25, 2.5, None, None, 250.0, 100.0)]
    assert results.interval == "" and results.measure == "return per unit of spend"


def test_robyn_prefers_a_cluster_winner_and_a_model_the_team_names():
    frame = robyn_frame(robyn_model("A", 0.10, 0.30) + robyn_model("B", 0.20, 0.10)
                        + robyn_model("C", 0.15, 0.15))
    frame["top_sol"] = ["TRUE" if s == "B" else "FALSE" for s in frame["solID"]]

    assert "model B" in read_model_results(frame, "pareto_aggregated.csv").method
    assert "model A" in read_model_results(frame, "pareto_aggregated_A.csv").method
    frame["select_model"] = ["C"] * len(frame)
    assert "model C" in read_model_results(frame, "pareto_aggregated.csv").method


def test_robyn_interval_on_cpa_is_turned_into_conversions_per_unit_of_spend():
    """A conversion model: roi_total 0.02 conversions per unit, cpa_total 50, and the CPA interval 40 to 60
    centred at 48, so the interval is CPA's: conversions per unit run from 1/60 = 0.0167 to 1/40 = 0.025."""
    frame = robyn_frame(robyn_model("A", 0.1, 0.1, tv_roi=0.02, cpa_total=50, boot_mean=48, ci_low=40, ci_up=60))

    results = read_model_results(frame, "pareto_aggregated.csv")

    assert results.measure == "conversions per unit of spend"
    (tv,) = results.channels
    assert (tv.roi, tv.roi_low, tv.roi_high) == pytest.approx((0.02, 1 / 60, 1 / 40))


def test_robyn_shares_written_as_percent_are_read_as_fractions():
    frame = robyn_frame(robyn_model("A", 0.1, 0.1))
    frame["xDecompPerc"] = ["70", "30"]  # intercept, tv_S: parts of one outcome adding up to 100, not 1

    (tv,) = read_model_results(frame, "pareto_aggregated.csv").channels

    assert tv.contribution_share == pytest.approx(0.30)


def test_robyn_headers_are_matched_whatever_their_case_separators_and_a_leading_row_number_column():
    frame = robyn_frame(robyn_model("A", 0.1, 0.1, ci_low=2.1, ci_up=3.9, boot_mean=3.0))
    frame.columns = [c.upper().replace(".", " ") for c in frame.columns]
    frame.insert(0, "", [str(i + 1) for i in range(len(frame))])  # R's write.csv row names

    (tv,) = read_model_results(frame, "pareto_aggregated.csv").channels

    assert (tv.channel, tv.roi, tv.roi_low, tv.roi_high) == ("tv_S", 3.0, 2.1, 3.9)


def test_robyn_file_with_an_unreadable_number_is_rejected_naming_the_file_and_the_cell():
    frame = robyn_frame(robyn_model("A", 0.1, 0.1))
    frame.loc[frame["rn"] == "tv_S", "roi_total"] = "3,0x"

    with pytest.raises(UnreadableData) as caught:
        read_model_results(frame, "team/pareto_aggregated.csv")

    assert caught.value.path == "team/pareto_aggregated.csv"
    assert "roi_total" in caught.value.reason and "3,0x" in caught.value.reason and "row 3" in caught.value.reason


def test_robyn_model_without_paid_media_rows_is_rejected_with_what_to_do():
    frame = robyn_frame(robyn_model("A", 0.1, 0.1))
    frame["total_spend"] = ""

    with pytest.raises(UnreadableData, match="no paid-media rows"):
        read_model_results(frame, "pareto_aggregated.csv")


def test_robyn_header_without_rows_is_rejected():
    with pytest.raises(UnreadableData, match="no rows"):
        read_model_results(robyn_frame([]), "pareto_aggregated.csv")


# --------------------------------------------------------------------------- Meridian's and PyMC's rules

def test_meridian_export_without_posterior_rows_is_rejected():
    frame = sample("meridian_summary_metrics.csv")
    prior_only = frame[frame["distribution"] == "prior"].reset_index(drop=True)

    with pytest.raises(UnreadableData, match="posterior"):
        read_model_results(prior_only, "meridian.csv")


def test_pymc_shares_with_percent_signs_become_fractions():
    frame = pd.DataFrame({"": ["channel_contribution_share[tv]", "channel_contribution_share[radio]"],
                          "mean": ["62.5%", "37.5%"], "sd": ["4%", "4%"], "hdi_5%": ["55%", "30%"],
                          "hdi_95%": ["70%", "45%"]})

    results = read_model_results(frame, "summary.csv")

    assert [(c.channel, c.contribution_share) for c in results.channels] == [("tv", 0.625), ("radio", 0.375)]


def test_pymc_summary_roas_frame_is_read_when_its_name_says_roas_and_rejected_when_nothing_says():
    frame = pd.DataFrame({"channel": ["tv", "search"], "mean": ["1.6", "3.1"], "median": ["1.5", "3.0"],
                          "abs_error_94_lower": ["1.0", "2.2"], "abs_error_94_upper": ["2.3", "3.9"]})

    results = read_model_results(frame, "mmm_roas.csv")

    assert results.interval == "94% highest-density interval"
    assert [(c.channel, c.roi, c.roi_low, c.roi_high) for c in results.channels] == [
        ("tv", 1.6, 1.0, 2.3), ("search", 3.1, 2.2, 3.9)]
    with pytest.raises(UnreadableData, match="ROAS or contributions"):
        read_model_results(frame, "mmm_summary.csv")


def test_arviz_1_equal_tailed_columns_are_recognised():
    frame = pd.DataFrame({"Unnamed: 0": ["roas[tv]", "roas[radio]"], "mean": ["1.6", "0.9"], "sd": ["0.3", "0.2"],
                          "eti89_lb": ["1.1", "0.6"], "eti89_ub": ["2.1", "1.2"]})

    results = read_model_results(frame, "summary.csv")

    assert results.interval == "89% equal-tailed interval"
    assert [(c.roi_low, c.roi_high) for c in results.channels] == [(1.1, 2.1), (0.6, 1.2)]
