"""MXNet 1.x per-gate recurrent weights <-> MXNet 2.0.0b1's one flat ``rnn_param``.

MXNet 1.9.1 keeps one array per layer, direction and connection (``l0_i2h_weight``,
``r1_h2h_bias``, ``l0_h2r_weight`` with a projection); MXNet 2.0.0b1 keeps them all in one
1-D ``rnn_param``. The flat order is the one the ``RNN`` operator reads in both versions (1.9.1's
layer concatenates its arrays into it at every call; 2.0.0b1's ``split_rnn_params`` reads it
back): all weights, then all biases; within each, layers, then directions (``l`` before ``r``),
then ``i2h``, ``h2h`` (and ``h2r``, weights only). tests/test_rnn_weights_oracle.py proves the
order on both oracles.

    layout = RNNLayout.for_mode("lstm", num_layers=2, hidden_size=8, input_size=5,
                                bidirectional=True)
    flat = fuse(per_gate_arrays, layout)            # {'l0_i2h_weight': ..., ...} -> 1-D
    per_gate = split(flat, layout)                  # and back

:func:`find_rnn_groups` recognises, from checkpoint keys alone, which per-gate keys belong to
one fused layer (``lstm0_l0_i2h_weight`` style full names, or the ``_unfused.0.l_cell.i2h_weight``
keys 1.9.1's ``save_parameters`` writes), and :func:`layout_from_arrays` reads the layer's sizes
from their shapes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

#: gates per mode: how many ``hidden_size`` blocks each i2h/h2h array stacks
GATES = {"rnn_relu": 1, "rnn_tanh": 1, "lstm": 4, "gru": 3}

_DIRECTIONS = ("l", "r")


def flat_keys(num_layers, bidirectional, projection):
    """The local per-gate keys in the order of the flat ``rnn_param``: weights, then biases;
    layers; directions; ``i2h``, ``h2h`` (``h2r``: weights only). The one statement of the order
    (tests/test_rnn_weights_oracle.py proves it on both oracles)."""
    connections = ("i2h", "h2h", "h2r") if projection else ("i2h", "h2h")
    for kind in ("weight", "bias"):
        for layer in range(num_layers):
            for d in _DIRECTIONS[:2 if bidirectional else 1]:
                for conn in connections:
                    if not (kind == "bias" and conn == "h2r"):
                        yield f"{d}{layer}_{conn}_{kind}"


class RNNWeightsError(ValueError):
    """Recurrent weights that do not fit the layer they are translated for."""


@dataclass(frozen=True)
class RNNLayout:
    """The sizes that fix where every per-gate array sits in the flat ``rnn_param``.

    ``gates`` is 1 (rnn_relu/rnn_tanh), 3 (gru) or 4 (lstm): the layout depends on the mode only
    through it. ``projection_size`` is LSTM's (None: no projection)."""

    gates: int
    num_layers: int
    hidden_size: int
    input_size: int
    bidirectional: bool = False
    projection_size: int | None = None

    @classmethod
    def for_mode(cls, mode, num_layers, hidden_size, input_size, bidirectional=False,
                 projection_size=None):
        if mode not in GATES:
            raise RNNWeightsError(f"unknown RNN mode {mode!r}; expected one of {sorted(GATES)}")
        return cls(GATES[mode], num_layers, hidden_size, input_size, bidirectional,
                   projection_size or None)

    @property
    def directions(self):
        return _DIRECTIONS[:2 if self.bidirectional else 1]

    def _layer_input(self, layer):
        if layer == 0:
            return self.input_size
        return (self.projection_size or self.hidden_size) * len(self.directions)

    def entries(self):
        """``[(local key, shape)]`` in the flat order, e.g. ``('l0_i2h_weight', (32, 5))``."""
        rows = self.gates * self.hidden_size
        recurrent = self.projection_size or self.hidden_size
        out = []
        for key in flat_keys(self.num_layers, self.bidirectional, bool(self.projection_size)):
            _, layer, conn, kind = _LOCAL.match(key).groups()
            if kind == "bias":
                shape = (rows,)
            elif conn == "h2r":
                shape = (self.projection_size, self.hidden_size)
            else:
                shape = (rows, self._layer_input(int(layer)) if conn == "i2h" else recurrent)
            out.append((key, shape))
        return out

    @property
    def size(self):
        """Elements of the flat ``rnn_param`` (2.0.0b1's ``infer_shape``)."""
        return sum(int(np.prod(shape)) for _, shape in self.entries())

    def with_input_size_from(self, total):
        """This layout with ``input_size`` read from a flat parameter of ``total`` elements
        (what 2.0.0b1's fused initializer does); RNNWeightsError if none fits."""
        per_input = self.gates * self.hidden_size * len(self.directions)
        rest = RNNLayout(self.gates, self.num_layers, self.hidden_size, 0, self.bidirectional,
                         self.projection_size).size
        input_size, remainder = divmod(total - rest, per_input)
        if remainder or input_size <= 0:
            raise RNNWeightsError(
                f"rnn_param has {total} elements: no input size fits {self.describe()} "
                f"(expected {rest} + k*{per_input} elements for input size k)")
        return RNNLayout(self.gates, self.num_layers, self.hidden_size, input_size,
                         self.bidirectional, self.projection_size)

    def describe(self):
        parts = [f"gates={self.gates}", f"num_layers={self.num_layers}",
                 f"hidden_size={self.hidden_size}", f"input_size={self.input_size}"]
        if self.bidirectional:
            parts.append("bidirectional")
        if self.projection_size:
            parts.append(f"projection_size={self.projection_size}")
        return "RNN layer (" + ", ".join(parts) + ")"


