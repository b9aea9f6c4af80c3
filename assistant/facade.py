"""``Assistant``: the one object the CLI and the app call.

It owns the settings, the store and the embedder (both loaded lazily, once
per process) and runs the pipeline stages in order.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import cached_property, partial
from pathlib import Path
from typing import Iterable

from .team_data import datasets as _data
from .knowledge import ingest as _ingest
from .knowledge import library as _library
from .answering import rules
from .answering.catalogue import Catalogue, ClaimMatcher, Conversation, load_catalogue
from .answering.compose import compose
from .knowledge.embedding import Embedder, embed_cached, get_embedder
from .errors import BadInput
from .answering.evidence import Gatherer, from_findings
from .knowledge.ingest import IngestReport, Progress
from .knowledge.library import DocumentInfo
from .knowledge.retrieval import Retriever
from .schema import Answer, Evidence, Hit, Judgement, SourceText
from .settings import Settings
from .answering.stance import StanceClassifier
from .answering.weigh import judge, weigh
from .knowledge.store import Store, get_store
from .knowledge.workspaces import check_name, collection, list_workspaces


MAX_QUESTION_CHARS = 2000
RETRIEVE_K = 8


@dataclass
class Knowledge:
    """The catalogue with its vectors: built once per assistant, on first ask."""

    catalogue: Catalogue
    matcher: ClaimMatcher
    gatherer: Gatherer
    sources: dict[str, SourceText]


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

    @cached_property
    def knowledge(self) -> Knowledge:
        self.ensure_ready()
        catalogue = load_catalogue(self.settings.corpus_dir)
        keyed = [((c.id, e.quote), e.quote) for c in catalogue.claims for e in c.evidence]
        keyed += [((t.id, q.quote), q.quote) for t in catalogue.topics for q in t.quotes]
        keyed += [((c.id, ""), c.claim) for c in catalogue.claims]
        embed = partial(embed_cached, self.embedder, folder=self.settings.home / "cache")
        vectors = dict(zip([k for k, _ in keyed], embed([t for _, t in keyed])))
        claim_vectors = {c.id: vectors[(c.id, "")] for c in catalogue.claims}
        stance = StanceClassifier(catalogue, vectors, claim_vectors)
        sources = {r.id: _library.source_text(self.store, None, r.id) for r in self.store.get(collection(None, "docs"))}
        return Knowledge(catalogue, ClaimMatcher(catalogue, self.embedder, embed),
                         Gatherer(catalogue, self.embedder, stance, vectors),
                         {k: v for k, v in sources.items() if v is not None})

    # -- the answer path --------------------------------------------------
    def ask(self, question: str, workspace: str | None = None,
            conversation: Conversation | None = None) -> Answer:
        """Question -> claim -> retrieve -> weigh -> compose."""
        question = (question or "").strip()
        if not question:
            raise BadInput("the question is empty; ask about a marketing claim, e.g. "
                           "'Does social engagement build loyalty?'")
        if len(question) > MAX_QUESTION_CHARS:
            raise BadInput(f"the question is {len(question)} characters; keep it under {MAX_QUESTION_CHARS}")
        ws = self._ws(workspace)
        kn = self.knowledge
        t0 = time.perf_counter()
        qvec = self.embedder.embed_batch([question])[0]
        findings = _data.load_findings(self.store, ws)
        u = kn.matcher.understand(question, conversation, qvec,
                                  lambda: self.retriever.closest(qvec, ws) >= rules.IN_SCOPE_SIMILARITY,
                                  frozenset(c for f in findings for c in f.claims))
        hits = self.retriever.search(u.query, RETRIEVE_K, ws, vector=qvec)  # dense: the question; lexical: + claim
        in_scope = bool(hits) and max(h.similarity for h in hits) >= rules.IN_SCOPE_SIMILARITY
        t1 = time.perf_counter()
        items: list[Evidence] = []
        claim = kn.catalogue.claim(u.claim_id) if u.claim_id else None
        if claim is not None:
            items = kn.gatherer.from_catalogue(claim.evidence, claim.id, kn.sources, qvec)
            team_hits = [h for h in hits if h.passage.source_id not in kn.sources]
            items += kn.gatherer.from_hits(team_hits, u, qvec, items, rules.MAX_RETRIEVED_EVIDENCE)
            items += from_findings(findings, claim.id)
        elif u.kind == "none":  # outside the catalogue: only the team's own documents can speak to it
            team_hits = [h for h in hits if h.passage.source_id not in kn.sources
                         and h.similarity >= rules.OFF_CATALOGUE_SIMILARITY]
            if team_hits:
                u.claim = u.claim or question
                items = kn.gatherer.from_hits(team_hits, u, qvec, [], rules.MAX_RETRIEVED_EVIDENCE)
        elif u.kind == "info" and (in_scope or u.topic_id):
            topic = kn.catalogue.topic(u.topic_id) if u.topic_id else None
            if topic is not None:
                items = kn.gatherer.from_catalogue(topic.quotes, topic.id, kn.sources, qvec, "neutral")
            items += kn.gatherer.from_hits(hits[:4], u, qvec, items, 4)
        weighed = weigh(items, keep_order=u.kind == "info")[: rules.MAX_EVIDENCE]
        for n, e in enumerate(weighed, 1):
            e.id = f"E{n}"
        if u.kind == "info" and weighed:
            top = [e.relevance for e in weighed[:3]]
            j = Judgement(None, None, None, None, round(sum(top) / len(top), 3), weighed)
        else:
            j = judge(u.claim, u.claim_id, weighed)
        t2 = time.perf_counter()
        text = compose(question, u, j, claim, findings)
        t3 = time.perf_counter()
        if conversation is not None:
            conversation.turns.append((question, u))
        ms = lambda a, b: round((b - a) * 1000, 2)  # noqa: E731
        return Answer(question=question, claim=u.claim, verdict=j.verdict, balance=j.balance,
                      confidence=j.confidence, answer=text, evidence=weighed,
                      timings_ms={"retrieve": ms(t0, t1), "weigh": ms(t1, t2), "compose": ms(t2, t3),
                                  "total": ms(t0, t3)},
                      claim_id=u.claim_id, findings=[f for f in findings if claim and claim.id in f.claims])

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
        return _library.list_documents(self.store, self._ws(workspace))

    def remove_document(self, source_id: str, workspace: str | None = None) -> int:
        return _library.remove_document(self.store, self._ws(workspace), source_id)

    def source_text(self, source_id: str, workspace: str | None = None):  # -> SourceText | None
        return _library.source_text(self.store, self._ws(workspace), source_id)

    # -- a team's data ----------------------------------------------------
    def add_data(self, path: str | Path, workspace: str | None = None, mapping: dict[str, str] | None = None,
                 name: str | None = None) -> "_data.DataReport":
        return _data.add_data(self.store, self.embedder, path, self._ws(workspace), mapping, name)

    def data_files(self, workspace: str | None = None) -> list["_data.DataReport"]:
        return _data.list_data(self.store, self._ws(workspace))

    def remove_data(self, file: str, workspace: str | None = None) -> int:
        return _data.remove_data(self.store, self._ws(workspace), file)

    def findings(self, workspace: str | None = None) -> list:
        return _data.load_findings(self.store, self._ws(workspace))

    def workspaces(self) -> list[str]:
        return sorted(set(list_workspaces(self.store)) | {self.settings.workspace})

    def status(self, workspace: str | None = None) -> dict:
        self.ensure_ready()
        ws = self._ws(workspace)
        docs = _library.list_documents(self.store, ws)
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
