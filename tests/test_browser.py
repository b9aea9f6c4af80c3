"""The app in a real browser: `streamlit run ui/app.py` driven by headless Chromium through Playwright.

Ask in the chat and open a citation; upload a metrics export under Your data;
ask about our own numbers and see the finding cited; untrusted text stays text.
Screenshots are kept in test-artifacts/ (and the page's last state on failure).
The time to the first answer is measured by bench/bench_first_answer.py, not here.
"""
from __future__ import annotations

import re
import shutil

import pytest
from playwright.sync_api import expect

from tests.appdriver import (
    CHAT_INPUT,
    CHROMIUM,
    MESSAGES,
    ROOT,
    TIMEOUT_MS,
    answer_badge,
    ask,
    chromium,
    settle,
    streamlit_app,
    wait_idle,
)

ARTIFACTS = ROOT / "test-artifacts"
SAMPLE = ROOT / "corpus" / "samples" / "lagged_effect_weekly.csv"
MEDIA_SAMPLE = ROOT / "corpus" / "samples" / "geo_media_weekly.csv"
FIRST_QUESTION = "Should we invest in brand conversation here?"
DATA_QUESTION = "Looking at our own numbers, should we spend more on brand conversation on social media?"
INJECTION = "<img src=x onerror=alert(1)> ![x](http://example.com/a.png) [click](javascript:alert(1))"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"Chromium not found at {CHROMIUM}; install it with "
                                                     "`apt-get install chromium` (or `make browser`)"),
]


def squash(text: str) -> str:
    return " ".join(text.split())


