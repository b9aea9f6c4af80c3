"""Library: every document answers draw on (the shared essays and this workspace's own), add and remove."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from assistant.errors import ClaimcheckError
from ui.views._common import VIEWER_NOTE, can_edit, caller, esc, get_assistant, remove_button, short, workspace

TYPES = ["md", "txt", "pdf", "docx", "html"]

assistant = get_assistant()
ws = workspace()


def add_documents() -> None:
    st.subheader("Add documents")
    limit = min(st.get_option("server.maxUploadSize"), assistant.settings.max_upload_mb)  # the lower one holds
    files = st.file_uploader("Research, briefs or articles your team trusts", type=TYPES,
                             accept_multiple_files=True, key="library_upload", max_upload_size=limit,
                             help="Markdown, text, PDF, Word or HTML. They are split into passages, embedded and "
                                  "searched beside the essays, in this workspace only.")
    st.caption(f"Files up to {limit} MB each. A larger file is marked in red and not uploaded (point at it to see "
               "why): split it, or ask whoever runs Claimcheck to raise `CLAIMCHECK_MAX_UPLOAD_MB`.")
    for ok, message in st.session_state.pop("library_results", []):
        (st.success if ok else st.error)(message)
    if not files or not st.button("Add to library", type="primary", icon=":material/upload:", key="add-docs"):
        return
    bar = st.progress(0.0, text="Reading the files…")

    def progress(done: int, total: int, what: str) -> None:
        bar.progress(min(1.0, done / total) if total else 1.0,
                     text=f"{esc(what.capitalize())}: {done} of {total} passages")

    try:
        report = assistant.add_documents([(f.name, f.getvalue()) for f in files], ws, progress=progress,
                                          caller=caller())
    except ClaimcheckError as exc:
        bar.empty()
        st.error(f"Nothing was added: {esc(exc)}")
        return
    bar.progress(1.0, text=f"Done in {report.seconds:.1f} s")
    results = []
    for r in report.files:
        if r.status == "failed":
            results.append((False, f"{esc(r.path)}: {esc(r.error or 'failed')}"))
        else:
            results.append((True, f"{esc(r.path)}: {esc(r.status)} ({r.passages} passages, "
                                  f"{r.embedded} newly embedded)"))
    st.session_state["library_results"] = results
    st.rerun()  # list the new documents above, then show these results


def list_documents() -> None:
    docs = assistant.documents(ws, caller=caller())
    shared = [d for d in docs if d.shared]
    team = [d for d in docs if not d.shared]
    st.subheader(f"Documents ({len(docs)})")
    st.caption(f"{len(shared)} shared essays, read only · {len(team)} in workspace **{esc(ws)}**")
    table = pd.DataFrame([{"Title": d.title, "Author": d.author or "", "Kind": d.kind,
                           "Scope": "shared" if d.shared else "team", "Passages": d.passages,
                           "Size (characters)": d.chars, "Id": d.source_id} for d in docs])
    st.dataframe(table, hide_index=True, width="stretch")
    if team and editor:
        st.markdown("**Team documents**")
        for d in team:
            name, button = st.columns([6, 1], vertical_alignment="center")
            name.markdown(f"{esc(d.title)}  \n:small[{esc(d.kind)} · {d.passages} passages · {d.chars:,} characters]")
            remove_button(button, f"remove-doc-{d.source_id}",
                          lambda sid=d.source_id: assistant.remove_document(sid, ws, caller=caller()))
    if docs:
        with st.expander("Read a document"):
            labels = {d.source_id: short(d.title) for d in docs}
            chosen = st.selectbox("Document", list(labels), format_func=labels.get, key="read-doc")
            source = assistant.source_text(chosen, ws, caller=caller())
            if source is not None:
                st.text(source.text)


st.title("Library")
st.caption("The essays every answer cites, plus the documents your team adds to this workspace.")
editor = can_edit()
list_documents()
st.divider()
if editor:
    add_documents()
else:
    st.caption(VIEWER_NOTE)
