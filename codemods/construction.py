"""B1, B2: Block constructors (``super().__init__`` arguments, contrib classes moved to nn)."""
from __future__ import annotations

import libcst as cst

from .base import Level, Rule
from .imports import COMPAT_MODULE, compat_name
from .naming_prefix import as_compat_kwargs
from .scopes import ScopeTracking, base_names, is_super_init
from .syntax import dotted, names_in, string_value, without_items

#: Gluon classes whose ``__init__`` took exactly ``(prefix=None, params=None)`` in 1.x.
_PREFIX_PARAMS_ONLY = {"Block", "HybridBlock", "Sequential", "HybridSequential"}


def _kwargs_lookup(value: cst.BaseExpression):
    """'prefix' or 'params' for ``kwargs.get('prefix', None)`` / ``kw.pop('params')``, else None."""
    if (isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute)
            and value.func.attr.value in ("get", "pop") and value.args):
        key = string_value(value.args[0].value)
        return key if key in ("prefix", "params") else None
    return None


class SuperInitArguments(ScopeTracking, Rule):
    """B1. The dual form passes them on through ``compat`` (``{}`` on 2.x), keeping 1.x names."""

    id = "B1"
    level = Level.SAFE
    message = "`prefix`/`params` no longer passed to `super().__init__` (2.x Block takes neither)"
    triggers = ("prefix", "params")     # what it removes is named so, or read from kwargs so
    dual = ("`prefix`/`params` reach `super().__init__` as `**compat.prefix_kw(…)`/"
            "`**compat.params_kw(…)` (1.x names kept, `{}` on 2.x)")

    def leave_Call(self, original, updated):
        cls = self.current_class
        if cls is None or not is_super_init(updated) or not self.in_block_class():
            return updated
        bases = set(base_names(cls))
        dropped_keywords = {"prefix", "params"}
        if "SymbolBlock" in bases:
            dropped_keywords = {"prefix"}
            if any(a.keyword is not None and a.keyword.value == "params" for a in updated.args):
                self.warn(original, "`params=` kept: SymbolBlock still takes it in 2.x, keyed "
                                    "by the symbol's names", severity="info", level=Level.MANUAL)
        positional_too = bool(bases & _PREFIX_PARAMS_ONLY)
        drop = {}           # index -> "prefix" / "params"
        positional = 0
        for index, arg in enumerate(updated.args):
            if arg.star:
                continue
            if arg.keyword is not None:
                if arg.keyword.value in dropped_keywords:
                    drop[index] = arg.keyword.value
                continue
            key = _kwargs_lookup(arg.value) or (
                ("prefix", "params")[positional] if positional_too and positional < 2 else None)
            positional += 1
            if key in dropped_keywords or (positional_too and key is None):
                drop[index] = key
        if not drop:
            return updated
        if self.for_dual:
            return self._dual(original, updated, drop)
        args = without_items(updated.args, set(drop))
        if args is None:
            self.warn(original, self.message + "; not removed, a comment would be lost",
                      level=Level.MANUAL)
            return updated
        self.record(original)
        for index in drop:
            self.context.dropped_names |= names_in(updated.args[index].value)
        return updated.with_changes(args=args)

    def _dual(self, original, updated, drop: dict):
        first = min(drop)
        if None in drop.values() or any(a.keyword is None and not a.star and i not in drop
                                        for i, a in enumerate(updated.args) if i > first):
            self.warn(original, "`super().__init__` arguments not understood for dual-version "
                                "code; pass `prefix`/`params` through `compat` by hand",
                      level=Level.MANUAL)
            return updated
        self.record(original, "dual: " + self.dual)
        return updated.with_changes(args=[
            as_compat_kwargs(self, arg, drop[i] + "_kw") if i in drop else arg
            for i, arg in enumerate(updated.args)])


