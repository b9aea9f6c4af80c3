"""Gather evidence for a question: catalogue quotes, retrieved passages and
the team's findings, each located exactly in its source.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..knowledge.embedding import Embedder, cosine
from ..knowledge.passages import sentences
from ..schema import Evidence, Finding, Hit, SourceText
from . import rules
from .catalogue import Catalogue, CatalogueEvidence
from .finding_stances import finding_stances
from .stance import Request, StanceClassifier
from .understanding import Understanding, key_concepts, shares_concept

_STATISTIC_SOURCE = re.compile(rules.STATISTIC_SOURCE, re.I)
_STATISTIC_NUMBER = re.compile(rules.STATISTIC_NUMBER, re.I)
_RESULT_FIGURE = re.compile(rules.RESULT_FIGURE, re.I)
_RESULT_COMPARISON = re.compile(rules.RESULT_COMPARISON, re.I)


def locate(quote: str, text: str) -> tuple[int, int] | None:
    """Offsets of a quote in its source; tolerant only of space variants (no-break spaces)."""
    at = text.find(quote)
    if at >= 0:
        return at, at + len(quote)
    pattern = r"\s+".join(re.escape(w) for w in quote.split())
    m = re.search(pattern, text)
    return (m.start(), m.end()) if m else None


def relevance(similarity: float) -> float:
    return max(0.0, min(1.0, (similarity - rules.RELEVANCE_FLOOR) / (1.0 - rules.RELEVANCE_FLOOR)))


def evidence_kind(source_kind: str, quote: str, statistic: bool | None = None) -> str:
    """argument, comment, document or statistic: a comment is a comment whatever it says; a curated entry
    is a statistic when flagged (``statistic``), a retrieved essay passage when it names a source and a number,
    a team document's passage when it reports a measured result."""
    if source_kind == "document" and reports_result(quote):
        return "statistic"
    if source_kind == "essay":
        found = (bool(_STATISTIC_SOURCE.search(quote) and _STATISTIC_NUMBER.search(quote)) if statistic is None
                 else statistic)
        if found:
            return "statistic"
    return rules.SOURCE_KIND_TO_EVIDENCE.get(source_kind, "document")


def reports_result(text: str) -> bool:
    """A measured result: two figures ("41% ... against 27%"), or one figure with a comparison ("up 12%")."""
    figures = len(_RESULT_FIGURE.findall(text))
    return figures >= 2 or (figures == 1 and bool(_RESULT_COMPARISON.search(text)))


