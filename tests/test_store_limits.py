"""A workspace far past what one call to Chroma takes, on both stores.

Two large documents in one workspace (40,095 passages) once ended `claimcheck search` and `ask` in
"too many SQL variables": ids, `$in` lists and whole collections went to the store in one call, and
SQLite, under the embedded store and under `chroma run` alike, binds at most 32,766 variables in one
statement. Here 50,000 passages (synthetic vectors: random unit vectors, fixed seed) go through the
store's own methods, as every caller's do, and each must just work; then the same methods with their
limits shrunk to a few records must answer exactly as one call would.
"""
from __future__ import annotations


import numpy as np
import pytest

from assistant.knowledge import store as store_module
from assistant.knowledge.store import Record, Store, get_store
from assistant.knowledge.workspaces import collection

PASSAGES = 50_000
SOURCES = 40_000  # passage n belongs to source n % SOURCES, so a search of most sources lists over 32,766 ids
SEARCHED = 36_000  # the sources a search is limited to
DIM = 16  # the store does not care how long vectors are; at 384 the index build alone takes minutes here
K = 8
SEED = 20_240_611


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v, axis=-1, keepdims=True)


@pytest.fixture
def store(store_settings) -> Store:
    """A fresh store of the parametrized kind."""
    return get_store(store_settings)


def test_fifty_thousand_passages_in_one_workspace_can_be_read_searched_and_removed(store):
    """Every passage comes back by id and in the full listing, a search limited to 36,000 documents finds
    exactly the passages nearest the question among them (not the nearer ones of the other documents),
    and removing everything leaves the workspace empty; no call fails."""
    rng = np.random.default_rng(SEED)
    question = _unit(rng.standard_normal(DIM))
    vectors = _unit(rng.standard_normal((PASSAGES, DIM)))
    sources = np.arange(PASSAGES) % SOURCES
    searched = np.sort(rng.choice(SOURCES, SEARCHED, replace=False))
    # The nearest passages are planted clear of the random rest (whose best is about 0.83 at 16 dimensions),
    # so the store's approximate index has one right answer: K in searched documents, nearer still K in others.
    for members, closeness in ((searched, np.linspace(0.99, 0.95, K)),
                               (np.setdiff1d(np.arange(SOURCES), searched), np.full(K, 0.995))):
        at = rng.choice(np.flatnonzero(np.isin(sources, members)), K, replace=False)
        noise = rng.standard_normal((K, DIM))
        noise = _unit(noise - np.outer(noise @ question, question))  # at right angles to the question
        vectors[at] = closeness[:, None] * question + np.sqrt(1 - closeness[:, None] ** 2) * noise
    ids = [f"p{n:06d}" for n in range(PASSAGES)]
    col = collection("big", "passages")
    store.upsert(col, [Record(id=ids[n], text=f"passage {n}", metadata={"source_id": f"s{sources[n]:05d}"},
                              embedding=vectors[n].tolist()) for n in range(PASSAGES)])
    assert store.count(col) == PASSAGES

    got = store.get(col, ids=ids)
    assert sorted(r.id for r in got) == ids
    assert all(r.text == f"passage {int(r.id[1:])}" and r.metadata == {"source_id": f"s{sources[int(r.id[1:])]:05d}"}
               for r in got)
    assert sorted(r.id for r in store.get(col)) == ids
    every_seventh = {r.id: r.embedding for r in store.get(col, ids=ids[::7], embeddings=True)}
    assert np.allclose([every_seventh[i] for i in ids[::7]], vectors[::7], atol=1e-6)

    wanted = [f"s{s:05d}" for s in searched]
    in_searched = np.flatnonzero(np.isin(sources, searched))
    listed = store.get(col, where={"source_id": {"$in": wanted}})
    assert sorted(r.id for r in listed) == [ids[n] for n in in_searched]

    hits = store.query(col, question.tolist(), K, where={"source_id": {"$in": wanted}})
    similarity = vectors @ question
    nearest = in_searched[np.argsort(-similarity[in_searched])[:K]]  # brute force
    assert [r.id for r, _ in hits] == [ids[n] for n in nearest]
    assert np.allclose([sim for _, sim in hits], similarity[nearest], atol=1e-4)

    store.delete(col, where={"source_id": {"$in": wanted}})
    assert store.count(col) == PASSAGES - len(in_searched)
    store.delete(col, ids=ids)
    assert store.count(col) == 0
    assert store.get(col) == [] and store.get(col, ids=ids) == []


def test_what_comes_in_batches_and_pages_is_what_one_call_gives(store, monkeypatch):
    """With the store's limits shrunk to 3 ids and 4 records a page, a listing, a get by id, a filter
    with a long `$in` (alone, under `$and`, under `$or`), a search and a delete give exactly what one call
    would: nothing lost or doubled at a batch or page edge, the nearest first."""
    monkeypatch.setattr(store_module, "ID_BATCH", 3)
    monkeypatch.setattr(store_module, "PAGE", 4)
    rng = np.random.default_rng(SEED)
    vectors = _unit(rng.standard_normal((20, 4)))
    meta = {f"p{n:02d}": {"source_id": f"s{n % 10}", "kind": "ab"[n % 2]} for n in range(20)}
    col = collection("small", "passages")
    store.upsert(col, [Record(id=i, text=i, metadata=m, embedding=vectors[n].tolist())
                       for n, (i, m) in enumerate(meta.items())])
    seven = [f"s{s}" for s in range(7)]
    long_in = {"source_id": {"$in": seven}}

    def ids(**kwargs) -> list[str]:
        return sorted(r.id for r in store.get(col, **kwargs))

    def matching(test) -> list[str]:
        return sorted(i for i, m in meta.items() if test(m))

    assert ids() == sorted(meta)  # 20 records: five full pages, then an empty one
    assert ids(ids=[*meta, "p99", "p00"]) == sorted(meta)
    assert ids(where=long_in) == matching(lambda m: m["source_id"] in seven)
    both = {"$and": [{"kind": "a"}, long_in]}
    assert ids(where=both) == matching(lambda m: m["kind"] == "a" and m["source_id"] in seven)
    either = {"$or": [{"kind": "a"}, long_in]}
    assert ids(where=either) == matching(lambda m: m["kind"] == "a" or m["source_id"] in seven)
    assert ids(ids=["p01", "p02", "p08", "p09", "p16"], where=long_in) == ["p01", "p02", "p16"]

    question = _unit(rng.standard_normal(4))
    allowed = [n for n, m in enumerate(meta.values()) if m["source_id"] in seven]
    nearest = sorted(allowed, key=lambda n: -float(vectors[n] @ question))[:5]
    hits = store.query(col, question.tolist(), 5, where=long_in)
    assert [r.id for r, _ in hits] == [f"p{n:02d}" for n in nearest]
    assert np.allclose([s for _, s in hits], [vectors[n] @ question for n in nearest], atol=1e-5)

    store.delete(col, where=either)
    assert ids() == matching(lambda m: not (m["kind"] == "a" or m["source_id"] in seven))
    store.delete(col, ids=sorted(meta))
    assert store.count(col) == 0
