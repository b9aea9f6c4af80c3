"""The documents in the knowledge base: list them, read their exact text, remove them."""
from __future__ import annotations

from dataclasses import dataclass

from ..errors import NotFound, ReadOnly
from ..schema import SourceText
from .store import Store
from .workspaces import collection


@dataclass
class DocumentInfo:
    source_id: str
    title: str
    author: str | None
    kind: str
    passages: int
    chars: int
    path: str
    shared: bool


def list_documents(store: Store, workspace: str | None) -> list[DocumentInfo]:
    scopes = [None] if workspace is None else [None, workspace]
    out = []
    for scope in scopes:
        for r in store.get(collection(scope, "docs")):
            m = r.metadata
            out.append(DocumentInfo(
                source_id=r.id, title=str(m.get("title", r.id)), author=str(m.get("author")) or None,
                kind=str(m.get("kind", "document")), passages=int(m.get("passages", 0)),
                chars=int(m.get("chars", 0)), path=str(m.get("path", "")), shared=scope is None,
            ))
    return sorted(out, key=lambda d: (not d.shared, d.title.lower()))


def source_text(store: Store, workspace: str | None, source_id: str) -> SourceText | None:
    """The exact text a document was indexed from (offsets index it)."""
    for scope in ([workspace, None] if workspace else [None]):
        found = store.get(collection(scope, "docs"), ids=[source_id])
        if found:
            m = found[0].metadata
            return SourceText(source_id=source_id, title=str(m.get("title", source_id)), text=found[0].text,
                              path=str(m.get("path", "")), author=str(m.get("author")) or None,
                              kind=str(m.get("kind", "document")))
    return None


def remove_document(store: Store, workspace: str | None, source_id: str) -> int:
    """Remove a team's document and its passages; the shared essays are read only."""
    if workspace is None:
        raise ReadOnly("the bundled essays are shared and read only; remove documents from a team workspace")
    docs_col = collection(workspace, "docs")
    # Unlisted passages are what a killed ingest or removal left: removing them again completes that.
    if not store.get(docs_col, ids=[source_id]) and not _passage_ids(store, workspace, source_id):
        shared = store.get(collection(None, "docs"), ids=[source_id])
        if shared:
            raise ReadOnly(f"{source_id} is a bundled essay, shared by every workspace and read only")
        raise NotFound(f"no document {source_id!r} in workspace {workspace!r}; `claimcheck status` lists them")
    return drop_document(store, workspace, source_id)


def drop_document(store: Store, workspace: str | None, source_id: str) -> int:
    """Delete a document's record, then its passages: killed in between, it leaves passages that no search
    finds, never a listed document without them. Returns the passages removed."""
    ids = _passage_ids(store, workspace, source_id)
    store.delete(collection(workspace, "docs"), ids=[source_id])
    store.delete(collection(workspace, "passages"), ids=ids)
    return len(ids)


def _passage_ids(store: Store, workspace: str | None, source_id: str) -> list[str]:
    return [r.id for r in store.get(collection(workspace, "passages"), where={"source_id": source_id})]
