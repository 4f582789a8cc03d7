"""The migration as a libcst codemod command, for ``python -m libcst.tool codemod``::

    python -m libcst.tool codemod --no-format -x \
        gluonbridge.codemods.command.MigrateGluonCommand src/ [--unsafe] [--project .]

(or ``modules: [gluonbridge.codemods]`` in ``.libcst.codemod.yaml`` and
``command.MigrateGluonCommand``). It takes the command line's migration options (``--target``,
``--unsafe``, ``--forward``, ``--device``, ``--select``, ``--ignore``, see
:mod:`.config`) and migrates as ``python -m gluonbridge.codemod`` does; the project's own Block
subclasses are found under ``--project`` (default: the current directory). Warnings come out as
libcst's.
"""
from __future__ import annotations

import argparse

import libcst as cst
from libcst.codemod import CodemodContext, SkipFile, VisitorBasedCodemodCommand

from .config import add_arguments, defaults, make_options
from .engine import MigrationError, migrate


class MigrateGluonCommand(VisitorBasedCodemodCommand):
    DESCRIPTION = "Migrate MXNet Gluon 1.x naming (name_scope, prefix=, params=, …) to 2.x."

    def __init__(self, context: CodemodContext, project: str = ".", **choices):
        from gluonbridge.codemod.files import python_files
        from gluonbridge.codemod.migrate_file import readable_sources

        super().__init__(context)
        self.options = make_options(defaults(**choices),
                                    readable_sources(python_files([project])))

    @staticmethod
    def add_args(parser: argparse.ArgumentParser) -> None:
        add_arguments(parser)
        parser.add_argument("--project", metavar="DIR", default=".",
                            help="where the project's own Block subclasses are looked for")

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
