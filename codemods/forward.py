"""F1–F5, B3 (opt-in group "forward"): ``hybrid_forward(self, F, x, …)`` -> ``forward(self, x)``.

Dual-version code (``--target dual``) cannot have one definition for both versions: 1.9.1's
``HybridBlock.forward`` is the dispatcher that calls ``hybrid_forward`` (overriding it loses
hybridization), and 2.x refuses a HybridBlock that defines ``hybrid_forward``. So F1 writes a
version-conditional class body: the migrated ``forward`` under ``if compat.IS_MX2:`` and the
original ``hybrid_forward``, untouched, under ``else:``. Definitions already inside such a branch
are left alone by every forward rule.
"""
from __future__ import annotations

from typing import Optional

import libcst as cst
import libcst.matchers as m

from .base import Level, Rule
from .forward_ops import CONCAT_DEFAULT_AXIS, OPS
from .imports import compat_name
from .namespaces import mx_namespace
from .scopes import ClassTracking
from .syntax import dotted, keyword, without_items


def f_name(function: cst.FunctionDef) -> Optional[str]:
    """The name of the ``F`` parameter of a ``hybrid_forward(self, F, …)`` definition."""
    params = function.params.params
    if function.name.value != "hybrid_forward" or len(params) < 2:
        return None
    return params[1].name.value


def _uses(body: cst.CSTNode, name: str) -> list:
    return m.findall(body, m.Name(name))


def _unmapped_uses(body: cst.CSTNode, name: str) -> list:
    """Uses of ``F`` other than ``F.<op>`` with an op of the F2 table (F2 rewrites or warns)."""
    mapped = {a.value for a in m.findall(body, m.Attribute(value=m.Name(name)))
              if a.attr.value in OPS or a.attr.value in ("np", "npx")}
    return [n for n in _uses(body, name) if n not in mapped]


def _registered_parameters(cls: cst.ClassDef) -> set:
    """Attributes of ``cls`` assigned a Parameter/Constant (1.x injects these by name)."""
    names = set()
    for assign in m.findall(cls, m.Assign()):
        target = assign.targets[0].target if len(assign.targets) == 1 else None
        if not (isinstance(target, cst.Attribute) and dotted(target.value) == "self"):
            continue
        value = assign.value
        func = dotted(value.func) if isinstance(value, cst.Call) else None
        if func and (func.split(".")[-1] in ("Parameter", "Constant")
                     or func.endswith("params.get") or func.endswith("params.get_constant")):
            names.add(target.attr.value)
    return names


def _is_version_test(test: cst.BaseExpression) -> bool:
    """``compat.IS_MX2`` / ``IS_MX2`` / ``not compat.IS_MX2``."""
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        test = test.expression
    name = dotted(test)
    return name is not None and name.split(".")[-1] == "IS_MX2"


class _InHybridForward(ClassTracking, Rule):
    """Tracks the ``F`` name while inside a ``hybrid_forward`` definition (outside version
    branches: those are dual-version code already)."""

    group = "forward"
    # statements inside hybrid_forward are visited when they may use `F` (or `_`, its other name)
    triggers = ("hybrid_forward", "F", "_")

    @classmethod
    def may_apply(cls, source: str) -> bool:
        return "hybrid_forward" in source

    def visit_Module(self, node):
        self.f_stack: list = []
        self.version_branches = 0

    def visit_If(self, node):
        self.version_branches += _is_version_test(node.test)

    def leave_If(self, original, updated):
        self.version_branches -= _is_version_test(original.test)
        return updated

    def visit_FunctionDef(self, node):
        self.f_stack.append(None if self.version_branches else f_name(node))

    def leave_FunctionDef(self, original, updated):
        self.f_stack.pop()
        return updated

    def leave_function(self) -> Optional[str]:
        """Pop the function being left; its ``F`` name if it is a ``hybrid_forward`` to migrate."""
        return self.f_stack.pop()

    @property
    def f(self) -> Optional[str]:
        return self.f_stack[-1] if self.f_stack else None


