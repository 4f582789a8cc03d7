"""The op table: every MXNet operator the lowering supports, each defined once.

An entry is ``fn(graph, *inputs, **attrs) -> Symbol``: it checks its attributes, works out the
static output shape, binds weight parameters to the shape it needs (``graph.parameter``), and
records the ONNX nodes. It is registered under its MXNet 1.x name (``F.FullyConnected``) and its
MXNet 2.x names (``npx.fully_connected``). Adding an op touches this file only. The traps and the
measurements behind each lowering are in shared/spec/onnx-lowering.md.
"""
from __future__ import annotations

import math

import numpy as np

from .graph import ParamRef, Symbol

OPS = {}
FLT_MAX = float(np.finfo(np.float32).max)
# attributes MXNet ops accept that change nothing at inference
_IGNORED = {"name", "cudnn_off", "cudnn_tune", "workspace", "out", "ctx", "layout_hint"}


def register(*names):
    def decorate(fn):
        for name in names:
            OPS[name] = fn
        return fn
    return decorate


def _check_attrs(graph, op, attrs):
    for key, value in attrs.items():
        if key not in _IGNORED:
            graph.fail(op, f"attribute {key}={value!r}")


def _tup(value, n):
    if value is None:
        return None
    return (int(value),) * n if np.isscalar(value) else tuple(int(v) for v in value)


def _broadcast(*shapes):
    return tuple(np.broadcast_shapes(*[tuple(s) for s in shapes]))


def _as_symbol(graph, value, like):
    if isinstance(value, ParamRef):
        return graph.parameter(value, value.param.shape, "elementwise")
    if isinstance(value, Symbol):
        return value
    return graph.constant(value, dtype=like.dtype)


def elementwise(graph, onnx_op, a, b):
    """``a <op> b`` with numpy broadcasting; scalars become constants of the other's dtype."""
    like = a if isinstance(a, Symbol) else b
    a, b = _as_symbol(graph, a, like), _as_symbol(graph, b, like)
    return graph.node(onnx_op, [a, b], _broadcast(a.shape, b.shape), like.dtype)


_BINARY = {
    "Add": ("broadcast_add", "elemwise_add", "add", "broadcast_plus", "_plus"),
    "Sub": ("broadcast_sub", "elemwise_sub", "subtract", "broadcast_minus", "_minus"),
    "Mul": ("broadcast_mul", "elemwise_mul", "multiply", "_mul"),
    "Div": ("broadcast_div", "elemwise_div", "divide", "true_divide", "_div"),
    "Max": ("broadcast_maximum", "maximum"),
    "Min": ("broadcast_minimum", "minimum"),
    "Pow": ("broadcast_power", "power"),
}


def _binary(onnx_op, *names):
    @register(*names)
    def lower(graph, lhs, rhs, **attrs):
        _check_attrs(graph, names[0], attrs)
        return elementwise(graph, onnx_op, lhs, rhs)
    return lower


for _onnx_op, _names in _BINARY.items():
    _binary(_onnx_op, *_names)


def _unary(onnx_op, *names):
    @register(*names)
    def lower(graph, data, **attrs):
        _check_attrs(graph, names[0], attrs)
        return graph.node(onnx_op, [data], data.shape, data.dtype)
    return lower


_unary("Relu", "relu")
_unary("Sigmoid", "sigmoid")
_unary("Tanh", "tanh")
_unary("Exp", "exp")
_unary("Log", "log")
_unary("Sqrt", "sqrt")
_unary("Abs", "abs")
_unary("Identity", "identity", "copy", "_copy", "stop_gradient", "BlockGrad")


def _softsign(graph, data):
    one_plus = elementwise(graph, "Add", graph.node("Abs", [data], data.shape, data.dtype), 1.0)
    return elementwise(graph, "Div", data, one_plus)


def _gelu_erf(graph, data):
    erf = graph.node("Erf", [elementwise(graph, "Div", data, math.sqrt(2.0))], data.shape,
                     data.dtype)
    return elementwise(graph, "Mul", elementwise(graph, "Mul", data, 0.5),
                       elementwise(graph, "Add", erf, 1.0))


_ACTIVATIONS = {"relu": "Relu", "sigmoid": "Sigmoid", "tanh": "Tanh", "softrelu": "Softplus"}


