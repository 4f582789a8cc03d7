"""Small libcst helpers shared by the rules: dotted names, call shapes, comment-safe argument removal."""
from __future__ import annotations

from typing import Optional, Sequence

import libcst as cst
import libcst.matchers as m


def dotted(node: cst.CSTNode) -> Optional[str]:
    """``self.features.add`` for an Attribute/Name chain, None for anything else."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = dotted(node.value)
        return f"{base}.{node.attr.value}" if base else None
    return None


def method_receiver(call: cst.CSTNode, method: str) -> Optional[cst.BaseExpression]:
    """The ``x`` of ``x.<method>(...)``, or None."""
    if (isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute)
            and call.func.attr.value == method):
        return call.func.value
    return None


def keyword(call: cst.Call, name: str) -> Optional[cst.Arg]:
    return next((a for a in call.args if a.keyword and a.keyword.value == name), None)


def has_comment(node: cst.CSTNode) -> bool:
    return bool(m.findall(node, m.Comment()))


def string_value(node: cst.CSTNode) -> Optional[str]:
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    if isinstance(node, cst.ConcatenatedString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def without_items(items: Sequence, drop: set) -> Optional[list]:
    """``items`` (Args or Params, each with a ``comma``) minus the indices in ``drop``.

    The item before a removed one takes over the removed one's comma, so trailing-comma and
    closing-paren layout stays as written. Returns None when a comment would be lost.
    """
    kept: list = []
    for index, item in enumerate(items):
        if index not in drop:
            kept.append(item)
            continue
        if has_comment(item.with_changes(comma=cst.MaybeSentinel.DEFAULT)):
            return None
        comma_has_comment = has_comment(item.comma) if isinstance(item.comma, cst.Comma) else False
        if not kept:
            if comma_has_comment:
                return None
            continue
        previous = kept[-1]
        previous_has_comment = (isinstance(previous.comma, cst.Comma)
                                and has_comment(previous.comma))
        if previous_has_comment and comma_has_comment:
            return None
        if not previous_has_comment:
            kept[-1] = previous.with_changes(comma=item.comma)
    return kept


def without_keywords(call: cst.Call, names: set) -> Optional[cst.Call]:
    """``call`` minus the keyword arguments in ``names``; None when a comment would be lost."""
    drop = {i for i, a in enumerate(call.args) if a.keyword and a.keyword.value in names}
    args = without_items(call.args, drop)
    return None if args is None else call.with_changes(args=args)


def module_binds(module: cst.Module, name: str) -> bool:
    """Is ``name`` bound at module level by an import, assignment, def or class?"""
    for statement in module.body:
        if isinstance(statement, (cst.FunctionDef, cst.ClassDef)) and statement.name.value == name:
            return True
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if isinstance(small, (cst.Import, cst.ImportFrom)) and not isinstance(
                    small.names, cst.ImportStar):
                for alias in small.names:
                    bound = alias.asname.name if alias.asname else alias.name
                    if dotted(bound).split(".")[0] == name:
                        return True
            if isinstance(small, cst.Assign):
                if any(isinstance(t.target, cst.Name) and t.target.value == name
                       for t in small.targets):
                    return True
    return False


def imported_from(module: cst.Module) -> dict:
    """Top-level names bound by imports -> the module path they come from ('.' marks relative)."""
    sources = {}
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if isinstance(small, cst.Import):
                for alias in small.names:
                    full = dotted(alias.name)
                    bound = alias.asname.name.value if alias.asname else full.split(".")[0]
                    sources[bound] = full
            elif isinstance(small, cst.ImportFrom) and not isinstance(small.names, cst.ImportStar):
                base = "." * len(small.relative) + (dotted(small.module) or "" if small.module else "")
                for alias in small.names:
                    bound = alias.asname.name.value if alias.asname else alias.name.value
                    sources[bound] = f"{base}.{alias.name.value}" if base else alias.name.value
    return sources


def names_in(node: cst.CSTNode) -> set:
    """Every identifier read in ``node``."""
    return {name.value for name in m.findall(node, m.Name())}
