"""N1–N3: ``with blk.name_scope():`` blocks go away (2.x names are structural, scopes do nothing)."""
from __future__ import annotations

import re
from typing import Optional

import libcst as cst

from .base import Level, Rule
from .imports import compat_call
from .syntax import has_comment, method_receiver, without_items


def name_scope_receiver(node: cst.CSTNode) -> Optional[cst.BaseExpression]:
    """The ``blk`` of a bare ``blk.name_scope()`` call, else None."""
    receiver = method_receiver(node, "name_scope")
    return receiver if receiver is not None and not node.args else None


class _DedentBackslashLines(cst.CSTTransformer):
    """Shift backslash-continued lines left by one indent, as their statement moves left.

    (libcst keeps lines inside brackets relative to the block already; only the text after a
    backslash is stored as written.)
    """

    def __init__(self, indent: str):
        super().__init__()
        self._backslash = re.compile(r"\\(\r?\n)" + re.escape(indent))

    def leave_SimpleWhitespace(self, original, updated):
        if "\\" not in updated.value:
            return updated
        return updated.with_changes(value=self._backslash.sub(r"\\\1", updated.value))


def compat_scopes(rule: Rule, items) -> list:
    """Dual target: every ``blk.name_scope()`` item (no ``as``) becomes ``compat.name_scope(blk)``."""
    return [item.with_changes(item=compat_call(rule, "name_scope", cst.Arg(receiver)))
            if item.asname is None and receiver is not None else item
            for item, receiver in ((i, name_scope_receiver(i.item)) for i in items)]


class _UnwrapNameScope(Rule):
    """Splice the body of each matching ``with`` into the enclosing block, one level out.

    With ``--target dual`` the scope stays, as ``compat.name_scope(blk)``: the real scope on 1.x
    (child names, ``params=`` sharing), nothing on 2.x. Comments do not move, so it is SAFE.
    """

    level = Level.SAFE
    triggers = ("name_scope",)

    def matches_receiver(self, receiver: cst.BaseExpression) -> bool:
        raise NotImplementedError

    def _target(self, statement: cst.CSTNode) -> bool:
        if not isinstance(statement, cst.With) or len(statement.items) != 1:
            return False
        item = statement.items[0]
        receiver = name_scope_receiver(item.item)
        return item.asname is None and receiver is not None and self.matches_receiver(receiver)

    def visit_Module(self, node):
        self.footers: dict = {}     # last statement of an unwrapped body -> that body's footer

    def leave_With(self, original, updated):
        if not self._target(updated):
            return updated
        if self.for_dual:
            self.record(original, "dual: " + self.dual)
            return updated.with_changes(items=compat_scopes(self, updated.items))
        moved = self._moved_comments(updated)
        if moved and not self.allowed(Level.UNSAFE):
            self.warn(original, self.message + "; a header/footer comment would move",
                      level=Level.UNSAFE)
            return updated
        text = self.context.text_of(original)
        inner, footer = self._inner_statements(updated, text is None or "\\" in text)
        if footer:
            self.footers[inner[-1]] = footer
        self.record(original, level=Level.UNSAFE if moved else Level.SAFE)
        return cst.FlattenSentinel(inner)

    def leave_IndentedBlock(self, original, updated):
        return self._place_footers(updated)

    def leave_Module(self, original, updated):
        return self._place_footers(updated)

    def _place_footers(self, block):
        """Footer lines of an unwrapped body go before the next statement, or to our footer."""
        if not self.footers or not any(s in self.footers for s in block.body):
            return block
        statements: list = []
        carried: list = []
        for statement in block.body:
            footer = self.footers.pop(statement, [])
            if carried:
                statement = statement.with_changes(
                    leading_lines=[*carried, *statement.leading_lines])
            statements.append(statement)
            carried = footer
        return block.with_changes(body=statements, footer=[*carried, *block.footer])

    @staticmethod
    def _moved_comments(statement: cst.With) -> bool:
        block = statement.body
        if isinstance(block, cst.SimpleStatementSuite):
            return False
        return block.header.comment is not None or any(line.comment for line in block.footer)

    def _inner_statements(self, statement: cst.With, backslashes: bool):
        block = statement.body
        if isinstance(block, cst.SimpleStatementSuite):
            inner = [cst.SimpleStatementLine(body=block.body,
                                             trailing_whitespace=block.trailing_whitespace)]
            tail: list = []
            header: list = []
        else:
            indent = block.indent if block.indent is not None else \
                self.context.original.default_indent
            inner = [s.visit(_DedentBackslashLines(indent)) for s in block.body] \
                if backslashes else list(block.body)
            tail = list(block.footer)
            header = []
            if block.header.comment is not None:
                header = [cst.EmptyLine(indent=True, comment=block.header.comment)]
        first = inner[0]
        inner[0] = first.with_changes(
            leading_lines=[*statement.leading_lines, *header, *first.leading_lines])
        return inner, tail


class UnwrapSelfNameScope(_UnwrapNameScope):
    id = "N1"
    message = "`with self.name_scope():` does nothing in 2.x (names are structural): body un-nested"
    dual = "`with self.name_scope():` is `with compat.name_scope(self):`"

    def matches_receiver(self, receiver):
        return isinstance(receiver, cst.Name) and receiver.value == "self"


class UnwrapOtherNameScope(_UnwrapNameScope):
    id = "N2"
    message = "`with <block>.name_scope():` does nothing in 2.x (names are structural): body un-nested"
    dual = "`with <block>.name_scope():` is `with compat.name_scope(<block>):`"

    def matches_receiver(self, receiver):
        return not (isinstance(receiver, cst.Name) and receiver.value == "self")


class DropNameScopeItem(Rule):
    """N3: ``with a.name_scope(), b():`` keeps ``b()``; ``as`` targets and bare calls only warn."""

    id = "N3"
    level = Level.SAFE
    message = "`name_scope()` item dropped from a multi-item `with`"
    triggers = ("name_scope",)
    dual = "`with a.name_scope(), b():` is `with compat.name_scope(a), b():`"

    def __init__(self, context):
        super().__init__(context)
        self._handled: set = set()

    def visit_With(self, node):
        for item in node.items:
            if name_scope_receiver(item.item) is not None:
                self._handled.add(item.item)
                if item.asname is not None:
                    self.warn(item, "`with ….name_scope() as …:` has no 2.x equivalent; "
                                    "remove the scope and its uses by hand", level=Level.MANUAL)

    def visit_Call(self, node):
        if node not in self._handled and name_scope_receiver(node) is not None:
            self.warn(node, "`name_scope()` called outside a `with`: 2.x blocks have no name "
                            "scope; remove the call by hand", level=Level.MANUAL)

    def leave_With(self, original, updated):
        if len(updated.items) < 2:
            return updated
        drop = {i for i, item in enumerate(updated.items)
                if item.asname is None and name_scope_receiver(item.item) is not None}
        if drop and self.for_dual:
            self.record(original, "dual: " + self.dual)
            return updated.with_changes(items=compat_scopes(self, updated.items))
        if not drop or len(drop) == len(updated.items):
            return updated
        items = without_items(updated.items, drop)
        if items is None or has_comment(updated.items[max(drop)].item):
            self.warn(original, self.message + " would drop a comment", level=Level.MANUAL)
            return updated
        self.record(original)
        return updated.with_changes(items=items)
