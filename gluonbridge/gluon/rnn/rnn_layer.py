"""Fused recurrent layers ``RNN``, ``LSTM``, ``GRU`` (mirrors ``mxnet.gluon.rnn.rnn_layer``).

The parameters differ between the MXNet versions, and so between the naming modes:

* legacy (MXNet 1.9.1): one Parameter per layer, direction and connection, ``l0_i2h_weight``,
  ``r1_h2h_bias``, ``l0_h2r_weight`` (projection), full names ``lstm0_l0_i2h_weight``;
  ``save_parameters`` writes them under the keys of 1.x's older unfused cell stack,
  ``_unfused.0.i2h_weight`` or, bidirectional, ``_unfused.0.l_cell.i2h_weight``.
* structural (MXNet 2.0.0b1): one flat ``rnn_param`` whose size is known only at the first call
  (``infer_shape``), ``(-1,)`` before.

Both feed the ``RNN`` operator the same flat vector; its order is
:func:`gluonbridge.translate.rnn_weights.RNNLayout.entries`.
"""
from __future__ import annotations

import re

from ... import ndarray
from ...backend.trace import current_trace
from ...initializer import RNNFused
from ...translate.rnn_weights import GATES, RNNLayout
from ..block import HybridBlock

# a per-gate local name; 1.9.1 matches one digit for the layer, which breaks at 10 layers
_PER_GATE = re.compile(r"([lr])(\d+)_(i2h|h2h|h2r)_(weight|bias)\Z")


def _unfused_key(local, bidirectional):
    """The key 1.9.1's ``save_parameters`` writes for a per-gate Parameter."""
    d, layer, conn, kind = _PER_GATE.match(local).groups()
    if bidirectional:
        return f"_unfused.{layer}.{d}_cell.{conn}_{kind}"
    return f"_unfused.{layer}.{conn}_{kind}"


def zeros_state(shape, dtype="float32", **_):
    """The default ``begin_state`` function: zeros (context/device keywords are unused)."""
    return ndarray.zeros(shape, dtype=dtype)


