"""Weighing, specified by examples worked by hand."""
from __future__ import annotations

import pytest

from assistant.answering.rules import describe
from assistant.answering.weigh import judge, weigh
from assistant.schema import Evidence


def ev(kind, stance, relevance, author="A", source_id="s") -> Evidence:
    return Evidence(id="", kind=kind, source="S", source_id=source_id, author=author, quote="q",
                    stance=stance, weight=0.0, start=0, end=1, relevance=relevance)


def test_three_pieces_worked_by_hand():
    """Two arguments by one author against, one statistic for.

    statistic for:       1.5 × 0.8 = 1.20
    argument against #1: 1.0 × 0.9 = 0.90
    argument against #2: 1.0 × 0.7 = 0.70, second from the same voice: × 0.5 = 0.35
    for 1.20, against 1.25, qualifying 0
    balance = (1.20 − 1.25) / (1.20 + 1.25) = −0.0204 → contested (between −0.3 and 0.3)
    confidence = (1 − e^(−2.45/3)) × 0.5 = 0.558 × 0.5 = 0.279
    """
    weighed = weigh([ev("argument", "contradicts", 0.9), ev("argument", "contradicts", 0.7),
                     ev("statistic", "supports", 0.8, author="Gartner")])
    assert [e.weight for e in weighed] == [1.2, 0.9, 0.35]
    j = judge("claim", "c", weighed)
    assert j.balance == pytest.approx(-0.0204, abs=1e-3)
    assert j.verdict == "contested"
    assert j.confidence == pytest.approx(0.279, abs=1e-3)


def test_ten_passages_from_one_author_are_not_ten_votes():
    one_voice = weigh([ev("argument", "contradicts", 1.0) for _ in range(10)])
    assert sum(e.weight for e in one_voice) < 2.0
    two_independent_for = weigh([ev("argument", "supports", 1.0, author=a) for a in "XY"])
    j = judge("c", "c", one_voice + two_independent_for)
    assert j.verdict == "contested", "two independent voices balance one repeated voice"


def test_company_data_outweighs_an_essay():
    j = judge("c", "c", weigh([ev("company_data", "supports", 1.0, author=None, source_id="data"),
                               ev("argument", "contradicts", 1.0)]))
    assert j.verdict == "supported" or j.verdict == "leans_supported"
    assert j.balance == pytest.approx((3 - 1) / 4)


def test_qualifying_evidence_pulls_towards_contested():
    plain = judge("c", "c", weigh([ev("argument", "supports", 1.0, author="X")]))
    qualified = judge("c", "c", weigh([ev("argument", "supports", 1.0, author="X"),
                                       ev("argument", "qualifies", 1.0, author="Y")]))
    assert plain.verdict == "supported" and qualified.balance == pytest.approx(0.5)
    assert qualified.verdict == "leans_supported"


def test_too_little_weight_is_insufficient_evidence():
    j = judge("c", "c", weigh([ev("comment", "supports", 0.5)]))
    assert j.verdict == "insufficient_evidence" and j.balance is None


def test_neutral_evidence_does_not_move_the_balance():
    j = judge("c", "c", weigh([ev("argument", "supports", 1.0), ev("document", "neutral", 1.0, author="Z")]))
    assert j.balance == 1.0


def test_the_rules_can_be_shown_in_words():
    text = " ".join(describe())
    assert "company data 3" in text and "independence" in text.lower()
