"""How an answer is summed up in words: the verdict line, the totals, a citation's title and highlight.

Shared by the app and the downloadable brief, so both say the same thing.
Plain text; callers escape it (``markdown.literal``) where it goes into Markdown.
"""
from __future__ import annotations

from .records import Answer, Evidence
from .words import KIND_WORDS, STANCE_WORDS, VERDICT_WORDS


def signed(x: float) -> str:
    """+0.52 / −0.52 with a real minus sign."""
    return f"{x:+.2f}".replace("-", "−")


def headline(answer: Answer) -> str:
    """'Leans unsupported · balance −0.52 · confidence 0.61' (or the information-question wording)."""
    if answer.verdict is None and answer.kind == "data":
        return f"Your numbers · {len(answer.evidence)} finding{'s' * (len(answer.evidence) != 1)}"
    if answer.verdict is None:
        return f"Information · {len(answer.evidence)} passages · relevance {answer.confidence:.2f}"
    parts = [VERDICT_WORDS.get(answer.verdict, answer.verdict)]
    if answer.balance is not None:
        parts.append(f"balance {signed(answer.balance)}")
    parts.append(f"confidence {answer.confidence:.2f}")
    return " · ".join(parts)


def totals(answer: Answer) -> dict[str, float]:
    """Weight for, against and qualifying, summed from the cited evidence."""
    out = {"supports": 0.0, "contradicts": 0.0, "qualifies": 0.0, "neutral": 0.0}
    for e in answer.evidence:
        out[e.stance] = out.get(e.stance, 0.0) + e.weight
    return {k: round(v, 4) for k, v in out.items()}


def passage_parts(e: Evidence) -> tuple[str, str, str]:
    """The evidence's passage split into (before, quote, after), for highlighting the quote in place.

    Uses the offsets (``start - passage_start``); falls back to finding the quote, then to the quote alone.
    """
    passage = e.passage or ""
    if passage and e.start is not None and e.passage_start is not None:
        at = e.start - e.passage_start
        if 0 <= at and passage[at:at + len(e.quote)] == e.quote:
            return passage[:at], e.quote, passage[at + len(e.quote):]
    at = passage.find(e.quote) if passage and e.quote else -1
    if at >= 0:
        return passage[:at], e.quote, passage[at + len(e.quote):]
    return "", e.quote, ""


def card_title(e: Evidence) -> str:
    """'[E1] For · argument · Customers Don’t Care About Us' (plain text, not escaped)."""
    return f"[{e.id}] {STANCE_WORDS.get(e.stance, e.stance)} · {KIND_WORDS.get(e.kind, e.kind)} · {e.source}"
