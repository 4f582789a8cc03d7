"""gluon.rnn layers and cells against both oracles: names, keys, shapes, dtypes, reprs,
state_info and begin_state (MXNet 1.9.1 under legacy naming, 2.0.0b1 under structural).

Each program runs in a fresh oracle process and a fresh gluonbridge process
(tests/oracle/describe_models.py describes the blocks, ``collect_params`` and
``_collect_params_with_prefix``); the descriptions must be equal.
"""
import json
from textwrap import dedent

import pytest

from tests.oracle.harness import describe_snippet, to_gluonbridge

_EXTRA = """
import mxnet as mx
_zeros = ZEROS

def _info(m, batch):
    # ModifierCell.begin_state defaults to symbol.zeros in MXNet 1.x: pass the array function
    try:
        return {'state_info': m.state_info(batch),
                'begin_state': [list(s.shape) for s in m.begin_state(batch_size=batch,
                                                                     func=_zeros)]}
    except Exception as e:
        return {'error': [type(e).__name__, str(e)]}

extra = {'repr': [repr(m) for m in models],
         'param_reprs': [[repr(p) for p in m.collect_params().values()] for m in models],
         'dtypes': [[str(p.dtype) for p in m.collect_params().values()] for m in models],
         'states': [_info(m, 3) for m in models]}
"""

LAYERS = """
from mxnet.gluon import rnn, nn
models = [
    rnn.RNN(4), rnn.RNN(5, activation='tanh', input_size=3),
    rnn.RNN(3, num_layers=2, bidirectional=True, layout='NTC', dropout=0.2, input_size=2),
    rnn.LSTM(6), rnn.LSTM(4, num_layers=3, bidirectional=True, input_size=5),
    rnn.LSTM(8, num_layers=2, projection_size=3, input_size=4),
    rnn.LSTM(8, num_layers=2, projection_size=3, bidirectional=True),
    rnn.LSTM(4, state_clip_min=-1, state_clip_max=1, state_clip_nan=True, input_size=2),
    rnn.LSTM(4, layout='NTC', use_sequence_length=True, input_size=2),
    rnn.GRU(5, input_size=3, dtype='float64'), rnn.GRU(2, num_layers=2, dropout=0.5),
    rnn.GRU(3, bidirectional=True, i2h_weight_initializer='ones', h2h_bias_initializer='ones',
            input_size=2, dtype='float16'),
]
net = nn.HybridSequential()
net.add(nn.Embedding(10, 4), rnn.LSTM(5, num_layers=2, input_size=4), nn.Dense(3))
models.append(net)
""" + _EXTRA

CELLS = """
from mxnet.gluon import rnn
seq = rnn.SequentialRNNCell()
seq.add(rnn.LSTMCell(4, input_size=3))
seq.add(rnn.DropoutCell(0.5))
seq.add(rnn.GRUCell(4, input_size=4))
hseq = rnn.HybridSequentialRNNCell()
hseq.add(rnn.ResidualCell(rnn.RNNCell(3, input_size=3)))
hseq.add(rnn.ZoneoutCell(rnn.LSTMCell(3, input_size=3), 0.2, 0.3))
hseq.add(rnn.BidirectionalCell(rnn.GRUCell(2, input_size=3), rnn.GRUCell(2, input_size=3)))
models = [
    rnn.RNNCell(4), rnn.RNNCell(4, activation='relu', input_size=3), rnn.LSTMCell(5),
    rnn.LSTMCell(5, input_size=2, activation='relu', recurrent_activation='tanh'),
    rnn.GRUCell(6, input_size=2), rnn.DropoutCell(0.3), rnn.DropoutCell(0.3, axes=(1,)),
    rnn.ResidualCell(rnn.GRUCell(4)), rnn.ZoneoutCell(rnn.LSTMCell(4), 0.2, 0.3),
    rnn.BidirectionalCell(rnn.LSTMCell(3), rnn.RNNCell(3)), seq, hseq,
]
errors = []
for build in [lambda: rnn.ZoneoutCell(rnn.SequentialRNNCell()),
              lambda: rnn.ZoneoutCell(rnn.BidirectionalCell(rnn.LSTMCell(2), rnn.LSTMCell(2))),
              lambda: rnn.BidirectionalCell(rnn.LSTMCell(2), rnn.LSTMCell(2))(None, None),
              lambda: rnn.ZoneoutCell(models[8].base_cell),
              lambda: models[8].base_cell.begin_state(batch_size=2)]:
    try:
        build()
        errors.append(None)
    except Exception as e:
        errors.append([type(e).__name__, str(e)])
""" + _EXTRA + """
extra['errors'] = errors
extra['len_getitem'] = [len(seq), repr(seq[1]), len(hseq), repr(hseq[2])]
"""

