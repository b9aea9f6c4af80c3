"""Ingestion: read, split, embed and store documents, incrementally.

A document's identity is its source id (the file name's slug) within its
scope; its content hash decides whether anything needs doing. A failing file
stores nothing.

A document's record is what lists it, so it is written last: after all its
passages are stored and any stale ones deleted. A changed document is
unlisted while it is rewritten. A run killed at any instant thus leaves every
document either listed with exactly its passages or not listed, its stored
passages unseen by retrieval; running it again reuses their vectors and
completes it.
"""
from __future__ import annotations

import hashlib
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import numpy as np

from ..errors import UnreadableDocument
from ..schema import Passage, SourceText
from .embedding import Embedder
from .library import drop_document
from .passages import split
from .reading import READERS, read_document, read_markdown, slug
from .store import Record, Store
from .workspaces import collection

Progress = Callable[[int, int, str], None]  # (done, total, what)


@dataclass
class FileResult:
    path: str
    source_id: str = ""
    status: str = "failed"  # added | updated | unchanged | failed
    passages: int = 0
    embedded: int = 0
    error: str | None = None


@dataclass
class IngestReport:
    files: list[FileResult] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failed(self) -> list[FileResult]:
        return [f for f in self.files if f.status == "failed"]

    @property
    def embedded(self) -> int:
        return sum(f.embedded for f in self.files)


def content_hash(source: SourceText) -> str:
    key = "\x00".join([source.text, source.title, source.author or "", source.kind])
    return hashlib.sha256(key.encode()).hexdigest()[:24]


def expand(paths: Iterable[str | Path]) -> list[Path]:
    """Files named directly, plus supported files found inside named folders."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in READERS))
        else:
            out.append(p)
    return out


def ingest_paths(store: Store, embedder: Embedder, paths: Iterable[str | Path], workspace: str | None,
                 progress: Progress | None = None, batch_size: int = 64) -> IngestReport:
    """Ingest files into a workspace (None = the shared essays); one bad file never stops the batch."""
    started = time.perf_counter()
    report = IngestReport()
    sources: list[tuple[FileResult, SourceText]] = []
    for path in expand(paths):
        result = FileResult(path=str(path))
        report.files.append(result)
        try:
            source = read_document(path)
        except UnreadableDocument as exc:
            result.error = str(exc)
            continue
        result.source_id = source.source_id
        sources.append((result, source))
    ingest_sources(store, embedder, sources, workspace, progress, batch_size)
    report.seconds = time.perf_counter() - started
    return report


def ingest_sources(store: Store, embedder: Embedder, sources: list[tuple[FileResult, SourceText]],
                   workspace: str | None, progress: Progress | None = None, batch_size: int = 64) -> None:
    """Store the sources that changed, each document's record last (see above); results go into each FileResult."""
    docs_col, passages_col = collection(workspace, "docs"), collection(workspace, "passages")
    known = {r.id: r for r in store.get(docs_col, ids=[s.source_id for _, s in sources], embeddings=True)}
    work: list[tuple[FileResult, SourceText, str, list[Passage]]] = []
    for result, source in sources:
        digest = content_hash(source)
        meta = known[source.source_id].metadata if source.source_id in known else {}
        if meta.get("hash") == digest:
            result.status, result.passages = "unchanged", int(meta.get("passages", 0))
            continue
        passages = split(source)
        if not passages:
            result.error = f"{source.path}: no sentences found to index"
            continue
        result.status = "updated" if source.source_id in known else "added"
        work.append((result, source, digest, passages))
    # What is stored of these documents, an earlier version or what a killed run left unlisted: its vectors
    # are reused, so a small edit or a second run re-embeds little.
    stored = store.get(passages_col, where={"source_id": {"$in": sorted({s.source_id for _, s, _, _ in work})}},
                       embeddings=True) if work else []
    old: dict[str, dict[str, list[float]]] = {}
    for r in stored:
        if r.embedding is not None:
            old.setdefault(str(r.metadata.get("source_id")), {})[r.text] = r.embedding
    owners: dict[str, list[tuple[Passage, str]]] = {}
    reused: list[Record] = []
    for _, source, digest, passages in work:
        for p in passages:
            vector = old.get(source.source_id, {}).get(p.text)
            if vector is None:
                owners.setdefault(p.text, []).append((p, digest))
            else:
                reused.append(_passage_record(p, digest, vector))
    texts = list(owners)
    todo = [t for _, t in sorted(zip(embedder.lengths(texts), texts), key=lambda c: c[0], reverse=True)]
    existing = {r.id for r in stored}
    replaced = [known[s.source_id] for r, s, _, _ in work if r.status == "updated"]
    written: list[str] = []
    sums: dict[str, np.ndarray] = {}
    pruning = False
    try:
        store.delete(docs_col, ids=[r.id for r in replaced])
        # Embedding and writing overlap: each batch is stored while the next is embedded.
        with ThreadPoolExecutor(max_workers=1) as writer:
            pending = []
            if progress:
                progress(0, len(todo), "embedding")
            for i in range(0, len(todo), batch_size):
                batch = todo[i : i + batch_size]
                records = [_passage_record(p, digest, v) for text, v in zip(batch, embedder.embed_batch(batch))
                           for p, digest in owners[text]]
                for r in records:
                    _accumulate(sums, r)
                written += [r.id for r in records]
                pending.append(writer.submit(store.upsert, passages_col, records))
                if progress:
                    progress(min(i + batch_size, len(todo)), len(todo), "embedding")
            written += [r.id for r in reused]
            for r in reused:
                _accumulate(sums, r)
            pending.append(writer.submit(store.upsert, passages_col, reused))
            for future in pending:
                future.result()
        kept = {p.id for *_, passages in work for p in passages}
        pruning = True
        store.delete(passages_col, ids=[r.id for r in stored if r.id not in kept])
        store.upsert(docs_col, [_doc_record(source, digest, len(passages), sums[source.source_id])
                                for _, source, digest, passages in work])
    except Exception as exc:  # the store's or the model's own errors vary by backend
        store.delete(passages_col, ids=[i for i in written if i not in existing])
        if not pruning:  # the old versions still have all their passages: list them again
            store.upsert(docs_col, replaced)
        for result, *_ in work:
            result.status, result.error = "failed", f"{result.path}: not stored ({type(exc).__name__}: {exc})"
        return
    for result, source, _, passages in work:
        result.passages = len(passages)
        result.embedded = len({p.text for p in passages if p.text in owners})


