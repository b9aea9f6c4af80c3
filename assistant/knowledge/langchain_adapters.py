"""LangChain faces of our retriever and embedder; LangChain types stay here.

``ClaimcheckRetriever`` lets a LangChain chain use hybrid retrieval;
``ClaimcheckEmbeddings`` lets LangChain code use the packaged offline model.
"""
from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from ..settings import Settings
from .embedding import get_embedder


class ClaimcheckRetriever(BaseRetriever):
    """Hybrid (dense + BM25) retrieval over the knowledge base."""

    model_config = ConfigDict(arbitrary_types_allowed=True)
    assistant: Any  # an assistant.Assistant
    k: int = 4
    workspace: str | None = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun,
                                k: int | None = None, **_: Any) -> list[Document]:
        hits = self.assistant.search(query, k=k or self.k, workspace=self.workspace)
        return [
            Document(
                id=h.passage.id, page_content=h.passage.text,
                metadata={"source": h.passage.source, "source_id": h.passage.source_id,
                          "author": h.passage.author, "kind": h.passage.kind, "start": h.passage.start,
                          "end": h.passage.end, "score": h.score},
            )
            for h in hits
        ]


class ClaimcheckEmbeddings(Embeddings):
    """The process-wide offline embedder, as LangChain ``Embeddings``."""

    def __init__(self, model_path: str | None = None) -> None:
        self._embedder = get_embedder(Settings(model_path=model_path))

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._embedder.embed_batch(list(texts))

    def embed_query(self, text: str) -> list[float]:
        return self._embedder.embed_batch([text])[0]
