"""The vector store behind one small interface; Chroma types stay in here.

``ChromaStore`` talks to an embedded, persistent Chroma under
``CLAIMCHECK_HOME`` or, with ``CLAIMCHECK_CHROMA_URL``, to a Chroma server.
Embeddings are always ours: Chroma's default embedding function would
download a model at run time.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlparse

from ..errors import StoreUnavailable
from ..settings import Settings

Metadata = dict[str, str | int | float | bool]


@dataclass
class Record:
    id: str
    text: str
    metadata: Metadata = field(default_factory=dict)
    embedding: list[float] | None = None


class Store(Protocol):
    def upsert(self, collection: str, records: list[Record]) -> None: ...
    def get(self, collection: str, ids: list[str] | None = None, where: dict | None = None,
            embeddings: bool = False) -> list[Record]: ...
    def query(self, collection: str, embedding: list[float], k: int,
              where: dict | None = None) -> list[tuple[Record, float]]: ...
    def delete(self, collection: str, ids: list[str] | None = None, where: dict | None = None) -> None: ...
    def count(self, collection: str) -> int: ...
    def revision(self, collection: str) -> int: ...
    def collections(self) -> list[str]: ...
    def drop(self, collection: str) -> None: ...


class ChromaStore:
    """Cosine-space collections; a revision counter in collection metadata lets
    readers (the lexical index) notice writes made by other processes."""

    def __init__(self, client: Any, label: str) -> None:
        self._client = client
        self.label = label
        self._lock = threading.RLock()
        self._handles: dict[str, Any] = {}

    def _col(self, name: str) -> Any:
        with self._lock:
            if name not in self._handles:
                self._handles[name] = self._client.get_or_create_collection(
                    name, embedding_function=None, configuration={"hnsw": {"space": "cosine"}},
                    metadata={"revision": 0},
                )
            return self._handles[name]

    def _bump(self, name: str) -> None:
        col = self._col(name)
        current = self._client.get_collection(name, embedding_function=None).metadata or {}
        col.modify(metadata={"revision": int(current.get("revision", 0)) + 1})

    def upsert(self, collection: str, records: list[Record]) -> None:
        if not records:
            return
        col = self._col(collection)
        step = 1000
        for i in range(0, len(records), step):
            chunk = records[i : i + step]
            col.upsert(
                ids=[r.id for r in chunk], documents=[r.text for r in chunk],
                embeddings=[r.embedding for r in chunk],  # type: ignore[misc]
                metadatas=[r.metadata or {"_": 0} for r in chunk],
            )
        self._bump(collection)

    def get(self, collection: str, ids: list[str] | None = None, where: dict | None = None,
            embeddings: bool = False) -> list[Record]:
        if ids is not None and not ids:
            return []
        include = ["documents", "metadatas"] + (["embeddings"] if embeddings else [])
        res = self._col(collection).get(ids=ids, where=where, include=include)
        embs = res.get("embeddings") if embeddings else None
        return [
            Record(id=i, text=d or "", metadata=dict(m or {}),
                   embedding=[float(x) for x in embs[n]] if embs is not None else None)
            for n, (i, d, m) in enumerate(zip(res["ids"], res["documents"], res["metadatas"]))
        ]

    def query(self, collection: str, embedding: list[float], k: int,
              where: dict | None = None) -> list[tuple[Record, float]]:
        col = self._col(collection)
        n = min(k, col.count())
        if n <= 0:
            return []
        res = col.query(query_embeddings=[embedding], n_results=n, where=where,
                        include=["documents", "metadatas", "distances"])
        return [
            (Record(id=i, text=d or "", metadata=dict(m or {})), 1.0 - float(dist))
            for i, d, m, dist in zip(res["ids"][0], res["documents"][0], res["metadatas"][0], res["distances"][0])
        ]

    def delete(self, collection: str, ids: list[str] | None = None, where: dict | None = None) -> None:
        if ids is not None and not ids:
            return
        self._col(collection).delete(ids=ids, where=where)
        self._bump(collection)

    def count(self, collection: str) -> int:
        return int(self._col(collection).count())

    def revision(self, collection: str) -> int:
        meta = self._client.get_collection(collection, embedding_function=None).metadata or {}
        return int(meta.get("revision", 0))

    def collections(self) -> list[str]:
        return sorted(c if isinstance(c, str) else c.name for c in self._client.list_collections())

    def drop(self, collection: str) -> None:
        with self._lock:
            self._handles.pop(collection, None)
            if collection in self.collections():
                self._client.delete_collection(collection)


def _chroma_settings(**extra: Any) -> Any:
    from chromadb.config import Settings as ChromaSettings

    return ChromaSettings(anonymized_telemetry=False, allow_reset=False, **extra)


_STORES: dict[str, ChromaStore] = {}
_STORES_LOCK = threading.Lock()


def get_store(settings: Settings) -> Store:
    """The process-wide store for these settings: a server if a URL is set."""
    key = f"{settings.chroma_url}/{settings.chroma_database}" if settings.chroma_url else str(settings.home)
    with _STORES_LOCK:
        if key not in _STORES:
            _STORES[key] = _open(settings)
        return _STORES[key]


def _open(settings: Settings) -> ChromaStore:
    import chromadb

    if settings.chroma_url:
        url = urlparse(settings.chroma_url)
        host, port, ssl = url.hostname or "localhost", url.port or 8000, url.scheme == "https"
        try:
            admin = chromadb.AdminClient(_chroma_settings(
                chroma_api_impl="chromadb.api.fastapi.FastAPI", chroma_server_host=host,
                chroma_server_http_port=port, chroma_server_ssl_enabled=ssl))
            names = {d["name"] for d in admin.list_databases()}
            if settings.chroma_database not in names:
                admin.create_database(settings.chroma_database)
            client = chromadb.HttpClient(host=host, port=port, ssl=ssl, settings=_chroma_settings(),
                                         database=settings.chroma_database)
            client.heartbeat()
        except Exception as exc:  # chromadb raises many kinds here
            raise StoreUnavailable(settings.chroma_url, f"{type(exc).__name__}: {str(exc)[:160]}") from exc
        return ChromaStore(client, f"server {settings.chroma_url}")
    path = settings.home / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    client = chromadb.PersistentClient(path=str(path), settings=_chroma_settings())
    return ChromaStore(client, f"embedded {path}")
