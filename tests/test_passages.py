"""Passages: one to three sentences, exact offsets, never across sections."""
from __future__ import annotations

from assistant.knowledge.passages import sentences, split
from assistant.knowledge.reading import read_document
from assistant.schema import Section, SourceText

from .conftest import CORPUS

ESSAYS = sorted((CORPUS / "essays").glob("*.md"))


def test_every_passage_is_its_exact_source_span():
    for path in ESSAYS:
        src = read_document(path)
        for p in split(src):
            assert src.text[p.start:p.end] == p.text, (path.name, p.start)


def test_passages_hold_one_to_three_sentences():
    for path in ESSAYS:
        src = read_document(path)
        for p in split(src):
            assert 1 <= len(sentences(p.text, 0, len(p.text))) <= 3, p.text


def test_passages_never_cross_a_section():
    text = "Intro one. Intro two.\n\n## Next\n\nBody one. Body two."
    src = SourceText("t", "T", text, sections=[Section(0, 21, ""), Section(31, len(text), "Next")])
    parts = split(src)
    assert [p.text for p in parts] == ["Intro one. Intro two.", "Body one. Body two."]
    assert parts[1].section == "Next"


def test_headings_are_not_passages():
    src = read_document(CORPUS / "essays" / "customers-dont-care-about-us.md")
    assert not any(p.text.startswith("#") for p in split(src))


def test_sentence_ends_inside_quotes_are_respected():
    text = "He said “stop.” Then he left. Prices rose 3.5% in May."
    spans = sentences(text, 0, len(text))
    assert [text[a:b] for a, b in spans] == ["He said “stop.”", "Then he left.", "Prices rose 3.5% in May."]
