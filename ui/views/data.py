"""Your data: upload a metrics export, check how it was read, add it; see its findings."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from assistant.errors import ClaimcheckError
from ui.views._common import VIEWER_NOTE, can_edit, caller, esc, finding_chart, get_assistant, remove_button, workspace

NOT_USED = "ignore"
ROLE_WORDS = {NOT_USED: "— not used —", "repeat_purchases": "repeat purchases", "nps": "NPS"}

assistant = get_assistant()
ws = workspace()


def role_word(role: str) -> str:
    return ROLE_WORDS.get(role, role)


def show_table(table) -> None:
    """What was understood: the summary, the problems by row, and the first tidy rows."""
    grain = f"one row per {table.period}" if table.dated else "no dates: rows compared by group"
    st.markdown(f"**{table.layout.capitalize()} layout, {grain}**, "
                f"{table.rows_used} of {table.rows_read} rows used.")
    if table.notes:
        st.caption("  \n".join(esc(note) for note in table.notes))
    if table.problems:
        st.markdown(f"**Problems found ({len(table.problems)})** — these rows are left out:")
        st.dataframe(pd.DataFrame([{"row": p.row, "column": p.column, "message": p.message}
                                   for p in table.problems]), hide_index=True, width="stretch")
    else:
        st.caption("No problems found: every row could be read.")
    with st.expander("Preview: the data as it will be analysed", expanded=False):
        st.dataframe(table.frame.head(50), hide_index=True, width="stretch")


def upload_section() -> None:
    st.subheader("Add a metrics export")
    limit = min(st.get_option("server.maxUploadSize"), assistant.settings.max_upload_mb)  # the lower one holds
    uploaded = st.file_uploader("A metrics export (CSV, TSV or Excel)", type=["csv", "tsv", "xlsx"],
                                key="data_upload", max_upload_size=limit,
                                help="A weekly or monthly export (one row per period, and channel or region), an "
                                     "ad-level or post-level export without dates, or your media-mix model's "
                                     "results (Robyn, Meridian, PyMC-Marketing). Nothing is stored until you add it.")
    st.caption(f"Files up to {limit} MB. A larger file is marked in red and not uploaded (point at it to see why): "
               "split it by period, or ask whoever runs Claimcheck to raise `CLAIMCHECK_MAX_UPLOAD_MB`.")
    if uploaded is None:
        return
    data = uploaded.getvalue()
    try:
        detected = assistant.preview_data(uploaded.name, data)
    except ClaimcheckError as exc:
        st.error(f"This file could not be read: {esc(exc)}")
        return
    st.markdown(f"**{esc(uploaded.name)}** — check which role each column plays and correct it if needed:")
    roles = assistant.column_roles
    mapping: dict[str, str] = {}
    cols = st.columns(3)
    for i, column in enumerate(detected.columns):
        role = column.role or NOT_USED
        with cols[i % 3]:
            pick, channel = st.columns([3, 2])
            choice = pick.selectbox(esc(column.name), roles, index=roles.index(role), format_func=role_word,
                                    key=f"role-{uploaded.file_id}-{i}")
            named = channel.text_input("Channel", value=column.channel or "", key=f"channel-{uploaded.file_id}-{i}",
                                       disabled=choice not in assistant.channel_roles,
                                       help="The channel this column measures (e.g. tv), when it measures one")
        named = named.strip() if choice in assistant.channel_roles else ""
        if choice != role or named != (column.channel or ""):
            mapping[column.name] = f"{choice}:{named}" if named else choice
    table = detected
    if mapping:
        try:
            table = assistant.preview_data(uploaded.name, data, mapping)
        except ClaimcheckError as exc:
            st.error(f"With these roles the file cannot be read: {esc(exc)}")
            return
    show_table(table)
    if st.button("Add to workspace", type="primary", icon=":material/add:", key="add-data"):
        try:
            with st.spinner("Analysing…"):
                report = assistant.add_data_upload(uploaded.name, data, ws, mapping or None, caller=caller())
        except ClaimcheckError as exc:
            st.error(f"Nothing was stored: {esc(exc)}")
        else:
            if report.file != uploaded.name:  # the same content was already here under another name
                st.info(esc(report.notes[0]))
                return
            later = " The media model is being fitted: its findings appear below when ready." if report.pending else ""
            st.success(f"Added **{esc(report.file)}** to workspace **{esc(ws)}**: "
                       f"{len(report.findings)} finding(s). Ask about it in Chat.{later}")


def render_files() -> None:
    """The workspace's files and findings. While a media model fits, only this part reruns, every two seconds,
    so its findings appear without a reload: a whole-page rerun from here could land after the user had left
    for another page and take them back."""
    if assistant.fitting(ws, caller=caller()):
        st.fragment(files_panel, run_every=2)()
    else:
        files_panel()


def files_panel() -> None:
    running = assistant.fitting(ws, caller=caller())  # read first: a fit that ends between the two reads is listed
    files = assistant.data_files(ws, caller=caller())
    if running:
        with st.status(f"Fitting the media model for {', '.join(esc(f) for f in running)}…", state="running"):
            st.caption("What each channel's spend did: carry-over and diminishing returns are being chosen by "
                       "out-of-sample fit. You can keep working; the findings appear here when ready.")
    st.subheader(f"Files in this workspace ({len(files)})")
    if not files:
        st.info("No data yet. Add an export above, or try one of the samples in corpus/samples/.")
        return
    for report in files:
        with st.container(border=True):
            title, remove = st.columns([6, 1], vertical_alignment="center")
            title.markdown(f"#### {esc(report.file)}")
            if editor:
                remove_button(remove, f"remove-data-{report.file}",
                              lambda f=report.file: assistant.remove_data(f, ws, caller=caller()))
            grain = f"per {report.period}" if report.period != "none" else "no dates: rows compared by group"
            st.caption(f"{report.layout} layout · {grain} · rows {report.rows_used} of "
                       f"{report.rows_read} used · {len(report.findings)} finding(s)")
            if report.pending and report.file not in running:
                st.warning("The media model for this file was not fitted (the server stopped while fitting): "
                           "add the file again to fit it.")
            with st.expander("How the file was read"):
                st.text(report.description)
            for f in report.findings:
                text, figure = st.columns([1, 1], gap="large")
                with text:
                    st.markdown(f"**{esc(f.sentence)}**")
                    st.caption(f"n = {f.n} · method: {esc(f.method)} · spreadsheet rows {esc(f.rows)}")
                    st.caption(f"Caveat: {esc(f.caveat)}")
                chart = finding_chart(f.chart)
                if chart is not None:
                    figure.altair_chart(chart, width="stretch")


st.title("Your data")
st.caption(f"Workspace **{esc(ws)}**. Findings from your own numbers carry the most weight in answers, "
           "with their sample size, method and caveat.")
editor = can_edit()
if editor:
    upload_section()
else:
    st.caption(VIEWER_NOTE)
st.divider()
render_files()