class ForwardOps(_InHybridForward):
    id = "F2"
    level = Level.SAFE
    message = "`F.{op}` is `{new}` in 2.x"

    def leave_Attribute(self, original, updated):
        if self.f is None or dotted(updated.value) != self.f:
            return updated
        op = updated.attr.value
        if op in ("np", "npx"):                     # F.np.x / F.npx.x
            self.record(original, self.message.format(op=op, new=op))
            return mx_namespace(self, op)
        kind, new = OPS.get(op, (None, None))
        if kind in ("np", "npx"):
            self.record(original, self.message.format(op=op, new=f"{kind}.{new}"))
            return cst.Attribute(value=mx_namespace(self, kind), attr=cst.Name(new))
        return updated

    def leave_Call(self, original, updated):
        if self.f is None or not isinstance(original.func, cst.Attribute) or \
                dotted(original.func.value) != self.f:
            return updated
        op = original.func.attr.value
        kind, new = OPS.get(op, (None, None))
        args = [a for a in updated.args if not (a.keyword and a.keyword.value == "name")]
        if kind is None:
            return updated
        if kind == "op":
            if len(args) != 2 or any(a.keyword or a.star for a in args):
                self.warn(original, f"`F.{op}` with these arguments is not mechanical",
                          level=Level.MANUAL)
                return updated
            self.record(original, self.message.format(op=op, new=f"a {new} b"))
            return cst.BinaryOperation(
                left=args[0].value, operator=_OPERATORS[new](), right=args[1].value,
                lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
        if kind == "concat":
            return self._concat(original, updated, args, op)
        return updated.with_changes(args=_strip_last_comma(args))

    def _concat(self, original, updated, args, op):
        arrays = [a for a in args if a.keyword is None]
        axis = keyword(updated, "dim")
        if any(a.star for a in arrays) or len(arrays) + (axis is not None) != len(args):
            self.warn(original, f"`F.{op}` with these arguments is not mechanical",
                      level=Level.MANUAL)
            return updated
        elements = [cst.Element(a.value) for a in arrays]
        axis_value = axis.value if axis is not None else cst.Integer(CONCAT_DEFAULT_AXIS)
        self.record(original, self.message.format(op=op, new="np.concatenate([...], axis=…)"))
        return cst.Call(func=cst.Attribute(value=mx_namespace(self, "np"),
                                           attr=cst.Name("concatenate")),
                        args=[cst.Arg(cst.List(elements)),
                              cst.Arg(axis_value, keyword=cst.Name("axis"),
                                      equal=_equal())])


_OPERATORS = {"+": cst.Add, "-": cst.Subtract, "*": cst.Multiply, "/": cst.Divide}


def _equal() -> cst.AssignEqual:
    return cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""),
                           whitespace_after=cst.SimpleWhitespace(""))


def _strip_last_comma(args: list) -> list:
    if args and not isinstance(args[-1].comma, cst.MaybeSentinel):
        comma = args[-1].comma
        if not isinstance(comma.whitespace_after, cst.ParenthesizedWhitespace):
            args[-1] = args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return args


class InjectedParameters(_InHybridForward):
    id = "F3"
    level = Level.UNSAFE
    message = ("parameters injected into `hybrid_forward` are read from `self` in 2.x: "
               "`{name} = self.{name}.data({x}.device)`")

    def leave_FunctionDef(self, original, updated):
        name_of_f = self.leave_function()
        if name_of_f is None or len(updated.params.params) < 3:
            return updated
        registered = _registered_parameters(self.current_class) if self.current_class else set()
        params = updated.params.params
        injected = [p for p in params[3:] if p.name.value in registered]
        if updated.params.star_kwarg is not None and registered:
            self.warn(original, "`hybrid_forward` takes `**kwargs`, through which 1.x passed "
                                "the parameters; read them from `self` by hand",
                      level=Level.MANUAL)
        if not injected:
            return updated
        if not self.allowed():
            self.warn(original, self.message.format(name=injected[0].name.value, x="x"))
            return updated
        first_input = params[2].name.value
        kept = without_items(params, {i for i, p in enumerate(params) if p in injected})
        if kept is None:
            self.warn(original, self.message.format(name=injected[0].name.value, x=first_input)
                      + "; not rewritten, a comment would be lost", level=Level.MANUAL)
            return updated
        reads = [cst.parse_statement(f"{p.name.value} = self.{p.name.value}.data("
                                     f"{first_input}.device)") for p in injected]
        body = updated.body
        statements = list(body.body)
        docstring = statements[:1] if statements and m.matches(
            statements[0], m.SimpleStatementLine(body=[m.Expr(m.SimpleString())])) else []
        rest = statements[len(docstring):]
        self.record(original, self.message.format(
            name=", ".join(p.name.value for p in injected), x=first_input))
        return updated.with_changes(
            params=updated.params.with_changes(params=kept),
            body=body.with_changes(body=[*docstring, *reads, *rest]))


