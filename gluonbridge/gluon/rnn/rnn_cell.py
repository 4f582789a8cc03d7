"""Recurrent cells (mirrors ``mxnet.gluon.rnn.rnn_cell``): one time step per call, ``unroll``
for a sequence.

Cells are called as ``cell(inputs, states)`` and return ``(output, new_states)``. Names follow
the naming mode: legacy cells have prefixes (``lstm0_i2h_weight``; BidirectionalCell has an empty
one, modifier cells the base cell's prefix plus ``zoneout``/``residualcell``), structural cells
only their attribute keys (``i2h_weight``, ``0.l_cell.h2h_bias``).
"""
from __future__ import annotations

import functools
from numbers import Number

from ...backend.errors import LoweringError
from ...backend.trace import OpNamespace, current_trace
from ..block import Block, HybridBlock
from ..nn.activations import LeakyReLU
from ..utils import indent
from .rnn_layer import zeros_state


class _EagerOps:
    """``F`` outside a trace (``unroll`` on arrays): each op run at once on arrays."""

    def __getattr__(self, name):
        from ...backend.ops import OPS
        from ...backend.runtime import run_op
        if name not in OPS:
            raise LoweringError(f"unroll: op {name} is not supported by the ONNX lowering")
        return functools.partial(run_op, name)


def _ops():
    """The op namespace ``unroll`` uses: the traced graph's, or eager ops on arrays."""
    tracer = current_trace()
    return OpNamespace(tracer) if tracer is not None else _EagerOps()


def _is_tensor(x):
    return not isinstance(x, (list, tuple))


def _cells_state_info(cells, batch_size):
    return sum([c.state_info(batch_size) for c in cells], [])


def _cells_begin_state(cells, **kwargs):
    return sum([c.begin_state(**kwargs) for c in cells], [])


def _get_begin_state(cell, begin_state, batch_size):
    """The given states, else zeros: arrays, or zeros in the graph while tracing (1.9.1:
    ``symbol.zeros``)."""
    if begin_state is None:
        tracer = current_trace()
        if tracer is None:
            begin_state = cell.begin_state(batch_size=batch_size)
        else:
            begin_state = cell.begin_state(batch_size=batch_size, func=tracer.namespace.zeros)
    return begin_state


def _format_sequence(length, inputs, layout, merge, in_layout=None):
    """``(inputs, time axis, F, batch size)``: a sequence as one tensor (``merge`` True) or a
    list of steps (False), or as given (None)."""
    if inputs is None:
        raise AssertionError(
            "unroll(inputs=None) has been deprecated. Please create input variables outside unroll.")
    F = _ops()
    axis = layout.find("T")
    batch_axis = layout.find("N")
    in_axis = in_layout.find("T") if in_layout is not None else axis
    if _is_tensor(inputs):
        batch_size = inputs.shape[batch_axis]
        if merge is False:
            if not (length is None or length == inputs.shape[in_axis]):
                raise AssertionError()
            steps = F.split(inputs, axis=in_axis, num_outputs=inputs.shape[in_axis],
                            squeeze_axis=1)
            inputs = list(steps) if isinstance(steps, (list, tuple)) else [steps]
    else:
        if not (length is None or len(inputs) == length):
            raise AssertionError()
        batch_size = inputs[0].shape[0]
        if merge is True:
            inputs = F.stack(*inputs, axis=axis)
            in_axis = axis
    if _is_tensor(inputs) and axis != in_axis:
        inputs = F.swapaxes(inputs, dim1=axis, dim2=in_axis)
    return inputs, axis, F, batch_size


def _mask_sequence_variable_length(F, data, length, valid_length, time_axis, merge):
    if valid_length is None:
        raise AssertionError()
    if not _is_tensor(data):
        data = F.stack(*data, axis=time_axis)
    outputs = F.SequenceMask(data, sequence_length=valid_length, use_sequence_length=True,
                             axis=time_axis)
    if not merge:
        outputs = list(F.split(outputs, num_outputs=length, axis=time_axis, squeeze_axis=True))
    return outputs


def _reverse_sequences(F, sequences, unroll_step, valid_length=None):
    if valid_length is None:
        return list(reversed(sequences))
    reversed_sequences = F.SequenceReverse(F.stack(*sequences, axis=0),
                                           sequence_length=valid_length,
                                           use_sequence_length=True)
    if unroll_step > 1:
        return list(F.split(reversed_sequences, axis=0, num_outputs=unroll_step,
                            squeeze_axis=True))
    return [reversed_sequences[0]]


