"""Spell ``mxnet.np`` / ``mxnet.npx`` in a module without clobbering a NumPy ``np``."""
from __future__ import annotations

import libcst as cst

from codemods.syntax import imported_from, module_binds


def mx_namespace(rule, name: str) -> cst.BaseExpression:
    """``mx.np`` through an existing ``import mxnet as mx``, else ``np`` (imported if free)."""
    imports = imported_from(rule.context.original)
    if imports.get(name) == f"mxnet.{name}":
        return cst.Name(name)
    for alias, path in imports.items():
        if path == "mxnet":
            return cst.Attribute(value=cst.Name(alias), attr=cst.Name(name))
    if not module_binds(rule.context.original, name):
        rule.context.needed_imports.add(("mxnet", name))
        return cst.Name(name)
    rule.context.needed_imports.add(("mxnet", f"{name} as mx_{name}"))
    return cst.Name(f"mx_{name}")
