"""Claimcheck: check marketing claims against weighed, cited evidence.

Layers, each importing only from those below it:
settings, errors, schema < knowledge < team_data < answering < onboarding, evaluation < facade < cli.
``Assistant`` (facade.py) is the one object the CLI and the app call.
"""
from .errors import ClaimcheckError
from .facade import Assistant
from .schema import (
           Answer,
           Caller,
           Evidence,
           Finding,
           Hit,
           Judgement,
           Passage,
           SourceText,
)
from .settings import Settings

__all__ = ["Assistant", "Answer", "Caller", "ClaimcheckError", "Evidence", "Finding", "Hit", "Judgement",
           "Passage", "Settings", "SourceText"]