# MXNet 1.x only: cells and layers created inside name scopes (prefixes nest; modifier cells
# take their base cell's full prefix as their own local prefix), prefix/params arguments
SCOPED_MX1 = """
from mxnet.gluon import rnn, nn
stack = rnn.HybridSequentialRNNCell(prefix='enc_')
with stack.name_scope():
    stack.add(rnn.LSTMCell(4, input_size=3))
    stack.add(rnn.ZoneoutCell(rnn.LSTMCell(4, input_size=4), 0.1))
    stack.add(rnn.ResidualCell(rnn.GRUCell(4, input_size=4, prefix='g_')))
    stack.add(rnn.BidirectionalCell(rnn.RNNCell(2, input_size=4), rnn.RNNCell(2, input_size=4),
                                    output_prefix='both_'))
shared = rnn.LSTMCell(4, input_size=3, prefix='shared_', params=stack[0].params)
net = nn.HybridSequential(prefix='model_')
with net.name_scope():
    net.add(rnn.GRU(3, num_layers=2, bidirectional=True, input_size=2))
    net.add(rnn.LSTM(3, prefix='enc_', input_size=6))
models = [stack, shared, net]
""" + _EXTRA

# LSTMPCell and VariationalDropoutCell: gluon.contrib.rnn in MXNet 1.x, gluon.rnn in MXNet 2
CONTRIB_CELLS = """
from mxnet.gluon import rnn
from mxnet.gluon.MODULE import LSTMPCell, VariationalDropoutCell
stack = rnn.HybridSequentialRNNCell()
stack.add(LSTMPCell(6, 3, input_size=4))
stack.add(VariationalDropoutCell(LSTMPCell(5, 2, input_size=3), 0.1, 0.2, 0.3))
models = [LSTMPCell(8, 4), LSTMPCell(8, 4, input_size=3, h2r_weight_initializer='ones'),
          VariationalDropoutCell(rnn.GRUCell(3), drop_inputs=0.5), stack,
          rnn.BidirectionalCell(LSTMPCell(4, 2), LSTMPCell(4, 2))]
errors = []
for build in [lambda: VariationalDropoutCell(rnn.SequentialRNNCell(), drop_states=0.1),
              lambda: VariationalDropoutCell(rnn.SequentialRNNCell())]:
    try:
        build()
        errors.append(None)
    except Exception as e:
        errors.append([type(e).__name__, str(e)])
""" + _EXTRA + """
extra['errors'] = errors
"""

PROGRAMS = {
    "layers": {"mx1": LAYERS, "mx2": LAYERS},
    "cells": {"mx1": CELLS, "mx2": CELLS},
    "scoped": {"mx1": SCOPED_MX1},
    "contrib_cells": {"mx1": CONTRIB_CELLS.replace("MODULE", "contrib.rnn"),
                      "mx2": CONTRIB_CELLS.replace("MODULE", "rnn")},
}
CASES = [(p, v) for p in sorted(PROGRAMS) for v in sorted(PROGRAMS[p])]


def _program(program, version):
    zeros = "mx.nd.zeros" if version == "mx1" else "mx.np.zeros"
    return dedent(PROGRAMS[program][version]).replace("ZEROS", zeros)


