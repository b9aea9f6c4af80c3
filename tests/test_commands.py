"""`claimcheck ask`, `data` and `eval` as a user runs them."""
from __future__ import annotations

import json

import pytest

from .conftest import CORPUS
from .test_cli import run

SAMPLES = CORPUS / "samples"


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    return tmp_path_factory.mktemp("commands-home")


def test_ask_json_prints_one_object_with_the_contract(home):
    out = run(home, "ask", "Should we invest in brand conversation here?", "--json")
    assert out.returncode == 0, out.stderr
    d = json.loads(out.stdout)
    assert d["verdict"] in ("unsupported", "leans_unsupported") and d["evidence"][0]["id"] == "E1"


def test_ask_prints_markdown_and_the_evidence_list(home):
    out = run(home, "ask", "Do people trust their peers more than brands?")
    assert out.returncode == 0
    assert out.stdout.startswith("**Verdict:") and "Evidence:" in out.stdout and "[E1]" in out.stdout


def test_ask_with_data_adds_the_export_and_cites_it(home):
    out = run(home, "ask", "Looking at our own numbers, should we spend more on brand conversation on social media?",
              "--json", "--workspace", "lag", "--data", str(SAMPLES / "lagged_effect_weekly.csv"))
    assert out.returncode == 0, out.stderr
    d = json.loads(out.stdout)
    data = [e for e in d["evidence"] if e["kind"] == "company_data"]
    assert data and data[0]["quote"].startswith("In your data") and data[0]["start"] == 0


def test_batch_answers_each_line_in_order_with_its_own_workspace_and_data(home, tmp_path):
    batch = tmp_path / "batch.jsonl"
    lines = [
        {"id": "a", "question": "Looking at our own numbers, should we spend more on brand conversation on social media?",
         "workspace": "batch-flat", "data": [str(SAMPLES / "no_effect_weekly.csv")]},
        {"id": "b", "question": "What stages does a buyer go through?"},
        {"id": "c"},
        {"id": "d", "question": "Does engagement build loyalty?", "workspace": "batch-flat"},
    ]
    batch.write_text("\n".join(json.dumps(x) for x in lines) + "\nnot json\n", encoding="utf-8")
    out = run(home, "ask", "--json", "--batch", str(batch))
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["a", "b", "c", "d", None]
    assert any(e["kind"] == "company_data" for e in rows[0]["evidence"])
    assert rows[1]["verdict"] is None
    assert "line" in rows[2]["error"] or ":3:" in rows[2]["error"]
    assert ":5:" in rows[4]["error"] and "JSON" in rows[4]["error"]
    assert out.returncode == 1


def test_data_add_list_show_remove(home):
    out = run(home, "data", "add", str(SAMPLES / "messy_wide_monthly.csv"), "--workspace", "cli-data")
    assert out.returncode == 0, out.stderr
    assert "problem: row" in out.stdout and "finding: In your data" in out.stdout
    assert "messy_wide_monthly.csv" in run(home, "data", "list", "--workspace", "cli-data").stdout
    shown = run(home, "data", "show", "--workspace", "cli-data").stdout
    assert "method:" in shown and "caveat:" in shown
    assert run(home, "data", "remove", "messy_wide_monthly.csv", "--workspace", "cli-data").returncode == 0
    assert "messy_wide_monthly.csv" not in run(home, "data", "list", "--workspace", "cli-data").stdout


def test_a_mapping_override_is_applied_and_a_bad_one_explained(home):
    bad = run(home, "data", "add", str(SAMPLES / "no_effect_weekly.csv"), "--workspace", "map",
              "--map", "nonexistent=orders")
    assert bad.returncode == 1 and "nonexistent" in bad.stderr and "Traceback" not in bad.stderr
    assert run(home, "data", "list", "--workspace", "map").stdout.strip() == ""


def test_eval_scores_a_question_set(home, tmp_path):
    qs = [json.loads(line) for line in (CORPUS / "eval" / "questions.jsonl").read_text().splitlines()[:6]]
    small = tmp_path / "qs.jsonl"
    small.write_text("\n".join(json.dumps(q) for q in qs), encoding="utf-8")
    out = run(home, "eval", str(small), "--json")
    assert out.returncode == 0, out.stderr
    r = json.loads(out.stdout)
    assert r["questions"] == 6 and r["dangling_citations"] == 0
    assert r["quotes_verbatim"]["hit"] == r["quotes_verbatim"]["total"] > 0
    assert r["baseline"]["gold_in_top4"]["total"] == r["gold_cited"]["total"]
    assert r["latency_ms"]["p50"] > 0 and r["latency_ms"]["floor_p50"] > 0


def test_data_show_json_describes_the_file_its_columns_problems_and_findings(home):
    """The documented schema; a wide file's columns carry their channel, rates are fractions."""
    added = run(home, "data", "add", str(SAMPLES / "messy_wide_monthly.csv"), "--workspace", "cli-json", "--json")
    assert added.returncode == 0, added.stderr
    out = run(home, "data", "show", "messy_wide_monthly.csv", "--workspace", "cli-json", "--json")
    assert out.returncode == 0, out.stderr
    shown = json.loads(out.stdout)
    assert shown == json.loads(added.stdout), "add --json and show --json print the same"
    assert set(shown) == {"file", "layout", "grain", "rows_used", "rows_total", "columns", "problems", "findings"}
    assert (shown["file"], shown["layout"], shown["grain"]) == ("messy_wide_monthly.csv", "wide", "month")
    assert shown["rows_total"] == 31 and shown["rows_used"] == 29
    columns = {c["name"]: (c["role"], c["channel"]) for c in shown["columns"]}
    assert columns["Social Spend ($)"] == ("spend", "social") and columns["Search Spend ($)"] == ("spend", "search")
    assert columns["Month"] == ("date", None) and columns["Email Open Rate"] == (None, None)
    assert {(p["row"], p["column"]) for p in shown["problems"]} >= {(22, " Orders ")}
    for finding in shown["findings"]:
        assert set(finding) == {"id", "kind", "sentence", "numbers", "channels", "n", "method", "caveat"}
        assert all(isinstance(v, float) for v in finding["numbers"].values())
    kinds = {f["kind"]: f for f in shown["findings"]}
    assert kinds["lagged_correlation"]["channels"] == ["facebook"]
    by_channel = json.loads(run(home, "data", "add", str(SAMPLES / "no_effect_weekly.csv"), "--workspace",
                                "cli-json", "--json").stdout)
    kinds = {f["kind"]: f for f in by_channel["findings"]}
    assert {"email", "social"} <= set(kinds["cost_per_outcome"]["channels"])
    shares = kinds["spend_vs_outcome_share"]["numbers"]
    assert all(0 <= v <= 1 for k, v in shares.items() if k.endswith("_share")), "rates are fractions"
    missing = run(home, "data", "show", "nothing.csv", "--workspace", "cli-json", "--json")
    assert missing.returncode == 1 and "no data file 'nothing.csv'" in missing.stderr
