"""The migration as a libcst codemod command, for ``python -m libcst.tool codemod``.

With ``modules: [codemods]`` in ``.libcst.codemod.yaml``::

    python -m libcst.tool codemod --no-format command.MigrateGluonCommand src/ [--unsafe]

(``--forward`` and ``--device`` enable the opt-in groups, ``--target dual`` writes dual-version
code; warnings come out as libcst's.)
"""
from __future__ import annotations

import argparse

import libcst as cst
from libcst.codemod import CodemodContext, SkipFile, VisitorBasedCodemodCommand

from codemods.base import Options
from codemods.engine import MigrationError, migrate


class MigrateGluonCommand(VisitorBasedCodemodCommand):
    DESCRIPTION = "Migrate MXNet Gluon 1.x naming (name_scope, prefix=, params=, …) to 2.x."

    def __init__(self, context: CodemodContext, unsafe: bool = False, forward: bool = False,
                 device: bool = False, target: str = "mx2"):
        super().__init__(context)
        groups = {"naming"} | ({"forward"} if forward else set()) | ({"device"} if device else set())
        self.options = Options(unsafe=unsafe, groups=frozenset(groups), target=target)

    @staticmethod
    def add_args(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--unsafe", action="store_true", help="apply unsafe rewrites too")
        parser.add_argument("--forward", action="store_true", help="hybrid_forward -> forward")
        parser.add_argument("--device", action="store_true", help="ctx -> device")
        parser.add_argument("--target", choices=("mx2", "dual"), default="mx2",
                            help="dual: code for MXNet 1.x and 2.x, through `compat`")

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        source = tree.code
        try:
            outcome = migrate(source, self.options)
        except MigrationError as error:
            raise SkipFile(str(error)) from None
        for finding in outcome.warnings:
            self.warn(f"{finding.line}:{finding.column}: GLU{finding.rule} {finding.severity}: "
                      f"{finding.message}")
        return tree if outcome.code == source else cst.parse_module(outcome.code)
