"""Evaluation: ``claimcheck eval`` and the LangChain-tutorial baseline it is compared with."""

from .evaluate import format_report, run_eval

__all__ = ["format_report", "run_eval"]