class _RecurrentMixin:
    """What every cell has: step counters, ``state_info``/``begin_state``, ``unroll``."""

    def _init_cell(self):
        self._modified = False
        self.reset()

    def reset(self):
        """Reset before re-using the cell for another graph."""
        self._init_counter = -1
        self._counter = -1
        for _, cell in self._child_items():
            cell.reset()

    def state_info(self, batch_size=0):
        """Shape and layout of each state: ``[{'shape': ..., '__layout__': ...}]``."""
        raise NotImplementedError()

    def _check_unmodified(self):
        if self._modified:
            raise AssertionError(
                "After applying modifier cells (e.g. ZoneoutCell) the base cell cannot be called "
                "directly. Call the modifier cell instead.")

    def begin_state(self, batch_size=0, func=zeros_state, **kwargs):
        """Initial states: ``func(shape=..., **kwargs)`` per :meth:`state_info`; zeros."""
        self._check_unmodified()
        states = []
        for info in self.state_info(batch_size):
            self._init_counter += 1
            info = dict(info or {}, **kwargs)
            info.pop("__layout__", None)
            states.append(func(**info))
        return states

    def unroll(self, length, inputs, begin_state=None, layout="NTC", merge_outputs=None,
               valid_length=None):
        """Run ``length`` steps: ``(outputs, states)``; ``inputs`` one tensor or a list of
        steps; ``valid_length`` masks padded steps and picks each sequence's last state."""
        self.reset()
        inputs, axis, F, batch_size = _format_sequence(length, inputs, layout, False)
        states = _get_begin_state(self, begin_state, batch_size)
        outputs = []
        all_states = []
        for i in range(length):
            output, states = self(inputs[i], states)
            outputs.append(output)
            if valid_length is not None:
                all_states.append(states)
        if valid_length is not None:
            states = [F.SequenceLast(F.stack(*steps, axis=0), sequence_length=valid_length,
                                     use_sequence_length=True, axis=0)
                      for steps in zip(*all_states)]
            outputs = _mask_sequence_variable_length(F, outputs, length, valid_length, axis,
                                                     True)
        outputs, _, _, _ = _format_sequence(length, outputs, layout, merge_outputs)
        return outputs, states

    def _get_activation(self, F, inputs, activation, **kwargs):
        func = {"tanh": F.tanh, "relu": F.relu, "sigmoid": F.sigmoid,
                "softsign": F.softsign}.get(activation)
        if func:
            return func(inputs, **kwargs)
        if isinstance(activation, str):
            return F.Activation(inputs, act_type=activation, **kwargs)
        if isinstance(activation, LeakyReLU):
            return F.LeakyReLU(inputs, act_type="leaky", slope=activation._alpha, **kwargs)
        return activation(inputs, **kwargs)


class RecurrentCell(_RecurrentMixin, Block):
    """Abstract base class of recurrent cells (``prefix``/``params`` under legacy naming)."""

    def __init__(self, prefix=None, params=None):
        self._init_block(prefix, params, "RecurrentCell")
        self._init_cell()

    def forward(self, inputs, states):
        self._counter += 1
        raise NotImplementedError


class HybridRecurrentCell(_RecurrentMixin, HybridBlock):
    """Abstract base class of hybridizable recurrent cells."""

    def __init__(self, prefix=None, params=None):
        self._init_block(prefix, params, "HybridRecurrentCell")
        self._active = False
        self._init_cell()

    def __call__(self, inputs, states):
        self._counter += 1
        return super().__call__(inputs, states)

    def register_child(self, block, name=None):
        """MXNet 2.0.0b1's ``use_np`` copies Block's ``register_child`` onto RecurrentCell,
        ahead of HybridBlock's in the MRO: hybrid cells there accept any Block as a child."""
        if self._naming.api.numpy_arrays:
            Block.register_child(self, block, name)
        else:
            super().register_child(block, name)