def _compare(source, version, oracle, ours, save=False):
    expected = oracle.run(describe_snippet(source, version, save=save))
    assert "error" not in expected, expected["error"]
    got = ours.run(describe_snippet(to_gluonbridge(source), version, save=save))
    expected = json.loads(json.dumps(expected).replace("mxnet.", "gluonbridge."))
    for key in expected.get("extra", {}):
        assert got["extra"].get(key) == expected["extra"][key], f"extra[{key!r}]"
    for i, (mine, theirs) in enumerate(zip(got.get("models", []), expected.get("models", []))):
        assert mine == theirs, f"models[{i}]"
    assert got == expected


@pytest.mark.oracle
@pytest.mark.parametrize("program,version", CASES)
def test_rnn_names_like_mxnet(program, version, mx1, mx2, gb_legacy, gb_structural):
    oracle, ours = (mx1, gb_legacy) if version == "mx1" else (mx2, gb_structural)
    _compare(_program(program, version), version, oracle, ours)


# What 1.9.1's save_parameters writes (read back from the file): every layer has its input
# size, so the oracle can initialize and save without a forward pass.
SAVED_MX1 = """
from mxnet.gluon import rnn, nn
models = [rnn.LSTM(4, num_layers=2, bidirectional=True, input_size=3),
          rnn.GRU(3, num_layers=2, input_size=2), rnn.RNN(2, input_size=2),
          rnn.LSTM(5, num_layers=2, projection_size=2, input_size=3),
          rnn.LSTM(5, projection_size=2, bidirectional=True, input_size=3)]
net = nn.HybridSequential()
net.add(nn.Dense(3, in_units=2), rnn.GRU(3, bidirectional=True, input_size=3))
models.append(net)
cells = rnn.SequentialRNNCell()
cells.add(rnn.LSTMCell(3, input_size=2))
cells.add(rnn.ZoneoutCell(rnn.GRUCell(3, input_size=3)))
cells.add(rnn.BidirectionalCell(rnn.RNNCell(2, input_size=3), rnn.RNNCell(2, input_size=3)))
models.append(cells)
"""


@pytest.mark.oracle
def test_saved_keys_like_mxnet1(mx1, gb_legacy):
    _compare(dedent(SAVED_MX1) + _EXTRA.replace("ZEROS", "mx.nd.zeros"), "mx1", mx1, gb_legacy,
             save=True)


# MXNet 2.0.0b1 knows rnn_param's size only after a forward pass; gluonbridge's infer_shape
# (what the first call runs) must give the same, and save_parameters writes the same keys.
_SAVED_MX2 = """
import os, tempfile
import numpy as onp
from mxnet.gluon import rnn, nn
models = [rnn.LSTM(4, num_layers=2, bidirectional=True), rnn.GRU(3, num_layers=3),
          rnn.RNN(2, activation='tanh', bidirectional=True),
          rnn.LSTM(5, num_layers=2, projection_size=2, bidirectional=True)]
net = nn.HybridSequential()
net.add(rnn.GRU(3, bidirectional=True))
models.append(net)
x = onp.random.RandomState(0).uniform(size=(4, 2, 3)).astype('float32')
result = {'before': [[list(p.shape) for p in m.collect_params().values()] for m in models]}
keys, shapes = [], []
for m in models:
    m.initialize()
    if ORACLE:
        m(mx.np.array(x))
        with tempfile.TemporaryDirectory() as tmp:
            m.save_parameters(os.path.join(tmp, 'p'))
            keys.append(list(onp.load(os.path.join(tmp, 'p')).keys()))
    else:
        for layer in ([m] if hasattr(m, 'infer_shape') else [c for _, c in m._child_items()]):
            layer.infer_shape(x)
        keys.append(list(m.structural_params()))
    shapes.append([list(p.shape) for p in m.collect_params().values()])
result.update(keys=keys, shapes=shapes, reprs=[repr(m) for m in models])
"""


@pytest.mark.oracle
def test_rnn_param_shape_and_saved_keys_like_mxnet2(mx2, gb_structural):
    expected = mx2.run("ORACLE = True\n" + _SAVED_MX2)
    got = gb_structural.run("ORACLE = False\n" + to_gluonbridge(_SAVED_MX2))
    assert got == expected