def fuse(arrays, layout):
    """The flat ``rnn_param`` of ``arrays`` (local key -> array, keys as in
    :meth:`RNNLayout.entries`); every key must be present with its element count."""
    entries = layout.entries()
    missing = [key for key, _ in entries if key not in arrays]
    extra = sorted(set(arrays) - {key for key, _ in entries})
    if missing or extra:
        raise RNNWeightsError(
            f"cannot fuse into {layout.describe()}: missing {missing or 'nothing'}, "
            f"unexpected {extra or 'nothing'}")
    parts = []
    dtypes = set()
    for key, shape in entries:
        arr = np.asarray(arrays[key])
        expected = int(np.prod(shape))
        if arr.size != expected:
            raise RNNWeightsError(
                f"{key}: expected {expected} elements (shape {shape}) for {layout.describe()}, "
                f"found {arr.size} (shape {arr.shape})")
        dtypes.add(arr.dtype)
        parts.append(arr.reshape(-1))
    if len(dtypes) > 1:
        raise RNNWeightsError(f"cannot fuse arrays of different dtypes {sorted(map(str, dtypes))} "
                              f"into one rnn_param; cast them to one dtype first")
    return np.concatenate(parts)


def split(flat, layout):
    """Local key -> array (copies) of the flat ``rnn_param``, as MXNet 2's
    ``split_rnn_params`` names them; ``layout.input_size == 0`` reads it from the size."""
    flat = np.asarray(flat)
    if flat.ndim != 1:
        raise RNNWeightsError(f"rnn_param must be 1-D, found shape {flat.shape}")
    if not layout.input_size:
        layout = layout.with_input_size_from(flat.size)
    if flat.size != layout.size:
        raise RNNWeightsError(f"rnn_param: expected {layout.size} elements for "
                              f"{layout.describe()}, found {flat.size}")
    out = {}
    begin = 0
    for key, shape in layout.entries():
        count = int(np.prod(shape))
        out[key] = flat[begin:begin + count].reshape(shape).copy()
        begin += count
    return out


def layout_from_arrays(arrays, mode=None):
    """The :class:`RNNLayout` the per-gate ``arrays`` (local key -> array) describe, read from
    their shapes (see :func:`layout_from_shapes`)."""
    return layout_from_shapes({key: np.shape(value) for key, value in arrays.items()}, mode)


def layout_from_shapes(shapes, mode=None):
    """The :class:`RNNLayout` per-gate ``shapes`` (local key -> shape) describe. The layout
    needs only the gate count, which the shapes give; ``mode``, when known, is checked against
    it (rnn_relu and rnn_tanh cannot be told apart by shapes). An unknown first input size (0
    or -1: deferred initialization) gives ``input_size`` 0, read later from the flat size."""
    keys = set(shapes)
    layers = sorted({int(m.group(2)) for m in map(_LOCAL.match, keys) if m})
    if not layers or layers != list(range(len(layers))):
        raise RNNWeightsError(f"per-gate keys do not number layers 0..n-1: {sorted(keys)}")
    bidirectional = any(k.startswith("r") for k in keys)
    h2h = tuple(shapes["l0_h2h_weight"]) if shapes.get("l0_h2h_weight") is not None else None
    i2h = tuple(shapes["l0_i2h_weight"]) if shapes.get("l0_i2h_weight") is not None else None
    if h2h is None or i2h is None or len(h2h) != 2 or len(i2h) != 2:
        raise RNNWeightsError("need 2-D l0_i2h_weight and l0_h2h_weight to read the layer sizes")
    if "l0_h2r_weight" in keys:
        projection_size, hidden_size = tuple(shapes["l0_h2r_weight"])
    else:
        projection_size, hidden_size = None, h2h[1]
    if hidden_size <= 0 or h2h[0] <= 0:
        raise RNNWeightsError(f"l0_h2h_weight's shape {h2h} does not give the hidden size")
    gates, remainder = divmod(h2h[0], hidden_size)
    if remainder or gates not in (1, 3, 4):
        raise RNNWeightsError(f"l0_h2h_weight has {h2h[0]} rows, not 1, 3 or 4 gates of "
                              f"hidden size {hidden_size}")
    if mode is not None and GATES.get(mode) != gates:
        raise RNNWeightsError(f"mode {mode!r} has {GATES.get(mode)} gates, the arrays {gates}")
    return RNNLayout(gates, len(layers), int(hidden_size), max(int(i2h[1]), 0), bidirectional,
                     None if projection_size is None else int(projection_size))


