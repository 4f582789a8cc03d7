"""mx.model.load_checkpoint + mx.mod.Module inference (through the mxnet shim) vs MXNet 1.9.1's
Module on the same corpus files."""
from __future__ import annotations

import numpy as np
import pytest

from tests.graphs.compare import assert_close

pytestmark = pytest.mark.oracle

_ORACLE_MODULE = """
import numpy as np, mxnet as mx
sym, args, auxs = mx.model.load_checkpoint({prefix!r}, 0)
mod = mx.mod.Module(sym, data_names={names!r}, label_names={labels!r})
mod.bind(data_shapes=[(n, np.array(x).shape) for n, x in zip({names!r}, {arrays!r})],
         for_training=False)
mod.set_params(args, auxs, allow_missing=True)
mod.forward(mx.io.DataBatch([mx.nd.array(np.array(x, dtype="float32")) for x in {arrays!r}]),
            is_train=False)
result = [o.asnumpy().tolist() for o in mod.get_outputs()]
"""


@pytest.fixture
def mx_shim():
    from gluonbridge import mxnet_shim
    mxnet_shim.install(force=True)
    try:
        import mxnet
        yield mxnet
    finally:
        mxnet_shim.uninstall()


@pytest.mark.parametrize("name", ["mlp_bn_mx1", "softmax_output", "small_cnn_checkpoint",
                                  "multi_io_mx1", "regression_heads"])
def test_module_forward_as_mxnet(graph_corpus, mx1, mx_shim, name):
    mx = mx_shim
    case = graph_corpus.case(name)
    batch = case.batches[-1]
    inputs = case.inputs(batch)
    labels = case.meta.get("labels") or []
    prefix = str(case.dir / "model")
    want = mx1.run(_ORACLE_MODULE.format(prefix=prefix, names=case.input_names, labels=labels,
                                         arrays=[x.tolist() for x in inputs]))
    sym, args, auxs = mx.model.load_checkpoint(prefix, 0)
    mod = mx.mod.Module(sym, data_names=case.input_names, label_names=labels)
    mod.bind(data_shapes=[(n, x.shape) for n, x in zip(case.input_names, inputs)],
             for_training=False)
    mod.set_params(args, auxs)
    mod.forward(mx.io.DataBatch([mx.nd.array(x) for x in inputs]), is_train=False)
    got = [np.asarray(o) for o in mod.get_outputs()]
    assert_close(got, [np.asarray(w, dtype=np.float32) for w in want], rel=case.rtol, case=name)


def test_module_refuses_unknown_data_name(mx_shim):
    mx = mx_shim
    data = mx.sym.var("data")
    out = mx.sym.FullyConnected(data, num_hidden=2, name="fc")
    with pytest.raises(ValueError, match="'image'"):
        mx.mod.Module(out, data_names=["image"], label_names=None)
