"""The team's Chroma server down, hung or failing: one clear line or message, nothing half-written, and
everything works again once the server is back, without a restart.

A real `chroma run` that these tests kill (SIGKILL), freeze (SIGSTOP) and start again on the same port and
data; real `claimcheck` processes; one real in-process Assistant; a real `streamlit run` in Chromium. Where a
failure must land mid-command (after the store is opened), a real HTTP proxy stands in front of the server, as
a team's nginx would, and drops or fails the collection requests.
"""
from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Iterator

import pytest

from assistant import Assistant, Settings
from assistant.errors import ConfigError, StoreUnavailable
from assistant.knowledge.store import Record, Store, get_store
from assistant.knowledge.workspaces import collection
from tests.appdriver import (
    CHAT_INPUT,
    CHROMIUM,
    TIMEOUT_MS,
    answer_badge,
    ask,
    chromium,
    free_port,
    streamlit_app,
    wait_idle,
)

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
CLI = str(Path(sys.executable).with_name("claimcheck"))
CHROMA = str(Path(sys.executable).with_name("chroma"))
WORKSPACE = "team"
TIMEOUT = 3  # CLAIMCHECK_CHROMA_TIMEOUT here: a frozen server is reported after this many seconds
QUESTION = "Does engaging on social media build customer loyalty?"
CLOSING = "Closing note: the lanterns sold out at the harbour kiosk before noon on both Saturdays."

pytestmark = pytest.mark.server


class Chroma:
    """A real `chroma run` on a free port that the tests kill, freeze and start again on the same data."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.port = folder, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            return
        with open(self.folder / "server.log", "a") as log:
            self.proc = subprocess.Popen([CHROMA, "run", "--path", str(self.folder / "data"), "--host", "127.0.0.1",
                                          "--port", str(self.port)], stdout=log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while not _answers(f"{self.url}/api/v2/heartbeat"):
            if self.proc.poll() is not None or time.time() > deadline:
                self.kill()
                raise RuntimeError(f"chroma run did not start: {(self.folder / 'server.log').read_text()[-2000:]}")
            time.sleep(0.2)

    def kill(self) -> None:
        """The server goes away at once (a crash, an OOM kill), and stays down."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(30)

    @contextmanager
    def down(self) -> Iterator[None]:
        self.kill()
        try:
            yield
        finally:
            self.start()

    @contextmanager
    def frozen(self) -> Iterator[None]:
        """The server hangs: it accepts connections and never answers."""
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGSTOP)
        try:
            yield
        finally:
            os.kill(self.proc.pid, signal.SIGCONT)


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


Rule = Callable[[str, str], str]


