"""Run the enabled rules over one module's source text, and check what comes out."""
from __future__ import annotations

import collections
import io
import re
import tokenize
from dataclasses import dataclass, field
from typing import Optional

import libcst as cst

from .base import FileContext, Level, Options
from .batch import RuleBatch
from .imports import add_imports
from .locate import StatementIndex, parse_both
from .registry import RULES


class MigrationError(Exception):
    """The source cannot be migrated (does not parse, or the result would be wrong)."""


@dataclass
class Outcome:
    """The migrated source (same as the input when nothing changed) and the findings."""

    code: str
    findings: list = field(default_factory=list)

    @property
    def warnings(self) -> list:
        return [f for f in self.findings if f.severity != "change"]


def enabled_rules(options: Options) -> list:
    rules = [r for r in RULES if options.target in r.targets and (r.group in options.groups or
             (options.selected is not None and r.id in options.selected))]
    if options.selected is not None:
        rules = [r for r in rules if r.id in options.selected]
    return [r for r in rules if r.id not in options.ignored]


_MXNET_WORDS = re.compile(r"\bmxnet\b|\bgluon\b|\bmx\.")
_IDENTIFIER = re.compile(r"\b[A-Za-z_]\w*")


def uses_gluon(source: str, options: Options) -> bool:
    """Does the source mention MXNet, or one of the project's Block classes?"""
    if _MXNET_WORDS.search(source):
        return True
    return bool(options.block_classes) and not options.block_classes.isdisjoint(
        _IDENTIFIER.findall(source))


def may_need_change(source: str, options: Options) -> bool:
    """Cheap pre-scan: could any enabled rule apply to this source at all?"""
    return uses_gluon(source, options) and any(
        rule.may_apply(source) for rule in enabled_rules(options))


def migrate(source: str, options: Optional[Options] = None) -> Outcome:
    """Apply the enabled rules to ``source``; raise MigrationError if it or the result is broken."""
    options = options or Options()
    rules = [r for r in enabled_rules(options) if r.may_apply(source)]
    if not rules:
        return Outcome(source)
    try:
        module, tree = parse_both(source)
    except SyntaxError as error:
        raise MigrationError(f"does not parse: {error.msg} (line {error.lineno})") from None
    except cst.ParserSyntaxError as error:
        raise MigrationError(f"does not parse: {str(error).splitlines()[0]}") from None
    context = FileContext(options=options, original=module, source=source,
                          enabled=frozenset(r.id for r in enabled_rules(options)))
    index = StatementIndex(module, tree, source)
    module = module.visit(RuleBatch([r(context) for r in rules
                                     if not getattr(r, "whole_module", False)], index))
    for rule in rules:
        if getattr(rule, "whole_module", False):
            module = rule(context).apply(module)
    findings = sorted(context.findings, key=lambda f: (f.line, f.column))
    if not context.changed:
        return Outcome(source, findings)
    code = add_imports(module, context.needed_imports).code
    if code != source:
        _check_result(source, code, copies=options.target == "dual")
    return Outcome(code, findings)


def _check_result(before: str, after: str, copies: bool = False) -> None:
    """The result compiles and keeps every comment; ``copies``: comments may also be repeated
    (dual-version code keeps the 1.x ``hybrid_forward`` beside the 2.x ``forward``)."""
    try:
        compile(after, "<migrated>", "exec", dont_inherit=True)
    except SyntaxError as error:
        raise MigrationError(f"the migrated code would not compile ({error.msg}, line "
                             f"{error.lineno}); file left alone") from None
    if _same_comments_on_changed_lines(before, after):
        return
    old, new = collections.Counter(comments(before)), collections.Counter(comments(after))
    if old != new and not (copies and not old - new):
        raise MigrationError("the migration would lose or alter a comment; file left alone")


def _same_comments_on_changed_lines(before: str, after: str) -> bool:
    """Quick check: the ``#…`` tails of the lines that differ are the same multiset.

    A ``#`` inside a string can make it say no; then the exact, tokenizing check decides.
    """
    old = collections.Counter(before.splitlines())
    new = collections.Counter(after.splitlines())
    removed, added = old - new, new - old
    def tails(lines):
        return collections.Counter({line[line.index("#"):].rstrip(): count
                                    for line, count in lines.items() if "#" in line})
    return tails(removed) == tails(added)


def comments(source: str) -> list:
    """Every comment token of ``source``, in order."""
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    return [t.string for t in tokens if t.type == tokenize.COMMENT]


__all__ = ["Level", "MigrationError", "Options", "Outcome", "enabled_rules", "may_need_change",
           "migrate"]
