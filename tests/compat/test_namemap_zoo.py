"""compat.namemap on model-zoo models feeds ``python -m gluonbridge.convert --namemap``.

MXNet 1.9.1 builds each model, runs one batch (so every shape is known), writes its
``collect_params().save`` file (full prefixed names) and ``compat.namemap``. The converter turns
the file into 2.x keys; MXNet 2.0.0b1's own zoo model must have exactly those keys, load the file
with its own ``load_parameters`` and compute the same outputs. Back again: 2.0.0b1's own
``save_parameters`` file, converted with ``--legacy-names``, must carry exactly 1.9.1's own names
and load through 1.9.1's ``collect_params().load`` with the same outputs. gluonbridge's legacy
mode must write the same name map; 2.x sides have no 1.x names and refuse.
"""
import subprocess
import sys

import numpy as np
import pytest

from tests.oracle.harness import REPO

pytestmark = [pytest.mark.oracle, pytest.mark.slow]

MODELS = ("resnet18_v1", "mobilenet0.25", "densenet121")

COMMON = r'''
import json, zlib
import numpy as np
from gluonbridge import compat
from gluonbridge.compat import mx
vision = compat.gluon.model_zoo.vision

ARRAY = mx.np.array if compat.IS_MX2 else mx.nd.array
X = np.random.RandomState(1).uniform(-1, 1, (1, 3, 224, 224)).astype('float32')

def output(net):
    return net(ARRAY(X)).asnumpy().tolist()
'''

MX1_SAVE = r'''
result = {}
for name in MODELS:
    net = vision.get_model(name)
    net.initialize()
    net(ARRAY(X))
    for key, p in net._collect_params_with_prefix().items():   # BatchNorm statistics too
        if key.endswith(('gamma', 'beta', 'running_mean', 'running_var')):
            low, high = (0.5, 1.5) if key.endswith(('gamma', 'running_var')) else (-0.3, 0.3)
            rng = np.random.RandomState(zlib.crc32(key.encode()))
            p.set_data(ARRAY(rng.uniform(low, high, p.shape).astype('float32')))
    net.collect_params().save(f'{DIR}/{name}-mx1.params')
    doc = compat.namemap(net, f'{DIR}/{name}-namemap.json')
    result[name] = {'output': output(net), 'names': list(net.collect_params().keys()),
                    'entries': doc['entries']}
'''

MX2_LOAD = r'''
result = {}
for name in MODELS:
    net = vision.get_model(name)
    net.load_parameters(f'{DIR}/{name}-converted.params')
    net.save_parameters(f'{DIR}/{name}-mx2.params')
    refused = False
    try:
        compat.namemap(net)
    except compat.LegacyNamesUnavailable:
        refused = True
    result[name] = {'output': output(net), 'keys': list(net._collect_params_with_prefix()),
                    'file_keys': list(np.load(f'{DIR}/{name}-converted.params').keys()),
                    'namemap_refused': refused}
'''

MX1_LOAD = r'''
result = {}
for name in MODELS:
    net = vision.get_model(name)
    path = f'{DIR}/{name}-back.params'
    net.collect_params().load(path)
    result[name] = {'output': output(net), 'names': list(net.collect_params().keys()),
                    'file_keys': list(mx.nd.load(path).keys())}
'''

GB_NAMEMAP = r'''
result = {name: compat.namemap(vision.get_model(name))['entries'] for name in MODELS}
'''


def _convert(source, target, namemap, *extra):
    subprocess.run([sys.executable, "-m", "gluonbridge.convert", str(source), str(target),
                    "--namemap", str(namemap), *extra], check=True, cwd=REPO,
                   capture_output=True)


def _close(have, want):
    have, want = np.asarray(have), np.asarray(want)
    return have.shape == want.shape and float(np.abs(have - want).max()) <= \
        1e-4 * float(np.abs(want).max())


@pytest.fixture(scope="module")
def round_trip(sides, tmp_path_factory):
    folder = tmp_path_factory.mktemp("zoo_namemap")
    head = f"DIR = {str(folder)!r}\nMODELS = {MODELS!r}\n" + COMMON
    mx1 = sides["mx1"].run(head + MX1_SAVE)
    for name in MODELS:
        _convert(folder / f"{name}-mx1.params", folder / f"{name}-converted.params",
                 folder / f"{name}-namemap.json", "--to", "mx2")
    mx2 = sides["mx2"].run(head + MX2_LOAD)
    for name in MODELS:
        _convert(folder / f"{name}-mx2.params", folder / f"{name}-back.params",
                 folder / f"{name}-namemap.json", "--to", "mx1", "--legacy-names")
    back = sides["mx1"].run(head + MX1_LOAD)
    return mx1, mx2, back


@pytest.mark.parametrize("name", MODELS)
def test_converted_file_has_mxnet2s_own_keys_and_outputs(round_trip, name):
    mx1, mx2, _ = round_trip
    got = mx2[name]
    assert sorted(got["file_keys"]) == sorted(got["keys"])
    assert _close(got["output"], mx1[name]["output"])
    assert got["namemap_refused"]


@pytest.mark.parametrize("name", MODELS)
def test_converted_back_has_mxnet1s_own_names_and_outputs(round_trip, name):
    mx1, _, back = round_trip
    assert back[name]["file_keys"] == mx1[name]["names"] == back[name]["names"]
    assert _close(back[name]["output"], mx1[name]["output"])


def test_gluonbridge_legacy_writes_mxnets_name_map(round_trip, sides):
    mx1, _, _ = round_trip
    got = sides["legacy"].run(f"MODELS = {MODELS!r}\n" + COMMON + GB_NAMEMAP)
    for name in MODELS:
        assert [(e["legacy"], e["structural"]) for e in got[name]] == \
            [(e["legacy"], e["structural"]) for e in mx1[name]["entries"]], name
