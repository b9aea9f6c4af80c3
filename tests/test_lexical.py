"""The lexical index: exact BM25, kept on disk, updated with every write, shared by processes.

A team's library is searched by words as well as by meaning; the index must be right (scores are
BM25 whatever the segments), survive a restart without being rebuilt, and see what another process
has just added, on the embedded store and on a Chroma server.
"""
from __future__ import annotations

import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.knowledge.lexical import LexicalIndex, search
from assistant.knowledge.lexical_store import open_store
from assistant.knowledge.rules import MERGE_WIDTH
from assistant.knowledge.workspaces import collection
from assistant.settings import Settings

from .conftest import CORPUS

WS = "lexical-team"
RARE = "Quillfeather"


def test_scores_are_bm25_worked_by_hand():
    """Three passages, the query "email":
    A = "email cheap" (2 tokens), B = "social media" (2), C = "email social email" (3).
    N = 3, df(email) = 2, idf = ln(1 + (3 - 2 + 0.5) / (2 + 0.5)) = ln(1.6) = 0.4700; mean length 7/3.
    A: tf 1, K = 1.5 * (0.25 + 0.75 * 2 / (7/3)) = 1.3393, score = 0.4700 * 1 * 2.5 / (1 + 1.3393) = 0.5023.
    C: tf 2, K = 1.5 * (0.25 + 0.75 * 3 / (7/3)) = 1.8214, score = 0.4700 * 2 * 2.5 / (2 + 1.8214) = 0.6150.
    B holds no "email" and is not returned."""
    index = LexicalIndex.build(["A", "B", "C"], ["email cheap", "social media", "email social email"])
    found = dict(index.search("email", 10))
    assert set(found) == {"A", "C"}
    assert found["A"] == pytest.approx(math.log(1.6) * 2.5 / (1 + 1.5 * (0.25 + 0.75 * 2 / (7 / 3))), rel=1e-5)
    assert found["A"] == pytest.approx(0.5023, abs=1e-4)
    assert found["C"] == pytest.approx(0.6150, abs=1e-4)


def test_an_index_grown_in_small_writes_scores_exactly_as_one_built_at_once():
    """Ingestion adds a few passages at a time; the segments it leaves must not change any score."""
    channels, measures = ("email", "social", "search", "tv", "radio"), ("orders", "reach", "loyalty", "cost")
    texts = [f"passage {i} about {channels[i % 5]} and {measures[i % 4]} in week {i % 7}" for i in range(300)]
    ids = [f"p{i}" for i in range(len(texts))]
    grown = LexicalIndex()
    for i in range(0, len(ids), 3):
        grown.add(ids[i:i + 3], texts[i:i + 3])
    whole = LexicalIndex.build(ids, texts)
    assert len(grown.segments) <= 2 * MERGE_WIDTH  # merged as it grew: 100 writes, a handful of segments
    for query in ("email orders", "tv reach week 3", "loyalty cost"):
        assert dict(grown.search(query, 300)) == pytest.approx(dict(whole.search(query, 300)))


def test_removed_and_replaced_passages_are_gone_from_results_and_statistics():
    index = LexicalIndex.build(["a", "b", "c"], ["email orders", "email reach", "radio reach"])
    index.remove(["a"])
    index.add(["b"], ["radio orders"])
    assert index.search("email", 5) == []
    assert [pid for pid, _ in index.search("orders", 5)] == ["b"]
    alone = LexicalIndex.build(["b", "c"], ["radio orders", "radio reach"])
    assert dict(index.search("radio orders", 5)) == pytest.approx(dict(alone.search("radio orders", 5)))


def test_two_indexes_are_searched_as_one():
    """The essays' and a workspace's passages are ranked together, with statistics over both."""
    shared = LexicalIndex.build(["s1", "s2"], ["brand conversation online", "loyalty programmes"])
    team = LexicalIndex.build(["t1"], ["our loyalty programme raised repeat orders"], ["memo"])
    union = LexicalIndex.build(["s1", "s2", "t1"], ["brand conversation online", "loyalty programmes",
                                                    "our loyalty programme raised repeat orders"])
    assert dict(search([shared, team], "loyalty repeat", 5)) == pytest.approx(dict(union.search("loyalty repeat", 5)))
    assert [pid for pid, _ in search([shared, team], "loyalty", 5, frozenset({"memo"}))] == ["t1"]


