"""analyse: the findings a marketer reads about their own numbers.

Each test states one behaviour: the samples' known ground truth is recovered,
sentences carry their numbers, stances follow the evidence, and nothing ever
claims that a correlation shows cause.
"""
from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from assistant.answering.catalogue import load_catalogue
from assistant.answering.finding_stances import finding_stances
from assistant.schema import Finding
from assistant.team_data import rules as C
from assistant.team_data.correlation import lagged_correlations, strength
from assistant.team_data.findings import analyse
from assistant.team_data.table import read_table

SAMPLES = Path(__file__).resolve().parent.parent / "corpus" / "samples"
SALES_CLAIMS = ["engagement-drives-sales", "brand-conversation-drives-sales", "social-media-drives-sales"]
CLAIM_IDS = {c.id for c in load_catalogue(SAMPLES.parent).claims}
KINDS = {"lagged_correlation", "trend", "cost_per_outcome", "return_on_spend", "spend_vs_outcome_share", "funnel",
         "referral_repeat", "too_little_data", "media_effect", "conversion_rate", "per_item"}


def findings_of(path: Path, workspace: str = "acme") -> dict[str, Finding]:
    """Findings by topic (each topic appears once in these files, except correlations by outcome)."""
    return {f.topic: f for f in analyse(read_table(path), workspace)}


def csv_file(tmp_path: Path, frame: pd.DataFrame, name: str = "export.csv") -> Path:
    path = tmp_path / name
    frame.to_csv(path, index=False)
    return path


# --- ground truth of the samples ------------------------------------------------------------

def test_no_effect_sample_says_engagement_did_not_bring_more_orders():
    found = findings_of(SAMPLES / "no_effect_weekly.csv")
    orders = found["engagement_vs_orders"]
    assert orders.sentence.startswith("In your data, weeks with more social engagement did not bring more orders")
    assert finding_stances(orders) == {claim: "contradicts" for claim in SALES_CLAIMS}
    assert orders.numbers["p_adjusted"] >= C.ALPHA


def test_lagged_sample_finds_the_two_week_lag_and_supports_the_claim():
    found = findings_of(SAMPLES / "lagged_effect_weekly.csv")
    orders = found["engagement_vs_orders"]
    assert orders.numbers["best_lag"] == 2 and orders.numbers["r"] > 0.5
    assert abs(orders.numbers["r_lag0"]) < 0.3  # no strong same-week link
    assert "did go with more orders, 2 weeks later" in orders.sentence and "best lag 2" in orders.sentence
    assert finding_stances(orders) == {claim: "supports" for claim in SALES_CLAIMS}
    assert orders.chart["type"] == "scatter" and orders.chart["lag"] == 2
    assert len(orders.chart["x"]) == len(orders.chart["y"]) == orders.n == 58


def test_a_missing_week_stays_a_gap_so_the_lag_is_still_two(tmp_path):
    frame = pd.read_csv(SAMPLES / "lagged_effect_weekly.csv", dtype=str)
    frame = frame[frame["Week starting"] != "10/07/2023"]  # drop one whole week
    found = findings_of(csv_file(tmp_path, frame))
    assert found["engagement_vs_orders"].numbers["best_lag"] == 2


def test_messy_wide_sample_relates_summed_facebook_engagement_to_orders():
    found = findings_of(SAMPLES / "messy_wide_monthly.csv")
    orders = found["engagement_vs_orders"]
    assert orders.n == 29 and orders.numbers["best_lag"] == 0 and finding_stances(orders)[SALES_CLAIMS[0]] == "supports"
    assert orders.rows == "2-21, 23-31"  # row 22 (#REF!) and row 32 (Total) were dropped
    assert orders.columns == ["Month", "FB Likes", "FB Comments", "FB Shares", " Orders "]
    assert "months with more social engagement" in orders.sentence


def test_tiny_sample_gets_too_little_data_and_no_correlation():
    found = findings_of(SAMPLES / "tiny.csv")
    assert list(found) == ["too_little_data"]
    assert found["too_little_data"].sentence == (
        "In your data, there is too little data to relate social engagement to orders: 5 weeks, at least 8 needed.")


