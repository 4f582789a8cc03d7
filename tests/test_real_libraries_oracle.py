"""Issue 12, "Real libraries": GluonCV 0.10.5.post0 and GluonNLP 0.10.0 zoo models, built from
their released sources under the ``mxnet`` shim, against the same sources under MXNet 1.9.1.

MXNet builds each model (tests/oracle/real_libraries.py), initializes it randomly, runs a fixed
input and saves its parameters; gluonbridge builds the same model in a fresh process, compares
parameter names and shapes, loads MXNet's file and runs the same input. The counts (built /
names equal / ran / outputs within 1e-5 of each output's largest magnitude) and each failure's
first error are printed (``-s``); the test fails when a model that once matched regresses below
``FLOOR``. A second test exports GluonNLP's BERT family from both and compares the files.
"""
import json
import os
from pathlib import Path

import numpy as np
import pytest

import packaging
from tests.codemod.corpus_sources import download, unpack
from tests.graphs.compare import assert_close
from tests.oracle.harness import gluonbridge_interpreter, oracle_dir

pytestmark = [pytest.mark.slow, pytest.mark.oracle]

RUNNER = Path(__file__).parent / "oracle" / "real_libraries.py"
# minimum counts reached on this branch (built, names equal, ran, within 1e-5): a regression fails
FLOOR = {"built": 26, "names": 26, "ran": 26, "close": 26}


@pytest.fixture(scope="module")
def sources():
    """The two libraries' sources unpacked in the oracle dir (plus ``packaging``, which GluonNLP
    imports for version checks and the oracle venv lacks, linked in rather than installed)."""
    root = oracle_dir() / "cache" / "real_libraries"
    if not (root / "gluonnlp").exists():
        unpack(download()[:2], root)
    vendor = root / "vendor"
    vendor.mkdir(exist_ok=True)
    link = vendor / "packaging"
    if not link.exists():
        link.symlink_to(Path(packaging.__file__).parent)
    nlp = next((root / "gluonnlp").glob("gluonnlp-*")) / "src"
    return [str(vendor), str(root / "gluoncv"), str(nlp)]


def _snippet(sources, weights, shim):
    return (f"import sys\nsys.path.insert(0, {str(RUNNER.parent)!r})\n"
            "import real_libraries\n"
            f"result = real_libraries.describe_all({sources!r}, {weights!r}, {shim!r}, "
            "list(real_libraries.MODELS))\n")


def _close(ours, theirs):
    """Every output within 1e-5 of MXNet's, relative to that output's largest magnitude (issue
    10's tolerance: detection boxes of a few hundred pixels carry float32 noise of 1e-4 that an
    element-wise relative test would count against a box edge near 0)."""
    if ours is None or theirs is None:
        return False
    try:
        assert_close([np.asarray(a) for a in ours], [np.asarray(b) for b in theirs], rel=1e-5)
    except AssertionError:
        return False
    return True


def test_real_library_models_match_mxnet(mx1, sources, tmp_path):
    weights = str(tmp_path)
    theirs = mx1.run(_snippet(sources, weights, False), timeout=3000)
    ours = gluonbridge_interpreter("legacy").run(_snippet(sources, weights, True), timeout=3000)
    counts = {"built": 0, "names": 0, "ran": 0, "close": 0}
    lines = []
    for name, mx in theirs.items():
        gb = ours[name]
        assert mx["stage"] == "done", f"{name} fails in MXNet 1.9.1 itself: {mx['error']}"
        built = "params" in gb
        names = built and gb["params"] == mx["params"]
        ran = gb["stage"] == "done"
        close = ran and _close(gb["outputs"], mx["outputs"])
        for key, ok in (("built", built), ("names", names), ("ran", ran), ("close", close)):
            counts[key] += bool(ok)
        first = gb["error"]
        if built and not names:
            missing = sorted(set(mx["params"]) - set(gb["params"]))[:3]
            extra = sorted(set(gb["params"]) - set(mx["params"]))[:3]
            first = first or f"names differ: missing {missing}, extra {extra}"
        if ran and not close:
            first = "outputs differ beyond 1e-5"
        lines.append(f"{name:28s} built={built:d} names={names:d} ran={ran:d} close={close:d}"
                     + (f"  [{gb['stage']}] {first}" if first else ""))
    report = "\n".join(lines + [f"counts of {len(theirs)}: {json.dumps(counts)}"])
    print(report)
    os.makedirs(oracle_dir() / "cache", exist_ok=True)
    (oracle_dir() / "cache" / "real_libraries_report.txt").write_text(report)
    for key, floor in FLOOR.items():
        assert counts[key] >= floor, report


# GluonNLP's BERT family hybridized and exported: the -symbol.json gluonbridge writes through the
# shim equals MXNet 1.9.1's (every node: the interleaved attention ops, the Parameter reshapes)
# and the .params files are byte-identical. MXNet initializes and saves the weights; each side
# loads them into a new model, runs the runner's inputs hybridized and exports.
EXPORTED = ["bert_small", "bert_12_768_12", "roberta_12_768_12", "distilbert_6_768_12",
            "bert_classifier"]

EXPORT_SNIPPET = """
import sys
sys.path.insert(0, {runner!r})
sys.path[:0] = {sources!r}
{shim}
import mxnet as mx
import real_libraries
real_libraries.stub_unrelated()
def build(name):
    with mx.name.NameManager():
        return real_libraries.MODELS[name][0]()
for name in {names!r}:
    inputs = real_libraries.MODELS[name][1]
    if {save}:                      # random weights, saved after a run completes their shapes
        net = build(name)
        net.initialize(mx.init.Xavier())
        net(*inputs(mx))
        net.save_parameters(f"{directory}/{{name}}.weights")
    net = build(name)
    net.load_parameters(f"{directory}/{{name}}.weights")
    net.hybridize()
    net(*inputs(mx))
    net.export(f"{directory}/{{name}}-{tag}")
result = True
"""


def _export_snippet(sources, directory, shim):
    return EXPORT_SNIPPET.format(runner=str(RUNNER.parent), sources=sources, names=EXPORTED,
                          directory=str(directory), save=not shim, tag="gb" if shim else "mx",
                          shim="from gluonbridge import mxnet_shim\nmxnet_shim.install()"
                          if shim else "")


def test_bert_family_exports_as_mxnet_1_9_1(mx1, sources, tmp_path):
    mx1.run(_export_snippet(sources, tmp_path, False), timeout=1800)
    gluonbridge_interpreter("legacy").run(_export_snippet(sources, tmp_path, True), timeout=1800)
    for name in EXPORTED:
        mine = json.loads((tmp_path / f"{name}-gb-symbol.json").read_text())
        theirs = json.loads((tmp_path / f"{name}-mx-symbol.json").read_text())
        for key in ("arg_nodes", "node_row_ptr", "heads", "attrs"):
            assert mine[key] == theirs[key], (name, key)
        assert len(mine["nodes"]) == len(theirs["nodes"]), name
        for a, b in zip(mine["nodes"], theirs["nodes"]):
            assert a == b, name
        assert ((tmp_path / f"{name}-gb-0000.params").read_bytes()
                == (tmp_path / f"{name}-mx-0000.params").read_bytes()), name
