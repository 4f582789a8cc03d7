"""MXNet 1.9.1's own ``gluon/model_zoo/vision`` sources, copied out of the mx1 oracle as a user's
package (package-relative imports of MXNet made absolute), for the executed codemod checks."""
import ast
import json
import re
import shutil
from pathlib import Path

from gluonbridge.codemod.cli import main
from tests.oracle.harness import REPO, oracle_dir

_ABSOLUTE = [(r"from \.\.\.\. import", "from mxnet import"),
             (r"from \.\.\.\. ?(\w)", r"from mxnet.\1"),
             (r"from \.\.\. import", "from mxnet.gluon import"),
             (r"from \.\.\.(\w)", r"from mxnet.gluon.\1"),
             (r"from \.\.model_store", "from mxnet.gluon.model_zoo.model_store")]

#: models whose 1.9.1 checkpoint is loaded into the codemodded code (one per family).
CHECKPOINT_MODELS = ["resnet18_v1", "resnet18_v2", "mobilenet0.25", "mobilenetv2_0.25",
                     "squeezenet1.1", "densenet121", "inceptionv3"]


def copy_zoo(package: Path) -> list:
    """Write the zoo sources into the new package directory ``package``; its model names."""
    source = oracle_dir() / "mx1/lib/python3.11/site-packages/mxnet/gluon/model_zoo/vision"
    package.mkdir()
    for path in source.glob("*.py"):
        text = path.read_text()
        for pattern, replacement in _ABSOLUTE:
            text = re.sub(pattern, replacement, text)
        (package / path.name).write_text(text)
    for node in ast.walk(ast.parse((package / "__init__.py").read_text())):
        if isinstance(node, ast.Dict) and len(node.keys) > 20:
            return [key.value for key in node.keys]
    raise AssertionError("model table not found")


def codemodded_zoo(tmp_path_factory, package: str, *flags: str) -> tuple:
    """``<root>/<package>``: the zoo run through the codemod with ``flags``;
    ``<root>/original_zoo``: the zoo as it was. Returns (root, model names, the codemod's JSON
    report, the migrated text)."""
    root = tmp_path_factory.mktemp(package)
    names = copy_zoo(root / package)
    shutil.copytree(root / package, root / "original_zoo")
    report = root / "report.json"
    assert main([str(root / package), *flags, "--no-progress", "--quiet", "--jobs", "1",
                 "--report", str(report)]) == 0
    migrated = "".join(p.read_text() for p in (root / package).glob("*.py"))
    return root, names, json.loads(report.read_text()), migrated


def path_setup(root: Path) -> str:
    """Snippet lines that make the copied packages and this checkout's ``compat`` importable."""
    return f"import sys\nsys.path[:0] = [{str(root)!r}, {str(REPO)!r}]\n"


def save_checkpoints_snippet(package: str, directory: Path) -> str:
    """mx1 snippet: each CHECKPOINT_MODELS model of ``package``, initialised at random, saves its
    parameters and input next to each other; ``result`` is its output per model."""
    return f"""
import numpy as np
import {package} as zoo
out = {{}}
for name in {CHECKPOINT_MODELS!r}:
    size = 299 if name == 'inceptionv3' else 224
    x = np.random.RandomState(0).uniform(-1, 1, (1, 3, size, size)).astype('float32')
    np.save({str(directory)!r} + '/' + name + '.npy', x)
    net = zoo.get_model(name)
    net.initialize(mx.init.Xavier(magnitude=2), force_reinit=True)
    y = net(mx.nd.array(x))
    net.save_parameters({str(directory)!r} + '/' + name + '.params')
    out[name] = y.asnumpy().ravel().tolist()
result = out
"""


def load_checkpoints_snippet(package: str, directory: Path, array: str) -> str:
    """Snippet: each CHECKPOINT_MODELS model of ``package`` loads the saved checkpoint and runs
    on the saved input (``array``: ``mx.nd.array`` on 1.x, ``mx.np.array`` on 2.x)."""
    return f"""
import numpy as onp
import {package} as zoo
out = {{}}
for name in {CHECKPOINT_MODELS!r}:
    net = zoo.get_model(name)
    net.load_parameters({str(directory)!r} + '/' + name + '.params')
    x = {array}(onp.load({str(directory)!r} + '/' + name + '.npy'))
    out[name] = net(x).asnumpy().ravel().tolist()
result = out
"""


def structure_snippet(package: str, names: list) -> str:
    """mx2 snippet: per model, (keys and shapes of ``package``'s model, of 2.x's own zoo)."""
    return f"""
import {package} as zoo
from mxnet.gluon.model_zoo import vision
def keys(net):
    return sorted((k, list(p.shape)) for k, p in net.collect_params().items())
result = {{name: [keys(zoo.get_model(name)), keys(vision.get_model(name))] for name in {names!r}}}
"""
