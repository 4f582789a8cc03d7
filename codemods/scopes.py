"""Where a node sits: the enclosing classes and functions, and which classes are Gluon Blocks."""
from __future__ import annotations

from typing import Optional

import libcst as cst

from .blocks import project_block_classes
from .syntax import dotted, imported_from


class ClassTracking:
    """Mixin for rules: the classes enclosing the node being visited."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.classes: list = []

    def visit_ClassDef(self, node):
        self.classes.append(node)

    def leave_ClassDef(self, original, updated):
        self.classes.pop()
        return updated

    @property
    def current_class(self) -> Optional[cst.ClassDef]:
        return self.classes[-1] if self.classes else None


class ScopeTracking(ClassTracking):
    """Mixin for rules: the enclosing classes, the module's imports and the known Block classes."""

    def visit_Module(self, node):
        self.imports = imported_from(node)
        self.block_classes = (self.context.options.block_classes
                              | project_block_classes([self.context.source]))

    def in_block_class(self) -> bool:
        cls = self.current_class
        return cls is not None and cls.name.value in self.block_classes


def base_names(cls: cst.ClassDef) -> list:
    """Simple names of a class's bases (``nn.HybridBlock`` -> ``HybridBlock``)."""
    names = []
    for base in cls.bases:
        if base.keyword is None:
            name = dotted(base.value)
            if name:
                names.append(name.split(".")[-1])
    return names


def is_super_init(call: cst.Call) -> bool:
    """``super().__init__(…)`` or ``super(C, self).__init__(…)``."""
    func = call.func
    return (isinstance(func, cst.Attribute) and func.attr.value == "__init__"
            and isinstance(func.value, cst.Call) and dotted(func.value.func) == "super")
