"""Reported results: a team memo's figures say which way its outcome points, and so which side it takes."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.answering.results import read_result, stance_of


@pytest.mark.parametrize("text, effect", [
    # 41 against 27: 14 apart, more than a tenth of 41 (4.1): a gain for the group named first.
    ("Members reordered within 90 days at 41%, against 27% for non-members.", "positive"),
    # Named first, the comparison group turns it round: members (41) still beat non-members (27).
    ("Non-members reordered at 27% against 41% for members.", "positive"),
    # 5.1 against 5.2: 0.1 apart, within a tenth of 5.2 (0.52): no difference.
    ("Members who took part cancelled at 5.1% vs 5.2% for everyone else.", "none"),
    # Lower is better for missed visits: 8 against 15 is a gain.
    ("Patients on the reminder texts missed 8% of appointments against 15% for patients without them.", "positive"),
    ("Weekly orders rose from 120 to 180 after the launch.", "positive"),
    ("Basket size fell from £42 to £35 over the quarter.", "negative"),
    ("Churn went from 9% to 6% once onboarding calls started.", "positive"),
    ("Items featured in the posts sold 3.1x as many units as comparable items.", "positive"),
    ("Brand markets grew signups 19% faster than the markets with no campaign.", "positive"),
    ("Organic engagement showed no measurable link to sales.", "none"),
    ("Bookings +0.3% against holdout regions (the interval spans zero).", "none"),
    ("Sales tracked the control cities to within 1%.", "none"),
    ("Attendance up 26% on last spring.", "positive"),
])
def test_the_direction_a_result_reports(text, effect):
    result = read_result(text)
    assert result is not None and result.effect == effect, result


@pytest.mark.parametrize("text", [
    "We believe the community keeps people buying.",  # an argument, no figures
    "The survey had 1,850 responses from 12 countries.",  # figures, nothing compared
    "19% booked a check-up within 3 months, against 7% of the others.",  # 3 months against 7%: not one measure
    "Engagement doubled, and sales fell from 400 to 310.",  # figures pointing both ways: left to the model
    "That part of the plan was made up 70% of the time by the regional teams.",  # "made up", not "up"
])
def test_no_result_is_read_where_none_is_reported(text):
    assert read_result(text) is None


def test_a_gain_supports_the_claimed_effect_and_no_change_contradicts_it():
    gain, nothing = read_result("Members reordered at 41% against 27%."), read_result("Sales were unchanged.")
    assert (stance_of(gain, claim_negated=False), stance_of(nothing, claim_negated=False)) == ("supports",
                                                                                                "contradicts")
    assert (stance_of(gain, claim_negated=True), stance_of(nothing, claim_negated=True)) == ("contradicts",
                                                                                              "supports")


def test_the_stance_reader_uses_the_figures_on_a_claim_in_the_users_words(shared_kb):
    """The stance model is near chance on bare figures; the figures decide, and the answer says how."""
    stance = shared_kb.answerer.knowledge.gatherer.stance
    text = "Pine Circle members reordered within 90 days at 41%, against 27% for non-members."
    assert stance.on_claim("Our members' club raises repeat purchases", text, 0.5) == (
        "supports", "reported result (41%, against 27%)")
    assert stance.on_claim("Our members' club does not raise repeat purchases", text, 0.5)[0] == "contradicts"
    assert stance.on_claim("Our members' club raises repeat purchases", text, 0.1)[0] == "neutral"  # off the topic


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_any_text_is_read_without_error(text):
    """Passages come from users' documents: whatever they hold, reading them returns a result or None."""
    result = read_result(text)
    assert result is None or result.effect in ("positive", "none", "negative")