class _GatedCell(HybridRecurrentCell):
    """RNNCell, LSTMCell, GRUCell: ``i2h_weight (gates*hidden, input)``, ``h2h_weight
    (gates*hidden, hidden)``, ``i2h_bias``, ``h2h_bias``."""

    _gates = 1
    _repr_activation = False

    def _init_gated(self, hidden_size, i2h_weight_initializer, h2h_weight_initializer,
                    i2h_bias_initializer, h2h_bias_initializer, input_size, prefix, params,
                    projection=None):
        """``projection``: ``(projection_size, h2r_weight_initializer)`` of LSTMPCell, whose
        ``h2r_weight`` comes right after ``h2h_weight``."""
        super().__init__(prefix=prefix, params=params)
        self._hidden_size = hidden_size
        self._input_size = input_size
        rows = self._gates * hidden_size
        recurrent_size = projection[0] if projection else hidden_size
        self.i2h_weight = self._new_param("i2h_weight", shape=(rows, input_size),
                                          init=i2h_weight_initializer, allow_deferred_init=True)
        self.h2h_weight = self._new_param("h2h_weight", shape=(rows, recurrent_size),
                                          init=h2h_weight_initializer, allow_deferred_init=True)
        if projection:
            self.h2r_weight = self._new_param("h2r_weight", shape=(recurrent_size, hidden_size),
                                              init=projection[1], allow_deferred_init=True)
        self.i2h_bias = self._new_param("i2h_bias", shape=(rows,), init=i2h_bias_initializer,
                                        allow_deferred_init=True)
        self.h2h_bias = self._new_param("h2h_bias", shape=(rows,), init=h2h_bias_initializer,
                                        allow_deferred_init=True)

    def state_info(self, batch_size=0):
        return [{"shape": (batch_size, self._hidden_size), "__layout__": "NC"}]

    def __repr__(self):
        shape = self.i2h_weight.shape
        mapping = f"{shape[1] if shape[1] else None} -> {shape[0]}"
        extra = f", {self._activation}" if self._repr_activation else ""
        return f"{type(self).__name__}({mapping}{extra})"

    def infer_shape(self, i, x, is_bidirect):
        """2.0.0b1: the input width of layer ``i`` of a stack (``x`` the stack's input)."""
        if i == 0:
            width = x.shape[x.ndim - 1]
        else:
            width = self._output_size() * (2 if is_bidirect else 1)
        self.i2h_weight.shape = (self._gates * self._hidden_size, width)

    def _output_size(self):
        return self._hidden_size

    def _projections(self, F, inputs, state, i2h_weight, h2h_weight, i2h_bias, h2h_bias):
        prefix = "t%d_" % self._counter
        rows = self._gates * self._hidden_size
        i2h = F.FullyConnected(inputs, i2h_weight, i2h_bias, num_hidden=rows, name=prefix + "i2h")
        h2h = F.FullyConnected(state, h2h_weight, h2h_bias, num_hidden=rows, name=prefix + "h2h")
        return prefix, i2h, h2h

    def _lstm_update(self, F, prefix, gates, cell):
        """``(h, c)`` from the summed gate pre-activations and the previous cell state."""
        act, rec = self._activation, self._recurrent_activation
        slices = F.SliceChannel(gates, num_outputs=4, name=prefix + "slice")
        in_gate = self._get_activation(F, slices[0], rec, name=prefix + "i")
        forget_gate = self._get_activation(F, slices[1], rec, name=prefix + "f")
        in_transform = self._get_activation(F, slices[2], act, name=prefix + "c")
        out_gate = self._get_activation(F, slices[3], rec, name=prefix + "o")
        next_c = F.elemwise_add(F.elemwise_mul(forget_gate, cell, name=prefix + "mul0"),
                                F.elemwise_mul(in_gate, in_transform, name=prefix + "mul1"),
                                name=prefix + "state")
        next_h = F.elemwise_mul(out_gate, F.Activation(next_c, act_type=act,
                                                       name=prefix + "activation0"),
                                name=prefix + "out")
        return next_h, next_c


class RNNCell(_GatedCell):
    """Elman RNN cell: ``h' = activation(W_i x + b_i + W_h h + b_h)``."""

    _repr_activation = True

    def __init__(self, hidden_size, activation="tanh", i2h_weight_initializer=None,
                 h2h_weight_initializer=None, i2h_bias_initializer="zeros",
                 h2h_bias_initializer="zeros", input_size=0, prefix=None, params=None):
        self._init_gated(hidden_size, i2h_weight_initializer, h2h_weight_initializer,
                         i2h_bias_initializer, h2h_bias_initializer, input_size, prefix, params)
        self._activation = activation

    def _alias(self):
        return "rnn"

    def hybrid_forward(self, F, inputs, states, i2h_weight, h2h_weight, i2h_bias, h2h_bias):
        prefix, i2h, h2h = self._projections(F, inputs, states[0], i2h_weight, h2h_weight,
                                             i2h_bias, h2h_bias)
        output = self._get_activation(F, F.elemwise_add(i2h, h2h, name=prefix + "plus0"),
                                      self._activation, name=prefix + "out")
        return output, [output]


