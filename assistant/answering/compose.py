"""Compose the Markdown answer from a judgement; no language model involved.

Every sentence is either fixed wording, a number computed upstream, or a
quote copied from a source. Quotes are escaped so that untrusted text can
never become a link, an image or HTML when the Markdown is rendered.
"""
from __future__ import annotations

from dataclasses import replace

from ..schema import (
    STANCE_WORDS,
    VERDICT_WORDS,
    Evidence,
    Finding,
    Judgement,
    md_escape,
)
from . import rules
from .catalogue import Claim
from .data_questions import plain_answer
from .understanding import Understanding


def cite(e: Evidence) -> str:
    who = f", {md_escape(e.author)}" if e.author else ""
    return f"“{md_escape(e.quote)}” — *{md_escape(e.source)}*{who} [{e.id}]"


def compose(understood: Understanding, judgement: Judgement, claim: Claim | None,
            findings: list[Finding]) -> str:
    if judgement.verdict == "insufficient_evidence" and not judgement.evidence:
        return _insufficient()
    if understood.kind == "data":
        return _data(judgement, findings)
    if understood.kind == "info":
        return _info(judgement)
    return _claim(understood, judgement, claim, findings)


def _insufficient() -> str:
    return "\n".join([
        "**Not enough evidence.** The knowledge base does not address this question, so there is nothing "
        "to weigh and no advice to give from it.",
        "",
        "### What to do",
        "- Add documents or data that speak to it (Library or Your data), then ask again.",
        f"- Or ask about a claim the sources discuss, such as {rules.SUGGESTED_TOPICS}.",
    ])


def _info(judgement: Judgement) -> str:
    lines = ["**This question asks for information.** Here is what the sources say.", "", "### What the sources say"]
    lines += [f"- {cite(e)}" for e in judgement.evidence]
    return "\n".join(lines)


def _data(judgement: Judgement, findings: list[Finding]) -> str:
    """A question about the team's numbers: the answering finding in one sentence, then each finding quoted."""
    lines = [f"**From your own numbers:** {md_escape(plain_answer(findings[0]))} [{judgement.evidence[0].id}]", "",
             "### What your data says"]
    by_sentence = {f.sentence: f for f in findings}
    for e in judgement.evidence:
        f = by_sentence.get(e.quote)
        caveat = f" *{md_escape(f.caveat)}*" if f and f.caveat else ""
        lines.append(f"- {md_escape(e.quote)} [{e.id}] (n = {f.n if f else '?'}; {md_escape(f.method) if f else ''})"
                     f"{caveat}")
    lines += ["", "### What to do",
              "- These figures describe your own periods and channels; they show association, not cause. Before "
              "moving budget on them, settle it with a holdout or geo test."]
    return "\n".join(lines)


def _claim(understood: Understanding, judgement: Judgement, claim: Claim | None, findings: list[Finding]) -> str:
    verdict = VERDICT_WORDS[judgement.verdict or "insufficient_evidence"]
    stated = f"“{md_escape(understood.claim)}”" if understood.claim else "the claim behind the question"
    carried = " (carried over from your earlier question)" if understood.carried else ""
    if claim is None:
        carried += " as you put it (no curated claim is the same claim; the passages were read against yours)"
    if understood.negated and claim is not None:
        carried += (f", the opposite of the catalogue's claim “{md_escape(claim.claim)}”, so its evidence is read the "
                    f"other way round")
    balance = f"balance {judgement.balance:+.2f}, " if judgement.balance is not None else ""
    lines = [
        f"**Verdict: {verdict}** — on the claim {stated}{carried}.",
        f"Weight for {judgement.weight_for:.2f}, against {judgement.weight_against:.2f}, qualifying {judgement.weight_qualifies:.2f} "
        f"({balance}confidence {judgement.confidence:.2f}).",
        "",
    ]
    essays = [e for e in judgement.evidence if e.kind != "company_data"]
    data = [e for e in judgement.evidence if e.kind == "company_data"]
    sided = [e for e in essays if e.stance != "neutral"]
    context = [e for e in essays if e.stance == "neutral"]
    if sided:
        lines.append("### What the evidence says")
        for stance in ("supports", "contradicts", "qualifies"):
            lines += [f"- **{STANCE_WORDS[stance]}:** {cite(e)}" for e in sided if e.stance == stance]
        lines.append("")
    if context:
        lines.append("### Shown as context, not counted")
        lines.append("Relevant to the question, but whether they support or contradict the claim is unclear:")
        lines += [f"- {cite(e)}" for e in context]
        lines.append("")
    if data:
        lines.append("### What your data says")
        by_sentence = {f.sentence: f for f in findings}
        for e in data:
            f = by_sentence.get(e.quote)
            caveat = f" {md_escape(f.caveat)}" if f and f.caveat else ""
            lines.append(f"- **{STANCE_WORDS[e.stance]}:** {md_escape(e.quote)} [{e.id}]{caveat}")
        lines.append("")
    lines += ["### What to do", *_advice(judgement, claim, data, understood.negated), ""]
    lines += ["### What would change this advice", f"- {_change(claim)}", ""]
    lines += ["### How this was weighed", *[f"- {r}" for r in rules.describe()]]
    return "\n".join(lines)


def _advice(judgement: Judgement, claim: Claim | None, data: list[Evidence], negated: bool = False) -> list[str]:
    """What to do: the catalogue claim's advice for the way the verdict went (the other way for a negated claim)."""
    steps: list[str] = []
    if claim is not None:
        if_true, if_false = (claim.if_unsupported, claim.if_supported) if negated else (claim.if_supported,
                                                                                         claim.if_unsupported)
        claim = replace(claim, if_supported=if_true, if_unsupported=if_false)
        if judgement.verdict in ("supported", "leans_supported"):
            steps.append(f"- {claim.if_supported}")
        elif judgement.verdict in ("unsupported", "leans_unsupported"):
            steps.append(f"- {claim.if_unsupported}")
        elif judgement.verdict == "contested":
            steps.append(f"- The sources disagree, so treat it as a hypothesis to test. If it holds: "
                         f"{claim.if_supported} If not: {claim.if_unsupported}")
        elif judgement.verdict == "qualified":
            steps.append(f"- The sources say it holds only in part or under conditions (see the qualifying quotes), "
                         f"so test it where those conditions apply. If it holds: {claim.if_supported} If not: "
                         f"{claim.if_unsupported}")
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


def _change(claim: Claim | None) -> str:
    if claim is not None and claim.what_would_change:
        return claim.what_would_change
    return ("A controlled test in your own business (a holdout or geo test) whose result points the other way, "
            "or independent research that measures this claim directly.")
