"""Claim map: which essay supports, contradicts or qualifies which claim, and the quotes behind each mark."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from assistant.answering.compose import STANCE_WORDS
from assistant.onboarding.claim_map import LEANS, MARKS, claim_balance, claim_matrix, claim_quotes
from ui.views._common import esc, get_assistant

assistant = get_assistant()
catalogue = assistant.knowledge.catalogue
titles = {sid: s.title for sid, s in sorted(assistant.knowledge.sources.items(), key=lambda t: t[1].title)}

st.title("Claim map")
st.caption("Each row is a claim marketers make; each column an essay. "
           f"{MARKS['supports']} supports · {MARKS['contradicts']} contradicts · {MARKS['qualifies']} qualifies "
           "(true only partly or under some conditions) · blank: the essay does not address it. "
           "Click a row to read the quotes behind its marks.")

rows = claim_matrix(catalogue, titles)
frame = pd.DataFrame(rows).set_index("claim_id")
config = {"Claim": st.column_config.TextColumn("Claim", width="large", pinned=True)}
config.update({t: st.column_config.TextColumn(t, width="small", help=t) for t in titles.values()})
config.update({k: st.column_config.NumberColumn(k, width="small") for k in ("For", "Against", "Qualifying")})
table = st.dataframe(frame, hide_index=True, width="stretch", column_config=config,
                     height=36 * (len(frame) + 1) + 3, on_select="rerun", selection_mode="single-row",
                     key="claim-map-table")
picked = table.selection.rows
if picked and st.session_state.get("claim-map-picked") != picked[0]:  # a click on a row picks its claim
    st.session_state["claim-map-picked"] = picked[0]
    st.session_state["claim-map-claim"] = frame.index[picked[0]]

st.subheader("The quotes behind a claim")
ids = [c.id for c in catalogue.claims]
claim_id = st.selectbox("Claim", ids, format_func=lambda i: catalogue.claim(i).claim, key="claim-map-claim")
claim = catalogue.claim(claim_id)
b = claim_balance(claim)
st.markdown(f"**{esc(claim.claim)}** — {esc(LEANS[b.lean])}: {esc(b.describe())}.")
for stance in MARKS:
    quotes = [q for q in claim_quotes(catalogue, claim_id, titles) if q.stance == stance]
    if not quotes:
        continue
    st.markdown(f"##### {MARKS[stance]} {STANCE_WORDS[stance]} ({len(quotes)})")
    for q in quotes:
        stat = " · names research" if q.statistic else ""
        st.markdown(f"> “{esc(q.quote)}”  \n> — *{esc(q.source)}*{stat}")
        if q.note:
            st.caption(esc(q.note))
if st.button("Ask about this claim in Chat", icon=":material/chat:", key="claim-map-ask"):
    st.session_state["pending_question"] = f"Is it true that {claim.claim[0].lower()}{claim.claim[1:]}?"
    st.switch_page("views/chat.py")