@register("Activation", "activation")
def activation(graph, data, act_type, **attrs):
    _check_attrs(graph, "Activation", attrs)
    if act_type == "softsign":
        return _softsign(graph, data)
    if act_type not in _ACTIVATIONS:
        graph.fail("Activation", f"act_type={act_type!r}")
    return graph.node(_ACTIVATIONS[act_type], [data], data.shape, data.dtype)


@register("softsign")
def softsign(graph, data, **attrs):
    _check_attrs(graph, "softsign", attrs)
    return _softsign(graph, data)


@register("LeakyReLU", "leaky_relu")
def leaky_relu(graph, data, gamma=None, act_type="leaky", slope=0.25, **attrs):
    _check_attrs(graph, "LeakyReLU", attrs)
    if act_type == "leaky":
        return graph.node("LeakyRelu", [data], data.shape, data.dtype, alpha=float(slope))
    if act_type == "elu":
        return graph.node("Elu", [data], data.shape, data.dtype, alpha=float(slope))
    if act_type == "selu":
        return graph.node("Selu", [data], data.shape, data.dtype)
    if act_type == "gelu":
        return _gelu_erf(graph, data)
    if act_type == "prelu":
        channels = gamma.shape[0] if gamma.shape and gamma.shape[0] > 0 else data.shape[1]
        slope_sym = graph.parameter(gamma, (channels,), "LeakyReLU", data)
        # MXNet broadcasts the slope along axis 1; ONNX PRelu broadcasts trailing axes
        trailing = (channels,) + (1,) * max(data.ndim - 2, 0)
        slope_sym = reshape_static(graph, slope_sym, trailing if channels > 1 else (1,))
        return graph.node("PRelu", [data, slope_sym], data.shape, data.dtype)
    graph.fail("LeakyReLU", f"act_type={act_type!r}")


@register("FullyConnected", "fully_connected")
def fully_connected(graph, data, weight, bias=None, num_hidden=None, no_bias=False, flatten=True,
                    **attrs):
    _check_attrs(graph, "FullyConnected", attrs)
    if flatten:
        in_units = int(np.prod(data.shape[1:]))
        if data.ndim != 2:
            data = graph.node("Flatten", [data], (data.shape[0], in_units), data.dtype, axis=1)
        w = graph.parameter(weight, (num_hidden, in_units), "FullyConnected", data)
        inputs = [data, w]
        if not no_bias and bias is not None:
            inputs.append(graph.parameter(bias, (num_hidden,), "FullyConnected", data))
        return graph.node("Gemm", inputs, (data.shape[0], num_hidden), data.dtype, transB=1)
    w = graph.parameter(weight, (num_hidden, data.shape[-1]), "FullyConnected", data)
    w_t = graph.node("Transpose", [w], (data.shape[-1], num_hidden), w.dtype, perm=[1, 0])
    out = graph.node("MatMul", [data, w_t], data.shape[:-1] + (num_hidden,), data.dtype)
    if not no_bias and bias is not None:
        b = graph.parameter(bias, (num_hidden,), "FullyConnected", data)
        out = elementwise(graph, "Add", out, b)
    return out


def _check_channels_first(graph, op, layout, ndim):
    if layout is not None and layout[1] != "C":
        graph.fail(op, f"layout={layout!r} (only channels-first layouts NCW/NCHW/NCDHW)")
    if ndim < 3:
        graph.fail(op, f"{ndim}-d input")


def _conv_common(graph, op, data, kernel, stride, dilate, pad, layout):
    n = len(kernel)
    _check_channels_first(graph, op, layout, data.ndim)
    if data.ndim != n + 2:
        graph.fail(op, f"a {data.ndim}-d input for a {n}-d kernel")
    return (tuple(kernel), _tup(stride, n) or (1,) * n, _tup(dilate, n) or (1,) * n,
            _tup(pad, n) or (0,) * n)


