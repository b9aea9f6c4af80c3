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

from assistant.errors import ClaimcheckError, StoreUnavailable  # noqa: E402
from assistant.settings import offline_environment  # noqa: E402

offline_environment()

from assistant.schema import Caller  # noqa: E402
from ui.views._common import caller, esc, get_assistant, sign_in_configured, store_down  # noqa: E402
from ui.views._members import members_panel  # noqa: E402

try:
    assistant = get_assistant()
    assistant.workspaces()  # the sidebar's first store call: a server that is down is one message, not a traceback
except StoreUnavailable as exc:  # nothing is cached on failure: "Try again" retries the whole start
    store_down(exc)
    st.stop()
except ClaimcheckError as exc:
    st.error(f"Claimcheck cannot start: {esc(exc)}")
    st.stop()

if sign_in_configured():
    if not st.user.is_logged_in:
        st.markdown("### :material/fact_check: Claimcheck")
        st.write("Sign in to open your team's workspaces.")
        st.button("Sign in", icon=":material/login:", on_click=st.login, type="primary")
        st.stop()
    if not st.user.get("email"):
        st.error("Your sign-in provider sent no e-mail address; ask the administrator to request the 'email' scope.")
        st.stop()
    claim = st.user.get(assistant.settings.groups_claim) or ()
    st.session_state["caller"] = Caller(str(st.user.get("email")),
                                        tuple(str(g) for g in ([claim] if isinstance(claim, str) else claim)))


def _use_new_workspace() -> None:
    """Form callback: validate the typed name with the package, then switch to it."""
    name = (st.session_state.get("new_workspace_name") or "").strip()
    st.session_state.pop("workspace_error", None)
    try:
        assistant.create_workspace(name, caller=caller())
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
    user = caller()
    if user is None:
        st.caption(":material/person: Sign-in is not configured: you are the one local user and see every "
                   "workspace (README, 'Sign-in and workspace members').")
        default = assistant.settings.workspace
        current = st.session_state.get("workspace") or default
        names = sorted(set(assistant.workspaces()) | set(st.session_state.get("extra_workspaces", [])) | {current})
    else:
        st.caption(f":material/person: {esc(user.email)}")
        st.button("Sign out", icon=":material/logout:", on_click=st.logout)
        names = assistant.workspaces(caller=user)
        current = st.session_state.get("workspace")
        current = current if current in names else (names[0] if names else None)
    st.session_state["workspace"] = current
    if names:
        st.selectbox("Workspace", names, key="workspace",
                     help="Each team's documents, data files and findings live in a workspace of their own; "
                          "the bundled essays are shared by all.")
    else:
        st.info("You are not a member of any workspace yet: create one below (you will own it), or ask an owner "
                "to add you.")
    with st.form("new_workspace", clear_on_submit=False, border=False):
        st.text_input("New workspace", key="new_workspace_name", placeholder="e.g. emea-social",
                      help="1-63 letters, digits, '-' or '_'.")
        st.form_submit_button("Use this workspace", on_click=_use_new_workspace)
    if st.session_state.get("workspace_error"):
        st.error(esc(st.session_state["workspace_error"]))
    if user is not None and current and assistant.role(current, caller=user) == "owner":
        members_panel(assistant, current, user)

in_workspace = st.session_state["workspace"] is not None  # a signed-in user in no workspace sees the shared pages
pages = [
    st.Page("views/chat.py", title="Chat", icon=":material/chat:", default=in_workspace),
    st.Page("views/data.py", title="Your data", icon=":material/monitoring:"),
    st.Page("views/library.py", title="Library", icon=":material/library_books:"),
    st.Page("views/claim_map.py", title="Claim map", icon=":material/grid_on:", default=not in_workspace),
    st.Page("views/training.py", title="Training", icon=":material/school:"),
][0 if in_workspace else 3:]
try:
    st.navigation(pages, position="sidebar").run()
except StoreUnavailable as exc:
    store_down(exc)
