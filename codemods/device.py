"""B4 (opt-in group "device"): ``ctx`` becomes ``device`` (``mx.context`` -> ``mx.device``)."""
from __future__ import annotations

import libcst as cst

from .base import Level, Rule
from .syntax import dotted

#: Methods and array constructors whose 2.x keyword is ``device=`` (``ctx=`` only via wrappers).
_DEVICE_KEYWORD_CALLS = {"initialize", "load_parameters", "load_dict", "reset_device", "array",
                         "zeros", "ones", "full", "empty", "arange"}


class ContextToDevice(Rule):
    id = "B4"
    level = Level.SAFE
    group = "device"
    targets = ("mx2",)          # dual-version code keeps `ctx=`, which both versions accept
    message = "`ctx` is `device` in 2.x"
    triggers = ("ctx", "context")

    def leave_Attribute(self, original, updated):
        name = dotted(updated)
        if name in ("mx.context", "mxnet.context"):
            self.record(original, "`mxnet.context` is `mxnet.device` in 2.x")
            return updated.with_changes(attr=cst.Name("device"))
        return updated

    def leave_ImportFrom(self, original, updated):
        if updated.relative or updated.module is None or \
                dotted(updated.module) != "mxnet.context":
            return updated
        self.record(original, "`mxnet.context` is `mxnet.device` in 2.x")
        return updated.with_changes(module=cst.parse_expression("mxnet.device"))

    def leave_Call(self, original, updated):
        func = updated.func
        method = func.attr.value if isinstance(func, cst.Attribute) else None
        if method not in _DEVICE_KEYWORD_CALLS:
            return updated
        if not any(a.keyword is not None and a.keyword.value == "ctx" for a in updated.args):
            return updated
        self.record(original, "`ctx=` is `device=` in 2.x")
        return updated.with_changes(args=[
            a.with_changes(keyword=cst.Name("device"))
            if a.keyword is not None and a.keyword.value == "ctx" else a for a in updated.args])