class _RNNLayer(HybridBlock):
    """What RNN, LSTM and GRU share: parameters, states, the call of the ``RNN`` operator."""

    def __init__(self, hidden_size, num_layers, layout, dropout, bidirectional, input_size,
                 i2h_weight_initializer, h2h_weight_initializer, i2h_bias_initializer,
                 h2h_bias_initializer, mode, projection_size, h2r_weight_initializer,
                 lstm_state_clip_min, lstm_state_clip_max, lstm_state_clip_nan, dtype,
                 use_sequence_length=False, **kwargs):
        super().__init__(**kwargs)
        if layout not in ("TNC", "NTC"):
            raise AssertionError("Invalid layout %s; must be one of ['TNC' or 'NTC']" % layout)
        self._hidden_size = hidden_size
        self._projection_size = projection_size if projection_size else None
        self._num_layers = num_layers
        self._mode = mode
        self._layout = layout
        self._dropout = dropout
        self._dir = 2 if bidirectional else 1
        self._input_size = input_size
        self._lstm_state_clip_min = lstm_state_clip_min
        self._lstm_state_clip_max = lstm_state_clip_max
        self._lstm_state_clip_nan = lstm_state_clip_nan
        self._dtype = dtype
        self._use_sequence_length = use_sequence_length
        self.skip_states = None
        self._gates = GATES[mode]
        inits = {"i2h_weight": i2h_weight_initializer, "h2h_weight": h2h_weight_initializer,
                 "i2h_bias": i2h_bias_initializer, "h2h_bias": h2h_bias_initializer,
                 "h2r_weight": h2r_weight_initializer}
        if not self._naming.api.fused_rnn_param:
            for local, shape in self._param_layout(input_size).entries_in_creation_order():
                init = inits[local.split("_", 1)[1]]
                param = self._new_param(local, shape=shape, init=init, dtype=dtype,
                                        allow_deferred_init=True)
                setattr(self, local, param)
        else:
            init = RNNFused(mode, num_layers, hidden_size, bidirectional, projection_size,
                            i2h_weight_initializer, h2h_weight_initializer,
                            i2h_bias_initializer, h2h_bias_initializer, h2r_weight_initializer)
            self.rnn_param = self._new_param("rnn_param", shape=(0,), init=init, dtype=dtype,
                                             allow_deferred_init=True)

    def _param_layout(self, input_size):
        return _CreationLayout(self._gates, self._num_layers, self._hidden_size, input_size,
                               self._dir == 2, self._projection_size)

    def __repr__(self):
        s = "{name}({mapping}, {_layout}"
        if self._num_layers != 1:
            s += ", num_layers={_num_layers}"
        if self._dropout != 0:
            s += ", dropout={_dropout}"
        if self._dir == 2:
            s += ", bidirectional"
        s += ")"
        if not self._naming.api.fused_rnn_param:
            shape = self.l0_i2h_weight.shape
            mapping = f"{shape[1] if shape[1] else None} -> {shape[0] // self._gates}"
        else:
            mapping = f"{self._input_size if self._input_size else None} -> {self._hidden_size}"
        return s.format(name=type(self).__name__, mapping=mapping, **self.__dict__)

    def _collect_params_with_prefix(self, prefix="", select=None):
        """Legacy naming: the per-gate Parameters under 1.9.1's ``_unfused`` keys."""
        if self._naming.api.fused_rnn_param:
            return super()._collect_params_with_prefix(prefix, select)
        if prefix:
            prefix += "."
        pattern = re.compile(select) if select is not None else None
        bidirectional = any(key.startswith("r") for key in self._reg_params)
        ret = {}
        for key, param in self._reg_params.items():
            full = prefix + _unfused_key(key, bidirectional)
            if pattern is None or pattern.match(full):
                ret[full] = param
        for name, child in self._child_items():
            ret.update(child._collect_params_with_prefix(prefix + name, select))
        return ret

    def state_info(self, batch_size=0):
        shape = (self._num_layers * self._dir, batch_size, self._hidden_size)
        return [{"shape": shape, "__layout__": "LNC", "dtype": self._dtype}]

    def cast(self, dtype):
        super().cast(dtype)
        self._dtype = dtype

    def begin_state(self, batch_size=0, func=zeros_state, **kwargs):
        """Initial states, zeros by default: for each of :meth:`state_info`, ``func(shape=...,
        dtype=..., **kwargs)``; under 1.x naming also ``name='<prefix>h0_<i>'`` and
        ``__layout__`` as 1.9.1 passes them (``mx.sym.zeros`` keeps both in its node)."""
        states = []
        for i, info in enumerate(self.state_info(batch_size)):
            info.update(kwargs)
            if self._naming.api.numpy_arrays:
                info.pop("__layout__", None)
                states.append(func(**info))
            else:
                states.append(func(name=f"{self.prefix}h0_{i}", **info))
        return states

    def __call__(self, inputs, states=None, sequence_length=None):
        self.skip_states = states is None
        if states is None:
            batch_size = inputs.shape[self._layout.find("N")]
            tracer = current_trace()
            if tracer is None:
                states = self.begin_state(batch_size, dtype=inputs.dtype)
            else:   # a child being traced: zeros in the graph (1.9.1: symbol.zeros)
                states = self.begin_state(batch_size, func=tracer.namespace.zeros,
                                          dtype=inputs.dtype)
        if not isinstance(states, (list, tuple)):
            states = [states]
        skip_states = self.skip_states
        args = (inputs, states, sequence_length) if self._use_sequence_length else (inputs, states)
        out = super().__call__(*args)
        return out[0] if skip_states else out

    def infer_shape(self, inputs, *args):
        """The deferred parameter shapes from the input (first call): 2.0.0b1's size of
        ``rnn_param``; 1.9.1's per-gate shapes (its ``_rnn_param_concat`` infers them)."""
        if not (inputs.ndim == 3):
            raise AssertionError(
                "Input data should be rank-3 tensor of dim [sequence length, batch size, input size]")
        self._input_size = inputs.shape[2]
        layout = self._param_layout(self._input_size)
        if self._naming.api.fused_rnn_param:
            self.rnn_param.shape = (layout.size,)
        else:
            for key, shape in layout.entries():
                self._reg_params[key].shape = shape

    def hybrid_forward(self, F, inputs, states, sequence_length=None, **params):
        batch_size = inputs.shape[self._layout.find("N")]
        for state, info in zip(states, self.state_info(batch_size)):
            # a 0 is a dimension the RNN op infers (1.x symbolic begin states, which 1.9.1
            # does not check)
            if 0 not in tuple(state.shape) and tuple(state.shape) != info["shape"]:
                raise ValueError("Invalid recurrent state shape. Expecting %s, got %s." % (
                    str(info["shape"]), str(tuple(state.shape))))
        if not all(all(p.raw_shape) for p in self._reg_params.values()):
            self.infer_shape(inputs)
        if self._naming.api.fused_rnn_param:
            flat = params["rnn_param"]
        else:
            flat = F.concat(*(F.reshape(params[key], shape=(-1,))
                              for key, _ in self._param_layout(0).entries()), dim=0)
        return self._forward_kernel(F, inputs, flat, states, sequence_length)

    def _forward_kernel(self, F, inputs, flat, states, sequence_length):
        if self._layout == "NTC":
            inputs = F.swapaxes(inputs, dim1=0, dim2=1)
        rnn_args = list(states)
        if self._use_sequence_length:
            rnn_args.append(sequence_length)
        rnn = F.RNN(inputs, flat, *rnn_args, use_sequence_length=self._use_sequence_length,
                    state_size=self._hidden_size, projection_size=self._projection_size,
                    num_layers=self._num_layers, bidirectional=self._dir == 2, p=self._dropout,
                    state_outputs=True, mode=self._mode,
                    lstm_state_clip_min=self._lstm_state_clip_min,
                    lstm_state_clip_max=self._lstm_state_clip_max,
                    lstm_state_clip_nan=self._lstm_state_clip_nan)
        if self._mode == "lstm":
            outputs, states = rnn[0], [rnn[1], rnn[2]]
        else:
            outputs, states = rnn[0], [rnn[1]]
        if self._layout == "NTC":
            outputs = F.swapaxes(outputs, dim1=0, dim2=1)
        return outputs, states


