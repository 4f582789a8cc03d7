"""Guarantees of the engine: results compile, comments survive, failures leave code alone."""
import textwrap

import libcst as cst
import pytest
from libcst.codemod import CodemodContext

from gluonbridge.codemods.base import Level, Options
from gluonbridge.codemods.engine import MigrationError, migrate
from gluonbridge.codemods.registry import RULES

LEGACY = textwrap.dedent('''\
    from mxnet.gluon import nn
    class Net(nn.HybridBlock):
        def __init__(self, prefix=None, params=None):
            super(Net, self).__init__(prefix=prefix, params=params)
            # comment above the scope
            with self.name_scope():  # header comment
                self.a = nn.Dense(3, prefix='a_',  # on the kwarg line
                                  in_units=2)
                # footer comment
    ''')


def test_every_rule_declares_id_level_message_and_group():
    ids = [rule.id for rule in RULES]
    assert len(ids) == len(set(ids))
    for rule in RULES:
        assert rule.id[0] in "NPSDFB" and rule.id[1:].isdigit()
        assert isinstance(rule.level, Level) and rule.message
        assert rule.triggers or rule.__module__ == "gluonbridge.codemods.unchanged"
        assert rule.group in ("naming", "forward", "device")
        assert set(rule.targets) <= {"mx2", "dual"} and rule.targets


def test_every_rule_id_of_the_spec_is_in_the_table():
    spec = {f"{letter}{n}" for letter, count in zip("NPSDBF", (11, 9, 7, 6, 4, 5))
            for n in range(1, count + 1)}
    assert {rule.id for rule in RULES} == spec


def test_unsafe_run_keeps_every_comment_and_is_idempotent():
    options = Options(unsafe=True)
    once = migrate(LEGACY, options).code
    assert "name_scope" not in once and "prefix" not in once and "params" not in once
    for comment in ("# comment above the scope", "# header comment", "# on the kwarg line",
                    "# footer comment"):
        assert comment in once
    compile(once, "x", "exec")
    assert migrate(once, options).code == once


def test_syntax_error_raises_migration_error():
    with pytest.raises(MigrationError, match="does not parse"):
        migrate("with self.name_scope(:\n    pass\n")


def test_results_that_would_lose_a_comment_are_refused():
    # dropping the scope item of a multi-item `with` across a comment: the rule declines, so
    # the output keeps the comment; the engine's own check is the backstop for everything else
    from gluonbridge.codemods import engine
    with pytest.raises(MigrationError, match="comment"):
        engine._check_result("x = 1  # note\n", "x = 1\n")
    with pytest.raises(MigrationError, match="compile"):
        engine._check_result("x = 1\n", "x = (\n")


def test_usable_as_a_libcst_codemod_command():
    from gluonbridge.codemods.command import MigrateGluonCommand
    command = MigrateGluonCommand(CodemodContext(), unsafe=True)
    result = command.transform_module(cst.parse_module(LEGACY))
    assert "name_scope" not in result.code and "# footer comment" in result.code
    dual = MigrateGluonCommand(CodemodContext(), target="dual")
    assert "with compat.name_scope(self):" in dual.transform_module(cst.parse_module(LEGACY)).code
