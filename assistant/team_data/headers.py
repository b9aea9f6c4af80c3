"""Guess what each column of an export holds from its header alone.

A header names a role ("Orders", "Ad spend", "Week starting") and, in a wide
export, a channel too ("social_spend", "Spend (Social)", "FB Likes"). We look
for the longest known phrase inside the normalised header; what is left over,
minus filler words, is the channel. Ratios ("CTR", "Cost per order") are never
mistaken for counts.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from . import rules


@dataclass(frozen=True)
class Guess:
    """One header's reading: role, channel named inside it, and how sure (lower rank = surer)."""

    column: str
    role: str | None
    channel: str | None = None
    part: str | None = None  # "likes" etc. when the column is one part of engagements
    rank: int = 0
    ambiguous_sales: bool = False
    money_header: bool = False


@lru_cache(maxsize=1)
def _phrases() -> list[tuple[tuple[str, ...], str, str | None, int]]:
    """All (phrase words, role, engagement part, rank), longest phrases first."""
    out = [(tuple(p.split()), role, None, i) for role, ps in rules.SYNONYMS.items() for i, p in enumerate(ps)]
    out += [(tuple(p.split()), "engagements", p, 50 + i) for i, p in enumerate(rules.ENGAGEMENT_PARTS)]
    return sorted(out, key=lambda item: (-len(item[0]), item[3]))


def _find(words: list[str], phrase: tuple[str, ...]) -> int:
    """Index where ``phrase`` starts inside ``words``, or -1."""
    n = len(phrase)
    for i in range(len(words) - n + 1):
        if tuple(words[i:i + n]) == phrase:
            return i
    return -1


def channel_label(text: str) -> str:
    """A channel name as Claimcheck writes it: normalised, aliases expanded, totals -> "all"."""
    label = rules.norm(text)
    if label in rules.TOTAL_CHANNELS:
        return rules.ALL_CHANNELS
    return rules.CHANNEL_ALIASES.get(label, label) or "unlabelled"


def is_social(channel: str) -> bool:
    """Whether a channel label names a social network or "social"."""
    return bool(set(channel.split()) & rules.SOCIAL_WORDS)


def guess(column: str) -> Guess:
    """Read one header; role None when nothing known matches or it is a ratio."""
    raw = str(column)
    words = rules.norm(raw).split()
    money = any(s in raw for s in rules.CURRENCY_SYMBOLS) or bool(set(words) & {"usd", "eur", "gbp", "jpy"})
    if not words or "%" in raw or set(words) & rules.RATIO_WORDS:
        return Guess(raw, None)
    for phrase, role, part, rank in _phrases():
        at = _find(words, phrase)
        if at < 0:
            continue
        rest = [w for w in words[:at] + words[at + len(phrase):] if w not in rules.NOISE_WORDS and not w.isdigit()]
        channel = channel_label(" ".join(rest)) if rest and role not in ("date", "channel") else None
        sales = " ".join(phrase) == rules.AMBIGUOUS_SALES
        if sales and money:
            role = "revenue"
        return Guess(raw, role, channel, part, rank + (100 if rest else 0), sales and not money, money)
    return Guess(raw, None)