@dataclass
class Gatherer:
    catalogue: Catalogue
    embedder: Embedder
    stance: StanceClassifier
    quote_vectors: dict[tuple[str, str], list[float]]

    def from_catalogue(self, items: list[CatalogueEvidence], key: str, sources: dict[str, SourceText],
                       qvec: list[float], stance_override: str | None = None) -> list[Evidence]:
        out = []
        for item in items:
            src = sources.get(item.source_id)
            span = locate(item.quote, src.text) if src else None
            if src is None or span is None:
                continue  # the catalogue test keeps this from happening
            vec = self.quote_vectors.get((key, item.quote))
            sim = cosine(qvec, vec) if vec else 0.0
            paragraph, paragraph_start = _paragraph(src.text, *span)
            out.append(Evidence(
                id="", kind=evidence_kind(src.kind, item.quote, item.statistic),  # type: ignore[arg-type]
                source=src.title, source_id=src.source_id, author=src.author, quote=src.text[span[0]:span[1]],
                stance=stance_override or item.stance,  # type: ignore[arg-type]
                weight=0.0, start=span[0], end=span[1],
                relevance=round(relevance(sim), 3),
                passage=paragraph, passage_start=paragraph_start, curated=True,
            ))
        return out

    def from_hits(self, hits: list[Hit], understood: Understanding, qvec: list[float], covered: list[Evidence],
                  limit: int, context_slots: int = 0, own: list[Hit] | None = None,
                  own_limit: int = 0) -> list[Evidence]:
        """Best sentence of each retrieved passage not already quoted, with its stance on the claim if any:
        at most ``limit`` that take a side, and for a claim at most ``context_slots`` whose stance is unclear,
        shown as context (weighed at 0). ``own``: the team's own passages beyond the hits, of which at most
        ``own_limit`` that take a side are added (never as context); all are read in the same calls."""
        own = own or []
        own_ids = {h.passage.id for h in own}
        fresh = [h for h in hits + own if not any(
            e.source_id == h.passage.source_id and e.start is not None and e.end is not None
            and e.start < h.passage.end and h.passage.start < e.end for e in covered)]
        if not fresh:
            return []
        # A team's memo states a point and its evidence together: it is quoted whole, so only the essays'
        # passages need their sentences read to choose the one to quote.
        spans = [(h, a, b) for h in fresh if h.passage.kind != "document"
                 for a, b in sentences(h.passage.text, 0, len(h.passage.text))]
        vectors = self.embedder.embed_batch([h.passage.text[a:b] for h, a, b in spans]) if spans else []
        scored: dict[str, list[tuple[int, int, float, list[float]]]] = {}
        for (h, a, b), v in zip(spans, vectors):
            scored.setdefault(h.passage.id, []).append((a, b, cosine(qvec, v), v))
        chosen: list[_Quote] = []
        for h in fresh:
            sim: float | None
            if h.passage.id in scored:
                sim, a, b, vec = _best(scored[h.passage.id])
            else:  # quoted whole
                sim, a, b, vec = None, 0, len(h.passage.text), None
            start, end = _with_result(h, h.passage.start + a, h.passage.start + b)
            start, end, context, context_start = _with_answer(h, start, end)
            chosen.append(_Quote(h, sim, vec if end - start == b - a else None, start, end, context, context_start))
        unread = [q for q in chosen if q.vector is None]  # a widened or whole quote is read as a whole
        for q, v in zip(unread, self.embedder.embed_batch([q.text for q in unread]) if unread else []):
            q.vector, q.sim = v, cosine(qvec, v) if q.sim is None else q.sim
        concepts = key_concepts(understood.claim) if understood.claim and not understood.claim_id else set()
        requests = [_stance_request(understood, concepts, q) for q in chosen]
        read = iter(self.stance.read([r for r in requests if r is not None]))  # one model call for them all
        stances = [next(read) if r is not None else ("neutral", "information") for r in requests]
        out: list[Evidence] = []
        for q, (stance, how) in zip(chosen, stances):
            h, quote = q.hit, q.text
            sided = understood.kind != "info" and stance != "neutral"
            if h.passage.id in own_ids:
                if not sided or own_limit <= 0:
                    continue
                own_limit -= 1
            elif understood.kind != "info" and (limit if sided else context_slots) <= 0:
                continue
            out.append(Evidence(
                id="", kind=evidence_kind(h.passage.kind, quote),  # type: ignore[arg-type]
                source=h.passage.source, source_id=h.passage.source_id, author=h.passage.author, quote=quote,
                stance=stance,  # type: ignore[arg-type]
                weight=0.0, start=q.start, end=q.end,
                relevance=round(relevance(max(q.sim or 0.0, h.similarity)), 3), passage=q.context,
                passage_start=q.context_start, why=f"stance: {how}",
            ))
            if h.passage.id in own_ids:
                continue
            if understood.kind == "info":
                if len(out) >= limit:
                    break
            elif sided:
                limit -= 1
            else:
                context_slots -= 1
        return out


@dataclass
class _Quote:
    """What a retrieved passage is quoted as: ``start:end`` (source offsets) inside ``context``, its vector
    and its similarity to the question (both read once the quote is final)."""

    hit: Hit
    sim: float | None
    vector: list[float] | None
    start: int
    end: int
    context: str
    context_start: int

    @property
    def text(self) -> str:
        return self.context[self.start - self.context_start:self.end - self.context_start]