class FUsedBeyondOps(_InHybridForward):
    id = "F4"
    level = Level.MANUAL
    message = ("`{f}` is used beyond mechanical ops (passed on, compared, or an op with no "
               "mechanical 2.x form): rewrite with `np`/`npx` by hand")

    def leave_FunctionDef(self, original, updated):
        name_of_f = self.leave_function()
        if name_of_f is None:
            return updated
        for use in _unmapped_uses(original.body, name_of_f):
            self.warn(use, self.message.format(f=name_of_f))
        return updated


class HybridForwardToForward(_InHybridForward):
    id = "F1"
    level = Level.SAFE
    message = "`hybrid_forward(self, F, …)` is `forward(self, …)` in 2.x"
    dual = ("`hybrid_forward` kept for 1.x under `else:` of `if compat.IS_MX2:`, whose branch "
            "holds the 2.x `forward`")

    def leave_FunctionDef(self, original, updated):
        name_of_f = self.leave_function()
        if name_of_f is None:
            return updated
        if _uses(updated.body, name_of_f):
            if self.for_dual:       # 1.x code stays whole; F4 says why
                self._forget_rewrites_from(self.context.locate(original)[0])
                return original
            return updated
        params = updated.params.params
        forward = updated.with_changes(
            name=cst.Name("forward"),
            params=updated.params.with_changes(params=[params[0], *params[2:]]))
        if not self.for_dual:
            self.record(original)
            return forward
        self.record(original, "dual: " + self.dual)
        return cst.If(test=compat_name(self, "IS_MX2"), leading_lines=original.leading_lines,
                      body=cst.IndentedBlock([forward.with_changes(leading_lines=[])]),
                      orelse=cst.Else(cst.IndentedBlock([original.with_changes(leading_lines=[])])))

    def _forget_rewrites_from(self, line: int) -> None:
        """Drop the F2/F3 rewrites recorded from ``line`` on (this definition's, as the rules
        run in source order): they were undone by keeping the original."""
        self.context.findings[:] = [
            f for f in self.context.findings if not (
                f.rule in ("F2", "F3") and f.line >= line and
                (f.severity == "change" or f.message.startswith("review: ")))]


def _needs_infer_shape(cls: cst.ClassDef) -> bool:
    """Does the class create a parameter with a ``0`` (unknown) dim or ``allow_deferred_init``,
    and define no ``infer_shape``?"""
    if any(isinstance(s, cst.FunctionDef) and s.name.value == "infer_shape"
           for s in getattr(cls.body, "body", ())):
        return False
    for call in m.findall(cls, m.Call()):
        shape, deferred = keyword(call, "shape"), keyword(call, "allow_deferred_init")
        if deferred is not None and not m.matches(deferred.value, m.Name("False")):
            return True
        if shape is not None and isinstance(shape.value, cst.Tuple) and any(
                m.matches(e.value, m.Integer("0")) for e in shape.value.elements):
            return True
    return False


class DeferredShapesInForward(_InHybridForward):
    id = "F5"
    level = Level.MANUAL
    message = ("this block's parameters have unknown dims that 1.x filled in by symbolic shape "
               "inference; 2.x `forward` blocks do not: implement `infer_shape(self, x, *args)`")

    def leave_FunctionDef(self, original, updated):
        cls = self.current_class
        if self.leave_function() is not None and cls is not None and _needs_infer_shape(cls):
            self.warn(original)
        return updated


class NumpyArrays(Rule):
    id = "B3"
    level = Level.MANUAL
    group = "forward"
    message = ("2.x HybridBlocks expect `mx.np` arrays: decorate the classes with `@use_np` or "
               "call `mx.npx.set_np()` at start-up")
    triggers = ("hybrid_forward",)

    def visit_Module(self, node):
        self.reported = False

    def visit_FunctionDef(self, node):
        if not self.reported and node.name.value == "hybrid_forward":
            self.reported = True
            self.warn(node, severity="info")
