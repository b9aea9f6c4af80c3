"""Untrusted text made inert for Markdown: no link, image, HTML or directive survives.

Quotes, titles, authors, file names and questions come from outside, so
``compose``, the brief and the app all render them through these functions.
"""
from __future__ import annotations

import re

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#!|~$])")
# Any ASCII punctuation may be backslash-escaped in CommonMark; an escape pair is kept as it is.
_PUNCT = re.compile(r"\\[!-/:-@\[-`{-~]|([!-/:-@\[-`{-~])")
# GitHub-flavoured Markdown turns bare "http://…", "www.…" and e-mail addresses into links *after* parsing,
# on the text with escapes already resolved, so a backslash cannot stop it: a WORD JOINER (U+2060, invisible)
# inside the pattern does. Matches escaped or plain text.
JOINER = "\u2060"
_AUTOLINK = re.compile(r"(?i)(https?\\?:)(?=\\?/\\?/)|(?<![\w\\])(www)(?=\\?\.)|(?<=[-.\w+])(\\?@)")
# Unescaped ":" (Streamlit directives such as :red[...]) in Markdown composed elsewhere.
_COLON = re.compile(r"(?<!\\):")


def md_escape(text: str) -> str:
    """Make untrusted text literal in Markdown (no links, images, HTML or maths)."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _unlink(markdown: str) -> str:
    return _AUTOLINK.sub(lambda m: (m.group(1) or m.group(2)) + JOINER if m.group(3) is None
                         else JOINER + m.group(3), markdown)


def literal(text: object) -> str:
    """Untrusted text as Markdown that renders as written: ``md_escape``, then every other ASCII punctuation
    mark escaped too, and autolink patterns (http://, www., e-mail) broken by an invisible word joiner, so no
    link, image, HTML or directive survives.
    """
    escaped = _PUNCT.sub(lambda m: m.group(0) if m.group(1) is None else "\\" + m.group(1), md_escape(str(text)))
    return _unlink(escaped)


def defang(markdown: str) -> str:
    """Markdown composed by the package, with autolink literals and directives made inert.

    ``compose`` escapes quotes against links, images and HTML; GitHub-flavoured Markdown still turns a bare
    ``http://…``, ``www.…`` or e-mail address in a quote into a link, so those are broken with an invisible
    word joiner, and unescaped colons are escaped (no directives). Safe for Markdown without code spans
    (compose writes none; quotes have their backticks escaped).
    """
    return _unlink(_COLON.sub(r"\\:", markdown))
