"""N4, N7, N8: ``prefix=`` arguments to Gluon Blocks, and code that reads or forwards prefixes."""
from __future__ import annotations

import libcst as cst
import libcst.matchers as m

from .base import Level, Rule
from .blocks import block_verdict
from .imports import compat_call
from .scopes import ScopeTracking, is_super_init
from .syntax import dotted, keyword, names_in, string_value, without_keywords


def _prefix_level(value: cst.BaseExpression, dual: bool) -> Level:
    """SAFE for side-effect-free values; a call, or a read of an old ``.prefix``, is UNSAFE.

    The dual form still evaluates the value, so only the ``.prefix`` read (gone in 2.x) is UNSAFE.
    """
    if isinstance(value, cst.Attribute) and value.attr.value in ("prefix", "_prefix"):
        return Level.UNSAFE
    if dual:
        return Level.SAFE
    calls = m.findall(value, m.Call())
    if any(not (isinstance(c.func, cst.Attribute) and c.func.attr.value == "format") for c in calls):
        return Level.UNSAFE
    return Level.SAFE


def as_compat_kwargs(rule: Rule, arg: cst.Arg, function: str) -> cst.Arg:
    """``prefix=v`` -> ``**compat.<function>(v)`` in place (same comma, so comments stay)."""
    return arg.with_changes(keyword=None, equal=cst.MaybeSentinel.DEFAULT, star="**",
                            value=compat_call(rule, function, cst.Arg(arg.value)))


class DropPrefixArgument(ScopeTracking, Rule):
    """N4. The dual form keeps the 1.x names exactly (``prefix_kw`` is ``{}`` on 2.x), so code
    and checkpoints that depend on them keep working on 1.x."""

    id = "N4"
    level = Level.SAFE
    message = "2.x Blocks take no `prefix=` (names are structural): argument dropped"
    triggers = ("prefix",)
    dual = "`prefix=<value>` is `**compat.prefix_kw(<value>)` (1.x names kept, `{}` on 2.x)"

    def visit_Module(self, node):
        super().visit_Module(node)
        self.local_functions = {s.name.value for s in node.body if isinstance(s, cst.FunctionDef)}

    def leave_Call(self, original, updated):
        arg = keyword(updated, "prefix")
        if arg is None or is_super_init(updated):
            return updated
        verdict = block_verdict(updated.func, self.block_classes, self.imports)
        if verdict is False or dotted(updated.func) in self.local_functions:
            return updated      # not a Block (tempfile, ...), or a helper (rule N5)
        level = _prefix_level(arg.value, self.for_dual)
        text = "dual: " + self.dual if self.for_dual else self.message
        if verdict is None:
            level = Level.UNSAFE
            text += f"; the callee `{cst.Module([]).code_for_node(updated.func)}` is assumed " \
                    "to be a Gluon Block"
        if not self.allowed(level):
            self.warn(original, text, level=level)
            return updated
        if self.for_dual:
            self.record(original, text, level=level)
            return updated.with_changes(args=[as_compat_kwargs(self, a, "prefix_kw") if a is arg
                                              else a for a in updated.args])
        rewritten = without_keywords(updated, {"prefix"})
        if rewritten is None:
            self.warn(original, text + "; not removed, a comment would be lost",
                      level=Level.MANUAL)
            return updated
        self.record(original, text, level=level)
        self.context.dropped_names |= names_in(arg.value)
        return rewritten


class ForwardedPrefix(Rule):
    id = "N7"
    level = Level.MANUAL
    message = ("`prefix`/`params` looked up in keyword arguments: 2.x Blocks accept neither; "
               "remove the lookup (and what it feeds) by hand")
    triggers = ("'prefix'", '"prefix"', "'params'", '"params"')

    def visit_Subscript(self, node):
        if len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index) and \
                string_value(node.slice[0].slice.value) in ("prefix", "params") and \
                isinstance(node.value, cst.Name):
            self.warn(node)

    def visit_Module(self, node):
        # lookups that are `super().__init__` arguments (B1 drops them, or passes them on
        # through `compat` in dual-version code)
        self.passed_to_super: set = set()

    def visit_Call(self, node):
        if "B1" in self.context.enabled and (
                is_super_init(node) or dotted(node.func) in ("compat.prefix_kw", "compat.params_kw")):
            self.passed_to_super |= {a.value for a in node.args}
        func = node.func
        if node in self.passed_to_super or not isinstance(func, cst.Attribute) or \
                not isinstance(func.value, cst.Name):
            return
        if func.attr.value in ("get", "pop") and node.args and \
                string_value(node.args[0].value) in ("prefix", "params"):
            self.warn(node)
        elif func.attr.value == "update" and node.args and isinstance(node.args[0].value, cst.Dict):
            keys = {string_value(e.key) for e in node.args[0].value.elements
                    if isinstance(e, cst.DictElement)}
            if keys & {"prefix", "params"}:
                self.warn(node)


class PrefixRead(Rule):
    id = "N8"
    level = Level.MANUAL
    message = ("`.prefix` read: 2.x Blocks have no prefix (structural names such as "
               "`features.0.weight`); rewrite this use by hand")
    triggers = ("prefix",)
    dual = ("in dual-version code guard it as `getattr(blk, 'prefix', '')` where the value is "
            "only cosmetic (logging)")

    def visit_Attribute(self, node):
        if node.attr.value in ("prefix", "_prefix"):
            self.warn(node, f"{self.message}; {self.dual}" if self.for_dual else None)
