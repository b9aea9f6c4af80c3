"""Chat: ask about a marketing claim; get a verdict, the weighed evidence and cited quotes."""
from __future__ import annotations

import streamlit as st

from assistant.errors import ClaimcheckError
from assistant.schema import (
    STANCE_WORDS,
    Answer,
    card_title,
    defang,
    headline,
    passage_parts,
    signed,
    totals,
)
from ui.views._common import (
    VERDICT_COLOURS,
    VERDICT_ICONS,
    caller,
    esc,
    esc_edges,
    evidence_chart,
    evidence_chart_height,
    get_assistant,
    workspace,
)

EXAMPLES = [
    "Should we invest in brand conversation here?",
    "Does engaging on social media build customer loyalty?",
    "Do customers trust their peers more than brands?",
    "What are the stages of the social customer journey?",
]

assistant = get_assistant()
ws = workspace()
chats = st.session_state.setdefault("chats", {})
chat = chats.setdefault(ws, {"messages": [], "conversation": assistant.new_conversation()})


def _clear() -> None:
    st.session_state["chats"][ws] = {"messages": [], "conversation": assistant.new_conversation()}


def _ask_example(question: str) -> None:
    st.session_state["pending_question"] = question


def render_steps(answer: Answer, status) -> None:
    """The pipeline steps with their timings, inside an ``st.status``."""
    claim = f"“{esc(answer.claim)}”" if answer.claim else None
    what = (f"Claim tested: {claim}" if claim and answer.verdict else
            "A question about your numbers: answered from your data's findings" if answer.kind == "data" else
            "An information question: the sources are quoted, not weighed" if answer.verdict is None else
            "Nothing in the workspace speaks to it")
    if claim and answer.verdict and not answer.claim_id:
        what = f"Your claim, as you put it: {claim} (no curated claim is the same claim)"
    status.markdown(f"1. **Understanding the claim** — {what}")
    status.markdown(f"2. **Retrieving** — essays, your documents and your data: "
                    f"{answer.timings_ms.get('retrieve', 0):,.0f} ms")
    status.markdown(f"3. **Weighing** — {len(answer.evidence)} pieces of evidence: "
                    f"{answer.timings_ms.get('weigh', 0):,.1f} ms")
    status.markdown(f"4. **Composing** — the answer with citations: {answer.timings_ms.get('compose', 0):,.1f} ms")
    extra = {k: v for k, v in answer.timings_ms.items() if k not in ("retrieve", "weigh", "compose", "total")}
    for k, v in extra.items():
        status.caption(f"{esc(k)}: {v:,.1f} ms")


def status_label(answer: Answer) -> str:
    return f"Checked in {answer.timings_ms.get('total', 0) / 1000:.2f} s"


def render_card(e) -> None:
    with st.expander(esc(card_title(e)), expanded=False):
        who = f" · **Author:** {esc(e.author)}" if e.author else ""
        st.markdown(f"**Source:** {esc(e.source)}{who}  \n"
                    f"**Kind:** {esc(e.kind.replace('_', ' '))} · **Stance:** {esc(STANCE_WORDS.get(e.stance, e.stance))}"
                    f" · **Weight:** {e.weight:.2f}")
        if e.why:
            st.caption(f"Why this weight: {esc(e.why)}")
        before, quote, after = passage_parts(e)
        st.markdown("> " + esc_edges(before) + f":orange-background[**{esc(quote)}**]" + esc_edges(after))
        if e.start is not None and e.end is not None and e.kind != "company_data":
            st.caption(f"Characters {e.start}–{e.end} of the source text.")


def render_answer(answer: Answer, n: int) -> None:
    """Verdict badge; the answer on the left; the evidence balance and one card per citation on the right."""
    colour = VERDICT_COLOURS.get(answer.verdict or "", "gray")
    icon = VERDICT_ICONS.get(answer.verdict or "", ":material/info:")
    st.badge(headline(answer), color=colour, icon=icon)
    left, right = st.columns([11, 9], gap="large")
    with left:
        # the composed answer's "###" sections, one size smaller inside a chat message
        st.markdown(defang(answer.answer).replace("\n### ", "\n#### "))
        st.download_button("Download brief", data=assistant.brief(answer), file_name="claimcheck-brief.md",
                           mime="text/markdown", key=f"brief-{ws}-{n}", icon=":material/download:",
                           on_click="ignore")
    with right:
        if not answer.evidence:
            return
        st.markdown("**Evidence balance**")
        if answer.verdict is not None:
            t = totals(answer)
            st.caption(f"Weight for {t['supports']:.2f} · against {t['contradicts']:.2f} · qualifying "
                       f"{t['qualifies']:.2f}" + (f" · balance {signed(answer.balance)}"
                                                  if answer.balance is not None else ""))
        rows = [{"id": e.id, "stance": STANCE_WORDS.get(e.stance, e.stance), "kind": e.kind.replace("_", " "),
                 "weight": e.weight} for e in answer.evidence]
        st.altair_chart(evidence_chart(rows), width="stretch", height=evidence_chart_height(len(rows)))
        counted = [e for e in answer.evidence if e.stance != "neutral" or answer.verdict is None]
        context = [e for e in answer.evidence if e.stance == "neutral" and answer.verdict is not None]
        st.markdown("**Citations**")
        for e in counted:
            render_card(e)
        if context:
            st.markdown("**Shown as context, not counted**")
            st.caption("Relevant to the question; whether they support or contradict the claim is unclear.")
            for e in context:
                render_card(e)


prompt = st.chat_input("Ask about a marketing claim, e.g. “Does engagement build loyalty?”",
                       max_chars=assistant.max_question_chars)
prompt = prompt or st.session_state.pop("pending_question", None)
head, tools = st.columns([5, 1], vertical_alignment="bottom")
head.title("Chat")
head.caption(f"Ask whether a marketing claim holds up. Workspace: **{esc(ws)}** — its documents and data "
             "are weighed beside the bundled essays.")
tools.button("Clear conversation", on_click=_clear, icon=":material/delete_sweep:",
             disabled=not (chat["messages"] or prompt), key="clear-conversation")

if not chat["messages"] and not prompt:
    st.markdown("**Try one of these:**")
    cols = st.columns(len(EXAMPLES))
    for col, q in zip(cols, EXAMPLES):
        col.button(q, on_click=_ask_example, args=(q,), width="stretch", key=f"example-{q}")

for n, message in enumerate(chat["messages"]):
    with st.chat_message(message["role"]):
        if message["role"] == "user":
            st.markdown(esc(message["content"]))
        elif message.get("error"):
            st.error(esc(message["error"]))
        else:
            answer = message["answer"]
            with st.status(status_label(answer), state="complete", expanded=False) as done:
                render_steps(answer, done)
            render_answer(answer, n)

if prompt:
    chat["messages"].append({"role": "user", "content": prompt})
    with st.chat_message("user"):
        st.markdown(esc(prompt))
    with st.chat_message("assistant"):
        with st.status("Understanding the claim, retrieving, weighing, composing…", expanded=True) as status:
            try:
                answer = assistant.ask(prompt, workspace=ws, conversation=chat["conversation"], caller=caller())
            except ClaimcheckError as exc:
                status.update(label="Could not answer", state="error", expanded=False)
                chat["messages"].append({"role": "assistant", "error": str(exc)})
                answer = None
            else:
                render_steps(answer, status)
                status.update(label=status_label(answer), state="complete", expanded=False)
        if answer is None:
            st.error(esc(chat["messages"][-1]["error"]))
        else:
            chat["messages"].append({"role": "assistant", "answer": answer})
            render_answer(answer, len(chat["messages"]) - 1)
