"""Hybrid retrieval: dense (Chroma) + lexical (BM25), fused by reciprocal rank.

Then near-duplicates go, and no single source may fill the whole result
while other sources have relevant passages. Only passages of listed
documents count: an ingest killed before a document's record was written
leaves passages that no answer may cite.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field, replace

import numpy as np

from ..schema import Hit, Passage
from .embedding import Embedder
from .lexical import tokens
from .lexical_store import LexicalStore
from .rules import (
    CANDIDATES,
    DEDUPE_DEPTH,
    DIVERSITY_MIN_SIMILARITY,
    DUPLICATE_JACCARD,
    MAX_SHARE_PER_SOURCE,
    RRF_K,
    WINDOW_PASSAGES,
)
from .store import Record
from .workspaces import collection


def to_passage(r: Record) -> Passage:
    m = r.metadata
    return Passage(
        id=r.id, source_id=str(m.get("source_id", "")), text=r.text, start=int(m.get("start", 0)),
        end=int(m.get("end", 0)), source=str(m.get("source", "")), author=str(m.get("author", "")) or None,
        kind=str(m.get("kind", "document")), section=str(m.get("section", "")),
    )


@dataclass
class Retriever:
    store: LexicalStore
    embedder: Embedder
    _listed: dict[str, tuple[int, frozenset[str]]] = field(default_factory=dict)
    _unions: dict[tuple[int, ...], tuple[list[frozenset[str]], frozenset[str]]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def scopes(self, workspace: str | None) -> list[str]:
        return [collection(scope, "passages") for scope in _scopes(workspace)]

    def listed(self, scope: str | None) -> frozenset[str]:
        """Source ids of the documents a scope lists, read again only after a write to its records."""
        return self._listed_at(scope)[1]

    def _listed_at(self, scope: str | None) -> tuple[int, frozenset[str]]:
        col = collection(scope, "docs")
        if col not in self._listed:
            self.store.count(col)  # a new workspace gets its empty collection, so that it has a revision
        revision = self.store.revision(col)
        with self._lock:
            cached = self._listed.get(col)
            if cached and cached[0] == revision:
                return cached
        listed = (revision, frozenset(self.store.ids(col)))  # ids only: not every document's text
        with self._lock:
            self._listed[col] = listed
        return listed

    def lexical(self, query: str, workspace: str | None,
                listed: dict[str | None, frozenset[str]] | None = None) -> list[tuple[str, float]]:
        """BM25 over the shared and workspace passages as one index, listed documents' passages only."""
        listed = listed or {scope: self.listed(scope) for scope in _scopes(workspace)}
        return self.store.lexical(self.scopes(workspace), query, CANDIDATES, self._union(list(listed.values())))

    def _union(self, parts: list[frozenset[str]]) -> frozenset[str]:
        """One set object per combination of listings, kept: the index recognises a set it has seen by
        identity, where a new one of 7,000 ids would be hashed and compared again at every search."""
        key = tuple(id(p) for p in parts)
        with self._lock:
            if self._unions.get(key, (None,))[0] != parts:
                if len(self._unions) > 64:
                    self._unions.clear()
                self._unions[key] = (parts, frozenset().union(*parts))
            return self._unions[key][1]

    def with_windows(self, hits: list[Hit], workspace: str | None) -> list[Hit]:
        """Each hit with its sentence window: the passage before and after it in the same section, as one
        exact span of the source, so a rebuttal comes with the assertion it answers. The hits' documents
        and their passages are read in one call per scope, not one per hit."""
        sources = sorted({h.passage.source_id for h in hits})
        texts: dict[str, str] = {}
        neighbours: dict[str, list[Passage]] = {}
        for scope in ([None, workspace] if workspace else [None]):
            wanted = [sid for sid in sources if sid not in texts]
            if not wanted:
                break
            found = {r.id: r.text for r in self.store.get(collection(scope, "docs"), ids=wanted)}
            texts.update(found)
            for r in self.store.get(collection(scope, "passages"), where={"source_id": {"$in": sorted(found)}}) \
                    if found else []:
                neighbours.setdefault(str(r.metadata.get("source_id", "")), []).append(to_passage(r))
        out = []
        for hit in hits:
            sid = hit.passage.source_id
            found = _window(hit.passage, texts[sid], neighbours.get(sid, [])) if sid in texts else None
            out.append(replace(hit, window=found[1], window_start=found[0]) if found else hit)
        return out

    def own_documents(self, vector: list[float], workspace: str | None, k: int) -> list[Hit]:
        """The workspace's own passages nearest the question, by embedding alone: a team's documents are read
        on every question, even when the essays' wording is closer to it."""
        if not workspace or k <= 0 or not self.listed(workspace):  # no documents: no query
            return []
        return [Hit(passage=to_passage(rec), score=0.0, dense_rank=n, similarity=sim)
                for n, (rec, sim) in enumerate(self._nearest(workspace, vector, k), 1)]

    def closest(self, vector: list[float], workspace: str | None) -> float:
        """Cosine similarity of the nearest passage: is the question in scope at all?"""
        return max((sim for scope in _scopes(workspace) for _, sim in self._nearest(scope, vector, 1)), default=0.0)

    def _nearest(self, scope: str | None, vector: list[float], k: int,
                 listed: frozenset[str] | None = None) -> list[tuple[Record, float]]:
        """The k passages of listed documents nearest the vector; unfiltered unless unlisted ones come up."""
        col = collection(scope, "passages")
        listed = self.listed(scope) if listed is None else listed
        found = self.store.query(col, vector, k)
        if all(r.metadata.get("source_id") in listed for r, _ in found):
            return found
        return self.store.query(col, vector, k, where={"source_id": {"$in": sorted(listed)}}) if listed else []

    def search(self, query: str, k: int = 8, workspace: str | None = None,
               vector: list[float] | None = None) -> list[Hit]:
        if k <= 0 or not query.strip():
            return []
        vector = vector or self.embedder.embed_batch([query])[0]
        cols = self.scopes(workspace)
        listed = {scope: self.listed(scope) for scope in _scopes(workspace)}  # read once per search
        dense = sorted(
            ((rec, sim, col) for col, scope in zip(cols, _scopes(workspace))
             for rec, sim in self._nearest(scope, vector, CANDIDATES, listed[scope])),
            key=lambda t: -t[1],
        )[:CANDIDATES]
        lexical = self.lexical(query, workspace, listed)
        records: dict[str, Record] = {rec.id: rec for rec, _, _ in dense}
        similarity = {rec.id: sim for rec, sim, _ in dense}
        fused: dict[str, float] = {}
        dense_rank = {rec.id: n for n, (rec, _, _) in enumerate(dense, 1)}
        lexical_rank = {pid: n for n, (pid, _) in enumerate(lexical, 1)}
        for ranks in (dense_rank, lexical_rank):
            for pid, n in ranks.items():
                fused[pid] = fused.get(pid, 0.0) + 1.0 / (RRF_K + n)
        order = sorted(fused, key=lambda pid: -fused[pid])
        limit = k * DEDUPE_DEPTH
        upto = 2 * limit  # records the lexical side alone found are read as far down the fusion as needed
        while True:
            self._read(cols, [pid for pid in order[:upto] if pid not in records], vector, records, similarity)
            hits = [Hit(passage=to_passage(records[pid]), score=fused[pid], dense_rank=dense_rank.get(pid),
                        lexical_rank=lexical_rank.get(pid), similarity=similarity.get(pid, 0.0))
                    for pid in order[:upto] if pid in records]
            kept = dedupe(hits, limit=limit)
            if len(kept) >= limit or upto >= len(order):
                return diversify(kept, k)
            upto *= 2

    def _read(self, cols: list[str], ids: list[str], vector: list[float], records: dict[str, Record],
              similarity: dict[str, float]) -> None:
        """Records (with their similarity to the query vector) of passages only the lexical side found."""
        for col in cols:
            if not ids:
                return
            found = [rec for rec in self.store.get(col, ids=ids, embeddings=True) if rec.embedding]
            if found:
                sims = np.asarray([rec.embedding for rec in found], dtype=np.float32) @ np.asarray(vector, np.float32)
                for rec, sim in zip(found, sims.tolist()):
                    records[rec.id], similarity[rec.id] = rec, sim  # unit vectors: the dot is the cosine
            ids = [i for i in ids if i not in records]


