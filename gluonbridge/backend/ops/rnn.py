"""Recurrent ops: the fused ``RNN`` operator (and ``_rnn_param_concat``, MXNet 1.9.1's flat
parameter builder).

``RNN`` reads one flat parameter vector in the order of
:meth:`gluonbridge.translate.rnn_weights.RNNLayout.entries`; each layer and direction becomes
one ONNX ``LSTM``/``GRU``/``RNN`` node (stacked layers chained, directions in one node) with
the gates reordered: MXNet's LSTM gates are i, f, g, o (ONNX: i, o, f, c), its GRU gates
r, z, n (ONNX: z, r, h, with ``linear_before_reset=1``, which is MXNet's GRU).

What the ONNX ops cannot express -- LSTM projection (``projection_size``) and cell-state
clipping (``lstm_state_clip_min``/``max``) -- is unrolled over the static sequence length
instead: those graphs serve one sequence length (the traced one), and refuse
``use_sequence_length``. ``rnn_relu`` is unrolled too: ONNX's ``RNN`` has a Relu activation,
but the onnx reference evaluator (the fallback backend) computes only Tanh. The reference
evaluator also ignores ``sequence_lens``: ``use_sequence_length`` is exact on onnxruntime only. Clipping follows cuDNN (the only MXNet backend that has it): the cell
state is clipped after each step, before ``h = o * tanh(c)``; ``lstm_state_clip_nan`` (keep NaN
rather than clipping it) is what ONNX's Clip does, so both settings lower the same.

Dropout between layers (``p``) is the identity at inference.
"""
from __future__ import annotations

import numpy as np

from ...graph.attrs import Bool, Float, Int, Str
from ...translate.rnn_weights import GATES, RNNLayout
from .registry import Unsupported, op

_MODES = set(GATES)
_LSTM_TO_ONNX = [0, 3, 1, 2]    # MXNet i, f, g, o -> ONNX i, o, f, c
_GRU_TO_ONNX = [1, 0, 2]        # MXNet r, z, n -> ONNX z, r, h
_ONNX_OP = {"lstm": "LSTM", "gru": "GRU", "rnn_relu": "RNN", "rnn_tanh": "RNN"}
_I64 = np.int64

_RNN_ATTRS = {"mode": Str(required=True, choices=_MODES), "state_size": Int(required=True),
              "num_layers": Int(required=True), "bidirectional": Bool(False),
              "state_outputs": Bool(False), "p": Float(0.0),
              "projection_size": Int(None), "lstm_state_clip_min": Float(None),
              "lstm_state_clip_max": Float(None), "lstm_state_clip_nan": Bool(False),
              "use_sequence_length": Bool(False)}


def _layout(a, input_size):
    return RNNLayout.for_mode(a.mode, a.num_layers, a.state_size, input_size, a.bidirectional,
                              a.projection_size)


def _directions(a):
    return 2 if a.bidirectional else 1


def _state_shapes(a, batch):
    layers = a.num_layers * _directions(a)
    hidden = (layers, batch, a.projection_size or a.state_size)
    return [hidden, (layers, batch, a.state_size)] if a.mode == "lstm" else [hidden]


def _rnn_shape(a, data, parameters=None, *states):
    if data is None or len(data) != 3:
        raise Unsupported(f"input of shape {data}: RNN takes (sequence, batch, features)")
    if a.projection_size and a.mode != "lstm":
        raise Unsupported(f"projection_size with mode={a.mode!r}")
    for got, need in zip(states, _state_shapes(a, data[1])):
        if got is not None and tuple(got) != need and not (len(got) == 3 and got[1] == 0):
            raise Unsupported(f"a begin state of shape {tuple(got)}; the layer needs {need}")
    out = (data[0], data[1], _directions(a) * (a.projection_size or a.state_size))
    return [out] + _state_shapes(a, data[1]) if a.state_outputs else out


def _rnn_outputs(raw):
    """MXNet counts the state outputs only with ``state_outputs``."""
    if str(raw.get("state_outputs", "False")).strip().lower() not in ("true", "1"):
        return 1
    return 3 if str(raw.get("mode", "")).strip("'\"") == "lstm" else 2


