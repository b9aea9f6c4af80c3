"""Questions about a team's own numbers are answered from its findings (answering/data_questions.py)."""
from __future__ import annotations

import pytest

from assistant.answering.data_questions import is_data_question, plain_answer, rank_findings
from assistant.schema import Finding

from .conftest import CORPUS

SAMPLE = CORPUS / "samples" / "no_effect_weekly.csv"


def finding(kind: str, topic: str, numbers: dict[str, float], channels: list[str], sentence: str = "s") -> Finding:
    return Finding(id=topic, workspace="w", file="f.csv", kind=kind, topic=topic, sentence=sentence,
                   numbers=numbers, n=52, method="m", caveat="c", channels=channels)


@pytest.mark.parametrize("question, expected", [
    ("Which channel gives us the cheapest orders?", True),
    ("Is our engagement rising faster than our orders?", True),
    ("What share of our orders come from referrals?", True),
    ("Looking at our own numbers, should we spend more on brand conversation on social media?", False),
    ("Do customers trust their peers more than brands?", False),
])
def test_a_question_about_our_numbers_is_told_from_a_claim(question, expected):
    assert is_data_question(question) is expected


def test_the_answer_says_it_in_one_sentence_with_its_numbers():
    cost = finding("cost_per_outcome", "cost_per_order", {"email": 3.39, "search": 12.55, "social": 45.47, "n": 52},
                   ["email", "search", "social"])
    assert plain_answer(cost) == "email had the lowest cost per order: 3.39, against 45.47 for social."
    roas = finding("return_on_spend", "return_on_spend", {"email": 16.52, "social": 1.2}, ["email", "social"])
    assert plain_answer(roas) == "email brought back the most revenue per unit of spend: 16.52, against 1.20 for social."


def test_the_finding_the_words_point_at_comes_first_and_few_others_follow():
    """Similarities: cost 0.50, shares 0.60, trend 0.58, funnel 0.56, referrals 0.30. "cheapest" points at the
    cost finding: 0.50 + 0.15 = 0.65, first. Within 0.1 of it (from 0.55): shares, trend and funnel; at most two
    of them follow, the closest: shares and trend. Referrals (0.30) never."""
    found = [finding("cost_per_outcome", "cost_per_order", {}, []), finding("trend", "trend", {}, []),
             finding("spend_vs_outcome_share", "spend_vs_orders_share", {}, []), finding("funnel", "funnel", {}, []),
             finding("referral_repeat", "referral_rate", {}, [])]
    similarity = {"cost_per_order": 0.5, "spend_vs_orders_share": 0.6, "trend": 0.58, "funnel": 0.56,
                  "referral_rate": 0.3}
    ranked = rank_findings("Which channel gives us the cheapest orders?", found, similarity)
    assert [f.topic for f in ranked] == ["cost_per_order", "spend_vs_orders_share", "trend"]


def test_a_question_about_a_link_between_two_measures_points_at_the_link():
    """"Does more engagement mean more repeat purchases?" cues both the link ("mean more") and the repeat
    rate ("repeat"); it asks for the link. Similarities: repeat share 0.53, link 0.45; only the link's cue
    earns the 0.15: 0.60 against 0.53, the link first."""
    found = [finding("referral_repeat", "repeat_share", {}, []),
             finding("lagged_correlation", "engagement_vs_repeat_purchases", {}, [])]
    similarity = {"repeat_share": 0.53, "engagement_vs_repeat_purchases": 0.45}
    ranked = rank_findings("Does more engagement mean more repeat purchases for us?", found, similarity)
    assert ranked[0].topic == "engagement_vs_repeat_purchases"


@pytest.fixture(scope="module")
def with_data(shared_kb):
    shared_kb.add_data(SAMPLE, workspace="numbers")
    return shared_kb


def test_which_channel_gives_the_cheapest_orders_is_answered_from_the_findings(with_data):
    answer = with_data.ask("Which channel gives us the cheapest orders?", workspace="numbers")
    assert answer.kind == "data" and answer.verdict is None
    assert answer.evidence[0].kind == "company_data" and answer.evidence[0].quote.startswith(
        "In your data, cost per order was lowest for email (3.39)")
    assert len(answer.evidence) <= 3
    assert "email had the lowest cost per order: 3.39, against 45.47 for social" in answer.answer
    assert answer.to_dict()["kind"] == "data"


def test_a_claim_about_our_numbers_is_still_weighed(with_data):
    answer = with_data.ask("Looking at our own numbers, should we spend more on brand conversation on social media?",
                           workspace="numbers")
    assert answer.kind == "claim" and answer.verdict is not None


def test_without_findings_the_same_question_is_not_a_data_question(shared_kb):
    answer = shared_kb.ask("Which channel gives us the cheapest orders?", workspace="empty-ws")
    assert answer.kind != "data" and not any(e.kind == "company_data" for e in answer.evidence)
