"""Crash consistency, on both stores: `claimcheck ingest` and `claimcheck data add` killed with SIGKILL (at
35% and 70% of an uninterrupted run, and while they write to the store) leave a store that answers and is
consistent: `claimcheck status` works, every listed document has all its passages and every listed data file
all its findings, nothing unlisted is found or cited; and running the same command again ends in exactly the
state an uninterrupted run ends in.

The commands killed and run again are real processes. What they left is read from the store itself, and
through the CLI's own entry point (``claimcheck status``/``search``/``data list``) and ``ask`` run inside the
test, which already holds the model. Data files are added beside a corpus without the essays: `status` would
load them on first use, which takes time and says nothing about data. Each test adds one row (what was killed
when, and what it found) to test-artifacts/crash.json.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import chromadb
import pytest
from chromadb.config import Settings as ChromaSettings

from assistant import Assistant, Settings
from assistant.cli import main as claimcheck
from assistant.errors import NotFound
from assistant.knowledge.ingest import ingest_paths
from assistant.knowledge.library import list_documents, remove_document
from assistant.knowledge.retrieval import Retriever
from assistant.knowledge.lexical_store import open_store
from assistant.knowledge.store import Store
from assistant.knowledge.workspaces import collection
from assistant.team_data.datasets import add_data, list_data, load_findings, remove_data

from .conftest import CORPUS, ROOT

CLI = str(Path(sys.executable).with_name("claimcheck"))
WS = "w"
INGEST = ["ingest", str(CORPUS / "eval" / "team_docs"), "--workspace", WS]
EXPORT = CORPUS / "samples" / "no_effect_weekly.csv"
DATA_ADD = ["data", "add", str(EXPORT), "--workspace", WS]
DATA_QUESTION = "Which channel gives us the cheapest orders?"
BATCH_SIZE = "8"  # passages per model call: the store is written in many small batches, spread over the run
ATTEMPTS = 3  # a run that ends before its kill point was an uninterrupted run: it shortens T, and we try again
RESULTS = ROOT / "test-artifacts" / "crash.json"


# -- a knowledge base as the user's processes see it ----------------------------------------------------

@dataclass
class Home:
    """A CLAIMCHECK_HOME and, with a server, a database of its own on it."""

    path: Path
    corpus: Path = CORPUS
    url: str | None = None
    database: str | None = None
    views: int = 0

    def env(self, home: Path | None = None) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("CLAIMCHECK_")}
        env.update(CLAIMCHECK_HOME=str(home or self.path), CLAIMCHECK_CORPUS=str(self.corpus), HF_HUB_OFFLINE="1")
        if self.url:
            env.update(CLAIMCHECK_CHROMA_URL=self.url, CLAIMCHECK_CHROMA_DATABASE=str(self.database))
        return env

    def view(self) -> Path:
        """The home under a path never opened before: an embedded Chroma client keeps what it read per path,
        so every look after another process wrote opens the store afresh."""
        self.path.mkdir(parents=True, exist_ok=True)
        self.views += 1
        link = self.path.with_name(f"{self.path.name}-view{self.views}")
        link.symlink_to(self.path, target_is_directory=True)
        return link

    def open(self) -> chromadb.api.ClientAPI:
        """The store itself, without Claimcheck in between."""
        quiet = ChromaSettings(anonymized_telemetry=False)
        if self.url:
            url = urlparse(self.url)
            return chromadb.HttpClient(host=url.hostname or "127.0.0.1", port=url.port or 8000,
                                       database=str(self.database), settings=quiet)
        return chromadb.PersistentClient(path=str(self.view() / "chroma"), settings=quiet)

    @contextmanager
    def client(self) -> Iterator[chromadb.api.ClientAPI]:
        client = self.open()
        try:
            yield client
        finally:
            client.close()


@pytest.fixture
def new_home(store_kind, tmp_path, request) -> Callable[[Path], Home]:
    """Fresh, empty knowledge bases of the parametrized kind."""
    made: list[Home] = []

    def make(corpus: Path) -> Home:
        home = Home(tmp_path / f"home{len(made)}", corpus)
        if store_kind == "server":
            home.url, home.database = request.getfixturevalue("chroma_server"), f"t-{uuid.uuid4().hex[:12]}"
        made.append(home)
        return home
    return make


def stored(home: Home, prefix: str = "cc-") -> dict[str, dict[str, tuple]]:
    """Every record of the non-empty collections named ``prefix...``: id -> (text, metadata without the time it
    was written). Two runs that ended in the same state give equal values."""
    out: dict[str, dict[str, tuple]] = {}
    with home.client() as client:
        for col in client.list_collections():
            name = col if isinstance(col, str) else col.name
            if not name.startswith(prefix):
                continue
            got = client.get_collection(name, embedding_function=None).get(include=["documents", "metadatas"])
            records = {i: (d, {k: v for k, v in (m or {}).items() if k != "added"})
                       for i, d, m in zip(got["ids"], got["documents"], got["metadatas"])}
            if records:
                out[name] = records
    return out


@contextmanager
def watching(home: Home) -> Iterator[Callable[[list[str]], dict[str, int]]]:
    """Records per collection right now, read while another process writes (0 for one not made yet)."""
    client: chromadb.api.ClientAPI | None = None

    def counts(names: list[str]) -> dict[str, int]:
        nonlocal client
        out = dict.fromkeys(names, 0)
        if client is None and home.url is None and not (home.path / "chroma" / "chroma.sqlite3").exists():
            return out  # opening it here would make it, while the other process makes it too
        for name in names:
            try:
                client = client or home.open()
                out[name] = client.get_collection(name, embedding_function=None).count()
            except Exception:  # the other process has not made the store or the collection yet
                pass
        return out
    try:
        yield counts
    finally:
        if client is not None:
            client.close()


# -- the commands, as real processes -------------------------------------------------------------------

@dataclass
class Run:
    seconds: float
    code: int
    out: str
    err: str


def run(home: Home, args: list[str], timeout: float = 600) -> Run:
    started = time.perf_counter()
    done = subprocess.run([CLI, *args], env=_batched(home.env()), capture_output=True, text=True, timeout=timeout,
                          cwd=ROOT)
    return Run(time.perf_counter() - started, done.returncode, done.stdout, done.stderr)


def start(home: Home, args: list[str], kill_after_writing_to: str | None = None) -> subprocess.Popen:
    """The command in a process of its own; ``kill_after_writing_to`` makes it SIGKILL itself the instant a write
    to that collection returns (a moment that lasts milliseconds, too short to catch from outside)."""
    if kill_after_writing_to is None:
        cmd = [CLI, *args]
    else:
        cmd = [sys.executable, "-c", _DIE_AFTER_WRITE, kill_after_writing_to, *args]
    with open(home.path.with_name(f"{home.path.name}.log"), "ab") as log:
        return subprocess.Popen(cmd, env=_batched(home.env()), stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)


def _batched(env: dict[str, str]) -> dict[str, str]:
    return {**env, "CLAIMCHECK_BATCH_SIZE": BATCH_SIZE}


_DIE_AFTER_WRITE = """
import os, signal, sys
from assistant.cli import main
from assistant.knowledge.store import ChromaStore
upsert = ChromaStore.upsert
def upsert_then_die(self, collection, records):
    upsert(self, collection, records)
    if collection == sys.argv[1] and records:
        os.kill(os.getpid(), signal.SIGKILL)
