"""Hybrid retrieval on both stores, plus LangChain's standard retriever tests."""
from __future__ import annotations

import pytest
from langchain_tests.integration_tests import (
    EmbeddingsIntegrationTests,
    RetrieversIntegrationTests,
)

from assistant.knowledge.langchain_adapters import (
    ClaimcheckEmbeddings,
    ClaimcheckRetriever,
)
from assistant.knowledge.retrieval import dedupe, diversify
from assistant.schema import Hit, Passage


def test_the_passage_that_answers_comes_first(kb):
    hits = kb.search("Where does trust come from, peers or the brand?", k=5)
    assert "Trust comes from peers, not brand owned conversations." in hits[0].passage.text


def test_an_exact_term_is_found_by_the_lexical_side(kb):
    hits = kb.search("Gartner", k=3)
    assert any("Gartner" in h.passage.text for h in hits)
    assert any(h.lexical_rank == 1 for h in hits)


def test_every_hit_carries_its_source_author_and_offsets(kb):
    for h in kb.search("Is there such a thing as a social customer?", k=5):
        src = kb.source_text(h.passage.source_id)
        assert src.text[h.passage.start:h.passage.end] == h.passage.text
        assert h.passage.source and h.passage.kind in ("essay", "comment")


def test_no_single_source_fills_the_result_when_others_are_relevant(kb):
    hits = kb.search("the social customer journey stages research decide", k=6)
    per_source = {}
    for h in hits:
        per_source[h.passage.source_id] = per_source.get(h.passage.source_id, 0) + 1
    assert len(per_source) >= 2 and max(per_source.values()) <= 3


def _hit(pid: str, text: str, source: str, score: float, sim: float = 0.5) -> Hit:
    return Hit(Passage(pid, source, text, 0, len(text), source, None, "essay"), score, similarity=sim)


def test_near_duplicates_are_kept_once():
    hits = [_hit("1", "Trust comes from peers, not brands.", "a", 0.9),
            _hit("2", "Trust comes from peers, not brands!", "b", 0.8),
            _hit("3", "Value decides the deal.", "c", 0.7)]
    assert [h.passage.id for h in dedupe(hits)] == ["1", "3"]


def test_diversity_caps_one_source_at_half_of_k():
    hits = [_hit(str(i), f"text {i}", "a", 1 - i / 10) for i in range(6)]
    hits += [_hit("b1", "other", "b", 0.1), _hit("c1", "third", "c", 0.05)]
    chosen = diversify(hits, 4)
    assert [h.passage.source_id for h in chosen] == ["a", "a", "b", "c"]


def test_diversity_fills_from_the_capped_source_when_nothing_else_is_left():
    hits = [_hit(str(i), f"text {i}", "a", 1 - i / 10) for i in range(6)] + [_hit("b1", "other", "b", 0.1)]
    assert [h.passage.source_id for h in diversify(hits, 4)] == ["a", "a", "a", "b"]


class TestClaimcheckRetriever(RetrieversIntegrationTests):
    @pytest.fixture(autouse=True)
    def _kb(self, shared_kb):
        type(self)._assistant = shared_kb

    @property
    def retriever_constructor(self):
        return ClaimcheckRetriever

    @property
    def retriever_constructor_params(self):
        return {"assistant": type(self)._assistant}

    @property
    def retriever_query_example(self) -> str:
        return "Do customers want relationships with brands?"


class TestClaimcheckEmbeddings(EmbeddingsIntegrationTests):
    @property
    def embeddings_class(self):
        return ClaimcheckEmbeddings

    @property
    def embedding_model_params(self) -> dict:
        return {}
