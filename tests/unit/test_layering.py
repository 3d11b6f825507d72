"""The layering of ARCHITECTURE.md holds: allowed imports only, no cycles, torch only in load().

The import graph is read statically (every ``import`` and ``from ... import`` in every module,
including those inside functions), so a lazy import that breaks the layering is caught too.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "diffreadout"
ROW = re.compile(r"^\| `(diffreadout[\w.]*)` \|[^|]*\| (.*) \|$")
NEVER = {"diffreadout.tui", "diffreadout.cli", "diffreadout.inputs"}
PURE = ("diffreadout.core", "diffreadout.model", "diffreadout.export")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@lru_cache(maxsize=1)
def _modules() -> dict[str, ast.Module]:
    return {_module_name(p): ast.parse(p.read_text(encoding="utf-8")) for p in sorted(PACKAGE.rglob("*.py"))}


def _imports(tree: ast.Module) -> Iterator[tuple[str, ast.stmt]]:
    """Every module an import statement names, with the statement."""
    modules = _modules()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                yield (full if full in modules else node.module), node


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {
        name: {target for target, _ in _imports(tree) if target in modules}
        for name, tree in modules.items()
    }


@lru_cache(maxsize=1)
def _table() -> dict[str, set[str]]:
    """ARCHITECTURE.md's table: package -> the packages it may import."""
    rows: dict[str, set[str]] = {}
    for line in (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8").splitlines():
        match = ROW.match(line.strip())
        if match:
            rows[match.group(1)] = {f"diffreadout.{name}" for name in re.findall(r"`([\w.]+)`", match.group(2))}
    return rows


def _row_of(module: str) -> str | None:
    for name in sorted(_table(), key=len, reverse=True):
        if module == name or module.startswith(name + "."):
            return name
    return None


def test_the_table_is_read() -> None:
    table = _table()
    assert "diffreadout.core.pipeline" in table and "diffreadout.tui" in table
    assert table["diffreadout.core.text"] == {"diffreadout.model", "diffreadout.config"}
    for allowed in table.values():
        assert allowed <= set(table), allowed - set(table)


def test_every_module_has_a_row() -> None:
    missing = [m for m in _modules() if m != "diffreadout" and _row_of(m) is None]
    assert not missing, f"add these to the table in ARCHITECTURE.md: {missing}"


def test_imports_follow_the_table() -> None:
    broken = []
    for module, targets in _graph().items():
        row = _row_of(module)
        if row is None:
            continue
        for target in targets:
            target_row = _row_of(target)
            if target == "diffreadout" or target_row == row or target_row in _table()[row]:
                continue
            broken.append(f"{module} imports {target}")
    assert not broken, "imports ARCHITECTURE.md does not allow:\n" + "\n".join(sorted(broken))


def test_core_model_and_export_never_import_front_ends_or_input() -> None:
    broken = [
        f"{module} imports {target}"
        for module, targets in _graph().items()
        if module.startswith(PURE)
        for target in targets
        if any(target == n or target.startswith(n + ".") for n in NEVER)
    ]
    assert not broken


def test_no_import_cycles() -> None:
    graph = _graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                item = stack.pop()
                component.append(item)
                if item == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    assert not cycles, cycles


def _enclosing_functions(tree: ast.Module) -> dict[ast.stmt, str]:
    out: dict[ast.stmt, str] = {}
    for func in ast.walk(tree):
        if isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for node in ast.walk(func):
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    out.setdefault(node, func.name)
    return out


def test_torch_only_inside_the_embedders_load() -> None:
    places = []
    for module, tree in _modules().items():
        inside = _enclosing_functions(tree)
        for target, node in _imports(tree):
            if target.split(".")[0] in {"torch", "sentence_transformers"}:
                places.append((module, inside.get(node)))
    assert places, "the real embedder imports torch somewhere"
    # load() and the device choice it calls; never at module level, never elsewhere.
    assert {module for module, _ in places} == {"diffreadout.core.similarity.embed"}
    assert {func for _, func in places} <= {"load", "_resolve_device"}


def test_textual_only_in_the_tui() -> None:
    outside = [
        module
        for module, tree in _modules().items()
        if not module.startswith("diffreadout.tui")
        for target, _ in _imports(tree)
        if target.split(".")[0] in {"textual", "rich"} and not module.startswith("diffreadout.cli")
    ]
    assert not outside, outside
