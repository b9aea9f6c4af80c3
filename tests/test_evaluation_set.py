"""The evaluation set stays held out from the curated data: no question's wording is in the catalogue.

A question "leaks" when it shares a run of three words, two of them content words, with a claim statement,
a paraphrase or a topic question. The product's own domain words (social, media, customers, brand,
marketing, sales, buy, people) do not count as content here: "on social media" is the subject, not a leak.
"""
from __future__ import annotations

import json
import re

import pytest

from .conftest import CORPUS

STOPWORDS = set("""a an the of to and or in on for with is are be it that this we our you your they their them do
does did what which how why who when where can will would should could at by as from than more most much many
about into over so not no but if then just really actually any all some us""".split())
DOMAIN = set("social media customers customer brand brands marketing sales buy buying people".split())


def runs(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9']+", text.lower().replace("’", "'"))
    return {tuple(words[i:i + 3]) for i in range(len(words) - 2)
            if sum(w not in STOPWORDS | DOMAIN for w in words[i:i + 3]) >= 2}


def catalogue_texts() -> list[tuple[str, str]]:
    data = json.loads((CORPUS / "claims.json").read_text(encoding="utf-8"))
    out = [(c["id"], t) for c in data["claims"] for t in [c["claim"], *c.get("paraphrases", [])]]
    return out + [(t["id"], q) for t in data["topics"] for q in [t["question"], *t.get("paraphrases", [])]]


QUESTIONS = [json.loads(line) for line in (CORPUS / "eval" / "questions.jsonl").read_text(encoding="utf-8").splitlines()
             if line.strip()]
TRIPLES = [json.loads(line) for name in ("paraphrase_triples.jsonl", "paraphrase_triples_heldout.jsonl")
           for line in (CORPUS / "eval" / name).read_text(encoding="utf-8").splitlines() if line.strip()]
QUESTIONS += [{"id": f"{t['id']}-{n}", "question": q} for t in TRIPLES for n, q in enumerate(t["questions"], 1)]


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q["id"])
def test_no_question_is_worded_in_the_catalogue(question):
    leaks = [(owner, sorted(runs(question["question"]) & runs(text))) for owner, text in catalogue_texts()
             if runs(question["question"]) & runs(text)]
    assert not leaks, leaks


def test_each_paraphrase_triple_asks_one_thing_three_ways():
    for t in TRIPLES:
        assert len(set(t["questions"])) == 3 and t["expect"] in ("positive", "negative", "mixed"), t["id"]


def test_the_check_catches_a_copied_phrase():
    assert runs("Will LinkedIn bring in a meaningful share of sales?") & runs("Social media brings a meaningful share")


def test_a_bad_line_in_an_evaluation_set_is_one_clear_message(tmp_path):
    from assistant.errors import BadInput
    from assistant.evaluation.sets import read_jsonl

    path = tmp_path / "set.jsonl"
    path.write_text('{"id": "a", "question": "q"}\n\n{"id": "b"}\n', encoding="utf-8")
    with pytest.raises(BadInput, match=r"set\.jsonl:3: each line needs \"id\" and \"question\""):
        read_jsonl(path, ("id", "question"))
    path.write_text('{"id": "a"\n', encoding="utf-8")
    with pytest.raises(BadInput, match=r"set\.jsonl:1: not valid JSON"):
        read_jsonl(path)
    with pytest.raises(BadInput, match="cannot read the set"):
        read_jsonl(tmp_path / "missing.jsonl")
