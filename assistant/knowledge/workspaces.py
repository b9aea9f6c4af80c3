"""Workspaces: each team's documents, data files and findings in collections
of their own, beside the shared, read-only essays.

Isolation is physical: a workspace's records live only in collections named
for it, so no query of another workspace can reach them.
"""
from __future__ import annotations

from typing import Literal

from ..errors import BadWorkspace
from ..settings import WORKSPACE_NAME
from .store import Store

PREFIX = "cc"
What = Literal["passages", "docs", "findings", "files", "members"]


def check_name(name: str) -> str:
    if not isinstance(name, str) or not WORKSPACE_NAME.match(name):
        raise BadWorkspace(
            f"workspace name {name!r} is not allowed: use 1-63 letters, digits, '-' or '_', starting with a letter or digit"
        )
    return name


def collection(workspace: str | None, what: What) -> str:
    """Chroma collection name for a scope: the shared essays or one workspace."""
    if workspace is None:
        return f"{PREFIX}-shared-{what}"
    return f"{PREFIX}-ws-{check_name(workspace)}-{what}"


def list_workspaces(store: Store) -> list[str]:
    """Workspaces that hold anything (documents, data files) or have members."""
    names = set()
    for name in store.collections():
        if name.startswith(f"{PREFIX}-ws-"):
            rest = name[len(PREFIX) + 4:]
            ws, _, what = rest.rpartition("-")
            if what in ("docs", "files", "members") and store.count(name) > 0:
                names.add(ws)
    return sorted(names)
