"""The knowledge base: documents in, passages out.

In scope: reading files into exact text, cutting passages, embedding them,
the store (embedded Chroma or a server), workspaces, ingestion, the library
of documents, the lexical index and hybrid retrieval. Out of scope: what a
passage means for a claim (``answering``) and a team's metrics (``team_data``).
"""

from .embedding import Embedder, get_embedder
from .ingest import IngestReport, ensure_bundled, ingest_paths
from .library import DocumentInfo, list_documents, remove_document, source_text
from .retrieval import Retriever
from .store import Record, Store, get_store
from .workspaces import check_name, collection, list_workspaces

__all__ = ["DocumentInfo", "Embedder", "IngestReport", "Record", "Retriever", "Store", "check_name", "collection",
           "ensure_bundled", "get_embedder", "get_store", "ingest_paths", "list_documents", "list_workspaces",
           "remove_document", "source_text"]
