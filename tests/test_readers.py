"""Reading documents: every format yields one exact text with sections."""
from __future__ import annotations

import pytest

from assistant.errors import UnreadableDocument, UnsupportedFormat
from assistant.knowledge.reading import read_document

from .conftest import CORPUS


def test_markdown_front_matter_gives_title_author_and_kind():
    src = read_document(CORPUS / "essays" / "there-is-no-social-customer.md")
    assert src.title == "There Is NO Social Customer"
    assert src.author == "Thierry de Baillon"
    assert src.kind == "essay"
    assert "---" not in src.text[:5], "front matter is not part of the text"


def test_markdown_headings_become_sections():
    src = read_document(CORPUS / "essays" / "customers-dont-care-about-us.md")
    headings = [s.heading for s in src.sections]
    assert "Social and Sales Relevancy" in headings and "After the Sale" in headings


def test_plain_text_in_windows_1252_is_read(tmp_path):
    p = tmp_path / "notes.txt"
    p.write_bytes("Café owners trust peers. They don’t trust ads.".encode("cp1252"))
    src = read_document(p)
    assert src.text.startswith("Café owners trust peers.")


def test_pdf_text_is_extracted_per_page(tmp_path):
    from reportlab.pdfgen import canvas

    p = tmp_path / "report.pdf"
    c = canvas.Canvas(str(p))
    c.drawString(72, 720, "Referral programs doubled our repeat orders.")
    c.showPage()
    c.drawString(72, 720, "Paid social brought few new leads.")
    c.save()
    src = read_document(p)
    assert "Referral programs doubled our repeat orders." in src.text
    assert [s.heading for s in src.sections] == ["page 1", "page 2"]


def test_docx_headings_split_sections(tmp_path):
    import docx

    d = docx.Document()
    d.add_heading("Findings", level=1)
    d.add_paragraph("Our community forum cut support costs.")
    d.add_heading("Next steps", level=1)
    d.add_paragraph("Run a holdout test on paid social.")
    p = tmp_path / "memo.docx"
    d.save(str(p))
    src = read_document(p)
    assert [s.heading for s in src.sections] == ["Findings", "Next steps"]
    assert "Run a holdout test on paid social." in src.text


def test_html_keeps_prose_and_drops_scripts_and_navigation(tmp_path):
    p = tmp_path / "page.html"
    p.write_text("<html><head><title>Blog</title><script>alert('x')</script></head><body>"
                 "<nav>Home | About</nav><h1>Peers</h1><p>Buyers ask friends first.</p>"
                 "<footer>© 2020</footer></body></html>", encoding="utf-8")
    src = read_document(p)
    assert "Buyers ask friends first." in src.text
    assert "alert" not in src.text and "Home | About" not in src.text and "©" not in src.text
    assert src.title == "Blog"


def test_a_damaged_pdf_names_the_file_and_the_problem(tmp_path):
    p = tmp_path / "broken.pdf"
    p.write_bytes(b"%PDF-1.4 this is not really a pdf")
    with pytest.raises(UnreadableDocument) as err:
        read_document(p)
    assert "broken.pdf" in str(err.value) and "PDF" in str(err.value)


def test_an_unsupported_format_lists_the_supported_ones(tmp_path):
    p = tmp_path / "deck.pptx"
    p.write_bytes(b"x")
    with pytest.raises(UnsupportedFormat, match=r"deck\.pptx.*\.docx"):
        read_document(p)


def test_an_empty_document_is_refused(tmp_path):
    p = tmp_path / "empty.md"
    p.write_text("   \n", encoding="utf-8")
    with pytest.raises(UnreadableDocument, match="no text"):
        read_document(p)
