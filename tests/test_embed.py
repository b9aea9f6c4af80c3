"""The embedder: one method, unit vectors; fixed texts are embedded once per model and kept on disk."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from assistant.answering.stance_model import OnnxStance, RememberingStance
from assistant.knowledge.embedding import RememberingEmbedder, embed_cached
from assistant.settings import Settings

TEXTS = ["Customers want relationships with brands.", "Engagement builds loyalty.", "Trust comes from peers."]


class Counting:
    """The real embedder, counting the texts it is asked to embed."""

    def __init__(self, inner) -> None:
        self.inner, self.name, self.dim, self.texts = inner, inner.name, inner.dim, 0

    def embed_batch(self, texts):
        self.texts += len(texts)
        return self.inner.embed_batch(texts)


def test_vectors_are_unit_length_and_in_order(embedder):
    vectors = np.asarray(embedder.embed_batch(TEXTS + TEXTS[:1]))
    assert vectors.shape == (4, embedder.dim)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert np.allclose(vectors[0], vectors[3], atol=1e-5)
    assert embedder.embed_batch([]) == []


def test_a_restart_reuses_the_catalogue_vectors_from_disk(embedder, tmp_path):
    first = Counting(embedder)
    fresh = embed_cached(first, TEXTS, tmp_path)
    assert first.texts == 3

    again = Counting(embedder)  # a new process: same model, same texts
    reused = embed_cached(again, TEXTS, tmp_path)
    assert again.texts == 0
    assert np.allclose(reused, fresh, atol=1e-6)

    changed = embed_cached(again, TEXTS + ["Social media drives B2B sales."], tmp_path)
    assert again.texts == 4 and len(changed) == 4, "a changed catalogue is embedded anew"


def test_a_damaged_cache_file_is_embedded_again(embedder, tmp_path):
    embed_cached(embedder, TEXTS, tmp_path)
    for f in tmp_path.glob("vectors-*.npy"):
        f.write_bytes(b"not numpy")
    counting = Counting(embedder)
    vectors = embed_cached(counting, TEXTS, tmp_path)
    assert counting.texts == 3 and len(vectors) == 3


def test_lengths_are_the_tokens_the_model_reads(embedder):
    """Ingestion batches texts by these, so that a batch pads little; the model reads at most 256 tokens."""
    short, longer, huge = embedder.lengths(["Trust.", "Trust comes from peers, not from brands.", "word " * 2000])
    assert 0 < short < longer < huge == 256
    assert embedder.lengths([]) == []


def test_an_answering_process_embeds_a_sentence_once_and_forgets_the_oldest_past_its_limit(embedder):
    """Limit 2: after A, B, A, C the oldest used text is B; asking for B again embeds it again (4 texts in all:
    A, B, C and B once more), while A, used since, is still a lookup."""
    a, b, c = TEXTS
    model = Counting(embedder)
    remembering = RememberingEmbedder(model, limit=2)
    first = remembering.embed_batch([a, b])
    assert np.allclose(remembering.embed_batch([a])[0], first[0], atol=1e-6)
    remembering.embed_batch([c])
    assert model.texts == 3
    remembering.embed_batch([a])
    assert model.texts == 3, "A was used last-but-one: still remembered"
    remembering.embed_batch([b])
    assert model.texts == 4, "B was the oldest: forgotten, embedded again"
    assert (remembering.asked, remembering.embedded) == (6, 4)


def test_the_stance_model_reads_each_pair_once():
    """The same (claim, passage) pair in two answers is one reading by the real model, with the same probability."""
    real = OnnxStance(Settings(home=Path("/nonexistent")).stance_model_path)
    read: list[tuple[str, str]] = []

    class Counting:
        name = real.name

        def support_probability(self, pairs):
            read.extend(pairs)
            return real.support_probability(pairs)

    model = RememberingStance(Counting(), limit=10)
    pairs = [("Engagement builds loyalty.", "Engagement did nothing for loyalty."),
             ("Engagement builds loyalty.", "Members who engaged came back far more often.")]
    first = model.support_probability(pairs)
    again = model.support_probability(pairs[::-1] + pairs[:1])
    assert again == [first[1], first[0], first[0]] and first[1] > first[0]
    assert read == pairs, "each pair read once"
