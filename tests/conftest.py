"""Shared fixtures: the real model once per run, both real stores.

Every store-facing test takes ``assistant_factory`` (or ``kb``), which is
parametrized over the embedded Chroma and a real ``chroma run`` server.
"""
from __future__ import annotations

import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from assistant.settings import offline_environment  # noqa: E402

offline_environment()

from assistant import Assistant, Settings  # noqa: E402
from assistant.answering.catalogue import load_catalogue  # noqa: E402
from assistant.knowledge.embedding import RememberingEmbedder, get_embedder  # noqa: E402
from assistant.knowledge.ingest import bundled_titles  # noqa: E402
from assistant.onboarding.journey import load_journey  # noqa: E402
from tests.appdriver import free_port  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture(scope="session")
def catalogue():
    """The claim catalogue shipped in corpus/claims.json."""
    return load_catalogue(CORPUS)


@pytest.fixture(scope="session")
def journey():
    """The Social Customer Journey's stages, corpus/journey.json."""
    return load_journey(CORPUS)


@pytest.fixture(scope="session")
def titles():
    """source_id -> title of every bundled essay."""
    return bundled_titles(CORPUS)


@pytest.fixture(scope="session")
def embedder():
    """The real all-MiniLM-L6-v2, loaded once for the whole run."""
    # Asked once per distinct text in the whole run: every fresh store gets the essays embedded again,
    # and the same model gives the same vectors, so the second time is a lookup.
    return RememberingEmbedder(get_embedder(Settings(home=Path("/nonexistent"))))


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory):
    """A real `chroma run` on a free loopback port, for the whole run."""
    port = free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    chroma = Path(sys.executable).with_name("chroma")
    log = open(path / "server.log", "w")
    proc = subprocess.Popen([str(chroma), "run", "--path", str(path / "data"), "--host", "127.0.0.1",
                             "--port", str(port)], stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(f"chroma run exited: {(path / 'server.log').read_text()}")
            time.sleep(0.2)
    else:
        proc.kill()
        raise RuntimeError("chroma run did not start within 60 s")
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


STORES = ["embedded", pytest.param("server", marks=pytest.mark.server)]


@pytest.fixture(params=STORES)
def store_kind(request) -> str:
    return request.param


@pytest.fixture
def store_settings(store_kind, tmp_path, request) -> Settings:
    """Settings for a fresh, empty store of the parametrized kind (a new database on the server)."""
    server = {}
    if store_kind == "server":
        server = {"chroma_url": request.getfixturevalue("chroma_server"),
                  "chroma_database": f"t-{uuid.uuid4().hex[:12]}"}
    return Settings(home=tmp_path / "home", corpus_dir=CORPUS, **server)


@pytest.fixture
def assistant_factory(store_kind, tmp_path, embedder, request):
    """Make an Assistant on a fresh, empty store of the parametrized kind."""
    def make(**overrides) -> Assistant:
        settings = dict(home=tmp_path / "home", corpus_dir=CORPUS)
        if store_kind == "server":
            url = request.getfixturevalue("chroma_server")
            settings.update(chroma_url=url, chroma_database=f"t-{uuid.uuid4().hex[:12]}")
        settings.update(overrides)
        return Assistant(Settings(**settings), _embedder=embedder)
    return make


@pytest.fixture
def kb(assistant_factory) -> Assistant:
    """A fresh knowledge base with the bundled essays loaded."""
    a = assistant_factory()
    a.ensure_ready()
    return a


@pytest.fixture(scope="session")
def shared_kb(tmp_path_factory, embedder) -> Assistant:
    """One read-only knowledge base (embedded) for tests that only ask or search."""
    a = Assistant(Settings(home=tmp_path_factory.mktemp("shared-home"), corpus_dir=CORPUS), _embedder=embedder)
    a.ensure_ready()
    return a
