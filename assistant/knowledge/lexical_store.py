"""The store with a lexical index beside each passages collection, kept on disk and in step with it.

Writes made through this store update the index as they happen (ingestion pays for its own index
writes); a process that finds the store's revision moved under it (another process wrote, perhaps
on another machine through the same Chroma server) compares its index's passage ids with the
store's and fetches only what it lacks. So nothing is rebuilt at start or at the first query: an
index is built in full once per home, when none is on disk yet (a store filled by an older
release). Indexes are written under a file lock and replaced atomically; a reader never sees half
of one, and an index it cannot read is rebuilt from the store, which is the truth.
"""
from __future__ import annotations

import fcntl
import hashlib
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .lexical import LexicalIndex, search
from ..settings import Settings
from .store import Metadata, Record, Store, get_store, store_key

PASSAGES = "-passages"  # the collections that are indexed: see workspaces.collection


class LexicalStore:
    """A Store (it forwards every call) that also answers ``lexical(collections, query, k, sources)``."""

    def __init__(self, store: Store, folder: Path) -> None:
        self.inner = store
        self.folder = folder
        self.label = getattr(store, "label", "")
        self._indexes: dict[str, LexicalIndex] = {}
        self._lock = threading.RLock()

    # -- the lexical index --------------------------------------------------------
    def lexical(self, collections: list[str], query: str, k: int,
                sources: frozenset[str] | None = None) -> list[tuple[str, float]]:
        """The k best BM25 matches over these collections' passages, scored as one index."""
        with self._lock:
            return search([self.index(c) for c in collections], query, k, sources)

    def index(self, collection: str) -> LexicalIndex:
        """The collection's index, in step with the store: read again only after a write moved the store's
        revision, and then only what changed."""
        revision = self.inner.revision(collection)
        with self._lock:
            current = self._indexes.get(collection)
            if current is not None and current.revision == revision:
                return current
            with self._writing(collection) as index:
                if index.revision != revision:
                    self._catch_up(collection, index)
                    index.revision = revision
                return index

    def _catch_up(self, collection: str, index: LexicalIndex) -> None:
        stored = set(self.ids(collection))
        have = index.ids()
        index.remove(have - stored)
        missing = sorted(stored - have)
        if missing:
            records = self.inner.get(collection, ids=missing)
            index.add([r.id for r in records], [r.text for r in records], [_source(r.metadata) for r in records])

    @contextmanager
    def _writing(self, collection: str) -> Iterator[LexicalIndex]:
        """The latest saved index, to change and save under a file lock (other processes write it too); the
        one in memory is reused while no other process has saved since."""
        folder = self.folder / collection
        with self._lock:
            folder.mkdir(parents=True, exist_ok=True)
            with open(folder / ".lock", "a+b") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)
                try:
                    index = self._indexes.get(collection)
                    if index is None or index.generation != LexicalIndex.saved_generation(folder):
                        index = LexicalIndex.load(folder, index) or LexicalIndex()
                    self._indexes[collection] = index
                    try:
                        yield index
                        index.save(folder)
                    except BaseException:
                        self._indexes.pop(collection, None)  # half-changed: read it again from disk
                        raise
                finally:
                    fcntl.flock(lock, fcntl.LOCK_UN)

    # -- the Store interface: writes to passages go to the index too -------------
    def upsert(self, collection: str, records: list[Record]) -> None:
        self.inner.upsert(collection, records)
        if records and collection.endswith(PASSAGES):
            with self._writing(collection) as index:
                index.add([r.id for r in records], [r.text for r in records], [_source(r.metadata) for r in records])

    def delete(self, collection: str, ids: list[str] | None = None, where: dict | None = None) -> None:
        if collection.endswith(PASSAGES) and ids is None:
            ids = [r.id for r in self.inner.get(collection, where=where)] if where is not None else None
        self.inner.delete(collection, ids=ids, where=where)
        if collection.endswith(PASSAGES):
            with self._writing(collection) as index:
                index.remove(index.ids() if ids is None else ids)

    def drop(self, collection: str) -> None:
        self.inner.drop(collection)
        with self._lock:
            self._indexes.pop(collection, None)
            shutil.rmtree(self.folder / collection, ignore_errors=True)

    def get(self, collection: str, ids: list[str] | None = None, where: dict | None = None,
            embeddings: bool = False) -> list[Record]:
        return self.inner.get(collection, ids=ids, where=where, embeddings=embeddings)

    def ids(self, collection: str) -> list[str]:
        return self.inner.ids(collection)

    def query(self, collection: str, embedding: list[float], k: int,
              where: dict | None = None) -> list[tuple[Record, float]]:
        return self.inner.query(collection, embedding, k, where=where)

    def count(self, collection: str) -> int:
        return self.inner.count(collection)

    def revision(self, collection: str) -> int:
        return self.inner.revision(collection)

    def collections(self) -> list[str]:
        return self.inner.collections()


def _source(metadata: Metadata) -> str:
    return str(metadata.get("source_id", ""))


def index_folder(home: Path, store_key: str) -> Path:
    """Indexes of one store (an embedded one, or a database on a server) under the home."""
    return home / "lexical" / hashlib.sha256(store_key.encode("utf-8")).hexdigest()[:16]


_OPEN: dict[int, LexicalStore] = {}
_OPEN_LOCK = threading.Lock()


def open_store(settings: Settings) -> LexicalStore:
    """The process-wide store for these settings, with its lexical indexes under the home."""
    inner = get_store(settings)
    with _OPEN_LOCK:
        if id(inner) not in _OPEN:
            _OPEN[id(inner)] = LexicalStore(inner, index_folder(settings.home, store_key(settings)))
        return _OPEN[id(inner)]
