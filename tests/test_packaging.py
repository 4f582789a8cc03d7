"""The package as users get it. The wheel: gluonbridge only at the top (``codemods/`` and
``compat/`` inside it), every source file, the console scripts, the dependencies. Then (slow) a
fresh virtualenv that pip-installs the wheel with its dependencies from the package index and
runs what the README promises: the codemod (diff, check, in place, dual), inspect, convert to
every format, a model run and ``export_onnx``; and the two ways of running from a checkout (an
editable install, and only ``PYTHONPATH``) resolve ``gluonbridge.codemods``/``compat`` to the
checkout's own folders."""
import hashlib
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import gluonbridge
from gluonbridge.checkpoint import read_index
from tests.codemod.test_cli import LEGACY, MIGRATED

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "data" / "legacy_model.params"
SCRIPTS = ("gluonbridge-codemod", "gluonbridge-convert", "gluonbridge-inspect")
#: the checkout's folders and where the wheel puts them
INSTALLED_AS = {"gluonbridge": "gluonbridge", "codemods": "gluonbridge/codemods",
                "compat": "gluonbridge/compat"}


def _copy_checkout(target: Path) -> Path:
    """The checkout's files (tracked and untracked, not ignored) copied to ``target``, so that a
    build leaves nothing in the checkout."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others",
                             "--exclude-standard"], cwd=REPO, capture_output=True, check=True)
    for name in filter(None, listed.stdout.decode().split("\0")):
        if (REPO / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, target / name)
    return target


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    source = _copy_checkout(tmp_path_factory.mktemp("source"))
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet",
                    "--disable-pip-version-check", "-w", str(dist), str(source)], check=True)
    (built,) = dist.glob("gluonbridge-*.whl")
    return built


def _wheel_text(wheel: Path, name: str) -> str:
    with zipfile.ZipFile(wheel) as archive:
        return archive.read(f"gluonbridge-{gluonbridge.__version__}.dist-info/{name}").decode()


@pytest.mark.slow
def test_wheel_holds_gluonbridge_only_with_every_source_file(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert {n.split("/")[0] for n in names} == {
        "gluonbridge", f"gluonbridge-{gluonbridge.__version__}.dist-info"}
    assert _wheel_text(wheel, "top_level.txt").split() == ["gluonbridge"]
    expected = {f"{INSTALLED_AS[folder]}/{p.relative_to(REPO / folder).as_posix()}"
                for folder in INSTALLED_AS for p in (REPO / folder).rglob("*.py")
                if "__pycache__" not in p.parts}
    assert expected - set(names) == set()
    assert "gluonbridge/codemods/engine.py" in names and "gluonbridge/compat/blocks.py" in names


@pytest.mark.slow
def test_wheel_metadata_scripts_dependencies_version(wheel):
    entry_points = _wheel_text(wheel, "entry_points.txt")
    for script, target in zip(SCRIPTS, ("gluonbridge.codemod.cli:main",
                                        "gluonbridge.convert:main",
                                        "gluonbridge.inspect:main")):
        assert f"{script} = {target}" in entry_points
    metadata = _wheel_text(wheel, "METADATA").splitlines()
    assert f"Version: {gluonbridge.__version__}" in metadata
    required = {line.split(": ", 1)[1].split(">")[0] for line in metadata
                if line.startswith("Requires-Dist:") and "extra ==" not in line}
    assert required == {"numpy", "blake3", "libcst", "onnx", "onnxruntime", "tqdm"}


class Venv:
    """A fresh virtualenv (no system site-packages); commands run outside the checkout with no
    PYTHONPATH, so only what is installed in it can be imported."""

    def __init__(self, root: Path, cwd: Path):
        subprocess.run([sys.executable, "-m", "venv", str(root)], check=True)
        self.bin = root / ("Scripts" if os.name == "nt" else "bin")
        self.cwd = cwd
        self.env = {k: v for k, v in os.environ.items()
                    if k != "PYTHONPATH" and not k.startswith("GLUONBRIDGE_")}

    def pip_install(self, *args):
        self.run("python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                 *args, check=True)

    def run(self, program, *args, check=False, pythonpath=None):
        env = dict(self.env, PYTHONPATH=str(pythonpath)) if pythonpath else self.env
        result = subprocess.run([str(self.bin / program), *map(str, args)], cwd=self.cwd,
                                env=env, capture_output=True, text=True)
        if check:
            assert result.returncode == 0, result.stderr
        return result

    def python(self, code, pythonpath=None):
        """Run ``code`` in the virtualenv; it prints one JSON document, returned."""
        result = self.run("python", "-c", code, check=True, pythonpath=pythonpath)
        return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory) -> Venv:
    env = Venv(tmp_path_factory.mktemp("venv"), tmp_path_factory.mktemp("work"))
    env.pip_install(str(wheel))
    env.wheel = wheel
    return env


WHERE = """
import importlib.util, json
import gluonbridge, gluonbridge.codemods, gluonbridge.compat
from gluonbridge.backend import runtime
print(json.dumps({'gluonbridge': gluonbridge.__file__, 'codemods': gluonbridge.codemods.__file__,
                  'compat': gluonbridge.compat.__file__, 'version': gluonbridge.__version__,
                  'top_level': [importlib.util.find_spec(n) is not None
                                for n in ('codemods', 'compat')],
                  'backend': runtime.current()}))
