"""Claimcheck's Streamlit entry point: page setup, the one Assistant, the workspace, navigation.

The app is thin: every page calls ``Assistant`` (assistant/facade.py) and lays
out what comes back; pages import only the facade, the schema, the errors and
the settings (tests/test_layers.py checks). Per-user state (workspace,
chats, quiz) lives in ``st.session_state`` only.
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `streamlit run ui/app.py` puts only ui/ on the path
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

st.set_page_config(page_title="Claimcheck", page_icon=":material/fact_check:", layout="wide")

from assistant.errors import ClaimcheckError  # noqa: E402
from assistant.settings import offline_environment  # noqa: E402

offline_environment()

from ui.views._common import esc, get_assistant  # noqa: E402

try:
    assistant = get_assistant()
except ClaimcheckError as exc:
    st.error(f"Claimcheck cannot start: {esc(exc)}")
    st.stop()


def _use_new_workspace() -> None:
    """Form callback: validate the typed name with the package, then switch to it."""
    name = (st.session_state.get("new_workspace_name") or "").strip()
    st.session_state.pop("workspace_error", None)
    try:
        assistant.check_workspace_name(name)
    except ClaimcheckError as exc:
        st.session_state["workspace_error"] = str(exc)
        return
    extra = st.session_state.setdefault("extra_workspaces", [])
    if name not in extra:
        extra.append(name)
    st.session_state["workspace"] = name
    st.session_state["new_workspace_name"] = ""


with st.sidebar:
    st.markdown("### :material/fact_check: Claimcheck")
    st.caption("Marketing claims, weighed against cited evidence.")
    default = assistant.settings.workspace
    current = st.session_state.get("workspace") or default
    names = sorted(set(assistant.workspaces()) | set(st.session_state.get("extra_workspaces", [])) | {current})
    st.session_state["workspace"] = current
    st.selectbox("Workspace", names, key="workspace",
                 help="Each team's documents, data files and findings live in a workspace of their own; "
                      "the bundled essays are shared by all.")
    with st.form("new_workspace", clear_on_submit=False, border=False):
        st.text_input("New workspace", key="new_workspace_name", placeholder="e.g. emea-social",
                      help="1-63 letters, digits, '-' or '_'.")
        st.form_submit_button("Use this workspace", on_click=_use_new_workspace)
    if st.session_state.get("workspace_error"):
        st.error(esc(st.session_state["workspace_error"]))

pages = [
    st.Page("views/chat.py", title="Chat", icon=":material/chat:", default=True),
    st.Page("views/data.py", title="Your data", icon=":material/monitoring:"),
    st.Page("views/library.py", title="Library", icon=":material/library_books:"),
    st.Page("views/claim_map.py", title="Claim map", icon=":material/grid_on:"),
    st.Page("views/training.py", title="Training", icon=":material/school:"),
]
st.navigation(pages, position="sidebar").run()
