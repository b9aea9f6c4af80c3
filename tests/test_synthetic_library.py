"""The library bench's generated documents: exact passage counts, the same for the same seed, rare names."""
from __future__ import annotations

from assistant.evaluation.synthetic_library import RARE_WORDS, generate_library, questions
from assistant.knowledge.passages import split
from assistant.knowledge.reading import read_document

from .conftest import CORPUS


def test_the_library_holds_exactly_the_passages_asked_for(tmp_path):
    for target in (1, 37, 1200):
        library = generate_library(tmp_path / str(target), target, seed=3, essays=[CORPUS / "essays"])
        found = [p.text for path in library.paths for p in split(read_document(path))]
        assert len(found) == library.passages == target
        assert found == library.texts


def test_the_same_seed_writes_the_same_documents_and_a_smaller_library_is_a_prefix(tmp_path):
    big = generate_library(tmp_path / "a", 900, seed=5, essays=[CORPUS / "essays"])
    again = generate_library(tmp_path / "b", 900, seed=5, essays=[CORPUS / "essays"])
    small = generate_library(tmp_path / "c", 400, seed=5, essays=[CORPUS / "essays"])
    assert [p.read_text() for p in big.paths] == [p.read_text() for p in again.paths]
    assert [p.read_text() for p in small.paths[:-1]] == [p.read_text() for p in big.paths[: len(small.paths) - 1]]
    other = generate_library(tmp_path / "d", 900, seed=6, essays=[CORPUS / "essays"])
    assert other.texts != big.texts


def test_documents_read_like_a_team_s_and_quote_the_essays(tmp_path):
    library = generate_library(tmp_path, 1500, seed=0, essays=[CORPUS / "essays"])
    essays = {p.text for path in (CORPUS / "essays").glob("*.md") for p in split(read_document(path))}
    text = "\n".join(p.read_text() for p in library.paths)
    assert set(library.kinds) == {"memo", "agency summary", "survey write-up", "campaign report"}
    assert 12 <= library.sentence_words <= 25 and 120 <= library.passage_chars <= 420
    assert any(s.split(". ")[0] in text for s in essays)  # essay sentences stand among the team's prose
    assert len(set(library.texts)) > 0.9 * len(library.texts)
    assert set(library.rare_words) == set(RARE_WORDS)
    assert all(1 <= n <= 6 for n in library.rare_words.values())  # rare whatever the size


def test_questions_are_varied_and_name_the_rare_words(tmp_path):
    asked = questions(RARE_WORDS, 50, seed=0)
    assert len(asked) == len({q for q, _ in asked}) == 50
    assert asked == questions(RARE_WORDS, 50, seed=0)
    assert sum(rare is not None and rare in q for q, rare in asked) == 10
