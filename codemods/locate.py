"""Statement index: libcst statements paired with ``ast`` ones, for pruning and positions.

Pairing the two trees' statement lists (module, class, function, ``with``/``for``/``while``
bodies) gives every such libcst statement its exact line span and indentation for the price of
an ``ast.parse``. The batch uses it to skip statements that hold none of the enabled rules'
trigger words, and to place a finding by generating positions for one statement only instead
of the whole module.
"""
from __future__ import annotations

import ast
from typing import Optional

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

_NESTED = (cst.ClassDef, cst.FunctionDef, cst.With, cst.For, cst.While)


class StatementIndex:
    def __init__(self, module: cst.Module, tree: ast.Module, source: str):
        self.module = module
        self.lines = source.splitlines()
        self.spans: dict = {}        # libcst statement -> (first line, last line, column)
        self._positions: dict = {}   # statement -> its PositionProvider map (computed on demand)
        self._pair(module.body, tree.body)

    def _pair(self, statements, nodes) -> None:
        index = 0
        for statement in statements:
            count = len(statement.body) if isinstance(statement, cst.SimpleStatementLine) else 1
            group = nodes[index:index + count]
            index += count
            if len(group) != count:
                return                      # the trees disagree: no index below this point
            first = min([group[0].lineno] + [d.lineno for d in
                                             getattr(group[0], "decorator_list", [])])
            self.spans[statement] = (first, group[-1].end_lineno, group[0].col_offset,
                                     group[0].lineno)
            if isinstance(statement, _NESTED) and isinstance(statement.body, cst.IndentedBlock):
                self._pair(statement.body.body, group[0].body)

    def text(self, statement: cst.CSTNode) -> Optional[str]:
        """The source lines of an indexed statement, else None."""
        span = self.spans.get(statement)
        return None if span is None else "\n".join(self.lines[span[0] - 1:span[1]])

    def holds_any(self, statement: cst.CSTNode, words: tuple) -> bool:
        """Does the statement's text contain one of ``words``? (True when not indexed.)"""
        text = self.text(statement)
        return text is None or any(word in text for word in words)

    def position(self, node: cst.CSTNode, enclosing: Optional[cst.CSTNode]) -> tuple:
        """(line, column), 1-based, of an original ``node`` inside the statement ``enclosing``."""
        if node in self.spans:
            _, _, column, line = self.spans[node]
            return line, column + 1
        unit = enclosing
        if unit is None:
            return 0, 0
        positions = self._positions.get(unit)
        if positions is None:
            alone = self.module.with_changes(body=[unit], header=[], footer=[])
            positions = MetadataWrapper(alone, unsafe_skip_copy=True).resolve(PositionProvider)
            self._positions[unit] = positions
        where, start = positions.get(node), positions.get(unit)
        if where is None or start is None:
            return 0, 0
        _, _, column, line = self.spans[unit]
        return line + where.start.line - start.start.line, column + where.start.column + 1


def parse_both(source: str) -> tuple:
    """(libcst module, ast module); raises SyntaxError / libcst.ParserSyntaxError."""
    tree = ast.parse(source)
    return cst.parse_module(source), tree