def essays() -> str:
    return squash(" ".join(p.read_text(encoding="utf-8") for p in (ROOT / "corpus" / "essays").glob("*.md")))


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app on a free loopback port with a fresh CLAIMCHECK_HOME."""
    home = tmp_path_factory.mktemp("browser-home")
    with streamlit_app(ROOT / "ui" / "app.py", home, home / "streamlit.log") as url:
        yield {"url": url, "log": home / "streamlit.log"}


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


def citation(page, scope, text: str):
    """The first citation card in ``scope`` whose title contains ``text`` (st.status boxes are expanders too)."""
    return scope.locator('[data-testid="stExpander"]').filter(has=page.locator("summary", has_text=text)).first


def shoot(page, name: str, top=None, height: int = 1000) -> None:
    """Screenshot at 1440 x ``height`` into test-artifacts/, with ``top`` (a locator) scrolled to the top."""
    ARTIFACTS.mkdir(exist_ok=True)
    size = page.viewport_size
    page.set_viewport_size({"width": 1440, "height": height})
    settle(page)  # charts re-lay themselves out; the chat may scroll itself to the bottom
    if top is not None:
        top.evaluate("e => e.scrollIntoView({block: 'start'})")
        settle(page)
    page.screenshot(path=str(ARTIFACTS / name))
    page.set_viewport_size(size)


def add_export(page, path) -> None:
    """On Your data: upload ``path`` and press "Add to workspace" once the page is idle."""
    page.locator('[data-testid="stSidebarNavLink"]').filter(has_text="Your data").click()
    page.get_by_role("heading", name="Your data", exact=True).wait_for()  # not the previous page's uploader
    (page.locator('[data-testid="stFileUploader"]').filter(has_text="A metrics export")
     .locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path)))
    add = page.get_by_role("button", name="Add to workspace")
    add.wait_for(state="visible")
    wait_idle(page)
    add.click()


@pytest.fixture
def page(browser, server):
    """A fresh page; on failure its last state is saved as test-artifacts/failure.png (and the server log)."""
    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    yield page
    if not page.is_closed():
        try:
            shoot(page, "failure.png")
            shutil.copyfile(server["log"], ARTIFACTS / "streamlit.log")
        finally:
            page.close()


def test_chat_data_and_cited_finding_in_a_browser(server, page):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.set_default_timeout(TIMEOUT_MS)
    messages = page.locator(MESSAGES)

    # Chat: a cited answer; its first citation opened shows the quote highlighted in its passage
    page.goto(server["url"])
    page.locator(CHAT_INPUT).wait_for(state="visible")
    ask(page, FIRST_QUESTION)
    badge = answer_badge(page, 1)
    badge.wait_for(state="visible")
    assert re.search(r"balance [−+]\d\.\d\d · confidence \d\.\d\d", badge.inner_text())
    wait_idle(page)
    card = citation(page, messages.nth(1), "[E1] ")
    card.locator("summary").click()
    quote = card.locator(".stMarkdownColoredBackground").first
    quote.wait_for(state="visible")
    assert len(squash(quote.inner_text())) > 20
    assert squash(quote.inner_text()) in essays(), "the highlighted quote is verbatim from an essay"
    assert "Weight:" in card.inner_text() and "Source:" in card.inner_text()
    assert messages.nth(1).locator('[data-testid="stVegaLiteChart"]').count() == 1, "the evidence balance chart"
    shoot(page, "chat.png", top=messages.nth(0), height=1250)

    # Your data: upload the lagged sample, add it, see its finding and a chart
    add_export(page, SAMPLE)
    page.get_by_text("In your data, weeks with more social engagement did go with more orders").first \
        .wait_for(state="visible")
    wait_idle(page)
    page.locator('[data-testid="stVegaLiteChart"]').first.wait_for(state="visible")
    shoot(page, "data.png", top=page.get_by_text("Files in this workspace"), height=1250)

    # Chat again: the answer cites our own numbers
    page.locator('[data-testid="stSidebarNavLink"]').filter(has_text="Chat").click()
    page.locator(CHAT_INPUT).wait_for(state="visible")
    ask(page, DATA_QUESTION)
    answer_badge(page, 3).wait_for(state="visible")
    wait_idle(page)
    answer = messages.nth(3)
    assert "What your data says" in answer.inner_text()
    answer.get_by_text("In your data", exact=False).first.wait_for(state="visible")
    data_card = citation(page, answer, " · your data · ")
    data_card.locator("summary").click()
    data_card.get_by_text("In your data").first.wait_for(state="visible")
    shoot(page, "chat-own-data.png", top=answer_badge(page, 3), height=1250)

    # Untrusted text stays text in the browser
    ask(page, f"{FIRST_QUESTION} {INJECTION}")
    answer_badge(page, 5).wait_for(state="visible")
    wait_idle(page)
    shown = messages.nth(4).inner_text().replace("\u2060", "")  # an invisible joiner stops autolinks
    assert INJECTION in squash(shown), "the question is shown as typed"
    assert page.locator('img[src="x"], img[src*="example.com"]').count() == 0
    links = page.locator('a[href^="javascript"], a[href*="example.com"]')
    assert links.count() == 0, [links.nth(i).evaluate("e => e.parentElement.outerHTML.slice(0, 600)")
                                for i in range(links.count())]
    assert not dialogs, dialogs
    page.close()


def test_an_upload_never_waits_for_the_media_model(server, page, browser):
    """The file is added at once; a progress indicator shows while its media model fits, and the model's
    findings appear without a reload. Someone who leaves for Chat while it fits stays in Chat when it ends."""
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(server["url"])
    add_export(page, MEDIA_SAMPLE)
    page.get_by_text(f"Added {MEDIA_SAMPLE.name}").first.wait_for(state="visible")
    page.get_by_text(f"Fitting the media model for {MEDIA_SAMPLE.name}").first.wait_for(state="visible")
    page.locator('[data-testid="stSidebarNavLink"]').filter(has_text="Chat").click()
    page.locator(CHAT_INPUT).wait_for(state="visible")

    watcher = browser.new_page(viewport={"width": 1440, "height": 1000})  # a colleague on the same workspace
    watcher.set_default_timeout(TIMEOUT_MS)
    try:
        watcher.goto(server["url"])
        watcher.locator('[data-testid="stSidebarNavLink"]').filter(has_text="Your data").click()
        watcher.get_by_text("channel0").filter(has_text="In your data").first.wait_for(state="visible")
        expect(watcher.get_by_text("Fitting the media model")).to_have_count(0, timeout=TIMEOUT_MS)
        shoot(watcher, "data-media-effect.png", top=watcher.get_by_text("Files in this workspace"), height=1250)
    finally:
        watcher.close()
    wait_idle(page)
    expect(page.locator(CHAT_INPUT)).to_be_visible()
    expect(page.get_by_role("heading", name="Your data", exact=True)).to_have_count(0)
    page.close()


def test_claim_map_click_shows_the_quotes(server, page, catalogue):
    """A click on a claim's row in the matrix shows the quotes behind its marks."""
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(server["url"])
    page.locator('[data-testid="stSidebarNavLink"]').filter(has_text="Claim map").click()
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.wait_for(state="visible")
    wait_idle(page)
    row = 2  # the third claim; rows are 35 px under a 35 px header, the row selector is the first column
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 15, box["y"] + 35 * (row + 1) + 17)
    claim = catalogue.claims[row]
    page.get_by_text(f"{claim.claim} — ").first.wait_for(state="visible")
    wait_idle(page)
    # the rest of the rerun may still be arriving after the heading: a retrying assertion waits for it
    expect(page.locator('[data-testid="stMain"]')).to_contain_text(squash(claim.evidence[0].quote),
                                                                   timeout=TIMEOUT_MS)
    shoot(page, "claim-map.png")
    page.close()


def test_one_users_chat_never_shows_in_anothers(server, browser):
    """Two people on the same server: what one asks is not in the other's chat."""
    alice, bob = browser.new_context(), browser.new_context()
    try:
        a, b = alice.new_page(), bob.new_page()
        for p in (a, b):
            p.set_default_timeout(TIMEOUT_MS)
            p.goto(server["url"])
            p.locator(CHAT_INPUT).wait_for(state="visible")
        ask(a, "Is word of mouth worth more than our own posts?")
        answer_badge(a, 1).wait_for(state="visible")
        wait_idle(a)
        b.reload()
        b.locator(CHAT_INPUT).wait_for(state="visible")
        wait_idle(b)
        assert b.locator(MESSAGES).count() == 0
        assert "word of mouth worth" not in b.locator("body").inner_text()
        assert a.locator(MESSAGES).count() == 2, "the asker still sees the question and its answer"
    finally:
        alice.close()
        bob.close()
