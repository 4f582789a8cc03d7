"""N5, N6: parameters that only carried a prefix, left unused once the prefixes are gone.

These rules look at whole functions after the other rules ran, so they run as a second step
over the rewritten module (``apply``), and only when another rule dropped an argument that
read a parameter (``FileContext.dropped_names``).
"""
from __future__ import annotations

import ast
from typing import Iterator

import libcst as cst
import libcst.matchers as m

from .base import Level, Rule
from .blocks import project_block_classes
from .syntax import dotted, without_items


def functions(module: cst.Module) -> Iterator[tuple]:
    """((class name or None, function name), FunctionDef) for module functions and methods."""
    for statement in module.body:
        if isinstance(statement, cst.FunctionDef):
            yield (None, statement.name.value), statement
        elif isinstance(statement, cst.ClassDef) and isinstance(statement.body, cst.IndentedBlock):
            for inner in statement.body.body:
                if isinstance(inner, cst.FunctionDef):
                    yield (statement.name.value, inner.name.value), inner


def _parameter_names(function: cst.FunctionDef) -> set:
    params = function.params
    return {p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params)}


def _read_names(function: cst.FunctionDef) -> set:
    """Identifiers read in the body or defaults (via ``ast``: much faster than a libcst walk)."""
    tree = ast.parse(cst.Module([]).code_for_node(function.with_changes(decorators=[])))
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}


def _references(tree: ast.AST) -> dict:
    """name -> [plain calls ``name(…)``, ``self.name(…)`` calls, other references, starred calls]."""
    counts: dict = {}
    calls = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            starred = any(isinstance(a, ast.Starred) for a in node.args) or \
                any(k.arg is None for k in node.keywords)
            if isinstance(func, ast.Name):
                entry = counts.setdefault(func.id, [0, 0, 0, 0])
                entry[0] += 1
            elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and \
                    func.value.id == "self":
                entry = counts.setdefault(func.attr, [0, 0, 0, 0])
                entry[1] += 1
            else:
                continue
            entry[3] += starred
            calls.add(func)
        elif isinstance(node, (ast.Name, ast.Attribute)) and node not in calls:
            name = node.id if isinstance(node, ast.Name) else node.attr
            counts.setdefault(name, [0, 0, 0, 0])[2] += 1
    return counts


class _UnusedParameters(Rule):
    level = Level.UNSAFE
    whole_module = True
    triggers = ("prefix", "params")

    def wanted(self, key, names: set) -> set:
        """The parameters of ``key`` this rule is about, among ``names``."""
        raise NotImplementedError

    def removable(self, key, module) -> bool:
        return True

    def apply(self, module: cst.Module) -> cst.Module:
        dropped = self.context.dropped_names
        if not dropped:
            return module
        originals = dict(functions(self.context.original))
        targets = {}
        for key, function in functions(module):
            names = self.wanted(key, _parameter_names(function) & dropped)
            if not names or key not in originals:
                continue
            gone = (names - _read_names(function)) & _read_names(originals[key])
            if gone:
                targets[key] = gone
        removals = {}
        for key, gone in targets.items():
            listed = ", ".join(f"`{n}`" for n in sorted(gone))
            where = originals[key]
            if not self.removable(key, module):
                self.warn(where, f"parameter {listed} of `{key[1]}` is now unused (it only "
                                 "carried a 1.x prefix); remove it by hand", level=Level.MANUAL)
            elif not self.allowed():
                self.warn(where, f"parameter {listed} of `{key[1]}` is now unused")
            else:
                self.record(where, f"unused parameter {listed} of `{key[1]}` removed")
                removals[key] = gone
        if not removals:
            return module
        positional = {}
        for key, function in functions(module):
            names = [p.name.value for p in function.params.params]
            positional[key] = names[1:] if key[0] is not None else names
        return module.visit(_RemoveParameters(removals, positional, self.rewrites_calls))

    rewrites_calls = False


class _RemoveParameters(cst.CSTTransformer):
    """Drop parameters from definitions and (optionally) the matching call-site arguments."""

    def __init__(self, removals: dict, positional: dict, rewrite_calls: bool):
        super().__init__()
        self.removals = removals
        self.positional = positional     # key -> positional parameter names (without self)
        self.rewrite_calls = rewrite_calls
        self.classes: list = []

    def visit_ClassDef(self, node):
        self.classes.append(node.name.value)

    def leave_ClassDef(self, original, updated):
        self.classes.pop()
        return updated

    def _key(self, name: str):
        cls = self.classes[-1] if self.classes else None
        return (cls, name)

    def leave_FunctionDef(self, original, updated):
        gone = self.removals.get(self._key(updated.name.value))
        if not gone:
            return updated
        params = updated.params
        kept = without_items(params.params,
                             {i for i, p in enumerate(params.params) if p.name.value in gone})
        kwonly = without_items(params.kwonly_params, {i for i, p in enumerate(params.kwonly_params)
                                                      if p.name.value in gone})
        if kept is None or kwonly is None:
            return updated      # a comment would be lost; the finding already says "review"
        return updated.with_changes(params=params.with_changes(params=kept, kwonly_params=kwonly))

    def leave_Call(self, original, updated):
        if not self.rewrite_calls:
            return updated
        name = dotted(updated.func)
        if name is None:
            return updated
        key = (self.classes[-1] if self.classes else None, name[5:]) \
            if name.startswith("self.") else (None, name)
        gone = self.removals.get(key)
        positional = self.positional.get(key)
        if not gone or positional is None:
            return updated
        drop = {i for i, arg in enumerate(updated.args)
                if (arg.keyword is not None and arg.keyword.value in gone) or
                (arg.keyword is None and i < len(positional) and positional[i] in gone)}
        args = without_items(updated.args, drop)
        return updated if args is None else updated.with_changes(args=args)


class UnusedHelperParameter(_UnusedParameters):
    """N5: private helpers (``_make_layer(…, prefix)``) lose the parameter and its arguments."""

    id = "N5"
    message = "helper parameter that only carried a prefix removed, with its call-site arguments"
    rewrites_calls = True

    def wanted(self, key, names):
        return set() if key[1] == "__init__" else names

    def removable(self, key, module) -> bool:
        """Private, and every reference in the module is a plain call without ``*``/``**``."""
        cls, name = key
        if not name.startswith("_") or name.startswith("__"):
            return False
        if self._counts is None:
            self._counts = _references(ast.parse(self.context.source))
        plain, through_self, other, starred = self._counts.get(name, [0, 0, 0, 0])
        return not other and not starred and not (through_self if cls is None else plain)

    _counts = None


class UnusedBlockInitParameter(_UnusedParameters):
    """N6: ``def __init__(self, …, prefix=None, params=None)`` of a Block, once nothing reads them."""

    id = "N6"
    message = "`prefix`/`params` parameters of a Block `__init__` removed (callers may pass them)"
    targets = ("mx2",)          # dual-version code keeps accepting them (1.x callers pass them)

    def wanted(self, key, names):
        blocks = self.context.options.block_classes | project_block_classes([self.context.source])
        if key[1] != "__init__" or key[0] not in blocks:
            return set()
        return names & {"prefix", "params"}
