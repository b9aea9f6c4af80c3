"""The owner's panel in the sidebar: who may open this workspace, and with which role."""
from __future__ import annotations

import streamlit as st

from assistant.facade import Assistant
from assistant.schema import Caller
from ui.views._common import change_and_rerun, esc


def members_panel(assistant: Assistant, workspace: str, user: Caller) -> None:
    with st.expander("Members", icon=":material/group:"):
        for m in assistant.members(workspace, caller=user):
            left, right = st.columns([4, 1], vertical_alignment="center")
            left.markdown(f"{esc(m.member)} · {m.role}")
            if right.button("", key=f"revoke-{m.member}", icon=":material/person_remove:", help="Remove"):
                change_and_rerun(lambda member=m.member: assistant.revoke(workspace, member, caller=user))
        with st.form("grant", clear_on_submit=True, border=False):
            member = st.text_input("E-mail or group:NAME", placeholder="alice@example.com")
            role = st.selectbox("Role", ["viewer", "editor", "owner"])
            if st.form_submit_button("Add or change"):
                change_and_rerun(lambda: assistant.grant(workspace, member, role, caller=user))