def _window(passage: Passage, text: str, passages: list[Passage]) -> tuple[int, str] | None:
    same = sorted((p for p in passages if p.section == passage.section), key=lambda p: p.start)
    at = next((i for i, p in enumerate(same) if p.id == passage.id), None)
    if at is None:
        return None
    start = same[max(0, at - WINDOW_PASSAGES)].start
    end = same[min(len(same) - 1, at + WINDOW_PASSAGES)].end
    return start, text[start:end]


def _scopes(workspace: str | None) -> list[str | None]:
    """The shared essays, then the workspace's own documents."""
    return [None, workspace] if workspace else [None]


def dedupe(hits: list[Hit], limit: int | None = None) -> list[Hit]:
    """Drop passages that say what a better-ranked one said; stop once ``limit`` are kept."""
    kept: list[tuple[Hit, set[str]]] = []
    for hit in hits:
        if limit is not None and len(kept) >= limit:
            break
        words = set(tokens(hit.passage.text))
        if any(_jaccard(words, other) >= DUPLICATE_JACCARD for _, other in kept):
            continue
        kept.append((hit, words))
    return [h for h, _ in kept]


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else float(a == b)


def diversify(hits: list[Hit], k: int) -> list[Hit]:
    """Cap each source's share of k while other relevant sources wait."""
    cap = max(1, int(k * MAX_SHARE_PER_SOURCE))
    relevant_sources = {h.passage.source_id for h in hits if h.similarity >= DIVERSITY_MIN_SIMILARITY}
    if len(relevant_sources) < 2:
        return hits[:k]
    chosen, waiting, per_source = [], [], {}  # type: ignore[var-annotated]
    for hit in hits:
        sid = hit.passage.source_id
        if per_source.get(sid, 0) < cap:
            chosen.append(hit)
            per_source[sid] = per_source.get(sid, 0) + 1
        else:
            waiting.append(hit)
        if len(chosen) == k:
            break
    chosen += waiting[: k - len(chosen)]
    return sorted(chosen, key=lambda h: -h.score)
