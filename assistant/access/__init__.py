"""Who may do what in a workspace: its members, their roles, and the one check the facade makes."""
from .members import Member, check_member, grant, list_members, revoke
from .roles import ROLES, Role, allows, role_of

__all__ = ["ROLES", "Member", "Role", "allows", "check_member", "grant", "list_members", "revoke", "role_of"]
