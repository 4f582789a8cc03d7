"""The libcst codemod command (``python -m libcst.tool codemod -x
gluonbridge.codemods.command.MigrateGluonCommand``) migrates exactly as the command line does:
both build their Options from the same option definitions (gluonbridge.codemods.config)."""
import os
import shutil
import subprocess
import sys

from gluonbridge.codemod.cli import main
from tests.oracle.harness import REPO

BASE = """\
from mxnet.gluon import nn


class Base(nn.HybridBlock):
    pass
"""
# Head is a Block only through base.py (the project pre-pass), and D2 is ignored below
NET = """\
from mxnet.gluon import nn
from base import Base


class Head(Base):
    def __init__(self, **kwargs):
        super(Head, self).__init__(**kwargs)
        with self.name_scope():
            self.fc = nn.Dense(3, prefix='fc_')

    def hybrid_forward(self, F, x):
        return F.relu(self.fc(x))


net = Head(prefix='head_')
net.collect_params().setattr('grad_req', 'null')
"""
CHOICES = ["--unsafe", "--forward", "--ignore", "D2", "--target", "dual"]


def test_command_and_cli_migrate_a_project_identically(tmp_path):
    source = tmp_path / "source"
    source.mkdir()
    (source / "base.py").write_text(BASE)
    (source / "net.py").write_text(NET)
    by_cli, by_command = shutil.copytree(source, tmp_path / "cli"), \
        shutil.copytree(source, tmp_path / "command")

    assert main([str(by_cli), *CHOICES, "--jobs", "1", "--no-progress", "--quiet"]) == 0
    tool = subprocess.run(
        [sys.executable, "-m", "libcst.tool", "codemod", "--no-format", "--hide-progress",
         "-x", "gluonbridge.codemods.command.MigrateGluonCommand", str(by_command),
         *CHOICES, "--project", str(by_command)],
        capture_output=True, text=True, cwd=tmp_path, env=_with_repo())
    assert tool.returncode == 0, tool.stderr

    migrated = (by_cli / "net.py").read_text()
    assert "net = Head(**compat.prefix_kw('head_'))" in migrated        # the pre-pass
    assert "net.collect_params().setattr('grad_req', 'null')" in migrated   # --ignore D2
    assert "def forward(self, x):" in migrated                          # --forward
    for name in ("base.py", "net.py"):
        assert (by_command / name).read_text() == (by_cli / name).read_text(), name


def _with_repo():
    return dict(os.environ, PYTHONPATH=os.pathsep.join(
        filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))
