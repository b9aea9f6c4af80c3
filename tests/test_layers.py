"""The architecture, checked: every import points down, no cycles, and the app reaches the package through the facade.

Layers, lowest first: the shared core (settings, errors, schema) < knowledge < access, team_data < answering <
onboarding, evaluation < facade < cli. A module may import its own layer's modules (within one subpackage)
and any lower layer, never a higher one; onboarding and evaluation stand side by side and import neither
each other. Pages in ui/ import only the facade, the schema, the errors and the settings.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "assistant"
LAYERS: dict[str, int] = {"settings": 0, "errors": 0, "schema": 0, "knowledge": 1, "access": 2, "team_data": 2, "answering": 3,
                          "onboarding": 4, "evaluation": 4, "facade": 5, "cli": 6, "": 7}
PAGE_IMPORTS = ("assistant.facade", "assistant.schema", "assistant.errors", "assistant.settings")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """Every module ``path`` imports, absolute, including imports inside functions."""
    me = module_name(path)
    package = me if path.name == "__init__.py" else me.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            submodules = {f"{target}.{alias.name}" for alias in node.names if is_module(f"{target}.{alias.name}")}
            found |= submodules if len(submodules) == len(node.names) else submodules | {target}
    return {name for name in found if name == "assistant" or name.startswith("assistant.")}


def is_module(name: str) -> bool:
    path = ROOT / Path(*name.split("."))
    return path.with_suffix(".py").exists() or path.is_dir()


def part(module: str) -> str:
    """The layer key of a module: its subpackage or top-level module ('' for the package itself)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_import_points_down(path):
    me = module_name(path)
    for target in imports(path):
        if target == "assistant" and me != "assistant":
            pytest.fail(f"{me} imports the package root; import the module it needs")
        mine, theirs = part(me), part(target)
        if mine == theirs or LAYERS[mine] == LAYERS[theirs] == 0:  # within a subpackage, or within the core
            continue
        assert LAYERS[theirs] < LAYERS[mine], f"{me} imports {target}: {theirs} is not below {mine}"


def test_there_is_no_import_cycle():
    graph = {module_name(p): {t for t in imports(p) if t != module_name(p)} for p in MODULES}
    graph = {m: {t for t in targets if t in graph} for m, targets in graph.items()}
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in graph[node]:
            if state.get(nxt) == 1:
                pytest.fail("import cycle: " + " -> ".join(trail[trail.index(nxt):] + [node, nxt])
                            if nxt in trail else f"import cycle through {node} -> {nxt}")
            if nxt not in state:
                visit(nxt, trail + [node])
        state[node] = 2

    for module in graph:
        if module not in state:
            visit(module, [])


@pytest.mark.parametrize("path", sorted((ROOT / "ui").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_pages_use_only_the_facade_schema_errors_and_settings(path):
    for target in imports(path):
        assert target == "assistant" or target.startswith(PAGE_IMPORTS), f"{path.name} imports {target}"


def test_the_rule_is_checked_on_something():
    """The checks above read real imports: the facade reaches every layer below it."""
    reached = {part(t) for t in imports(PACKAGE / "facade.py")}
    assert {"knowledge", "team_data", "answering", "onboarding", "evaluation", "schema"} <= reached
