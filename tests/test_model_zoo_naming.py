"""The vision model zoo names everything as MXNet does: legacy naming as MXNet 1.9.1, structural
naming as MXNet 2.0.0b1.

One program builds every zoo model (by name, in a fixed order, some twice so the top-level counters
advance, some with non-default arguments, and the block classes directly). It runs once in each
oracle and once in gluonbridge per naming mode (``mxnet`` replaced by ``gluonbridge``), each in one
fresh process; tests/oracle/describe_models.py reports, per model, the prefix and name (1.x), every
block's path, class (and prefix in 1.x) walking ``_children``, the structural keys with parameter
names, and the ``collect_params()`` entries ``[name, key, shape, grad_req]``. gluonbridge must
report exactly what the oracle reports.
"""
import concurrent.futures

import pytest

from gluonbridge.gluon.model_zoo.model_store import get_model_file, load_pretrained
from tests.oracle.harness import describe_snippet, to_gluonbridge

ZOO = ["alexnet", "vgg11", "vgg13", "vgg16", "vgg19", "vgg11_bn", "vgg13_bn", "vgg16_bn",
       "vgg19_bn", "resnet18_v1", "resnet34_v1", "resnet50_v1", "resnet101_v1", "resnet152_v1",
       "resnet18_v2", "resnet34_v2", "resnet50_v2", "resnet101_v2", "resnet152_v2",
       "squeezenet1.0", "squeezenet1.1", "densenet121", "densenet161", "densenet169",
       "densenet201", "mobilenet1.0", "mobilenet0.75", "mobilenet0.5", "mobilenet0.25",
       "mobilenetv2_1.0", "mobilenetv2_0.75", "mobilenetv2_0.5", "mobilenetv2_0.25",
       "inceptionv3"]

# (label, expression) for every model the program builds, in build order
BOTH_MODES = [(name, f"vision.get_model({name!r})") for name in ZOO] + [
    # second instances: the top-level counters have advanced (alexnet1_, resnetv12_, ...)
    (name + "#2", f"vision.get_model({name!r})")
    for name in ["alexnet", "vgg11_bn", "resnet18_v1", "resnet50_v2", "squeezenet1.0",
                 "densenet121", "mobilenet0.25", "mobilenetv2_0.25", "inceptionv3"]] + [
    ("resnet18_v1(classes=10)", "vision.resnet18_v1(classes=10)"),
    ("get_resnet(2, 34)", "vision.get_resnet(2, 34)"),
    ("get_vgg(13, batch_norm=True)", "vision.get_vgg(13, batch_norm=True)"),
    ("ResNetV1 thumbnail", "vision.ResNetV1(vision.BasicBlockV1, [1, 2, 1, 1], "
                           "[16, 16, 32, 64, 128], classes=10, thumbnail=True)"),
    ("ResNetV2 thumbnail", "vision.ResNetV2(vision.BottleneckV2, [1, 1, 2, 1], "
                           "[16, 64, 128, 256, 512], classes=10, thumbnail=True)"),
    ("BasicBlockV1", "vision.BasicBlockV1(64, 2, True, in_channels=32)"),
    ("BottleneckV1", "vision.BottleneckV1(256, 1, True, in_channels=64)"),
    ("BasicBlockV2", "vision.BasicBlockV2(64, 2, True, in_channels=32)"),
    ("BottleneckV2", "vision.BottleneckV2(256, 1, False)"),
    ("DenseNet with dropout", "vision.DenseNet(32, 16, [2, 3], dropout=0.2, classes=5)"),
    ("SqueezeNet('1.1', classes=7)", "vision.SqueezeNet('1.1', classes=7)"),
    ("MobileNet(0.5, classes=3)", "vision.MobileNet(0.5, classes=3)"),
    ("MobileNetV2(1.4)", "vision.MobileNetV2(1.4)"),
    ("VGG small", "vision.VGG([1, 2], [8, 16], classes=3, batch_norm=True)"),
    ("Inception3(classes=5)", "vision.Inception3(classes=5)"),
]
# explicit prefixes exist only in MXNet 1.x (MXNet 2 rejects prefix=)
LEGACY_ONLY = [
    ("alexnet(prefix='mine_')", "vision.alexnet(prefix='mine_')"),
    ("resnet18_v2(prefix='')", "vision.get_model('resnet18_v2', prefix='')"),
    ("mobilenetv2_0.5(prefix='m')", "vision.get_model('mobilenetv2_0.5', prefix='m')"),
]
MODELS = {"mx1": BOTH_MODES + LEGACY_ONLY, "mx2": BOTH_MODES}

