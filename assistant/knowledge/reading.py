"""Read a document of any supported format into one exact text plus sections.

All offsets (passages, quotes, highlights) index the text returned here, so
the reader decides once what "the source text" is and never changes it.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Callable, Iterable

from ..errors import UnreadableDocument, UnsupportedFormat
from ..schema import Section, SourceText

FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n\n?", re.S)
MD_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*#*[ \t]*$", re.M)


def slug(name: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return s[:80] or "document"


def _parse_front_matter(block: str) -> dict[str, str | None]:
    meta: dict[str, str | None] = {}
    for line in block.splitlines():
        if ":" not in line:
            continue
        key, value = line.split(":", 1)
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1].replace('\\"', '"')
        meta[key.strip()] = None if value in ("null", "~", "") else value
    return meta


def heading_sections(text: str, pattern: re.Pattern[str] = MD_HEADING) -> list[Section]:
    """Split at headings: each section runs from after its heading to the next."""
    sections: list[Section] = []
    start, heading = 0, ""
    for m in pattern.finditer(text):
        if m.start() > start:
            sections.append(Section(start, m.start(), heading))
        start, heading = m.end(), m.group(m.lastindex or 0).strip()
    if start < len(text):
        sections.append(Section(start, len(text), heading))
    return sections


def read_markdown(path: Path) -> SourceText:
    raw = path.read_text(encoding="utf-8")
    meta: dict[str, str | None] = {}
    m = FRONT_MATTER.match(raw)
    if m:
        meta = _parse_front_matter(m.group(1))
        raw = raw[m.end():]
    title = meta.get("title") or next((h.group(2) for h in MD_HEADING.finditer(raw)), None) or path.stem
    return SourceText(
        source_id=slug(path.stem), title=title, text=raw, path=str(path), author=meta.get("author"),
        kind=meta.get("kind") or "document", sections=heading_sections(raw),
        meta={k: v for k, v in meta.items() if v is not None},
    )


def read_plain(path: Path) -> SourceText:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "utf-16") if data[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes nearly anything
        raise UnreadableDocument(str(path), "the text is not UTF-8 or Windows-1252")
    text = text.replace("\r\n", "\n")
    return SourceText(source_id=slug(path.stem), title=path.stem, text=text, path=str(path),
                      sections=[Section(0, len(text))])


def read_pdf(path: Path) -> SourceText:
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    if reader.is_encrypted:
        raise UnreadableDocument(str(path), "the PDF is encrypted; save an unprotected copy and add that")
    parts, sections, pos = [], [], 0
    for number, page in enumerate(reader.pages, 1):
        page_text = (page.extract_text() or "").strip()
        if not page_text:
            continue
        if parts:
            parts.append("\n\n")
            pos += 2
        parts.append(page_text)
        sections.append(Section(pos, pos + len(page_text), f"page {number}"))
        pos += len(page_text)
    title = (reader.metadata.title if reader.metadata and reader.metadata.title else None) or path.stem
    return SourceText(source_id=slug(path.stem), title=str(title), text="".join(parts), path=str(path),
                      sections=sections)


def join_blocks(blocks: Iterable[tuple[str, bool]]) -> tuple[str, list[Section]]:
    """Text blocks (text, is_heading) joined by blank lines; a heading starts a section."""
    parts, sections, pos, start, heading = [], [], 0, 0, ""
    for text, is_heading in blocks:
        if not text:
            continue
        if is_heading and pos > start:
            sections.append(Section(start, pos, heading))
        parts.append(text + "\n\n")
        pos += len(text) + 2
        if is_heading:
            heading, start = text, pos
    if pos > start:
        sections.append(Section(start, pos, heading))
    return "".join(parts), sections


def read_docx(path: Path) -> SourceText:
    import docx

    document = docx.Document(str(path))
    text, sections = join_blocks(
        (p.text.strip(), p.style is not None and p.style.name.lower().startswith(("heading", "title")))
        for p in document.paragraphs
    )
    return SourceText(source_id=slug(path.stem), title=document.core_properties.title or path.stem, text=text,
                      path=str(path), author=document.core_properties.author or None, sections=sections)


BLOCK_TAGS = ["p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "td", "dd", "dt"]
DROP_TAGS = ["script", "style", "nav", "footer", "header", "form", "noscript", "aside", "iframe"]


def read_html(path: Path) -> SourceText:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(path.read_bytes(), "html.parser")
    for tag in soup(DROP_TAGS):
        tag.decompose()
    text, sections = join_blocks(
        (re.sub(r"\s+", " ", el.get_text(" ")).strip(), el.name[0] == "h" and el.name[1:].isdigit())
        for el in soup.find_all(BLOCK_TAGS)
        if not el.find(BLOCK_TAGS)  # the inner blocks carry the text
    )
    title = soup.title.get_text().strip() if soup.title and soup.title.get_text().strip() else path.stem
    return SourceText(source_id=slug(path.stem), title=title, text=text, path=str(path), sections=sections)


READERS: dict[str, Callable[[Path], SourceText]] = {
    ".md": read_markdown, ".markdown": read_markdown, ".txt": read_plain, ".text": read_plain,
    ".pdf": read_pdf, ".docx": read_docx, ".html": read_html, ".htm": read_html,
}


def read_document(path: str | Path) -> SourceText:
    """Read one file; every failure becomes an ``UnreadableDocument`` naming it."""
    p = Path(path)
    reader = READERS.get(p.suffix.lower())
    if reader is None:
        raise UnsupportedFormat(str(p), p.suffix.lower(), sorted(READERS))
    if not p.is_file():
        raise UnreadableDocument(str(p), "no such file")
    try:
        source = reader(p)
    except UnreadableDocument:
        raise
    except Exception as exc:  # parsers raise anything on a damaged file
        raise UnreadableDocument(str(p), f"could not be read as {p.suffix.lower()[1:].upper()} ({type(exc).__name__}: {exc})") from exc
    if not source.text.strip():
        raise UnreadableDocument(str(p), "holds no text (a scanned PDF needs OCR first)")
    return source
