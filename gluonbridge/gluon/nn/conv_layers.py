"""Convolution and pooling layers (mirrors ``mxnet.gluon.nn.conv_layers``).

Every convolution is numbered by the hint ``conv`` and every pooling layer by ``pool`` under legacy
naming. The weight shape before the first forward pass follows the MXNet version being mirrored:
1.x infers it from ``in_channels`` (0 when unknown); 2.x leaves the input-channel dimension
unknown even when ``in_channels`` is given.
"""
from __future__ import annotations

from numbers import Number

from ..block import HybridBlock
from .activations import activation_child


def _tuple(value, n):
    return (value,) * n if isinstance(value, Number) else tuple(value)


def _weight_shape(api, transposed, layout, channels, in_channels, groups, kernel):
    """The weight shape a fresh conv layer reports (0 = unknown), per MXNet version."""
    shape = [0] * (len(kernel) + 2)
    for axis, size in zip(layout[2:] if layout[1] == "C" else layout[1:-1], kernel):
        shape[layout.find(axis)] = size
    n_axis, c_axis = layout.find("N"), layout.find("C")
    if api.conv_shape_ignores_in_channels:
        if transposed:
            shape[c_axis] = channels // groups
        else:
            shape[n_axis] = channels
        return tuple(shape)
    if transposed:
        if in_channels == 0 and groups > 1:
            raise ValueError("input num_filter must divide group size: in_channels is unknown "
                             f"(0) but groups={groups}; pass in_channels")
        shape[n_axis], shape[c_axis] = in_channels, channels // groups
    else:
        shape[n_axis], shape[c_axis] = channels, in_channels // groups
    return tuple(shape)


class _Conv(HybridBlock):
    """Shared by every convolution: ``weight`` and optional ``bias (channels,)`` and ``act``."""

    _ndim = 0
    _layouts = ()
    _transposed = False

    def _init_conv(self, channels, kernel_size, strides, padding, dilation, groups, layout,
                   in_channels, activation, use_bias, weight_initializer, bias_initializer,
                   output_padding=None, **kwargs):
        layout = layout or self._layouts[0]
        wanted = " and ".join(f"'{l}'" for l in self._layouts)
        if layout not in self._layouts:
            raise AssertionError(f"Only supports {wanted} layout for now")
        n = self._ndim
        kernel_size = _tuple(kernel_size, n)
        if len(kernel_size) != n:
            raise AssertionError(f"kernel_size must be a number or a list of {n} ints")
        if output_padding is not None:
            output_padding = _tuple(output_padding, n)
            if len(output_padding) != n:
                raise AssertionError(f"output_padding must be a number or a list of {n} ints")
        super().__init__(**kwargs)
        with self._own_scope():
            self._channels = channels
            self._in_channels = in_channels
            self._op_name = "Deconvolution" if self._transposed else "Convolution"
            self._kwargs = {
                "kernel": kernel_size, "stride": _tuple(strides, n), "dilate": _tuple(dilation, n),
                "pad": _tuple(padding, n), "num_filter": channels, "num_group": groups,
                "no_bias": not use_bias, "layout": layout}
            if output_padding is not None:
                self._kwargs["adj"] = output_padding
                self.outpad = output_padding
            shape = _weight_shape(self._naming.api, self._transposed, layout, channels,
                                  in_channels, groups, kernel_size)
            self.weight = self._new_param("weight", shape=shape, init=weight_initializer,
                                          allow_deferred_init=True)
            if use_bias:
                self.bias = self._new_param("bias", shape=(channels,), init=bias_initializer,
                                            allow_deferred_init=True)
            else:
                self.bias = None
            self.act = activation_child(self, activation)

    def _alias(self):
        return "conv"

    def hybrid_forward(self, F, x, weight, bias=None):
        out = getattr(F, self._op_name)(x, weight, bias, name="fwd", **self._kwargs)
        return self.act(out) if self.act is not None else out

    def __repr__(self):
        reverse = (self._naming.api.transposed_conv_repr_reversed
                   and "Transpose" in type(self).__name__)
        return conv_repr(self, self._kwargs, self.weight.shape, self.bias is not None, reverse)


class _Convolution(_Conv):
    def __init__(self, channels, kernel_size, strides=1, padding=0, dilation=1, groups=1,
                 layout=None, activation=None, use_bias=True, weight_initializer=None,
                 bias_initializer="zeros", in_channels=0, **kwargs):
        self._init_conv(channels, kernel_size, strides, padding, dilation, groups, layout,
                        in_channels, activation, use_bias, weight_initializer, bias_initializer,
                        **kwargs)


class _ConvTranspose(_Conv):
    _transposed = True

    def __init__(self, channels, kernel_size, strides=1, padding=0, output_padding=0,
                 dilation=1, groups=1, layout=None, activation=None, use_bias=True,
                 weight_initializer=None, bias_initializer="zeros", in_channels=0, **kwargs):
        self._init_conv(channels, kernel_size, strides, padding, dilation, groups, layout,
                        in_channels, activation, use_bias, weight_initializer, bias_initializer,
                        output_padding=output_padding, **kwargs)


class Conv1D(_Convolution):
    _ndim, _layouts = 1, ("NCW",)


class Conv2D(_Convolution):
    _ndim, _layouts = 2, ("NCHW", "NHWC")


class Conv3D(_Convolution):
    _ndim, _layouts = 3, ("NCDHW", "NDHWC")


class Conv1DTranspose(_ConvTranspose):
    _ndim, _layouts = 1, ("NCW",)


class Conv2DTranspose(_ConvTranspose):
    _ndim, _layouts = 2, ("NCHW", "NHWC")


class Conv3DTranspose(_ConvTranspose):
    _ndim, _layouts = 3, ("NCDHW", "NDHWC")