def _stance_request(understood: Understanding, concepts: set[str], q: _Quote) -> Request | None:
    """What a quote's stance is read on: the matched catalogue claim, else the user's own claim (``concepts``:
    its key concepts); none for an information question."""
    if understood.kind == "claim" and understood.claim_id:
        return Request(q.text, q.vector, claim_id=understood.claim_id)
    if understood.kind == "claim" and understood.claim:
        # The user's own claim, read as they put it, on a passage that names something the claim is about (a
        # podcast claim is not read on passages that share only "brand" with it).
        about = shares_concept(key_concepts(q.text), concepts)
        return Request(q.text, claim=understood.claim, on_topic=(q.sim or 0.0) if about else 0.0)
    return None


def _best(scored: list[tuple[int, int, float, list[float]]]) -> tuple[float, int, int, list[float]]:
    """(similarity, start, end, vector) of the passage's sentence closest to the question."""
    a, b, sim, vec = max(scored, key=lambda t: t[2])
    return sim, a, b, vec


def _with_result(hit: Hit, start: int, end: int) -> tuple[int, int]:
    """The quote at ``start:end`` (source offsets) widened, within the hit's window, by the sentence before
    and the sentence after when either it or the quote reports a measured result, while it stays under
    QUOTE_MAX_CHARS: "41% against 27%" travels with the sentence that says what it means, wherever the
    passage split fell."""
    text, offset = (hit.window, hit.window_start) if hit.window and hit.window_start is not None else (
        hit.passage.text, hit.passage.start)
    spans = [(a + offset, b + offset) for a, b in sentences(text, 0, len(text))]
    inside = [i for i, (a, b) in enumerate(spans) if a < end and start < b]
    if not inside:
        return start, end
    lo, hi = inside[0], inside[-1]
    core = reports_result(text[spans[lo][0] - offset:spans[hi][1] - offset])
    for n in (lo - 1, hi + 1):  # one sentence each side at most
        if 0 <= n < len(spans) and max(spans[hi][1], spans[n][1]) - min(spans[lo][0], spans[n][0]) <= \
                rules.QUOTE_MAX_CHARS and (core or reports_result(text[spans[n][0] - offset:spans[n][1] - offset])):
            lo, hi = min(lo, n), max(hi, n)
    return min(start, spans[lo][0]), max(end, spans[hi][1])


def _with_answer(hit: Hit, start: int, end: int) -> tuple[int, int, str, int]:
    """(quote start, quote end, context, context start): the sentence at ``start:end`` and, when it ends its
    passage and the hit's window goes on, the window's next sentence too (a rebuttal such as "Mmmm, not
    necessarily." is read with the assertion it answers). Offsets index the source text."""
    if not hit.window or hit.window_start is None:
        quote_end = min(end, start + rules.QUOTE_MAX_CHARS)
        return start, quote_end, hit.passage.text, hit.passage.start
    context, offset = hit.window, hit.window_start
    if end >= hit.passage.end - 1:
        following = [(a + offset, b + offset) for a, b in sentences(context, end - offset, len(context))]
        if following and following[0][1] - start <= rules.QUOTE_MAX_CHARS:
            end = following[0][1]
    return start, min(end, start + rules.QUOTE_MAX_CHARS), context, offset


def from_findings(findings: list[Finding], claim_id: str | None, stance: str | None = None,
                  stances: dict[str, str] | None = None) -> list[Evidence]:
    """Findings as ``company_data`` evidence: those bearing on ``claim_id`` with their stance, or every one
    of ``findings`` with ``stance`` (a question about the team's numbers), or each with its ``stances[id]``."""
    out = []
    for f in findings:
        found = stance or (stances or {}).get(f.id) or finding_stances(f).get(claim_id or "")
        if found is None:
            continue
        out.append(Evidence(
            id="", kind="company_data", source=f"Your data: {f.file}", source_id=f"data:{f.file}",
            author=None, quote=f.sentence, stance=found, weight=0.0, start=0, end=len(f.sentence),  # type: ignore[arg-type]
            relevance=1.0, passage=f"{f.sentence} {f.caveat}".strip(), passage_start=0,
        ))
    return out


def _paragraph(text: str, start: int, end: int) -> tuple[str, int]:
    """The paragraph around a quote, for highlighting it in place."""
    a = text.rfind("\n\n", 0, start)
    a = 0 if a < 0 else a + 2
    b = text.find("\n\n", end)
    b = len(text) if b < 0 else b
    return text[a:b], a
