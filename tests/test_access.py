"""Workspace access: members by e-mail or group, roles viewer < editor < owner, checked on every facade call.

The command line (caller ``None``) is the administrator and checks no membership; a signed-in caller
(``Caller``) reaches a workspace only through its member list, which lives in the store beside the
workspace's documents (so every app process on a Chroma server shares it).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.access import allows, role_of
from assistant.errors import AccessDenied, BadInput
from assistant.facade import Assistant
from assistant.schema import Caller
from assistant.settings import Settings

ALICE = Caller("alice@example.com")
BOB = Caller("Bob@Example.com")
CAROL = Caller("carol@example.com", groups=("marketing",))
MALLORY = Caller("mallory@example.com", groups=("sales",))
MEMO = "# Community memo\n\nOur members' club raised repeat purchases: 41% of members bought again, against 27%.\n"


# -- roles, by hand --------------------------------------------------------------------------

def test_the_highest_role_any_entry_gives_is_the_callers_role():
    """Carol is a viewer by e-mail and an editor through group:marketing: she is an editor."""
    entries = [("carol@example.com", "viewer"), ("group:marketing", "editor"), ("alice@example.com", "owner")]
    assert role_of(entries, CAROL) == "editor"
    assert role_of(entries, MALLORY) is None
    assert role_of(entries, Caller("ALICE@example.com")) == "owner"  # e-mail case does not matter


@pytest.mark.parametrize("role, need, allowed", [
    ("viewer", "viewer", True), ("viewer", "editor", False), ("editor", "editor", True),
    ("editor", "owner", False), ("owner", "editor", True), (None, "viewer", False)])
def test_each_role_can_do_what_the_roles_below_it_can(role, need, allowed):
    assert allows(role, need) is allowed


# -- the facade, on both stores --------------------------------------------------------------

def test_a_workspace_without_members_is_closed_to_signed_in_users_but_open_to_the_command_line(assistant_factory):
    a = assistant_factory()
    a.ensure_ready()
    a.add_data(Path(a.settings.corpus_dir) / "samples" / "no_effect_weekly.csv", workspace="legacy")
    assert a.data_files("legacy")  # the command line sees it
    with pytest.raises(AccessDenied, match="not a member of workspace 'legacy'.*claimcheck access grant legacy"):
        a.data_files("legacy", caller=ALICE)
    assert "legacy" not in a.workspaces(caller=ALICE)
    with pytest.raises(AccessDenied, match="already exists"):  # nobody takes over a workspace by naming it
        a.create_workspace("legacy", caller=ALICE)
    a.grant("legacy", ALICE.email, "owner")  # the migration README describes
    assert [f.file for f in a.data_files("legacy", caller=ALICE)] == ["no_effect_weekly.csv"]


def test_viewers_read_editors_change_owners_manage_members(assistant_factory, tmp_path):
    a = assistant_factory()
    memo = tmp_path / "memo.md"
    memo.write_text(MEMO)
    assert a.create_workspace("emea", caller=ALICE) == "emea"
    assert a.members("emea", caller=ALICE)[0].role == "owner"
    a.grant("emea", BOB.email, "viewer", caller=ALICE)
    a.grant("emea", "group:marketing", "editor", caller=ALICE)

    with pytest.raises(AccessDenied, match="viewer of workspace 'emea' and may not add to or remove from it"):
        a.ingest([memo], workspace="emea", caller=BOB)
    report = a.ingest([memo], workspace="emea", caller=CAROL)  # an editor through her group
    assert report.files and not report.files[0].error
    assert [d.title for d in a.documents("emea", caller=BOB) if not d.shared] == ["Community memo"]
    hits = a.search("repeat purchases members club", workspace="emea", caller=BOB)
    assert any("41% of members" in h.passage.text for h in hits)
    with pytest.raises(AccessDenied, match="may not manage the members"):
        a.grant("emea", MALLORY.email, "owner", caller=CAROL)
    with pytest.raises(AccessDenied, match="not a member"):
        a.search("repeat purchases", workspace="emea", caller=MALLORY)
    with pytest.raises(AccessDenied):
        a.remove_document(a.documents("emea")[-1].source_id, workspace="emea", caller=BOB)

    assert a.workspaces(caller=BOB) == ["emea"] and a.workspaces(caller=MALLORY) == []
    assert a.revoke("emea", BOB.email, caller=ALICE) is True
    with pytest.raises(AccessDenied):
        a.documents("emea", caller=BOB)


def test_a_signed_in_owner_cannot_leave_a_workspace_without_an_owner(assistant_factory):
    a = assistant_factory()
    a.create_workspace("solo", caller=ALICE)
    with pytest.raises(AccessDenied, match="only owner"):
        a.revoke("solo", ALICE.email, caller=ALICE)
    with pytest.raises(AccessDenied, match="only owner"):
        a.grant("solo", ALICE.email, "viewer", caller=ALICE)
    a.grant("solo", BOB.email, "owner", caller=ALICE)
    assert a.revoke("solo", ALICE.email, caller=ALICE) is True
    assert [(m.member, m.role) for m in a.members("solo")] == [("bob@example.com", "owner")]


def test_a_member_must_be_an_email_or_a_group(assistant_factory):
    a = assistant_factory()
    for bad in ("bob", "group:", "a b@example.com", ""):
        with pytest.raises(BadInput, match="neither an e-mail address"):
            a.grant("emea", bad, "viewer")
    with pytest.raises(BadInput, match="not one of viewer, editor, owner"):
        a.grant("emea", "bob@example.com", "admin")


# -- the command line, as separate processes sharing one store ---------------------------------

def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "assistant.cli", *args], env=env, capture_output=True, text=True,
                          timeout=300)


@pytest.mark.parametrize("store_kind", ["embedded", pytest.param("server", marks=pytest.mark.server)])
def test_members_granted_from_the_command_line_are_seen_by_every_process(store_kind, tmp_path, request, embedder):
    env = {**os.environ, "CLAIMCHECK_HOME": str(tmp_path / "home"), "HF_HUB_OFFLINE": "1"}
    env.pop("CLAIMCHECK_CHROMA_URL", None)
    settings = {"home": tmp_path / "home"}
    if store_kind == "server":
        env["CLAIMCHECK_CHROMA_URL"] = request.getfixturevalue("chroma_server")
        env["CLAIMCHECK_CHROMA_DATABASE"] = f"access-{tmp_path.name[-20:].replace('_', '-')}"
        settings.update(chroma_url=env["CLAIMCHECK_CHROMA_URL"], chroma_database=env["CLAIMCHECK_CHROMA_DATABASE"])

    assert _cli(env, "access", "grant", "emea", "Alice@Example.com", "--role", "owner").returncode == 0
    assert _cli(env, "access", "grant", "emea", "group:marketing", "--role", "viewer").returncode == 0
    listed = _cli(env, "access", "list", "emea", "--json")
    assert json.loads(listed.stdout) == [{"member": "alice@example.com", "role": "owner"},
                                         {"member": "group:marketing", "role": "viewer"}]

    app = Assistant(Settings(**settings), _embedder=embedder)  # another process's view of the same store
    assert app.role("emea", caller=ALICE) == "owner" and app.role("emea", caller=CAROL) == "viewer"
    assert _cli(env, "access", "revoke", "emea", "group:marketing").returncode == 0
    assert app.role("emea", caller=CAROL) is None

    bad = _cli(env, "access", "grant", "emea", "bob", "--role", "viewer")
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    assert bad.stderr.strip() == ("claimcheck: error: member 'bob' is neither an e-mail address (alice@example.com) "
                                  "nor a group (group:marketing, matched against the sign-in provider's group claim)")
