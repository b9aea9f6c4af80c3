"""A downloadable Markdown brief of one answer.

Every piece of untrusted text (the question, quotes, source titles, authors,
file names) goes through ``literal``, so the brief can be opened in any
Markdown viewer without a quote turning into a link, an autolink, an image
or HTML; table cells pasted into a spreadsheet never run as formulas.
"""
from __future__ import annotations

from ..schema import (
    KIND_WORDS,
    STANCE_WORDS,
    Answer,
    Evidence,
    defang,
    headline,
    literal,
    safe_cell,
    totals,
)


def _cell(text: object) -> str:
    """A table cell shown as written; people paste these tables into spreadsheets, so it never runs as a formula."""
    return literal(safe_cell(" ".join(str(text).split()))) if text not in (None, "") else "—"


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
