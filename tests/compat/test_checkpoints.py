"""compat.save_parameters / load_parameters / load_dict / namemap across all four sides.

Each side builds the dual model of test_api.py with the same values (drawn per structural key)
and saves it three ways: ``compat.save_parameters``, its own ``save_parameters`` (``.npz`` on
2.x) and, on 1.x, ``collect_params().save`` (full prefixed names) next to ``compat.namemap``.
Then every side loads every file through compat (a 2.x side needs MXNet 1.9.1's name map for
the prefixed files) and compat's files through its own ``load_parameters``: the values must be
the saving side's. Failed loads must list every problem and leave the model untouched.
"""
import numpy as np
import pytest

from tests.compat.conftest import MIRRORS, SIDES
from tests.compat.test_api import COMMON, _run_all

pytestmark = pytest.mark.oracle

SAVE = r'''
with fresh():
    net = Net()
net.initialize()
seed(net)
base = DIR + '/' + SIDE
files = {'compat': base + '-compat.params', 'native': base + '-native.params'}
compat.save_parameters(net, files['compat'])
net.save_parameters(files['native'])
namemap_error = None
if compat.IS_MX2:
    try:
        compat.namemap(net)
    except compat.LegacyNamesUnavailable as e:
        namemap_error = str(e)
else:
    files['legacy'] = base + '-legacy.params'
    net.collect_params().save(files['legacy'])
    compat.namemap(net, base + '-namemap.json')
result = {'digests': digests(net), 'files': files, 'namemap_error': namemap_error,
          'output': output(net)}
'''

LOAD = r'''
def loaded(load, path, **kwargs):
    with fresh():
        net = Net()
    try:
        report = load(net, path, **kwargs)
    except Exception as e:
        return {'error': type(e).__name__ + ': ' + str(e)}
    return {'digests': digests(net), 'renamed': len(getattr(report, 'renamed', [])),
            'output': output(net)}

def needs_map(kind):
    return {'namemap': NAMEMAP} if compat.IS_MX2 and kind == 'legacy' else {}

ctx = {'ctx': mx.cpu(0)} if ON_MX else {}
result = {'compat': {f'{side}/{kind}': loaded(compat.load_parameters, path, **needs_map(kind),
                                              **ctx)
                     for side, kind, path in FILES},
          'native': {side: loaded(lambda n, p: n.load_parameters(p), path)
                     for side, kind, path in FILES if kind == 'compat'}}
legacy_file = [path for side, kind, path in FILES if kind == 'legacy'][0]
if compat.IS_MX2:
    result['without_map'] = loaded(compat.load_parameters, legacy_file)
else:   # the file's 'net0_' names into a model named 'net1_'
    with fresh():
        Net()
        other = Net()
    compat.load_parameters(other, legacy_file)
    result['other_prefix'] = {'prefix': other.prefix, 'digests': digests(other)}

with fresh():
    net = Net()
net.initialize()
own = {k: p.data() for k, p in net._collect_params_with_prefix().items()}
keys = sorted(own)
bad = dict(own)
del bad[keys[0]]
bad[keys[1]] = np.zeros((7, 7), 'float32')
bad['nope.weight'] = np.zeros(1, 'float32')
before = digests(net)
try:
    compat.load_dict(net, bad)
    error = None
except AssertionError as e:
    error = str(e)
unchanged = digests(net) == before
del bad[keys[1]]
report = compat.load_dict(net, bad, allow_missing=True, ignore_extra=True)
result['report'] = {'keys': keys[:2], 'error': error, 'unchanged': unchanged,
                    'missing': report.missing, 'unexpected': report.unexpected}
'''


@pytest.fixture(scope="module")
def saved(sides, tmp_path_factory):
    folder = tmp_path_factory.mktemp("compat_saved")
    return folder, _run_all(sides, lambda side: f"DIR = {str(folder)!r}\nSIDE = {side!r}\n"
                            + COMMON + SAVE)


@pytest.fixture(scope="module")
def loads(sides, saved):
    folder, out = saved
    files = [(side, kind, path) for side in SIDES for kind, path in out[side]["files"].items()]
    namemap = str(folder / "mx1-namemap.json")
    return _run_all(sides, lambda side: f"FILES = {files!r}\nNAMEMAP = {namemap!r}\n"
                    + COMMON + LOAD)


def _close(have, want):
    have, want = np.asarray(have), np.asarray(want)
    return have.shape == want.shape and np.allclose(have, want, rtol=1e-5, atol=1e-6)


def test_every_side_seeds_the_same_values_and_computes_the_same(saved):
    _, out = saved
    for side in SIDES:
        assert out[side]["digests"] == out["mx1"]["digests"], side
        assert _close(out[side]["output"], out["mx1"]["output"]), side


def test_namemap_is_1x_only_and_gluonbridge_legacy_writes_mxnets(saved):
    folder, out = saved
    for side in SIDES:
        assert (out[side]["namemap_error"] is None) == (MIRRORS.get(side, side) == "mx1"), side
    assert (folder / "legacy-namemap.json").read_text().split('"entries"')[1] == \
        (folder / "mx1-namemap.json").read_text().split('"entries"')[1]


@pytest.mark.parametrize("side", SIDES)
def test_compat_loads_every_file_of_every_side(saved, loads, side):
    _, out = saved
    got = loads[side]["compat"]
    assert sorted(got) == sorted(f"{s}/{k}" for s in SIDES for k in out[s]["files"])
    for label, result in got.items():
        assert result.get("digests") == out[label.split("/")[0]]["digests"], (label, result)
        assert _close(result["output"], out["mx1"]["output"]), label
        if label.endswith("/legacy") and MIRRORS.get(side, side) == "mx2":   # via the name map
            assert result["renamed"] == len(result["digests"]), label


@pytest.mark.parametrize("side", SIDES)
def test_native_load_parameters_reads_compat_files(saved, loads, side):
    _, out = saved
    for saver, result in loads[side]["native"].items():
        assert result.get("digests") == out[saver]["digests"], (saver, result)


@pytest.mark.parametrize("side", SIDES)
def test_prefixed_names_need_the_map_only_on_2x(saved, loads, side):
    _, out = saved
    if MIRRORS.get(side, side) == "mx2":
        assert "namemap=" in loads[side]["without_map"]["error"]
    else:
        other = loads[side]["other_prefix"]
        assert other["prefix"] != "net0_" and other["digests"] == out["mx1"]["digests"]


@pytest.mark.parametrize("side", SIDES)
def test_failed_load_lists_every_problem_and_changes_nothing(loads, side):
    report = loads[side]["report"]
    missing, mismatched = report["keys"]
    error = report["error"]
    assert error is not None and report["unchanged"]
    assert f"missing: {missing!r}" in error
    assert f"shape mismatch: {mismatched!r}" in error
    assert "unexpected: 'nope.weight'" in error
    assert sorted(report["missing"]) == [missing, mismatched]
    assert report["unexpected"] == ["nope.weight"]
