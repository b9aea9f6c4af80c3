"""Split a source text into passages of one to three sentences.

Passages never cross a section or a paragraph, and each keeps its exact
character offsets so a quote can be highlighted in place.
"""
from __future__ import annotations

import hashlib
import re

from ..schema import Passage, Section, SourceText
from .rules import MAX_CHARS, MAX_SENTENCES

SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)\]]*(?=\s+[\"“‘(\[]?[A-Z0-9])")
PARAGRAPH = re.compile(r"\n\s*\n|\n(?=\s*(?:[-*•]|\d+[.)])\s)")
HEADING_LINE = re.compile(r"^\s*#{1,6}\s")


def sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of each sentence in text[start:end], whitespace trimmed."""
    spans: list[tuple[int, int]] = []
    for para_start, para_end in _paragraphs(text, start, end):
        cut = para_start
        for m in SENTENCE_END.finditer(text, para_start, para_end):
            spans.append((cut, m.end()))
            cut = m.end()
        spans.append((cut, para_end))
    return [s for s in (_trim(text, a, b) for a, b in spans) if s[1] > s[0]]


def _paragraphs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out, cut = [], start
    for m in PARAGRAPH.finditer(text, start, end):
        out.append((cut, m.start()))
        cut = m.end()
    out.append((cut, end))
    return [(a, b) for a, b in out if text[a:b].strip() and not HEADING_LINE.match(text[a:b])]


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def passage_id(source_id: str, text: str, start: int) -> str:
    return hashlib.sha1(f"{source_id}\x00{start}\x00{text}".encode()).hexdigest()[:20]


def split(source: SourceText) -> list[Passage]:
    sections = source.sections or [Section(0, len(source.text))]
    out: list[Passage] = []
    for section in sections:
        group: list[tuple[int, int]] = []
        for sent in sentences(source.text, section.start, section.end):
            if group and (
                len(group) >= MAX_SENTENCES
                or sent[1] - group[0][0] > MAX_CHARS
                or "\n" in source.text[group[-1][1]:sent[0]]
            ):
                out.append(_make(source, group, section.heading))
                group = []
            group.append(sent)
        if group:
            out.append(_make(source, group, section.heading))
    return out


def _make(source: SourceText, group: list[tuple[int, int]], heading: str) -> Passage:
    start, end = group[0][0], group[-1][1]
    text = source.text[start:end]
    return Passage(
        id=passage_id(source.source_id, text, start), source_id=source.source_id, text=text,
        start=start, end=end, source=source.title, author=source.author, kind=source.kind, section=heading,
    )
