"""Uploads as a team makes them, on both stores: the same export twice counts once, overlapping
exports are not independent votes, a model's results become findings, the app's upload does not
wait on the media model, and the command line's JSON and export contracts hold."""
from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import CORPUS

SAMPLES = CORPUS / "samples"
CLI = str(Path(sys.executable).with_name("claimcheck"))


def test_the_same_export_under_another_name_is_stored_once(assistant_factory, tmp_path):
    a = assistant_factory()
    a.add_data(SAMPLES / "no_effect_weekly.csv", workspace="team")
    copy = tmp_path / "export (1).csv"
    copy.write_bytes((SAMPLES / "no_effect_weekly.csv").read_bytes())
    report = a.add_data(copy, workspace="team")
    assert report.file == "no_effect_weekly.csv" and "same content" in report.notes[0]
    assert [d.file for d in a.data_files("team")] == ["no_effect_weekly.csv"]
    assert len(a.findings("team")) == len(a.data_file("no_effect_weekly.csv", "team").findings)


def test_overlapping_exports_count_once_in_answers(assistant_factory, tmp_path):
    """Weeks 1-40 and weeks 13-52 of the same export share 28 weeks, all of the shorter file's span:
    of each kind of finding only the bigger file's is used in answers; both files stay listed."""
    a = assistant_factory()
    lines = (SAMPLES / "no_effect_weekly.csv").read_text(encoding="utf-8").splitlines()
    header, rows = lines[0], lines[1:]
    first, last = tmp_path / "jan-oct.csv", tmp_path / "apr-dec.csv"
    first.write_text("\n".join([header, *rows[:40 * 3]]) + "\n", encoding="utf-8")
    last.write_text("\n".join([header, *rows[12 * 3:50 * 3]]) + "\n", encoding="utf-8")
    a.add_data(first, workspace="team")
    report = a.add_data(last, workspace="team")
    assert report.overlaps == ["jan-oct.csv"] and any("count once" in n for n in report.notes)
    used = a.findings("team")
    topics = [(f.topic, tuple(f.channels)) for f in used]
    assert len(topics) == len(set(topics)), "no finding counted twice"
    assert {f.file for f in used} == {"jan-oct.csv"}, "the file with more rows (120 against 114) speaks"
    assert {d.file for d in a.data_files("team")} == {"jan-oct.csv", "apr-dec.csv"}


@pytest.mark.parametrize("sample, model", [("robyn_pareto_aggregated.csv", "Robyn"),
                                           ("meridian_summary_metrics.csv", "Meridian"),
                                           ("pymc_marketing_summary.csv", "PyMC-Marketing")])
def test_a_teams_own_model_results_become_findings_naming_the_model(assistant_factory, sample, model):
    a = assistant_factory()
    report = a.add_data(SAMPLES / sample, workspace="team")
    assert report.layout == "model results" and report.findings
    for f in report.findings:
        assert f.kind == "media_effect" and len(f.channels) == 1 and model in f.method
        assert {"roi", "roi_low", "roi_high"} <= set(f.numbers) or "contribution_share" in f.numbers
    assert "tv" in {f.channels[0] for f in report.findings}, "Robyn's tv_S is the channel tv"


def test_an_upload_in_the_app_does_not_wait_for_the_media_model(assistant_factory):
    """The file is listed with its quick findings at once; the media model's findings arrive after."""
    a = assistant_factory()
    data = (SAMPLES / "geo_media_weekly.csv").read_bytes()
    report = a.add_data_upload("geo.csv", data, "team")
    assert report.pending and not any(f.kind == "media_effect" for f in report.findings)
    assert [d.file for d in a.data_files("team")] == ["geo.csv"]
    deadline = time.time() + 240
    while a.fitting("team") and time.time() < deadline:
        time.sleep(0.5)
    stored = a.data_file("geo.csv", "team")
    assert not stored.pending
    effects = [f for f in stored.findings if f.kind == "media_effect"]
    assert sorted(f.channels[0] for f in effects) == ["channel0", "channel1", "channel2"]
    assert {f.id for f in effects} <= {f.id for f in a.findings("team")}, "answers can cite them"


def run(home: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "CLAIMCHECK_HOME": str(home), "HF_HUB_OFFLINE": "1"}
    env.pop("CLAIMCHECK_CHROMA_URL", None)
    return subprocess.run([CLI, *args], capture_output=True, text=True, env=env, timeout=300)


def test_data_show_json_contract_and_export_for_pymc_marketing_and_meridian(tmp_path):
    """One process for the whole contract: add (JSON), show (JSON), export (two formats)."""
    home = tmp_path / "home"
    sample = SAMPLES / "robyn_style_weekly.csv"
    added = run(home, "data", "add", str(sample), "--map", "newsletter=control", "--json")
    assert added.returncode == 0, added.stderr
    shown = run(home, "data", "show", sample.name, "--json")
    doc = json.loads(shown.stdout)
    assert doc == json.loads(added.stdout)
    assert set(doc) == {"file", "layout", "grain", "rows_used", "rows_total", "columns", "problems", "findings"}
    assert doc["grain"] == "week" and doc["rows_used"] == doc["rows_total"] == 156
    assert {"name": "tv_S", "role": "spend", "channel": "tv"} in doc["columns"]
    assert {"name": "newsletter", "role": "control", "channel": None} in doc["columns"]
    effects = [f for f in doc["findings"] if f["kind"] == "media_effect"]
    assert effects and all(set(f) == {"id", "kind", "sentence", "numbers", "channels", "n", "method", "caveat"}
                           for f in doc["findings"])
    for f in effects:
        assert len(f["channels"]) == 1
        assert {"contribution", "contribution_share", "roi", "roi_low", "roi_high"} <= set(f["numbers"])
        assert f["numbers"]["roi_low"] <= f["numbers"]["roi"] <= f["numbers"]["roi_high"]
        assert 0 <= f["numbers"]["contribution_share"] <= 1, "rates and shares are fractions"
    out = tmp_path / "pymc.csv"
    exported = run(home, "data", "export", str(sample), "--format", "pymc-marketing", "--output", str(out))
    assert exported.returncode == 0, exported.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(rows) == 156 and {"date_week", "tv_spend", "facebook_spend", "y", "competitor_sales_B"} <= set(rows[0])
    meridian = run(home, "data", "export", str(SAMPLES / "geo_media_weekly.csv"), "--format", "meridian")
    rows = list(csv.DictReader(io.StringIO(meridian.stdout)))
    assert len(rows) == 520 and {"geo", "time", "channel0_spend", "conversions", "population"} <= set(rows[0])
    dateless = run(home, "data", "export", str(SAMPLES / "facebook_posts.csv"))
    assert dateless.returncode == 1 and "Traceback" not in dateless.stderr and "no dates" in dateless.stderr
