"""No import circles among the modules of saas/: every app flows one way.

Every import counts, at the top of a module or inside a function: a lazy
import hides a circle from Python, not from a reader. `tasks` modules sit on
top; nothing else in saas/ imports one (the engine and the services send to
actors by name through saas.queueing).
"""

from __future__ import annotations

import ast
from pathlib import Path

from .conftest import REPO


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_names(tree: ast.AST, module: str, is_package: bool) -> set[str]:
    """The fully qualified names that MODULE's imports may refer to."""
    names = set()
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                prefix = ".".join(base + ([node.module] if node.module else []))
            else:
                prefix = node.module or ""
            names.add(prefix)
            names.update(f"{prefix}.{alias.name}" for alias in node.names)
    return names


def import_graph(root: Path, top: str) -> dict[str, set[str]]:
    """Module -> the modules of TOP it imports (a name that is not a module is dropped)."""
    files = {module_name(root, p): p for p in (root / top).rglob("*.py")}
    graph = {}
    for module, path in files.items():
        tree = ast.parse(path.read_text(), str(path))
        targets = imported_names(tree, module, path.name == "__init__.py")
        graph[module] = {t for t in targets if t in files and t != module}
    return graph


def reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen, todo = set(), list(graph.get(start, ()))
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo.extend(graph.get(node, ()))
    return seen


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import one another, directly or not (more than one each)."""
    reach = {node: reachable(graph, node) for node in graph}
    groups = {
        tuple(sorted({node} | {other for other in reach[node] if node in reach[other]}))
        for node in graph
        if node in reach[node]
    }
    return sorted(list(group) for group in groups if len(group) > 1)


def test_saas_has_no_import_circles():
    graph = import_graph(REPO, "saas")
    assert len(graph) > 100  # the whole app was read
    assert circles(graph) == []


def test_nothing_below_the_tasks_modules_imports_them():
    graph = import_graph(REPO, "saas")
    offenders = sorted(
        f"{module} -> {target}"
        for module, targets in graph.items()
        for target in targets
        if target.endswith(".tasks")
        and not module.endswith(".tasks")
        # Web endpoints may hand a message to an actor directly: they are on top too.
        and module.rsplit(".", 1)[-1] not in ("webhooks", "views", "api")
    )
    assert offenders == []


def test_the_circle_check_finds_a_lazy_circle(tmp_path):
    """Guard against a vacuous check: a circle through a function-level import is found."""
    app = tmp_path / "pkg" / "app"
    app.mkdir(parents=True)
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (app / "__init__.py").write_text("")
    (app / "tasks.py").write_text("from . import pipeline\n")
    (app / "pipeline.py").write_text("from .jobs import claim\n")
    (app / "jobs.py").write_text("def claim():\n    from pkg.app import tasks\n")
    (app / "alone.py").write_text("import pkg.app.jobs\n")
    graph = import_graph(tmp_path, "pkg")
    assert circles(graph) == [["pkg.app.jobs", "pkg.app.pipeline", "pkg.app.tasks"]]