"""


@pytest.mark.slow
def test_installed_package_resolves_inside_itself(venv):
    got = venv.python(WHERE)
    package = Path(got["gluonbridge"]).parent
    assert package.parent.name == "site-packages" and venv.bin.parent in package.parents
    assert Path(got["codemods"]) == package / "codemods" / "__init__.py"
    assert Path(got["compat"]) == package / "compat" / "__init__.py"
    assert got["top_level"] == [False, False]
    assert got["version"] == gluonbridge.__version__ and got["backend"] == "onnxruntime"


@pytest.mark.slow
def test_installed_codemod_diff_check_in_place(venv):
    source = venv.cwd / "legacy.py"
    source.write_bytes(LEGACY)
    diff = venv.run("gluonbridge-codemod", "--diff", "--no-progress", source)
    assert diff.returncode == 0, diff.stderr
    assert "-        with self.name_scope():" in diff.stdout and source.read_bytes() == LEGACY
    assert venv.run("gluonbridge-codemod", "--check", "--no-progress", source).returncode == 1
    assert venv.run("gluonbridge-codemod", "--no-progress", source).returncode == 0
    assert source.read_bytes() == MIGRATED
    assert venv.run("gluonbridge-codemod", "--check", "--no-progress", source).returncode == 0


DUAL = """\
from gluonbridge import gluon
from gluonbridge.gluon import nn


class Net(gluon.HybridBlock):
    def __init__(self, **kwargs):
        super(Net, self).__init__(**kwargs)
        with self.name_scope():
            self.fc = nn.Dense(3, prefix='fc_')

    def hybrid_forward(self, F, x):
        return F.relu(self.fc(x))


net = Net(prefix='net_')
net.initialize()
import json, numpy
y = net(numpy.ones((2, 4), dtype='float32')).asnumpy()
print(json.dumps({'keys': sorted(net.collect_params()), 'shape': list(y.shape)}))
"""


@pytest.mark.slow
def test_installed_codemod_dual_output_runs(venv):
    source = venv.cwd / "dual.py"
    source.write_text(DUAL)
    result = venv.run("gluonbridge-codemod", "--target", "dual", "--forward", "--no-progress",
                      source)
    assert result.returncode == 0, result.stderr
    assert "from gluonbridge import compat" in source.read_text()
    legacy = venv.python(source.read_text())
    venv.env["GLUONBRIDGE_NAMING"] = "structural"
    try:
        structural = venv.python(source.read_text())
    finally:
        del venv.env["GLUONBRIDGE_NAMING"]
    assert legacy == {"keys": ["net_fc_bias", "net_fc_weight"], "shape": [2, 3]}
    assert structural == {"keys": ["fc.bias", "fc.weight"], "shape": [2, 3]}


def _arrays(path):
    """The arrays of a checkpoint file, by content: sorted (dtype, shape, sha256)."""
    return sorted((t.dtype, list(t.shape), t.parts[0].sha256())
                  for t in read_index(str(path)).tensors)


@pytest.mark.slow
@pytest.mark.parametrize("to,out", [("mx1", "out.params"), ("mx2", "out-mx2.params"),
                                    ("safetensors", "out.safetensors"), ("onnx", "out.onnx")])
def test_installed_inspect_and_convert_to_every_format(venv, to, out):
    inspected = venv.run("gluonbridge-inspect", "--json", EXAMPLE)
    assert inspected.returncode == 0, inspected.stderr
    assert len(json.loads(inspected.stdout)["tensors"]) == len(read_index(str(EXAMPLE)).tensors)
    model = []
    if to == "mx2":      # 1.x full names -> structural keys, through the example's model
        shutil.copy(REPO / "examples" / "legacy_model.py", venv.cwd / "legacy_model.py")
        model = ["--model", "legacy_model:build"]
    result = venv.run("gluonbridge-convert", EXAMPLE, venv.cwd / out, "--to", to, "--verify",
                      "--force", *model, pythonpath=venv.cwd if model else None)
    assert result.returncode == 0, result.stderr
    assert _arrays(venv.cwd / out) == _arrays(EXAMPLE)
    assert venv.run("gluonbridge-inspect", venv.cwd / out).returncode == 0


MODEL = """
import json
import numpy as np
import onnxruntime
from gluonbridge.gluon import nn
net = nn.HybridSequential()
net.add(nn.Dense(8, activation='relu'), nn.Dense(2))
net.initialize()
x = np.random.RandomState(0).rand(4, 5).astype('float32')
y = net(x).asnumpy()
net.export_onnx('net.onnx', x)
session = onnxruntime.InferenceSession('net.onnx', providers=['CPUExecutionProvider'])
z = session.run(None, {session.get_inputs()[0].name: x})[0]
print(json.dumps({'shape': list(y.shape), 'difference': float(abs(y - z).max())}))
"""


@pytest.mark.slow
def test_installed_model_runs_and_exports_onnx(venv):
    got = venv.python(MODEL)
    assert got["shape"] == [4, 2] and got["difference"] <= 1e-6


@pytest.mark.slow
def test_checkouts_map_their_own_folders(venv, tmp_path):
    """An editable install of one checkout, and another checkout on PYTHONPATH (a git worktree,
    the test harness): each resolves gluonbridge.codemods/compat to its own folders."""
    installed = _copy_checkout(tmp_path / "installed")
    venv.pip_install("--no-deps", "-e", str(installed))
    try:
        editable = venv.python(WHERE)
        other = venv.python(WHERE, pythonpath=REPO)
    finally:
        venv.pip_install("--force-reinstall", "--no-deps", str(venv.wheel))
    for got, root in ((editable, installed), (other, REPO)):
        assert Path(got["gluonbridge"]) == root / "gluonbridge" / "__init__.py"
        assert Path(got["codemods"]) == root / "codemods" / "__init__.py"
        assert Path(got["compat"]) == root / "compat" / "__init__.py"
    assert editable["top_level"] == [False, False]     # on PYTHONPATH the root's folders show
