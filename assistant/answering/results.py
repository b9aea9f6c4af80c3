"""Reported results: which way a passage's measured outcome points.

A team memo rarely argues; it reports ("members reordered at 41% against 27% for non-members", "bookings
rose from 120 to 180", "no measurable link to sales"). The stance model, trained on debate text, is close
to chance on such sentences, so they are read here by their figures: an effect the claim asserts is
supported by a clear gain and contradicted by no change or a loss. Only the shape of the report is read,
never which group or measure the claim is about: that is the caller's on-topic check.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from . import rules

Effect = Literal["positive", "none", "negative"]


def _number(name: str) -> str:
    """A figure, its currency and its unit as named groups: 41%, £1.40, 3.1x, 2,300."""
    return (rf"(?P<{name}_cur>[£$€]?)\s?(?P<{name}>\d[\d,]*(?:\.\d+)?)\s?"
            rf"(?P<{name}_unit>%|pp\b|points?\b|percent\b|per cent\b|x\b|×|)")


_COMPARED = re.compile(
    _number("a") + r"(?P<between>[^.;:!?\d]{0,80}?)\b(?P<word>" + rules.RESULT_VERSUS + r")(?!\w)"
    r"(?P<after>[^.;!?\d]{0,60}?)" + _number("b"), re.I)
_CHANGE = re.compile(r"\bfrom\s+" + _number("a") + r"\s+to\s+" + _number("b") + r"|" + _number("c")
                     + r"\s?(?:->|→|=>)\s?" + _number("d"), re.I)
_MULTIPLE = re.compile(r"\b(?P<n>\d+(?:\.\d+)?)\s?(?:x|×|times)\s+(?:the|as many|as much|more)\b|\b(?P<word>doubled|"
                       r"tripled|quadrupled|halved)\b", re.I)
_RELATIVE = re.compile(_number("a") + r"\s+(?P<dir>" + rules.RESULT_MORE + "|" + rules.RESULT_LESS + r")\s+than\b",
                       re.I)
_SIGNED = re.compile(r"(?:(?<![\w.])(?P<sign>[+−-])\s?|(?<!made )(?<!make )\b(?P<word>up|down)\s+(?:by\s+)?)"
                     r"(?P<n>\d+(?:\.\d+)?)\s?(?:%|pp\b|points?\b)", re.I)
_NULL = re.compile(rules.RESULT_NULL, re.I)
_LOWER_BETTER = re.compile(rules.RESULT_LOWER_IS_BETTER, re.I)
_CONTROL = re.compile(rules.RESULT_CONTROL_GROUP, re.I)
_MORE = re.compile(rules.RESULT_MORE, re.I)


@dataclass(frozen=True)
class Result:
    effect: Effect
    shown_by: str  # the words that showed it, for the answer's "why"


def _around(text: str, m: re.Match, after: int = 0) -> str:
    """The clause a figure sits in: up to 60 characters before the match, and ``after`` past it."""
    return text[max(0, m.start() - 60): m.end() + after]


def _value(text: str) -> float:
    return float(text.replace(",", ""))


def _same_kind(m: re.Match, a: str, b: str) -> bool:
    """Two figures of one measure: the same currency and the same unit (41% against 27%, not 3 months
    against 7%)."""
    return (m.group(f"{a}_cur"), m.group(f"{a}_unit").lower()) == (m.group(f"{b}_cur"), m.group(f"{b}_unit").lower())


def _compare(first: float, second: float) -> Effect:
    """A difference within RESULT_NULL_SHARE of the larger figure is no difference (5.1% against 5.2%)."""
    if abs(first - second) <= rules.RESULT_NULL_SHARE * max(abs(first), abs(second)):
        return "none"
    return "positive" if first > second else "negative"


def _flip(effect: Effect) -> Effect:
    return {"positive": "negative", "negative": "positive"}.get(effect, effect)  # type: ignore[return-value]


def _oriented(effect: Effect, clause: str) -> Effect:
    """A fall in churn, cost or missed visits is a gain."""
    return _flip(effect) if _LOWER_BETTER.search(clause) else effect


def read_result(text: str) -> Result | None:
    """The effect a passage reports, or None when it reports none or its figures point both ways."""
    null = _NULL.search(text)
    if null:
        return Result("none", null.group(0))
    found: list[Result] = []
    taken: list[tuple[int, int]] = []
    for m in _COMPARED.finditer(text):
        if not _same_kind(m, "a", "b"):
            continue  # "within 3 months, against 7%": not two figures of one measure
        taken.append(m.span())
        effect = _compare(_value(m.group("a")), _value(m.group("b")))
        before = text[max(0, m.start() - 60): m.start()] + m.group("between")
        if _CONTROL.search(before) and not _CONTROL.search(m.group("after")):
            effect = _flip(effect)  # the comparison group was named first
        found.append(Result(_oriented(effect, _around(text, m)), m.group(0)))
    for m in _CHANGE.finditer(text):
        taken.append(m.span())
        a, b = (m.group("a"), m.group("b")) if m.group("a") else (m.group("c"), m.group("d"))
        found.append(Result(_oriented(_compare(_value(b), _value(a)), _around(text, m)),
                            m.group(0)))
    for m in _MULTIPLE.finditer(text):
        effect: Effect = "negative" if (m.group("word") or "").lower() == "halved" or (
            m.group("n") and _value(m.group("n")) < 1) else "positive"
        found.append(Result(_oriented(effect, _around(text, m, 30)), m.group(0)))
    for m in _RELATIVE.finditer(text):
        effect = "positive" if _MORE.fullmatch(m.group("dir")) else "negative"
        found.append(Result(_oriented(effect, _around(text, m, 30)), m.group(0)))
    for m in _SIGNED.finditer(text):
        if any(start <= m.start() < end for start, end in taken):
            continue
        down = m.group("sign") in ("-", "−") or (m.group("word") or "").lower() == "down"
        size = _value(m.group("n"))
        effect = "none" if size < rules.RESULT_NULL_POINTS else ("negative" if down else "positive")
        found.append(Result(_oriented(effect, _around(text, m, 20)), m.group(0)))
    effects = {r.effect for r in found}
    if len(effects) != 1:
        return None
    return found[0]


def stance_of(result: Result, claim_negated: bool) -> str:
    """A gain supports the effect a claim asserts; no change or a loss contradicts it (flipped when the
    claim, as worded, denies the effect)."""
    stance = "supports" if result.effect == "positive" else "contradicts"
    if claim_negated:
        stance = "contradicts" if stance == "supports" else "supports"
    return stance
