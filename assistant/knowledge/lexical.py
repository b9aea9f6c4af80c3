"""A BM25 index over passages, for the words dense embeddings blur; kept on disk and updated in place.

Exact terms ("Gartner", "B2B", "63%") matter in this field; dense search alone ranks them loosely,
so retrieval fuses both. A team's library reaches 100,000 passages, where rebuilding BM25 in every
process costs seconds and hundreds of MiB, so the index is built like a search engine's: immutable
segments of postings (term -> passages and counts) written once, deletions as tombstones, and small
segments merged into larger ones. Scores are computed at query time from the live counts of every
segment (and of several indexes at once, the essays' and a workspace's), so they are exactly BM25
over what is searched, however the segments fall. bm25s and rank_bm25 bake the collection's
statistics into their scores and can only be rebuilt, not added to.
"""
from __future__ import annotations

import functools
import json
import math
import os
import re
import uuid
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable

import numpy as np

from .rules import BM25_B, BM25_K1, MERGE_WIDTH, TOMBSTONE_SHARE

STOPWORDS = frozenset(
    """a an and are as at be been but by can could did do does doing for from had has have how i if in into is it
    its itself just me more most my no nor not of on or our ours out own so some such than that the their them then
    there these they this those to too us very was we were what when where which while who whom why will with would
    you your yours should shall may might must am any all about also""".split()
)
SUFFIXES = ("ations", "ation", "ingly", "ings", "ing", "edly", "ed", "ies", "es", "ers", "er", "ly", "s")
TOKEN = re.compile(r"[a-z0-9%]+(?:['’][a-z]+)?")
FORMAT = 1  # bump when the files' layout changes: an index of another format is rebuilt from the store


@functools.lru_cache(maxsize=1 << 17)
def stem(word: str) -> str:
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def tokens(text: str) -> list[str]:
    words = (w.replace("’", "'").split("'")[0] for w in TOKEN.findall(text.lower()))
    return [stem(w) for w in words if w and w not in STOPWORDS]


@dataclass
class Segment:
    """Postings of a fixed set of passages, column-major: term j's passages are rows[start[j]:start[j+1]]."""

    name: str
    ids: np.ndarray  # passage ids, str
    sources: np.ndarray  # each passage's source id, str
    lengths: np.ndarray  # tokens per passage
    terms: dict[str, int]
    start: np.ndarray
    rows: np.ndarray
    counts: np.ndarray
    alive: np.ndarray
    source_codes: tuple[np.ndarray, np.ndarray] | None = field(default=None, repr=False)  # computed on first use
    allowed: dict[frozenset[str], np.ndarray] = field(default_factory=dict, repr=False)

    @classmethod
    def build(cls, ids: list[str], texts: list[str], sources: list[str]) -> "Segment":
        vocabulary: dict[str, int] = {}
        term_of, row_of, count_of = [], [], []
        lengths = np.zeros(len(ids), dtype=np.int32)
        for row, text in enumerate(texts):
            words = tokens(text)
            lengths[row] = len(words)
            for word, n in Counter(words).items():
                term_of.append(vocabulary.setdefault(word, len(vocabulary)))
                row_of.append(row)
                count_of.append(n)
        return cls._from_postings(np.asarray(ids, dtype=str), np.asarray(sources, dtype=str), lengths,
                                  list(vocabulary), np.asarray(term_of, dtype=np.int64),
                                  np.asarray(row_of, dtype=np.int32), np.asarray(count_of, dtype=np.float32))

    @classmethod
    def _from_postings(cls, ids: np.ndarray, sources: np.ndarray, lengths: np.ndarray, vocabulary: list[str],
                       term_of: np.ndarray, row_of: np.ndarray, count_of: np.ndarray) -> "Segment":
        order = np.argsort(term_of, kind="stable")
        start = np.zeros(len(vocabulary) + 1, dtype=np.int64)
        np.cumsum(np.bincount(term_of, minlength=len(vocabulary)), out=start[1:])
        return cls(name=uuid.uuid4().hex, ids=ids, sources=sources, lengths=lengths,
                   terms={t: j for j, t in enumerate(vocabulary)}, start=start, rows=row_of[order],
                   counts=count_of[order], alive=np.ones(len(ids), dtype=bool))

    @classmethod
    def merged(cls, segments: list["Segment"]) -> "Segment":
        """One segment holding the live passages of all, built from their postings (nothing re-tokenised)."""
        vocabulary: dict[str, int] = {}
        ids, sources, lengths, term_of, row_of, count_of = [], [], [], [], [], []
        offset = 0
        for seg in segments:
            live = np.flatnonzero(seg.alive)
            new_row = np.full(len(seg.ids), -1, dtype=np.int64)
            new_row[live] = np.arange(offset, offset + len(live))
            new_term = np.asarray([vocabulary.setdefault(t, len(vocabulary)) for t in seg.terms], dtype=np.int64)
            term = np.repeat(np.arange(len(seg.terms)), np.diff(seg.start))
            keep = seg.alive[seg.rows]
            term_of.append(new_term[term[keep]])
            row_of.append(new_row[seg.rows[keep]])
            count_of.append(seg.counts[keep])
            ids.append(seg.ids[live])
            sources.append(seg.sources[live])
            lengths.append(seg.lengths[live])
            offset += len(live)
        return cls._from_postings(np.concatenate(ids), np.concatenate(sources), np.concatenate(lengths),
                                  list(vocabulary), np.concatenate(term_of), np.concatenate(row_of).astype(np.int32),
                                  np.concatenate(count_of))

    def __len__(self) -> int:
        return int(self.alive.sum())

    def postings(self, term: str) -> tuple[np.ndarray, np.ndarray]:
        """Live rows holding the term and its count in each."""
        j = self.terms.get(term)
        if j is None:
            return _EMPTY_ROWS, _EMPTY_COUNTS
        rows, counts = self.rows[self.start[j]:self.start[j + 1]], self.counts[self.start[j]:self.start[j + 1]]
        keep = self.alive[rows]
        return (rows, counts) if keep.all() else (rows[keep], counts[keep])

    def of_sources(self, rows: np.ndarray, sources: frozenset[str]) -> np.ndarray:
        """Those rows whose passage belongs to one of the sources (the mask per source set is kept: the
        listed documents change only with a write)."""
        if self.source_codes is None:
            self.source_codes = np.unique(self.sources, return_inverse=True)
        names, codes = self.source_codes
        if sources not in self.allowed:
            if len(self.allowed) >= 4:
                self.allowed.clear()
            self.allowed[sources] = np.isin(names, list(sources))
        return rows[self.allowed[sources][codes[rows]]]

    def save(self, folder: Path) -> None:
        partial = folder / f".{self.name}.{os.getpid()}.tmp"
        with open(partial, "wb") as out:
            np.savez(out, ids=self.ids, sources=self.sources, lengths=self.lengths,
                     terms=np.asarray(list(self.terms), dtype=str), start=self.start, rows=self.rows, counts=self.counts)
        os.replace(partial, folder / f"{self.name}.npz")

    @classmethod
    def load(cls, folder: Path, name: str) -> "Segment":
        with np.load(folder / f"{name}.npz", allow_pickle=False) as data:
            return cls(name=name, ids=data["ids"], sources=data["sources"], lengths=data["lengths"],
                       terms={str(t): j for j, t in enumerate(data["terms"])}, start=data["start"],
                       rows=data["rows"], counts=data["counts"], alive=np.ones(len(data["ids"]), dtype=bool))

    def with_dead(self, dead: Iterable[int]) -> "Segment":
        """The same postings (shared, never copied) with these rows deleted."""
        alive = np.ones(len(self.ids), dtype=bool)
        alive[list(dead)] = False
        return replace(self, alive=alive)