def _passage_record(p: Passage, digest: str, vector: list[float]) -> Record:
    return Record(id=p.id, text=p.text, embedding=vector, metadata={
        "source_id": p.source_id, "source": p.source, "author": p.author or "", "kind": p.kind,
        "start": p.start, "end": p.end, "section": p.section, "doc_hash": digest,
    })


def _accumulate(sums: dict[str, np.ndarray], r: Record) -> None:
    sid = str(r.metadata["source_id"])
    v = np.asarray(r.embedding, dtype=np.float32)
    sums[sid] = sums[sid] + v if sid in sums else v


def _doc_record(source: SourceText, digest: str, n_passages: int, total: np.ndarray) -> Record:
    """The record that lists a document; written after its passages, so it marks them complete.
    Its vector is the normalised mean of its passages'."""
    vector = (total / (np.linalg.norm(total) or 1.0)).tolist()
    return Record(id=source.source_id, text=source.text, embedding=vector, metadata={
        "title": source.title, "author": source.author or "", "kind": source.kind, "path": source.path,
        "hash": digest, "passages": n_passages, "chars": len(source.text), "added": time.time(),
    })


def bundled_paths(corpus_dir: Path) -> list[Path]:
    return sorted((corpus_dir / "essays").glob("*.md"))


def bundled_titles(corpus_dir: Path) -> dict[str, str]:
    """source_id -> title of every bundled essay, read from its front matter (no store needed)."""
    return {s.source_id: s.title for s in map(read_markdown, bundled_paths(Path(corpus_dir)))}


def ensure_bundled(store: Store, embedder: Embedder, corpus_dir: Path,
                   progress: Progress | None = None) -> IngestReport:
    """Load or refresh the shared essays; cheap when they are already in."""
    paths = bundled_paths(corpus_dir)
    report = ingest_paths(store, embedder, paths, None, progress)
    present = {slug(p.stem) for p in paths}
    for source_id in [r.id for r in store.get(collection(None, "docs")) if r.id not in present]:
        drop_document(store, None, source_id)
    return report
