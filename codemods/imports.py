"""Spell ``mxnet.gluon.<name>`` and ``compat.<name>`` in a module, adding the imports they need."""
from __future__ import annotations

import libcst as cst

from .syntax import imported_from


def framework(imports: dict) -> str:
    """The package a module takes Gluon from: ``gluonbridge`` (which mirrors MXNet's API) when it
    imports gluonbridge and not mxnet, else ``mxnet``. ``imports`` is ``imported_from(module)``."""
    roots = {path.split(".")[0] for path in imports.values()}
    return "gluonbridge" if "gluonbridge" in roots and "mxnet" not in roots else "mxnet"


def gluon_name(rule, name: str) -> cst.BaseExpression:
    """An expression for ``mxnet.gluon.<name>`` usable in the module ``rule`` is rewriting.

    Uses an existing ``gluon`` / ``mx`` / ``mxnet`` binding when there is one; otherwise asks
    for ``from mxnet.gluon import <name>`` (added once the rule has run, see AddImports). A
    module written against gluonbridge gets gluonbridge's spelling of the same names.
    """
    imports = imported_from(rule.context.original)
    root = framework(imports)
    if imports.get(name, "").endswith(f"gluon.{name}"):
        return cst.Name(name)
    for alias, path in imports.items():
        if path == f"{root}.gluon":
            return cst.Attribute(value=cst.Name(alias), attr=cst.Name(name))
        if path == root:
            return cst.parse_expression(f"{alias}.gluon.{name}")
    rule.context.needed_imports.add((f"{root}.gluon", name))
    return cst.Name(name)


#: the dual-version shims' module; dual code binds it as ``compat``
COMPAT_MODULE = "gluonbridge.compat"


def compat_name(rule, name: str) -> cst.Attribute:
    """``compat.<name>``, a dual-version shim (``--target dual``); ``from gluonbridge import
    compat`` if needed."""
    if imported_from(rule.context.original).get("compat") != COMPAT_MODULE:
        rule.context.needed_imports.add(tuple(COMPAT_MODULE.rsplit(".", 1)))
    return cst.Attribute(value=cst.Name("compat"), attr=cst.Name(name))


def compat_call(rule, name: str, *args: cst.Arg, like: cst.Call | None = None) -> cst.Call:
    """``compat.<name>(*args)``; in place of the call ``like``, keeping its parentheses and
    whitespace."""
    func = compat_name(rule, name)
    if like is None:
        return cst.Call(func=func, args=list(args))
    return like.with_changes(func=func, args=list(args))


def add_imports(module: cst.Module, needed: set) -> cst.Module:
    """Insert ``from <module> import <names>`` (``import <name>`` for module "") after the
    module's leading imports."""
    if not needed:
        return module
    grouped: dict = {}
    for source, name in sorted(needed):
        grouped.setdefault(source, []).append(name)
    statements = [cst.parse_statement(f"from {source} import {', '.join(names)}" if source
                                      else f"import {', '.join(names)}")
                  for source, names in grouped.items()]
    body = list(module.body)
    position = 0
    for index, statement in enumerate(body):
        if isinstance(statement, cst.SimpleStatementLine) and all(
                isinstance(s, (cst.Import, cst.ImportFrom)) or
                (isinstance(s, cst.Expr) and isinstance(s.value, cst.SimpleString))
                for s in statement.body):
            position = index + 1
        elif position:
            break
    return module.with_changes(body=[*body[:position], *statements, *body[position:]])
