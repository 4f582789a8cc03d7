"""Weight initializers (numpy), mirroring the ``mxnet.initializer`` names user code passes.

An initializer fills a numpy array in place: ``init(name, arr)``. Layers accept an Initializer or
one of the registered names (``'zeros'``, ``'ones'``, ``'uniform'``, ``'normal'``, ``'xavier'``).
"""
from __future__ import annotations

import json

import numpy as np

_registry = {}


def register(cls):
    """Make ``cls`` available under its lower-case class name."""
    _registry[cls.__name__.lower()] = cls
    return cls


def create(init):
    """An Initializer from an Initializer, a registered name, or None (None stays None)."""
    if init is None or isinstance(init, Initializer):
        return init
    if isinstance(init, str) and init.lower() in _registry:
        return _registry[init.lower()]()
    raise ValueError(f"unknown initializer {init!r}: use one of {sorted(_registry)} "
                     "or an Initializer instance")


class Initializer:
    """Base class: ``__call__(name, arr)`` fills ``arr``; the default dispatches on the name the
    way MXNet does (biases, beta and running_mean are zeros; gamma and running_var are ones)."""

    rng = np.random.default_rng()

    def __call__(self, name, arr):
        name = str(name)
        if name.endswith(("bias", "beta", "running_mean", "moving_mean")):
            arr[...] = 0
        elif name.endswith(("gamma", "running_var", "moving_var")):
            arr[...] = 1
        else:
            self._init_weight(name, arr)

    def _init_weight(self, name, arr):
        raise NotImplementedError(f"{type(self).__name__} cannot initialize {name}")

    def __repr__(self):
        return f"{type(self).__name__}()"

    def _kwargs(self):
        """The constructor arguments MXNet's ``Initializer._kwargs`` holds, in its order."""
        return {}

    def dumps(self):
        """The JSON MXNet writes for this initializer (a variable's ``__init__`` attribute)."""
        return json.dumps([type(self).__name__.lower(), self._kwargs()])


@register
class Zero(Initializer):
    def _init_weight(self, name, arr):
        arr[...] = 0


@register
class One(Initializer):
    def _init_weight(self, name, arr):
        arr[...] = 1


@register
class Constant(Initializer):
    def __init__(self, value=0.0):
        self.value = value

    def _kwargs(self):
        value = self.value
        return {"value": value.tolist() if isinstance(value, np.ndarray) else value}

    def _init_weight(self, name, arr):
        arr[...] = self.value


@register
class Uniform(Initializer):
    def __init__(self, scale=0.07):
        self.scale = scale

    def _kwargs(self):
        return {"scale": self.scale}

    def _init_weight(self, name, arr):
        arr[...] = self.rng.uniform(-self.scale, self.scale, arr.shape)


@register
class Normal(Initializer):
    def __init__(self, sigma=0.01):
        self.sigma = sigma

    def _kwargs(self):
        return {"sigma": self.sigma}

    def _init_weight(self, name, arr):
        arr[...] = self.rng.normal(0, self.sigma, arr.shape)


@register
class Xavier(Initializer):
    def __init__(self, rnd_type="uniform", factor_type="avg", magnitude=3):
        self.rnd_type, self.factor_type, self.magnitude = rnd_type, factor_type, float(magnitude)
        self._given = {"rnd_type": rnd_type, "factor_type": factor_type, "magnitude": magnitude}

    def _kwargs(self):
        return dict(self._given)

    def _init_weight(self, name, arr):
        shape = arr.shape
        hw_scale = float(np.prod(shape[2:])) if len(shape) > 2 else 1.0
        fan_in = shape[1] * hw_scale if len(shape) > 1 else shape[0]
        fan_out = shape[0] * hw_scale
        factor = {"avg": (fan_in + fan_out) / 2.0, "in": fan_in, "out": fan_out}[self.factor_type]
        scale = np.sqrt(self.magnitude / factor)
        if self.rnd_type == "uniform":
            arr[...] = self.rng.uniform(-scale, scale, shape)
        else:
            arr[...] = self.rng.normal(0, scale, shape)


@register
class MSRAPrelu(Xavier):
    def __init__(self, factor_type="avg", slope=0.25):
        super().__init__("gaussian", factor_type, 2.0 / (1 + slope ** 2))
        self._given = {"factor_type": factor_type, "slope": slope}


@register
class RNNFused(Initializer):
    """MXNet 2's initializer of a recurrent layer's flat ``rnn_param``: each per-gate segment
    (order of :class:`gluonbridge.translate.rnn_weights.RNNLayout`) filled by its connection's
    initializer. :meth:`set_initializer` (called by ``Parameter.initialize`` with the global
    initializer) decides them as 2.0.0b1 does: weights take the global initializer unless the
    layer was given one (then 'uniform'); the i2h bias too unless the layer was given one (then
    zeros; the layers' default is 'zeros'); the h2h bias is then always zeros."""

    def __init__(self, mode, num_layers, state_size, bidirectional=False, projection_size=None,
                 i2h_weight_initializer=None, h2h_weight_initializer=None,
                 i2h_bias_initializer=None, h2h_bias_initializer=None,
                 h2r_weight_initializer=None):
        self.mode, self.num_layers, self.state_size = mode, num_layers, state_size
        self.bidirectional, self.projection_size = bidirectional, projection_size
        self.inits = {"i2h_weight": i2h_weight_initializer, "h2h_weight": h2h_weight_initializer,
                      "i2h_bias": i2h_bias_initializer, "h2h_bias": h2h_bias_initializer,
                      "h2r_weight": h2r_weight_initializer}
        self.chosen = dict(self.inits)

    def set_initializer(self, init):
        """Choose each connection's initializer given the global one (None: MXNet's default,
        Uniform)."""
        init = init or Uniform()
        chosen = dict(self.inits)
        chosen["i2h_weight"] = init if not chosen["i2h_weight"] else "uniform"
        chosen["h2h_weight"] = init if not chosen["h2h_weight"] else "uniform"
        chosen["i2h_bias"] = init if not chosen["i2h_bias"] else "zeros"
        # sic (2.0.0b1): h2h's bias looks at i2h's, already replaced on the line above
        chosen["h2h_bias"] = init if not chosen["i2h_bias"] else "zeros"
        chosen["h2r_weight"] = chosen["h2r_weight"] or init
        self.chosen = chosen

    def _init_weight(self, name, arr):
        from .translate.rnn_weights import RNNLayout
        layout = RNNLayout.for_mode(self.mode, self.num_layers, self.state_size, 0,
                                    self.bidirectional, self.projection_size)
        layout = layout.with_input_size_from(arr.size)
        flat = arr.reshape(-1)
        begin = 0
        for key, shape in layout.entries():
            count = int(np.prod(shape))
            init = create(self.chosen[key.split("_", 1)[1]]) or Uniform()
            init._init_weight(key, flat[begin:begin + count])
            begin += count


_registry["zeros"] = Zero
_registry["ones"] = One
