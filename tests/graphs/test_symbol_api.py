"""mx.sym on gluonbridge vs MXNet 1.9.1: loading (every generation, upgraded as 1.9.1's loader
does), listing, internals, shape inference, tojson; malformed and hostile symbol files."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from gluonbridge import symbol as sym
from gluonbridge.checkpoint.errors import CheckpointError
from gluonbridge.graph import json_io

FIXTURES = sorted((Path(__file__).parents[1] / "data" / "graphs").glob("*.json"))

_ORACLE_LOAD = """
import json, mxnet as mx
s = mx.sym.load({path!r})
internals = s.get_internals()
result = {{"json": json.loads(s.tojson()), "arguments": s.list_arguments(),
          "outputs": s.list_outputs(), "aux": s.list_auxiliary_states(),
          "inputs": s.list_inputs(), "internals": internals.list_outputs()}}
"""


def _as_data(text):
    doc = json.loads(text)
    doc.pop("node_row_ptr")   # counts every op's hidden outputs: checked on the corpus below
    return doc


@pytest.mark.oracle
@pytest.mark.parametrize("path", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_old_generations_upgrade_as_mxnet(mx1, path):
    want = mx1.run(_ORACLE_LOAD.format(path=str(path)))
    got = sym.load(path)
    want["json"].pop("node_row_ptr")
    assert _as_data(got.tojson()) == want["json"]
    assert got.list_arguments() == want["arguments"]
    assert got.list_auxiliary_states() == want["aux"]
    assert got.list_inputs() == want["inputs"]


_CASES = ["mlp_bn_mx1", "convnet_mx1", "multi_io_mx1", "softmax_output", "regression_heads",
          "batchnorm", "small_cnn_checkpoint", "spatial_transformer", "proposal",
          "multi_proposal", "moments", "amp_casts", "add_n"]

_ORACLE_SHAPES = """
import json, mxnet as mx
s = mx.sym.load({path!r})
args, outs, aux = s.infer_shape(**{{k: tuple(v) for k, v in {shapes!r}.items()}})
result = {{"args": args, "outs": outs, "aux": aux}}
"""


@pytest.mark.oracle
@pytest.mark.parametrize("name", _CASES)
def test_symbol_api_as_mxnet(graph_corpus, mx1, name):
    case = graph_corpus.case(name)
    want = mx1.run(_ORACLE_LOAD.format(path=str(case.symbol_file)))
    got = sym.load(case.symbol_file)
    assert json.loads(got.tojson()) == want["json"]
    assert got.list_arguments() == want["arguments"]
    assert got.list_outputs() == want["outputs"]
    assert got.list_auxiliary_states() == want["aux"]
    assert got.get_internals().list_outputs() == want["internals"]
    shapes = {k: list(v) for k, v in case.input_shapes(case.batches[-1]).items()}
    want_shapes = mx1.run(_ORACLE_SHAPES.format(path=str(case.symbol_file), shapes=shapes))
    args, outs, aux = got.infer_shape(**shapes)
    assert [list(s) for s in args] == want_shapes["args"]
    assert [list(s) for s in outs] == want_shapes["outs"]
    assert [list(s) for s in aux] == want_shapes["aux"]
    again = sym.load_json(got.tojson())
    assert json.loads(again.tojson()) == json.loads(got.tojson())


_ORACLE_BUILD = """
import json, mxnet as mx
data = mx.sym.var("data")
fc = mx.sym.FullyConnected(data, num_hidden=4, name="fc1")
act = mx.sym.Activation(fc, act_type="relu", name="relu1")
bn = mx.sym.BatchNorm(act, fix_gamma=False, name="bn")
out = mx.sym.SoftmaxOutput(bn, name="softmax")
group = mx.sym.Group([out, fc])
result = {"json": json.loads(group.tojson()), "arguments": group.list_arguments(),
          "outputs": group.list_outputs(), "item": group["fc1_output"].list_outputs()}
