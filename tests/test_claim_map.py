"""The claim map and the journey tour say what the catalogue says (assistant/claim_map.py)."""
from __future__ import annotations

from pathlib import Path

import pytest

from assistant.errors import BadInput
from assistant.onboarding.claim_map import claim_balance, claim_matrix, claim_quotes
from assistant.schema import STANCE_MARKS as MARKS

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def essay_body(source_id: str) -> str:
    return (CORPUS / "essays" / f"{source_id}.md").read_text(encoding="utf-8")


def test_titles_and_journey_load(titles, journey):
    assert len(titles) == 6 and titles["customers-dont-care-about-us"] == "Customers Don’t Care About Us"
    assert [s.id for s in journey.stages] == ["consider", "research", "decide", "act", "enjoy", "refer", "repeat"]
    for stage in journey.stages:
        assert stage.quote in essay_body(journey.source_id)


def test_claim_supported_balance_is_the_stance_count(catalogue):
    claim = catalogue.claim("brand-conversation-drives-sales")
    b = claim_balance(claim)
    assert (b.supports, b.contradicts, b.qualifies) == (
        sum(e.stance == "supports" for e in claim.evidence), sum(e.stance == "contradicts" for e in claim.evidence),
        sum(e.stance == "qualifies" for e in claim.evidence))
    assert b.lean == "negative"
    assert claim_balance(catalogue.claim("word-of-mouth-drives-growth")).lean == "positive"


def test_claim_matrix_marks_match_catalogue_stances(catalogue, titles):
    rows = claim_matrix(catalogue, titles)
    assert [r["claim_id"] for r in rows] == [c.id for c in catalogue.claims]
    symbol_of = {m: s for s, m in MARKS.items()}
    for row in rows:
        claim = catalogue.claim(row["claim_id"])
        assert row["Claim"] == claim.claim
        for sid, title in titles.items():
            expected = {e.stance for e in claim.evidence if e.source_id == sid and e.stance in MARKS}
            shown = {symbol_of[m] for m in str(row[title]).split()}
            assert shown == expected, (claim.id, sid)
        b = claim_balance(claim)
        assert (row["For"], row["Against"], row["Qualifying"]) == (b.supports, b.contradicts, b.qualifies)
    row = next(r for r in rows if r["claim_id"] == "customers-want-brand-relationships")
    assert row["Customers Don’t Care About Us"] == "✘ ~"
    assert row["There Is NO Social Customer"] == "✘"
    assert row["The Social Customer’s Journey"] == ""


def test_claim_quotes_are_the_catalogue_evidence_grouped_by_stance(catalogue, titles):
    quotes = claim_quotes(catalogue, "trust-comes-from-peers", titles)
    claim = catalogue.claim("trust-comes-from-peers")
    assert sorted((q.source_id, q.stance, q.quote) for q in quotes) == sorted(
        (e.source_id, e.stance, e.quote) for e in claim.evidence)
    order = [[*MARKS, "neutral"].index(q.stance) for q in quotes]
    assert order == sorted(order)
    assert all(q.source == titles[q.source_id] for q in quotes)
    with pytest.raises(BadInput):
        claim_quotes(catalogue, "no-such-claim")
