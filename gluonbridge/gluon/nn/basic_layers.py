"""Containers and basic layers (mirrors ``mxnet.gluon.nn.basic_layers``)."""
from __future__ import annotations

import numpy as np

from ..block import Block, HybridBlock, _only_mx1
from ..utils import indent
from .activations import activation_child


class _SequentialMixin:
    """What Sequential and HybridSequential share: ``add``, indexing/slicing, ``len``, repr."""

    def add(self, *blocks):
        """Append blocks; they are registered as children ``'0'``, ``'1'``, ..."""
        for block in blocks:
            self._layers.append(block)
            self.register_child(block)

    def __repr__(self):
        modstr = "\n".join(f"  ({key}): {indent(repr(block), 2)}"
                           for key, block in self._child_items())
        return f"{type(self).__name__}(\n{modstr}\n)"

    def __getitem__(self, key):
        layers = [child for _, child in self._child_items()][key]
        if not isinstance(layers, list):
            return layers
        if self._naming.api.has_prefixes:
            net = type(self)(prefix=self.prefix)
            with net.name_scope():
                net.add(*layers)
        else:
            net = type(self)()
            net.add(*layers)
        return net

    def __len__(self):
        return len(self._children)


class Sequential(_SequentialMixin, Block):
    """Stacks Blocks sequentially."""

    def __init__(self, prefix=None, params=None):
        self._init_block(prefix, params, "Sequential")
        self._layers = []

    def forward(self, x, *args):
        for _, block in self._child_items():
            x = block(x, *args)
            args = ()
        return x


class HybridSequential(_SequentialMixin, HybridBlock):
    """Stacks HybridBlocks sequentially."""

    def __init__(self, prefix=None, params=None):
        self._init_block(prefix, params, "HybridSequential")
        self._active = False
        self._layers = []

    def forward(self, x, *args):
        for _, block in self._child_items():
            x = block(x, *args)
            args = ()
        return x


class Dense(HybridBlock):
    """Fully connected layer: ``weight (units, in_units)``, ``bias (units,)``, optional ``act``."""

    def __init__(self, units, activation=None, use_bias=True, flatten=True, dtype="float32",
                 weight_initializer=None, bias_initializer="zeros", in_units=0, **kwargs):
        super().__init__(**kwargs)
        self._flatten = flatten
        with self._own_scope():
            self._units = units
            self._in_units = in_units
            self.weight = self._new_param("weight", shape=(units, in_units),
                                          init=weight_initializer, dtype=dtype,
                                          allow_deferred_init=True)
            if use_bias:
                self.bias = self._new_param("bias", shape=(units,), init=bias_initializer,
                                            dtype=dtype, allow_deferred_init=True)
            else:
                self.bias = None
            self.act = activation_child(self, activation)

    def hybrid_forward(self, F, x, weight, bias=None):
        out = F.FullyConnected(x, weight, bias, no_bias=bias is None, num_hidden=self._units,
                               flatten=self._flatten, name="fwd")
        return self.act(out) if self.act is not None else out

    def __repr__(self):
        shape = self.weight.shape
        layout = f"{shape[1] if shape[1] else None} -> {shape[0]}"
        return f"{type(self).__name__}({layout}, {self.act if self.act else 'linear'})"


class Dropout(HybridBlock):
    def __init__(self, rate, axes=(), **kwargs):
        super().__init__(**kwargs)
        self._rate = rate
        self._axes = axes

    def hybrid_forward(self, F, x):
        if self._rate > 0:
            return F.Dropout(x, p=self._rate, axes=self._axes, name="fwd", cudnn_off=False)
        return F.identity(x)

    def __repr__(self):
        return f"{type(self).__name__}(p = {self._rate}, axes={self._axes})"


class _NormLayer(HybridBlock):
    """Shared repr of BatchNorm, InstanceNorm and LayerNorm: ``Name(k=v, ..., in_channels=n)``."""

    _show_unknown_as_none = False

    def __repr__(self):
        content = ", ".join(f"{k}={v!r}" for k, v in self._kwargs.items())
        in_channels = self.gamma.shape[0]
        if self._show_unknown_as_none and not in_channels:
            in_channels = None
        return f"{type(self).__name__}({content}, in_channels={in_channels})"


