"""Choosing the answer path's cut-offs (``claimcheck eval --choose-thresholds``): a candidate is what the answer
path really uses while it is scored, and today's values come back afterwards."""
from __future__ import annotations

import pytest

from assistant.answering import rules
from assistant.evaluation.thresholds import GRID, overridden

from .test_cli import run


def test_a_candidate_is_set_for_its_run_and_todays_values_come_back():
    today = (rules.CLAIM_MATCH_MIN, rules.KEYWORD_BONUS, rules.KEYWORD_BONUS_MAX, rules.MAX_RETRIEVED_EVIDENCE)
    with overridden({"CLAIM_MATCH_MIN": 0.6, "KEYWORD_BONUS": 0.02, "MAX_RETRIEVED_EVIDENCE": 5}):
        assert (rules.CLAIM_MATCH_MIN, rules.MAX_RETRIEVED_EVIDENCE) == (0.6, 5)
        assert isinstance(rules.MAX_RETRIEVED_EVIDENCE, int), "a count stays a count"
        assert rules.KEYWORD_BONUS_MAX == pytest.approx(0.04), "the bonus stays capped at two keywords' worth"
    assert (rules.CLAIM_MATCH_MIN, rules.KEYWORD_BONUS, rules.KEYWORD_BONUS_MAX, rules.MAX_RETRIEVED_EVIDENCE) == today
    with pytest.raises(RuntimeError), overridden({"NEIGHBOUR_MIN": 0.9}):
        raise RuntimeError("a candidate's run failed")
    assert rules.NEIGHBOUR_MIN == 0.6


def test_every_grid_holds_todays_value_and_names_a_real_cut_off():
    for grid in GRID:
        for name, values in grid.items():
            assert getattr(rules, name) in values, f"{name}: today's value is a candidate, so a tie can keep it"


def test_the_answer_path_reads_the_candidate_not_a_copy(shared_kb):
    """Under a claim-match cut no question reaches (2: a cosine plus the keyword bonus stays under it), the
    curated claim is not used; a labelled-neighbour cut above 1 keeps even a curated quote's own text from
    voting."""
    question = "Does engaging on social media build customer loyalty?"
    assert shared_kb.ask(question).claim_id == "engagement-builds-loyalty"
    stance = shared_kb.answerer.knowledge.gatherer.stance
    claim = shared_kb.answerer.knowledge.catalogue.claim("engagement-builds-loyalty")
    entry = next(e for e in claim.evidence if e.stance != "neutral")
    vector = stance.quote_vectors[(claim.id, entry.quote)]
    assert stance.classify(entry.quote, vector, claim.id)[1].startswith("nearest labelled quote")
    with overridden({"CLAIM_MATCH_MIN": 2.0, "NEIGHBOUR_MIN": 1.01}):
        assert shared_kb.ask(question).claim_id is None
        assert not stance.classify(entry.quote, vector, claim.id)[1].startswith("nearest labelled quote")
    assert shared_kb.ask(question).claim_id == "engagement-builds-loyalty"


def test_choosing_thresholds_needs_the_split(tmp_path):
    questions = tmp_path / "questions.jsonl"
    questions.write_text('{"id": "q1", "question": "Does engagement build loyalty?", "expect": "mixed"}\n')
    result = run(tmp_path / "home", "eval", str(questions), "--choose-thresholds")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "claimcheck: error: --choose-thresholds needs a split file (--split, or split.json beside FILE)"]
