"""The answer path: question -> understanding -> evidence -> weighing -> composed answer.

``Answerer`` holds what answering needs once per process (the catalogue, its
vectors, the bundled essays' texts) and runs the stages in order; the facade
only checks the question and hands it over.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, replace
from functools import cached_property, partial
from pathlib import Path

from ..knowledge import library
from ..knowledge.embedding import Embedder, RememberingEmbedder, embed_cached
from ..knowledge.retrieval import Retriever
from ..knowledge.store import Store
from ..knowledge.workspaces import collection
from ..schema import Answer, Evidence, Finding, Judgement, SourceText
from ..team_data.datasets import load_findings
from . import rules
from .catalogue import Catalogue, load_catalogue
from .compose import compose
from .data_questions import is_data_question, rank_findings
from .evidence import Gatherer, from_findings, reports_result
from .finding_stances import bears_on, channel_effects, claims_with_findings
from .stance import StanceClassifier
from .stance_model import get_stance_model
from .understanding import ClaimMatcher, Conversation, Understanding
from .weigh import judge, weigh

OPPOSITE_STANCE = {"supports": "contradicts", "contradicts": "supports"}


@dataclass
class Knowledge:
    """The catalogue with its vectors and the essays' texts: built once, on the first question."""

    catalogue: Catalogue
    matcher: ClaimMatcher
    gatherer: Gatherer
    sources: dict[str, SourceText]


