"""P1–P8: Parameters are created directly in 2.x (``self.params`` / ParameterDict are gone)."""
from __future__ import annotations

import libcst as cst
import libcst.matchers as m

from .base import Level, Rule
from .blocks import block_verdict
from .imports import compat_call, gluon_name
from .naming_prefix import as_compat_kwargs
from .scopes import ScopeTracking, is_super_init
from .syntax import dotted, keyword, string_value, without_keywords


def _params_call(node: cst.CSTNode, method: str) -> bool:
    """``<x>.params.<method>(...)``."""
    return (isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute)
            and node.func.attr.value == method and isinstance(node.func.value, cst.Attribute)
            and node.func.value.attr.value == "params")


def _self_attribute_target(assign: cst.Assign):
    """The attribute name of ``self.<attr> = …`` (a single target), else None."""
    if len(assign.targets) != 1:
        return None
    target = assign.targets[0].target
    if isinstance(target, cst.Attribute) and dotted(target.value) == "self":
        return target.attr.value
    return None


class _ParamsGetToParameter(Rule):
    """``self.<attr> = self.params.get(name, …)`` -> ``self.<attr> = Parameter(name, …)``."""

    level = Level.SAFE
    triggers = ("params.get(",)
    dual = ("`self.params.get(name, …)` is `compat.new_param(self, name, …)` (a bare 2.x "
            "`Parameter` is not collected on 1.9.1)")

    def applies_to(self, attribute: str, name_node: cst.BaseExpression) -> bool:
        raise NotImplementedError

    def leave_Assign(self, original, updated):
        attribute = _self_attribute_target(updated)
        call = updated.value
        if attribute is None or not _params_call(call, "get") or \
                dotted(call.func.value.value) != "self" or not call.args:
            return updated
        if not self.applies_to(attribute, call.args[0].value):
            return updated
        if self.for_dual:
            self.record(original, "dual: " + self.dual)
            return updated.with_changes(value=compat_call(
                self, "new_param", cst.Arg(cst.Name("self")), *call.args, like=call))
        parameter = gluon_name(self, "Parameter")
        self.record(original)
        return updated.with_changes(value=call.with_changes(func=parameter))


class ParamsGetSameName(_ParamsGetToParameter):
    id = "P1"
    message = "`self.params.get(…)` is `Parameter(…)` in 2.x (registered by the attribute)"

    def applies_to(self, attribute, name_node):
        return string_value(name_node) == attribute


class ParamsGetOtherName(_ParamsGetToParameter):
    id = "P2"
    message = ("`self.params.get(…)` is `Parameter(…)` in 2.x; its key is now the attribute "
               "name, not the 1.x `<prefix><name>`")

    def applies_to(self, attribute, name_node):
        value = string_value(name_node)
        return value is not None and value != attribute


class ParamsGetComputedName(_ParamsGetToParameter):
    id = "P5"
    message = ("`self.params.get(<computed name>, …)` is `Parameter(…)` in 2.x; the attribute "
               "name is the structural key")

    def applies_to(self, attribute, name_node):
        return string_value(name_node) is None


class ParamsGetConstant(Rule):
    id = "P3"
    level = Level.SAFE
    message = "`self.params.get_constant(name, value)` is `Constant(value)` in 2.x"
    triggers = ("get_constant",)
    dual = "`self.params.get_constant(name, value)` is `compat.new_const(self, name, value)`"

    def leave_Assign(self, original, updated):
        call = updated.value
        if _self_attribute_target(updated) is None or not _params_call(call, "get_constant"):
            return updated
        value = keyword(call, "value")
        positional = [a for a in call.args if a.keyword is None]
        if value is None and len(positional) == 2:
            value = positional[1]
        if value is None or len(call.args) != 2 or any(a.star for a in call.args):
            self.warn(original, self.message + "; arguments not understood, rewrite by hand",
                      level=Level.MANUAL)
            return updated
        if self.for_dual:
            self.record(original, "dual: " + self.dual)
            name = next(a for a in call.args if a is not value)
            positional = (a.with_changes(keyword=None, equal=cst.MaybeSentinel.DEFAULT)
                          for a in (name, value))
            return updated.with_changes(value=compat_call(
                self, "new_const", cst.Arg(cst.Name("self")), *positional, like=call))
        self.record(original)
        return updated.with_changes(value=cst.Call(
            func=gluon_name(self, "Constant"),
            args=[value.with_changes(keyword=None, equal=cst.MaybeSentinel.DEFAULT,
                                     comma=cst.MaybeSentinel.DEFAULT)]))