class BatchNorm(_NormLayer):
    """Batch normalization: ``gamma, beta, running_mean, running_var``, each ``(in_channels,)``;
    the running statistics are auxiliary states (grad_req ``null``)."""

    _show_unknown_as_none = True

    def __init__(self, axis=1, momentum=0.9, epsilon=1e-5, center=True, scale=True,
                 use_global_stats=False, beta_initializer="zeros", gamma_initializer="ones",
                 running_mean_initializer="zeros", running_variance_initializer="ones",
                 in_channels=0, **kwargs):
        super().__init__(**kwargs)
        self._kwargs = {"axis": axis, "eps": epsilon, "momentum": momentum,
                        "fix_gamma": not scale, "use_global_stats": use_global_stats}
        if in_channels != 0:
            self.in_channels = in_channels
        shape = (in_channels,)
        self.gamma = self._new_param("gamma", grad_req="write" if scale else "null", shape=shape,
                                     init=gamma_initializer, allow_deferred_init=True,
                                     differentiable=scale)
        self.beta = self._new_param("beta", grad_req="write" if center else "null", shape=shape,
                                    init=beta_initializer, allow_deferred_init=True,
                                    differentiable=center)
        self.running_mean = self._new_param("running_mean", grad_req="null", shape=shape,
                                            init=running_mean_initializer,
                                            allow_deferred_init=True, differentiable=False)
        self.running_var = self._new_param("running_var", grad_req="null", shape=shape,
                                           init=running_variance_initializer,
                                           allow_deferred_init=True, differentiable=False)

    def cast(self, dtype):
        if np.dtype(dtype).name == "float16":   # statistics stay float32, as in MXNet
            dtype = "float32"
        super().cast(dtype)

    def hybrid_forward(self, F, x, gamma, beta, running_mean, running_var):
        return F.BatchNorm(x, gamma, beta, running_mean, running_var, name="fwd", **self._kwargs)


class _AffineNorm(_NormLayer):
    """InstanceNorm and LayerNorm: ``gamma`` and ``beta`` of shape ``(in_channels,)``."""

    def _init_norm(self, axis, epsilon, center, scale, beta_initializer, gamma_initializer,
                   in_channels, **kwargs):
        super().__init__(**kwargs)
        self._kwargs = {"eps": epsilon, "axis": axis, "center": center, "scale": scale}
        self._axis = axis
        self._epsilon = epsilon
        self.gamma = self._new_param("gamma", grad_req="write" if scale else "null",
                                     shape=(in_channels,), init=gamma_initializer,
                                     allow_deferred_init=True)
        self.beta = self._new_param("beta", grad_req="write" if center else "null",
                                    shape=(in_channels,), init=beta_initializer,
                                    allow_deferred_init=True)


class InstanceNorm(_AffineNorm):
    def __init__(self, axis=1, epsilon=1e-5, center=True, scale=False, beta_initializer="zeros",
                 gamma_initializer="ones", in_channels=0, **kwargs):
        self._init_norm(axis, epsilon, center, scale, beta_initializer, gamma_initializer,
                        in_channels, **kwargs)

    def hybrid_forward(self, F, x, gamma, beta):
        if self._axis == 1:
            return F.InstanceNorm(x, gamma, beta, name="fwd", eps=self._epsilon)
        x = x.swapaxes(1, self._axis)
        return F.InstanceNorm(x, gamma, beta, name="fwd", eps=self._epsilon).swapaxes(1, self._axis)


class LayerNorm(_AffineNorm):
    def __init__(self, axis=-1, epsilon=1e-5, center=True, scale=True, beta_initializer="zeros",
                 gamma_initializer="ones", in_channels=0, **kwargs):
        self._init_norm(axis, epsilon, center, scale, beta_initializer, gamma_initializer,
                        in_channels, **kwargs)

    def hybrid_forward(self, F, data, gamma, beta):
        return F.LayerNorm(data, gamma=gamma, beta=beta, axis=self._axis, eps=self._epsilon)


