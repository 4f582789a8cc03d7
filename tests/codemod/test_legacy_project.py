"""The embedded legacy example project (examples/legacy_project, shown by the README's main job):
its diff, and (oracle) that the result runs on 2.x."""
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from gluonbridge.codemod.cli import main

PROJECT = Path(__file__).parents[2] / "examples" / "legacy_project"
FLAGS = ["--unsafe", "--forward", "--no-progress", "--jobs", "1"]


def test_diff_of_the_example_project_shows_the_whole_migration():
    result = subprocess.run([sys.executable, "-m", "gluonbridge.codemod", "--diff", *FLAGS,
                             str(PROJECT)], capture_output=True, text=True,
                            cwd=Path(__file__).parents[2])
    assert result.returncode == 0, result.stderr
    for line in ("+def _make_stage(channels):", "+    def __init__(self, classes=10):",
                 "+        self.output = nn.Dense(classes)  # the classifier",
                 "+    def forward(self, x):", "+        scale = self.scale.data(x.device)",
                 "+    net.load_parameters(path, device=ctx)", "+    net.reset_device(ctx)"):
        assert line in result.stdout
    assert "GLUN11 error" in result.stderr


@pytest.mark.oracle
def test_migrated_example_loads_the_1x_checkpoint_and_gives_the_1x_output(tmp_path, mx1, mx2):
    shutil.copytree(PROJECT / "tinynet", tmp_path / "legacy" / "tinynet")
    shutil.copytree(PROJECT / "tinynet", tmp_path / "migrated" / "tinynet")
    assert main([str(tmp_path / "migrated"), *FLAGS, "--quiet"]) == 0
    expected = mx1.run(f"""
import sys, numpy as np
sys.path.insert(0, {str(tmp_path / 'legacy')!r})
import tinynet
net = tinynet.build()
x = np.random.RandomState(0).uniform(-1, 1, (2, 3, 8, 8)).astype('float32')
np.save({str(tmp_path / 'x.npy')!r}, x)
y = net(mx.nd.array(x)).asnumpy().tolist()
net.save_parameters({str(tmp_path / 'net.params')!r})
result = y
""")
    actual = mx2.run(f"""
import sys, numpy as onp
sys.path.insert(0, {str(tmp_path / 'migrated')!r})
import tinynet
net = tinynet.TinyNet()
net.load_parameters({str(tmp_path / 'net.params')!r})
result = net(mx.np.array(onp.load({str(tmp_path / 'x.npy')!r}))).asnumpy().tolist()
""")
    np.testing.assert_allclose(actual, expected, rtol=1e-5, atol=1e-6)