ChromaStore.upsert = upsert_then_die
sys.exit(main(sys.argv[2:]))
"""


def kill(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGKILL)
    proc.wait(60)


def killed(proc: subprocess.Popen) -> bool:
    proc.wait(600)
    return proc.returncode == -signal.SIGKILL


# -- the uninterrupted runs -------------------------------------------------------------------------------

@dataclass
class Baseline:
    """An uninterrupted run: how long it took (the shortest seen) and the state it ended in."""

    args: list[str]
    corpus: Path
    seconds: float
    state: dict[str, dict[str, tuple]]
    prefix: str


def _baseline(tmp_path_factory, args: list[str], corpus: Path, prefix: str) -> Baseline:
    home = Home(tmp_path_factory.mktemp("baseline") / "home", corpus)
    done = run(home, args)
    assert done.code == 0, done.err
    return Baseline(args, corpus, done.seconds, stored(home, prefix), prefix)


@pytest.fixture(scope="module")
def ingest_baseline(tmp_path_factory) -> Baseline:
    """`claimcheck ingest` of the twelve team documents, which loads the six essays first."""
    return _baseline(tmp_path_factory, INGEST, CORPUS, "cc-")


@pytest.fixture(scope="module")
def data_baseline(tmp_path_factory) -> Baseline:
    """`claimcheck data add` of a weekly export; only the workspace's records are compared."""
    corpus = tmp_path_factory.mktemp("corpus-without-essays")
    for entry in CORPUS.iterdir():
        if entry.name != "essays":
            (corpus / entry.name).symlink_to(entry)
    (corpus / "essays").mkdir()
    return _baseline(tmp_path_factory, DATA_ADD, corpus, f"cc-ws-{WS}-")