class LSTMCell(_GatedCell):
    """LSTM cell, gates in MXNet's order i, f, g (``activation``), o; states ``[h, c]``."""

    _gates = 4

    def __init__(self, hidden_size, i2h_weight_initializer=None, h2h_weight_initializer=None,
                 i2h_bias_initializer="zeros", h2h_bias_initializer="zeros", input_size=0,
                 *args, **kwargs):
        prefix, params, activation, recurrent_activation = _version_args(
            "LSTMCell", args, kwargs, mx1=("prefix", "params", "activation",
                                           "recurrent_activation"),
            mx2=("activation", "recurrent_activation"))
        self._init_gated(hidden_size, i2h_weight_initializer, h2h_weight_initializer,
                         i2h_bias_initializer, h2h_bias_initializer, input_size, prefix, params)
        self._activation = activation
        self._recurrent_activation = recurrent_activation

    def state_info(self, batch_size=0):
        return super().state_info(batch_size) * 2

    def _alias(self):
        return "lstm"

    def hybrid_forward(self, F, inputs, states, i2h_weight, h2h_weight, i2h_bias, h2h_bias):
        prefix, i2h, h2h = self._projections(F, inputs, states[0], i2h_weight, h2h_weight,
                                             i2h_bias, h2h_bias)
        gates = F.elemwise_add(i2h, h2h, name=prefix + "plus0")
        next_h, next_c = self._lstm_update(F, prefix, gates, states[1])
        return next_h, [next_h, next_c]


class GRUCell(_GatedCell):
    """GRU cell, gates in MXNet's order r, z, n (reset applied after the h2h product)."""

    _gates = 3

    def __init__(self, hidden_size, i2h_weight_initializer=None, h2h_weight_initializer=None,
                 i2h_bias_initializer="zeros", h2h_bias_initializer="zeros", input_size=0,
                 *args, **kwargs):
        prefix, params, activation, recurrent_activation = _version_args(
            "GRUCell", args, kwargs, mx1=("prefix", "params"),
            mx2=("activation", "recurrent_activation"))
        self._init_gated(hidden_size, i2h_weight_initializer, h2h_weight_initializer,
                         i2h_bias_initializer, h2h_bias_initializer, input_size, prefix, params)
        self._activation = activation
        self._recurrent_activation = recurrent_activation

    def _alias(self):
        return "gru"

    def hybrid_forward(self, F, inputs, states, i2h_weight, h2h_weight, i2h_bias, h2h_bias):
        prev_h = states[0]
        prefix, i2h, h2h = self._projections(F, inputs, prev_h, i2h_weight, h2h_weight,
                                             i2h_bias, h2h_bias)
        i2h_r, i2h_z, i2h = F.SliceChannel(i2h, num_outputs=3, name=prefix + "i2h_slice")
        h2h_r, h2h_z, h2h = F.SliceChannel(h2h, num_outputs=3, name=prefix + "h2h_slice")
        rec, act = self._recurrent_activation, self._activation
        reset_gate = self._get_activation(F, F.elemwise_add(i2h_r, h2h_r, name=prefix + "plus0"),
                                          rec, name=prefix + "r_act")
        update_gate = self._get_activation(F, F.elemwise_add(i2h_z, h2h_z, name=prefix + "plus1"),
                                           rec, name=prefix + "z_act")
        next_h_tmp = self._get_activation(
            F, F.elemwise_add(i2h, F.elemwise_mul(reset_gate, h2h, name=prefix + "mul0"),
                              name=prefix + "plus2"), act, name=prefix + "h_act")
        ones = F.ones_like(update_gate, name=prefix + "ones_like0")
        next_h = F.elemwise_add(
            F.elemwise_mul(F.elemwise_sub(ones, update_gate, name=prefix + "minus0"), next_h_tmp,
                           name=prefix + "mul1"),
            F.elemwise_mul(update_gate, prev_h, name=prefix + "mul20"), name=prefix + "out")
        return next_h, [next_h]


