"""Model-zoo outputs on ONNX against MXNet 1.9.1's forward pass, through checkpoint files.

MXNet 1.9.1 builds each model, sets every parameter from a seeded generator (weights fan-in
scaled, BatchNorm statistics random), runs a seeded input and saves its parameters with
``save_parameters`` and ``collect_params().save``; gluonbridge converts the first to npz,
safetensors and ONNX initializers. gluonbridge then loads every one of those files (the first as
``pretrained=``), checks they give bit-identical Parameters, runs the same input on onnxruntime,
OpenVINO (fp32) or the onnx reference evaluator, and must agree within 1e-5 of MXNet's max abs
output.
The models are gluonbridge's own zoo (``gluonbridge.gluon.model_zoo.vision``) under each naming
mode, and MXNet 1.9.1's own zoo sources imported through gluonbridge's ``mxnet`` shim (real model
code, executed by gluonbridge).
"""
import shutil
import numpy as np
import pytest

from gluonbridge import checkpoint

from tests import backends
from tests.oracle.harness import oracle_python

MXNET_SAVE = """
import numpy as np
from mxnet.gluon.model_zoo import vision
rng = np.random.RandomState(7)
result = []
for name, size in CASES:
    net = vision.get_model(name)
    net.initialize()
    x = np.random.RandomState(1).uniform(-1, 1, (2, 3, size, size)).astype('float32')
    net(mx.nd.array(x))
    for key, p in net._collect_params_with_prefix().items():
        shape = tuple(p.shape)
        if key.endswith('running_var') or key.endswith('gamma'):
            v = rng.uniform(0.5, 1.5, shape)
        elif key.endswith('weight') and len(shape) >= 2:
            s = np.sqrt(3.0 / np.prod(shape[1:]))
            v = rng.uniform(-s, s, shape)
        else:
            v = rng.uniform(-0.1, 0.1, shape)
        p.set_data(mx.nd.array(v.astype('float32')))
    net.save_parameters(f'{DIR}/{name}.params')
    net.collect_params().save(f'{DIR}/{name}-full.params')
    result.append(net(mx.nd.array(x)).asnumpy().tolist())
"""

# Loads the first file (as pretrained= where the zoo supports it), then every other file, which
# must give bit-identical Parameters, then runs the model once.
LOAD_AND_RUN = """
import numpy as np
result = []
for name, size in CASES:
    files = FILES[name]
    if PRETRAINED:
        net = vision.get_model(name, pretrained=files[0])
    else:
        net = vision.get_model(name)
        net.load_parameters(files[0])
    params = net._collect_params_with_prefix()
    first = {key: np.array(p.data()) for key, p in params.items()}
    for path in files[1:]:
        net.load_parameters(path)
        for key, p in params.items():
            assert p.data().dtype == first[key].dtype and np.array_equal(p.data(), first[key]), \
                (path, key)
    x = np.random.RandomState(1).uniform(-1, 1, (2, 3, size, size)).astype('float32')
    result.append(np.asarray(net(x)).tolist())
"""

OWN_ZOO = """
from gluonbridge import backend
from gluonbridge.gluon.model_zoo import vision
backend.use({backend!r})
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
"""

# one model per architecture family by default (the small ones); every zoo model in the slow run
FAMILIES = [("resnet18_v1", 64), ("resnet50_v2", 64), ("mobilenet0.25", 64),
            ("mobilenetv2_0.25", 64), ("squeezenet1.0", 224), ("squeezenet1.1", 224),
            ("densenet121", 224), ("inceptionv3", 299)]   # alexnet, vgg (0.2-0.5 GB): slow run
EVERY_MODEL = [(f"resnet{d}_v{v}", 64) for v in (1, 2) for d in (18, 34, 50, 101, 152)] + \
    [(f"vgg{d}{bn}", 224) for d in (11, 13, 16, 19) for bn in ("", "_bn")] + \
    [("alexnet", 224), ("inceptionv3", 299), ("squeezenet1.0", 224), ("squeezenet1.1", 224)] + \
    [(f"densenet{d}", 224) for d in (121, 161, 169, 201)] + \
    [(f"mobilenet{w}", 64) for w in ("1.0", "0.75", "0.5", "0.25")] + \
    [(f"mobilenetv2_{w}", 64) for w in ("1.0", "0.75", "0.5", "0.25")]


_saved = {}


