"""Run many rules in one libcst traversal, skipping statements none of them can touch."""
from __future__ import annotations

import libcst as cst

from .locate import StatementIndex


class RuleBatch(cst.CSTTransformer):
    """Calls each rule's ``visit_<Node>`` / ``leave_<Node>`` in table order on every node.

    A leave method's result is passed on to the next rule; once one returns a node of another
    type (or removes it), the later rules' leave methods for that node are not called.
    Statements the index knows, and whose text holds none of the rules' trigger words, are
    neither visited nor left: every rule sees them as they are.
    """

    def __init__(self, rules: list, index: StatementIndex):
        super().__init__()
        self.rules = rules
        self.index = index
        self.triggers = tuple(t for rule in rules for t in rule.triggers)
        self._visitors: dict = {}
        self._leavers: dict = {}
        self._skipped: set = set()
        self._statements: list = []     # indexed statements being visited, innermost last
        for rule in rules:
            rule.context.locate = self.locate
            rule.context.text_of = index.text

    def locate(self, node: cst.CSTNode) -> tuple:
        return self.index.position(node, self._statements[-1] if self._statements else None)

    def _methods(self, cache: dict, prefix: str, node_type: str) -> list:
        methods = cache.get(node_type)
        if methods is None:
            name = prefix + node_type
            methods = [getattr(r, name) for r in self.rules
                       if getattr(type(r), name, None) is not getattr(cst.CSTTransformer, name, None)]
            cache[node_type] = methods
        return methods

    def on_visit(self, node: cst.CSTNode) -> bool:
        if node in self.index.spans:
            if not self.index.holds_any(node, self.triggers):
                self._skipped.add(node)
                return False
            self._statements.append(node)
        for visit in self._methods(self._visitors, "visit_", type(node).__name__):
            visit(node)
        return True

    def on_leave(self, original: cst.CSTNode, updated: cst.CSTNode):
        if original in self._skipped:
            return updated
        result = updated
        for leave in self._methods(self._leavers, "leave_", type(original).__name__):
            result = leave(original, result)
            if type(result) is not type(original):
                break
        if self._statements and self._statements[-1] is original:
            self._statements.pop()
        return result
