"""Evaluation: ``claimcheck eval`` and the LangChain-tutorial baseline it is compared with."""