@dataclass
class Answerer:
    store: Store
    embedder: Embedder
    retriever: Retriever
    corpus_dir: Path
    cache_dir: Path
    stance_model_path: Path | None = None
    use_catalogue: bool = True  # off: answers from retrieved passages alone (the ablation in `eval --no-catalogue`)
    runtime: str = "onnx"  # what runs the stance model: 'onnx' or 'torch' (Settings.runtime)

    @cached_property
    def knowledge(self) -> Knowledge:
        catalogue = load_catalogue(self.corpus_dir) if self.use_catalogue else Catalogue([], [])
        keyed = [((c.id, e.quote), e.quote) for c in catalogue.claims for e in c.evidence]
        keyed += [((t.id, q.quote), q.quote) for t in catalogue.topics for q in t.quotes]
        keyed += [((c.id, ""), c.claim) for c in catalogue.claims]
        embed = partial(embed_cached, self.embedder, folder=self.cache_dir)
        vectors = dict(zip([key for key, _ in keyed], embed([text for _, text in keyed])))
        claim_vectors = {c.id: vectors[(c.id, "")] for c in catalogue.claims}
        stance = StanceClassifier(catalogue, vectors, claim_vectors,
                                  get_stance_model(self.stance_model_path, self.runtime))
        sources = {r.id: library.source_text(self.store, None, r.id) for r in self.store.get(collection(None, "docs"))}
        return Knowledge(catalogue, ClaimMatcher(catalogue, self.embedder, embed),
                         Gatherer(catalogue, RememberingEmbedder(self.embedder, rules.SENTENCE_MEMORY), stance,
                                  vectors),
                         {k: v for k, v in sources.items() if v is not None})

    def ask(self, question: str, workspace: str, conversation: Conversation | None = None) -> Answer:
        """Question -> claim -> retrieve -> weigh -> compose."""
        knowledge = self.knowledge
        started = time.perf_counter()
        qvec = self.embedder.embed_batch([question])[0]
        findings = load_findings(self.store, workspace)
        if findings and is_data_question(question):  # answered from the findings: no claim to match
            understood = Understanding("data", query=question)
        else:
            understood = knowledge.matcher.understand(
                question, conversation, qvec,
                lambda: self.retriever.closest(qvec, workspace) >= rules.IN_SCOPE_SIMILARITY,
                claims_with_findings(findings))
        hits = [] if understood.kind == "data" else self.retriever.search(understood.query, rules.RETRIEVE_K, workspace,
                                                                         vector=qvec)
        in_scope = bool(hits) and max(h.similarity for h in hits) >= rules.IN_SCOPE_SIMILARITY
        retrieved = time.perf_counter()
        items: list[Evidence] = []
        claim = knowledge.catalogue.claim(understood.claim_id) if understood.claim_id else None
        gatherer = knowledge.gatherer
        answering: list[Finding] = []
        effects: list[tuple[Finding, str]] = []
        if understood.kind == "data":
            similarity = {record.id: sim for record, sim in
                          self.store.query(collection(workspace, "findings"), qvec, len(findings))}
            answering = rank_findings(question, findings, similarity)
            items = [replace(e, relevance=round(max(0.0, similarity.get(f.id, 0.0)), 3))
                     for f in answering for e in from_findings([f], None, stance="neutral")]
        elif understood.kind == "claim":
            # Every source speaks: curated quotes of the same claim (their curated stance, weighed by relevance
            # to this question), then passages retrieved for this question from the essays and the team's
            # documents, then the team's findings on the claim. A claim the catalogue does not hold is read
            # only on passages close to the question.
            # The team's own documents speak on every claim too: their nearest passages beyond the hits,
            # counted when they take a side (never as context), with slots of their own, read with the hits.
            cut = float("-inf") if claim is not None else rules.OFF_CATALOGUE_SIMILARITY
            pool = [h for h in hits if h.similarity >= cut]
            seen = {h.passage.id for h in hits}
            nearest = self.retriever.own_documents(qvec, workspace, rules.OWN_PASSAGES + rules.OWN_RESULT_REACH)
            near_documents = {h.passage.source_id for h in nearest[: rules.OWN_PASSAGES]}
            own = [h for n, h in enumerate(nearest) if h.passage.id not in seen and h.similarity >= cut
                   and (n < rules.OWN_PASSAGES
                        or (h.passage.source_id in near_documents and reports_result(h.passage.text)))]
            windowed = self.retriever.with_windows(pool + own, workspace)
            rvec = gatherer.embedder.embed_batch([understood.query])[0] if understood.carried else qvec
            if claim is not None:
                items = [e for e in gatherer.from_catalogue(claim.evidence, claim.id, knowledge.sources, rvec)
                         if e.relevance > 0]
            items += gatherer.from_hits(windowed[: len(pool)], understood, rvec, items, rules.MAX_RETRIEVED_EVIDENCE,
                                        rules.CONTEXT_PASSAGES, own=windowed[len(pool):],
                                        own_limit=rules.MAX_OWN_EVIDENCE)
            if claim is not None:
                items += from_findings(findings, claim.id)
            effects = [(f, s) for f, s in channel_effects(findings, question)
                       if claim is None or not bears_on(f, claim.id)]
            items += from_findings([f for f, _ in effects], None, stances={f.id: s for f, s in effects})
        elif understood.kind == "info" and (in_scope or understood.topic_id):
            topic = knowledge.catalogue.topic(understood.topic_id) if understood.topic_id else None
            if topic is not None:
                items = gatherer.from_catalogue(topic.quotes, topic.id, knowledge.sources, qvec, "neutral")
            items += gatherer.from_hits(self.retriever.with_windows(hits[: rules.INFO_PASSAGES], workspace),
                                        understood, qvec, items, rules.INFO_PASSAGES)
        if understood.negated:  # the user's claim is the catalogue claim's opposite: each side changes place
            items = [replace(e, stance=OPPOSITE_STANCE.get(e.stance, e.stance)) for e in items]
        weighed = _shown(weigh(items, keep_order=understood.kind in ("info", "data")), understood.kind == "claim")
        for number, e in enumerate(weighed, 1):
            e.id = f"E{number}"
        if understood.kind in ("info", "data") and weighed:
            top = [e.relevance for e in weighed[: rules.INFO_RELEVANCE_TOP]]
            judgement = Judgement(None, None, None, None, round(sum(top) / len(top), 3), weighed)
        else:
            judgement = judge(understood.claim, understood.claim_id, weighed)
        judged = time.perf_counter()
        if not weighed:
            understood.kind = "none"  # nothing in the workspace speaks to it
        text = compose(understood, judgement, claim, answering or findings)
        composed = time.perf_counter()
        if conversation is not None:
            conversation.turns.append((question, understood))
        return Answer(question=question, claim=understood.claim, verdict=judgement.verdict,
                      balance=judgement.balance, confidence=judgement.confidence, answer=text, evidence=weighed,
                      timings_ms={"retrieve": _ms(started, retrieved), "weigh": _ms(retrieved, judged),
                                  "compose": _ms(judged, composed), "total": _ms(started, composed)},
                      claim_id=understood.claim_id, kind=understood.kind,
                      findings=answering or [f for f in findings if claim and bears_on(f, claim.id)]
                      or [f for f, _ in effects])


def _shown(weighed: list[Evidence], claim: bool) -> list[Evidence]:
    """At most MAX_EVIDENCE pieces; in a claim's answer the retrieved context passages keep their places
    (weighed at 0, they would otherwise always fall below the counted pieces)."""
    if not claim:
        return weighed[: rules.MAX_EVIDENCE]
    context = [e for e in weighed if e.stance == "neutral" and not e.curated][: rules.CONTEXT_PASSAGES]
    counted = [e for e in weighed if not any(e is c for c in context)
               and (e.weight >= rules.SHOWN_WEIGHT_MIN or e.stance == "neutral")][: rules.MAX_EVIDENCE - len(context)]
    return counted + context


def _ms(start: float, end: float) -> float:
    return round((end - start) * 1000, 2)
