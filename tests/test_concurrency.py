"""Twenty people on one server at once, each in a browser session of their own (Playwright contexts).

Every session makes its own workspace, adds a document (or a metrics export) and asks a question
about it, all at the same time. Nobody sees another session's question or workspace, every upload is
stored exactly once, and the app raises no error. Answer latency under this load is written to
test-artifacts/concurrency.json (reported in README, never asserted).
"""
from __future__ import annotations

import asyncio
import json
import statistics
import time
from pathlib import Path

import pytest

from assistant.facade import Assistant
from assistant.settings import Settings
from tests.appdriver import (
    CHAT_INPUT,
    CHROMIUM,
    CHROMIUM_ARGS,
    MESSAGES,
    ROOT,
    TIMEOUT_MS,
    streamlit_app,
)

pytestmark = pytest.mark.browser

SESSIONS = 20
ARTIFACTS = ROOT / "test-artifacts"
SAMPLE = ROOT / "corpus" / "samples" / "no_effect_weekly.csv"
IDLE = ("() => !document.querySelector('[data-testid=\"stStatusWidgetRunningIcon\"],"
        "[data-testid=\"stStatusWidgetRunningManIcon\"]')")


def memo(n: int) -> str:
    return (f"# Team {n:02d} memo\n\nThe quokka{n:02d} programme raised repeat purchases: {20 + n}% of its members "
            f"bought again within ninety days, against 18% of other customers.\n")


async def open_page(page, title: str) -> None:
    """Go to a page and wait for its own title: the previous page's widgets linger while the new one loads,
    and a file given to the old page's uploader would be lost with it."""
    await page.locator('[data-testid="stSidebarNavLink"]').filter(has_text=title).click()
    await page.get_by_role("heading", name=title, exact=True).wait_for()
    await page.wait_for_function(IDLE, timeout=TIMEOUT_MS)


def uploader(page, label: str):
    """The file input of the uploader with this label (each page has its own)."""
    return (page.locator('[data-testid="stFileUploader"]').filter(has_text=label)
            .locator('[data-testid="stFileUploaderDropzoneInput"]'))


async def session(browser, url: str, n: int, folder: Path) -> dict:
    """One person: a workspace of their own, an upload, a question; returns what they saw."""
    context = await browser.new_context()
    page = await context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        await page.goto(url)
        await page.locator(CHAT_INPUT).wait_for(state="visible")
        await page.wait_for_function(IDLE, timeout=TIMEOUT_MS)
        workspace = f"team-{n:02d}"
        await page.get_by_placeholder("e.g. emea-social").fill(workspace)
        await page.get_by_role("button", name="Use this workspace").click()
        await page.get_by_text(f"Workspace: {workspace}").wait_for()

        if n % 2:
            await open_page(page, "Library")
            upload = folder / f"memo-{n:02d}.md"
            upload.write_text(memo(n))
            await uploader(page, "Research, briefs or articles").set_input_files(str(upload))
            await page.get_by_role("button", name="Add to library").wait_for()
            await page.wait_for_function(IDLE, timeout=TIMEOUT_MS)
            await page.get_by_role("button", name="Add to library").click()
            await page.get_by_text(f"memo-{n:02d}.md: added").wait_for()
        else:
            upload = folder / f"weekly-{n:02d}.csv"
            upload.write_bytes(SAMPLE.read_bytes())
            await open_page(page, "Your data")
            await uploader(page, "A metrics export").set_input_files(str(upload))
            await page.get_by_role("button", name="Add to workspace").wait_for()
            await page.wait_for_function(IDLE, timeout=TIMEOUT_MS)
            await page.get_by_role("button", name="Add to workspace").click()
            await page.get_by_text("Files in this workspace (1)").wait_for()
        await page.wait_for_function(IDLE, timeout=TIMEOUT_MS)

        await page.locator('[data-testid="stSidebarNavLink"]').filter(has_text="Chat").click()
        await page.locator(CHAT_INPUT).wait_for(state="visible")
        await page.wait_for_function(IDLE, timeout=TIMEOUT_MS)
        question = (f"Did the quokka{n:02d} programme raise repeat purchases?" if n % 2
                    else f"Which channel gives team {n:02d} the cheapest orders?")
        box = page.locator(CHAT_INPUT)
        await box.fill(question)
        started = time.perf_counter()
        await box.press("Enter")
        await page.locator(MESSAGES).nth(1).locator(".stMarkdownBadge, [data-testid='stAlert']").first.wait_for()
        await page.wait_for_function(IDLE, timeout=TIMEOUT_MS)
        seconds = time.perf_counter() - started
        body = (await page.locator("body").inner_text()).replace("\u2060", "")
        exceptions = await page.locator('[data-testid="stException"]').count()
        return {"n": n, "workspace": workspace, "question": question, "seconds": seconds, "body": body,
                "messages": await page.locator(MESSAGES).count(), "errors": errors, "exceptions": exceptions}
    finally:
        await context.close()


async def everyone(url: str, folder: Path) -> list[dict]:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            first = await browser.new_page()  # the model and the essays load once, before the crowd arrives
            await first.goto(url)
            await first.locator(CHAT_INPUT).wait_for(state="visible", timeout=2 * TIMEOUT_MS)
            await first.close()
            return await asyncio.gather(*(session(browser, url, n, folder) for n in range(SESSIONS)))
        finally:
            await browser.close()


def test_twenty_sessions_at_once_stay_apart_and_store_every_upload_once(tmp_path, embedder):
    home = tmp_path / "home"
    with streamlit_app(ROOT / "ui" / "app.py", home, tmp_path / "app.log") as url:
        seen = asyncio.run(everyone(url, tmp_path))
    log = (tmp_path / "app.log").read_text()

    for s in seen:
        assert s["errors"] == [] and s["exceptions"] == 0, (s["n"], s["errors"])
        assert s["messages"] == 2, f"session {s['n']}: its question and its answer, nothing else"
        assert "Sign-in is not configured" in s["body"], "without [auth] secrets: one local user, and it says so"
        others = [o for o in seen if o["n"] != s["n"]]
        assert not [o["question"] for o in others if o["question"] in s["body"]], f"session {s['n']} saw another's question"
        assert not [o["workspace"] for o in others if o["workspace"] in s["body"]], f"session {s['n']} saw another's workspace"
    assert "Traceback" not in log

    kb = Assistant(Settings(home=home), _embedder=embedder)
    for s in seen:
        n = s["n"]
        team_docs = [d for d in kb.documents(s["workspace"]) if not d.shared]
        files = kb.data_files(s["workspace"])
        if n % 2:
            assert [(d.title, d.passages > 0) for d in team_docs] == [(f"Team {n:02d} memo", True)] and not files
            assert f"quokka{n:02d}" in s["body"], "the answer cites the session's own memo"
        else:
            assert [f.file for f in files] == [f"weekly-{n:02d}.csv"] and not team_docs

    latencies = sorted(s["seconds"] for s in seen)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "concurrency.json").write_text(json.dumps({
        "sessions": SESSIONS, "errors": 0, "answer_seconds_p50": round(statistics.median(latencies), 2),
        "answer_seconds_p95": round(latencies[int(0.95 * (len(latencies) - 1))], 2),
        "answer_seconds_max": round(latencies[-1], 2)}, indent=2))