@op("RNN", "rnn", "_npx_rnn",
    inputs=("data", "parameters", "state", "state_cell", "sequence_length"), uniform=False,
    attrs=_RNN_ATTRS, shape=_rnn_shape, num_outputs=_rnn_outputs,
    weights=lambda a, data, *_: {"parameters": (_layout(a, data[2]).size,)},
    dtype=lambda a, data, *_: data)
def rnn(g, a, data, parameters, *rest):
    rest = list(rest)
    states = [rest.pop(0)] if rest else []
    if a.mode == "lstm" and rest:
        states.append(rest.pop(0))
    seq_len = rest.pop(0) if a.use_sequence_length and rest else None
    if a.use_sequence_length and seq_len is None:
        g.fail("use_sequence_length=True without a sequence_length input")
    # MXNet infers a 0 batch dimension of a begin state from the data: zeros of that size
    if any(s.shape[1] == 0 for s in states):
        states = []
    layout = _layout(a, data.shape[2])
    if int(np.prod(parameters.shape)) != layout.size:
        g.fail(f"parameters of {int(np.prod(parameters.shape))} elements; "
               f"{layout.describe()} needs {layout.size}")
    flat = _Flat(g, parameters, layout)
    unrolled = a.projection_size or a.lstm_state_clip_min is not None \
        or a.lstm_state_clip_max is not None or a.mode == "rnn_relu"
    if unrolled and seq_len is not None:
        g.fail("use_sequence_length with mode='rnn_relu', projection_size or state clipping "
               "(the unrolled form)")
    run = _unrolled_layer if unrolled else _onnx_layer
    dirs = _directions(a)
    x, finals = data, []
    for layer in range(a.num_layers):
        init = [_rows(g, s, layer * dirs, (layer + 1) * dirs) for s in states]
        x, layer_finals = run(g, a, flat, layer, x, init, seq_len)
        finals.append(layer_finals)
    if not a.state_outputs:
        return x
    outs = [x]
    for k in range(len(_state_shapes(a, 0))):
        parts = [f[k] for f in finals]
        outs.append(parts[0] if len(parts) == 1 else g.node(
            "Concat", parts, (sum(p.shape[0] for p in parts),) + parts[0].shape[1:],
            data.dtype, axis=0))
    return outs


