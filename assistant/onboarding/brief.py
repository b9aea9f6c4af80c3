"""A downloadable Markdown brief of one answer, and the small wordings the app shares with it.

Every piece of untrusted text (the question, quotes, source titles, authors,
file names) goes through ``literal`` (``md_escape`` plus the remaining ASCII
punctuation), so the brief can be opened in any Markdown viewer without a
quote turning into a link, an autolink, an image or HTML. The app renders
untrusted text with the same two functions.
"""
from __future__ import annotations

import re

from ..answering.compose import STANCE_WORDS, VERDICT_WORDS, md_escape
from ..schema import Answer, Evidence

# Any ASCII punctuation may be backslash-escaped in CommonMark; an escape pair is kept as it is.
_PUNCT = re.compile(r"\\[!-/:-@\[-`{-~]|([!-/:-@\[-`{-~])")
# GitHub-flavoured Markdown turns bare "http://…", "www.…" and e-mail addresses into links *after* parsing,
# on the text with escapes already resolved, so a backslash cannot stop it: a WORD JOINER (U+2060, invisible)
# inside the pattern does. Matches escaped or plain text.
JOINER = "\u2060"
_AUTOLINK = re.compile(r"(?i)(https?\\?:)(?=\\?/\\?/)|(?<![\w\\])(www)(?=\\?\.)|(?<=[-.\w+])(\\?@)")
# Unescaped ":" (Streamlit directives such as :red[...]) in Markdown composed elsewhere.
_COLON = re.compile(r"(?<!\\):")


def _unlink(markdown: str) -> str:
    return _AUTOLINK.sub(lambda m: (m.group(1) or m.group(2)) + JOINER if m.group(3) is None
                         else JOINER + m.group(3), markdown)


KIND_WORDS = {"argument": "argument", "statistic": "statistic", "comment": "comment", "document": "document",
              "company_data": "your data"}


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


def signed(x: float) -> str:
    """+0.52 / −0.52 with a real minus sign."""
    return f"{x:+.2f}".replace("-", "−")


def headline(answer: Answer) -> str:
    """'Leans unsupported · balance −0.52 · confidence 0.61' (or the information-question wording)."""
    if answer.verdict is None:
        return f"Information · {len(answer.evidence)} passages · relevance {answer.confidence:.2f}"
    parts = [VERDICT_WORDS.get(answer.verdict, answer.verdict)]
    if answer.balance is not None:
        parts.append(f"balance {signed(answer.balance)}")
    parts.append(f"confidence {answer.confidence:.2f}")
    return " · ".join(parts)


def totals(answer: Answer) -> dict[str, float]:
    """Weight for, against and qualifying, summed from the cited evidence."""
    out = {"supports": 0.0, "contradicts": 0.0, "qualifies": 0.0, "neutral": 0.0}
    for e in answer.evidence:
        out[e.stance] = out.get(e.stance, 0.0) + e.weight
    return {k: round(v, 4) for k, v in out.items()}


def passage_parts(e: Evidence) -> tuple[str, str, str]:
    """The evidence's passage split into (before, quote, after), for highlighting the quote in place.

    Uses the offsets (``start - passage_start``); falls back to finding the quote, then to the quote alone.
    """
    passage = e.passage or ""
    if passage and e.start is not None and e.passage_start is not None:
        at = e.start - e.passage_start
        if 0 <= at and passage[at:at + len(e.quote)] == e.quote:
            return passage[:at], e.quote, passage[at + len(e.quote):]
    at = passage.find(e.quote) if passage and e.quote else -1
    if at >= 0:
        return passage[:at], e.quote, passage[at + len(e.quote):]
    return "", e.quote, ""


def card_title(e: Evidence) -> str:
    """'[E1] For · argument · Customers Don’t Care About Us' (plain text, not escaped)."""
    return f"[{e.id}] {STANCE_WORDS.get(e.stance, e.stance)} · {KIND_WORDS.get(e.kind, e.kind)} · {e.source}"


def _cell(text: object) -> str:
    return literal(text) if text not in (None, "") else "—"


def brief(answer: Answer) -> str:
    """Question, verdict, the answer, an evidence table with the quotes, and the sources."""
    lines = ["# Claimcheck brief", "", f"**Question:** {literal(answer.question)}", ""]
    if answer.claim:
        lines += [f"**Claim tested:** {literal(answer.claim)}", ""]
    lines += [f"**Verdict:** {literal(headline(answer))}", ""]
    t = totals(answer)
    if answer.verdict is not None:
        lines += [f"Weight for {t['supports']:.2f}, against {t['contradicts']:.2f}, "
                  f"qualifying {t['qualifies']:.2f}.", ""]
    lines += ["## Answer", "", defang(answer.answer.strip()), ""]
    if answer.evidence:
        lines += ["## Evidence", "", "| | Stance | Kind | Weight | Source | Quote |", "|---|---|---|---:|---|---|"]
        for e in answer.evidence:
            lines.append(f"| {_cell(e.id)} | {_cell(STANCE_WORDS.get(e.stance, e.stance))} | "
                         f"{_cell(KIND_WORDS.get(e.kind, e.kind))} | {e.weight:.2f} | {_cell(e.source)} | "
                         f"“{literal(e.quote)}” |")
        lines.append("")
        lines += ["## Sources", ""]
        seen: dict[str, list[Evidence]] = {}
        for e in answer.evidence:
            seen.setdefault(e.source_id, []).append(e)
        for items in seen.values():
            e = items[0]
            who = f", {literal(e.author)}" if e.author else ""
            cited = ", ".join(literal(i.id) for i in items)
            where = "; ".join(f"characters {i.start}–{i.end}" for i in items
                              if i.start is not None and i.end is not None and i.kind != "company_data")
            lines.append(f"- *{literal(e.source)}*{who} ({_cell(KIND_WORDS.get(e.kind, e.kind))}): "
                         f"cited as {cited}" + (f"; {where}" if where else ""))
        lines.append("")
    if answer.findings:
        lines += ["## Your data", ""]
        for f in answer.findings:
            lines.append(f"- {literal(f.sentence)} (n = {f.n}; method: {literal(f.method)}; "
                         f"file {literal(f.file)}, rows {literal(f.rows)}). *Caveat:* {literal(f.caveat)}")
        lines.append("")
    lines.append("*Quotes are verbatim from the sources; weights and the verdict follow the rules listed under "
                 "“How this was weighed”.*")
    return "\n".join(lines) + "\n"
