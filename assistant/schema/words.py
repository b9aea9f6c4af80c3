"""The one vocabulary of stances, verdicts, directions and evidence kinds, and their words on screen.

Every layer (weighing, composing, the claim map, the quiz, evaluation, the
app) names these values from here, so a verdict means the same everywhere.
"""
from __future__ import annotations

from typing import Literal

Stance = Literal["supports", "contradicts", "qualifies", "neutral"]
STANCES: tuple[Stance, ...] = ("supports", "contradicts", "qualifies", "neutral")
STANCE_WORDS: dict[str, str] = {"supports": "For", "contradicts": "Against", "qualifies": "Qualifies",
                                "neutral": "Context"}
# The claim map's marks, in display order (neutral entries are context, not a mark).
STANCE_MARKS: dict[str, str] = {"supports": "✔", "contradicts": "✘", "qualifies": "~"}

Verdict = Literal["supported", "leans_supported", "contested", "qualified", "leans_unsupported", "unsupported",
                  "insufficient_evidence"]
VERDICTS: tuple[Verdict, ...] = ("supported", "leans_supported", "contested", "qualified", "leans_unsupported",
                                 "unsupported", "insufficient_evidence")
VERDICT_WORDS: dict[str, str] = {
    "supported": "Supported",
    "leans_supported": "Leans supported",
    "contested": "Contested",
    "qualified": "Holds only in part",
    "leans_unsupported": "Leans unsupported",
    "unsupported": "Unsupported",
    "insufficient_evidence": "Not enough evidence",
}

# Which way a verdict points: what the evaluation scores and what the claim map calls a claim's lean.
Direction = Literal["positive", "negative", "mixed", "insufficient", "info"]
VERDICT_DIRECTION: dict[str | None, Direction] = {
    "supported": "positive", "leans_supported": "positive", "contested": "mixed", "qualified": "mixed",
    "leans_unsupported": "negative", "unsupported": "negative", "insufficient_evidence": "insufficient",
    None: "info",
}
LEAN_WORDS: dict[str, str] = {
    "positive": "Mostly supported",
    "mixed": "Mixed: the essays qualify it or disagree",
    "negative": "Mostly contradicted",
}

Kind = Literal["argument", "statistic", "comment", "document", "company_data"]
KIND_WORDS: dict[str, str] = {"argument": "argument", "statistic": "statistic", "comment": "comment",
                              "document": "document", "company_data": "your data"}