class ParamsLookup(Rule):
    """P4: ``params.get*`` whose result is not bound to ``self.<attr>`` (runs after P1–P3)."""

    id = "P4"
    level = Level.MANUAL
    message = ("`params.get(…)` not assigned to `self.<attr>`: in 2.x a Parameter is registered "
               "by becoming an attribute (or `setattr(self, name, …)`); a lookup becomes "
               "`getattr(block, name)`")
    triggers = ("params.get",)

    def visit_Module(self, node):
        self.creations: set = set()     # ``self.<attr> = self.params.get*(…)``: P1–P3 rewrite them

    def visit_Assign(self, node):
        if _self_attribute_target(node) is None or not isinstance(node.value, cst.Call):
            return
        method = dotted(node.value.func)
        rewriters = {"self.params.get": {"P1", "P2", "P5"}, "self.params.get_constant": {"P3"}}
        if rewriters.get(method, set()) <= self.context.enabled and method in rewriters:
            self.creations.add(node.value)

    def visit_Call(self, node):
        if node not in self.creations and (
                _params_call(node, "get") or _params_call(node, "get_constant")):
            self.warn(node)


class ParamsSharing(ScopeTracking, Rule):
    id = "P6"
    level = Level.UNSAFE
    message = ("`params=` sharing becomes `.share_parameters(…)`: 2.x shares by structural key, "
               "so both blocks must have the same structure")
    triggers = ("params",)
    dual = ("`Block(…, params=shared)` is `compat.share(Block(…, **compat.params_kw(shared)), "
            "shared)`: 1.x shares by prefixed name, 2.x by structural key")

    def leave_Call(self, original, updated):
        arg = keyword(updated, "params")
        if arg is None or is_super_init(updated) or dotted(updated.func) is None:
            return updated
        if dotted(updated.func).split(".")[-1] == "SymbolBlock":
            return updated      # SymbolBlock(outputs, inputs, params=…) keeps params in 2.x
        verdict = block_verdict(updated.func, self.block_classes, self.imports)
        if verdict is None:
            self.warn(original, "`params=` passed to a callee that does not look like a Gluon "
                                "Block; left alone: check it does not expect a 1.x ParameterDict",
                      severity="info", level=Level.MANUAL)
        if verdict is not True:
            return updated
        rewritten = without_keywords(updated, {"params"})
        if rewritten is None:
            self.warn(original, self.message + "; not rewritten, a comment would be lost",
                      level=Level.MANUAL)
            return updated
        if isinstance(arg.value, cst.Name) and arg.value.value == "None":
            self.record(original, "`params=None` dropped", level=Level.SAFE)
            return rewritten
        if not self.allowed():
            self.warn(original, self.dual if self.for_dual else None)
            return updated
        if self.for_dual:
            self.record(original, "dual: " + self.dual)
            block = updated.with_changes(args=[as_compat_kwargs(self, a, "params_kw") if a is arg
                                               else a for a in updated.args])
            return compat_call(self, "share", cst.Arg(block), cst.Arg(arg.value))
        self.record(original)
        return cst.Call(func=cst.Attribute(value=rewritten, attr=cst.Name("share_parameters")),
                        args=[cst.Arg(arg.value)])


class ParameterDictUse(Rule):
    id = "P7"
    level = Level.MANUAL
    message = ("`ParameterDict` does not exist in 2.x: use a plain dict keyed by structural "
               "names (tie weights with `dense.weight = other.weight` or `share_parameters`)")
    triggers = ("ParameterDict",)

    def visit_Name(self, node):
        if node.value == "ParameterDict":
            self.warn(node)


class DeferredShape(Rule):
    id = "P8"
    level = Level.MANUAL
    message = ("Parameter with a deferred shape: 2.x does no shape inference for custom blocks; "
               "implement `infer_shape(self, x, *args)` to set the unknown dimensions")
    triggers = ("allow_deferred_init",)

    def visit_Call(self, node):
        flag = keyword(node, "allow_deferred_init")
        if flag is not None and not m.matches(flag.value, m.Name("False")):
            self.warn(node)
