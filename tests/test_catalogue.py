"""The claim catalogue keeps the labelling guide's mechanical rules (corpus/labelling/GUIDE.md, section 3).

What a passage says about a claim is a reader's judgement (two blind passes, adjudicated); what can be checked
by a machine is checked here, on every entry.
"""
from __future__ import annotations

import json
import re

import pytest

from assistant.answering.evidence import evidence_kind
from assistant.answering.weigh import judge, weigh
from assistant.knowledge.reading import read_document
from assistant.schema import Evidence

from .conftest import CORPUS

COMMENT = "there-is-no-social-customer-comment"
ORIGINAL_IDS = ["customers-want-brand-relationships", "engagement-builds-relationships", "engagement-builds-loyalty",
                "engagement-drives-sales", "brand-conversation-drives-sales", "social-media-drives-sales",
                "social-media-drives-b2b-sales", "trust-comes-from-peers", "word-of-mouth-drives-growth",
                "value-beats-conversation", "social-customer-exists", "relationships-require-conversation",
                "customers-care-about-your-products", "customers-stay-engaged-after-purchase",
                "repeat-purchase-sustains-business", "purchase-decisions-are-emotional",
                "customers-research-online-before-buying", "social-proof-drives-purchases",
                "marketing-should-change-behaviour", "listening-beats-talking", "social-media-replaces-advertising",
                "customers-want-brand-conversations", "after-sale-experience-drives-loyalty"]


@pytest.fixture(scope="module")
def sources():
    return {p.stem: read_document(p) for p in (CORPUS / "essays").glob("*.md")}


@pytest.fixture(scope="module")
def entries(catalogue):
    return [(c, e) for c in catalogue.claims for e in c.evidence]


def test_claim_ids_stay_stable_when_statements_are_reworded(catalogue):
    assert [c.id for c in catalogue.claims][: len(ORIGINAL_IDS)] == ORIGINAL_IDS


def test_every_quote_is_verbatim_and_inside_one_paragraph(entries, sources):
    for claim, e in entries:
        text = sources[e.source_id].text
        at = text.find(e.quote)
        assert at >= 0, (claim.id, e.quote)
        assert not re.search(r"\n\s*\n", e.quote), (claim.id, "a quote crosses a paragraph", e.quote)


def test_every_stance_is_one_of_the_four(entries):
    assert {e.stance for _, e in entries} <= {"supports", "contradicts", "qualifies", "neutral"}


def test_a_readers_comment_is_a_comment_whatever_it_asserts(entries, sources):
    assert sources[COMMENT].kind == "comment"
    comments = [e for _, e in entries if e.source_id == COMMENT]
    assert comments, "the reader's comment bears on some claims"
    for e in comments:
        assert not e.statistic, e.quote
        assert evidence_kind("comment", e.quote, e.statistic) == "comment"
    assert evidence_kind("comment", "Stacks of research shows 63% of buyers ...", None) == "comment"


def test_a_statistic_is_a_named_source_with_a_number(entries, sources):
    flagged = [e for _, e in entries if e.statistic]
    for e in flagged:
        assert sources[e.source_id].kind == "essay" and re.search(r"\d", e.quote), e.quote
    assert evidence_kind("essay", "Stacks of research shows that engagement matters.", None) == "argument"
    assert evidence_kind("essay", "There are four primary tracks, McKinsey's report shows.", None) == "argument"
    assert evidence_kind("essay", "According to Nielsen, 92% of consumers trust people they know.", None) == "statistic"


def test_every_entry_says_whether_the_blind_passes_agreed(catalogue):
    raw = json.loads((CORPUS / "claims.json").read_text(encoding="utf-8"))
    assert all(isinstance(e.get("agreed"), bool) for c in raw["claims"] for e in c["evidence"])
    assert any(not e.agreed for c in catalogue.claims for e in c.evidence), "disagreements were adjudicated"


def test_a_neutral_entry_is_shown_but_weighs_nothing():
    """Two arguments for (relevance 1.0 and 0.5, different authors) and one neutral entry (relevance 1.0).

    Weights: 1 × 1.0 = 1.0 and 1 × 0.5 = 0.5 for; the neutral entry weighs 0, so total = 1.5, balance =
    (1.5 - 0) / 1.5 = +1.0, exactly as without it."""
    def piece(author: str, stance: str, relevance: float) -> Evidence:
        return Evidence(id="", kind="argument", source=author, source_id=author, author=author, quote=author,
                        stance=stance, weight=0.0, start=0, end=1, relevance=relevance)

    weighed = weigh([piece("a", "supports", 1.0), piece("b", "supports", 0.5), piece("c", "neutral", 1.0)])
    assert [e.weight for e in weighed] == [1.0, 0.5, 0.0]
    assert weighed[-1].why == "context: shown, not counted"
    judgement = judge("claim", "c", weighed)
    assert (judgement.weight_for, judgement.weight_qualifies, judgement.balance) == (1.5, 0.0, 1.0)
