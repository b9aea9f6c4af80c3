"""What every page shares: the one Assistant, the chosen workspace, safe text and charts.

Not a page itself (``st.navigation`` lists the pages). Nothing per user is
kept here: the workspace, chats and quiz live in ``st.session_state``.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Callable

import streamlit as st

from assistant.errors import ClaimcheckError, StoreUnavailable
from assistant.facade import Assistant
from assistant.schema import Caller, literal
from assistant.settings import Settings

if TYPE_CHECKING:
    import altair as alt

STANCE_COLOURS = {"For": "#2e9e5b", "Against": "#d64545", "Qualifies": "#e69b2d", "Context": "#8c8c8c"}
VERDICT_COLOURS = {"supported": "green", "leans_supported": "green", "contested": "yellow", "qualified": "blue",
                   "leans_unsupported": "orange", "unsupported": "red", "insufficient_evidence": "gray"}
VERDICT_ICONS = {"supported": ":material/check_circle:", "leans_supported": ":material/check:",
                 "contested": ":material/balance:", "qualified": ":material/tune:", "leans_unsupported": ":material/close:",
                 "unsupported": ":material/cancel:", "insufficient_evidence": ":material/help:"}


@st.cache_resource(show_spinner="Loading the models and the bundled essays (first start only)…")
def _load(key: str, _settings: Settings) -> Assistant:
    """One Assistant per process and settings; ``key`` (the settings' repr) is the cache key."""
    assistant = Assistant(_settings)
    assistant.warm_up()
    return assistant


def get_assistant() -> Assistant:
    settings = Settings.from_env()
    return _load(repr(settings), settings)


def sign_in_configured() -> bool:
    """Sign-in is on when .streamlit/secrets.toml has an [auth] section (README, 'Sign-in and workspace members')."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all: one local user, as before sign-in existed
        return False


def caller() -> Caller | None:
    """The signed-in user, or None when sign-in is not configured (the one local user, who sees everything)."""
    return st.session_state.get("caller")


def can_edit() -> bool:
    """May this user add to and remove from the chosen workspace (editor or owner)?"""
    return get_assistant().role(workspace(), caller=caller()) in ("editor", "owner")


VIEWER_NOTE = "You are a viewer in this workspace: ask one of its owners for the editor role to add or remove."


def workspace() -> str:
    """The workspace this user chose in the sidebar (the configured default until then)."""
    return st.session_state.get("workspace") or get_assistant().settings.workspace


def esc(text: object) -> str:
    """Untrusted text made literal for Markdown (no links, autolinks, images, HTML or directives)."""
    return literal(text)


def store_down(exc: StoreUnavailable) -> None:
    """The one message shown instead of a page while the Chroma server is down, hung or failing; the
    Assistant stays cached, so "Try again" works as soon as the server is back."""
    st.error(esc(exc), icon=":material/cloud_off:")
    st.button("Try again", icon=":material/refresh:", key="store-down-retry")


def esc_edges(text: str) -> str:
    """Like ``esc`` but keeps one space where the text began or ended with whitespace (for joining parts)."""
    core = literal(text)
    if not core:
        return " " if text[:1].isspace() else ""
    return (" " if text[:1].isspace() else "") + core + (" " if text[-1:].isspace() else "")


def short(text: str, limit: int = 60) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --- charts (Altair; every label is data, drawn as SVG text, never HTML) -----------------

def evidence_chart(rows: list[dict]) -> alt.Chart:
    """One bar per cited piece of evidence: its weight, coloured by stance."""
    import altair as alt  # here, not at the top: a page with no chart (and the verdict above one) never waits for it
    import pandas as pd
    df = pd.DataFrame(rows)
    scale = alt.Scale(domain=list(STANCE_COLOURS), range=list(STANCE_COLOURS.values()))
    return (
        alt.Chart(df)
        .mark_bar(cornerRadiusEnd=3)
        .encode(
            x=alt.X("weight:Q", title="weight"),
            y=alt.Y("id:N", sort=list(df["id"]), title=None, axis=alt.Axis(labelOverlap=False)),
            color=alt.Color("stance:N", scale=scale, legend=alt.Legend(orient="bottom", title=None)),
            tooltip=[alt.Tooltip("id:N"), alt.Tooltip("stance:N"), alt.Tooltip("kind:N"),
                     alt.Tooltip("weight:Q", format=".2f")],
        )
        .properties(height=evidence_chart_height(len(df)))
    )


def evidence_chart_height(bars: int) -> int:
    """Pixels for ``bars`` readable bars plus the axis and legend."""
    return 90 + 30 * bars


def finding_chart(chart: dict | None) -> alt.Chart | None:
    """The chart a finding carries (scatter, line, bar, grouped bar, funnel) as an Altair chart."""
    if not chart:
        return None
    import altair as alt
    import pandas as pd

    kind = chart.get("type")
    if kind == "scatter":
        df = pd.DataFrame({"x": chart["x"], "y": chart["y"], "date": chart.get("dates") or [""] * len(chart["x"])})
        points = alt.Chart(df).mark_circle(size=60, opacity=0.7).encode(
            x=alt.X("x:Q", title=chart.get("x_label", ""), scale=alt.Scale(zero=False)),
            y=alt.Y("y:Q", title=chart.get("y_label", ""), scale=alt.Scale(zero=False)),
            tooltip=[alt.Tooltip("date:N"), alt.Tooltip("x:Q", format=",.0f"), alt.Tooltip("y:Q", format=",.0f")])
        return (points + points.transform_regression("x", "y").mark_line(color="#d64545")).properties(height=280)
    if kind == "line":
        x = chart["x"]
        df = pd.DataFrame([{"date": d, "series": name, "value": v}
                           for name, values in chart["series"].items() for d, v in zip(x, values)])
        return alt.Chart(df).mark_line(point=True).encode(
            x=alt.X("date:T", title=chart.get("x_label", "")),
            y=alt.Y("value:Q", title=None),
            color=alt.Color("series:N", legend=alt.Legend(orient="bottom", title=None)),
            tooltip=["date:T", "series:N", alt.Tooltip("value:Q", format=",.2f")]).properties(height=260)
    if kind == "bar":
        df = pd.DataFrame({"x": chart["x"], "y": chart["y"]})
        return alt.Chart(df).mark_bar().encode(
            x=alt.X("x:N", title=chart.get("x_label", ""), sort="y"),
            y=alt.Y("y:Q", title=chart.get("y_label", "")),
            tooltip=["x:N", alt.Tooltip("y:Q", format=",.2f")]).properties(height=260)
    if kind == "grouped_bar":
        df = pd.DataFrame([{"x": x, "series": name, "value": v}
                           for name, values in chart["series"].items() for x, v in zip(chart["x"], values)])
        return alt.Chart(df).mark_bar().encode(
            x=alt.X("x:N", title=chart.get("x_label", ""), sort=list(chart["x"])),
            xOffset="series:N",
            y=alt.Y("value:Q", title=chart.get("y_label", ""), axis=alt.Axis(format="%")),
            color=alt.Color("series:N", legend=alt.Legend(orient="bottom", title=None)),
            tooltip=["x:N", "series:N", alt.Tooltip("value:Q", format=".1%")]).properties(height=260)
    if kind == "funnel":
        rows = [{"stage": s, "value": v, "label": lab,
                 "conversion": "" if c is None else f"{c:.1%}"}
                for s, v, lab, c in zip(chart["stages"], chart["values"], chart["labels"],
                                        chart.get("conversion") or [None] * len(chart["stages"]))
                if lab != "NPS" and v and v > 0]
        df = pd.DataFrame(rows)
        if df.empty:
            return None
        base = alt.Chart(df).encode(
            y=alt.Y("stage:N", sort=list(df["stage"]), title=None),
            x=alt.X("value:Q", scale=alt.Scale(type="log"), title="count (log scale)"),
            tooltip=["stage:N", "label:N", alt.Tooltip("value:Q", format=",.0f"), "conversion:N"])
        return (base.mark_bar(color="#4c78a8") + base.mark_text(align="left", dx=4).encode(text="conversion:N")
                ).properties(height=max(120, 34 * len(df)))
    return None


def remove_button(where, key: str, remove: Callable[[], object]) -> None:
    """A Remove button in ``where``: runs ``remove`` and reruns the page, or shows the package's error."""
    if where.button("Remove", key=key, icon=":material/delete:"):
        change_and_rerun(remove)


def change_and_rerun(change: Callable[[], object]) -> None:
    """Run a change the user asked for, then rerun the page to show it; or show the package's error."""
    try:
        change()
    except ClaimcheckError as exc:
        st.error(esc(exc))
    else:
        st.rerun()
