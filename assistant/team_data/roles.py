"""Decide which column plays which role, and which are left out.

Headers are read one by one (headers.py); here the readings meet: a --map
override beats a guess, the best-named column wins a role and the rest are
listed as unused, engagement parts (likes, comments, shares) are grouped to
be summed, "sales" becomes orders or revenue by its cells, and a column whose
cells are mostly not numbers is left out rather than poisoning the rows.
"""
from __future__ import annotations

import pandas as pd

from ..errors import BadMapping
from . import rules
from .cells import Numbers, as_text, is_missing, parse_dates, parse_numbers
from .headers import Guess, channel_label, guess

Groups = dict[tuple[str, str], list[tuple[Guess, Numbers]]]


def parse_role(value: str, column: str) -> tuple[str, str | None]:
    """"spend" or "spend:facebook" as (role, channel); BadMapping naming the roles for anything else."""
    role, _, channel = value.partition(":")
    role, channel = role.strip().lower(), channel.strip()
    if role not in rules.ROLES:
        raise BadMapping(f"unknown role '{role}' for column '{column}'; roles are: {', '.join(rules.ROLES)}")
    if channel and role not in rules.CHANNEL_ROLES:
        raise BadMapping(f"'{column}={value}': only a metric role takes a channel "
                         f"({', '.join(rules.METRIC_ROLES)}); write '{column}={role}'")
    return role, (channel_label(channel) if channel else None)


def resolve_mapping(mapping: dict[str, str], found: list[str]) -> dict[str, tuple[str, str | None]]:
    """Map override keys onto the file's real headers (exact, else ignoring case/punctuation)."""
    resolved: dict[str, tuple[str, str | None]] = {}
    for key, value in mapping.items():
        role_channel = parse_role(value, key)
        hits = [c for c in found if c == key] or [c for c in found if rules.norm(c) == rules.norm(key)]
        if len(hits) != 1:
            raise BadMapping(f"column '{key}' is not in the file; its columns are: {', '.join(found)}")
        resolved[hits[0]] = role_channel
    return resolved


def guesses_for(found: list[str], mapping: dict[str, tuple[str, str | None]]) -> list[Guess]:
    """Every column's reading, overrides first (rank -1 so they always win)."""
    out = []
    for column in found:
        g = guess(column)
        if column in mapping:
            role, channel = mapping[column]
            same = g.role == role
            g = Guess(column, role, channel or (g.channel if same else None), g.part if same else None, -1, False,
                      g.money_header, g.is_id and role not in rules.METRIC_ROLES)
        out.append(g)
    return out


def pick(guesses: list[Guess], role: str, notes: list[str]) -> Guess | None:
    """The best column for a single-column role; the others are noted as left unused."""
    options = sorted((g for g in guesses if g.role == role), key=lambda g: g.rank)
    if len(options) > 1:
        notes.append(f"Used '{options[0].column}' as the {role}; left "
                     + ", ".join(f"'{g.column}'" for g in options[1:]) + " unused.")
    return options[0] if options else None


def guess_date(raw: pd.DataFrame, guesses: list[Guess], notes: list[str]) -> Guess | None:
    """With no date header, the first unclaimed column whose cells read as dates."""
    for g in guesses:
        if g.role is None and not g.is_id:
            cells = as_text(raw[g.column])
            cells = cells[~is_missing(cells)]
            dates = parse_dates(cells)
            if len(cells) and dates.how != "Excel day numbers" and \
                    dates.values.notna().mean() >= rules.DATE_GUESS_SHARE:
                notes.append(f"No column is named like a date; used '{g.column}', whose cells are dates.")
                return Guess(g.column, "date")
    return None


def metric_columns(raw: pd.DataFrame, guesses: list[Guess], decimal_comma: bool, wide: bool,
                    notes: list[str]) -> tuple[Groups, list[str]]:
    """Parse metric columns and group them by (role, channel); returns groups and columns left out."""
    parsed: list[tuple[Guess, Numbers]] = []
    left: list[str] = []
    for g in guesses:
        if g.role not in rules.METRIC_ROLES:
            continue
        numbers = parse_numbers(raw[g.column], decimal_comma)
        filled = int((~is_missing(as_text(raw[g.column]))).sum())
        if filled and numbers.bad.sum() > filled / 2:
            example = as_text(raw[g.column])[numbers.bad].iloc[0]
            notes.append(f"'{g.column}' looked like {g.role} by its name, but most of its cells are not numbers "
                         f"(e.g. '{example}'); left it out.")
            left.append(g.column)
            continue
        if g.ambiguous_sales:
            role = "revenue" if numbers.money else "orders"
            notes.append(f"Read '{g.column}' as {role}: "
                         + ("its cells carry a currency symbol." if numbers.money else "a count of sales, as its cells carry no currency symbol."))
            g = Guess(g.column, role, g.channel, g.part, g.rank)
        parsed.append((g, numbers))
    groups: Groups = {}
    for g, numbers in parsed:
        key = (g.role or "", (g.channel if wide else None) or rules.ALL_CHANNELS)
        groups.setdefault(key, []).append((g, numbers))
    for key, members in list(groups.items()):
        whole = sorted((m for m in members if m[0].part is None), key=lambda m: m[0].rank)
        keep = whole[:1] if whole else members
        kept = {m[0].column for m in keep}
        dropped = [m[0].column for m in members if m[0].column not in kept]
        if dropped:
            left += dropped
            notes.append(f"Used '{keep[0][0].column}' for {key[0]}; left {', '.join(repr(d) for d in dropped)} unused.")
        elif len(keep) > 1:
            parts = [m[0].part or m[0].column for m in keep]
            notes.append(f"Summed {', '.join(parts[:-1])} and {parts[-1]} into engagements"
                         + (f" for {key[1]}." if key[1] != rules.ALL_CHANNELS else "."))
        groups[key] = keep
    return groups, left