_EMPTY_ROWS = np.zeros(0, dtype=np.int32)
_EMPTY_COUNTS = np.zeros(0, dtype=np.float32)


@dataclass
class LexicalIndex:
    """One collection's passages as segments; ``revision`` is the store revision it is known to match."""

    segments: list[Segment] = field(default_factory=list)
    revision: int | None = None
    generation: str | None = None  # which save this is: an index unchanged on disk is not read again
    _where: dict[str, tuple[Segment, int]] = field(default_factory=dict)  # live id -> its segment and row

    @classmethod
    def build(cls, ids: list[str], texts: list[str], sources: list[str] | None = None) -> "LexicalIndex":
        index = cls()
        index.add(ids, texts, sources)
        return index

    def __len__(self) -> int:
        return len(self._where)

    def ids(self) -> set[str]:
        return set(self._where)

    def add(self, ids: list[str], texts: list[str], sources: list[str] | None = None) -> None:
        """Index these passages; an id already indexed is replaced."""
        self.remove(ids)
        if not len(ids):
            return
        self._append(Segment.build(list(ids), list(texts), list(sources or [""] * len(ids))))
        self._merge()

    def remove(self, ids: Iterable[str]) -> None:
        gone = False
        for pid in ids:
            at = self._where.pop(pid, None)
            if at is not None:
                at[0].alive[at[1]] = False
                gone = True
        if gone:
            self._merge()

    def _append(self, seg: Segment) -> None:
        self.segments.append(seg)
        self._point(seg)

    def _point(self, seg: Segment) -> None:
        rows = np.flatnonzero(seg.alive)
        self._where.update(zip(seg.ids[rows].tolist(), ((seg, r) for r in rows.tolist())))

    def _merge(self) -> None:
        """Merge the newest MERGE_WIDTH segments once they are of one size tier (so a passage is rewritten
        about log(n) times and there are at most MERGE_WIDTH segments per tier), and rewrite any segment
        mostly made of tombstones."""
        def tier(seg: Segment) -> int:
            return int(math.log(max(len(seg), 1), MERGE_WIDTH))
        while len(self.segments) >= MERGE_WIDTH and len({tier(s) for s in self.segments[-MERGE_WIDTH:]}) == 1:
            newest = self.segments[-MERGE_WIDTH:]
            del self.segments[-MERGE_WIDTH:]
            self._append(Segment.merged(newest))
        for n, seg in enumerate(self.segments):
            if len(seg.ids) and 1 - len(seg) / len(seg.ids) > TOMBSTONE_SHARE:
                self.segments[n] = Segment.merged([seg])
                self._point(self.segments[n])
        self.segments = [s for s in self.segments if len(s)]

    def search(self, query: str, k: int, sources: frozenset[str] | None = None) -> list[tuple[str, float]]:
        return search([self], query, k, sources)

    # Persistence: immutable segment files and a manifest naming them with their tombstones, replaced atomically.
    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        on_disk = {p.stem for p in folder.glob("*.npz")}
        for seg in self.segments:
            if seg.name not in on_disk:
                seg.save(folder)
        self.generation = uuid.uuid4().hex
        manifest = {"format": FORMAT, "revision": self.revision, "generation": self.generation,
                    "segments": [{"name": s.name, "dead": np.flatnonzero(~s.alive).tolist()} for s in self.segments]}
        partial = folder / f".manifest.{os.getpid()}.tmp"
        partial.write_text(json.dumps(manifest), encoding="utf-8")
        os.replace(partial, folder / "manifest.json")
        keep = {s.name for s in self.segments}
        for name in on_disk - keep:
            (folder / f"{name}.npz").unlink(missing_ok=True)

    @staticmethod
    def saved_generation(folder: Path) -> str | None:
        try:
            return json.loads((folder / "manifest.json").read_text(encoding="utf-8")).get("generation")
        except (OSError, ValueError, AttributeError):
            return None

    @classmethod
    def load(cls, folder: Path, cached: "LexicalIndex | None" = None) -> "LexicalIndex | None":
        """The index saved in folder (reusing segments already in memory), or None if there is none or it
        cannot be read: the caller rebuilds it from the store."""
        try:
            manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
            if manifest.get("format") != FORMAT:
                return None
            have = {s.name: s for s in (cached.segments if cached else [])}
            index = cls(revision=manifest.get("revision"), generation=manifest.get("generation"))
            for entry in manifest["segments"]:
                seg = have.get(entry["name"]) or Segment.load(folder, entry["name"])
                index._append(seg.with_dead(entry["dead"]))
            return index
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            return None


