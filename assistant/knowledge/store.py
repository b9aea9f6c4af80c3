"""The vector store behind one small interface; Chroma types stay in here.

``ChromaStore`` talks to an embedded, persistent Chroma under
``CLAIMCHECK_HOME`` or, with ``CLAIMCHECK_CHROMA_URL``, to a Chroma server.
Embeddings are always ours: Chroma's default embedding function would
download a model at run time.

Every call is bounded inside the store, so no caller has to count: SQLite, under
the embedded store and under ``chroma run`` alike, takes at most 32,766 bound
variables in one statement, and Chroma binds one per id asked for, per value of
a ``$in`` list and per record a get returns. Past that a workspace of two big
documents (40,000 passages) failed with "too many SQL variables". So ids and
``$in`` lists go in batches, gets come back in pages, writes go in chunks the
client accepts, and a query filtered by a long ``$in`` is asked part by part and
merged by similarity.
"""
from __future__ import annotations

import functools
import random
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator, Protocol, TypeVar
from urllib.parse import urlparse

import numpy as np

from ..errors import StoreUnavailable
from ..settings import Settings

Metadata = dict[str, str | int | float | bool]
T = TypeVar("T")

# Limits of one call to Chroma (see above); each stays far under SQLite's 32,766 variables.
ID_BATCH = 5_000  # ids, or values of one `$in` list, per call: with both in one call still under 32,766
PAGE = 5_000  # records per page of a get: Chroma reads a page's documents and metadata in one statement
ID_PAGE = 25_000  # ids per page of an ids-only listing: no documents or metadata are read with them
WRITE_BATCH = 1_000  # records per upsert, fewer if the client says so: some 3 MB to a server at 384 dimensions


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
    def ids(self, collection: str) -> list[str]: ...
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

    def __init__(self, client: Any, label: str, url: str | None = None, timeout: float = 30.0,
                 reopen: Callable[[], Any] | None = None) -> None:
        self._client = client
        self.label = label
        self.url, self.timeout = url, timeout
        self._lock = threading.RLock()
        self._handles: dict[str, Any] = {}
        self._reopen = reopen
        self._seen: dict[str, int] = {}  # embedded: the revision this process's vector index last matched

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
        """A new revision after a write: random rather than +1, so two processes writing at once cannot
        both write the same next number and hide one write from readers comparing revisions."""
        token = random.getrandbits(62)
        self._col(name).modify(metadata={"revision": token})
        self._seen[name] = token

    def _fresh(self, name: str) -> None:
        """Embedded Chroma keeps each collection's vector index in memory and never reads what another
        process wrote since; when the revision shows such a write, open the store again."""
        if self._reopen is None:
            return
        revision = self.revision(name)
        if self._seen.setdefault(name, revision) != revision:
            with self._lock:
                self._client = self._reopen()
                self._handles.clear()
                self._seen = {name: revision}

    def _batch(self, limit: int) -> int:
        """``limit``, or the client's own maximum batch if smaller (a server may not say: -1)."""
        most = int(self._client.get_max_batch_size())
        return min(limit, most) if most > 0 else limit

    @_guarded
    def upsert(self, collection: str, records: list[Record]) -> None:
        if not records:
            return
        col = self._col(collection)
        for chunk in _chunks(records, self._batch(WRITE_BATCH)):
            col.upsert(
                ids=[r.id for r in chunk], documents=[r.text for r in chunk],
                embeddings=[r.embedding for r in chunk],  # type: ignore[misc]
                metadatas=[r.metadata or {"_": 0} for r in chunk],
            )
        self._bump(collection)

    @_guarded
    def get(self, collection: str, ids: list[str] | None = None, where: dict | None = None,
            embeddings: bool = False) -> list[Record]:
        """The records with these ids and/or matching ``where`` (all without either), each once, in no
        particular order (Chroma's own, batch by batch: callers key them by id). A listing is read page by
        page, so a write made meanwhile by another process may show in part."""
        if ids is not None and not ids:
            return []
        col = self._col(collection)
        include = ["documents", "metadatas"] + (["embeddings"] if embeddings else [])
        found: dict[str, Record] = {}
        for part in _split_where(where, ID_BATCH):
            if ids is None:  # unbounded: page through
                offset = 0
                while True:
                    page = _records(col.get(where=part, limit=PAGE, offset=offset, include=include), embeddings)
                    found.update((r.id, r) for r in page)
                    if len(page) < PAGE:
                        break
                    offset += PAGE
            else:  # at most one record per id: a batch is a page
                for batch in _chunks(list(dict.fromkeys(ids)), self._batch(ID_BATCH)):
                    res = col.get(ids=batch, where=part, include=include)
                    found.update((r.id, r) for r in _records(res, embeddings))
        return list(found.values())

    @_guarded
    def query(self, collection: str, embedding: list[float], k: int,
              where: dict | None = None) -> list[tuple[Record, float]]:
        """The k records nearest the embedding, with their cosine similarity, nearest first. A ``where``
        too long for one call is asked part by part, k from each, and the parts' nearest kept."""
        col = self._col(collection)
        if self._reopen is not None:
            self._fresh(collection)
            col = self._col(collection)
        n = k  # Chroma returns fewer when fewer match: no count first (a count is a scan at 100,000)
        if n <= 0:
            return []
        best: dict[str, tuple[Record, float]] = {}
        for part in _split_where(where, ID_BATCH):
            res = col.query(query_embeddings=[embedding], n_results=n, where=part,
                            include=["documents", "metadatas", "distances"])
            for i, d, m, dist in zip(res["ids"][0], res["documents"][0], res["metadatas"][0], res["distances"][0]):
                best[i] = (Record(id=i, text=d or "", metadata=dict(m or {})), 1.0 - float(dist))
        return sorted(best.values(), key=lambda hit: -hit[1])[:n]

    @_guarded
    def delete(self, collection: str, ids: list[str] | None = None, where: dict | None = None) -> None:
        if ids is not None and not ids:
            return
        col = self._col(collection)
        for part in _split_where(where, ID_BATCH):
            if ids is None:
                col.delete(where=part)
            else:
                for batch in _chunks(list(dict.fromkeys(ids)), self._batch(ID_BATCH)):
                    col.delete(ids=batch, where=part)
        self._bump(collection)

    @_guarded
    def ids(self, collection: str) -> list[str]:
        """Every record's id, and nothing else (a cheap listing to compare with)."""
        col, found, offset = self._col(collection), [], 0
        while True:
            page = col.get(limit=ID_PAGE, offset=offset, include=[])["ids"]
            found += page
            if len(page) < ID_PAGE:
                return found
            offset += ID_PAGE

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