class LSTMPCell(_GatedCell):
    """LSTM cell with a projection of the hidden state (``h2r_weight``, no bias); states
    ``[r, c]`` with ``r`` of ``projection_size``. In ``gluon.contrib.rnn`` in MXNet 1.x."""

    _gates = 4

    def __init__(self, hidden_size, projection_size, i2h_weight_initializer=None,
                 h2h_weight_initializer=None, h2r_weight_initializer=None,
                 i2h_bias_initializer="zeros", h2h_bias_initializer="zeros", input_size=0,
                 prefix=None, params=None):
        self._init_gated(hidden_size, i2h_weight_initializer, h2h_weight_initializer,
                         i2h_bias_initializer, h2h_bias_initializer, input_size, prefix, params,
                         projection=(projection_size, h2r_weight_initializer))
        self._projection_size = projection_size
        self._activation = "tanh"
        self._recurrent_activation = "sigmoid"

    def state_info(self, batch_size=0):
        return [{"shape": (batch_size, self._projection_size), "__layout__": "NC"},
                {"shape": (batch_size, self._hidden_size), "__layout__": "NC"}]

    def _alias(self):
        return "lstmp"

    def _output_size(self):
        return self._projection_size

    def __repr__(self):
        shape = self.i2h_weight.shape
        mapping = f"{shape[1] if shape[1] else None} -> {shape[0]} -> {self.h2r_weight.shape[0]}"
        return f"{type(self).__name__}({mapping})"

    def hybrid_forward(self, F, inputs, states, i2h_weight, h2h_weight, h2r_weight, i2h_bias,
                       h2h_bias):
        prefix, i2h, h2h = self._projections(F, inputs, states[0], i2h_weight, h2h_weight,
                                             i2h_bias, h2h_bias)
        hidden, next_c = self._lstm_update(F, prefix, F.elemwise_add(i2h, h2h), states[1])
        next_r = F.FullyConnected(hidden, h2r_weight, num_hidden=self._projection_size,
                                  no_bias=True, name=prefix + "out")
        return next_r, [next_r, next_c]


class _ChildCellsMixin:
    """A cell whose states are those of its child cells, in order."""

    def _cells(self):
        return [cell for _, cell in self._child_items()]

    def state_info(self, batch_size=0):
        return _cells_state_info(self._cells(), batch_size)

    def begin_state(self, **kwargs):
        self._check_unmodified()
        return _cells_begin_state(self._cells(), **kwargs)


class _StackMixin(_ChildCellsMixin):
    """SequentialRNNCell and HybridSequentialRNNCell: cells applied one after another."""

    def __repr__(self):
        modstr = "\n".join(f"({key}): {indent(repr(cell), 2)}"
                           for key, cell in self._child_items())
        return f"{type(self).__name__}(\n{modstr}\n)"

    def add(self, cell):
        """Append a cell."""
        self._layers.append(cell)
        self.register_child(cell)


    def __call__(self, inputs, states):
        self._counter += 1
        next_states = []
        p = 0
        if not all(not isinstance(cell, BidirectionalCell) for cell in self._cells()):
            raise AssertionError()
        for cell in self._cells():
            n = len(cell.state_info())
            inputs, state = cell(inputs, states[p:p + n])
            p += n
            next_states.append(state)
        return inputs, sum(next_states, [])

    def unroll(self, length, inputs, begin_state=None, layout="NTC", merge_outputs=None,
               valid_length=None):
        self.reset()
        inputs, _, _, batch_size = _format_sequence(length, inputs, layout, None)
        cells = self._cells()
        begin_state = _get_begin_state(self, begin_state, batch_size)
        p = 0
        next_states = []
        for i, cell in enumerate(cells):
            n = len(cell.state_info())
            states = begin_state[p:p + n]
            p += n
            inputs, states = cell.unroll(
                length, inputs=inputs, begin_state=states, layout=layout,
                merge_outputs=None if i < len(cells) - 1 else merge_outputs,
                valid_length=valid_length)
            next_states.extend(states)
        return inputs, next_states

    def __getitem__(self, i):
        return dict(self._child_items())[str(i)]

    def __len__(self):
        return len(self._children)

    def infer_shape(self, _, x, is_bidirect):
        for i, child in enumerate(self._layers):
            child.infer_shape(i, x, is_bidirect)


class SequentialRNNCell(_StackMixin, RecurrentCell):
    """Stacks recurrent cells (a plain Block)."""

    def __init__(self, prefix=None, params=None):
        self._init_block(prefix, params, "SequentialRNNCell")
        self._layers = []
        self._init_cell()


class HybridSequentialRNNCell(_StackMixin, HybridRecurrentCell):
    """Stacks hybridizable recurrent cells."""

    def __init__(self, prefix=None, params=None):
        self._init_block(prefix, params, "HybridSequentialRNNCell")
        self._active = False
        self._layers = []
        self._init_cell()

    def hybrid_forward(self, F, inputs, states):
        return self.__call__(inputs, states)