API_CHECKS = """
extra = {'public_names': sorted(n for n in dir(vision) if not n.startswith('_'))}
try:
    vision.get_model('ResNet19_v1')
except ValueError as e:
    extra['unknown_model'] = str(e)
try:
    extra['prefix_kwarg'] = vision.get_model('resnet18_v1', prefix='x_').name
except TypeError as e:
    extra['prefix_kwarg'] = str(e)
"""


def _program(version):
    builds = "\n".join(f"models.append({expr})" for _, expr in MODELS[version])
    return ("from mxnet import gluon\nvision = gluon.model_zoo.vision\nmodels = []\n"
            + builds + API_CHECKS)


@pytest.fixture(scope="module")
def described(mx1, mx2, gb_legacy, gb_structural):
    """{(version, side): description}, all four processes run at once."""
    runs = {("mx1", "oracle"): (mx1, describe_snippet(_program("mx1"), "mx1")),
            ("mx2", "oracle"): (mx2, describe_snippet(_program("mx2"), "mx2")),
            ("mx1", "gluonbridge"): (gb_legacy,
                                     describe_snippet(to_gluonbridge(_program("mx1")), "mx1")),
            ("mx2", "gluonbridge"): (gb_structural,
                                     describe_snippet(to_gluonbridge(_program("mx2")), "mx2"))}
    with concurrent.futures.ThreadPoolExecutor(len(runs)) as pool:
        futures = {key: pool.submit(interp.run, code) for key, (interp, code) in runs.items()}
        return {key: future.result() for key, future in futures.items()}


def _cases():
    for version, mode in (("mx1", "legacy"), ("mx2", "structural")):
        for index, (label, _) in enumerate(MODELS[version]):
            yield pytest.param(version, index, id=f"{mode}-{index:02d}-{label}")


@pytest.mark.oracle
@pytest.mark.parametrize("version", ["mx1", "mx2"], ids=["legacy", "structural"])
def test_every_model_built(version, described):
    for side in ("oracle", "gluonbridge"):
        result = described[version, side]
        assert "error" not in result, (side, result["error"])
        assert len(result["models"]) == len(MODELS[version]), side


@pytest.mark.oracle
@pytest.mark.parametrize("version,index", _cases())
def test_model_named_like_mxnet(version, index, described):
    expected = described[version, "oracle"]["models"][index]
    got = described[version, "gluonbridge"]["models"][index]
    assert expected["params"], "the oracle described no parameters"
    for field in sorted(set(expected) | set(got)):
        assert got.get(field) == expected.get(field), field


@pytest.mark.oracle
@pytest.mark.parametrize("version", ["mx1", "mx2"], ids=["legacy", "structural"])
def test_public_names_and_errors_like_mxnet(version, described):
    assert described[version, "gluonbridge"]["extra"] == described[version, "oracle"]["extra"]


class _RecordsLoad:
    """Stands in for a model: records the file ``load_parameters`` is asked to read."""

    def load_parameters(self, path):
        self.loaded = path


def test_pretrained_file_found_by_mxnet_download_name(tmp_path):
    (tmp_path / "resnet18_v1-a0666292.params").write_bytes(b"")
    (tmp_path / "resnet18_v10-01234567.params").write_bytes(b"")
    net = load_pretrained(_RecordsLoad(), "resnet18_v1", True, root=tmp_path)
    assert net.loaded == str(tmp_path / "resnet18_v1-a0666292.params")


def test_pretrained_plain_file_name_directory_or_file(tmp_path):
    (tmp_path / "squeezenet1.0.params").write_bytes(b"")
    assert get_model_file("squeezenet1.0", root=tmp_path) == str(tmp_path / "squeezenet1.0.params")
    by_dir = load_pretrained(_RecordsLoad(), "squeezenet1.0", str(tmp_path), root="/nonexistent")
    assert by_dir.loaded == str(tmp_path / "squeezenet1.0.params")
    own = tmp_path / "mine.params"
    own.write_bytes(b"")
    assert load_pretrained(_RecordsLoad(), "squeezenet1.0", own).loaded == str(own)


def test_pretrained_missing_file_is_not_downloaded(tmp_path):
    with pytest.raises(FileNotFoundError) as info:
        load_pretrained(_RecordsLoad(), "densenet121", True, root=tmp_path)
    message = str(info.value)
    assert str(tmp_path) in message and "densenet121-<hash>.params" in message
    assert "downloads nothing" in message
    assert list(tmp_path.iterdir()) == []


def test_pretrained_false_loads_nothing():
    assert not hasattr(load_pretrained(_RecordsLoad(), "alexnet", False), "loaded")
