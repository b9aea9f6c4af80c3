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
