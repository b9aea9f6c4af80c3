"""Guess what each column of an export holds from its header alone.

A header names a role ("Orders", "Ad spend", "Week starting") and, in a wide
export, a channel too ("social_spend", "Spend (Social)", "FB Likes"). We look
for the longest known phrase inside the normalised header; what is left over,
minus filler words, is the channel. Ratios ("CTR", "Cost per order") are never
mistaken for counts.
"""
from __future__ import annotations

from dataclasses import dataclass
import re
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
    is_id: bool = False  # named like an identifier: never a date, a metric or a control


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


def channel_name(text: str) -> str:
    """A channel named by a model's variable ("tv_S", "facebook_I") or a label, as Claimcheck writes it."""
    m = _MMM_SUFFIX.match(str(text).strip())
    return channel_label(m.group("stem") if m and m.group("suffix") in rules.MMM_SUFFIX_ROLES else str(text))


def is_social(channel: str) -> bool:
    """Whether a channel label names a social network or "social"."""
    return bool(set(channel.split()) & rules.SOCIAL_WORDS)


_MMM_SUFFIX = re.compile(r"^(?P<stem>.*[^\W_])[_ ](?P<suffix>[A-Z])$")  # linear: one greedy run, no nesting


def _mmm_suffix(raw: str) -> Guess | None:
    """The MMM demos' suffix convention: tv_S is tv's spend, facebook_I its impressions, search_clicks_P
    search's clicks (read from the word before), competitor_sales_B a context variable (a control)."""
    m = _MMM_SUFFIX.match(raw.strip())
    if not m or m.group("suffix") not in rules.MMM_SUFFIX_ROLES:
        return None
    stem, role = m.group("stem"), rules.MMM_SUFFIX_ROLES[m.group("suffix")]
    if role == "control":
        return Guess(raw, "control")
    if role is not None:
        return Guess(raw, role, channel_label(stem))
    inner = guess(stem)
    if inner.role in rules.METRIC_ROLES:
        return Guess(raw, inner.role, inner.channel or channel_label(stem), inner.part, inner.rank)
    return Guess(raw, inner.role if inner.role == "control" else None)


def guess(column: str) -> Guess:
    """Read one header; role None when nothing known matches or it is a ratio."""
    raw = str(column)
    words = rules.header_words(raw)
    money = any(s in raw for s in rules.CURRENCY_SYMBOLS) or bool(set(words) & {"usd", "eur", "gbp", "jpy"})
    if not words:
        return Guess(raw, None)
    if set(words) & rules.ID_WORDS:
        return Guess(raw, "campaign" if "campaign" in words else None, is_id=True)
    suffixed = _mmm_suffix(raw)
    if suffixed is not None:
        return suffixed
    if set(words) & rules.CONTROL_WORDS:
        return Guess(raw, "control")
    if " ".join(words) in rules.ENGAGEMENT_PARTS:
        return Guess(raw, "engagements", None, _plural(" ".join(words)), 50)
    if "%" in raw or set(words) & rules.RATIO_WORDS:
        return Guess(raw, None)
    for phrase, role, part, rank in _phrases():
        at = _find(words, phrase)
        if at < 0:
            continue
        rest = [w for w in words[:at] + words[at + len(phrase):] if w not in rules.NOISE_WORDS and not w.isdigit()]
        if role not in rules.METRIC_ROLES:
            return Guess(raw, role, None, None, rank + (100 if rest else 0))
        if len(rest) > rules.MAX_CHANNEL_WORDS:  # a variant of the metric ("impressions by people who ..."), not a channel
            return Guess(raw, role, None, _plural(part) if part else None, rank + 200, False, money)
        channel = channel_label(" ".join(rest)) if rest else None
        sales = " ".join(phrase) == rules.AMBIGUOUS_SALES
        if sales and money:
            role = "revenue"
        return Guess(raw, role, channel, _plural(part) if part else None, rank + (100 if rest else 0),
                     sales and not money, money)
    return Guess(raw, None)


def _plural(part: str) -> str:
    """An engagement part as summed and reported: "like" and "likes" are one part."""
    return part if part.endswith("s") else ("replies" if part == "reply" else part + "s")