class DropoutCell(HybridRecurrentCell):
    """Dropout on the input of each step (identity at inference); no states."""

    def __init__(self, rate, axes=(), prefix=None, params=None):
        super().__init__(prefix, params)
        if not isinstance(rate, Number):
            raise AssertionError("rate must be a number")
        self._rate = rate
        self._axes = axes

    def __repr__(self):
        return f"{type(self).__name__}(rate={self._rate}, axes={self._axes})"

    def state_info(self, batch_size=0):
        return []

    def _alias(self):
        return "dropout"

    def hybrid_forward(self, F, inputs, states):
        if self._rate > 0:
            inputs = F.Dropout(inputs, p=self._rate, axes=self._axes,
                               name="t%d_fwd" % self._counter)
        return inputs, states

    def unroll(self, length, inputs, begin_state=None, layout="NTC", merge_outputs=None,
               valid_length=None):
        self.reset()
        inputs, _, F, _ = _format_sequence(length, inputs, layout, merge_outputs)
        if _is_tensor(inputs):
            return self.hybrid_forward(F, inputs, begin_state if begin_state else [])
        return super().unroll(length, inputs, begin_state=begin_state, layout=layout,
                              merge_outputs=merge_outputs, valid_length=None)


class ModifierCell(HybridRecurrentCell):
    """Base class of cells that wrap another (``base_cell``), e.g. ZoneoutCell; the base cell
    cannot then be called directly. Legacy prefix: the base cell's plus the alias."""

    def __init__(self, base_cell):
        if base_cell._modified:
            raise AssertionError(
                f"Cell {self._base_label(base_cell)} is already modified. One cell cannot be "
                "modified twice")
        base_cell._modified = True
        if base_cell._naming.api.has_prefixes:
            super().__init__(prefix=base_cell.prefix + self._alias(), params=None)
        else:
            super().__init__()
        self.base_cell = base_cell

    @staticmethod
    def _base_label(base_cell):
        """The base cell's name for the message; MXNet 2 still asks for it, and blocks there
        have none, so the message becomes this AttributeError."""
        if base_cell._naming.api.has_prefixes:
            return base_cell.name
        raise AttributeError(f"'{type(base_cell).__name__}' object has no attribute 'name'")

    @property
    def params(self):
        return self.base_cell.params

    def state_info(self, batch_size=0):
        return self.base_cell.state_info(batch_size)

    def begin_state(self, func=zeros_state, **kwargs):
        self._check_unmodified()
        self.base_cell._modified = False
        begin = self.base_cell.begin_state(func=func, **kwargs)
        self.base_cell._modified = True
        return begin

    def infer_shape(self, i, x, is_bidirect):
        self.base_cell.infer_shape(i, x, is_bidirect)

    def __repr__(self):
        return f"{type(self).__name__}({self.base_cell})"


class ZoneoutCell(ModifierCell):
    """Zoneout on outputs and states (identity at inference)."""

    def __init__(self, base_cell, zoneout_outputs=0.0, zoneout_states=0.0):
        if isinstance(base_cell, BidirectionalCell):
            raise AssertionError(
                "BidirectionalCell doesn't support zoneout since it doesn't support step. "
                "Please add ZoneoutCell to the cells underneath instead.")
        # MXNet reads an attribute SequentialRNNCell never sets: AttributeError there too
        if not (not isinstance(base_cell, SequentialRNNCell) or not base_cell._bidirectional):
            raise AssertionError(
                "Bidirectional SequentialRNNCell doesn't support zoneout. "
                "Please add ZoneoutCell to the cells underneath instead.")
        super().__init__(base_cell)
        self.zoneout_outputs = zoneout_outputs
        self.zoneout_states = zoneout_states
        self._prev_output = None

    def __repr__(self):
        return (f"{type(self).__name__}(p_out={self.zoneout_outputs}, "
                f"p_state={self.zoneout_states}, {self.base_cell})")

    def _alias(self):
        return "zoneout"

    def reset(self):
        super().reset()
        self._prev_output = None

    def hybrid_forward(self, F, inputs, states):
        cell, p_outputs, p_states = self.base_cell, self.zoneout_outputs, self.zoneout_states
        next_output, next_states = cell(inputs, states)

        def mask(p, like):
            return F.Dropout(F.ones_like(like), p=p)

        prev_output = self._prev_output
        if prev_output is None:
            prev_output = F.zeros_like(next_output)
        output = F.where(mask(p_outputs, next_output), next_output, prev_output) \
            if p_outputs != 0.0 else next_output
        states = [F.where(mask(p_states, new_s), new_s, old_s)
                  for new_s, old_s in zip(next_states, states)] \
            if p_states != 0.0 else next_states
        self._prev_output = output
        return output, states