class Proxy:
    """A real HTTP proxy in front of the server. ``rule(method, path)`` says what each request meets: "pass",
    "drop" (the connection closes unanswered, as when the server dies) or "502" (as nginx answers when the
    server behind it is gone, which is also what a request forwarded to a dead server gets)."""

    def __init__(self, backend: Chroma) -> None:
        self.rule: Rule = lambda method, path: "pass"
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def forward(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                action = proxy.rule(self.command, self.path)
                if action == "drop":
                    self.close_connection = True
                    return
                status, data, kind = 502, b"<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html"
                if action == "pass":
                    try:
                        conn = http.client.HTTPConnection("127.0.0.1", backend.port, timeout=120)
                        conn.request(self.command, self.path, body, {k: v for k, v in self.headers.items()
                                                                      if k.lower() not in ("host", "connection")})
                        resp = conn.getresponse()
                        status, data = resp.status, resp.read()
                        kind = resp.getheader("Content-Type", "application/json")
                        conn.close()
                    except OSError:
                        pass  # the server is gone: 502
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = forward

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def collections_only(action: str) -> Rule:
    """Let the store open (heartbeat, tenant, database), then meet ``action`` on every collection request:
    the failure lands in the middle of a command, after the opening checks passed."""
    return lambda method, path: action if "/collections" in path else "pass"


# --- fixtures ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def chroma(tmp_path_factory) -> Iterator[Chroma]:
    server = Chroma(tmp_path_factory.mktemp("chroma-down"))
    server.start()
    try:
        yield server
    finally:
        server.kill()


@pytest.fixture
def up(chroma: Chroma) -> Chroma:
    """The server, answering (an earlier test that failed half-way may have left it down)."""
    if chroma.proc is None or chroma.proc.poll() is not None:
        chroma.start()
    return chroma


@pytest.fixture(scope="module")
def proxy(chroma: Chroma) -> Iterator[Proxy]:
    p = Proxy(chroma)
    try:
        yield p
    finally:
        p.close()


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("store-down-files")
    pricing = folder / "pricing.md"
    pricing.write_text("# Pricing\n\nOur price test beat every social campaign in the spring quarter. "
                       "Discounts moved more orders than any post did.\n", encoding="utf-8")
    report = folder / "field-report.md"
    report.write_text("# Field report\n\n" + "\n\n".join(
        " ".join(f"In region {r} during week {w}, store visit {r * 7 + w} showed shoppers comparing offer "
                 f"number {r * 13 + w} against the flyer." for w in range(3)) for r in range(24))
        + f"\n\n{CLOSING}\n", encoding="utf-8")
    return {"home": folder / "home", "pricing": pricing, "report": report,
            "sample": CORPUS / "samples" / "tiny.csv", "questions": CORPUS / "eval" / "questions.jsonl"}


def cli(files: dict[str, Path], url: str, *args: str, **env: str) -> subprocess.CompletedProcess:
    """`claimcheck ARGS` against ``url``; one still running after 240 s fails the test with its stacks."""
    full = {**os.environ, "CLAIMCHECK_HOME": str(files["home"]), "HF_HUB_OFFLINE": "1", "PYTHONFAULTHANDLER": "1",
            "CLAIMCHECK_CHROMA_URL": url, "CLAIMCHECK_WORKSPACE": WORKSPACE,
            "CLAIMCHECK_CHROMA_TIMEOUT": str(TIMEOUT), **env}
    with subprocess.Popen([CLI, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=full) as proc:
        try:
            out, err = proc.communicate(timeout=240)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGABRT)  # faulthandler prints every thread's stack
            out, err = proc.communicate(timeout=30)
            pytest.fail(f"claimcheck {' '.join(args)} still running after 240 s:\n{err[:6000]}")
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


@pytest.fixture(scope="module")
def loaded(chroma: Chroma, files: dict[str, Path]) -> Chroma:
    """The server holding the bundled essays and a team document, put there by the command line."""
    out = cli(files, chroma.url, "ingest", str(files["pricing"]))
    assert out.returncode == 0, out.stderr
    return chroma


def store_at(url: str, files: dict[str, Path]) -> Store:
    """This process's store for the server at ``url`` (one per URL, so always with the same short timeout)."""
    return get_store(Settings(home=files["home"], chroma_url=url, chroma_timeout=TIMEOUT))


def commands(files: dict[str, Path]) -> list[tuple[str, ...]]:
    """Every command that reads or writes the store (all of `claimcheck --help` but `serve`)."""
    return [
        ("status",), ("search", "trust"), ("ask", QUESTION), ("ingest", str(files["pricing"])),
        ("remove", "pricing"), ("data", "list"), ("data", "show"), ("data", "add", str(files["sample"])),
        ("data", "remove", "tiny.csv"), ("eval", str(files["questions"]), "--no-baseline"),
        ("access", "list", WORKSPACE), ("access", "grant", WORKSPACE, "ana@example.com", "--role", "editor"),
        ("access", "revoke", WORKSPACE, "ana@example.com"),
    ]


def run_all(files: dict[str, Path], url: str) -> dict[tuple[str, ...], subprocess.CompletedProcess]:
    """Every command, each through the real ``main`` with its own output and exit code, in one process
    (tests/cli_batch.py) so the embedding stack loads once rather than thirteen times."""
    todo = commands(files)
    full = {**os.environ, "CLAIMCHECK_HOME": str(files["home"]), "HF_HUB_OFFLINE": "1", "PYTHONFAULTHANDLER": "1",
            "CLAIMCHECK_CHROMA_URL": url, "CLAIMCHECK_WORKSPACE": WORKSPACE, "CLAIMCHECK_CHROMA_TIMEOUT": str(TIMEOUT)}
    batch = subprocess.run([sys.executable, "-m", "tests.cli_batch"], input=json.dumps([list(a) for a in todo]),
                           capture_output=True, text=True, env=full, cwd=ROOT, timeout=600)
    assert batch.returncode == 0, batch.stderr[-4000:]
    return {args: subprocess.CompletedProcess(["claimcheck", *args], r["returncode"], r["stdout"], r["stderr"])
            for args, r in zip(todo, json.loads(batch.stdout))}


def one_line(out: subprocess.CompletedProcess, url: str, *words: str) -> str:
    """The command failed with exactly one line on stderr naming the server (and ``words``), no traceback."""
    command = " ".join(out.args[1:])
    assert out.returncode == 1, (command, out.returncode, out.stdout, out.stderr)
    assert "Traceback" not in out.stderr, (command, out.stderr)
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("claimcheck: error: "), (command, out.stderr)
    assert f"Chroma server at {url}" in lines[0] and "then try again" in lines[0], lines[0]
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


# --- the command line -------------------------------------------------------------------

def test_the_timeout_is_seconds_and_anything_else_is_refused_saying_so():
    assert Settings.from_env({"CLAIMCHECK_CHROMA_TIMEOUT": "2.5"}).chroma_timeout == 2.5
    assert Settings.from_env({}).chroma_timeout == 30
    for raw in ("soon", "0", "-1", "nan", "inf"):
        with pytest.raises(ConfigError, match=f"CLAIMCHECK_CHROMA_TIMEOUT must be a number of seconds.*{raw}"):
            Settings.from_env({"CLAIMCHECK_CHROMA_TIMEOUT": raw})


def test_every_command_says_in_one_line_that_the_server_is_down_and_works_once_it_is_back(loaded, up, files):
    with up.down():
        results = run_all(files, up.url)
    for out in results.values():
        one_line(out, up.url, "cannot reach", "chroma run")

    # started again on the same port and data: the same commands work, nothing restarted on our side
    # (`status` and `ingest` after a restart: the ingest test below)
    found = cli(files, up.url, "search", "price test beat every social campaign", "--json")
    assert found.returncode == 0 and not found.stderr.strip(), found.stderr
    assert any(r["source_id"] == "pricing" for r in json.loads(found.stdout))


def test_every_command_says_so_in_one_line_when_the_server_dies_mid_command(loaded, up, proxy, files):
    proxy.rule = collections_only("drop")
    try:
        results = run_all(files, proxy.url)
    finally:
        proxy.rule = collections_only("pass")
    for out in results.values():
        one_line(out, proxy.url, "cannot reach")
    docs = store_at(up.url, files).get(collection(WORKSPACE, "docs"))
    assert "pricing" in [r.id for r in docs], "nothing was removed while the server was away"


def test_a_hung_server_is_reported_after_the_timeout_not_waited_on_forever(loaded, up, files):
    with up.frozen(), ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda args: cli(files, up.url, *args), [("status",), ("ask", QUESTION)]))
    for out in results:
        one_line(out, up.url, f"did not answer within {TIMEOUT} s", "CLAIMCHECK_CHROMA_TIMEOUT")


