"""A team's metrics as evidence, on both stores: verdicts follow the data,
workspaces never leak, removals and restarts behave."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.errors import NotFound, UnreadableData

from .conftest import CORPUS

SAMPLES = CORPUS / "samples"
CLI = str(Path(sys.executable).with_name("claimcheck"))
OWN_NUMBERS = "Looking at our own numbers, should we spend more on brand conversation on social media?"
SIDE = {"supported": 2, "leans_supported": 1, "contested": 0, "qualified": 0, "leans_unsupported": -1,
        "unsupported": -2}


def test_the_verdict_follows_what_each_teams_data_says(kb):
    kb.add_data(SAMPLES / "no_effect_weekly.csv", workspace="flat")
    kb.add_data(SAMPLES / "lagged_effect_weekly.csv", workspace="lagged")
    flat, lagged = kb.ask(OWN_NUMBERS, workspace="flat"), kb.ask(OWN_NUMBERS, workspace="lagged")
    assert flat.balance < lagged.balance and SIDE[flat.verdict] < SIDE[lagged.verdict]
    flat_data = [e for e in flat.evidence if e.kind == "company_data"]
    lagged_data = [e for e in lagged.evidence if e.kind == "company_data"]
    assert any(e.stance == "contradicts" and "did not" in e.quote for e in flat_data)
    assert any(e.stance == "supports" and "2 weeks later" in e.quote for e in lagged_data)
    assert "### What your data says" in lagged.answer and "holdout" in lagged.answer
    top = lagged.evidence[0]
    assert top.kind == "company_data" and top.weight >= max(e.weight for e in lagged.evidence if e.kind != "company_data")


def test_nothing_of_one_workspace_is_retrieved_listed_or_cited_in_another(kb, tmp_path):
    doc = tmp_path / "falcon-notes.md"
    doc.write_text("Falcon launch: our community forum doubled repeat purchases.\n", encoding="utf-8")
    kb.ingest([doc], workspace="falcon")
    kb.add_data(SAMPLES / "lagged_effect_weekly.csv", workspace="falcon")
    assert kb.data_files("falcon") and kb.findings("falcon")
    assert kb.data_files("heron") == [] and kb.findings("heron") == []
    assert "falcon-notes" not in {d.source_id for d in kb.documents("heron")}
    assert not any(h.passage.source_id == "falcon-notes" for h in kb.search("Falcon community forum", 20, "heron"))
    answer = kb.ask(OWN_NUMBERS, workspace="heron")
    assert not any(e.kind == "company_data" or e.source_id == "falcon-notes" for e in answer.evidence)
    assert "In your data" not in answer.answer


def test_removing_a_file_removes_its_findings(kb):
    kb.add_data(SAMPLES / "no_effect_weekly.csv", workspace="w1")
    assert kb.remove_data("no_effect_weekly.csv", workspace="w1") > 0
    assert kb.findings("w1") == [] and kb.data_files("w1") == []
    assert not any(e.kind == "company_data" for e in kb.ask(OWN_NUMBERS, workspace="w1").evidence)
    with pytest.raises(NotFound, match="no_effect_weekly.csv"):
        kb.remove_data("no_effect_weekly.csv", workspace="w1")


def test_a_rejected_upload_stores_nothing(kb, tmp_path):
    bad = tmp_path / "notes.csv"
    bad.write_text("name,comment\nann,hello\nbob,hi\n", encoding="utf-8")
    with pytest.raises(UnreadableData, match="notes.csv"):
        kb.add_data(bad, workspace="w2")
    assert kb.data_files("w2") == [] and kb.findings("w2") == []


def test_uploads_survive_a_restart(assistant_factory):
    """A new process (the CLI) on the same home or server still has the upload and its findings."""
    first = assistant_factory()
    first.ensure_ready()
    first.add_data(SAMPLES / "lagged_effect_weekly.csv", workspace="keep")
    env = {**os.environ, "CLAIMCHECK_HOME": str(first.settings.home)}
    env.pop("CLAIMCHECK_CHROMA_URL", None)
    if first.settings.chroma_url:
        env.update(CLAIMCHECK_CHROMA_URL=first.settings.chroma_url,
                   CLAIMCHECK_CHROMA_DATABASE=first.settings.chroma_database)
    out = subprocess.run([CLI, "data", "show", "--workspace", "keep"], capture_output=True, text=True, env=env,
                         timeout=300)
    assert out.returncode == 0, out.stderr
    assert "lagged_effect_weekly.csv" in out.stdout and "2 weeks later" in out.stdout


def test_uploading_the_same_file_again_replaces_its_findings(kb):
    kb.add_data(SAMPLES / "no_effect_weekly.csv", workspace="w3")
    n = len(kb.findings("w3"))
    kb.add_data(SAMPLES / "no_effect_weekly.csv", workspace="w3")
    assert len(kb.findings("w3")) == n and len(kb.data_files("w3")) == 1