_POOL_LAYOUTS = {1: ("NCW", "NWC"), 2: ("NCHW", "NHWC"), 3: ("NCDHW", "NDHWC")}


class _Pooling(HybridBlock):
    """Shared by every pooling layer; ``ceil_mode`` is MXNet's 'full' pooling convention."""

    def _init_pool(self, ndim, pool_size, strides, padding, ceil_mode, global_pool, pool_type,
                   layout, count_include_pad=None, **kwargs):
        layouts = _POOL_LAYOUTS[ndim]
        if layout not in layouts:
            raise AssertionError(f"Only {layouts[0]} and {layouts[1]} layouts are valid for "
                                 f"{ndim}D Pooling")
        pool_size = _tuple(pool_size, ndim)
        if len(pool_size) != ndim:
            raise AssertionError(f"pool_size must be a number or a list of {ndim} ints")
        super().__init__(**kwargs)
        self._kwargs = {
            "kernel": pool_size, "stride": _tuple(pool_size if strides is None else strides, ndim),
            "pad": _tuple(padding, ndim), "global_pool": global_pool, "pool_type": pool_type,
            "layout": layout, "pooling_convention": "full" if ceil_mode else "valid"}
        if count_include_pad is not None:
            self._kwargs["count_include_pad"] = count_include_pad

    def _alias(self):
        return "pool"

    def hybrid_forward(self, F, x):
        return F.Pooling(x, name="fwd", **self._kwargs)

    def __repr__(self):
        k = self._kwargs
        return (f"{type(self).__name__}(size={k['kernel']}, stride={k['stride']}, "
                f"padding={k['pad']}, ceil_mode={k['pooling_convention'] == 'full'}, "
                f"global_pool={k['global_pool']}, pool_type={k['pool_type']}, layout={k['layout']})")


class MaxPool1D(_Pooling):
    def __init__(self, pool_size=2, strides=None, padding=0, layout="NCW", ceil_mode=False,
                 **kwargs):
        self._init_pool(1, pool_size, strides, padding, ceil_mode, False, "max", layout, **kwargs)


class MaxPool2D(_Pooling):
    def __init__(self, pool_size=(2, 2), strides=None, padding=0, layout="NCHW", ceil_mode=False,
                 **kwargs):
        self._init_pool(2, pool_size, strides, padding, ceil_mode, False, "max", layout, **kwargs)


class MaxPool3D(_Pooling):
    def __init__(self, pool_size=(2, 2, 2), strides=None, padding=0, ceil_mode=False,
                 layout="NCDHW", **kwargs):
        self._init_pool(3, pool_size, strides, padding, ceil_mode, False, "max", layout, **kwargs)


class AvgPool1D(_Pooling):
    def __init__(self, pool_size=2, strides=None, padding=0, layout="NCW", ceil_mode=False,
                 count_include_pad=True, **kwargs):
        self._init_pool(1, pool_size, strides, padding, ceil_mode, False, "avg", layout,
                        count_include_pad, **kwargs)


class AvgPool2D(_Pooling):
    def __init__(self, pool_size=(2, 2), strides=None, padding=0, ceil_mode=False,
                 layout="NCHW", count_include_pad=True, **kwargs):
        self._init_pool(2, pool_size, strides, padding, ceil_mode, False, "avg", layout,
                        count_include_pad, **kwargs)


class AvgPool3D(_Pooling):
    def __init__(self, pool_size=(2, 2, 2), strides=None, padding=0, ceil_mode=False,
                 layout="NCDHW", count_include_pad=True, **kwargs):
        self._init_pool(3, pool_size, strides, padding, ceil_mode, False, "avg", layout,
                        count_include_pad, **kwargs)


class _GlobalPooling(_Pooling):
    _ndim = 0
    _pool_type = ""

    def __init__(self, layout=None, **kwargs):
        layout = layout or _POOL_LAYOUTS[self._ndim][0]
        self._init_pool(self._ndim, 1, None, 0, True, True, self._pool_type, layout, **kwargs)


class GlobalMaxPool1D(_GlobalPooling):
    _ndim, _pool_type = 1, "max"


class GlobalMaxPool2D(_GlobalPooling):
    _ndim, _pool_type = 2, "max"


class GlobalMaxPool3D(_GlobalPooling):
    _ndim, _pool_type = 3, "max"


class GlobalAvgPool1D(_GlobalPooling):
    _ndim, _pool_type = 1, "avg"


class GlobalAvgPool2D(_GlobalPooling):
    _ndim, _pool_type = 2, "avg"


class GlobalAvgPool3D(_GlobalPooling):
    _ndim, _pool_type = 3, "avg"


def conv_repr(block, kwargs, weight_shape, has_bias, reverse=False):
    """MXNet's repr of a convolution layer: ``Conv2D(3 -> 8, kernel_size=..., ...)`` from its
    op ``kwargs`` (the mapping read off ``weight_shape``, ends swapped when ``reverse``)."""
    n = len(kwargs["kernel"])
    s = f"{type(block).__name__}({{mapping}}, kernel_size={kwargs['kernel']}, stride={kwargs['stride']}"
    if kwargs["pad"] != (0,) * n:
        s += f", padding={kwargs['pad']}"
    if kwargs["dilate"] != (1,) * n:
        s += f", dilation={kwargs['dilate']}"
    if kwargs["num_group"] != 1:
        s += f", groups={kwargs['num_group']}"
    if not has_bias:
        s += ", bias=False"
    if block.act:
        s += f", {block.act}"
    ends = [weight_shape[1] if weight_shape[1] else None, weight_shape[0]]
    if reverse:
        ends.reverse()
    return (s + ")").format(mapping=f"{ends[0]} -> {ends[1]}")
