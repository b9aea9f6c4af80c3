"""Answering a question: understand it, gather and weigh evidence, compose the answer.

In scope: the claim catalogue, question understanding, stance, evidence,
weighing and composing, with their rules. Out of scope: storage and retrieval
(``knowledge``) and computing findings (``team_data``), which it only reads.
"""

from .answer import Answerer, Knowledge
from .catalogue import Catalogue, Claim, load_catalogue
from .understanding import Conversation, Understanding

__all__ = ["Answerer", "Catalogue", "Claim", "Conversation", "Knowledge", "Understanding", "load_catalogue"]