@register("Convolution", "convolution")
def convolution(graph, data, weight, bias=None, kernel=None, stride=None, dilate=None, pad=None,
                num_filter=None, num_group=1, no_bias=False, layout=None, **attrs):
    _check_attrs(graph, "Convolution", attrs)
    k, s, d, p = _conv_common(graph, "Convolution", data, kernel, stride, dilate, pad, layout)
    in_channels = data.shape[1]
    w = graph.parameter(weight, (num_filter, in_channels // num_group) + k, "Convolution", data)
    spatial = tuple((x + 2 * pi - di * (ki - 1) - 1) // si + 1
                    for x, pi, di, ki, si in zip(data.shape[2:], p, d, k, s))
    inputs = [data, w]
    if not no_bias and bias is not None:
        inputs.append(graph.parameter(bias, (num_filter,), "Convolution", data))
    return graph.node("Conv", inputs, (data.shape[0], num_filter) + spatial, data.dtype,
                      kernel_shape=list(k), strides=list(s), dilations=list(d),
                      pads=list(p) * 2, group=int(num_group))


@register("Deconvolution", "deconvolution")
def deconvolution(graph, data, weight, bias=None, kernel=None, stride=None, dilate=None, pad=None,
                  adj=None, num_filter=None, num_group=1, no_bias=True, layout=None,
                  target_shape=None, **attrs):
    _check_attrs(graph, "Deconvolution", attrs)
    if target_shape:
        graph.fail("Deconvolution", f"target_shape={target_shape!r}")
    k, s, d, p = _conv_common(graph, "Deconvolution", data, kernel, stride, dilate, pad, layout)
    a = _tup(adj, len(k)) or (0,) * len(k)
    w = graph.parameter(weight, (data.shape[1], num_filter // num_group) + k, "Deconvolution",
                        data)
    spatial = tuple((x - 1) * si - 2 * pi + di * (ki - 1) + ai + 1
                    for x, si, pi, di, ki, ai in zip(data.shape[2:], s, p, d, k, a))
    inputs = [data, w]
    if not no_bias and bias is not None:
        inputs.append(graph.parameter(bias, (num_filter,), "Deconvolution", data))
    return graph.node("ConvTranspose", inputs, (data.shape[0], num_filter) + spatial, data.dtype,
                      kernel_shape=list(k), strides=list(s), dilations=list(d),
                      pads=list(p) * 2, output_padding=list(a), group=int(num_group))


def _move_axis_to_1(graph, data, axis):
    perm = list(range(data.ndim))
    perm.insert(1, perm.pop(axis))
    return perm, graph.node("Transpose", [data], tuple(data.shape[i] for i in perm), data.dtype,
                            perm=perm)


def _restore_axis(graph, data, perm):
    inverse = list(np.argsort(perm))
    return graph.node("Transpose", [data], tuple(data.shape[i] for i in inverse), data.dtype,
                      perm=[int(i) for i in inverse])


@register("BatchNorm", "batch_norm")
def batch_norm(graph, data, gamma, beta, moving_mean, moving_var, eps=1e-3, momentum=0.9,
               fix_gamma=True, use_global_stats=False, axis=1, output_mean_var=False, **attrs):
    """Inference batch norm (running statistics). The defaults are the MXNet *op*'s (eps 1e-3,
    fix_gamma True), which apply to symbol files without those attributes; Gluon's BatchNorm
    passes its own. ``fix_gamma`` ignores the stored gamma and, as MXNet does on every forward,
    overwrites it with ones."""
    _check_attrs(graph, "BatchNorm", {k: v for k, v in attrs.items() if k != "act_type"})
    if output_mean_var:
        graph.fail("BatchNorm", "output_mean_var=True")
    axis = axis % data.ndim
    channels = (data.shape[axis],)
    if fix_gamma:
        if isinstance(gamma, ParamRef):
            gamma.param._complete_shape(channels)
            gamma.param.set_data(np.ones(channels, dtype=gamma.param._data.dtype))
        gamma_sym = graph.constant(np.ones(channels), dtype=data.dtype)
    else:
        gamma_sym = graph.parameter(gamma, channels, "BatchNorm", data)
    inputs = [gamma_sym] + [graph.parameter(v, channels, "BatchNorm", data)
                            for v in (beta, moving_mean, moving_var)]
    perm = None
    if axis != 1:
        perm, data = _move_axis_to_1(graph, data, axis)
    out = graph.node("BatchNormalization", [data] + inputs, data.shape, data.dtype,
                     epsilon=float(eps))
    return _restore_axis(graph, out, perm) if perm else out


@register("LayerNorm", "layer_norm")
def layer_norm(graph, data, gamma, beta, axis=-1, eps=1e-5, output_mean_var=False, **attrs):
    """MXNet normalizes over one axis; ONNX LayerNormalization over ``axis..end``, so a
    non-last axis is moved last and back."""
    _check_attrs(graph, "LayerNorm", attrs)
    if output_mean_var:
        graph.fail("LayerNorm", "output_mean_var=True")
    axis = axis % data.ndim
    channels = (data.shape[axis],)
    g = graph.parameter(gamma, channels, "LayerNorm", data)
    b = graph.parameter(beta, channels, "LayerNorm", data)
    perm = None
    if axis != data.ndim - 1:
        perm = [i for i in range(data.ndim) if i != axis] + [axis]
        data = graph.node("Transpose", [data], tuple(data.shape[i] for i in perm), data.dtype,
                          perm=perm)
    out = graph.node("LayerNormalization", [data, g, b], data.shape, data.dtype, axis=-1,
                     epsilon=float(eps))
    return _restore_axis(graph, out, perm) if perm else out


@register("InstanceNorm", "instance_norm")
def instance_norm(graph, data, gamma, beta, eps=1e-3, **attrs):
    _check_attrs(graph, "InstanceNorm", attrs)
    channels = (data.shape[1],)
    gamma, beta = (graph.parameter(p, channels, "InstanceNorm", data) for p in (gamma, beta))
    return graph.node("InstanceNormalization", [data, gamma, beta],
                      data.shape, data.dtype, epsilon=float(eps))


@register("Pooling", "pooling")
def pooling(graph, data, kernel=(), pool_type="max", global_pool=False, stride=None, pad=None,
            pooling_convention="valid", count_include_pad=None, layout=None, cudnn_off=False,
            p_value=None, **attrs):
    """Max/avg pooling with MXNet's output sizes and edge rules, in a form onnxruntime and the
    reference evaluator both compute exactly (onnx 1.23's reference MaxPool mishandles padding
    at stride 1, and its ceil-mode AveragePool uses wrong windows):

    * max: padding (and the extra end padding of ceil mode) made explicit with -FLT_MAX, which
      is also what MXNet emits for a window that lies wholly in the padding;
    * avg in ceil ('full') mode: a sum pool over zero-padded input divided by MXNet's per-window
      divisor (the window clipped to ``[-pad, size + pad)``, or to the real elements when
      ``count_include_pad`` is False; 0 for a window wholly in the padding);
    * otherwise the plain ONNX op (ONNX's count_include_pad default is 0, MXNet's is 1).
    """
    _check_attrs(graph, "Pooling", attrs)
    _check_channels_first(graph, "Pooling", layout, data.ndim)
    if pool_type not in ("max", "avg"):
        graph.fail("Pooling", f"pool_type={pool_type!r}")
    n = data.ndim - 2
    if global_pool:
        op = "GlobalMaxPool" if pool_type == "max" else "GlobalAveragePool"
        return graph.node(op, [data], data.shape[:2] + (1,) * n, data.dtype)
    if pooling_convention not in ("valid", "full"):
        graph.fail("Pooling", f"pooling_convention={pooling_convention!r}")
    k = _tup(kernel, n)
    s = _tup(stride, n) or (1,) * n
    p = _tup(pad, n) or (0,) * n
    sizes = data.shape[2:]
    ceil = pooling_convention == "full" and any((x + 2 * pi - ki) % si
                                                for x, pi, ki, si in zip(sizes, p, k, s))
    rounding = math.ceil if ceil else math.floor
    out = tuple(rounding((x + 2 * pi - ki) / si) + 1 for x, pi, ki, si in zip(sizes, p, k, s))
    out_shape = data.shape[:2] + out
    include = True if count_include_pad is None else bool(count_include_pad)
    if pool_type == "avg" and not ceil:
        return graph.node("AveragePool", [data], out_shape, data.dtype, kernel_shape=list(k),
                          strides=list(s), pads=list(p) * 2, count_include_pad=int(include))
    if pool_type == "max" and not any(p) and not ceil:
        return graph.node("MaxPool", [data], out_shape, data.dtype, kernel_shape=list(k),
                          strides=list(s))
    end = [(o - 1) * si + ki - x - pi for o, si, ki, x, pi in zip(out, s, k, sizes, p)]
    padded = graph.node("Pad", [data, graph.constant([0, 0] + list(p) + [0, 0] + end, np.int64),
                                graph.constant(-FLT_MAX if pool_type == "max" else 0.0,
                                               data.dtype)],
                        data.shape[:2] + tuple(x + pi + e for x, pi, e in zip(sizes, p, end)),
                        data.dtype)
    if pool_type == "max":
        return graph.node("MaxPool", [padded], out_shape, data.dtype, kernel_shape=list(k),
                          strides=list(s))
    mean = graph.node("AveragePool", [padded], out_shape, data.dtype, kernel_shape=list(k),
                      strides=list(s))
    scale = float(np.prod(k)) / _window_sizes(sizes, out, k, s, p, include)
    return elementwise(graph, "Mul", mean, graph.constant(scale.reshape((1, 1) + out),
                                                          data.dtype))


def _window_sizes(sizes, out, kernel, stride, pad, include_pad):
    """MXNet's divisor for every output position of an average pool (at least 1)."""
    per_axis = []
    for x, o, k, s, p in zip(sizes, out, kernel, stride, pad):
        start = np.arange(o) * s - p
        end = np.minimum(start + k, x + p)
        if not include_pad:
            start, end = np.maximum(start, 0), np.minimum(end, x)
        per_axis.append(np.maximum(end - start, 1))
    divisor = per_axis[0]
    for axis in per_axis[1:]:
        divisor = np.multiply.outer(divisor, axis)
    return divisor.astype(np.float64)


@register("Flatten", "flatten", "batch_flatten")
def flatten(graph, data, **attrs):
    _check_attrs(graph, "Flatten", attrs)
    return graph.node("Flatten", [data], (data.shape[0], int(np.prod(data.shape[1:]))),
                      data.dtype, axis=1)


@register("Dropout", "dropout")
def dropout(graph, data, p=0.5, mode="training", axes=(), **attrs):
    _check_attrs(graph, "Dropout", attrs)
    if mode == "always":
        graph.fail("Dropout", "mode='always' (dropout at inference)")
    return data


@register("Embedding", "embedding")
def embedding(graph, data, weight, input_dim=None, output_dim=None, dtype="float32",
              sparse_grad=False, **attrs):
    """MXNet truncates float indices toward zero and clamps out-of-range ones."""
    _check_attrs(graph, "Embedding", attrs)
    w = graph.parameter(weight, (input_dim, output_dim), "Embedding")
    idx = graph.node("Cast", [data], data.shape, np.int64, to=7)
    idx = graph.node("Clip", [idx, graph.constant(0, np.int64),
                              graph.constant(input_dim - 1, np.int64)], data.shape, np.int64)
    return graph.node("Gather", [w, idx], data.shape + (output_dim,), w.dtype, axis=0)


@register("concat", "Concat", "concatenate")
def concat(graph, *data, dim=1, axis=None, num_args=None, **attrs):
    _check_attrs(graph, "concat", attrs)
    if len(data) == 1 and isinstance(data[0], (list, tuple)):
        data = tuple(data[0])   # np.concatenate([a, b], axis=...)
    axis = (dim if axis is None else axis) % data[0].ndim
    shape = list(data[0].shape)
    shape[axis] = sum(d.shape[axis] for d in data)
    return graph.node("Concat", list(data), shape, data[0].dtype, axis=axis)


@register("clip")
def clip(graph, data, a_min, a_max, **attrs):
    _check_attrs(graph, "clip", attrs)
    return graph.node("Clip", [data, graph.constant(a_min, data.dtype),
                               graph.constant(a_max, data.dtype)], data.shape, data.dtype)


@register("softmax", "SoftmaxActivation")
def softmax(graph, data, axis=-1, temperature=None, **attrs):
    _check_attrs(graph, "softmax", attrs)
    if temperature not in (None, 1, 1.0):
        data = elementwise(graph, "Div", data, float(temperature))
    return graph.node("Softmax", [data], data.shape, data.dtype, axis=int(axis))


@register("log_softmax")
def log_softmax(graph, data, axis=-1, **attrs):
    _check_attrs(graph, "log_softmax", attrs)
    return graph.node("LogSoftmax", [data], data.shape, data.dtype, axis=int(axis))


def reshape_static(graph, data, shape):
    shape = tuple(int(d) for d in shape)
    return graph.node("Reshape", [data, graph.constant(shape, np.int64)], shape, data.dtype)


def mxnet_reshape(in_shape, spec, reverse=False):
    """MXNet's reshape codes: 0 copies a dimension, -1 infers one, -2 copies the rest, -3 merges
    two, -4 splits one into the next two values."""
    if reverse:
        return tuple(reversed(mxnet_reshape(tuple(reversed(in_shape)), tuple(reversed(spec)))))
    out, i, j = [], 0, 0
    spec = list(spec)
    while j < len(spec):
        code = spec[j]
        if code == 0:
            out.append(in_shape[i]); i += 1
        elif code == -1:
            out.append(-1); i += 1
        elif code == -2:
            out.extend(in_shape[i:]); i = len(in_shape)
        elif code == -3:
            out.append(in_shape[i] * in_shape[i + 1]); i += 2
        elif code == -4:
            a, b = spec[j + 1], spec[j + 2]
            a = in_shape[i] // b if a == -1 else a
            b = in_shape[i] // a if b == -1 else b
            out += [a, b]; i += 1; j += 2
        else:
            out.append(code); i += 1
        j += 1
    if -1 in out:
        known = int(np.prod([d for d in out if d != -1]))
        out[out.index(-1)] = int(np.prod(in_shape)) // known
    return tuple(out)


@register("reshape", "Reshape")
def reshape(graph, data, shape=None, reverse=False, newshape=None, **attrs):
    _check_attrs(graph, "reshape", attrs)
    spec = newshape if shape is None else shape
    target = mxnet_reshape(data.shape, _tup(spec, 1) if np.isscalar(spec) else tuple(spec),
                           reverse)
    if int(np.prod(target)) != int(np.prod(data.shape)):
        graph.fail("reshape", f"shape={spec!r} for input {data.shape}")
    return reshape_static(graph, data, target)


@register("transpose")
def transpose(graph, data, axes=None, **attrs):
    _check_attrs(graph, "transpose", attrs)
    axes = list(axes) if axes else list(reversed(range(data.ndim)))
    return graph.node("Transpose", [data], tuple(data.shape[a] for a in axes), data.dtype,
                      perm=[int(a) % data.ndim for a in axes])


@register("swapaxes", "SwapAxis")
def swapaxes(graph, data, dim1=0, dim2=0, **attrs):
    _check_attrs(graph, "swapaxes", attrs)
    axes = list(range(data.ndim))
    axes[dim1], axes[dim2] = axes[dim2], axes[dim1]
    return transpose(graph, data, axes)


@register("expand_dims")
def expand_dims(graph, data, axis, **attrs):
    _check_attrs(graph, "expand_dims", attrs)
    shape = list(data.shape)
    shape.insert(axis % (data.ndim + 1), 1)
    return reshape_static(graph, data, shape)


@register("squeeze")
def squeeze(graph, data, axis=None, **attrs):
    _check_attrs(graph, "squeeze", attrs)
    axes = range(data.ndim) if axis is None else [a % data.ndim for a in _tup(axis, 1)]
    shape = [d for i, d in enumerate(data.shape) if not (i in axes and d == 1)]
    return reshape_static(graph, data, shape)


def _reduce(onnx_op, name):
    @register(name)
    def lower(graph, data, axis=None, keepdims=False, **attrs):
        _check_attrs(graph, name, attrs)
        axes = list(range(data.ndim)) if axis is None else [a % data.ndim for a in _tup(axis, 1)]
        shape = [1 if i in axes else d for i, d in enumerate(data.shape)] if keepdims else \
            [d for i, d in enumerate(data.shape) if i not in axes]
        return graph.node(onnx_op, [data, graph.constant(axes, np.int64)], shape, data.dtype,
                          keepdims=int(keepdims))
    return lower


_reduce("ReduceMean", "mean")
_reduce("ReduceSum", "sum")
_reduce("ReduceMax", "max")


@register("cast", "Cast", "astype")
def cast(graph, data, dtype, **attrs):
    from onnx import helper
    _check_attrs(graph, "cast", attrs)
    dtype = np.dtype(dtype)
    return graph.node("Cast", [data], data.shape, dtype, to=helper.np_dtype_to_tensor_dtype(dtype))