class ResidualCell(ModifierCell):
    """Adds the input to the base cell's output."""

    def hybrid_forward(self, F, inputs, states):
        output, states = self.base_cell(inputs, states)
        return F.elemwise_add(output, inputs, name="t%d_fwd" % self._counter), states

    def unroll(self, length, inputs, begin_state=None, layout="NTC", merge_outputs=None,
               valid_length=None):
        self.reset()
        self.base_cell._modified = False
        outputs, states = self.base_cell.unroll(length, inputs=inputs, begin_state=begin_state,
                                                layout=layout, merge_outputs=merge_outputs,
                                                valid_length=valid_length)
        self.base_cell._modified = True
        merge_outputs = _is_tensor(outputs) if merge_outputs is None else merge_outputs
        inputs, axis, F, _ = _format_sequence(length, inputs, layout, merge_outputs)
        if valid_length is not None:
            inputs = _mask_sequence_variable_length(F, inputs, length, valid_length, axis,
                                                    merge_outputs)
        if merge_outputs:
            outputs = F.elemwise_add(outputs, inputs)
        else:
            outputs = [F.elemwise_add(i, j) for i, j in zip(outputs, inputs)]
        return outputs, states


class VariationalDropoutCell(ModifierCell):
    """Variational dropout (one mask per sequence) on inputs, first state and outputs;
    identity at inference. In ``gluon.contrib.rnn`` in MXNet 1.x."""

    def __init__(self, base_cell, drop_inputs=0.0, drop_states=0.0, drop_outputs=0.0):
        if not (not drop_states or not isinstance(base_cell, BidirectionalCell)):
            raise AssertionError(
                "BidirectionalCell doesn't support variational state dropout. "
                "Please add VariationalDropoutCell to the cells underneath instead.")
        if not (not drop_states or not isinstance(base_cell, SequentialRNNCell) or \
            not base_cell._bidirectional):
            raise AssertionError(
                "Bidirectional SequentialRNNCell doesn't support variational state dropout. "
                "Please add VariationalDropoutCell to the cells underneath instead.")
        super().__init__(base_cell)
        self.drop_inputs = drop_inputs
        self.drop_states = drop_states
        self.drop_outputs = drop_outputs
        self.drop_inputs_mask = None
        self.drop_states_mask = None
        self.drop_outputs_mask = None

    def _alias(self):
        return "vardrop"

    def reset(self):
        super().reset()
        self.drop_inputs_mask = None
        self.drop_states_mask = None
        self.drop_outputs_mask = None

    def __repr__(self):
        return (f"{type(self).__name__}(p_out = {self.drop_outputs}, "
                f"p_state = {self.drop_states})")

    def hybrid_forward(self, F, inputs, states):
        if self.drop_states and self.drop_states_mask is None:
            self.drop_states_mask = F.Dropout(F.ones_like(states[0]), p=self.drop_states)
        if self.drop_inputs and self.drop_inputs_mask is None:
            self.drop_inputs_mask = F.Dropout(F.ones_like(inputs), p=self.drop_inputs)
        if self.drop_states:
            states = list(states)
            states[0] = states[0] * self.drop_states_mask
        if self.drop_inputs:
            inputs = inputs * self.drop_inputs_mask
        next_output, next_states = self.base_cell(inputs, states)
        if self.drop_outputs and self.drop_outputs_mask is None:
            self.drop_outputs_mask = F.Dropout(F.ones_like(next_output), p=self.drop_outputs)
        if self.drop_outputs:
            next_output = next_output * self.drop_outputs_mask
        return next_output, next_states

    def unroll(self, length, inputs, begin_state=None, layout="NTC", merge_outputs=None,
               valid_length=None):
        if self.drop_states:
            return super().unroll(length, inputs, begin_state, layout, merge_outputs,
                                  valid_length=valid_length)
        self.reset()
        inputs, axis, F, batch_size = _format_sequence(length, inputs, layout, True)
        states = _get_begin_state(self, begin_state, batch_size)
        if self.drop_inputs:
            inputs = F.Dropout(inputs, p=self.drop_inputs, axes=(axis,))
        outputs, states = self.base_cell.unroll(length, inputs, states, layout,
                                                merge_outputs=True, valid_length=valid_length)
        if self.drop_outputs:
            outputs = F.Dropout(outputs, p=self.drop_outputs, axes=(axis,))
        merge_outputs = _is_tensor(outputs) if merge_outputs is None else merge_outputs
        outputs, _, _, _ = _format_sequence(length, outputs, layout, merge_outputs)
        if valid_length is not None:
            outputs = _mask_sequence_variable_length(F, outputs, length, valid_length, axis,
                                                     merge_outputs)
        return outputs, states