def test_journey_sample_shows_the_funnel_and_the_after_purchase_rates():
    found = findings_of(SAMPLES / "journey_weekly.xlsx")
    funnel = found["funnel"]
    assert funnel.chart["stages"] == ["consider", "research", "decide", "act", "enjoy", "refer", "repeat"]
    assert funnel.numbers["research_rate"] == pytest.approx(0.02, abs=0.002)
    assert funnel.numbers["decide_rate"] == pytest.approx(0.08, abs=0.005)
    assert funnel.numbers["act_rate"] == pytest.approx(0.25, abs=0.02)
    assert "enjoy: average NPS" in funnel.sentence
    assert found["referral_rate"].numbers["rate"] == pytest.approx(0.10, abs=0.01)
    assert found["repeat_rate"].numbers["rate"] == pytest.approx(0.30, abs=0.02)
    assert finding_stances(found["referral_rate"]) == {"word-of-mouth-drives-growth": "qualifies"}
    assert finding_stances(found["cost_per_lead"]) == {"social-media-drives-b2b-sales": "qualifies"}  # LinkedIn is mid-priced


# --- the hand-worked example ----------------------------------------------------------------

def test_hand_worked_cost_per_order_for_four_channels(tmp_path):
    """Two weeks, four channels. Adding both weeks per channel:

    social  spend 600 + 400 = 1,000 for 10 + 10 = 20 orders  -> $50.00 per order
    search  spend 500 + 500 = 1,000 for 40 + 60 = 100 orders -> $10.00
    email   spend 100 + 100 = 200   for 30 + 50 = 80 orders  -> $2.50
    display spend 300 + 300 = 600   for 10 + 20 = 30 orders  -> $20.00
    Social is dearest, so it contradicts "social media drives sales". Shares of the
    2,800 spend and 230 orders: social 1,000/2,800 = 36% of spend but 20/230 = 8.7% of orders.
    """
    rows = [("2024-01-01", "social", "$600", 10), ("2024-01-01", "search", "$500", 40),
            ("2024-01-01", "email", "$100", 30), ("2024-01-01", "display", "$300", 10),
            ("2024-01-08", "social", "$400", 10), ("2024-01-08", "search", "$500", 60),
            ("2024-01-08", "email", "$100", 50), ("2024-01-08", "display", "$300", 20)]
    path = csv_file(tmp_path, pd.DataFrame(rows, columns=["week", "channel", "spend", "orders"]))
    found = findings_of(path)
    cost = found["cost_per_order"]
    assert cost.sentence == ("In your data, cost per order was lowest for email ($2.50) and highest for social "
                             "($50.00) over 2 weeks: email $2.50, search $10.00, display $20.00, social $50.00.")
    assert cost.numbers == {"email": 2.5, "search": 10.0, "display": 20.0, "social": 50.0, "n": 2.0}
    assert finding_stances(cost) == {"social-media-drives-sales": "contradicts"}
    assert cost.chart == {"type": "bar", "x": ["email", "search", "display", "social"], "y": [2.5, 10.0, 20.0, 50.0],
                          "x_label": "channel", "y_label": "cost per order ($)"}
    share = found["spend_vs_orders_share"]
    assert "social had 36% of spend and 8.7% of orders" in share.sentence
    assert finding_stances(share) == {"social-media-drives-sales": "contradicts"}


def test_social_as_the_cheapest_channel_supports_social_media_drives_sales(tmp_path):
    rows = [("2024-01-01", "Instagram", 100, 50), ("2024-01-01", "Search", 1000, 50)]
    found = findings_of(csv_file(tmp_path, pd.DataFrame(rows, columns=["date", "platform", "cost", "orders"])))
    assert finding_stances(found["cost_per_order"]) == {"social-media-drives-sales": "supports"}


# --- the correlation's statistics and wording -----------------------------------------------

def test_bonferroni_adjusts_the_best_p_for_the_lags_tried():
    found = findings_of(SAMPLES / "no_effect_weekly.csv")["engagement_vs_orders"]
    assert found.numbers["lags_tried"] == len(C.LAGS)
    assert found.numbers["p_adjusted"] == pytest.approx(min(1.0, found.numbers["p"] * len(C.LAGS)))
    assert f"r = {found.numbers['r']:.2f}" in found.sentence and f"over {found.n} weeks" in found.sentence


def test_a_clear_negative_link_says_fewer_and_contradicts(tmp_path):
    weeks = pd.date_range("2024-01-01", periods=20, freq="7D")
    frame = pd.DataFrame({"week": weeks, "engagements": np.arange(20) * 10 + 100, "orders": 500 - np.arange(20) * 7})
    found = findings_of(csv_file(tmp_path, frame))["engagement_vs_orders"]
    assert "went with fewer orders, not more" in found.sentence and "a strong negative link" in found.sentence
    assert set(finding_stances(found).values()) == {"contradicts"}