@pytest.fixture(scope="module")
def catalogue_vectors(tmp_path_factory) -> Path:
    """The claim catalogue's vectors, embedded by the first question and copied into later homes, as a
    restart of the app reuses them."""
    return tmp_path_factory.mktemp("catalogue-vectors")


@pytest.fixture(scope="module")
def results() -> Iterator[list[dict]]:
    """The rows of test-artifacts/crash.json, written when the module ends."""
    rows: list[dict] = []
    yield rows
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")


def kill_at_share(new_home: Callable[[Path], Home], baseline: Baseline, share: float) -> tuple[Home, float]:
    """A fresh home whose run was SIGKILLed at ``share`` of an uninterrupted run's time."""
    for _ in range(ATTEMPTS):
        home = new_home(baseline.corpus)
        started = time.perf_counter()
        proc = start(home, baseline.args)
        try:
            proc.wait(share * baseline.seconds)
        except subprocess.TimeoutExpired:
            kill(proc)
            return home, time.perf_counter() - started
        assert proc.returncode == 0, home.path.with_name(f"{home.path.name}.log").read_text()
        assert stored(home, baseline.prefix) == baseline.state
        baseline.seconds = min(baseline.seconds, time.perf_counter() - started)
    pytest.fail(f"the command ended before {share:.0%} of its run {ATTEMPTS} times")


# -- what a kill left ---------------------------------------------------------------------------------------

@dataclass
class Found:
    """One kill, as the README table quotes it."""

    command: str
    store: str
    kill: str
    killed_after_s: float = 0.0
    listed: int = 0  # team documents, or data files, listed after the kill
    unlisted_stored: int = 0  # passages, or findings, stored but not listed: never to be found or cited
    half_stored: int = 0  # listed documents without all their passages, files without all their findings
    probes: int = 0  # searches or questions asked of what was left
    rerun_matches: bool = False
    notes: list[str] = field(default_factory=list)


@contextmanager
def cli_env(monkeypatch, home: Home) -> Iterator[Path]:
    """CLAIMCHECK_* as the user's shell would set them, on a fresh view of the home."""
    view = home.view()
    with monkeypatch.context() as m:
        for name in [n for n in os.environ if n.startswith("CLAIMCHECK_")]:
            m.delenv(name)
        for name, value in home.env(view).items():
            if name.startswith("CLAIMCHECK_"):
                m.setenv(name, value)
        yield view


def cli(capsys, *args: str) -> tuple[int, str]:
    capsys.readouterr()
    code = claimcheck(list(args))
    return code, capsys.readouterr().out


