"""The layers import each other one way only (README "Layout").

The graph is read from the source (ast), module-level imports only: an import inside a function
runs on use and is how a lower layer may reach an optional upper one (e.g. the converter's
``--model``). Each subpackage also imports on its own in a fresh interpreter.
"""
import ast
import subprocess
import sys
from pathlib import Path

import pytest

from tests.oracle.harness import REPO

PACKAGE = Path(REPO) / "gluonbridge"
SUBPACKAGES = sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists())
#: (lower, upper): nothing in ``lower`` imports ``upper`` at module level
LAYERED = [("naming", "gluon"), ("naming", "backend"), ("naming", "translate"),
           ("naming", "checkpoint"), ("checkpoint", "gluon"), ("translate", "gluon"),
           ("translate", "backend")]


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _module_level_imports(tree):
    """Import statements not inside a function or class body."""
    stack = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        elif isinstance(node, (ast.If, ast.Try, ast.With)):
            for field in ("body", "orelse", "finalbody", "handlers"):
                stack.extend(getattr(node, field, []))
        elif isinstance(node, ast.ExceptHandler):
            stack.extend(node.body)


def _imported(module: str, is_package: bool, node) -> list:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = module if is_package else module.rpartition(".")[0]
    for _ in range(node.level - 1):
        base = base.rpartition(".")[0]
    target = (f"{base}.{node.module}" if node.module else base) if node.level else node.module
    return [target] + [f"{target}.{alias.name}" for alias in node.names]


def _subpackage(module: str):
    parts = module.split(".")
    if parts[0] == "gluonbridge" and len(parts) > 1 and parts[1] in SUBPACKAGES:
        return parts[1]
    return None


def package_graph() -> dict:
    """subpackage -> {subpackage it imports at module level: [(module, imported)]}."""
    graph = {}
    for path in PACKAGE.rglob("*.py"):
        module = _module_name(path)
        source = _subpackage(module)
        if source is None:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in _module_level_imports(tree):
            for target in _imported(module, path.name == "__init__.py", node):
                dest = _subpackage(target)
                if dest is not None and dest != source:
                    graph.setdefault(source, {}).setdefault(dest, []).append((module, target))
    return graph


def _reaches(graph, start, goal) -> list:
    """A path of subpackages from ``start`` to ``goal`` (module-level imports), or []."""
    paths, seen = [[start]], {start}
    while paths:
        path = paths.pop()
        for nxt in graph.get(path[-1], {}):
            if nxt == goal:
                return path + [nxt]
            if nxt not in seen:
                seen.add(nxt)
                paths.append(path + [nxt])
    return []


def test_the_walk_sees_the_imports_it_checks():
    graph = package_graph()
    assert "naming" in graph["gluon"] and "checkpoint" in graph["translate"]


@pytest.mark.parametrize("lower,upper", LAYERED)
def test_lower_layer_does_not_import_upper(lower, upper):
    graph = package_graph()
    path = _reaches(graph, lower, upper)
    where = [graph[a][b][0] for a, b in zip(path, path[1:])]
    assert not path, f"gluonbridge.{lower} reaches gluonbridge.{upper}: {path} via {where}"


def test_no_cycle_between_gluon_and_checkpoint_or_naming():
    graph = package_graph()
    for a, b in [("gluon", "checkpoint"), ("gluon", "naming"), ("backend", "naming"),
                 ("gluon", "translate")]:
        assert not (_reaches(graph, a, b) and _reaches(graph, b, a)), (a, b)


@pytest.mark.parametrize("name", SUBPACKAGES)
def test_subpackage_imports_in_a_fresh_interpreter(name):
    proc = subprocess.run([sys.executable, "-c", f"import gluonbridge.{name}"],
                          capture_output=True, text=True, cwd=REPO)
    assert proc.returncode == 0, proc.stderr
