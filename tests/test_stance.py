"""Stance outside the catalogue: cautious, and neutral when unsure."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def classify(shared_kb):
    knowledge = shared_kb.answerer.knowledge

    def run(text: str, claim_id: str) -> str:
        return knowledge.gatherer.stance.classify(text, shared_kb.embedder.embed_batch([text])[0], claim_id)[0]
    return run


def test_a_passage_about_something_else_is_neutral(classify):
    assert classify("Our office moved to a bigger building in March.", "engagement-builds-loyalty") == "neutral"


def test_a_hedged_passage_qualifies(classify):
    text = "Social engagement may build loyalty for some customers, but only when the products are otherwise equal."
    assert classify(text, "engagement-builds-loyalty") == "qualifies"


def test_a_flat_denial_contradicts(classify):
    text = "Customers do not want a personal relationship with the brands they buy; that is a myth."
    assert classify(text, "customers-want-brand-relationships") == "contradicts"


def test_the_method_is_measured_and_mostly_right_when_it_decides(shared_kb):
    from assistant.evaluation.evaluate import stance_accuracy

    r = stance_accuracy(shared_kb)
    assert r["labelled"] >= 150 and r["decided"] >= 50  # the catalogue's entries that take a side
    assert r["accuracy_when_decided"] >= 0.6


@pytest.mark.parametrize("text, result", [
    ("Members repurchased within 90 days at 41%, against 27% for non-members.", True),
    ("Click-through rose 12% after the redesign.", True),
    ("Conversion was 3.1% in the test cell and 2.4% in control.", True),
    ("We think the community matters to our best customers.", False),
    ("The survey had 1,850 responses.", False),
])
def test_a_reported_result_with_figures_is_recognised(text, result):
    from assistant.answering.evidence import reports_result

    assert reports_result(text) is result


def test_a_team_documents_reported_result_counts_as_a_statistic():
    """The strongest kind of text evidence: a statistic weighs 1.5 where a document's argument weighs 1.0."""
    from assistant.answering.evidence import evidence_kind

    assert evidence_kind("document", "Members repurchased at 41%, against 27% for non-members.") == "statistic"
    assert evidence_kind("document", "We believe the community keeps people buying.") == "document"
    assert evidence_kind("comment", "Members repurchased at 41%, against 27% for non-members.") == "comment"


@pytest.mark.parametrize("text, stance", [
    ("The loyalty scheme works: members come back and buy again far more often, 38% against 21%.", "supports"),
    ("The loyalty scheme made no difference: members and non-members reordered at the same rate, 24%.",
     "contradicts"),
])
def test_a_claim_nobody_labelled_is_read_both_ways(shared_kb, text, stance):
    """Symmetric: a supporting result is decided as readily as a contradicting one, on a claim with no
    catalogue entry (the user's own claim); and negating the claim flips the reading. (Both are reported
    results, so their figures and words of no effect decide: tests/test_results.py.)"""
    classifier = shared_kb.answerer.knowledge.gatherer.stance
    assert classifier.model is not None, "the packaged stance model is loaded"
    claim = "Our loyalty scheme raises repeat purchases"
    assert classifier.on_claim(claim, text, 0.6)[0] == stance
    flipped = {"supports": "contradicts", "contradicts": "supports"}[stance]
    assert classifier.on_claim("Our loyalty scheme does not raise repeat purchases", text, 0.6)[0] in (flipped,
                                                                                                     "neutral")


def test_an_answers_passages_read_together_get_the_stances_each_gets_alone(shared_kb):
    """An answer reads all its passages in one call to the stance model; what each passage gets does not
    depend on what it is read with (catalogue claims and a claim in the user's words alike)."""
    from assistant.answering.stance import Request

    stance = shared_kb.answerer.knowledge.gatherer.stance
    texts = ["Customers do not want a personal relationship with the brands they buy; that is a myth.",
             "Members repurchased within 90 days at 41%, against 27% for non-members.",
             "Our office moved to a bigger building in March.",
             "Social engagement may build loyalty for some customers, but only when the products are equal."]
    vectors = shared_kb.embedder.embed_batch(texts)
    requests = [Request(t, v, claim_id=c) for t, v, c in zip(
        texts, vectors, ["customers-want-brand-relationships", "engagement-builds-loyalty",
                         "engagement-builds-loyalty", "engagement-builds-loyalty"])]
    requests.append(Request(texts[1], claim="Loyalty members buy again more often", on_topic=0.6))
    together = stance.read(requests)
    alone = [stance.read([r])[0] for r in requests]
    assert together == alone
    assert [s for s, _ in together[:4]] == [stance.classify(t, v, r.claim_id)[0]
                                            for t, v, r in zip(texts, vectors, requests)]
    assert together[0][0] == "contradicts" and together[2][0] == "neutral" and together[3][0] == "qualifies"
