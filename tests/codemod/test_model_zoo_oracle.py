"""Executed check: MXNet 1.9.1's own model zoo, codemodded, runs under MXNet 2.0.0b1.

The 1.9.1 ``gluon/model_zoo/vision`` sources are copied out of the installed oracle, their
package-relative imports made absolute (as in a user's project), and migrated with
``--unsafe --forward --device``. Under 2.0.0b1 every model builds with the same structural
parameter keys and shapes as 2.0.0b1's own model zoo, and a checkpoint that 1.9.1 saved from
the original model loads into the codemodded one and reproduces 1.9.1's output.
"""
import ast
import json
import re
import shutil
from pathlib import Path

import numpy as np
import pytest

from gluonbridge.codemod.cli import main
from tests.oracle.harness import oracle_dir

pytestmark = [pytest.mark.oracle, pytest.mark.slow]

_ABSOLUTE = [(r"from \.\.\.\. import", "from mxnet import"),
             (r"from \.\.\.\. ?(\w)", r"from mxnet.\1"),
             (r"from \.\.\. import", "from mxnet.gluon import"),
             (r"from \.\.\.(\w)", r"from mxnet.gluon.\1"),
             (r"from \.\.model_store", "from mxnet.gluon.model_zoo.model_store")]
CHECKPOINT_MODELS = ["resnet18_v1", "resnet18_v2", "mobilenet0.25", "mobilenetv2_0.25",
                     "squeezenet1.1", "densenet121", "inceptionv3"]


@pytest.fixture(scope="module")
def migrated_zoo(tmp_path_factory, mx1):
    source = oracle_dir() / "mx1/lib/python3.11/site-packages/mxnet/gluon/model_zoo/vision"
    root = tmp_path_factory.mktemp("zoo")
    package = root / "legacy_zoo"
    package.mkdir()
    for path in source.glob("*.py"):
        text = path.read_text()
        for pattern, replacement in _ABSOLUTE:
            text = re.sub(pattern, replacement, text)
        (package / path.name).write_text(text)
    shutil.copytree(package, root / "original_zoo")
    report = root / "report.json"
    assert main([str(package), "--unsafe", "--forward", "--device", "--no-progress", "--quiet",
                 "--jobs", "1", "--report", str(report)]) == 0
    migrated = "".join(p.read_text() for p in package.glob("*.py"))
    assert "name_scope" not in migrated and "prefix=" not in migrated
    assert "hybrid_forward" not in migrated
    return root, _model_names(package / "__init__.py"), json.loads(report.read_text())


def _model_names(init: Path) -> list:
    for node in ast.walk(ast.parse(init.read_text())):
        if isinstance(node, ast.Dict) and len(node.keys) > 20:
            return [key.value for key in node.keys]
    raise AssertionError("model table not found")


def test_every_codemodded_model_has_mx2_model_zoo_structure(migrated_zoo, mx2):
    root, names, _ = migrated_zoo
    result = mx2.run(f"""
import sys
sys.path.insert(0, {str(root)!r})
import legacy_zoo
from mxnet.gluon.model_zoo import vision
def keys(net):
    return sorted((k, list(p.shape)) for k, p in net.collect_params().items())
result = {{name: [keys(legacy_zoo.get_model(name)), keys(vision.get_model(name))]
          for name in {names!r}}}
""")
    assert sorted(result) == sorted(names) and len(names) > 30
    for name, (mine, theirs) in result.items():
        assert mine == theirs, name


def test_checkpoint_saved_by_mx1_gives_mx1_output_in_codemodded_model(migrated_zoo, mx1, mx2,
                                                                     tmp_path):
    root, _, _ = migrated_zoo
    expected = mx1.run(f"""
import sys, numpy as np
sys.path.insert(0, {str(root)!r})
import original_zoo
out = {{}}
for name in {CHECKPOINT_MODELS!r}:
    size = 299 if name == 'inceptionv3' else 224
    x = np.random.RandomState(0).uniform(-1, 1, (1, 3, size, size)).astype('float32')
    np.save({str(tmp_path)!r} + '/' + name + '.npy', x)
    net = original_zoo.get_model(name)
    net.initialize(mx.init.Xavier(magnitude=2), force_reinit=True)
    y = net(mx.nd.array(x))
    net.save_parameters({str(tmp_path)!r} + '/' + name + '.params')
    out[name] = y.asnumpy().ravel().tolist()
result = out
""")
    actual = mx2.run(f"""
import sys, numpy as onp
sys.path.insert(0, {str(root)!r})
import legacy_zoo
out = {{}}
for name in {CHECKPOINT_MODELS!r}:
    net = legacy_zoo.get_model(name)
    net.load_parameters({str(tmp_path)!r} + '/' + name + '.params')
    x = mx.np.array(onp.load({str(tmp_path)!r} + '/' + name + '.npy'))
    out[name] = net(x).asnumpy().ravel().tolist()
result = out
""")
    for name in CHECKPOINT_MODELS:
        np.testing.assert_allclose(actual[name], expected[name], rtol=1e-4, atol=1e-5,
                                   err_msg=name)


def test_rewrite_targets_exist_in_mx2(mx1, mx2):
    from codemods.forward_ops import OPS
    targets = sorted({(kind, name) for kind, name in OPS.values() if kind in ("np", "npx")})
    methods = ["initialize", "setattr", "reset_device", "zero_grad", "share_parameters",
               "load_dict", "save_parameters", "load_parameters"]
    missing = mx2.run(f"""
from mxnet.gluon import nn, Block, Parameter, Constant
targets = {targets!r}
result = {{
    'ops': [f'{{k}}.{{n}}' for k, n in targets if not hasattr(getattr(mx, k), n)],
    'block': [m for m in {methods!r} if not hasattr(Block, m)],
    'nn': [c for c in ('HybridConcatenate', 'Concatenate', 'Identity') if not hasattr(nn, c)],
    'name_scope': hasattr(Block, 'name_scope'),
}}
""")
    assert missing == {"ops": [], "block": [], "nn": [], "name_scope": False}
    legacy = mx1.run("from mxnet.gluon import Block\nresult = hasattr(Block, 'name_scope')")
    assert legacy is True
