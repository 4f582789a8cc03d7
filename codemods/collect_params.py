"""D1–D5, N9, N11: ``collect_params()`` is a plain dict in 2.x; its helpers moved to the Block."""
from __future__ import annotations

import re
from typing import Optional

import libcst as cst

from .base import Level, Rule
from .imports import compat_call
from .syntax import method_receiver, string_value

#: Parameter names local to a block; ``.*<name>`` selections keep working on structural keys.
LOCAL_PARAMETER_NAMES = ("weight", "bias", "gamma", "beta", "running_mean", "running_var",
                         "moving_mean", "moving_var", "alpha", "i2h_weight", "h2h_weight",
                         "i2h_bias", "h2h_bias", "h2r_weight")
_LOCAL_SELECTION = re.compile(r"\.\*_?(%s)\$?" % "|".join(LOCAL_PARAMETER_NAMES))


def collect_params_receiver(node: cst.CSTNode) -> Optional[cst.BaseExpression]:
    """The ``net`` of a bare ``net.collect_params()`` call (no selection)."""
    receiver = method_receiver(node, "collect_params")
    return receiver if receiver is not None and not node.args else None


def selection_is_structural(call: cst.Call) -> bool:
    """N10: every alternative of the literal selection is ``.*<local parameter name>``."""
    selection = string_value(call.args[0].value) if len(call.args) == 1 else None
    if selection is None:
        return False
    return all(_LOCAL_SELECTION.fullmatch(part) for part in selection.split("|"))


class _MoveToBlock(Rule):
    """``net.collect_params().<old>(…)`` -> ``net.<new>(…)``; dual: ``compat.<shim>(net, …)``
    where 1.9.1's Block lacks the method (``shim`` None: the 2.x form works on both)."""

    level = Level.SAFE
    triggers = ("collect_params",)
    old: str
    new: str
    shim = None

    def leave_Call(self, original, updated):
        inner = method_receiver(updated, self.old)
        receiver = collect_params_receiver(inner) if inner is not None else None
        if receiver is None:
            return updated
        if self.for_dual and self.shim:
            self.record(original, "dual: " + self.dual)
            return compat_call(self, self.shim, cst.Arg(receiver), *updated.args, like=updated)
        self.record(original)
        return updated.with_changes(func=updated.func.with_changes(
            value=receiver, attr=cst.Name(self.new)))


class InitializeOnBlock(_MoveToBlock):
    id, old, new = "D1", "initialize", "initialize"
    message = "`collect_params().initialize(…)` is `initialize(…)` on the Block"


class SetattrOnBlock(_MoveToBlock):
    id, old, new, shim = "D2", "setattr", "setattr", "set_param_attr"
    message = "`collect_params().setattr(…)` is `setattr(…)` on the Block in 2.x"
    dual = "`collect_params().setattr(k, v)` is `compat.set_param_attr(net, k, v)`"


class ResetDeviceOnBlock(_MoveToBlock):
    id, old, new, shim = "D3", "reset_ctx", "reset_device", "reset_ctx"
    message = "`collect_params().reset_ctx(…)` is `reset_device(…)` on the Block in 2.x"
    dual = "`collect_params().reset_ctx(c)` is `compat.reset_ctx(net, c)`"


class ZeroGradOnBlock(_MoveToBlock):
    id, old, new, shim = "D4", "zero_grad", "zero_grad", "zero_grad"
    message = "`collect_params().zero_grad()` is `zero_grad()` on the Block in 2.x"
    dual = "`collect_params().zero_grad()` is `compat.zero_grad(net)`"


class SelectedParametersLoop(Rule):
    """D5: ``net.collect_params('.*bias').setattr(k, v)`` -> a loop over the selected values."""

    id = "D5"
    level = Level.SAFE
    message = "ParameterDict helper on a selection becomes a loop over the selected Parameters"
    triggers = ("collect_params(",)
    _LOOPS = {
        "setattr": "for _param in {sel}.values():\n    setattr(_param, {args})\n",
        "initialize": "for _param in {sel}.values():\n    _param.initialize({args})\n",
        "zero_grad": "for _param in {sel}.values():\n    _param.zero_grad({args})\n",
    }

    def leave_SimpleStatementLine(self, original, updated):
        if len(updated.body) != 1 or not isinstance(updated.body[0], cst.Expr):
            return updated
        call = updated.body[0].value
        if not isinstance(call, cst.Call) or not isinstance(call.func, cst.Attribute):
            return updated
        selection = call.func.value
        if call.func.attr.value not in self._LOOPS or method_receiver(
                selection, "collect_params") is None or not selection.args:
            return updated
        if not selection_is_structural(selection):
            return updated      # N11 reports it
        args = list(call.args)
        if call.func.attr.value == "initialize" and args and args[0].keyword is None:
            args[0] = args[0].with_changes(keyword=cst.Name("default_init"),
                                           equal=cst.AssignEqual(
                                               whitespace_before=cst.SimpleWhitespace(""),
                                               whitespace_after=cst.SimpleWhitespace("")))
        if updated.trailing_whitespace.comment is not None:
            self.warn(original, self.message + "; not rewritten, its trailing comment would move",
                      level=Level.MANUAL)
            return updated
        code = cst.Module([]).code_for_node
        text = self._LOOPS[call.func.attr.value].format(
            sel=code(selection),
            args=", ".join(code(a.with_changes(comma=cst.MaybeSentinel.DEFAULT)) for a in args))
        self.record(original)
        return cst.parse_statement(text).with_changes(leading_lines=updated.leading_lines)


class NameDependentSelection(Rule):
    id = "N11"
    level = Level.MANUAL
    message = ("`collect_params({sel})` matches 1.x auto-generated names; under 2.x it selects "
               "nothing. Rewrite the selection against structural names (e.g. iterate over "
               "blocks of a type)")
    triggers = ("collect_params(",)

    def visit_Call(self, node):
        if method_receiver(node, "collect_params") is None or not node.args:
            return
        if selection_is_structural(node):
            return
        selection = cst.Module([]).code_for_node(node.args[0].value)
        self.warn(node, self.message.format(sel=selection), severity="error")


class PrefixedNameReads(Rule):
    id = "N9"
    level = Level.MANUAL
    message = ("reads 1.x parameter names (`dense0_weight`); 2.x keys are structural "
               "(`features.0.weight`): check this use")
    triggers = ("collect_params", "_collect_params_with_prefix", "_reg_params")

    def visit_Subscript(self, node):
        if method_receiver(node.value, "collect_params") is not None:
            self.warn(node)

    def visit_Call(self, node):
        inner = method_receiver(node, "keys")
        if inner is not None and method_receiver(inner, "collect_params") is not None:
            self.warn(node)

    def visit_Name(self, node):
        if node.value in ("_collect_params_with_prefix", "_reg_params"):
            self.warn(node, f"private `{node.value}` differs in 2.x (signature, structural "
                            "keys); check this use")
