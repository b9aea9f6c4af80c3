"""Sign-in with st.login against a real OpenID Connect provider (oidc-provider-mock), in a real browser.

Each person signs in through the provider's own authorisation page and then sees only the workspaces
they are a member of, with what their role allows; someone who is a member of nothing sees no team
data at all. The provider runs on a loopback port under the name ``localhost`` (the OAuth client
refuses plain HTTP to 127.0.0.1).
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.appdriver import (
    CHAT_INPUT,
    ROOT,
    TIMEOUT_MS,
    chromium,
    free_port,
    streamlit_app,
    wait_idle,
)

pytestmark = pytest.mark.browser

MEMO = "# EMEA community memo\n\nOur members' club raised repeat purchases: 41% of members bought again, against 27%.\n"
USERS = {"alice": {"email": "alice@example.com", "groups": ["emea-leads"]},
         "bob": {"email": "bob@example.com", "groups": ["marketing"]},
         "mallory": {"email": "mallory@example.com", "groups": ["sales"]}}


@contextmanager
def oidc_provider() -> Iterator[str]:
    """oidc-provider-mock as its own process, with the test's users and their group claims."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "oidc_provider_mock", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"http://localhost:{port}"
    try:
        deadline = time.time() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/.well-known/openid-configuration", timeout=2).close()
                break
            except OSError:
                if time.time() > deadline or proc.poll() is not None:
                    raise RuntimeError("oidc-provider-mock did not start")
                time.sleep(0.2)
        for sub, claims in USERS.items():
            request = urllib.request.Request(f"{url}/users/{sub}", data=json.dumps(claims).encode(), method="PUT",
                                             headers={"Content-Type": "application/json"})
            urllib.request.urlopen(request, timeout=5).close()
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(10)


@contextmanager
def app_with_sign_in(home: Path, provider: str, log: Path) -> Iterator[str]:
    """`streamlit run ui/app.py` with an [auth] section in a secrets file of its own."""
    port = free_port()
    secrets = home / "secrets.toml"
    secrets.write_text(f"""[auth]
redirect_uri = "http://localhost:{port}/oauth2callback"
cookie_secret = "a-test-cookie-secret-of-enough-length"
client_id = "claimcheck"
client_secret = "claimcheck-secret"
server_metadata_url = "{provider}/.well-known/openid-configuration"
""")
    with streamlit_app(ROOT / "ui" / "app.py", home, log, ["--secrets.files", str(secrets)], port=port):
        yield f"http://localhost:{port}"  # the name the redirect URI uses, so the sign-in cookie matches


def claimcheck(home: Path, *args: str) -> None:
    env = {**os.environ, "CLAIMCHECK_HOME": str(home), "HF_HUB_OFFLINE": "1"}
    env.pop("CLAIMCHECK_CHROMA_URL", None)
    done = subprocess.run([sys.executable, "-m", "assistant.cli", *args], env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr


def sign_in(browser, url: str, who: str):
    """A fresh browser context that signs in as ``who`` on the provider's page; returns the page."""
    page = browser.new_context().new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(url)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/oauth2/authorize**")
    page.locator('input[name="sub"]').fill(who)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{url}/**")
    page.get_by_role("button", name="Sign out").wait_for()
    wait_idle(page)
    assert USERS[who]["email"] in sidebar_text(page)
    return page


def sidebar_text(page) -> str:
    """The sidebar as read (the app keeps e-mail addresses from turning into links with a word joiner)."""
    return page.locator('[data-testid="stSidebar"]').inner_text().replace("\u2060", "")


def workspace_choices(page) -> list[str]:
    page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
    options = page.locator('[role="option"]')
    options.first.wait_for()
    names = [options.nth(i).inner_text().strip() for i in range(options.count())]
    page.keyboard.press("Escape")
    return names


def test_each_person_sees_only_their_workspaces_with_what_their_role_allows(tmp_path):
    home = tmp_path / "home"
    memo = tmp_path / "memo.md"
    memo.write_text(MEMO)
    claimcheck(home, "ingest", str(memo), "--workspace", "emea")
    claimcheck(home, "ingest", str(memo), "--workspace", "apac")
    claimcheck(home, "access", "grant", "emea", "alice@example.com", "--role", "owner")
    claimcheck(home, "access", "grant", "emea", "group:marketing", "--role", "viewer")
    claimcheck(home, "access", "grant", "apac", "carol@example.com", "--role", "owner")

    with oidc_provider() as provider, app_with_sign_in(home, provider, tmp_path / "app.log") as url, \
            chromium() as browser:
        anonymous = browser.new_context().new_page()
        anonymous.goto(url)
        anonymous.get_by_role("button", name="Sign in").wait_for(timeout=TIMEOUT_MS)
        assert anonymous.locator(CHAT_INPUT).count() == 0
        assert anonymous.get_by_text("EMEA community memo").count() == 0

        alice = sign_in(browser, url, "alice")
        assert workspace_choices(alice) == ["emea"]
        alice.get_by_text("Members").first.click()
        alice.get_by_text("group:marketing · viewer").wait_for()
        alice.get_by_role("link", name="Library").click()
        wait_idle(alice)
        alice.get_by_text("Add documents").first.wait_for()

        bob = sign_in(browser, url, "bob")  # a viewer through his group claim
        assert workspace_choices(bob) == ["emea"]
        bob.get_by_role("link", name="Library").click()
        wait_idle(bob)
        bob.get_by_text("You are a viewer in this workspace").wait_for()
        bob.get_by_text("· 1 in workspace emea").wait_for()  # he reads the team's memo, counted in the library
        assert bob.locator('[data-testid="stFileUploader"]').count() == 0
        assert bob.get_by_text("Members").count() == 0

        mallory = sign_in(browser, url, "mallory")
        mallory.get_by_text("You are not a member of any workspace yet").wait_for()
        assert mallory.get_by_role("link", name="Library").count() == 0
        mallory.goto(f"{url}/library")  # a page's URL does not get round the member list
        wait_idle(mallory)
        mallory.get_by_text("You are not a member of any workspace yet").wait_for()
        assert mallory.get_by_text("EMEA community memo").count() == 0
        assert mallory.locator(CHAT_INPUT).count() == 0
        assert "Traceback" not in (tmp_path / "app.log").read_text()