def _chunks(items: list[T], size: int) -> Iterator[list[T]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def _records(res: Any, embeddings: bool) -> list[Record]:
    """A Chroma get result as records."""
    embs = res.get("embeddings") if embeddings else None
    if embs is not None:
        embs = np.asarray(embs, dtype=np.float64).tolist()  # one conversion, not a float() per number
    return [
        Record(id=i, text=d or "", metadata=dict(m or {}), embedding=embs[n] if embs is not None else None)
        for n, (i, d, m) in enumerate(zip(res["ids"], res["documents"], res["metadatas"]))
    ]


def _split_where(where: dict | None, size: int) -> list[dict | None]:
    """Filters that together select what ``where`` selects, none with a ``$in`` list longer than ``size``.

    A ``$in`` stands under ``$and`` and ``$or`` only, which never negate, so the records matching a list
    are the union of those matching its parts; ``$nin`` cannot be split so and is passed as it is."""
    found = _long_in(where, size) if where else None
    if found is None:
        return [where]
    path, values = found
    return [part for chunk in _chunks(values, size) for part in _split_where(_replaced(where, path, chunk), size)]


def _long_in(node: Any, size: int) -> tuple[list[Any], list[Any]] | None:
    """Where in the filter the first ``$in`` list longer than ``size`` is, and its values."""
    if not isinstance(node, dict):
        return None
    for key, value in node.items():
        if key in ("$and", "$or") and isinstance(value, list):
            for n, clause in enumerate(value):
                found = _long_in(clause, size)
                if found:
                    return [key, n, *found[0]], found[1]
        elif isinstance(value, dict) and isinstance(value.get("$in"), list) and len(value["$in"]) > size:
            return [key, "$in"], value["$in"]
    return None


def _replaced(node: Any, path: Iterable[Any], value: Any) -> Any:
    """A copy of the filter with the item at ``path`` replaced; the rest is shared, not copied."""
    path = list(path)
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(node, list):
        return [_replaced(item, rest, value) if n == head else item for n, item in enumerate(node)]
    return {key: _replaced(item, rest, value) if key == head else item for key, item in node.items()}


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


def store_key(settings: Settings) -> str:
    """Which store these settings name: a database on a server, or the embedded store under a home."""
    return f"{settings.chroma_url}/{settings.chroma_database}" if settings.chroma_url else str(settings.home)


def get_store(settings: Settings) -> Store:
    """The process-wide store for these settings: a server if a URL is set."""
    key = store_key(settings)
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
    return ChromaStore(client, f"embedded {path}", reopen=lambda: _reopened(str(path)))


REOPEN_GRACE_S = 60.0  # an embedded store replaced after another process's write is closed this long after


def _reopened(path: str) -> Any:
    """A new embedded client on path that reads the files afresh (chromadb shares one per path and process);
    the old one is stopped once calls already under way on it are surely done."""
    import chromadb
    from chromadb.api.shared_system_client import SharedSystemClient

    old = SharedSystemClient._identifier_to_system.pop(path, None)
    SharedSystemClient._identifier_to_refcount.pop(path, None)
    if old is not None:
        timer = threading.Timer(REOPEN_GRACE_S, old.stop)
        timer.daemon = True
        timer.start()
    return chromadb.PersistentClient(path=path, settings=_chroma_settings())