def test_a_saved_index_loads_with_the_same_results(tmp_path):
    index = LexicalIndex.build(["a", "b"], ["email orders", "radio reach"])
    index.remove(["b"])
    index.revision = 42
    index.save(tmp_path / "ix")
    loaded = LexicalIndex.load(tmp_path / "ix")
    assert loaded is not None and loaded.revision == 42 and len(loaded) == 1
    assert loaded.search("email orders", 5) == index.search("email orders", 5)
    (tmp_path / "ix" / "manifest.json").write_text("{not json", encoding="utf-8")
    assert LexicalIndex.load(tmp_path / "ix") is None  # unreadable: rebuilt from the store, never a traceback


# -- the index beside the store ---------------------------------------------------------------------------

@pytest.fixture
def settings(store_settings) -> Settings:
    return store_settings


def _memo(folder: Path, name: str, word: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.md"
    path.write_text(f"# {name}\n\nThe {word} pilot doubled referral orders in the north region.\n\n"
                    "Social posts brought reach but no orders we could measure.\n", encoding="utf-8")
    return path


def _ingest_in_another_process(settings: Settings, path: Path, home: Path) -> None:
    env = {**os.environ, "CLAIMCHECK_HOME": str(home), "CLAIMCHECK_CORPUS": str(settings.corpus_dir),
           "HF_HUB_OFFLINE": "1"}
    if settings.chroma_url:
        env.update(CLAIMCHECK_CHROMA_URL=settings.chroma_url, CLAIMCHECK_CHROMA_DATABASE=settings.chroma_database)
    done = subprocess.run([sys.executable, "-m", "assistant.cli", "ingest", str(path), "-w", WS],
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr


def test_a_running_process_finds_a_rare_word_another_process_has_just_ingested(settings, tmp_path, embedder):
    """Process B is serving (its index loaded and searched); process A ingests a memo; B's next search
    finds A's rare word. On a server, a process with another home (another machine) finds it too."""
    from assistant.facade import Assistant

    b = Assistant(settings, _embedder=embedder)
    b.ensure_ready()
    assert not [h for h in b.search(RARE, k=5, workspace=WS) if RARE in h.passage.text]
    _ingest_in_another_process(settings, _memo(tmp_path / "docs", "north-memo", RARE), settings.home)
    assert any(RARE in h.passage.text for h in b.search(f"{RARE} pilot", k=5, workspace=WS))
    assert [pid for pid, _ in b.store.lexical([collection(WS, "passages")], RARE, 5)]
    if settings.chroma_url:
        elsewhere = Assistant(Settings(home=tmp_path / "other-machine", corpus_dir=CORPUS,
                                       chroma_url=settings.chroma_url, chroma_database=settings.chroma_database),
                              _embedder=embedder)
        assert elsewhere.store.lexical([collection(WS, "passages")], RARE, 5)


def test_a_restart_reads_the_index_from_disk_instead_of_the_store(settings, tmp_path, embedder, monkeypatch):
    """After a restart nothing is rebuilt: the passages are not read from the store again."""
    from assistant.facade import Assistant

    first = Assistant(settings, _embedder=embedder)
    first.ingest([_memo(tmp_path / "docs", "north-memo", RARE)], workspace=WS)
    assert first.store.lexical([collection(WS, "passages")], RARE, 5)
    import assistant.knowledge.lexical_store as lexical_store
    import assistant.knowledge.store as store_module

    monkeypatch.setattr(lexical_store, "_OPEN", {})
    monkeypatch.setattr(store_module, "_STORES", {})
    restarted = open_store(settings)
    assert restarted is not first.store
    reads = []
    inner_get = restarted.inner.get
    monkeypatch.setattr(restarted.inner, "get", lambda c, *a, **k: reads.append(c) or inner_get(c, *a, **k))
    found = restarted.lexical([collection(WS, "passages")], RARE, 5)
    assert found and not [c for c in reads if c.endswith("-passages")]


def test_removing_a_document_removes_its_words(settings, tmp_path, embedder):
    from assistant.facade import Assistant

    a = Assistant(settings, _embedder=embedder)
    a.ingest([_memo(tmp_path / "docs", "north-memo", RARE)], workspace=WS)
    a.remove_document("north-memo", workspace=WS)
    assert a.store.lexical([collection(WS, "passages")], RARE, 5) == []