class _CreationLayout(RNNLayout):
    """1.9.1 creates the per-gate Parameters layer by layer, direction by direction (weights
    and biases together), which is the order ``collect_params`` lists them in."""

    def entries_in_creation_order(self):
        shapes = dict(self.entries())
        conns = ("i2h_weight", "h2h_weight", "i2h_bias", "h2h_bias")
        if self.projection_size:
            conns += ("h2r_weight",)
        return [(f"{d}{layer}_{c}", shapes[f"{d}{layer}_{c}"])
                for layer in range(self.num_layers) for d in self.directions for c in conns]


class RNN(_RNNLayer):
    """Multi-layer Elman RNN with ``relu`` or ``tanh``: ``RNN(hidden_size, num_layers=1,
    activation='relu', layout='TNC', ...)``; one state of shape
    ``(num_layers * directions, batch, hidden_size)``."""

    def __init__(self, hidden_size, num_layers=1, activation="relu", layout="TNC", dropout=0,
                 bidirectional=False, i2h_weight_initializer=None, h2h_weight_initializer=None,
                 i2h_bias_initializer="zeros", h2h_bias_initializer="zeros", input_size=0,
                 dtype="float32", **kwargs):
        super().__init__(hidden_size, num_layers, layout, dropout, bidirectional, input_size,
                         i2h_weight_initializer, h2h_weight_initializer, i2h_bias_initializer,
                         h2h_bias_initializer, "rnn_" + activation, None, None, None, None,
                         False, dtype, **kwargs)


class LSTM(_RNNLayer):
    """Multi-layer LSTM, optionally with a projection (``projection_size``) and clipped cell
    states; two states, ``h`` (projection size if any) and ``c``."""

    def __init__(self, hidden_size, num_layers=1, layout="TNC", dropout=0, bidirectional=False,
                 input_size=0, i2h_weight_initializer=None, h2h_weight_initializer=None,
                 i2h_bias_initializer="zeros", h2h_bias_initializer="zeros",
                 projection_size=None, h2r_weight_initializer=None, state_clip_min=None,
                 state_clip_max=None, state_clip_nan=False, dtype="float32", **kwargs):
        super().__init__(hidden_size, num_layers, layout, dropout, bidirectional, input_size,
                         i2h_weight_initializer, h2h_weight_initializer, i2h_bias_initializer,
                         h2h_bias_initializer, "lstm", projection_size, h2r_weight_initializer,
                         state_clip_min, state_clip_max, state_clip_nan, dtype, **kwargs)

    def state_info(self, batch_size=0):
        (cell,) = super().state_info(batch_size)
        hidden = dict(cell)
        if self._projection_size is not None:
            hidden["shape"] = (self._num_layers * self._dir, batch_size, self._projection_size)
        return [hidden, cell]


class GRU(_RNNLayer):
    """Multi-layer GRU (MXNet's gate order r, z, n); one state."""

    def __init__(self, hidden_size, num_layers=1, layout="TNC", dropout=0, bidirectional=False,
                 input_size=0, i2h_weight_initializer=None, h2h_weight_initializer=None,
                 i2h_bias_initializer="zeros", h2h_bias_initializer="zeros", dtype="float32",
                 **kwargs):
        super().__init__(hidden_size, num_layers, layout, dropout, bidirectional, input_size,
                         i2h_weight_initializer, h2h_weight_initializer, i2h_bias_initializer,
                         h2h_bias_initializer, "gru", None, None, None, None, False, dtype,
                         **kwargs)