def search(indexes: list[LexicalIndex], query: str, k: int,
           sources: frozenset[str] | None = None) -> list[tuple[str, float]]:
    """BM25 (Lucene's idf, always positive) over several indexes as if they were one: document
    frequencies, passage count and mean length are summed across them. Only passages of the given
    sources are returned (all count in the statistics)."""
    terms = list(dict.fromkeys(tokens(query)))
    segments = [seg for index in indexes for seg in index.segments]
    if not terms or not segments or k <= 0:
        return []
    total = sum(len(s) for s in segments)
    if total == 0:
        return []
    mean_length = sum(float(s.lengths[s.alive].sum()) for s in segments) / total
    postings = [[seg.postings(t) for t in terms] for seg in segments]
    frequency = [sum(len(p[i][0]) for p in postings) for i in range(len(terms))]
    idf = [math.log(1 + (total - df + 0.5) / (df + 0.5)) for df in frequency]
    found: list[tuple[np.ndarray, np.ndarray, int]] = []  # (scores, rows, segment) of each segment's best k
    for n, (seg, lists) in enumerate(zip(segments, postings)):
        if not any(len(rows) for rows, _ in lists):
            continue
        scores = np.zeros(len(seg.ids), dtype=np.float32)
        norm = BM25_K1 * (1 - BM25_B + BM25_B * seg.lengths / (mean_length or 1.0))
        for weight, (rows, counts) in zip(idf, lists):
            scores[rows] += weight * counts * (BM25_K1 + 1) / (counts + norm[rows])
        hits = np.flatnonzero(scores > 0)
        if sources is not None:
            hits = seg.of_sources(hits, sources)
        if len(hits) > k:
            hits = hits[np.argpartition(-scores[hits], k - 1)[:k]]
        if len(hits):
            found.append((scores[hits], hits, n))
    if not found:
        return []
    scores = np.concatenate([f[0] for f in found])
    best = np.argpartition(-scores, k - 1)[:k] if len(scores) > k else np.arange(len(scores))
    where = np.concatenate([np.full(len(f[1]), f[2]) for f in found])[best]
    rows = np.concatenate([f[1] for f in found])[best]
    ranked = sorted((-float(score), str(segments[seg].ids[row])) for score, seg, row in
                    zip(scores[best].tolist(), where.tolist(), rows.tolist()))
    return [(pid, -score) for score, pid in ranked]