#: 1.x ``gluon.contrib`` modules whose classes are core ``nn`` classes in 2.x (verified on
#: 1.9.1 and 2.0.0b1): module -> {1.x name: 2.x name}. The deformable convolutions take the same
#: arguments in both, less ``prefix``/``params``.
MOVED_TO_NN = {
    "contrib.nn": {"HybridConcurrent": "HybridConcatenate", "Concurrent": "Concatenate",
                   "Identity": "Identity"},
    "contrib.cnn": {"DeformableConvolution": "DeformableConvolution",
                    "ModulatedDeformableConvolution": "ModulatedDeformableConvolution"},
}
#: the 2.x names ``compat`` aliases for dual-version code (the contrib class on 1.x: 1.9.1 has
#: no ``nn.HybridConcatenate``, ``nn.DeformableConvolution``, ...).
COMPAT_ALIASES = {"HybridConcatenate", "Identity", "DeformableConvolution",
                  "ModulatedDeformableConvolution"}


def _moved_from(module: str):
    """``'contrib.nn'`` for ``mxnet.gluon.contrib.nn`` / ``..contrib.nn``, else None."""
    key = ".".join(module.split(".")[-2:])
    return key if key in MOVED_TO_NN else None


class ContribToNn(Rule):
    id = "B2"
    level = Level.SAFE
    message = "`{module}.{old}` is `nn.{new}` in 2.x"
    triggers = ("contrib", *(old for renames in MOVED_TO_NN.values()     # + the names it renames
                             for old, new in renames.items() if old != new))
    dual = "`{module}.{old}` is `compat.{new}` (the contrib class on 1.x, `nn.{new}` on 2.x)"
    _NO_ALIAS = ("`{module}.{old}` has no `compat` alias: for dual-version code pick "
                 "the class by `compat.IS_MX2` by hand")

    def visit_Module(self, node):
        self.renamed_names: dict = {}
        self.attribute_names: set = set()

    def visit_Attribute(self, node):
        self.attribute_names.add(node.attr)    # `x.HybridConcurrent` is not the imported name

    def leave_ImportFrom(self, original, updated):
        module = dotted(updated.module) if updated.module else ""
        moved = _moved_from(module)
        if moved is None or isinstance(updated.names, cst.ImportStar):
            return updated
        renames = MOVED_TO_NN[moved]
        movable = COMPAT_ALIASES if self.for_dual else set(renames.values())
        if any(renames.get(alias.name.value) not in movable for alias in updated.names):
            self.warn(original, f"import from `{moved}` mixes moved and unmoved names; "
                                "split it by hand", level=Level.MANUAL)
            return updated
        names = []
        for alias in updated.names:
            old = alias.name.value
            new = renames[old]
            if alias.asname is None and new != old:
                self.renamed_names[old] = new
            names.append(alias.with_changes(name=cst.Name(new)))
        new_module = COMPAT_MODULE if self.for_dual else module[: -len(moved)] + "nn"
        self.record(original, f"imports from `{moved}` now come from `{new_module}`")
        return updated.with_changes(module=cst.parse_expression(new_module), names=names)

    def leave_Name(self, original, updated):
        if original in self.attribute_names:
            return updated
        new = self.renamed_names.get(updated.value)
        return updated.with_changes(value=new) if new else updated

    def leave_Attribute(self, original, updated):
        parts = (dotted(updated) or "").split(".")
        moved = _moved_from(".".join(parts[:-1])) if len(parts) >= 3 else None
        old = parts[-1]
        if moved is None or old not in MOVED_TO_NN[moved]:
            return updated
        new = MOVED_TO_NN[moved][old]
        if not self.for_dual:
            self.record(original, self.message.format(module=moved, old=old, new=new))
            return cst.parse_expression(".".join(parts[:-3] + ["nn", new]))
        if new not in COMPAT_ALIASES:
            self.warn(original, self._NO_ALIAS.format(module=moved, old=old), level=Level.MANUAL)
            return updated
        self.record(original, "dual: " + self.dual.format(module=moved, old=old, new=new))
        return compat_name(self, new)
