"""Understanding a question: the claim it puts (restated from its own words, negation included), a
question about the team's numbers, a request for information, or none of these.

A curated claim is used only when it is the same claim: close in embedding similarity plus keywords,
and sharing a key concept with the question. Otherwise the claim is the user's own, answered from
whatever passages speak to it. Follow-ups ("and for B2B?") carry the earlier claim.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Literal

import numpy as np

from ..knowledge.embedding import Embedder, EmbedFn
from ..knowledge.lexical import tokens
from ..knowledge.passages import sentences
from . import rules
from .catalogue import Catalogue, Claim

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
# A negation inside a relative clause describes a noun, not the claim: "people who'd never contacted us",
# "customers who haven't asked" (an auxiliary at most between the pronoun and the negation).
RELATIVE_NEGATION = re.compile(
    r"\b(?:who|whom|which)(?:['’](?:d|ve|s|re))?\s+"
    r"(?:(?:had|have|has|did|do|does|were|was|are|is|would|will|could|can)\s+)?(?:never|not|no longer|hardly)\b|"
    r"\b(?:who|whom|which)\s+\w+n['’]t\b", re.I)


def negated(question: str, claim: str) -> bool:
    """Whether the question asks about the opposite of ``claim``: a negation in its main clause that the
    claim does not have ("Is it true that customers don't want a relationship with brands?")."""
    main = RELATIVE_NEGATION.sub(" ", SUBORDINATE.sub(" ", RESTATE_PREFIX.sub("", question)))
    if NECESSITY.search(main):
        return False
    return bool(NEGATION.search(main)) and not NEGATION.search(claim)


# The words that put one side over the other: "beat", "win", "more than", "make up for".
OVER = re.compile(r"\b(?:beats?|beating|win|wins|winning|won|outweighs?|trumps?|outperforms?|outsells?|"
                  r"more than|rather than|instead of|over|ahead of|make up for|makes up for|matters? more|"
                  r"count for more)\b", re.I)


def reverses(question: str, compares: tuple[tuple[str, ...], tuple[str, ...]] | None) -> bool:
    """Whether the question puts a comparative claim's second side first: in the sentence that asks, a word of
    the claim's second side before the word that puts one over the other, and none of its first side there."""
    if compares is None:
        return False
    parts, at = _asking(question)
    asked = (parts[at] if at is not None else question).lower()
    over = OVER.search(asked)
    if over is None:
        return False
    first, second = compares
    before, after = asked[: over.start()], asked[over.start():]
    return _names(second, before) and not _names(first, before) and (_names(first, after) or not _names(first, asked))


def _names(words: tuple[str, ...], text: str) -> bool:
    """Whether ``text`` (lower case) has a word beginning with one of ``words``."""
    return any(re.search(rf"\b{re.escape(w)}", text) for w in words)


YES_NO_AUX = re.compile(r"^(do|does|did)\s+", re.I)
MODAL_SUBJECT = re.compile(r"^(should|can|could|will|would|shall|must)\s+(we|i|you|they|it)\b\s*", re.I)


def key_concepts(text: str) -> set[str]:
    """The stems that could show a question is about a claim: every stem but the field's generic words."""
    return set(tokens(text)) - _GENERIC


def shares_concept(question: set[str], concepts: set[str]) -> bool:
    """Whether a question stem is a claim concept (or one begins the other: engag ~ engagement)."""
    for q in question:
        for c in concepts:
            short, long_ = (q, c) if len(q) <= len(c) else (c, q)
            if short == long_ or (len(short) >= rules.KEY_CONCEPT_PREFIX and long_.startswith(short)):
                return True
    return False


_GENERIC = frozenset(tokens(" ".join(rules.GENERIC_CONCEPTS)))


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
    # (a claim the user put in their own words keeps their negation in ``claim`` and is read as worded)


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
        self._concepts = {c.id: _claim_concepts(c) for c in catalogue.claims}

    def scores(self, question: str, vector: list[float] | None = None) -> dict[tuple[str, str], float]:
        if not self._owners:  # no catalogue (CLAIMCHECK_CATALOGUE=off): nothing to match
            return {}
        vector = vector or self.embedder.embed_batch([question])[0]
        sims = self._matrix @ np.asarray(vector, dtype=np.float32)
        asked = question_sentence(question)
        if asked is not None:  # "We sell lawnmowers. Will most customers keep ...?": the claim is in the asking
            sims = np.maximum(sims, self._matrix @ np.asarray(self.embedder.embed_batch([asked])[0], np.float32))
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
        # The key-concept check: a curated claim stands for the question only if they share a key concept.
        asked = key_concepts(question)
        scores = {k: s for k, s in self.scores(question, vector).items()
                  if k[0] != "claim" or shares_concept(asked, self._concepts.get(k[1], set()))}
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
            if asks_for_information(question):  # "So if they don't care, what's marketing supposed to do?"
                return Understanding("info", topic_id=prev.topic_id, score=prev.score,
                                     query=f"{question} {prev_q}", carried=True)
            if claim_score >= rules.FOLLOW_UP_MATCH_MIN and claim_id != prev.claim_id:
                return self._claim(claim_id, claim_score, f"{question} {prev_q}")
            if prev.kind == "claim" and prev.claim_id:
                carried = self._claim(prev.claim_id, prev.score, f"{question} {prev_q}")
                carried.carried = True
                return carried
            if prev.kind == "claim":  # the user's own claim, carried as it was put
                return Understanding("claim", claim=prev.claim, score=prev.score, query=f"{question} {prev_q}",
                                     carried=True)
            return Understanding("info", topic_id=prev.topic_id, score=prev.score, query=f"{question} {prev_q}",
                                 carried=True)
        asks_info = asks_for_information(question)  # by its main clause: "When X climbs, does Y?" asks whether
        topic_first = topic_score >= claim_score + (-rules.INFO_TOPIC_MARGIN if asks_info else rules.TOPIC_OVER_CLAIM)
        if topic_score >= rules.TOPIC_MATCH_MIN and topic_first:
            return Understanding("info", topic_id=topic_id, score=topic_score, query=question)
        if asks_info and not in_scope():
            return Understanding("none", score=claim_score, query=question)
        if claim_score >= rules.CLAIM_MATCH_MIN:
            understood = self._claim(claim_id, claim_score, question)
            matched = self.catalogue.claim(claim_id)
            if understood.claim and (negated(question, understood.claim)
                                     or (matched is not None and reverses(question, matched.compares))):
                understood.negated, understood.claim = True, opposite(understood.claim)
            return understood
        if topic_score >= rules.TOPIC_MATCH_MIN:
            return Understanding("info", topic_id=topic_id, score=topic_score, query=question)
        if asks_info:
            return Understanding("info", score=max(claim_score, topic_score), query=question)
        return Understanding("claim", claim=restate(question_sentence(question) or question), score=claim_score,
                             query=question)

    def _claim(self, claim_id: str, score: float, query: str) -> Understanding:
        claim = self.catalogue.claim(claim_id)
        assert claim is not None
        return Understanding("claim", claim_id=claim_id, claim=claim.claim, score=score, query=f"{query} {claim.claim}")