# -- recognising per-gate keys ------------------------------------------------------------
_LOCAL = re.compile(r"([lr])(\d+)_(i2h|h2h|h2r)_(weight|bias)\Z")
# a 1.x full name: '<prefix>l0_i2h_weight' (prefix e.g. 'lstm0_' or 'model_gru1_')
_FULL = re.compile(r"(?P<prefix>(?:.*_)?)(?P<local>[lr]\d+_(?:i2h|h2h|h2r)_(?:weight|bias))\Z")
# a key 1.9.1's save_parameters writes: '<path>._unfused.<layer>.[<dir>_cell.]<conn>_<kind>'
_UNFUSED = re.compile(r"(?P<path>(?:.*\.)?)_unfused\.(?P<layer>\d+)\."
                      r"(?:(?P<dir>[lr])_cell\.)?(?P<conn>i2h|h2h|h2r)_(?P<kind>weight|bias)\Z")


@dataclass
class RNNKeyGroup:
    """Per-gate keys of one recurrent layer: ``keys`` maps the local key (``l0_i2h_weight``)
    to the key found. ``style`` is ``'full_name'`` (1.x ``collect_params`` names, prefix
    ``prefix``) or ``'unfused'`` (1.9.1 ``save_parameters`` keys under block path ``prefix``).
    ``fused_key`` is the structural key of the layer's ``rnn_param`` when the keys tell it
    (``'unfused'`` style), else None: a full name's prefix does not say where the layer sits."""

    style: str
    prefix: str
    keys: dict = field(default_factory=dict)

    @property
    def num_layers(self):
        return 1 + max(int(_LOCAL.match(k).group(2)) for k in self.keys)

    @property
    def bidirectional(self):
        return any(k.startswith("r") for k in self.keys)

    @property
    def projection(self):
        return any("_h2r_" in k for k in self.keys)

    @property
    def fused_key(self):
        if self.style != "unfused":
            return None
        return self.prefix + "rnn_param"

    def expected_keys(self):
        return set(flat_keys(self.num_layers, self.bidirectional, self.projection))


def local_key(key):
    """``(style, prefix, local key, unidirectional)`` of a per-gate key, or None: style
    ``'unfused'`` (``unidirectional`` says whether the key lacks ``l_cell``/``r_cell``) or
    ``'full_name'`` (``unidirectional`` None)."""
    m = _UNFUSED.match(key)
    if m:
        d = m.group("dir")
        if d is None:
            d = "l"
        return "unfused", m.group("path"), \
            f"{d}{m.group('layer')}_{m.group('conn')}_{m.group('kind')}", m.group("dir") is None
    m = _FULL.match(key)
    if m:
        return "full_name", m.group("prefix"), m.group("local"), None
    return None


def find_rnn_groups(keys):
    """``(groups, problems)``: the per-gate keys among ``keys`` grouped by layer, and one
    message per group that cannot be fused from its keys alone (missing or extra per-gate
    arrays, layers not numbered 0..n-1, a key claimed twice). Only the complete, unambiguous
    groups are returned; keys that are not per-gate keys are ignored.

    Full names cannot tell a fused layer from a 1.x cell stack whose cells are prefixed
    ``l0_``/``r0_`` (what 1.x's ``_unfuse`` builds): the names are the same. ``_unfused`` keys
    are unambiguous. A caller that has the model confirms full-name groups against it."""
    groups = {}
    duplicates = {}
    unidirectional = {}
    for key in keys:
        parsed = local_key(key)
        if parsed is None:
            continue
        style, prefix, local, no_dir = parsed
        group = groups.setdefault((style, prefix), RNNKeyGroup(style, prefix))
        if local in group.keys:
            duplicates.setdefault((style, prefix), []).append(key)
            continue
        group.keys[local] = key
        if style == "unfused":
            unidirectional.setdefault((style, prefix), set()).add(no_dir)
    ok, problems = [], []
    for ident, group in sorted(groups.items()):
        where = f"{group.style} keys under {group.prefix!r}"
        if ident in duplicates:
            problems.append(f"{where}: keys {sorted(duplicates[ident])} name an array another key "
                            "already names")
            continue
        if unidirectional.get(ident, {False}) == {True, False}:
            problems.append(f"{where}: mixes bidirectional ('l_cell'/'r_cell') and "
                            "unidirectional _unfused keys")
            continue
        expected = group.expected_keys()
        missing = sorted(expected - set(group.keys))
        extra = sorted(set(group.keys) - expected)
        if missing or extra:
            problems.append(f"{where}: not one complete recurrent layer (missing "
                            f"{missing or 'nothing'}, unexpected {extra or 'nothing'})")
            continue
        ok.append(group)
    return ok, problems
