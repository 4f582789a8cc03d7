"""GluonNLP 0.10.0's BERT family, built from its released sources, hybridized and exported: the
``-symbol.json`` gluonbridge writes through the ``mxnet`` shim equals MXNet 1.9.1's (every node,
its op, name, attributes and inputs: the interleaved attention ops, the Parameter reshapes) and
the ``.params`` files are byte-identical. MXNet initializes and saves the weights; each side loads
them into a new model, runs the runner's inputs (tests/oracle/real_libraries.py) hybridized
and exports."""
import json

import pytest

from tests.oracle.harness import find_oracle, gluonbridge_interpreter
from tests.test_real_libraries_oracle import RUNNER, sources  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.slow, pytest.mark.oracle]

EXPORTED = ["bert_small", "bert_12_768_12", "roberta_12_768_12", "distilbert_6_768_12",
            "bert_classifier"]

SNIPPET = """
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


def _snippet(sources, directory, shim):
    return SNIPPET.format(runner=str(RUNNER.parent), sources=sources, names=EXPORTED,
                          directory=str(directory), save=not shim, tag="gb" if shim else "mx",
                          shim="from gluonbridge import mxnet_shim\nmxnet_shim.install()"
                          if shim else "")


def test_bert_family_exports_as_mxnet_1_9_1(sources, tmp_path):
    oracle = find_oracle("mx1")
    if oracle is None:
        pytest.skip("oracle mx1 not installed")
    oracle.run(_snippet(sources, tmp_path, False), timeout=1800)
    gluonbridge_interpreter("legacy").run(_snippet(sources, tmp_path, True), timeout=1800)
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