class _Flat:
    """Slices of the flat parameter vector by per-gate key, as ONNX nodes (constant-folded by
    onnxruntime when the vector is an initializer)."""

    def __init__(self, g, flat, layout):
        self.g, self.layout = g, layout
        if flat.ndim != 1:
            flat = g.node("Reshape", [flat, g.constant([-1], _I64)],
                          (int(np.prod(flat.shape)),), flat.dtype)
        self.flat = flat
        self.where = {}
        begin = 0
        for key, shape in layout.entries():
            self.where[key] = (begin, shape)
            begin += int(np.prod(shape))

    def __call__(self, key):
        begin, shape = self.where[key]
        g, count = self.g, int(np.prod(shape))
        part = g.node("Slice", [self.flat, g.constant([begin], _I64),
                                g.constant([begin + count], _I64), g.constant([0], _I64)],
                      (count,), self.flat.dtype)
        return g.node("Reshape", [part, g.constant(shape, _I64)], shape, self.flat.dtype)

    def gates(self, key, order):
        """The array of ``key`` with its gate blocks (axis 0) in ``order``, plus a leading
        direction axis of 1."""
        value = self(key)
        rows, rest = value.shape[0], value.shape[1:]
        n = len(order)
        blocks = self.g.node("Reshape", [value, self.g.constant((n, rows // n) + rest, _I64)],
                             (n, rows // n) + rest, value.dtype)
        picked = self.g.node("Gather", [blocks, self.g.constant(order, _I64)],
                             blocks.shape, value.dtype, axis=0)
        shape = (1, rows) + rest
        return self.g.node("Reshape", [picked, self.g.constant(shape, _I64)], shape, value.dtype)


def _rows(g, value, begin, end):
    shape = (end - begin,) + value.shape[1:]
    return g.node("Slice", [value, g.constant([begin], _I64), g.constant([end], _I64),
                            g.constant([0], _I64)], shape, value.dtype)


def _concat0(g, parts):
    if len(parts) == 1:
        return parts[0]
    shape = (sum(p.shape[0] for p in parts),) + parts[0].shape[1:]
    return g.node("Concat", parts, shape, parts[0].dtype, axis=0)


def _onnx_layer(g, a, flat, layer, x, init, seq_len):
    """One layer (both directions) as one ONNX LSTM/GRU/RNN node: (output, final states)."""
    order = {"lstm": _LSTM_TO_ONNX, "gru": _GRU_TO_ONNX}.get(a.mode, [0])
    dirs = [d + str(layer) for d in flat.layout.directions]
    w = _concat0(g, [flat.gates(f"{d}_i2h_weight", order) for d in dirs])
    r = _concat0(g, [flat.gates(f"{d}_h2h_weight", order) for d in dirs])
    b = _concat0(g, [g.node("Concat", [flat.gates(f"{d}_i2h_bias", order),
                                       flat.gates(f"{d}_h2h_bias", order)],
                            (1, 2 * w.shape[1]), x.dtype, axis=1) for d in dirs])
    steps, batch, hidden, n_dir = x.shape[0], x.shape[1], a.state_size, len(dirs)
    missing = type(x)("", (), x.dtype)
    lens = missing
    if seq_len is not None:
        lens = g.node("Cast", [seq_len], seq_len.shape, np.int32, to=6)
    inputs = [x, w, r, b, lens] + (init if init else [missing] * (2 if a.mode == "lstm" else 1))
    attrs = {"hidden_size": hidden, "direction": "bidirectional" if n_dir == 2 else "forward"}
    if a.mode == "gru":
        attrs["linear_before_reset"] = 1
    n_out = 3 if a.mode == "lstm" else 2
    y = g.node(_ONNX_OP[a.mode], inputs, (steps, n_dir, batch, hidden), x.dtype,
               n_outputs=n_out, **attrs)
    names = g.nodes[-1][2]
    finals = [type(x)(n, (n_dir, batch, hidden), x.dtype) for n in names[1:]]
    y = g.node("Transpose", [y], (steps, batch, n_dir, hidden), x.dtype, perm=[0, 2, 1, 3])
    y = g.node("Reshape", [y, g.constant([0, 0, -1], _I64)], (steps, batch, n_dir * hidden),
               x.dtype)
    return y, finals


def _unrolled_layer(g, a, flat, layer, x, init, seq_len):
    """One LSTM (with projection and clipping) or Elman RNN layer unrolled over the static
    sequence length: (output, final states)."""
    steps, batch = x.shape[0], x.shape[1]
    lstm = a.mode == "lstm"
    hidden, proj = a.state_size, a.projection_size
    rows, out_size = flat.layout.gates * hidden, proj or hidden
    outputs, finals = [], [[], []]
    for k, d in enumerate(flat.layout.directions):
        key = f"{d}{layer}"
        w_h2h = _transposed(g, flat(f"{key}_h2h_weight"))
        w_h2r = _transposed(g, flat(f"{key}_h2r_weight")) if proj else None
        bias = g.node("Add", [flat(f"{key}_i2h_bias"), flat(f"{key}_h2h_bias")], (rows,),
                      x.dtype)
        projected = g.node("MatMul", [x, _transposed(g, flat(f"{key}_i2h_weight"))],
                           (steps, batch, rows), x.dtype)
        projected = g.node("Add", [projected, bias], projected.shape, x.dtype)
        if init:
            h = _squeeze0(g, _rows(g, init[0], k, k + 1))
            c = _squeeze0(g, _rows(g, init[1], k, k + 1)) if lstm else None
        else:
            h = _zeros_like_batch(g, x, out_size)
            c = _zeros_like_batch(g, x, hidden) if lstm else None
        order = range(steps - 1, -1, -1) if d == "r" else range(steps)
        step_out = [None] * steps
        for t in order:
            gates = g.node("Add", [_squeeze0(g, _rows(g, projected, t, t + 1)),
                                   g.node("MatMul", [h, w_h2h], (batch, rows), x.dtype)],
                           (batch, rows), x.dtype)
            if lstm:
                h, c = _lstm_step(g, a, gates, c, hidden)
                if proj:
                    h = g.node("MatMul", [h, w_h2r], (batch, proj), x.dtype)
            else:
                h = g.node("Relu" if a.mode == "rnn_relu" else "Tanh", [gates], gates.shape,
                           x.dtype)
            step_out[t] = _unsqueeze0(g, h)
        outputs.append(g.node("Concat", step_out, (steps, batch, out_size), x.dtype, axis=0))
        finals[0].append(_unsqueeze0(g, h))
        if lstm:
            finals[1].append(_unsqueeze0(g, c))
    y = outputs[0] if len(outputs) == 1 else g.node(
        "Concat", outputs, (steps, batch, out_size * len(outputs)), x.dtype, axis=2)
    return y, [_concat0(g, f) for f in finals if f]


def _lstm_step(g, a, gates, c, hidden):
    """MXNet's LSTM step from the summed gate pre-activations (i, f, g, o): (h, c)."""
    i, f, c_new, o = _split_last(g, gates, 4, hidden)
    i, f, o = (g.node("Sigmoid", [v], v.shape, v.dtype) for v in (i, f, o))
    c_new = g.node("Tanh", [c_new], c_new.shape, c_new.dtype)
    c = g.node("Add", [g.node("Mul", [f, c], c.shape, c.dtype),
                       g.node("Mul", [i, c_new], c.shape, c.dtype)], c.shape, c.dtype)
    if a.lstm_state_clip_min is not None or a.lstm_state_clip_max is not None:
        c = _clip(g, c, a.lstm_state_clip_min, a.lstm_state_clip_max)
    return g.node("Mul", [o, g.node("Tanh", [c], c.shape, c.dtype)], c.shape, c.dtype), c


def _unsqueeze0(g, value):
    return g.node("Unsqueeze", [value, g.constant([0], _I64)], (1,) + value.shape, value.dtype)


def _transposed(g, value):
    return g.node("Transpose", [value], value.shape[::-1], value.dtype, perm=[1, 0])


def _squeeze0(g, value):
    return g.node("Squeeze", [value, g.constant([0], _I64)], value.shape[1:], value.dtype)


def _zeros_like_batch(g, x, size):
    """Zeros of shape (batch, size), the batch read from ``x`` (time, batch, features) at run
    time."""
    dims = g.node("Shape", [x], (3,), _I64)
    batch = g.node("Slice", [dims, g.constant([1], _I64), g.constant([2], _I64)], (1,), _I64)
    shape = g.node("Concat", [batch, g.constant([size], _I64)], (2,), _I64, axis=0)
    return g.node("Expand", [g.constant(0, x.dtype), shape], (x.shape[1], size), x.dtype)


def _split_last(g, value, n, size):
    shape = value.shape[:-1] + (size,)
    first = g.node("Split", [value, g.constant([size] * n, _I64)], shape, value.dtype,
                   n_outputs=n, axis=-1)
    names = g.nodes[-1][2]
    return [first] + [type(value)(name, shape, value.dtype) for name in names[1:]]


def _clip(g, value, low, high):
    bounds = [g.constant(low, value.dtype) if low is not None else type(value)("", (), value.dtype),
              g.constant(high, value.dtype) if high is not None else type(value)("", (),
                                                                                value.dtype)]
    return g.node("Clip", [value] + bounds, value.shape, value.dtype)


def _param_concat_shape(a, *data):
    return (sum(int(np.prod(d)) for d in data),)


@op("_rnn_param_concat", inputs="*data", attrs={"dim": Int(0)}, shape=_param_concat_shape)
def rnn_param_concat(g, a, *data):
    """MXNet 1.9.1's layers flatten their per-gate arrays into the ``RNN`` parameter vector
    with this op (a ``Concat`` that also flattens, ``dim`` 0)."""
    flat = [d if d.ndim == 1 else g.node("Reshape", [d, g.constant([-1], _I64)],
                                         (int(np.prod(d.shape)),), d.dtype) for d in data]
    return g.node("Concat", flat, _param_concat_shape(a, *(d.shape for d in data)),
                  data[0].dtype, axis=0)
