"""A workspace's member list, kept in the store beside its documents.

Stored as one small collection per workspace, so on a Chroma server every
app process and the administrator's command line see the same list.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import BadInput
from ..knowledge.store import Record, Store
from ..knowledge.workspaces import collection
from .roles import GROUP_PREFIX, ROLES, Role

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
GROUP = re.compile(r"^group:[A-Za-z0-9][A-Za-z0-9._:/@-]{0,127}$")
PLACEHOLDER_VECTOR = [1.0]  # member records are looked up by id, never by similarity


@dataclass(frozen=True)
class Member:
    member: str  # an e-mail address, or "group:NAME" for everyone whose group claim holds NAME
    role: Role


def check_member(member: str) -> str:
    """The member as stored (e-mails lower-cased), or BadInput saying what a member looks like."""
    member = (member or "").strip()
    if EMAIL.match(member):
        return member.lower()
    if GROUP.match(member):
        return GROUP_PREFIX + member[len(GROUP_PREFIX):]
    raise BadInput(f"member {member!r} is neither an e-mail address (alice@example.com) nor a group "
                   f"(group:marketing, matched against the sign-in provider's group claim)")


def check_role(role: str) -> Role:
    if role not in ROLES:
        raise BadInput(f"role {role!r} is not one of {', '.join(ROLES)}")
    return role  # type: ignore[return-value]


def list_members(store: Store, workspace: str) -> list[Member]:
    return sorted((Member(r.id, r.metadata["role"]) for r in store.get(collection(workspace, "members"))  # type: ignore[arg-type]
                   if r.metadata.get("role") in ROLES), key=lambda m: (-ROLES.index(m.role), m.member))


def grant(store: Store, workspace: str, member: str, role: str) -> Member:
    """Add a member, or change their role."""
    entry = Member(check_member(member), check_role(role))
    store.upsert(collection(workspace, "members"),
                 [Record(id=entry.member, text=entry.member, metadata={"role": entry.role},
                         embedding=PLACEHOLDER_VECTOR)])
    return entry


def revoke(store: Store, workspace: str, member: str) -> bool:
    """Remove a member; False when they were not one."""
    member = check_member(member)
    col = collection(workspace, "members")
    if not store.get(col, ids=[member]):
        return False
    store.delete(col, ids=[member])
    return True