def test_a_significant_but_weak_link_only_qualifies(tmp_path):
    rng = np.random.default_rng(7)
    engagement = rng.normal(1000, 100, 500)
    orders = 0.2 * (engagement - 1000) + rng.normal(0, 80, 500) + 300
    frame = pd.DataFrame({"day": pd.date_range("2023-01-01", periods=500), "engagements": engagement.round(),
                          "orders": orders.round()})
    found = findings_of(csv_file(tmp_path, frame))["engagement_vs_orders"]
    assert 0.1 <= found.numbers["r"] < C.SUPPORT_MIN_R and found.numbers["p_adjusted"] < C.ALPHA
    assert "but only weakly" in found.sentence and "days" in found.sentence
    assert set(finding_stances(found).values()) == {"qualifies"}


@pytest.mark.parametrize("r, word", [(0.05, "no"), (-0.2, "a weak"), (0.4, "a moderate"), (-0.8, "a strong")])
def test_strength_words(r, word):
    assert strength(r) == word


def test_lags_with_too_few_pairs_are_not_tried():
    dates = pd.date_range("2024-01-01", periods=10, freq="7D")
    x = pd.Series(np.arange(10.0), index=dates)
    assert [lag for lag, *_ in lagged_correlations(x, x, "week")] == [0, 1, 2]  # 10 - lag >= 8 pairs


def test_correlation_caveat_never_claims_cause_and_names_the_holdout_test():
    for path in SAMPLES.glob("*.*"):
        if path.suffix not in (".csv", ".xlsx"):
            continue
        for f in analyse(read_table(path), "acme"):
            if f.topic.startswith("engagement_vs_"):
                assert "Correlation is not cause" in f.caveat
                assert "holdout test" in f.caveat and "geo test" in f.caveat
                for word in ("caused", "causes", "because", "proves", "drives"):
                    assert word not in f.sentence.lower() and word not in f.caveat.lower()


def test_trend_compares_first_and_last_halves():
    trend = findings_of(SAMPLES / "no_effect_weekly.csv")["trend"]
    assert trend.sentence.startswith("In your data, social engagement rose 19% from the first 26 weeks to the last 26")
    assert "orders stayed flat" in trend.sentence
    assert trend.numbers["engagement_change"] == pytest.approx(0.19, abs=0.005)
    assert set(finding_stances(trend).values()) == {"qualifies"}


# --- what every finding carries -----------------------------------------------------------

def test_every_finding_is_quotable_and_plain_data():
    for path in [*SAMPLES.glob("*.csv"), *SAMPLES.glob("*.xlsx")]:
        for f in analyse(read_table(path), "acme"):
            assert f.sentence.startswith("In your data, ") and f.sentence.endswith(".")
            assert f.workspace == "acme" and f.file == path.name and f.n > 0 and f.method and f.caveat
            assert f.kind in KINDS and f.signal and f.columns and f.rows
            assert set(finding_stances(f)) <= CLAIM_IDS, "only the catalogue's claims"
            assert set(finding_stances(f).values()) <= {"supports", "contradicts", "qualifies"}
            json.dumps(asdict(f))  # charts and numbers are plain lists and floats


def test_ids_are_stable_distinct_and_scoped_to_the_workspace():
    table = read_table(SAMPLES / "journey_weekly.xlsx")
    first, again, other = analyse(table, "acme"), analyse(table, "acme"), analyse(table, "globex")
    assert [f.id for f in first] == [f.id for f in again]
    assert len({f.id for f in first}) == len(first)
    assert not {f.id for f in first} & {f.id for f in other}


def test_no_engagement_column_means_no_engagement_findings(tmp_path):
    frame = pd.DataFrame({"week": pd.date_range("2024-01-01", periods=12, freq="7D"), "orders": range(12)})
    assert not [f for f in analyse(read_table(csv_file(tmp_path, frame)), "acme")
                if f.topic.startswith(("engagement", "trend", "too_little"))]


def test_a_finding_stored_by_the_previous_version_reads_back_with_its_kind_and_stances():
    """Stored before findings had a kind and a signal, it kept claim stances; it still bears on the same claims."""
    from assistant.team_data.datasets import finding_from_json

    old = {"id": "fd-1", "workspace": "acme", "file": "x.csv", "topic": "cost_per_order", "sentence": "In your data, …",
           "numbers": {"email": 3.39}, "n": 52, "method": "m", "caveat": "c", "columns": ["spend"], "rows": "2-53",
           "claims": {"social-media-drives-sales": "contradicts"}, "chart": None}
    finding = finding_from_json(old)
    assert (finding.kind, finding.signal) == ("cost_per_outcome", "worst")
    assert finding_stances(finding) == {"social-media-drives-sales": "contradicts"}
    correlation = finding_from_json({**old, "topic": "engagement_vs_orders", "claims": {c: "supports" for c in SALES_CLAIMS}})
    assert finding_stances(correlation) == {c: "supports" for c in SALES_CLAIMS}