class BidirectionalCell(_ChildCellsMixin, HybridRecurrentCell):
    """Runs ``l_cell`` forward and ``r_cell`` backward over the sequence (``unroll`` only),
    outputs concatenated. MXNet 1.9.1 also takes ``output_prefix`` (default ``'bi_'``)."""

    def __init__(self, l_cell, r_cell, *args, **kwargs):
        (output_prefix,) = _version_args("BidirectionalCell", args, kwargs,
                                         mx1=("output_prefix",), mx2=())
        if l_cell._naming.api.has_prefixes:
            super().__init__(prefix="", params=None)
            self._output_prefix = output_prefix
            self.register_child(l_cell, "l_cell")
            self.register_child(r_cell, "r_cell")
        else:
            super().__init__()
            self._output_prefix = ""
            self.l_cell = l_cell
            self.r_cell = r_cell

    def __call__(self, inputs, states):
        raise NotImplementedError("Bidirectional cannot be stepped. Please use unroll")

    def __repr__(self):
        children = dict(self._child_items())
        return (f"{type(self).__name__}(forward={children['l_cell']}, "
                f"backward={children['r_cell']})")


    def infer_shape(self, i, x, is_bidirect):
        for cell in self._cells():
            cell.infer_shape(i, x, True)

    def unroll(self, length, inputs, begin_state=None, layout="NTC", merge_outputs=None,
               valid_length=None):
        self.reset()
        inputs, axis, F, batch_size = _format_sequence(length, inputs, layout, False)
        reversed_inputs = _reverse_sequences(F, inputs, length, valid_length)
        states = _get_begin_state(self, begin_state, batch_size)
        l_cell, r_cell = self._cells()
        n_left = len(l_cell.state_info(batch_size))
        l_outputs, l_states = l_cell.unroll(length, inputs=inputs, begin_state=states[:n_left],
                                            layout=layout, merge_outputs=merge_outputs,
                                            valid_length=valid_length)
        r_outputs, r_states = r_cell.unroll(length, inputs=reversed_inputs,
                                            begin_state=states[n_left:], layout=layout,
                                            merge_outputs=False, valid_length=valid_length)
        reversed_r_outputs = _reverse_sequences(F, r_outputs, length, valid_length)
        if merge_outputs is None:
            merge_outputs = _is_tensor(l_outputs)
            l_outputs, _, _, _ = _format_sequence(None, l_outputs, layout, merge_outputs)
            reversed_r_outputs, _, _, _ = _format_sequence(None, reversed_r_outputs, layout,
                                                           merge_outputs)
        if merge_outputs:
            reversed_r_outputs = F.stack(*reversed_r_outputs, axis=axis)
            outputs = F.concat(l_outputs, reversed_r_outputs, dim=2,
                               name=f"{self._output_prefix}out")
        else:
            outputs = [F.concat(l_o, r_o, dim=1, name=f"{self._output_prefix}t{i}")
                       for i, (l_o, r_o) in enumerate(zip(l_outputs, reversed_r_outputs))]
        if valid_length is not None:
            outputs = _mask_sequence_variable_length(F, outputs, length, valid_length, axis,
                                                     merge_outputs)
        return outputs, l_states + r_states


# the optional arguments after the common ones, per MXNet API, with their defaults
_OPTIONAL_DEFAULTS = {"prefix": None, "params": None, "activation": "tanh",
                      "recurrent_activation": "sigmoid", "output_prefix": "bi_"}


def _version_args(owner, args, kwargs, mx1, mx2):
    """The trailing arguments of a cell whose signature differs between MXNet 1.9.1 (``mx1``
    names, in order) and 2.0.0b1 (``mx2``): the values of every name in ``mx1 + mx2`` order
    (defaults for the other API's); TypeError for an argument the active API lacks."""
    from ... import naming
    names = mx1 if naming.current().api.has_prefixes else mx2
    if len(args) > len(names) or set(kwargs) - set(names) or set(names[:len(args)]) & set(kwargs):
        extra = sorted(set(kwargs) - set(names)) or list(args[len(names):])
        raise TypeError(f"{owner}.__init__() got unexpected or repeated arguments {extra}")
    values = dict(_OPTIONAL_DEFAULTS, **dict(zip(names, args)), **kwargs)
    return [values[n] for n in dict.fromkeys(mx1 + mx2)]
