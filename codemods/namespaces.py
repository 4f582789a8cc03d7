"""Spell ``mxnet.np`` / ``mxnet.npx`` in a module without clobbering a NumPy ``np``."""
from __future__ import annotations

import libcst as cst

from .imports import framework
from .syntax import imported_from, module_binds


def mx_namespace(rule, name: str) -> cst.BaseExpression:
    """``mx.np`` through an existing ``import mxnet as mx``, else ``np`` (imported if free)."""
    imports = imported_from(rule.context.original)
    root = framework(imports)
    if imports.get(name) == f"{root}.{name}":
        return cst.Name(name)
    for alias, path in imports.items():
        if path == root:
            return cst.Attribute(value=cst.Name(alias), attr=cst.Name(name))
    if not module_binds(rule.context.original, name):
        rule.context.needed_imports.add((root, name))
        return cst.Name(name)
    rule.context.needed_imports.add((root, f"{name} as mx_{name}"))
    return cst.Name(f"mx_{name}")
