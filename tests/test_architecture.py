"""The data flow runs one way (issue 7): inputs -> domain -> standards/requirements -> model ->
verifier -> outputs, with the CLI a thin layer on top. These tests read every module's imports
(module level and inside functions) and keep it so."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "scheduler"


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, top_level_only: bool = False) -> set[str]:
    """Absolute names of the scheduler/constraints modules a file imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = _module_name(path)
    package = here if path.name == "__init__.py" else here.rsplit(".", 1)[0]
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found: set[str] = set()
    for node in nodes:
        if top_level_only and isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue  # annotations only: no import at run time
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            found.add(mod)
            found |= {f"{mod}.{a.name}" for a in node.names}
    return {m for m in found if m.split(".")[0] in ("scheduler", "constraints")}


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _importers_of(prefix: str) -> dict[str, set[str]]:
    return {name: {m for m in _imports(path) if m == prefix or m.startswith(prefix + ".")}
            for name, path in MODULES.items()}


def _outside(name: str, *prefixes: str) -> bool:
    return not any(name == p or name.startswith(p + ".") for p in prefixes)


def test_nothing_but_the_cli_imports_the_cli():
    offenders = {n: m for n, m in _importers_of("scheduler.cli").items() if m and _outside(n, "scheduler.cli")}
    assert offenders == {}


def test_the_verifier_never_imports_the_model_or_the_planners():
    # it shares definitions (requirements, policy, routes), never the model's reasoning
    imported = _imports(MODULES["scheduler.verifier"])
    assert not {m for m in imported if m.startswith(("scheduler.model", "scheduler.plan", "scheduler.edf"))}


@pytest.mark.parametrize("layer, forbidden", [
    ("scheduler.model", ("scheduler.outputs", "scheduler.writing", "scheduler.pipeline", "scheduler.cli",
                         "scheduler.verifier", "scheduler.edf", "scheduler.authority")),
    ("scheduler.outputs", ("scheduler.model", "scheduler.plan", "scheduler.pipeline", "scheduler.cli")),
    ("scheduler.inputs", ("scheduler.model", "scheduler.plan", "scheduler.outputs", "scheduler.requirements")),
    ("scheduler.requirements", ("scheduler.model", "scheduler.outputs", "scheduler.inputs", "scheduler.verifier")),
    ("scheduler.standards", ("scheduler.model", "scheduler.outputs", "scheduler.inputs", "scheduler.requirements")),
    ("scheduler.domain", ("scheduler.",)),
    ("scheduler.calendar", ("scheduler.",)),
])
def test_layers_import_only_downwards(layer, forbidden):
    for name, path in MODULES.items():
        if _outside(name, layer):
            continue
        bad = {m for m in _imports(path) if any(m == f.rstrip(".") or m.startswith(f if f.endswith(".") else f + ".")
                                                 or m == f for f in forbidden)}
        assert not bad, f"{name} imports {sorted(bad)}"


def test_the_standards_folder_is_data():
    code = [p for p in (ROOT / "constraints").rglob("*.py") if p.read_text(encoding="utf-8").strip()
            and any(isinstance(n, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.ClassDef))
                    for n in ast.walk(ast.parse(p.read_text(encoding="utf-8"))))]
    assert code == []


def test_no_import_cycles_at_module_level():
    graph = {name: {m for m in _imports(path, top_level_only=True) if m in MODULES and m != name}
             for name, path in MODULES.items()}
    # a package's __init__ importing its own submodules is not a cycle of the data flow
    for name in graph:
        graph[name] = {m for m in graph[name] if not m.startswith(name + ".")}
    seen: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        seen[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if seen.get(nxt) == 1:
                cycle = stack[stack.index(nxt):] + [nxt]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if nxt not in seen:
                visit(nxt)
        stack.pop()
        seen[node] = 2

    for name in sorted(graph):
        if name not in seen:
            visit(name)