def _mxnet_checkpoints(mx1, cases, folder):
    """MXNet 1.9.1's outputs and checkpoints for ``cases`` (made once per test module): its own
    ``save_parameters`` and ``collect_params().save`` files, plus the first converted by
    gluonbridge to npz, safetensors and ONNX initializers."""
    key = (tuple(cases), str(folder))
    if key not in _saved:
        outputs = mx1.run(f"CASES = {cases!r}\nDIR = {str(folder)!r}\n" + MXNET_SAVE)
        for name, _ in cases:
            arrays = checkpoint.load(folder / f"{name}.params")
            for suffix, fmt in (("npz", "npz"), ("safetensors", "safetensors"), ("onnx", "onnx")):
                checkpoint.save(folder / f"{name}.{suffix}", arrays, fmt, force=True)
        _saved[key] = outputs
    return _saved[key]


def _compare(mx1, gb_legacy, gb_structural, folder, source, cases, backend):
    # one subfolder per list of cases: MXNet saves a model anew (new random weights) for each
    # list it is in, which must not overwrite the files another list's outputs came from
    folder = folder / "-".join(name for name, _ in cases)
    folder.mkdir(exist_ok=True)
    expected = _mxnet_checkpoints(mx1, cases, folder)
    files = {name: [str(folder / f"{name}.{suffix}") for suffix in
                    ("params", "npz", "safetensors", "onnx")] for name, _ in cases}
    if source != "gluonbridge-zoo-structural":     # 1.x full names need legacy naming
        for name, paths in files.items():
            paths.append(str(folder / f"{name}-full.params"))
    if source == "mxnet-zoo-via-shim":
        zoo = oracle_python("mx1").parents[1] / "lib" / "python3.11" / "site-packages" / \
            "mxnet" / "gluon" / "model_zoo" / "vision"
        setup, interp = THROUGH_SHIM.format(init=str(zoo / "__init__.py"), folder=str(zoo),
                                            backend=backend), gb_legacy
    else:
        setup = OWN_ZOO.format(backend=backend)
        interp = gb_legacy if source == "gluonbridge-zoo-legacy" else gb_structural
    header = (f"CASES = {cases!r}\nFILES = {files!r}\n"
              f"PRETRAINED = {source != 'mxnet-zoo-via-shim'}\n")
    got = interp.run(header + setup + LOAD_AND_RUN)
    for (name, _), want, have in zip(cases, expected, got):
        want, have = np.asarray(want), np.asarray(have)
        assert have.shape == want.shape, name
        rel = float(np.abs(have - want).max() / np.abs(want).max())
        assert rel <= 1e-5, f"{name}: relative error {rel:.2e}"


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("zoo_checkpoints")


SOURCES = ["gluonbridge-zoo-legacy", "gluonbridge-zoo-structural", "mxnet-zoo-via-shim"]
QUICK_REFERENCE = [("resnet18_v1", 64), ("mobilenetv2_0.25", 64), ("squeezenet1.1", 224)]


@pytest.mark.oracle
@pytest.mark.parametrize("source,backend,cases",
                         [(source, "onnxruntime", FAMILIES) for source in SOURCES] +
                         [("gluonbridge-zoo-structural", "reference", QUICK_REFERENCE),
                          pytest.param("gluonbridge-zoo-legacy", "openvino", FAMILIES,
                                       marks=backends.needs("openvino"))])
def test_architecture_families_match_mxnet(mx1, gb_legacy, gb_structural, folder, source, backend,
                                           cases):
    _compare(mx1, gb_legacy, gb_structural, folder, source, cases, backend)


@pytest.mark.oracle
@pytest.mark.slow
@pytest.mark.parametrize("backend,cases,sources", [
    ("onnxruntime", [c for c in EVERY_MODEL if c not in FAMILIES], SOURCES[:2]),
    ("reference", [c for c in FAMILIES if c not in QUICK_REFERENCE], SOURCES[:1]),
])
def test_every_zoo_model_matches_mxnet(mx1, gb_legacy, gb_structural, tmp_path, backend, cases,
                                       sources):
    """The zoo models the quick test leaves out on onnxruntime, in both namings; the other
    families on the (slow, numpy) reference evaluator (OpenVINO runs every family in the quick
    test). Two models at a time (bounded memory per process), each pair's checkpoints removed
    before the next: all of them at once would fill 29 GB of the disk."""
    for start in range(0, len(cases), 2):
        group = tmp_path / f"group{start}"
        group.mkdir()
        for source in sources:
            _compare(mx1, gb_legacy, gb_structural, group, source, cases[start:start + 2],
                     backend)
        shutil.rmtree(group)
