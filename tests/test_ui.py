"""The Streamlit app, page by page, through streamlit.testing (AppTest): no browser, the real model.

One CLAIMCHECK_HOME for the module, so the app's cached Assistant (one per
settings) loads the model and the essays once; tests that change data use
workspaces of their own.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assistant.answering.catalogue import load_catalogue
from assistant.knowledge.ingest import bundled_titles
from assistant.onboarding.brief import brief
from assistant.onboarding.journey import load_journey
from assistant.onboarding.quiz import make_quiz

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "ui" / "app.py")
SAMPLES = ROOT / "corpus" / "samples"
QUESTION = "Should we invest in brand conversation here?"
PAYLOADS = ("<img src=x onerror=alert(1)>", "![x](http://example.com/a.png)", "[click](javascript:alert(1))")
INJECTION = " ".join(PAYLOADS)

# Markdown that would render as HTML, a link or an image, unless a backslash escapes it.
UNSAFE = [
    re.compile(r"(?<!\\)<\s*[a-zA-Z!/]"),  # raw HTML
    re.compile(r"(?<!\\)\]\s*\("),  # [text](target) or ![alt](src)
    re.compile(r"(?<!\\)javascript:", re.I),
]
# GitHub-flavoured autolink literals are found in the text after escapes are resolved: check the shown text.
AUTOLINK = re.compile(r"https?://|(?<![\w])www\.|[-.\w+]@[-\w]+\.", re.I)
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


def unescape(markdown: str) -> str:
    """What a backslash-escaped Markdown string shows (enough for comparing quotes)."""
    return " ".join(_ESCAPE.sub(r"\1", markdown).split())


def squash(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    path = tmp_path_factory.mktemp("ui-home")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CLAIMCHECK_HOME", str(path))
        mp.delenv("CLAIMCHECK_CHROMA_URL", raising=False)
        mp.delenv("CLAIMCHECK_WORKSPACE", raising=False)
        mp.setenv("CLAIMCHECK_CORPUS", str(ROOT / "corpus"))
        yield path


def run(target) -> AppTest:
    """Run the app (an AppTest, or a widget after set_value/click) and fail on any exception shown."""
    at = target.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.fixture
def app(home):
    return run(AppTest.from_file(APP, default_timeout=120))


def use_workspace(at: AppTest, name: str) -> AppTest:
    at.text_input(key="new_workspace_name").set_value(name)
    return run(at.button[[b.label for b in at.button].index("Use this workspace")].click())


def texts(node) -> list[str]:
    """Every string the page renders as Markdown: bodies, labels, options (not st.text/st.code/dataframes)."""
    out: list[str] = []
    kind = getattr(node, "type", "")
    if kind in ("markdown", "caption", "title", "header", "subheader", "error", "warning", "info", "success",
                "toast"):
        out.append(str(node.value))
    label = getattr(node, "label", None)
    if isinstance(label, str):
        out.append(label)
    if kind in ("radio", "button_group") or type(node).__name__ in ("Radio", "ButtonGroup"):
        out += [str(o) for o in getattr(node, "options", [])]
    for child in getattr(node, "children", {}).values():
        out += texts(child)
    return out


def all_texts(at: AppTest) -> list[str]:
    return texts(at.main) + texts(at.sidebar)


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


# --- Chat ------------------------------------------------------------------------------

def test_chat_verdict_badge_citations_and_follow_up(app):
    at = run(app.chat_input[0].set_value(QUESTION))
    badges = [m.value for m in at.markdown if "-badge[" in m.value]
    assert badges and re.search(r"(Supported|Leans|Contested|Holds only in part|Unsupported|Not enough).* · balance [−+]\d\.\d\d · "
                                r"confidence \d\.\d\d", badges[0]), badges
    answer = at.session_state["chats"]["default"]["messages"][-1]["answer"]
    assert answer.evidence and answer.claim_id == "brand-conversation-drives-sales"
    cards = [x for x in at.expander if x.label.startswith("\\[E")]
    assert len(cards) == len(answer.evidence)
    first = answer.evidence[0]
    assert unescape(cards[0].label).startswith(f"[{first.id}] ")
    body = " ".join(m.value for m in cards[0].markdown)
    assert squash(first.quote) in unescape(body), "the card shows the verbatim quote"
    assert ":orange-background[**" in body, "the quote is highlighted inside its passage"
    assert any("Why this weight" in c.value for c in cards[0].caption)
    assert [s.label for s in at.status][-1].startswith("Checked in")
    assert at.get("download_button") and at.get("vega_lite_chart")

    at = run(at.chat_input[0].set_value("And what if we did it more often?"))
    messages = at.session_state["chats"]["default"]["messages"]
    assert len(messages) == 4
    follow = messages[-1]["answer"]
    assert follow.claim_id == answer.claim_id, "the follow-up keeps the earlier claim"
    assert any("carried over from your earlier question" in m.value for m in at.markdown)

    at = run(button(at, "Clear conversation").click())
    assert at.session_state["chats"]["default"]["messages"] == []


# --- Your data -------------------------------------------------------------------------

def test_data_upload_mapping_findings_and_remove(app):
    at = use_workspace(app, "ui-data")
    at = run(at.switch_page("views/data.py"))
    sample = SAMPLES / "lagged_effect_weekly.csv"
    at = run(at.file_uploader[0].set_value((sample.name, sample.read_bytes(), "text/csv")))
    roles = {unescape(s.label): s.value for s in at.selectbox if s.key and s.key.startswith("role-")}
    assert roles["Week starting"] == "date" and roles["Engagements"] == "engagements" and roles["Orders"] == "orders"
    assert any("No problems found" in c.value for c in at.caption)

    revenue = next(s for s in at.selectbox if s.key and s.key.startswith("role-") and unescape(s.label) == "Revenue")
    at = run(revenue.set_value("ignore"))  # correct a role: leave revenue out
    at = run(button(at, "Add to workspace").click())
    assert not at.error and at.success
    sentences = [m.value for m in at.markdown if "In your data" in m.value]
    assert any("more orders, 2 weeks later" in unescape(s) for s in sentences), sentences
    assert not any("revenue" in unescape(s) and "Spearman" in unescape(s) for s in sentences), "revenue was ignored"
    assert any(c.value.startswith("n = ") for c in at.caption) and any("Caveat" in c.value for c in at.caption)
    assert len(at.get("vega_lite_chart")) >= 2, "scatter and cost-per-order charts"

    at = run(at.file_uploader[0].set_value(("notes.csv", b"colour,shape\nred,round\n", "text/csv")))
    assert at.error and "could not be read" in at.error[0].value
    assert "claimcheck-upload" not in at.error[0].value, "no temporary paths in messages"
    files = [m for m in at.markdown if m.value.startswith("#### ")]
    assert [unescape(m.value) for m in files] == ["#### lagged_effect_weekly.csv"]

    at = run(button(at, "Remove").click())
    assert any("No data yet" in i.value for i in at.info)


# --- Library ---------------------------------------------------------------------------

def test_library_lists_essays_adds_and_removes_team_documents(app):
    at = use_workspace(app, "ui-library")
    at = run(at.switch_page("views/library.py"))
    table = at.dataframe[0].value
    shared = table[table["Scope"] == "shared"]
    assert len(shared) == 6
    assert {"Customers Don’t Care About Us", "The Social Customer’s Journey", "There Is NO Social Customer",
            "Comment on “There Is NO Social Customer”", "Marketing Is Not All About Conversations",
            "Are Customer Relationships Really Built Through Conversation?"} == set(shared["Title"])
    assert not [b for b in at.button if b.label == "Remove"], "the essays cannot be removed"

    doc = b"# Loyalty memo\n\nOur loyalty members buy twice as often as other customers.\n"
    at = run(at.file_uploader[0].set_value([("loyalty-memo.md", doc, "text/markdown"),
                                            ("broken.pdf", b"not a pdf", "application/pdf")]))
    at = run(button(at, "Add to library").click())
    assert any("loyalty-memo.md" in unescape(s.value) and "added" in s.value for s in at.success)
    assert any("broken.pdf" in unescape(e.value) for e in at.error), "a failing file is reported on its own"
    table = at.dataframe[0].value
    assert list(table[table["Scope"] == "team"]["Title"]) == ["Loyalty memo"]

    at = run(button(at, "Remove").click())
    table = at.dataframe[0].value
    assert len(table) == 6 and set(table["Scope"]) == {"shared"}


# --- Claim map -------------------------------------------------------------------------

def test_claim_map_matrix_and_quotes(app):
    at = run(app.switch_page("views/claim_map.py"))
    matrix = at.dataframe[0].value
    assistant_titles = {"Customers Don’t Care About Us", "There Is NO Social Customer"}
    assert len(matrix) == 27 and assistant_titles <= set(matrix.columns)
    row = matrix[matrix["Claim"] == "Customers want personal relationships with the brands they buy from"].iloc[0]
    assert row["Customers Don’t Care About Us"] == "✘ ~" and row["There Is NO Social Customer"] == "✘"

    at = run(at.selectbox(key="claim-map-claim").set_value("trust-comes-from-peers"))
    shown = unescape(" ".join(m.value for m in at.markdown))
    assert "Trust comes from peers, not brand owned conversations." in shown


# --- Training --------------------------------------------------------------------------

def test_training_quiz_feedback_score_and_tour(app):
    at = run(app.switch_page("views/training.py"))
    quiz = at.session_state["quiz"]
    titles = bundled_titles(ROOT / "corpus")
    question = make_quiz(load_catalogue(ROOT / "corpus"), load_journey(ROOT / "corpus"), n=8, seed=quiz["seed"],
                         titles=titles)[0]
    radio = at.radio[0]
    assert [unescape(o) for o in radio.options] == list(question.options)
    at = run(radio.set_value(question.answer))
    at = run(button(at, "Check answer").click())
    assert any(s.value.startswith("Correct") for s in at.success)
    assert any(unescape(m.value).startswith(f"> “{squash(question.quote)}”") for m in at.markdown), "the citation"
    assert at.metric[0].value == "1 / 1" and len(at.session_state["quiz"]["answers"]) == 1
    assert [d for d in at.get("download_button") if "CSV" in d.proto.label], "the answers can be downloaded"
    at = run(button(at, "Next question").click())
    assert at.session_state["quiz"]["current"] == 2

    stages = at.button_group
    assert stages, "the journey tour's stage picker"
    at = run(stages[0].set_value("Refer"))
    assert any(unescape(m.value).startswith("#### 6. Refer") for m in at.markdown)


# --- Workspaces ------------------------------------------------------------------------

def test_workspace_names_are_validated_by_the_package(app):
    at = use_workspace(app, "no spaces allowed!")
    assert at.sidebar.error and "is not allowed" in unescape(at.sidebar.error[0].value)
    at = use_workspace(at, "team-b")
    assert at.selectbox(key="workspace").value == "team-b" and not at.sidebar.error


# --- Untrusted text --------------------------------------------------------------------

def assert_inert(at: AppTest, where: str) -> list[str]:
    shown = all_texts(at)
    for text in shown:
        check_inert(text, where)
    return shown


def check_inert(text: str, where: str) -> None:
    for pattern in UNSAFE:
        assert not pattern.search(text), f"{where}: unescaped markup {pattern.pattern!r} in {text!r}"
    assert not AUTOLINK.search(unescape(text)), f"{where}: an autolink in {text!r}"


def test_injection_is_shown_as_text_on_every_page(app):
    at = use_workspace(app, "ui-inject")
    doc = (f"---\ntitle: \"Memo {INJECTION}\"\nauthor: {PAYLOADS[2]}\nkind: document\n---\n\n"
           f"# Zorblax review\n\nBrand conversations on Zorblax never raised our sales. {INJECTION} "
           f"See www.example.com or http://example.com/x.\n").encode()
    at = run(at.switch_page("views/library.py"))
    at = run(at.file_uploader[0].set_value([("memo.md", doc, "text/markdown")]))
    at = run(button(at, "Add to library").click())
    assert any("memo" in s.value for s in at.success)
    assert_inert(at, "library")

    at = run(at.switch_page("views/data.py"))
    rows = "\n".join(f"2024-01-{d:02d},{1000 + 37 * d % 200},{50 + d % 7},{d}" for d in range(1, 29))
    csv = f"date,engagements,orders,{PAYLOADS[2]}\n{rows}\n".encode()
    at = run(at.file_uploader[0].set_value((f"{PAYLOADS[1]} {PAYLOADS[0]}.csv", csv, "text/csv")))
    assert any(unescape(s.label) == PAYLOADS[2] for s in at.selectbox), "the odd header is a column to map"
    at = run(button(at, "Add to workspace").click())
    assert at.success, [e.value for e in at.error]
    shown = unescape(" ".join(assert_inert(at, "data")))
    assert PAYLOADS[0] in shown and PAYLOADS[1].replace("://", ":\u2060//") in shown, "the file name, as text"

    at = run(at.switch_page("views/chat.py"))
    at = run(at.chat_input[0].set_value(f"Do brand conversations on Zorblax raise our sales? {INJECTION}"))
    shown = unescape(" ".join(assert_inert(at, "chat")))
    assert INJECTION.replace("://", ":\u2060//") in shown, "the question is echoed as text"
    answer = at.session_state["chats"]["ui-inject"]["messages"][-1]["answer"]
    assert any(e.source_id == "memo" for e in answer.evidence), "the document's passage is cited"
    assert f"Memo {INJECTION}".replace("://", ":\u2060//") in shown, "its title is shown as text"
    assert [d for d in at.get("download_button") if d.proto.label == "Download brief"], "the brief is offered"
    text = unescape(brief(answer))
    assert INJECTION.replace("://", ":\u2060//") in text and "memo" in text.lower(), "the brief: question and memo"

    for page in ("views/library.py", "views/claim_map.py", "views/training.py"):
        at = run(at.switch_page(page))
        assert_inert(at, page)


def test_brief_markdown_is_inert(home):
    from assistant.schema import Answer, Evidence, defang, literal

    e = Evidence(id="E1", kind="document", source=INJECTION, source_id="memo", author=PAYLOADS[2],
                 quote=f"see {INJECTION} and www.example.com", stance="contradicts", weight=0.5, start=0, end=10)
    answer = Answer(question=INJECTION, claim=None, verdict="contested", balance=0.0, confidence=0.5,
                    answer=f"- “{literal(e.quote)}” http://example.com/b mail me@example.com", evidence=[e],
                    timings_ms={})
    text = brief(answer)
    check_inert(text, "brief")
    assert INJECTION.replace("://", ":\u2060//") in unescape(text), "shown as written (with an invisible joiner)"
    for bare in ("me@example.com", "www.example.com", "see http://example.com/x", "HTTPS://x.org"):
        check_inert(defang(bare), "defang")
        check_inert(literal(bare), "literal")
        assert unescape(literal(bare)).replace("\u2060", "") == bare
