"""Claim map: which essay supports, contradicts or qualifies which claim, and the quotes behind each mark."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from assistant.schema import STANCE_MARKS, STANCE_WORDS
from ui.views._common import esc, get_assistant

assistant = get_assistant()
claim_map = assistant.claim_map()

st.title("Claim map")
st.caption("Each row is a claim marketers make; each column an essay. "
           f"{STANCE_MARKS['supports']} supports · {STANCE_MARKS['contradicts']} contradicts · "
           f"{STANCE_MARKS['qualifies']} qualifies (true only partly or under some conditions) · blank: the essay "
           "does not address it. Click a row to read the quotes behind its marks.")

frame = pd.DataFrame(claim_map.rows).set_index("claim_id")
config = {"Claim": st.column_config.TextColumn("Claim", width="large", pinned=True)}
config.update({t: st.column_config.TextColumn(t, width="small", help=t) for t in claim_map.titles.values()})
config.update({k: st.column_config.NumberColumn(k, width="small") for k in ("For", "Against", "Qualifying")})
table = st.dataframe(frame, hide_index=True, width="stretch", column_config=config,
                     height=36 * (len(frame) + 1) + 3, on_select="rerun", selection_mode="single-row",
                     key="claim-map-table")
picked = table.selection.rows
if picked and st.session_state.get("claim-map-picked") != picked[0]:  # a click on a row picks its claim
    st.session_state["claim-map-picked"] = picked[0]
    st.session_state["claim-map-claim"] = frame.index[picked[0]]

st.subheader("The quotes behind a claim")
statements = {c.id: c.statement for c in claim_map.claims}
claim = claim_map.claim(st.selectbox("Claim", list(statements), format_func=statements.get, key="claim-map-claim"))
st.markdown(f"**{esc(claim.statement)}** — {esc(claim.lean)}: {esc(claim.balance)}.")
for stance, mark in STANCE_MARKS.items():
    quotes = [q for q in claim.quotes if q.stance == stance]
    if not quotes:
        continue
    st.markdown(f"##### {mark} {STANCE_WORDS[stance]} ({len(quotes)})")
    for q in quotes:
        stat = " · names research" if q.statistic else ""
        st.markdown(f"> “{esc(q.quote)}”  \n> — *{esc(q.source)}*{stat}")
        if q.note:
            st.caption(esc(q.note))
context = [q for q in claim.quotes if q.stance == "neutral"]
if context:
    with st.expander(f"Context: passages about this claim that take no side ({len(context)}), shown, not counted"):
        for q in context:
            st.markdown(f"> “{esc(q.quote)}”  \n> — *{esc(q.source)}*")
if st.button("Ask about this claim in Chat", icon=":material/chat:", key="claim-map-ask"):
    st.session_state["pending_question"] = claim.question
    st.switch_page("views/chat.py")
