"""Spell ``mxnet.gluon.<name>`` in a module, adding the import it needs when nothing binds it."""
from __future__ import annotations

import libcst as cst

from codemods.syntax import imported_from


def gluon_name(rule, name: str) -> cst.BaseExpression:
    """An expression for ``mxnet.gluon.<name>`` usable in the module ``rule`` is rewriting.

    Uses an existing ``gluon`` / ``mx`` / ``mxnet`` binding when there is one; otherwise asks
    for ``from mxnet.gluon import <name>`` (added once the rule has run, see AddImports).
    """
    imports = imported_from(rule.context.original)
    if imports.get(name, "").endswith(f"gluon.{name}"):
        return cst.Name(name)
    for alias, path in imports.items():
        if path == "mxnet.gluon":
            return cst.Attribute(value=cst.Name(alias), attr=cst.Name(name))
        if path == "mxnet":
            return cst.parse_expression(f"{alias}.gluon.{name}")
    rule.context.needed_imports.add(("mxnet.gluon", name))
    return cst.Name(name)


def add_imports(module: cst.Module, needed: set) -> cst.Module:
    """Insert ``from <module> import <names>`` after the module's leading imports."""
    if not needed:
        return module
    grouped: dict = {}
    for source, name in sorted(needed):
        grouped.setdefault(source, []).append(name)
    statements = [cst.parse_statement(f"from {source} import {', '.join(names)}")
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
