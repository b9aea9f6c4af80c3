"""Every quiz question is answerable from the catalogue and cites its answer (assistant/quiz.py)."""
from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from assistant.errors import BadInput
from assistant.onboarding.claim_map import claim_balance
from assistant.onboarding.quiz import (
    CSV_FIELDS,
    KINDS,
    STANCE_OPTIONS,
    grade,
    make_quiz,
    results_csv,
    score,
)
from assistant.schema import LEAN_WORDS

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def essay_body(source_id: str) -> str:
    return (CORPUS / "essays" / f"{source_id}.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("seed", range(12))
def test_every_question_is_answerable_from_the_catalogue(catalogue, journey, titles, seed):
    quiz = make_quiz(catalogue, journey, n=8, seed=seed, titles=titles)
    assert len(quiz) == 8
    assert [q.number for q in quiz] == list(range(1, 9))
    assert {q.kind for q in quiz} == set(KINDS)  # the kinds take turns
    by_title = {t: sid for sid, t in titles.items()}
    for q in quiz:
        assert q.answer in q.options and len(set(q.options)) == len(q.options) >= 3
        assert q.quote in essay_body(q.source_id), "the citation is verbatim from its source"
        assert q.source == titles[q.source_id]
        claim = catalogue.claim(q.claim_id) if q.claim_id else None
        if claim is not None:
            cited = [e for e in claim.evidence if e.quote == q.quote]
            assert cited and all(e.agreed for e in cited), "the quiz teaches only what both blind passes agreed on"
        if q.kind == "quote_stance":
            stances = {e.stance for e in claim.evidence if e.quote == q.passage}
            assert len(stances) == 1 and STANCE_OPTIONS[stances.pop()] == q.answer
            assert q.passage == q.quote
        elif q.kind == "which_source":
            stance = "supports" if " for the claim" in q.prompt else "contradicts"
            holders = {e.source_id for e in claim.evidence if e.stance == stance}
            chosen = {by_title[o] for o in q.options}
            assert chosen & holders == {by_title[q.answer]}, "exactly one option holds that stance"
            assert any(e.quote == q.quote and e.stance == stance for e in claim.evidence)
        elif q.kind == "claim_supported":
            b = claim_balance(claim)
            assert LEAN_WORDS[b.lean] == q.answer and b.clear
            assert claim.claim in q.prompt
        elif q.kind == "journey_stage":
            stage = next(s for s in journey.stages if s.quote == q.passage)
            assert stage.name == q.answer


def test_quiz_is_reproducible_and_varies_with_the_seed(catalogue, journey, titles):
    a = make_quiz(catalogue, journey, n=8, seed=7, titles=titles)
    assert a == make_quiz(catalogue, journey, n=8, seed=7, titles=titles)
    assert a != make_quiz(catalogue, journey, n=8, seed=8, titles=titles)
    assert {q.kind for q in make_quiz(catalogue, None, n=6, seed=1, titles=titles)} == set(KINDS) - {"journey_stage"}
    with pytest.raises(BadInput):
        make_quiz(catalogue, journey, n=0)


def test_scoring_and_csv_export(catalogue, journey, titles):
    quiz = make_quiz(catalogue, journey, n=5, seed=3, titles=titles)
    wrong = next(o for o in quiz[1].options if o != quiz[1].answer)
    answers = {1: quiz[0].answer, 2: wrong, 4: quiz[3].answer}
    result = score(quiz, answers)
    assert (result.correct, result.answered, result.total) == (2, 3, 5)
    assert grade(quiz[0], quiz[0].answer) and not grade(quiz[1], wrong) and not grade(quiz[2], None)
    rows = list(csv.reader(io.StringIO(results_csv(quiz, answers))))
    assert tuple(rows[0]) == CSV_FIELDS
    assert len(rows) == 1 + len(answers), "a header and one row per answer"
    assert [r[0] for r in rows[1:]] == ["1", "2", "4"]
    assert [r[5] for r in rows[1:]] == ["yes", "no", "yes"]
    assert rows[2][3] == wrong and rows[2][4] == quiz[1].answer and rows[2][7] == quiz[1].quote
    assert list(csv.reader(io.StringIO(results_csv(quiz, {})))) == [list(CSV_FIELDS)]


def test_csv_cells_never_run_as_spreadsheet_formulas(catalogue, journey, titles):
    quiz = make_quiz(catalogue, journey, n=1, seed=0, titles=titles)
    rows = list(csv.reader(io.StringIO(results_csv(quiz, {1: "=HYPERLINK(\"http://x\")"}))))
    assert rows[1][3].startswith("'=")