def by_source(records: dict[str, tuple]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for pid, (_, meta) in records.items():
        out.setdefault(str(meta["source_id"]), set()).add(pid)
    return out


def check_documents(home: Home, baseline: Baseline, found: Found, monkeypatch, capsys) -> None:
    """Every listed document holds exactly the passages an uninterrupted run gives it; `claimcheck status` works
    and lists them; no search finds a passage of a document that is not listed."""
    left = stored(home)
    team = set(left.get(collection(WS, "docs"), {}))
    unlisted: dict[str | None, list[str]] = {}
    for scope in (None, WS):
        passages, listed = collection(scope, "passages"), left.get(collection(scope, "docs"), {})
        have, want = by_source(left.get(passages, {})), by_source(baseline.state[passages])
        found.half_stored += sum(have.get(sid) != want.get(sid) or meta["passages"] != len(want.get(sid, ()))
                                 for sid, (_, meta) in listed.items())
        unlisted[scope] = [left[passages][pid][0] for sid, ids in have.items() if sid not in listed
                           for pid in sorted(ids)]
    found.listed, found.unlisted_stored = len(team), len(unlisted[None]) + len(unlisted[WS])
    if unlisted[None]:
        found.notes.append(f"{len(unlisted[None])} of the unlisted passages were the essays'; `status`, like every "
                           "command, first loaded the essays whole")
    whole = {sid: len(ids) for scope in (None, WS)
             for sid, ids in by_source(baseline.state[collection(scope, "passages")]).items()}
    with cli_env(monkeypatch, home):
        code, out = cli(capsys, "status", "--workspace", WS, "--json")
        assert code == 0
        status = json.loads(out)
        assert {d["source_id"] for d in status["documents"] if not d["shared"]} == team
        assert all(d["passages"] == whole[d["source_id"]] for d in status["documents"])
        listed_now = {d["source_id"] for d in status["documents"]}
        probes = unlisted[WS][:3] or [text for text, _ in list(baseline.state[collection(WS, "passages")].values())[:3]]
        for probe in probes:
            code, out = cli(capsys, "search", probe, "--workspace", WS, "--k", "10", "--json")
            hits = json.loads(out)
            assert code == 0 and hits, "the store answers"
            assert {h["source_id"] for h in hits} <= listed_now, "no passage of an unlisted document is found"
            found.probes += 1
    assert found.half_stored == 0


def check_data(home: Home, baseline: Baseline, found: Found, monkeypatch, capsys, embedder, vectors: Path) -> None:
    """A listed data file has exactly its findings; unlisted findings are neither listed nor cited."""
    left = stored(home)
    files, findings = left.get(collection(WS, "files"), {}), left.get(collection(WS, "findings"), {})
    want = {fid for fid in baseline.state[collection(WS, "findings")]}
    listed = {str(meta["file"]) for _, meta in files.values()}
    found.listed = len(listed)
    found.unlisted_stored = sum(str(meta["file"]) not in listed for _, meta in findings.values())
    found.half_stored = sum({fid for fid, (_, m) in findings.items() if m["file"] == name} != want for name in listed)
    with cli_env(monkeypatch, home) as view:
        code, out = cli(capsys, "status", "--workspace", WS, "--json")
        assert code == 0 and json.loads(out)["workspace"] == WS
        code, out = cli(capsys, "data", "list", "--workspace", WS, "--json")
        assert code == 0
        assert {d["file"]: len(d["findings"]) for d in json.loads(out)} == {name: len(want) for name in listed}
        shutil.copytree(vectors, view / "cache", dirs_exist_ok=True)
        answer = Assistant(Settings.from_env(), _embedder=embedder).ask(DATA_QUESTION, workspace=WS)
        shutil.copytree(view / "cache", vectors, dirs_exist_ok=True)
        cited = {e.source_id for e in answer.evidence if e.kind == "company_data"}
        assert cited <= {f"data:{name}" for name in listed}, "no finding of an unlisted file is cited"
        assert bool(cited) == bool(listed), "the findings of a listed file answer"
        found.probes += 1
    assert found.half_stored == 0


def rerun_completes(home: Home, baseline: Baseline, found: Found) -> None:
    done = run(home, baseline.args)
    assert done.code == 0, done.err
    assert stored(home, baseline.prefix) == baseline.state
    found.rerun_matches = True


# -- the tests -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("store_kind", ["embedded"])
@pytest.mark.parametrize("share", [0.35, 0.70])
def test_ingest_killed_at_a_share_of_its_run_leaves_whole_documents_and_a_rerun_completes_it(
        share, store_kind, new_home, ingest_baseline, results, monkeypatch, capsys):
    found = Found("ingest", store_kind, f"{share:.0%} of T={ingest_baseline.seconds:.1f}s")
    home, found.killed_after_s = kill_at_share(new_home, ingest_baseline, share)
    results.append(asdict(found))
    check_documents(home, ingest_baseline, found, monkeypatch, capsys)
    rerun_completes(home, ingest_baseline, found)
    results[-1] = asdict(found)


def test_ingest_killed_while_storing_passages_lists_no_half_stored_document_and_a_rerun_completes_it(
        store_kind, new_home, ingest_baseline, results, monkeypatch, capsys):
    found = Found("ingest", store_kind, "team passages stored, no team document record yet")
    home = new_home(CORPUS)
    passages, docs = collection(WS, "passages"), collection(WS, "docs")
    started = time.perf_counter()
    proc = start(home, INGEST)
    time.sleep(0.3 * ingest_baseline.seconds)  # start-up: the model loads, nothing of the team is written
    with watching(home) as counts:
        while proc.poll() is None:
            seen = counts([passages, docs])
            if seen[passages] > 0 and seen[docs] == 0:
                kill(proc)
                break
            time.sleep(0.02)
    assert killed(proc), "the kill came while the team's passages were being stored"
    found.killed_after_s = time.perf_counter() - started
    results.append(asdict(found))
    check_documents(home, ingest_baseline, found, monkeypatch, capsys)
    assert found.unlisted_stored > 0, "the kill left stored passages of documents not yet listed"
    rerun_completes(home, ingest_baseline, found)
    results[-1] = asdict(found)


@pytest.mark.parametrize("store_kind", ["embedded"])
@pytest.mark.parametrize("share", [0.35, 0.70])
def test_data_add_killed_at_a_share_of_its_run_leaves_whole_files_and_a_rerun_completes_it(
        share, store_kind, new_home, data_baseline, results, monkeypatch, capsys, embedder, catalogue_vectors):
    found = Found("data add", store_kind, f"{share:.0%} of T={data_baseline.seconds:.1f}s")
    home, found.killed_after_s = kill_at_share(new_home, data_baseline, share)
    results.append(asdict(found))
    check_data(home, data_baseline, found, monkeypatch, capsys, embedder, catalogue_vectors)
    rerun_completes(home, data_baseline, found)
    results[-1] = asdict(found)


def test_data_add_killed_between_its_findings_and_its_file_record_cites_nothing_and_a_rerun_completes_it(
        store_kind, new_home, data_baseline, results, monkeypatch, capsys, embedder, catalogue_vectors):
    found = Found("data add", store_kind, "findings stored, file record not yet")
    home = new_home(data_baseline.corpus)
    started = time.perf_counter()
    assert killed(start(home, DATA_ADD, kill_after_writing_to=collection(WS, "findings")))
    found.killed_after_s = time.perf_counter() - started
    results.append(asdict(found))
    check_data(home, data_baseline, found, monkeypatch, capsys, embedder, catalogue_vectors)
    assert found.unlisted_stored == len(data_baseline.state[collection(WS, "findings")]) and found.listed == 0
    rerun_completes(home, data_baseline, found)
    results[-1] = asdict(found)


# -- what a killed removal leaves -------------------------------------------------------------------------

@pytest.fixture
def store(store_settings) -> Store:
    """A fresh, empty store of the parametrized kind, used in this process."""
    return open_store(store_settings)


def test_passages_left_without_their_document_record_are_never_found_and_removing_it_again_clears_them(
        store, embedder, tmp_path):
    doc = tmp_path / "kestrel-notes.md"
    doc.write_text("Kestrel pilot: referral codes doubled our repeat orders.\n\nThe forum brought nothing we could "
                   "measure.\n", encoding="utf-8")
    ingest_paths(store, embedder, [doc], WS)
    store.delete(collection(WS, "docs"), ids=["kestrel-notes"])  # a removal killed after its first write
    assert list_documents(store, WS) == []
    assert not Retriever(store, embedder).search("Kestrel pilot referral codes repeat orders", 10, WS)
    assert remove_document(store, WS, "kestrel-notes") == 2
    assert store.count(collection(WS, "passages")) == 0
    with pytest.raises(NotFound, match="kestrel-notes"):
        remove_document(store, WS, "kestrel-notes")


def test_findings_left_without_their_file_record_are_never_used_and_removing_the_file_again_clears_them(
        store, embedder):
    findings = add_data(store, embedder, EXPORT, WS).findings
    store.delete(collection(WS, "files"), where={"file": EXPORT.name})  # a removal killed after its first write
    assert list_data(store, WS) == [] and load_findings(store, WS) == []
    assert remove_data(store, WS, EXPORT.name) == len(findings) > 0
    assert store.count(collection(WS, "findings")) == 0
    with pytest.raises(NotFound, match=EXPORT.name):
        remove_data(store, WS, EXPORT.name)