"""


@pytest.mark.oracle
def test_building_with_op_functions_as_mxnet(mx1):
    want = mx1.run(_ORACLE_BUILD)
    data = sym.var("data")
    fc = sym.FullyConnected(data, num_hidden=4, name="fc1")
    act = sym.Activation(fc, act_type="relu", name="relu1")
    bn = sym.BatchNorm(act, fix_gamma=False, name="bn")
    out = sym.SoftmaxOutput(bn, name="softmax")
    group = sym.Group([out, fc])
    assert json.loads(group.tojson()) == want["json"]
    assert group.list_arguments() == want["arguments"]
    assert group.list_outputs() == want["outputs"]
    assert group["fc1_output"].list_outputs() == want["item"]


# -- malformed and hostile files ------------------------------------------------------------

def _doc(**change):
    doc = {"nodes": [{"op": "null", "name": "data", "inputs": []},
                     {"op": "Activation", "name": "relu1", "attrs": {"act_type": "relu"},
                      "inputs": [[0, 0, 0]]}],
           "arg_nodes": [0], "heads": [[1, 0, 0]],
           "attrs": {"mxnet_version": ["int", 10901]}}
    doc.update(change)
    return doc


def _relu(inputs):
    return {"op": "Activation", "name": "relu1", "attrs": {"act_type": "relu"},
            "inputs": inputs}


@pytest.mark.parametrize("doc,needle", [
    (_doc(nodes=[{"op": "null", "name": "data", "inputs": []}, _relu([[7, 0, 0]])]),
     "(relu1)"),
    (_doc(nodes=[{"op": "null", "name": "data", "inputs": []}, _relu([[1, 0, 0]])]),
     "cycle"),
    ({k: v for k, v in _doc().items() if k != "heads"}, "heads"),
    (_doc(attrs={"mxnet_version": ["int", 90000]}), "unknown generation"),
    (_doc(heads=[[9, 0, 0]]), "heads"),
    (_doc(arg_nodes=[1]), "arg_nodes"),
])
def test_malformed_graph_named(tmp_path, doc, needle):
    path = tmp_path / "bad-symbol.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(CheckpointError) as info:
        sym.load(path)
    assert needle in str(info.value)
    assert str(path) in str(info.value)


@pytest.mark.oracle
def test_missing_heads_refused_by_mxnet_too(mx1):
    doc = {k: v for k, v in _doc().items() if k != "heads"}
    snippet = ("import json, mxnet as mx\ntry:\n    mx.sym.load_json(json.dumps(%r))\n"
               "    result = 'accepted'\nexcept Exception:\n    result = 'refused'\n" % doc)
    assert mx1.run(snippet) == "refused"


def test_hostile_nesting_and_strings_refused(tmp_path):
    deep = tmp_path / "deep-symbol.json"
    deep.write_text("[" * 200_000 + "]" * 200_000)
    with pytest.raises(CheckpointError):
        sym.load(deep)
    nested = tmp_path / "nested-symbol.json"
    extra = []
    for _ in range(json_io.MAX_DEPTH + 5):
        extra = [extra]
    nested.write_text(json.dumps(_doc(extra=extra)))
    with pytest.raises(CheckpointError, match="nested"):
        sym.load(nested)
    giant = tmp_path / "giant-symbol.json"
    doc = _doc()
    doc["nodes"][1]["attrs"]["act_type"] = "x" * (json_io.MAX_STRING + 1)
    giant.write_text(json.dumps(doc))
    with pytest.raises(CheckpointError, match="relu1"):
        sym.load(giant)


# ops whose extra outputs MXNet hides, or whose inputs depend on an attribute
_OUTPUTS_AND_INPUTS = """
import json
import mxnet as mx
d, o, m, r, t, g, l = (mx.sym.var(n) for n in ("data", "off", "mask", "rois", "trans",
                                               "grid", "loc"))
c, b, i = mx.sym.var("cls"), mx.sym.var("bbox"), mx.sym.var("im")
made = {
    "gg": mx.sym.GridGenerator(l, transform_type="affine", target_shape=(4, 4), name="gg"),
    "gw": mx.sym.GridGenerator(d, transform_type="warp", name="gw"),
    "bs": mx.sym.BilinearSampler(d, g, name="bs"),
    "st": mx.sym.SpatialTransformer(d, l, target_shape=(4, 4), transform_type="affine",
                                    sampler_type="bilinear", name="st"),
    "p": mx.sym.contrib.Proposal(c, b, i, name="p"),
    "ps": mx.sym.contrib.Proposal(c, b, i, output_score=True, name="ps"),
    "mp": mx.sym.contrib.MultiProposal(c, b, i, name="mp"),
    "mps": mx.sym.contrib.MultiProposal(c, b, i, output_score=True, name="mps"),
    "mo": mx.sym.moments(d, axes=(1,), name="mo"),
    "am": mx.sym.amp_multicast(d, l, num_outputs=2, name="am"),
    "svm": mx.sym.SVMOutput(d, name="svm"),
    "dcn": mx.sym.contrib.DeformableConvolution(d, o, kernel=(3, 3), num_filter=4, name="dcn"),
    "mdcn": mx.sym.contrib.ModulatedDeformableConvolution(d, o, m, kernel=(3, 3), num_filter=4,
                                                          no_bias=True, name="mdcn"),
    "dps": mx.sym.contrib.DeformablePSROIPooling(d, r, t, spatial_scale=0.5, output_dim=2,
                                                 group_size=3, pooled_size=3, part_size=3,
                                                 trans_std=0.1, name="dps"),
    "dpn": mx.sym.contrib.DeformablePSROIPooling(d, r, spatial_scale=0.5, output_dim=2,
                                                 group_size=3, pooled_size=3, no_trans=True,
                                                 name="dpn"),
}
result = {k: [s.list_outputs(), s.get_internals().list_outputs(), json.loads(s.tojson())]
          for k, s in made.items()}
"""


@pytest.mark.oracle
def test_hidden_outputs_and_optional_inputs_as_mxnet(mx1, gb_legacy):
    """Outputs, internals and JSON of ops with hidden outputs or attribute-dependent inputs,
    built through the ``mxnet`` shim (``mx.sym.contrib`` included) and by MXNet 1.9.1."""
    want = mx1.run(_OUTPUTS_AND_INPUTS)
    got = gb_legacy.run("from gluonbridge.mxnet_shim import install\ninstall()\n"
                        + _OUTPUTS_AND_INPUTS)
    assert got == want
