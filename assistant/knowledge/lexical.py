"""A BM25 index over passages, for the words dense embeddings blur.

Exact terms ("Gartner", "B2B", "63%") matter in this field; dense search
alone ranks them loosely, so retrieval fuses both.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

STOPWORDS = frozenset(
    """a an and are as at be been but by can could did do does doing for from had has have how i if in into is it
    its itself just me more most my no nor not of on or our ours out own so some such than that the their them then
    there these they this those to too us very was we were what when where which while who whom why will with would
    you your yours should shall may might must am any all about also""".split()
)
SUFFIXES = ("ations", "ation", "ingly", "ings", "ing", "edly", "ed", "ies", "es", "ers", "er", "ly", "s")
TOKEN = re.compile(r"[a-z0-9%]+(?:['’][a-z]+)?")


def stem(word: str) -> str:
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def tokens(text: str) -> list[str]:
    words = (w.replace("’", "'").split("'")[0] for w in TOKEN.findall(text.lower()))
    return [stem(w) for w in words if w and w not in STOPWORDS]


@dataclass
class LexicalIndex:
    ids: list[str]
    _bm25: object | None

    @classmethod
    def build(cls, ids: list[str], texts: list[str]) -> "LexicalIndex":
        from rank_bm25 import BM25Okapi

        corpus = [tokens(t) or ["_"] for t in texts]
        return cls(ids=list(ids), _bm25=BM25Okapi(corpus) if corpus else None)

    def search(self, query: str, k: int) -> list[tuple[str, float]]:
        q = tokens(query)
        if self._bm25 is None or not q:
            return []
        scores = self._bm25.get_scores(q)  # type: ignore[attr-defined]
        order = sorted(range(len(scores)), key=lambda i: -scores[i])[:k]
        return [(self.ids[i], float(scores[i])) for i in order if scores[i] > 0]
