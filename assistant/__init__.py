"""Claimcheck: check marketing claims against weighed, cited evidence.

ingest -> store -> retrieve -> weigh -> compose; data: metrics -> findings,
all behind ``Assistant``.
"""
from .errors import ClaimcheckError
from .facade import Assistant
from .schema import Answer, Evidence, Finding, Hit, Judgement, Passage, SourceText
from .settings import Settings

__all__ = ["Assistant", "Answer", "ClaimcheckError", "Evidence", "Finding", "Hit", "Judgement", "Passage",
           "Settings", "SourceText"]
