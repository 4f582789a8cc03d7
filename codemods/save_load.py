"""S1–S4, S6, S7: saving and loading parameters go through the Block in 2.x."""
from __future__ import annotations

import libcst as cst

from .base import Level, Rule
from .collect_params import collect_params_receiver
from .imports import compat_call
from .syntax import method_receiver


def _device_keyword(args: list, position: int) -> list:
    """Name the positional argument at ``position`` (the 1.x ``ctx``) ``device=``."""
    args = list(args)
    if len(args) > position and args[position].keyword is None and not args[position].star:
        args[position] = args[position].with_changes(
            keyword=cst.Name("device"),
            equal=cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""),
                                  whitespace_after=cst.SimpleWhitespace("")))
    return [a.with_changes(keyword=cst.Name("device"))
            if a.keyword is not None and a.keyword.value == "ctx" else a for a in args]


class _CollectParamsFileCall(Rule):
    """``net.collect_params().<old>(file, …)`` -> ``net.<new>(file, …)``.

    Dual: ``compat.<shim>(net, file, …)`` with the 1.x arguments as they are (``ctx`` kept), when
    the 2.x method does not serve 1.x (``shim`` None: the 2.x form works on both).
    """

    level = Level.UNSAFE
    triggers = ("collect_params",)
    old: str
    new: str
    device_position = None          # index of the positional ctx argument, if any
    max_positional = 1              # more positional arguments than this have no 2.x counterpart
    unsupported = ()                # 1.x keywords without a 2.x counterpart
    shim = None

    def leave_Call(self, original, updated):
        inner = method_receiver(updated, self.old)
        receiver = collect_params_receiver(inner) if inner is not None else None
        if receiver is None:
            return updated
        keywords = {a.keyword.value for a in updated.args if a.keyword is not None}
        positional = [a for a in updated.args if a.keyword is None]
        if keywords & set(self.unsupported) or len(positional) > self.max_positional:
            self.warn(original, self.message + "; arguments without a 2.x counterpart, "
                                               "rewrite by hand", level=Level.MANUAL)
            return updated
        if not self.allowed():
            self.warn(original, self.dual if self.for_dual and self.shim else None)
            return updated
        if self.for_dual and self.shim:
            self.record(original, "dual: " + self.dual)
            return compat_call(self, self.shim, cst.Arg(receiver), *updated.args, like=updated)
        args = updated.args
        if self.device_position is not None:
            args = _device_keyword(args, self.device_position)
        self.record(original)
        return updated.with_changes(
            func=updated.func.with_changes(value=receiver, attr=cst.Name(self.new)), args=args)


class SaveThroughBlock(_CollectParamsFileCall):
    id, old, new = "S1", "save", "save_parameters"
    message = ("`collect_params().save(f)` is `save_parameters(f)`: file keys change from "
               "1.x names (`dense0_weight`) to structural ones (`0.weight`); update every reader")
    unsupported = ("strip_prefix",)


class LoadThroughBlock(_CollectParamsFileCall):
    id, old, new = "S2", "load", "load_parameters"
    message = ("`collect_params().load(f, ctx)` is `load_parameters(f, device=ctx)`: 2.x only "
               "reads files with structural keys (no fallback for 1.x prefixed names)")
    device_position, max_positional = 1, 4     # (filename, ctx, allow_missing, ignore_extra)
    unsupported = ("restore_prefix",)
    shim = "load_parameters"
    dual = ("`collect_params().load(f, ctx)` is `compat.load_parameters(net, f, ctx)`: reads "
            "either naming on both versions and reports mismatches")


class LoadDictThroughBlock(_CollectParamsFileCall):
    id, old, new = "S3", "load_dict", "load_dict"
    message = ("`collect_params().load_dict(d, ctx)` is `load_dict(d, device=ctx)`: the keys "
               "must be structural")
    device_position, max_positional = 1, 4     # (param_dict, ctx, allow_missing, ignore_extra)
    unsupported = ("restore_prefix",)
    shim = "load_dict"
    dual = "`collect_params().load_dict(d, ctx)` is `compat.load_dict(net, d, ctx)` (1.9.1's " \
           "Block has no `load_dict`)"


class DeprecatedSaveLoad(Rule):
    id = "S4"
    level = Level.UNSAFE
    message = ("`save_params`/`load_params` are `save_parameters`/`load_parameters` in 2.x "
               "(the old ones wrote prefix-stripped names)")
    triggers = ("save_params", "load_params")
    _RENAMES = {"save_params": "save_parameters", "load_params": "load_parameters"}

    def leave_Call(self, original, updated):
        func = updated.func
        if not isinstance(func, cst.Attribute) or func.attr.value not in self._RENAMES:
            return updated
        if not self.allowed():
            self.warn(original)
            return updated
        self.record(original)
        return updated.with_changes(
            func=func.with_changes(attr=cst.Name(self._RENAMES[func.attr.value])))


class CheckpointsAcrossVersions(Rule):
    id = "S6"
    level = Level.MANUAL
    targets = ("dual",)
    message = ("a checkpoint saved by 2.x under numpy semantics (`npx.set_np()`/`@use_np`) is a "
               "ZIP/npz archive that 1.9.1 cannot read: when 1.x runs must load it, save it "
               "with `compat.save_parameters(net, f)` (a file both versions read) or convert it")
    triggers = ("save_parameters", "collect_params")

    def leave_Call(self, original, updated):
        if method_receiver(updated, "save_parameters") is not None:
            self.warn(original, severity="info")
        return updated


class TrainerStates(Rule):
    id = "S7"
    level = Level.MANUAL
    message = ("optimizer states saved by 1.x follow 1.x parameter order and names; they do not "
               "map onto 2.x parameters: re-create them or convert")
    triggers = ("load_states",)

    def visit_Call(self, node):
        if method_receiver(node, "load_states") is not None:
            self.warn(node)
