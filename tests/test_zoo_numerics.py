"""Model-zoo outputs on ONNX against MXNet 1.9.1's forward pass, on both backends.

Both sides build the model, run once (completing deferred shapes), then set every parameter from
the same seeded generator in structural-key order (weights fan-in scaled, BatchNorm statistics
random) and run a seeded input; the outputs must agree within 1e-5 of MXNet's max abs output.
The models are gluonbridge's own zoo (``gluonbridge.gluon.model_zoo.vision``) under each naming
mode, and MXNet 1.9.1's own zoo sources imported through gluonbridge's ``mxnet`` shim (real model
code, executed by gluonbridge).
"""
import numpy as np
import pytest

from tests.oracle.harness import oracle_python

SEEDED_RUN = """
import numpy as np
def seeded_weights(net):
    rng = np.random.RandomState(7)
    out = {}
    for key, p in net._collect_params_with_prefix().items():
        shape = tuple(p.shape)
        if key.endswith('running_var') or key.endswith('gamma'):
            v = rng.uniform(0.5, 1.5, shape)
        elif key.endswith('weight') and len(shape) >= 2:
            s = np.sqrt(3.0 / np.prod(shape[1:]))
            v = rng.uniform(-s, s, shape)
        else:
            v = rng.uniform(-0.1, 0.1, shape)
        out[key] = v.astype('float32')
    return out
result = []
for name, size in CASES:
    net = vision.get_model(name)
    net.initialize()
    x = np.random.RandomState(1).uniform(-1, 1, (2, 3, size, size)).astype('float32')
    net(ARRAY(x))
    params = net._collect_params_with_prefix()
    for key, value in seeded_weights(net).items():
        params[key].set_data(ARRAY(value))
    result.append(np.asarray(OUTPUT(net(ARRAY(x)))).tolist())
"""

MXNET = "from mxnet.gluon.model_zoo import vision\nARRAY = mx.nd.array\nOUTPUT = lambda y: y.asnumpy()\n"

OWN_ZOO = """
from gluonbridge import backend
from gluonbridge.gluon.model_zoo import vision
backend.use({backend!r})
ARRAY = OUTPUT = lambda a: a
"""

THROUGH_SHIM = """
import importlib.util, sys
from gluonbridge import backend, mxnet_shim
mxnet_shim.install()
import mxnet
spec = importlib.util.spec_from_file_location(
    'mxnet.gluon.model_zoo.mxnet_vision', {init!r}, submodule_search_locations=[{folder!r}])
vision = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = vision
spec.loader.exec_module(vision)
backend.use({backend!r})
ARRAY = OUTPUT = lambda a: a
"""

# one model per architecture family by default; every zoo model in the slow run
FAMILIES = [("resnet18_v1", 64), ("resnet50_v2", 64), ("mobilenet0.25", 64),
            ("mobilenetv2_0.25", 64), ("squeezenet1.0", 224), ("squeezenet1.1", 224),
            ("densenet121", 224), ("inceptionv3", 299), ("alexnet", 224), ("vgg11_bn", 224)]
EVERY_MODEL = [(f"resnet{d}_v{v}", 64) for v in (1, 2) for d in (18, 34, 50, 101, 152)] + \
    [(f"vgg{d}{bn}", 224) for d in (11, 13, 16, 19) for bn in ("", "_bn")] + \
    [("alexnet", 224), ("inceptionv3", 299), ("squeezenet1.0", 224), ("squeezenet1.1", 224)] + \
    [(f"densenet{d}", 224) for d in (121, 161, 169, 201)] + \
    [(f"mobilenet{w}", 64) for w in ("1.0", "0.75", "0.5", "0.25")] + \
    [(f"mobilenetv2_{w}", 64) for w in ("1.0", "0.75", "0.5", "0.25")]


_expected = {}


def _compare(mx1, gb_legacy, gb_structural, source, cases, backend):
    header = f"CASES = {cases!r}\n"
    key = tuple(cases)
    if key not in _expected:
        _expected[key] = mx1.run(header + MXNET + SEEDED_RUN)
    if source == "mxnet-zoo-via-shim":
        folder = oracle_python("mx1").parents[1] / "lib" / "python3.11" / "site-packages" / \
            "mxnet" / "gluon" / "model_zoo" / "vision"
        setup, interp = THROUGH_SHIM.format(init=str(folder / "__init__.py"), folder=str(folder),
                                            backend=backend), gb_legacy
    else:
        setup = OWN_ZOO.format(backend=backend)
        interp = gb_legacy if source == "gluonbridge-zoo-legacy" else gb_structural
    got = interp.run(header + setup + SEEDED_RUN)
    for (name, _), want, have in zip(cases, _expected[key], got):
        want, have = np.asarray(want), np.asarray(have)
        assert have.shape == want.shape, name
        rel = float(np.abs(have - want).max() / np.abs(want).max())
        assert rel <= 1e-5, f"{name}: relative error {rel:.2e}"


SOURCES = ["gluonbridge-zoo-legacy", "gluonbridge-zoo-structural", "mxnet-zoo-via-shim"]
QUICK_REFERENCE = [("resnet18_v1", 64), ("mobilenetv2_0.25", 64), ("squeezenet1.1", 224)]


@pytest.mark.oracle
@pytest.mark.parametrize("source,backend,cases",
                         [(source, "onnxruntime", FAMILIES) for source in SOURCES] +
                         [("gluonbridge-zoo-structural", "reference", QUICK_REFERENCE)])
def test_architecture_families_match_mxnet(mx1, gb_legacy, gb_structural, source, backend, cases):
    _compare(mx1, gb_legacy, gb_structural, source, cases, backend)


@pytest.mark.oracle
@pytest.mark.slow
@pytest.mark.parametrize("source", SOURCES[:2])
@pytest.mark.parametrize("backend,cases", [
    ("onnxruntime", EVERY_MODEL),
    ("reference", [c for c in FAMILIES if c not in QUICK_REFERENCE and c[0] != "vgg11_bn"]),
])
def test_every_zoo_model_matches_mxnet(mx1, gb_legacy, gb_structural, source, backend, cases):
    """Every zoo model on onnxruntime; the other families on the (slow, numpy) reference
    evaluator."""
    for start in range(0, len(cases), 6):   # bounded memory per process
        _compare(mx1, gb_legacy, gb_structural, source, cases[start:start + 6], backend)