def test_an_ingest_cut_off_by_the_server_leaves_no_half_written_document_and_a_rerun_completes_it(
        loaded, up, proxy, files):
    upserts: list[str] = []

    def kill_at_third_upsert(method: str, path: str) -> str:
        if method == "POST" and path.endswith("/upsert"):
            upserts.append(path)
            if len(upserts) == 3:
                up.kill()  # two batches of passages are stored, the third and the rest never are
        return "pass"

    proxy.rule = kill_at_third_upsert
    try:
        cut = cli(files, proxy.url, "ingest", str(files["report"]), CLAIMCHECK_BATCH_SIZE="4")
    finally:
        proxy.rule = collections_only("pass")
        up.start()
    assert len(upserts) >= 3, "the ingest was cut off while writing passages"
    one_line(cut, proxy.url)

    store = store_at(up.url, files)

    def listed() -> dict[str, int]:
        out = cli(files, up.url, "status", "--json")
        assert out.returncode == 0, out.stderr
        return {d["source_id"]: d["passages"] for d in json.loads(out.stdout)["documents"] if not d["shared"]}

    def stored(source_id: str) -> int:
        return len(store.get(collection(WORKSPACE, "passages"), where={"source_id": source_id}))

    for source_id, passages in listed().items():
        assert stored(source_id) == passages, f"{source_id} is listed with {passages} passages, holds fewer"

    again = cli(files, up.url, "ingest", str(files["report"]), CLAIMCHECK_BATCH_SIZE="4")
    assert again.returncode == 0, again.stderr
    docs = listed()
    assert docs.get("field-report", 0) > 8 and stored("field-report") == docs["field-report"], docs
    texts = [r.text for r in store.get(collection(WORKSPACE, "passages"), where={"source_id": "field-report"})]
    assert any(CLOSING in t for t in texts), "the document's last passage is stored too"


# --- in process: the store and one Assistant --------------------------------------------

def test_every_store_call_fails_as_store_unavailable_and_the_same_store_recovers(loaded, up, proxy, files):
    store = store_at(up.url, files)
    name = "claimcheck-down-probe"
    store.upsert(name, [Record("a", "alpha", {"n": 1}, [1.0, 0.0])])
    calls: dict[str, Callable[[], object]] = {
        "upsert": lambda: store.upsert(name, [Record("b", "beta", {"n": 2}, [0.0, 1.0])]),
        "get": lambda: store.get(name), "query": lambda: store.query(name, [1.0, 0.0], 1),
        "delete": lambda: store.delete(name, ids=["a"]), "count": lambda: store.count(name),
        "revision": lambda: store.revision(name), "collections": store.collections,
        "drop": lambda: store.drop("claimcheck-down-never-made"),
    }
    with up.down():
        for what, call in calls.items():
            with pytest.raises(StoreUnavailable, match="cannot reach the Chroma server at " + up.url):
                call()
    with up.frozen():
        for what in ("count", "upsert"):
            with pytest.raises(StoreUnavailable, match=f"did not answer within {TIMEOUT} s"):
                calls[what]()
    assert store.count(name) == 1 and store.get(name)[0].text == "alpha", "the same object works again"

    with pytest.raises(Exception) as bad:  # a bad name is our mistake, not the server's: it is not disguised
        store.count("x")
    assert not isinstance(bad.value, StoreUnavailable)

    behind = store_at(proxy.url, files)
    proxy.rule = collections_only("502")
    try:
        with pytest.raises(StoreUnavailable, match=r"failed \(HTTP 502.*check its log"):
            behind.count(name)
    finally:
        proxy.rule = collections_only("pass")
    assert behind.count(name) == 1
    store.drop(name)


