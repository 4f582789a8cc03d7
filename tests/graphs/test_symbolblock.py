"""SymbolBlock.imports on the oracle graph corpus: outputs equal MXNet 1.9.1's SymbolBlock.imports
on the same files (both backends, both batch sizes, both naming modes); Parameter keys and names
equal each oracle's; every unsupported node is reported at once."""
from __future__ import annotations

import json

import numpy as np
import pytest

from gluonbridge import gluon, naming
from gluonbridge.backend import runtime
from gluonbridge.backend.errors import LoweringError
from tests.graphs.compare import assert_close
from tests.graphs.known import supported_cases

pytestmark = pytest.mark.oracle

MODES = ("legacy", "structural")


def _imports(case):
    param_file = case.dir / (case.meta.get("mx1_param_file") or case.meta["param_file"])
    return gluon.SymbolBlock.imports(str(case.symbol_file), case.input_names, str(param_file))


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("backend", ["onnxruntime", "reference"])
@pytest.mark.parametrize("name", supported_cases("imports"))
def test_imports_runs_as_mxnet(graph_corpus, name, backend, mode):
    case = graph_corpus.case(name)
    runtime.use(backend)
    with naming.override(mode):
        net = _imports(case)
        for batch in case.batches:
            outs = net(*case.inputs(batch))
            outs = outs if isinstance(outs, list) else [outs]
            assert (len(outs) > 1) == (case.meta["outputs"] > 1)
            assert_close([np.asarray(o) for o in outs], case.expected(batch), rel=case.rtol,
                         case=f"{name} (batch {batch}, {backend}, {mode})")


_ORACLE_PARAMS = """
import mxnet as mx
net = mx.gluon.SymbolBlock.imports({symbol!r}, {inputs!r}, {params!r}, allow_missing=True)
p = net.collect_params()
result = {{"keys": list(p.keys()), "names": [v.name for v in p.values()],
          "grad_req": [v.grad_req for v in p.values()]}}
"""


@pytest.mark.parametrize("name", ["mlp_bn_mx1", "convnet_mx1", "multi_io_mx1", "softmax_output",
                                  "batchnorm"])
@pytest.mark.parametrize("mode,oracle", [("legacy", "mx1"), ("structural", "mx2")])
def test_collect_params_as_oracle(graph_corpus, request, name, mode, oracle):
    case = graph_corpus.case(name)
    if case.meta.get("mx1_param_file"):
        pytest.skip("2.0.0b1-written parameters")
    want = request.getfixturevalue(oracle).run(_ORACLE_PARAMS.format(
        symbol=str(case.symbol_file), inputs=case.input_names, params=str(case.param_file)))
    with naming.override(mode):
        params = _imports(case).collect_params()
        got = {"keys": list(params.keys()), "names": [p.name for p in params.values()],
               "grad_req": [p.grad_req for p in params.values()]}
    assert got == want


def test_unsupported_nodes_reported_at_once(tmp_path):
    doc = {"nodes": [{"op": "null", "name": "data", "inputs": []},
                     {"op": "FancyOp", "name": "f1", "inputs": [[0, 0, 0]]},
                     {"op": "FancyOp", "name": "f2", "inputs": [[1, 0, 0]]},
                     {"op": "Activation", "name": "act", "attrs": {"act_type": "swish"},
                      "inputs": [[2, 0, 0]]}],
           "arg_nodes": [0], "heads": [[3, 0, 0]]}
    path = tmp_path / "bad-symbol.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(LoweringError) as info:
        gluon.SymbolBlock.imports(str(path), ["data"])
    message = str(info.value)
    assert "FancyOp" in message and "x2" in message and "'f1'" in message
    assert "act_type='swish'" in message and "'act'" in message


@pytest.mark.parametrize("file_format", ["npz", "safetensors", "mxnet-binary"])
def test_imports_reads_any_format_and_reports_every_problem(graph_corpus, tmp_path, file_format):
    from gluonbridge import checkpoint
    from gluonbridge.gluon.saving import ParameterLoadError
    case = graph_corpus.case("mlp_bn_mx1")
    arrays = {k: np.asarray(v) for k, v in dict(checkpoint.load(case.param_file)).items()}
    path = tmp_path / f"params.{file_format}"
    checkpoint.save(path, arrays, file_format)
    net = gluon.SymbolBlock.imports(str(case.symbol_file), case.input_names, str(path))
    batch = case.batches[0]
    assert_close([np.asarray(net(*case.inputs(batch)))], case.expected(batch), rel=case.rtol,
                 case=file_format)
    dropped = sorted(arrays)[:2]
    partial = tmp_path / f"partial.{file_format}"
    checkpoint.save(partial, {k: v for k, v in arrays.items() if k not in dropped}
                    | {"arg:stray": np.zeros(2, np.float32)}, file_format)
    with pytest.raises(ParameterLoadError) as info:
        gluon.SymbolBlock.imports(str(case.symbol_file), case.input_names, str(partial))
    for key in dropped + ["stray"]:
        assert repr(key.split(":", 1)[-1]) in str(info.value)
    gluon.SymbolBlock.imports(str(case.symbol_file), case.input_names, str(partial),
                              allow_missing=True, ignore_extra=True)
