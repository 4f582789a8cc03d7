"""B1, B2: Block constructors (``super().__init__`` arguments, contrib containers moved to nn)."""
from __future__ import annotations

import libcst as cst

from codemods.base import Level, Rule
from codemods.scopes import ScopeTracking, base_names, is_super_init
from codemods.syntax import dotted, names_in, string_value, without_items

#: Gluon classes whose ``__init__`` took exactly ``(prefix=None, params=None)`` in 1.x.
_PREFIX_PARAMS_ONLY = {"Block", "HybridBlock", "Sequential", "HybridSequential"}


def _is_kwargs_lookup(value: cst.BaseExpression) -> bool:
    """``kwargs.get('prefix', None)`` / ``kw.pop('params')``."""
    return (isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute)
            and value.func.attr.value in ("get", "pop") and bool(value.args)
            and string_value(value.args[0].value) in ("prefix", "params"))


class SuperInitArguments(ScopeTracking, Rule):
    id = "B1"
    level = Level.SAFE
    message = "`prefix`/`params` no longer passed to `super().__init__` (2.x Block takes neither)"
    triggers = ("__init__",)

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
        drop = set()
        for index, arg in enumerate(updated.args):
            if arg.star:
                continue
            if arg.keyword is not None:
                if arg.keyword.value in dropped_keywords:
                    drop.add(index)
            elif positional_too or _is_kwargs_lookup(arg.value):
                drop.add(index)
        if not drop:
            return updated
        args = without_items(updated.args, drop)
        if args is None:
            self.warn(original, self.message + "; not removed, a comment would be lost",
                      level=Level.MANUAL)
            return updated
        self.record(original)
        for index in drop:
            self.context.dropped_names |= names_in(updated.args[index].value)
        return updated.with_changes(args=args)


#: contrib containers that became core ``nn`` classes in 2.x.
CONTRIB_RENAMES = {"HybridConcurrent": "HybridConcatenate", "Concurrent": "Concatenate",
                   "Identity": "Identity"}


class ContribContainers(Rule):
    id = "B2"
    level = Level.SAFE
    message = "`contrib.nn.{old}` is `nn.{new}` in 2.x"
    triggers = ("contrib", *CONTRIB_RENAMES)
    dual = "compat alias (1.9.1 has no nn.HybridConcatenate)"

    def visit_Module(self, node):
        self.renamed_names: dict = {}
        self.attribute_names: set = set()

    def visit_Attribute(self, node):
        self.attribute_names.add(node.attr)    # `x.HybridConcurrent` is not the imported name

    def leave_ImportFrom(self, original, updated):
        module = dotted(updated.module) if updated.module else ""
        if not module.endswith("contrib.nn") or isinstance(updated.names, cst.ImportStar):
            return updated
        if any(alias.name.value not in CONTRIB_RENAMES for alias in updated.names):
            self.warn(original, "import from `contrib.nn` mixes moved and unmoved names; "
                                "split it by hand", level=Level.MANUAL)
            return updated
        names = []
        for alias in updated.names:
            old = alias.name.value
            new = CONTRIB_RENAMES[old]
            if alias.asname is None and new != old:
                self.renamed_names[old] = new
            names.append(alias.with_changes(name=cst.Name(new)))
        new_module = cst.parse_expression(module[: -len("contrib.nn")] + "nn")
        self.record(original, "imports from `contrib.nn` now come from `nn`")
        return updated.with_changes(module=new_module, names=names)

    def leave_Name(self, original, updated):
        if original in self.attribute_names:
            return updated
        new = self.renamed_names.get(updated.value)
        return updated.with_changes(value=new) if new else updated

    def leave_Attribute(self, original, updated):
        name = dotted(updated)
        if not name or updated.attr.value not in CONTRIB_RENAMES:
            return updated
        parts = name.split(".")
        if len(parts) < 3 or parts[-3:-1] != ["contrib", "nn"]:
            return updated
        old = parts[-1]
        new = CONTRIB_RENAMES[old]
        self.record(original, self.message.format(old=old, new=new))
        return cst.parse_expression(".".join(parts[:-3] + ["nn", new]))
