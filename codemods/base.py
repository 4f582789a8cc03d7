"""What every rule shares: its level, the findings it records, and the per-file context it runs in."""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Callable, ClassVar, Optional

import libcst as cst


class Level(str, enum.Enum):
    """How far a rule may go on its own (the spec's SAFE / UNSAFE / MANUAL)."""

    SAFE = "safe"        # mechanical and behaviour-preserving: applied by default
    UNSAFE = "unsafe"    # mechanical, behaviour may change: applied with --unsafe, always reported
    MANUAL = "manual"    # never rewritten: reported with file, line and column


@dataclass(frozen=True)
class Finding:
    """One change made or one spot a human must look at, at a 1-based line and column."""

    rule: str
    severity: str        # "change" for rewrites; "info" / "warning" / "error" for warnings
    line: int
    column: int
    message: str

    def format(self, path: str) -> str:
        return f"{path}:{self.line}:{self.column}: GLU{self.rule} {self.severity}: {self.message}"


@dataclass
class Options:
    """What the user asked for; the same for every file of a run."""

    unsafe: bool = False
    selected: Optional[frozenset] = None      # rule ids; None = every rule of the enabled groups
    ignored: frozenset = frozenset()
    groups: frozenset = frozenset({"naming"})  # "naming" plus the opt-in "forward", "device"
    block_classes: frozenset = frozenset()     # Block subclasses defined anywhere in the project
    target: str = "mx2"                        # "mx2", or "dual": code for 1.x and 2.x via compat


@dataclass
class FileContext:
    """Per-file state shared by the rules run over one module."""

    options: Options
    original: cst.Module
    source: str = ""
    enabled: frozenset = frozenset()                    # ids of the rules run over this module
    findings: list = field(default_factory=list)
    needed_imports: set = field(default_factory=set)    # {(module, name)} for add_imports
    locate: Callable = lambda node: (0, 0)              # original node -> (line, column)
    text_of: Callable = lambda node: None               # original statement -> its source lines
    dropped_names: set = field(default_factory=set)     # names read by arguments that rules removed

    @property
    def changed(self) -> bool:
        return any(f.severity == "change" for f in self.findings)


class Rule(cst.CSTTransformer):
    """One rewrite of the migration spec. Subclasses set the class attributes and the visitors.

    Rules run together in one traversal (see :mod:`.batch`), each seeing the nodes
    the rules before it returned. A rule that is not allowed to rewrite a site (MANUAL rules
    always, UNSAFE ones without ``--unsafe``) calls :meth:`warn` instead, so every spot left
    behind is reported.
    """

    id: ClassVar[str]
    level: ClassVar[Level]
    message: ClassVar[str]
    group: ClassVar[str] = "naming"
    triggers: ClassVar[tuple] = ()     # substrings; the rule cannot apply to code without one
    targets: ClassVar[tuple] = ("mx2", "dual")    # the --target values the rule runs for
    dual: ClassVar[Optional[str]] = None   # what --target dual writes, when not the 2.x form

    def __init__(self, context: FileContext):
        super().__init__()
        self.context = context

    @classmethod
    def may_apply(cls, source: str) -> bool:
        return any(trigger in source for trigger in cls.triggers)

    @property
    def applies_unsafe(self) -> bool:
        return self.context.options.unsafe

    @property
    def for_dual(self) -> bool:
        """Writing dual-version code (``--target dual``): 1.x constructs go through ``compat``."""
        return self.context.options.target == "dual"

    def allowed(self, level: Optional[Level] = None) -> bool:
        """May this rule rewrite a site of the given level (default: the rule's own)?"""
        level = level or self.level
        return level is Level.SAFE or (level is Level.UNSAFE and self.applies_unsafe)

    def warn(self, node: cst.CSTNode, text: Optional[str] = None, severity: str = "warning",
             level: Optional[Level] = None) -> None:
        """Report ``node`` (an original node) for a human; the hint says why it was not rewritten."""
        level = level or self.level
        text = text or self.message
        if level is Level.UNSAFE and not self.applies_unsafe:
            text += " (left as is: an unsafe rewrite, run with --unsafe to apply it)"
        self.context.findings.append(Finding(self.id, severity, *self.context.locate(node), text))

    def record(self, node: cst.CSTNode, text: Optional[str] = None,
               level: Optional[Level] = None) -> None:
        """Record a rewrite of ``node`` (an original node); unsafe rewrites also warn."""
        text = text or self.message
        where = self.context.locate(node)
        self.context.findings.append(Finding(self.id, "change", *where, text))
        if (level or self.level) is Level.UNSAFE:
            self.context.findings.append(Finding(self.id, "info", *where, "review: " + text))