def test_one_assistant_survives_the_server_going_away_and_coming_back(loaded, up, files, embedder):
    assistant = Assistant(Settings(home=files["home"], corpus_dir=CORPUS, chroma_url=up.url, workspace=WORKSPACE,
                                   chroma_timeout=TIMEOUT), _embedder=embedder)
    assert assistant.ask(QUESTION).evidence
    with up.down():
        for call in (lambda: assistant.ask(QUESTION), assistant.status, lambda: assistant.search("trust"),
                     assistant.documents, assistant.data_files, assistant.workspaces,
                     lambda: assistant.ingest([files["pricing"]])):
            with pytest.raises(StoreUnavailable, match=up.url):
                call()
    assert assistant.ask(QUESTION).evidence
    assert "pricing" in [d["source_id"] for d in assistant.status()["documents"]]


# --- the app ------------------------------------------------------------------------------

def store_message(page, url: str) -> str:
    """The one message the page shows, naming the server (the word joiners that keep it from linking removed)."""
    shown = page.locator('[data-testid="stAlert"], [data-testid="stException"]').filter(has_text="Chroma server at")
    shown.first.wait_for(state="visible")
    assert page.locator('[data-testid="stException"]').count() == 0, "an exception box, not a message"
    alert = page.locator('[data-testid="stAlert"]').filter(has_text="Chroma server at")
    assert alert.count() == 1
    text = alert.first.inner_text().replace("\u2060", "")
    assert url in text, text
    return text


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"Chromium not found at {CHROMIUM}")
def test_the_app_shows_one_message_while_the_server_is_down_and_recovers_without_a_restart(loaded, up, proxy, files,
                                                                                          tmp_path):
    env = {"CLAIMCHECK_CHROMA_URL": proxy.url, "CLAIMCHECK_WORKSPACE": WORKSPACE,
           "CLAIMCHECK_CHROMA_TIMEOUT": str(TIMEOUT)}
    up.kill()  # down before the app's first page: the failed start must not be cached
    try:
        with streamlit_app(ROOT / "ui" / "app.py", files["home"], tmp_path / "streamlit.log", extra_env=env) as app, \
                chromium() as browser:
            page = browser.new_page(viewport={"width": 1440, "height": 1000})
            page.set_default_timeout(TIMEOUT_MS)
            exceptions = page.locator('[data-testid="stException"]')
            retry = page.get_by_role("button", name="Try again")
            nav = page.locator('[data-testid="stSidebarNavLink"]')

            page.goto(app)
            assert "failed (HTTP 502" in store_message(page, proxy.url)  # behind a proxy, a dead server is a 502
            assert exceptions.count() == 0

            up.start()
            retry.click()
            page.locator(CHAT_INPUT).wait_for(state="visible")
            ask(page, QUESTION)
            answer_badge(page, 1).wait_for(state="visible")
            wait_idle(page)

            # reads fail in the middle of a page, after the sidebar was drawn: still one message
            proxy.rule = lambda method, path: "502" if path.endswith(("/get", "/query")) else "pass"
            nav.filter(has_text="Library").click()
            store_message(page, proxy.url)
            wait_idle(page)
            assert exceptions.count() == 0
            proxy.rule = collections_only("pass")
            retry.click()
            page.get_by_text("Pricing").first.wait_for(state="visible")

            # the server gone, then back on the same port: the same app, the conversation kept
            with up.down():
                nav.filter(has_text="Chat").click()
                store_message(page, proxy.url)
                wait_idle(page)
                assert exceptions.count() == 0
            retry.click()
            page.locator(CHAT_INPUT).wait_for(state="visible")
            answer_badge(page, 1).wait_for(state="visible")
            ask(page, "Do customers trust their peers more than brands?")
            answer_badge(page, 3).wait_for(state="visible")
            wait_idle(page)
            assert exceptions.count() == 0
    finally:
        proxy.rule = collections_only("pass")
