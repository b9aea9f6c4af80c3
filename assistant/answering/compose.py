"""Compose the Markdown answer from a judgement; no language model involved.

Every sentence is either fixed wording, a number computed upstream, or a
quote copied from a source. Quotes are escaped so that untrusted text can
never become a link, an image or HTML when the Markdown is rendered.
"""
from __future__ import annotations

import re

from . import rules
from .catalogue import Claim, Understanding
from ..schema import Evidence, Finding, Judgement

VERDICT_WORDS = {
    "supported": "Supported",
    "leans_supported": "Leans supported",
    "contested": "Contested",
    "leans_unsupported": "Leans unsupported",
    "unsupported": "Unsupported",
    "insufficient_evidence": "Not enough evidence",
}
STANCE_WORDS = {"supports": "For", "contradicts": "Against", "qualifies": "Qualifies", "neutral": "Context"}
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#!|~$])")


def md_escape(text: str) -> str:
    """Make untrusted text literal in Markdown (no links, images, HTML or maths)."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def cite(e: Evidence) -> str:
    who = f", {md_escape(e.author)}" if e.author else ""
    return f"“{md_escape(e.quote)}” — *{md_escape(e.source)}*{who} [{e.id}]"


def compose(question: str, u: Understanding, j: Judgement, claim: Claim | None,
            findings: list[Finding]) -> str:
    if j.verdict == "insufficient_evidence" and not j.evidence:
        return _insufficient(question, u)
    if u.kind == "info":
        return _info(j)
    return _claim(u, j, claim, findings)


def _insufficient(question: str, u: Understanding) -> str:
    return "\n".join([
        "**Not enough evidence.** The knowledge base does not address this question, so there is nothing "
        "to weigh and no advice to give from it.",
        "",
        "### What to do",
        "- Add documents or data that speak to it (Library or Your data), then ask again.",
        "- Or ask about a claim the sources discuss, such as brand relationships, engagement and loyalty, "
        "peer trust, social media and sales, or the social customer journey.",
    ])


def _info(j: Judgement) -> str:
    lines = ["**This question asks for information.** Here is what the sources say.", "", "### What the sources say"]
    lines += [f"- {cite(e)}" for e in j.evidence]
    return "\n".join(lines)


def _claim(u: Understanding, j: Judgement, claim: Claim | None, findings: list[Finding]) -> str:
    verdict = VERDICT_WORDS[j.verdict or "insufficient_evidence"]
    stated = f"“{md_escape(u.claim)}”" if u.claim else "the claim behind the question"
    carried = " (carried over from your earlier question)" if u.carried else ""
    balance = f"balance {j.balance:+.2f}, " if j.balance is not None else ""
    lines = [
        f"**Verdict: {verdict}** — on the claim {stated}{carried}.",
        f"Weight for {j.weight_for:.2f}, against {j.weight_against:.2f}, qualifying {j.weight_qualifies:.2f} "
        f"({balance}confidence {j.confidence:.2f}).",
        "",
    ]
    essays = [e for e in j.evidence if e.kind != "company_data"]
    data = [e for e in j.evidence if e.kind == "company_data"]
    if essays:
        lines.append("### What the evidence says")
        for stance in ("supports", "contradicts", "qualifies", "neutral"):
            lines += [f"- **{STANCE_WORDS[stance]}:** {cite(e)}" for e in essays if e.stance == stance]
        lines.append("")
    if data:
        lines.append("### What your data says")
        by_sentence = {f.sentence: f for f in findings}
        for e in data:
            f = by_sentence.get(e.quote)
            caveat = f" {md_escape(f.caveat)}" if f and f.caveat else ""
            lines.append(f"- **{STANCE_WORDS[e.stance]}:** {md_escape(e.quote)} [{e.id}]{caveat}")
        lines.append("")
    lines += ["### What to do", *_advice(j, claim, data), ""]
    lines += ["### What would change this advice", f"- {_change(j, claim, data)}", ""]
    lines += ["### How this was weighed", *[f"- {r}" for r in rules.describe()]]
    return "\n".join(lines)


def _advice(j: Judgement, claim: Claim | None, data: list[Evidence]) -> list[str]:
    steps: list[str] = []
    if claim is not None:
        if j.verdict in ("supported", "leans_supported"):
            steps.append(f"- {claim.if_supported}")
        elif j.verdict in ("unsupported", "leans_unsupported"):
            steps.append(f"- {claim.if_unsupported}")
        elif j.verdict == "contested":
            steps.append(f"- The sources disagree, so treat it as a hypothesis to test. If it holds: "
                         f"{claim.if_supported} If not: {claim.if_unsupported}")
        else:
            steps.append("- The evidence is too thin to act on either way; gather more before investing.")
    else:
        steps.append("- Weigh the quotes above yourself: no catalogue claim matches this question exactly.")
    if data:
        ids = ", ".join(f"[{e.id}]" for e in data)
        steps.append(f"- Your own numbers {ids} describe your business, so they carry the most weight; but they show "
                     "association, not cause. Settle it with a holdout or geo test before moving budget.")
    else:
        steps.append("- Check it against your own numbers: upload a weekly or monthly export under Your data "
                     "and ask again.")
    return steps


def _change(j: Judgement, claim: Claim | None, data: list[Evidence]) -> str:
    if claim is not None and claim.what_would_change:
        return claim.what_would_change
    return ("A controlled test in your own business (a holdout or geo test) whose result points the other way, "
            "or independent research that measures this claim directly.")
