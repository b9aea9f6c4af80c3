"""Roles and what each allows: viewer (ask and read), editor (also add and remove), owner (also members).

A signed-in caller's role in a workspace is the highest role any of its
entries gives them: their e-mail, or a group their identity provider says
they belong to.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from ..schema import Caller

Role = Literal["viewer", "editor", "owner"]
ROLES: tuple[Role, ...] = ("viewer", "editor", "owner")  # in rising order: each role can do what those before it can
GROUP_PREFIX = "group:"  # a member entry naming a group claim rather than one person


def rank(role: str) -> int:
    return ROLES.index(role)  # type: ignore[arg-type]


def role_of(entries: Iterable[tuple[str, str]], caller: Caller) -> Role | None:
    """The caller's highest role among (member, role) entries, or None when no entry names them."""
    names = {caller.email.strip().lower()} | {f"{GROUP_PREFIX}{g}".lower() for g in caller.groups}
    found = [role for member, role in entries if member.lower() in names and role in ROLES]
    return max(found, key=rank) if found else None  # type: ignore[return-value]


def allows(role: Role | None, need: Role) -> bool:
    return role is not None and rank(role) >= rank(need)
