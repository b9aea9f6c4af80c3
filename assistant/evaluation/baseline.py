"""The retriever a user builds first from LangChain's RAG tutorial.

RecursiveCharacterTextSplitter (1000/200), the same MiniLM model, Chroma,
top 4: the yardstick ``claimcheck eval`` measures this project against.
"""
from __future__ import annotations

import uuid

from langchain_text_splitters import RecursiveCharacterTextSplitter

from ..knowledge.embedding import Embedder
from ..schema import SourceText

CHUNK_SIZE, CHUNK_OVERLAP, TOP_K = 1000, 200, 4


class TutorialRetriever:
    def __init__(self, sources: list[SourceText], embedder: Embedder) -> None:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        splitter = RecursiveCharacterTextSplitter(chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP)
        chunks = [c for s in sources for c in splitter.split_text(s.text)]
        self.embedder = embedder
        client = chromadb.EphemeralClient(settings=ChromaSettings(anonymized_telemetry=False))
        self.collection = client.create_collection(f"baseline-{uuid.uuid4().hex[:8]}", embedding_function=None)
        self.collection.add(ids=[str(i) for i in range(len(chunks))], documents=chunks,
                            embeddings=embedder.embed_batch(chunks))  # type: ignore[arg-type]

    def invoke(self, query: str) -> list[str]:
        vector = self.embedder.embed_batch([query])[0]
        res = self.collection.query(query_embeddings=[vector], n_results=TOP_K, include=["documents"])
        return list(res["documents"][0])
