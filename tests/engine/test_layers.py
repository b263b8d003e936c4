"""The engine's packages import each other in one direction only (DESIGN.md §2: arrows point down).

A cycle between packages is a seam in the wrong place — the worker reaching the agent through a late import,
the agent importing text helpers back from the worker — and it is what lets two modules quietly share a
record. The graph is read from the source with `ast`, imports inside functions included (a late import is
still an arrow).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[2] / "engine"

# No exceptions: key rotation, which walks every model, lives in engine/jobs above both models and security.
KNOWN_CYCLES: set[frozenset[str]] = set()


def _unit(path: Path) -> str:
    """The package (engine/agent/…) or top-level module (engine/db.py) a source file belongs to."""
    parts = path.relative_to(ENGINE).with_suffix("").parts
    return parts[0]


def _imported_units(tree: ast.AST) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
            if node.module == "engine":
                names = [f"engine.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            if name.startswith("engine."):
                yield name.split(".")[1]


def import_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in ENGINE.rglob("*.py"):
        unit = _unit(path)
        targets = graph.setdefault(unit, set())
        targets.update(t for t in _imported_units(ast.parse(path.read_text())) if t != unit)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """Strongly connected components of more than one unit (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[set[str]] = []

    def visit(unit: str) -> None:
        index[unit] = low[unit] = len(index)
        stack.append(unit)
        for target in graph.get(unit, ()):
            if target not in index:
                visit(target)
                low[unit] = min(low[unit], low[target])
            elif target in stack:
                low[unit] = min(low[unit], index[target])
        if low[unit] == index[unit]:
            component = set()
            while True:
                member = stack.pop()
                component.add(member)
                if member == unit:
                    break
            if len(component) > 1:
                found.append(component)

    for unit in sorted(graph):
        if unit not in index:
            visit(unit)
    return found


def test_no_import_cycle_between_engine_packages() -> None:
    found = {frozenset(c) for c in cycles(import_graph())}
    assert found - KNOWN_CYCLES == set()


def test_the_conversations_package_never_reaches_the_agent() -> None:
    """The worker gets the agent from engine/jobs; the queue, inbox and lifecycle never import it."""
    assert "agent" not in import_graph()["conversations"]


def test_only_the_entry_points_import_http_and_jobs() -> None:
    """http and jobs call services; no service calls them back (cli and __main__ start them)."""
    graph = import_graph()
    entry_points = {"cli", "__main__"}
    for top in ("http", "jobs"):
        assert sorted(u for u, targets in graph.items() if top in targets and u not in entry_points) == []


def test_the_graph_reader_sees_late_imports() -> None:
    tree = ast.parse("def f():\n    from engine.agent.pipeline import run_turn\n")
    assert list(_imported_units(tree)) == ["agent"]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [{"a", "b", "c"}]