def _best(scores: dict[tuple[str, str], float], kind: str) -> tuple[str, float]:
    items = [(k[1], s) for k, s in scores.items() if k[0] == kind]
    return max(items, key=lambda t: t[1]) if items else ("", 0.0)


LEADING_CONNECTIVE = re.compile(r"^\s*(?:(?:right|ok(?:ay)?|fine|well|and|but|so|then)\b[\s,—–-]*)+", re.I)
LEADING_CONDITION = re.compile(r"^\s*(?:if|given|since|now that|once|when(?=[^,?]*,))\b[^,?]*,\s*", re.I)


def asks_for_information(question: str) -> bool:
    """Whether a follow-up's main clause asks for information, once its connective ("Right, so") and its
    condition ("if friends carry that much weight,") are set aside: "... how many times does someone need
    to hear about a company?" asks how, not whether the earlier claim holds."""
    main = LEADING_CONDITION.sub("", LEADING_CONNECTIVE.sub("", question))
    return bool(INFO_QUESTION.match(main))


def _is_follow_up(question: str) -> bool:
    words = question.split()
    return bool(FOLLOW_UP.match(question)) or (len(words) <= rules.SHORT_FOLLOW_UP_WORDS and bool(PRONOUN.search(question)))


def restate(question: str) -> str:
    """The user's own claim, from the question's words: "Do customers want X?" -> "Customers want X";
    "Should we X?" -> "We should X"; "Is it true that X?" -> "X". A question that cannot be turned round
    this simply ("Is influencer marketing worth it?") is kept as asked: the claim is what it asks."""
    asked = " ".join(question.split())
    text = RESTATE_PREFIX.sub("", asked).rstrip(" ?!.")
    if text == asked.rstrip(" ?!."):
        modal = MODAL_SUBJECT.match(text)
        if modal:
            text = f"{modal.group(2)} {modal.group(1).lower()} {text[modal.end():]}"
        elif YES_NO_AUX.match(text):
            text = YES_NO_AUX.sub("", text)
        else:
            return asked
    text = text.strip() or asked
    return text[0].upper() + text[1:]


# "My boss thinks social could become our main source of deals. Is that realistic?": the claim is what
# the earlier sentence reports, after its reporting verb.
REPORTED_CLAIM = re.compile(
    r"\b(?:thinks?|says?|said|insists?|reckons?|claims?|believes?|argues?|assumes?|is convinced|are convinced|"
    r"keeps? (?:telling (?:us|me)|saying)|tells? (?:us|me))\b(?:\s+that)?[\s,:]+(?P<claim>\S.*)$", re.I)


def question_sentence(question: str) -> str | None:
    """The sentence that asks, when the question has others before it (the asker's situation, a colleague's
    view): the last one ending in a question mark, if it can stand alone; if it cannot ("Is he right?"),
    the claim an earlier sentence reports ("My boss thinks X."). None for a one-sentence question."""
    parts, at = _asking(question)
    if len(parts) < 2 or at is None:
        return None
    if len(parts[at].split()) > rules.SHORT_FOLLOW_UP_WORDS:
        return parts[at]
    for part in reversed(parts[:at]):
        reported = REPORTED_CLAIM.search(part)
        if reported and len(reported.group("claim").split()) > 2:
            claim = reported.group("claim").rstrip(" .!")
            return claim[0].upper() + claim[1:]
    return None  # "Is he right?" stands only with what came before it


def _asking(question: str) -> tuple[list[str], int | None]:
    """The question's sentences, and which is the one that asks (the last ending in a question mark)."""
    parts = [question[a:b] for a, b in sentences(question, 0, len(question))]
    return parts, next((n for n in range(len(parts) - 1, -1, -1) if parts[n].endswith("?")), None)


def _claim_concepts(claim: Claim) -> set[str]:
    return set().union(*(key_concepts(t) for t in [claim.claim, *claim.paraphrases, *claim.keywords]))
