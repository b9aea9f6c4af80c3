"""Composing: untrusted text stays literal in the Markdown answer."""
from __future__ import annotations

import re

from assistant.schema import md_escape


def test_links_images_and_html_become_literal_text():
    text = "See ![x](http://example.com/a.png) and [click](javascript:alert(1)) <img src=x onerror=alert(1)>"
    escaped = md_escape(text)
    assert not re.search(r"(?<!\\)!\[", escaped)
    assert not re.search(r"(?<!\\)\]\(", escaped)
    assert not re.search(r"(?<!\\)<img", escaped)


def test_streamlit_directives_and_maths_are_neutralised():
    escaped = md_escape(":red[alarm] costs $5 and $6")
    assert "\\[" in escaped and "\\$5" in escaped


def test_ordinary_prose_reads_the_same():
    assert md_escape("Trust comes from peers, not brand owned conversations.") == \
        "Trust comes from peers, not brand owned conversations."
