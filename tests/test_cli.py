"""The `claimcheck` command as a user runs it: a real process, a real home."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

CLI = str(Path(sys.executable).with_name("claimcheck"))


def run(home: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "CLAIMCHECK_HOME": str(home), "HF_HUB_OFFLINE": "1", **(env or {})}
    full_env.pop("CLAIMCHECK_CHROMA_URL", None) if not env or "CLAIMCHECK_CHROMA_URL" not in env else None
    return subprocess.run([CLI, *args], capture_output=True, text=True, env=full_env, timeout=300)


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("cli-home")


def test_search_json_lists_passages_with_their_source_and_offsets(home):
    out = run(home, "search", "does engagement build relationships?", "--k", "4", "--json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)
    assert len(rows) == 4
    assert set(rows[0]) == {"text", "source", "source_id", "author", "kind", "start", "end", "score"}
    assert any("engagement" in r["text"].lower() for r in rows)


def test_search_prints_readable_passages(home):
    out = run(home, "search", "Gartner loyalty", "--k", "2")
    assert out.returncode == 0
    assert "Customers Don’t Care About Us" in out.stdout and "Gartner" in out.stdout


def test_status_lists_the_bundled_essays(home):
    out = run(home, "status")
    assert out.returncode == 0
    assert "there-is-no-social-customer-comment" in out.stdout and "embedded" in out.stdout


def test_ingest_reports_each_file_and_fails_on_a_bad_one(home, tmp_path):
    good = tmp_path / "notes.md"
    good.write_text("Our webinar leads closed faster than paid social leads.\n", encoding="utf-8")
    bad = tmp_path / "scan.pdf"
    bad.write_bytes(b"not a pdf")
    out = run(home, "ingest", str(bad), str(good), "--workspace", "growth")
    assert out.returncode == 1
    assert "added" in out.stdout and "notes.md" in out.stdout
    assert "scan.pdf" in out.stderr and "Traceback" not in out.stderr


def test_remove_takes_a_team_document_out_and_refuses_an_essay(home, tmp_path):
    doc = tmp_path / "pricing.md"
    doc.write_text("Our price test beat every social campaign.\n", encoding="utf-8")
    assert run(home, "ingest", str(doc), "--workspace", "rm").returncode == 0
    out = run(home, "remove", "pricing", "--workspace", "rm")
    assert out.returncode == 0 and "removed pricing" in out.stdout
    assert "pricing" not in run(home, "status", "--workspace", "rm").stdout
    refused = run(home, "remove", "customers-dont-care-about-us", "--workspace", "rm")
    assert refused.returncode == 1 and "read only" in refused.stderr


def test_an_unreachable_chroma_server_is_one_clear_line(home):
    out = run(home, "status", env={"CLAIMCHECK_CHROMA_URL": "http://127.0.0.1:9"})
    assert out.returncode == 1
    assert out.stderr.startswith("claimcheck: error: cannot reach the Chroma server at http://127.0.0.1:9")
    assert "Traceback" not in out.stderr and len(out.stderr.strip().splitlines()) == 1


def test_a_bad_workspace_name_says_what_is_allowed(home):
    out = run(home, "search", "x", "--workspace", "../etc")
    assert out.returncode == 1 and "letters, digits" in out.stderr


def test_the_server_store_answers_the_same_search(home, chroma_server):
    env = {"CLAIMCHECK_CHROMA_URL": chroma_server, "CLAIMCHECK_CHROMA_DATABASE": "cli-test"}
    out = run(home, "search", "Trust comes from peers", "--k", "1", "--json", env=env)
    assert out.returncode == 0, out.stderr
    assert "Trust comes from peers" in json.loads(out.stdout)[0]["text"]
