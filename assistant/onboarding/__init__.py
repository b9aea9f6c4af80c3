"""Onboarding and sharing: the claim map, the quiz, the journey tour and the brief.

Everything here is computed from the claim catalogue, the journey and an
answer; nothing here retrieves or weighs.
"""

from .brief import brief
from .claim_map import ClaimMap, build_claim_map
from .journey import Journey, TourStage, load_journey, tour
from .quiz import Question, Score, make_quiz, results_csv, score

__all__ = ["ClaimMap", "Journey", "Question", "Score", "TourStage", "brief", "build_claim_map", "load_journey",
           "make_quiz", "results_csv", "score", "tour"]
