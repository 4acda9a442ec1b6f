"""The house's shape: which package may import which, and what the renderers may reach.

Data flows one way (docs/how-it-works.md): kernel ← docker ← world ← dataplane
← shell ← session ← {render, verify, cli}, with errors, the scenario specs, the
Go templates and the result values underneath. A module may import its own
package or a package below it, never one above or beside it; the renderers
take values only, so nothing they reach imports the world, the session or
simpy. Imports under ``if TYPE_CHECKING:`` are for the type checker and are
not counted; imports inside functions are.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2] / "netsim"

# Lower numbers sit lower in the house; equal numbers may not import each other.
LAYERS: dict[str, int] = {
    "errors": 0,
    "gotemplate": 1,
    "scenario": 1,
    "results": 1,
    "kernel": 2,
    "docker": 3,
    "world": 4,
    "dataplane": 5,
    "shell": 6,
    "session": 7,
    "render": 8,
    "verify": 8,
    "console": 9,
    "batch": 9,
    "cli": 10,
    "__main__": 11,
}
# What the renderers must never reach, directly or through other modules.
RENDER_FORBIDDEN = ("netsim.world", "netsim.session", "netsim.runner")


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(ROOT.rglob("*.py"))}


MODULES = _modules()


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _runtime_imports(tree: ast.AST) -> list[str]:
    """Return the modules a tree imports at run time (module level or in functions)."""
    found: list[str] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
            found.extend(f"{node.module}.{alias.name}" for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def _netsim_imports(name: str) -> set[str]:
    """Return the netsim modules one module imports at run time, with their parent packages."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    out: set[str] = set()
    for imported in _runtime_imports(tree):
        if imported.split(".")[0] != "netsim":
            continue
        parts = imported.split(".")
        for end in range(1, len(parts) + 1):
            candidate = ".".join(parts[:end])
            if candidate in MODULES:
                out.add(candidate)
    out.discard(name)
    return out


def _imports_simpy(name: str) -> bool:
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    return any(i.split(".")[0] == "simpy" for i in _runtime_imports(tree))


def _package(name: str) -> str:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _upward_imports(graph: dict[str, set[str]]) -> list[str]:
    wrong = []
    for name, imported in graph.items():
        here = _package(name)
        if here == "__init__":
            continue
        for other in imported:
            there = _package(other)
            if there in (here, "__init__"):
                continue
            if LAYERS[there] >= LAYERS[here]:
                wrong.append(f"{name} imports {other} ({there} is not below {here})")
    return sorted(wrong)


def _package_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    edges: dict[str, set[str]] = {}
    for name, imported in graph.items():
        for other in imported:
            if _package(other) != _package(name):
                edges.setdefault(_package(name), set()).add(_package(other))
    cycles = []
    for start in sorted(edges):
        stack = [(start, [start])]
        while stack:
            node, path = stack.pop()
            for nxt in sorted(edges.get(node, ())):
                if nxt == start:
                    cycles.append([*path, start])
                elif nxt not in path:
                    stack.append((nxt, [*path, nxt]))
    return cycles


def _reach(graph: dict[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        name = todo.pop()
        for other in graph.get(name, ()):
            if other not in seen:
                seen.add(other)
                todo.append(other)
    return seen


GRAPH = {name: _netsim_imports(name) for name in MODULES}


def test_every_package_has_a_layer() -> None:
    packages = {_package(name) for name in MODULES} - {"__init__"}
    assert packages <= set(LAYERS), f"put {sorted(packages - set(LAYERS))} in LAYERS"


def test_no_module_imports_a_package_above_or_beside_its_own() -> None:
    assert _upward_imports(GRAPH) == []


def test_packages_import_each_other_without_circles() -> None:
    assert _package_cycles(GRAPH) == []


@pytest.mark.parametrize("name", sorted(n for n in MODULES if _package(n) == "render"))
def test_renderers_reach_no_world_session_or_simpy(name: str) -> None:
    reached = _reach(GRAPH, name) | {name}
    forbidden = sorted(m for m in reached if m.startswith(RENDER_FORBIDDEN))
    assert forbidden == [], f"{name} reaches {forbidden}"
    with_simpy = sorted(m for m in reached if _imports_simpy(m))
    assert with_simpy == [], f"{name} reaches modules importing simpy: {with_simpy}"


def test_the_checks_catch_an_upward_import_a_circle_and_a_simpy_reach() -> None:
    graph = {
        "netsim.kernel.x": {"netsim.docker.y"},
        "netsim.docker.y": {"netsim.kernel.x"},
        "netsim.render.z": {"netsim.results.run"},
        "netsim.results.run": {"netsim.session"},
    }
    assert _upward_imports(graph) == [
        "netsim.kernel.x imports netsim.docker.y (docker is not below kernel)",
        "netsim.results.run imports netsim.session (session is not below results)",
    ]
    assert ["docker", "kernel", "docker"] in _package_cycles(graph)
    assert "netsim.session" in _reach(graph, "netsim.render.z")
    assert _imports_simpy("netsim.dataplane.engine")


def test_type_checking_imports_are_not_counted() -> None:
    tree = ast.parse(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from netsim.world import World\n"
        "def f():\n    from netsim.session import replay\n"
    )
    assert _runtime_imports(tree) == [
        "typing",
        "typing.TYPE_CHECKING",
        "netsim.session",
        "netsim.session.replay",
    ]
