"""Understanding a question: which claim it tests, or which topic it asks about, or neither.

Questions are matched to the catalogue by embedding similarity plus keywords;
follow-ups ("and for B2B?") carry the earlier claim.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Literal

import numpy as np

from ..knowledge.embedding import Embedder, EmbedFn
from . import rules
from .catalogue import Catalogue

INFO_QUESTION = re.compile(
    r"^\s*(what(?!\s+about|\s+if)|which|how(?!\s+about)|who|when|where|explain|describe|list|tell me|walk me|outline|summari[sz]e)\b",
    re.I,
)
FOLLOW_UP = re.compile(
    r"^\s*(and|but|so|also|then|what about|how about|what if|same for|in that case|does that|is that|would that|"
    r"will that|does this|is this|and if)\b",
    re.I,
)
OWN_DATA = re.compile(
    r"\b(our|my) (own )?(numbers|data|metrics|figures|results|kpis|analytics|dashboard|export)|\bin our case\b|"
    r"\bfor us\b|\bhere\b",
    re.I,
)
PRONOUN = re.compile(r"\b(that|this|it|they|them|those|these|then)\b", re.I)
RESTATE_PREFIX = re.compile(
    r"^\s*(is it (really )?true that|do you think( that)?|is it the case that|my boss says( that)?|"
    r"people say( that)?|i keep hearing( that)?|does the evidence say( that)?)\s*,?\s*",
    re.I,
)


# Negation in the question's main clause: "customers don't want ...", "is it true that nobody ...".
NEGATION = re.compile(r"\b(not|no longer|never|nobody|no one|hardly)\b|n[’']t\b", re.I)
# Clauses whose negation is not the question's own ("even if they haven't asked", "unless ...": a double negative).
SUBORDINATE = re.compile(r"\b(?:even if|if|when|whether|although|though|because|once|until|since)\b[^,?.;]*", re.I)
NECESSITY = re.compile(r"\bunless\b", re.I)


def negated(question: str, claim: str) -> bool:
    """Whether the question asks about the opposite of ``claim``: a negation in its main clause that the
    claim does not have ("Is it true that customers don't want a relationship with brands?")."""
    main = SUBORDINATE.sub(" ", RESTATE_PREFIX.sub("", question))
    if NECESSITY.search(main):
        return False
    return bool(NEGATION.search(main)) and not NEGATION.search(claim)


def opposite(claim: str) -> str:
    """The claim as a user who negated it put it."""
    return f"It is not the case that {claim[0].lower()}{claim[1:]}"


@dataclass
class Understanding:
    kind: Literal["claim", "info", "data", "none"]
    claim_id: str | None = None
    claim: str | None = None
    topic_id: str | None = None
    score: float = 0.0
    query: str = ""
    carried: bool = False  # the claim came from an earlier turn
    negated: bool = False  # the question asks about the opposite of the catalogue claim; ``claim`` says so


@dataclass
class Conversation:
    """The turns of one chat, so follow-ups keep the earlier claim."""

    turns: list[tuple[str, Understanding]] = field(default_factory=list)

    @property
    def last(self) -> tuple[str, Understanding] | None:
        return self.turns[-1] if self.turns else None


class ClaimMatcher:
    """Embeds every claim statement, paraphrase and topic question once."""

    def __init__(self, catalogue: Catalogue, embedder: Embedder, embed: EmbedFn | None = None) -> None:
        self.catalogue, self.embedder = catalogue, embedder
        owners: list[tuple[str, str]] = []
        texts: list[str] = []
        for c in catalogue.claims:
            for t in [c.claim, *c.paraphrases]:
                owners.append(("claim", c.id))
                texts.append(t)
        for tp in catalogue.topics:
            for t in [tp.question, *tp.paraphrases]:
                owners.append(("topic", tp.id))
                texts.append(t)
        self._owners = owners
        self._matrix = np.asarray((embed or embedder.embed_batch)(texts), dtype=np.float32)

    def scores(self, question: str, vector: list[float] | None = None) -> dict[tuple[str, str], float]:
        vector = vector or self.embedder.embed_batch([question])[0]
        sims = self._matrix @ np.asarray(vector, dtype=np.float32)
        best: dict[tuple[str, str], float] = {}
        for owner, s in zip(self._owners, sims.tolist()):
            if s > best.get(owner, -1.0):
                best[owner] = s
        lowered = question.lower()
        for kind, items in (("claim", self.catalogue.claims), ("topic", self.catalogue.topics)):
            for item in items:
                hits = sum(1 for k in item.keywords if re.search(rf"\b{re.escape(k)}", lowered))
                best[(kind, item.id)] += min(rules.KEYWORD_BONUS_MAX, rules.KEYWORD_BONUS * hits)
        return best

    def understand(self, question: str, conversation: Conversation | None = None,
                   vector: list[float] | None = None,
                   in_scope: Callable[[], bool] = lambda: True,
                   data_claims: frozenset[str] = frozenset()) -> Understanding:
        """``in_scope``: whether any passage is close to the question at all (asked only when needed).
        ``data_claims``: claims the team's own findings bear on; a near-best one of them wins, since
        the team's numbers can then answer it."""
        scores = self.scores(question, vector)
        claim_id, claim_score = _best(scores, "claim")
        topic_id, topic_score = _best(scores, "topic")
        margin = rules.OWN_DATA_MARGIN if OWN_DATA.search(question) else rules.DATA_CLAIM_MARGIN
        with_data = [(s, k[1]) for k, s in scores.items()
                     if k[0] == "claim" and k[1] in data_claims and s >= max(claim_score - margin, rules.CLAIM_MATCH_MIN)]
        if with_data:
            claim_score, claim_id = max(with_data)
        last = conversation.last if conversation else None
        follow_up = _is_follow_up(question) or (bool(PRONOUN.search(question)) and claim_score < rules.CLAIM_MATCH_MIN)
        if last and follow_up and last[1].kind != "none":
            prev_q, prev = last
            if claim_score >= rules.FOLLOW_UP_MATCH_MIN and claim_id != prev.claim_id:
                return self._claim(claim_id, claim_score, f"{question} {prev_q}")
            if prev.kind == "claim" and prev.claim_id:
                carried = self._claim(prev.claim_id, prev.score, f"{question} {prev_q}")
                carried.carried = True
                return carried
            return Understanding("info", topic_id=prev.topic_id, score=prev.score, query=f"{question} {prev_q}",
                                 carried=True)
        asks_info = bool(INFO_QUESTION.match(question))
        topic_first = topic_score >= claim_score + (-rules.INFO_TOPIC_MARGIN if asks_info else rules.TOPIC_OVER_CLAIM)
        if topic_score >= rules.TOPIC_MATCH_MIN and topic_first:
            return Understanding("info", topic_id=topic_id, score=topic_score, query=question)
        if asks_info and not in_scope():
            return Understanding("none", score=claim_score, query=question)
        if claim_score >= rules.CLAIM_MATCH_MIN:
            understood = self._claim(claim_id, claim_score, question)
            if understood.claim and negated(question, understood.claim):
                understood.negated, understood.claim = True, opposite(understood.claim)
            return understood
        if topic_score >= rules.TOPIC_MATCH_MIN:
            return Understanding("info", topic_id=topic_id, score=topic_score, query=question)
        if asks_info:
            return Understanding("info", score=max(claim_score, topic_score), query=question)
        return Understanding("none", claim=restate(question), score=claim_score, query=question)

    def _claim(self, claim_id: str, score: float, query: str) -> Understanding:
        claim = self.catalogue.claim(claim_id)
        assert claim is not None
        return Understanding("claim", claim_id=claim_id, claim=claim.claim, score=score, query=f"{query} {claim.claim}")


def _best(scores: dict[tuple[str, str], float], kind: str) -> tuple[str, float]:
    items = [(k[1], s) for k, s in scores.items() if k[0] == kind]
    return max(items, key=lambda t: t[1]) if items else ("", 0.0)


def _is_follow_up(question: str) -> bool:
    words = question.split()
    return bool(FOLLOW_UP.match(question)) or (len(words) <= rules.SHORT_FOLLOW_UP_WORDS and bool(PRONOUN.search(question)))


def restate(question: str) -> str | None:
    """A claim question outside the catalogue, stated as a claim where the wording allows."""
    text = RESTATE_PREFIX.sub("", question.strip()).rstrip(" ?!.")
    if text == question.strip().rstrip(" ?!.") or not text:
        return None
    return text[0].upper() + text[1:]
