"""Ingestion, on both stores: incremental, atomic per file, isolated per workspace."""
from __future__ import annotations

import pytest

from assistant.errors import NotFound, ReadOnly


def test_a_fresh_home_gets_the_bundled_essays_on_first_use(assistant_factory):
    a = assistant_factory()
    hits = a.search("Does engagement build relationships?", k=3)
    assert hits, "search works right after install"
    titles = {d.title for d in a.documents()}
    assert "Customers Don’t Care About Us" in titles
    assert len([d for d in a.documents() if d.shared]) == 6


def test_ingesting_an_unchanged_file_again_embeds_nothing(kb, tmp_path):
    doc = tmp_path / "playbook.md"
    doc.write_text("# Playbook\n\nReferral codes beat banner ads for us. Customers share codes with friends.\n",
                   encoding="utf-8")
    first = kb.ingest([doc])
    assert first.files[0].status == "added" and first.embedded > 0
    again = kb.ingest([doc])
    assert again.files[0].status == "unchanged" and again.embedded == 0


def test_a_changed_file_replaces_its_old_passages(kb, tmp_path):
    doc = tmp_path / "playbook.md"
    doc.write_text("Banner ads brought nothing. Podcasts brought leads.\n", encoding="utf-8")
    kb.ingest([doc])
    doc.write_text("Banner ads brought nothing. Webinars brought leads.\n", encoding="utf-8")
    report = kb.ingest([doc])
    assert report.files[0].status == "updated"
    texts = [h.passage.text for h in kb.search("which channel brought leads", k=10)
             if h.passage.source_id == "playbook"]
    assert any("Webinars" in t for t in texts)
    assert not any("Podcasts" in t for t in texts)


def test_a_removed_document_is_gone_from_search(kb, tmp_path):
    doc = tmp_path / "memo.txt"
    doc.write_text("Our loyalty app drove repeat purchases among members.", encoding="utf-8")
    kb.ingest([doc])
    assert any(h.passage.source_id == "memo" for h in kb.search("loyalty app repeat purchases", k=5))
    assert kb.remove_document("memo") == 1
    assert not any(h.passage.source_id == "memo" for h in kb.search("loyalty app repeat purchases", k=5))
    with pytest.raises(NotFound, match="memo"):
        kb.remove_document("memo")


def test_the_bundled_essays_cannot_be_removed(kb):
    with pytest.raises(ReadOnly, match="read only"):
        kb.remove_document("customers-dont-care-about-us")


def test_a_failing_file_stores_nothing_and_the_batch_goes_on(kb, tmp_path):
    good = tmp_path / "good.md"
    good.write_text("Peer reviews settled most of our deals.\n", encoding="utf-8")
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.7 truncated")
    report = kb.ingest([bad, good])
    assert [f.status for f in report.files] == ["failed", "added"]
    assert "bad.pdf" in report.files[0].error
    ids = {d.source_id for d in kb.documents()}
    assert "good" in ids and "bad" not in ids


def test_a_folder_is_ingested_file_by_file(kb, tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.md").write_text("Alpha note about churn.\n", encoding="utf-8")
    (tmp_path / "docs" / "b.txt").write_text("Beta note about pricing.\n", encoding="utf-8")
    (tmp_path / "docs" / "image.png").write_bytes(b"\x89PNG")
    report = kb.ingest([tmp_path / "docs"])
    assert sorted(f.source_id for f in report.files) == ["a", "b"]


def test_documents_of_one_workspace_are_invisible_in_another(kb, tmp_path):
    doc = tmp_path / "secret-plan.md"
    doc.write_text("Zanzibar campaign: influencer seeding doubled trial sign-ups.\n", encoding="utf-8")
    kb.ingest([doc], workspace="team-a")
    assert any(h.passage.source_id == "secret-plan"
               for h in kb.search("Zanzibar influencer seeding", k=5, workspace="team-a"))
    assert not any(h.passage.source_id == "secret-plan"
                   for h in kb.search("Zanzibar influencer seeding", k=10, workspace="team-b"))
    assert "secret-plan" not in {d.source_id for d in kb.documents(workspace="team-b")}


def test_progress_is_reported_while_embedding(kb, tmp_path):
    doc = tmp_path / "long.md"
    doc.write_text("\n\n".join(f"Sentence number {i} about loyalty." for i in range(30)), encoding="utf-8")
    seen = []
    kb.ingest([doc], progress=lambda done, total, what: seen.append((done, total)))
    assert seen[0] == (0, 30) and seen[-1] == (30, 30) and len(seen) >= 2
