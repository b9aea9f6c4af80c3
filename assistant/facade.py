"""``Assistant``: the one object the CLI and the app call.

It owns the settings, the store and the embedder (both loaded lazily, once
per process) and runs the pipeline stages in order.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Iterable

from . import ingest as _ingest
from .embed import Embedder, get_embedder
from .ingest import DocumentInfo, IngestReport, Progress
from .retrieve import Retriever
from .schema import Hit
from .settings import Settings
from .store import Store, get_store
from .workspace import check_name, collection, list_workspaces


@dataclass
class Assistant:
    settings: Settings
    _store: Store | None = None
    _embedder: Embedder | None = None
    _ready: bool = field(default=False, repr=False)

    @classmethod
    def from_env(cls, **overrides: object) -> "Assistant":
        return cls(Settings.from_env(**overrides))

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = get_store(self.settings)
        return self._store

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = get_embedder(self.settings)
        return self._embedder

    @cached_property
    def retriever(self) -> Retriever:
        return Retriever(self.store, self.embedder)

    def ensure_ready(self, progress: Progress | None = None) -> IngestReport | None:
        """Load the bundled essays on first use (cheap once they are in)."""
        if self._ready:
            return None
        report = _ingest.ensure_bundled(self.store, self.embedder, self.settings.corpus_dir, progress)
        self._ready = True
        return report

    def _ws(self, workspace: str | None) -> str:
        return check_name(workspace or self.settings.workspace)

    # -- knowledge base -------------------------------------------------
    def ingest(self, paths: Iterable[str | Path], workspace: str | None = None,
               progress: Progress | None = None) -> IngestReport:
        self.ensure_ready()
        return _ingest.ingest_paths(self.store, self.embedder, paths, self._ws(workspace), progress,
                                    self.settings.batch_size)

    def search(self, query: str, k: int = 8, workspace: str | None = None) -> list[Hit]:
        self.ensure_ready()
        return self.retriever.search(query, k, self._ws(workspace))

    def documents(self, workspace: str | None = None) -> list[DocumentInfo]:
        self.ensure_ready()
        return _ingest.list_documents(self.store, self._ws(workspace))

    def remove_document(self, source_id: str, workspace: str | None = None) -> int:
        return _ingest.remove_document(self.store, self._ws(workspace), source_id)

    def source_text(self, source_id: str, workspace: str | None = None):  # -> SourceText | None
        return _ingest.source_text(self.store, self._ws(workspace), source_id)

    def workspaces(self) -> list[str]:
        return sorted(set(list_workspaces(self.store)) | {self.settings.workspace})

    def status(self, workspace: str | None = None) -> dict:
        self.ensure_ready()
        ws = self._ws(workspace)
        docs = _ingest.list_documents(self.store, ws)
        return {
            "store": getattr(self.store, "label", type(self.store).__name__),
            "home": str(self.settings.home),
            "workspace": ws,
            "shared_documents": sum(d.shared for d in docs),
            "workspace_documents": sum(not d.shared for d in docs),
            "passages": self.store.count(collection(None, "passages")) + self.store.count(collection(ws, "passages")),
            "documents": [d.__dict__ for d in docs],
            "workspaces": self.workspaces(),
        }
