"""The knowledge base: documents in, passages out.

In scope: reading files into exact text, cutting passages, embedding them,
the store (embedded Chroma or a server), workspaces, ingestion, the library
of documents, the lexical index and hybrid retrieval. Out of scope: what a
passage means for a claim (``answering``) and a team's metrics (``team_data``).
"""