class Embedding(HybridBlock):
    """Lookup table: ``weight (input_dim, output_dim)``."""

    def __init__(self, input_dim, output_dim, dtype="float32", weight_initializer=None,
                 sparse_grad=False, **kwargs):
        super().__init__(**kwargs)
        grad_stype = "row_sparse" if sparse_grad else "default"
        self._kwargs = {"input_dim": input_dim, "output_dim": output_dim, "dtype": dtype,
                        "sparse_grad": sparse_grad}
        self.weight = self._new_param("weight", shape=(input_dim, output_dim),
                                      init=weight_initializer, dtype=dtype,
                                      allow_deferred_init=True, grad_stype=grad_stype)

    def hybrid_forward(self, F, x, weight):
        return F.Embedding(x, weight, name="fwd", **self._kwargs)

    def __repr__(self):
        k = self._kwargs
        return f"{type(self).__name__}({k['input_dim']} -> {k['output_dim']}, {k['dtype']})"


class Identity(HybridBlock):
    """Returns its input unchanged (``mxnet.gluon.contrib.nn.Identity`` in 1.x, ``nn`` in 2.x)."""

    def hybrid_forward(self, F, x):
        return x


class Flatten(HybridBlock):
    def hybrid_forward(self, F, x):
        return F.Flatten(x)

    def __repr__(self):
        return type(self).__name__


def _function_name(function):
    if isinstance(function, str):
        return function
    if callable(function):
        return function.__name__
    raise ValueError(f"Unrecognized function in lambda: {function} of type {type(function)}")


class Lambda(Block):
    """Wraps a function (or the name of an operator) as a Block."""

    def __init__(self, function, prefix=None):
        super().__init__(prefix=prefix)
        self._func_name = _function_name(function)
        self._function = function

    def forward(self, *args):
        if isinstance(self._function, str):
            from ...backend.runtime import run_op
            return run_op(self._function, *args)
        return self._function(*args)

    def __repr__(self):
        return f"{type(self).__name__}({self._func_name})"


class HybridLambda(HybridBlock):
    """Wraps a function (or the name of an operator) as a HybridBlock: ``f(F, x, *args)`` and
    an ``F`` op under legacy naming (MXNet 1.9.1), ``f(x, *args)`` and an ``np``/``npx``
    function under structural naming (MXNet 2.0.0b1)."""

    def __init__(self, function, prefix=None):
        super().__init__(prefix=prefix)
        self._func_name = _function_name(function)
        self._function = function

    @_only_mx1
    def hybrid_forward(self):
        """``f(F, x, *args)``, as MXNet 1.9.1 calls it."""
        def hybrid_forward(F, x, *args):
            if isinstance(self._function, str):
                return getattr(F, self._function)(x, *args)
            return self._function(F, x, *args)
        return hybrid_forward

    def forward(self, x, *args):
        """``f(x, *args)``, as MXNet 2.0.0b1 calls it (a name is looked up in ``np``, then
        ``npx``); under legacy naming HybridBlock's, which calls ``hybrid_forward``."""
        if hasattr(self, "hybrid_forward"):
            return HybridBlock.forward(self, x, *args)
        function = self._function
        if isinstance(function, str):
            from ... import numpy as np_ops, numpy_extension as npx_ops
            try:
                function = getattr(np_ops, function)
            except AttributeError:
                function = getattr(npx_ops, function)
        return function(x, *args)

    def __repr__(self):
        return f"{type(self).__name__}({self._func_name})"


class Concatenate(Sequential):
    """Runs every child on the same input and concatenates the outputs along ``axis``."""

    def __init__(self, axis=-1, prefix=None, params=None):
        super().__init__(prefix=prefix, params=params)
        self.axis = axis

    def forward(self, x):
        from ...backend.runtime import run_op
        return run_op("concat", *[child(x) for _, child in self._child_items()], dim=self.axis)


class HybridConcatenate(HybridSequential):
    """Runs every child on the same input and concatenates the outputs along ``axis``."""

    def __init__(self, axis=-1, prefix=None, params=None):
        super().__init__(prefix=prefix, params=params)
        self.axis = axis

    def hybrid_forward(self, F, x):
        return F.concat(*[child(x) for _, child in self._child_items()], dim=self.axis)
