"""Claimcheck: check marketing claims against weighed, cited evidence.

Layers, each importing only from those below it:
settings, errors, schema < knowledge < team_data < answering < onboarding, evaluation < facade < cli.
``Assistant`` (facade.py) is the one object the CLI and the app call.

The names below are imported when first asked for, not with the package: ``import assistant.settings``
(every entry point's first line) would otherwise import every layer, pandas and scipy with them.
"""
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .errors import ClaimcheckError
    from .facade import Assistant
    from .schema import Answer, Caller, Evidence, Finding, Hit, Judgement, Passage, SourceText
    from .settings import Settings

_HOMES = {"Assistant": ".facade", "ClaimcheckError": ".errors", "Settings": ".settings",
          **dict.fromkeys(["Answer", "Caller", "Evidence", "Finding", "Hit", "Judgement", "Passage", "SourceText"],
                          ".schema")}

__all__ = ["Assistant", "Answer", "Caller", "ClaimcheckError", "Evidence", "Finding", "Hit", "Judgement",
           "Passage", "Settings", "SourceText"]


def __getattr__(name: str) -> object:
    if name not in _HOMES:
        raise AttributeError(f"module 'assistant' has no attribute {name!r}")
    value = getattr(import_module(_HOMES[name], __name__), name)
    globals()[name] = value  # once per process
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
