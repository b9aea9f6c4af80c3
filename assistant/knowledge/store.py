"""The vector store behind one small interface; Chroma types stay in here.

``ChromaStore`` talks to an embedded, persistent Chroma under
``CLAIMCHECK_HOME`` or, with ``CLAIMCHECK_CHROMA_URL``, to a Chroma server.
Embeddings are always ours: Chroma's default embedding function would
download a model at run time.
"""
from __future__ import annotations

import functools
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Protocol, TypeVar
from urllib.parse import urlparse

from ..errors import StoreUnavailable
from ..settings import Settings

Metadata = dict[str, str | int | float | bool]
T = TypeVar("T")


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


def _guarded(method: Callable[..., T]) -> Callable[..., T]:
    """A store method whose server failures become StoreUnavailable; a collection handle gone stale
    (a server restarted on other data) is fetched again once."""
    @functools.wraps(method)
    def call(self: "ChromaStore", *args: Any, **kwargs: Any) -> T:
        from chromadb.errors import NotFoundError

        with self._talking():
            try:
                return method(self, *args, **kwargs)
            except NotFoundError:
                if self.url is None or not self._handles:
                    raise
                self._forget()
                return method(self, *args, **kwargs)
    return call


class ChromaStore:
    """Cosine-space collections; a revision counter in collection metadata lets
    readers (the lexical index) notice writes made by other processes.

    With a server (``url`` set) every call either works or raises StoreUnavailable,
    and the same object works again once the server is back."""

    def __init__(self, client: Any, label: str, url: str | None = None, timeout: float = 30.0) -> None:
        self._client = client
        self.label = label
        self.url, self.timeout = url, timeout
        self._lock = threading.RLock()
        self._handles: dict[str, Any] = {}

    @contextmanager
    def _talking(self) -> Iterator[None]:
        """Down, hung or failing server -> StoreUnavailable; bad arguments and the like pass unchanged."""
        if self.url is None:
            yield
            return
        try:
            yield
        except Exception as exc:
            error = _unavailable(self.url, exc, self.timeout)
            if error is None:
                raise
            self._forget()
            raise error from exc

    def _forget(self) -> None:
        """Drop cached collection handles: after an outage they are looked up afresh."""
        with self._lock:
            self._handles.clear()

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

    @_guarded
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

    @_guarded
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

    @_guarded
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

    @_guarded
    def delete(self, collection: str, ids: list[str] | None = None, where: dict | None = None) -> None:
        if ids is not None and not ids:
            return
        self._col(collection).delete(ids=ids, where=where)
        self._bump(collection)

    @_guarded
    def count(self, collection: str) -> int:
        return int(self._col(collection).count())

    @_guarded
    def revision(self, collection: str) -> int:
        meta = self._client.get_collection(collection, embedding_function=None).metadata or {}
        return int(meta.get("revision", 0))

    @_guarded
    def collections(self) -> list[str]:
        return sorted(c if isinstance(c, str) else c.name for c in self._client.list_collections())

    @_guarded
    def drop(self, collection: str) -> None:
        with self._lock:
            self._handles.pop(collection, None)
            if collection in self.collections():
                self._client.delete_collection(collection)


def _chroma_settings(**extra: Any) -> Any:
    from chromadb.config import Settings as ChromaSettings

    return ChromaSettings(anonymized_telemetry=False, allow_reset=False, **extra)


def _unavailable(url: str, exc: BaseException, timeout: float) -> StoreUnavailable | None:
    """What a failed request means for the user, or None when the server is not to blame."""
    import httpx

    if isinstance(exc, httpx.TimeoutException):
        return StoreUnavailable.timed_out(url, timeout)
    if isinstance(exc, httpx.HTTPStatusError):  # only 5xx: see _raise_server_errors
        body = " ".join(exc.response.text.split())[:160]
        return StoreUnavailable.failed(url, f"HTTP {exc.response.status_code}" + (f": {body}" if body else ""))
    if isinstance(exc, httpx.TransportError):
        return StoreUnavailable(url, f"{type(exc).__name__}: {str(exc)[:160]}")
    return None


def _raise_server_errors(response: Any) -> None:
    """chromadb reports a 5xx without a Chroma error body (a proxy's 502) as a bare Exception: raise first."""
    if response.status_code >= 500:
        response.read()
        response.raise_for_status()


def _bounded(client: Any, timeout: float) -> Any:
    """chromadb 1.5.9 has no HTTP timeout setting and builds its httpx client with ``timeout=None``, so a
    hung server would hang us; set the deadline (and the 5xx hook) on that client."""
    import httpx

    session = client._server._session
    session.timeout = httpx.Timeout(timeout)
    if _raise_server_errors not in session.event_hooks["response"]:
        session.event_hooks["response"].append(_raise_server_errors)
    return client


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
            admin = _bounded(chromadb.AdminClient(_chroma_settings(
                chroma_api_impl="chromadb.api.fastapi.FastAPI", chroma_server_host=host,
                chroma_server_http_port=port, chroma_server_ssl_enabled=ssl)), settings.chroma_timeout)
            names = {d["name"] for d in admin.list_databases()}
            if settings.chroma_database not in names:
                admin.create_database(settings.chroma_database)
            client = _bounded(chromadb.HttpClient(host=host, port=port, ssl=ssl, settings=_chroma_settings(),
                                                  database=settings.chroma_database), settings.chroma_timeout)
            client.heartbeat()
        except Exception as exc:  # chromadb raises many kinds here
            raise (_unavailable(settings.chroma_url, exc, settings.chroma_timeout) or StoreUnavailable(
                settings.chroma_url, f"{type(exc).__name__}: {str(exc)[:160]}")) from exc
        return ChromaStore(client, f"server {settings.chroma_url}", settings.chroma_url, settings.chroma_timeout)
    path = settings.home / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    client = chromadb.PersistentClient(path=str(path), settings=_chroma_settings())
    return ChromaStore(client, f"embedded {path}")
