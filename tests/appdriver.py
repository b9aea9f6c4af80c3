"""Drive the Streamlit app in headless Chromium: shared by tests/test_browser.py and bench/bench_first_answer.py.

Streamlit runs as a real process (`streamlit run ui/app.py`) on a free loopback port; Chromium is Debian's
package at /usr/bin/chromium, driven by Playwright (its own browser download does not work offline).
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Mapping, Sequence

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
TIMEOUT_MS = int(os.environ.get("CLAIMCHECK_BROWSER_TIMEOUT_MS", "240000"))
CHAT_INPUT = '[data-testid="stChatInputTextArea"]'
MESSAGES = '[data-testid="stChatMessage"]'


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def streamlit_app(script: Path, home: Path, log: Path, extra_args: Sequence[str] = (),
                  extra_env: Mapping[str, str] | None = None, port: int | None = None) -> Iterator[str]:
    """`streamlit run SCRIPT` with ``CLAIMCHECK_HOME=home`` (plus ``extra_args`` for streamlit and ``extra_env``);
    yields its URL once /_stcore/health answers. ``port`` when the caller must know it first (sign-in)."""
    port = port or free_port()
    env = {**os.environ, "CLAIMCHECK_HOME": str(home)}
    env.pop("CLAIMCHECK_CHROMA_URL", None)
    env.pop("CLAIMCHECK_WORKSPACE", None)
    env.update(extra_env or {})
    url = f"http://127.0.0.1:{port}"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none", *extra_args],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            deadline = time.time() + 120
            while not _healthy(url):
                if proc.poll() is not None:
                    raise RuntimeError(f"streamlit exited: {log.read_text()}")
                if time.time() > deadline:
                    raise RuntimeError("streamlit did not answer /_stcore/health within 120 s")
                time.sleep(0.1)
            yield url
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(10)


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


@contextmanager
def chromium():
    """A headless Chromium browser (Playwright's ``Browser``)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def wait_idle(page) -> None:
    """Until the script run is over (the status widget's running indicator is gone)."""
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidgetRunningIcon\"],"
        "[data-testid=\"stStatusWidgetRunningManIcon\"]')", timeout=TIMEOUT_MS)


def ask(page, question: str) -> None:
    """Submit a question once the app is idle and wait until the user's message shows (or fail saying so)."""
    messages = page.locator(MESSAGES)
    before = messages.count()
    wait_idle(page)
    box = page.locator(CHAT_INPUT)
    box.fill(question)
    box.press("Enter")
    messages.nth(before).wait_for(state="attached")


def settle(page, frames: int = 10) -> None:
    """Until the page's size and scroll position stay put for ``frames`` animation frames (charts laid out)."""
    page.evaluate("""frames => new Promise(resolve => {
        let last = null, same = 0;
        const tick = () => {
            const now = [document.body.scrollHeight, window.scrollY,
                         document.querySelector('[data-testid="stMain"]')?.scrollTop ?? 0].join();
            same = now === last ? same + 1 : 0;
            last = now;
            if (same >= frames) resolve(true); else requestAnimationFrame(tick);
        };
        tick();
    })""", frames)


def answer_badge(page, n: int):
    """The verdict badge of the ``n``-th chat message (0-based, user messages included)."""
    return page.locator(MESSAGES).nth(n).locator(".stMarkdownBadge").first
