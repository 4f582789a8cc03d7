"""``mx.nd``: gluonbridge's array type and the op table's functions, run eagerly.

:class:`NDArray` is a numpy array with MXNet's NDArray methods. Its arithmetic, comparisons,
indexing, reductions and ``repr`` follow the naming mode's MXNet:

* legacy (MXNet 1.9.1 ``mx.nd``): a Python number takes the array's dtype (``int32 * 1.5`` is
  ``int32 * 1``), results keep the left array's dtype (``int32 / 2`` truncates), comparisons
  give 0/1 in that dtype, a result that would be 0-d (``x[0]`` of a vector, ``x.sum()``) has
  shape (1,), ``reshape`` takes MXNet's special codes (0, -1, -2, -3, -4, ``reverse``), and
  ``repr`` prints ``<NDArray 2x3 @cpu(0)>``;
* structural (MXNet 2.0.0b1 ``mx.np``): NumPy's semantics (bool comparisons, 0-d results),
  with MXNet 2's promotion of two arrays (the numpy-mode ops' rule: dividing integers gives
  float32, an integer or bool array with a float array keeps the float array's dtype, and the
  pairs MXNet has no kernel for are refused).

Every op of the table is a function here (``nd.relu``, ``nd.FullyConnected``,
``nd.contrib.box_nms``): eager on arrays, recorded on Symbols inside a trace (see
:mod:`gluonbridge.backend.eager`). ``attach_grad`` is accepted and does nothing (gluonbridge
has no autograd).
"""
from __future__ import annotations

import numbers

import numpy as np

from .device import current_device


def _legacy():
    from . import naming
    return not naming.current().api.numpy_arrays


def _wrap(value):
    """A numpy result as an NDArray (0-d results as shape (1,) in legacy mode)."""
    arr = np.asarray(value).view(NDArray)
    return arr.reshape(1) if arr.ndim == 0 and _legacy() else arr


def _exact_power(lhs, rhs):
    """``np.power``, float16/float32 computed in float64 and rounded once, as C's ``powf``
    gives it (NumPy's SIMD float32 power is an ulp off it on some CPUs, e.g. AVX-512 ones)."""
    dtype = np.result_type(lhs, rhs)
    if dtype.kind != "f" or dtype.itemsize > 4:
        return np.power(lhs, rhs)
    return np.power(np.asarray(lhs, np.float64), np.asarray(rhs, np.float64)).astype(dtype)


def _binary(fn, compare=False):
    def forward(self, other, reverse=False):
        a = np.asarray(self)
        if isinstance(other, np.ndarray):
            b = np.asarray(other)
        elif isinstance(other, (numbers.Number, np.generic)) and _legacy():
            b = np.asarray(other, dtype=a.dtype)
        elif isinstance(other, (numbers.Number, np.generic)):
            dtype = _numpy_scalar_dtype(fn, a.dtype, other)
            a, b = a.astype(dtype, copy=False), np.asarray(other, dtype=dtype)
        else:
            return NotImplemented
        lhs, rhs = (b, a) if reverse else (a, b)
        wanted = None
        if not _legacy() and isinstance(other, np.ndarray):
            wanted = _numpy_mode_dtype(fn, lhs.dtype, rhs.dtype)
        if fn is np.true_divide and not _legacy() and lhs.dtype.kind in "iub" and \
                np.asarray(rhs).dtype.kind in "iub":
            return _wrap(np.true_divide(lhs, rhs, dtype=np.float32))
        with np.errstate(divide="ignore", invalid="ignore"):
            result = np.asarray(_exact_power(lhs, rhs) if fn is np.power else fn(lhs, rhs))
        if wanted is not None:
            result = result.astype(wanted, copy=False)
        if fn is np.mod and not _legacy():              # MXNet's mod by 0 is 0
            result = np.where(np.asarray(rhs) == 0, np.zeros((), result.dtype), result)
        if _legacy() and (compare or result.dtype != a.dtype) and \
                (compare or not isinstance(other, np.ndarray) or b.dtype == a.dtype):
            result = result.astype(a.dtype)
        return result.view(NDArray)

    def reflected(self, other):
        return forward(self, other, reverse=True)

    def inplace(self, other):
        result = forward(self, other)
        if result is NotImplemented:
            return result
        self[...] = result
        return self
    return forward, reflected, inplace


# NDArray operators -> the rule of the numpy-mode op they call (backend.ops.elementwise)
_NUMPY_RULES = {np.add: ("add", "arith"), np.subtract: ("subtract", "arith"),
                np.multiply: ("multiply", "arith"), np.true_divide: ("true_divide", "divide"),
                np.floor_divide: ("floor_divide", "arith"), np.mod: ("mod", "arith"),
                np.power: ("power", "arith")}


def _numpy_mode_dtype(fn, lhs, rhs):
    """MXNet 2.0.0b1's result dtype of ``lhs <fn> rhs`` on two arrays (a float with a
    non-float keeps the float's dtype, ...); its refusals raised as MXNetError."""
    from .backend.ops.elementwise import kernel_refusal, numpy_result
    from .base import MXNetError
    name, rule = _NUMPY_RULES[fn]
    refused = kernel_refusal(rule, name, lhs, rhs)
    if refused:
        raise MXNetError(f"{name} of {refused}: MXNet 2 has no kernel for them (cast one with "
                         "astype)")
    return numpy_result(rule, name, lhs, rhs)


def _numpy_scalar_dtype(fn, dtype, number):
    """MXNet 2.0.0b1's result dtype of an array of ``dtype`` and a Python ``number`` (either
    side): its ``_npi_*_scalar`` rule."""
    from .backend.ops.elementwise import numpy_scalar_result
    _, rule = _NUMPY_RULES[fn]
    return numpy_scalar_result(rule, dtype, isinstance(number, (int, np.integer, np.bool_)))


def _numpy_compared(array, number):
    """The array and the number as MXNet 2.0.0b1 compares them: in the array's dtype (a bool
    or float array), in float64 (an integer array)."""
    if array.dtype.kind in "bf":
        return array, number.astype(array.dtype)
    return array.astype(np.float64), number.astype(np.float64)


def _plain(value):
    if isinstance(value, NDArray):
        return value.view(np.ndarray)
    if isinstance(value, (list, tuple)):
        return type(value)(_plain(v) for v in value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


_REDUCTIONS = ("sum", "mean", "max", "min", "prod")


def _reduction(name):
    method = getattr(np.ndarray, name)

    def reduce(self, axis=None, keepdims=False, **kwargs):
        if axis == ():
            axis = None
        if name in ("sum", "prod") and _legacy():     # MXNet keeps the dtype (int32 sums)
            kwargs.setdefault("dtype", np.asarray(self).dtype)
        return _wrap(method(np.asarray(self), axis=axis, keepdims=keepdims, **kwargs))
    reduce.__name__ = name
    return reduce


# numpy methods that MXNet 1.x's NDArray also has, meaning something else: ``take`` (axis 0,
# indices clipped), ``sort`` (a sorted copy, not in place), ``flatten`` (to 2-d), ``argsort``,
# ``argmax`` and ``argmin`` (float32 indices), ``round`` (halves away from zero), ``swapaxes``
# (``dim1``/``dim2``). In legacy mode they run MXNet's op; in numpy mode NumPy's method.
_LEGACY_METHODS = ("take", "sort", "flatten", "argsort", "argmax", "argmin", "round",
                   "swapaxes")


def _legacy_method(name):
    method = getattr(np.ndarray, name)

    def call(self, *args, **kwargs):
        if _legacy():
            return self.__getattr__(name)(*args, **kwargs)
        return method(self, *args, **kwargs)
    call.__name__ = name
    return call


def legacy_shape(shape, target, reverse=False):
    """The shape MXNet 1.x's ``Reshape`` makes of ``shape`` for ``target`` with its special
    codes: 0 copies a dimension, -1 infers one, -2 copies the rest, -3 merges two, -4 splits one
    into the next two (one of them may be -1); ``reverse`` reads both right to left."""
    shape, target = list(shape), list(target)
    if reverse:
        shape, target = shape[::-1], target[::-1]
    out, i, j, infer = [], 0, 0, None
    while j < len(target):
        code = target[j]
        if code == 0:
            out.append(shape[i])
            i += 1
        elif code == -1:
            infer = len(out)
            out.append(-1)
            i += 1
        elif code == -2:
            out.extend(shape[i:])
            i = len(shape)
        elif code == -3:
            out.append(shape[i] * shape[i + 1])
            i += 2
        elif code == -4:
            d1, d2 = target[j + 1], target[j + 2]
            if d1 == -1:
                d1 = shape[i] // d2
            if d2 == -1:
                d2 = shape[i] // d1
            out.extend([d1, d2])
            i += 1
            j += 2
        else:
            out.append(code)
            i += 1
        j += 1
    if infer is not None:
        known = int(np.prod([d for k, d in enumerate(out) if k != infer]))
        out[infer] = int(np.prod(shape)) // known if known else 0
    return tuple(out[::-1] if reverse else out)


class NDArray(np.ndarray):
    """A numpy array answering MXNet's NDArray methods (see the module docstring)."""

    __array_priority__ = 100.0

    def __array_function__(self, func, types, args, kwargs):
        """NumPy functions (``np.allclose(x, y)``) see plain numpy arrays, as they see an
        MXNet NDArray (through ``__array__``): NumPy's semantics, numpy results."""
        return func(*_plain(args), **_plain(kwargs))

    (__add__, __radd__, __iadd__) = _binary(np.add)
    (__sub__, __rsub__, __isub__) = _binary(np.subtract)
    (__mul__, __rmul__, __imul__) = _binary(np.multiply)
    (__truediv__, __rtruediv__, __itruediv__) = _binary(np.true_divide)
    (__floordiv__, __rfloordiv__, __ifloordiv__) = _binary(np.floor_divide)
    (__mod__, __rmod__, __imod__) = _binary(np.mod)
    (__pow__, __rpow__, __ipow__) = _binary(np.power)

    def _compare(fn):
        forward = _binary(fn, compare=True)[0]

        def compare(self, other):
            if not _legacy():
                a, b = np.asarray(self), np.asarray(other)
                if isinstance(other, (numbers.Number, np.generic)):
                    a, b = _numpy_compared(a, b)
                return np.asarray(fn(a, b)).view(NDArray)
            return forward(self, other)
        return compare

    __eq__ = _compare(np.equal)
    __ne__ = _compare(np.not_equal)
    __lt__ = _compare(np.less)
    __le__ = _compare(np.less_equal)
    __gt__ = _compare(np.greater)
    __ge__ = _compare(np.greater_equal)
    del _compare
    __hash__ = None

    def __neg__(self):
        return np.negative(np.asarray(self)).view(NDArray)

    def __getitem__(self, key):
        if isinstance(key, NDArray):
            key = np.asarray(key)
            if key.dtype.kind == "f":
                key = key.astype(np.int64)
        return _wrap(np.ndarray.__getitem__(np.asarray(self), key))

    def __setitem__(self, key, value):
        if isinstance(key, NDArray):
            key = np.asarray(key)
            if key.dtype.kind == "f":
                key = key.astype(np.int64)
        np.ndarray.__setitem__(self, key, value)

    for _name in _REDUCTIONS:
        locals()[_name] = _reduction(_name)
    for _name in _LEGACY_METHODS:
        locals()[_name] = _legacy_method(_name)
    del _name

    def __repr__(self):
        if _legacy():
            shape = "x".join(map(str, self.shape))
            return f"\n{np.asarray(self)}\n<NDArray {shape} @{self.device}>"
        text = repr(np.asarray(self))
        if self.dtype == np.float32:
            return text.replace(", dtype=float32", "")
        if self.dtype in (np.float64, np.int64) and "dtype=" not in text:
            return f"{text[:-1]}, dtype={self.dtype})"
        return text

    def __str__(self):
        return repr(self) if _legacy() else str(np.asarray(self))

    # -- MXNet's methods ----------------------------------------------------------------
    def asnumpy(self):
        return np.array(self, copy=True).view(np.ndarray)

    def asscalar(self):
        if self.size != 1:
            raise ValueError("The current array is not a scalar")
        return np.asarray(self).reshape(()).item() if not _legacy() else \
            np.asarray(self).reshape(())[()]

    item = asscalar

    def reshape(self, *shape, reverse=False, **kwargs):
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = shape[0]
        shape = tuple(kwargs.pop("shape", shape))
        if _legacy():
            shape = legacy_shape(self.shape, shape, reverse)
        return np.asarray(self).reshape(shape).view(NDArray)

    def expand_dims(self, axis, inplace=False):
        """The ``expand_dims`` op; ``inplace=True`` instead gives a view sharing this array's
        data, as MXNet's NDArray method does (a reshape)."""
        if not inplace:
            return self.__getattr__("expand_dims")(axis=axis)
        if not -self.ndim - 1 <= axis <= self.ndim:
            raise AssertionError(f"axis {axis} is out of range for {self.ndim}d array")
        return np.expand_dims(np.asarray(self), axis).view(NDArray)

    @property
    def device(self):
        return current_device()

    ctx = context = device

    def copyto(self, other):
        """Copy into the NDArray ``other`` (returned), or onto a device (a copy)."""
        if isinstance(other, np.ndarray):
            other[...] = self
            return other
        return self.copy()

    def copy(self, order="C"):
        return np.array(self, copy=True, order=order).view(NDArray)

    def as_in_context(self, context):
        return self

    as_in_ctx = to_device = as_in_context

    def astype(self, dtype, copy=True):
        return np.asarray(self).astype(dtype, copy=copy).view(NDArray)

    def wait_to_read(self):
        """Arrays are computed when returned: nothing to wait for."""

    def attach_grad(self, grad_req="write", stype=None):
        """Accepted for compatibility; gluonbridge computes no gradients."""

    @property
    def grad(self):
        return None

    def tolist(self):
        return np.asarray(self).tolist()

    def __getattr__(self, name):
        """MXNet's fluent methods numpy arrays lack (``x.expand_dims(axis=1)``,
        ``x.slice_axis(...)``, ``x.topk(...)``): the op the same method records on a traced
        Symbol (:data:`gluonbridge.backend.symbol.METHODS`), run eagerly."""
        from .backend.ops import OPS
        from .backend.runtime import run_op
        from .backend.symbol import METHODS
        ops = METHODS.get(name)
        if ops is None:
            raise AttributeError(f"'NDArray' object has no attribute {name!r}")
        op_name = ops[0] if _legacy() or ops[1] not in OPS else ops[1]

        def method(*args, **kwargs):
            return run_op(op_name, self, *args, **kwargs)
        method.__name__ = name
        return method


def array(source, dtype=None, ctx=None):
    """An NDArray of ``source``: float32 unless ``dtype`` is given or ``source`` is an NDArray
    (Python data and numpy arrays of any dtype alike: MXNet 1.9.1's ``nd.array`` and
    2.0.0b1's ``np.array``)."""
    if dtype is None:
        dtype = source.dtype if isinstance(source, NDArray) else np.float32
    return np.array(source, dtype=dtype).view(NDArray)


def zeros(shape, ctx=None, dtype=np.float32, **kwargs):
    return np.zeros(shape, dtype=dtype or np.float32).view(NDArray)


def ones(shape, ctx=None, dtype=np.float32, **kwargs):
    return np.ones(shape, dtype=dtype or np.float32).view(NDArray)


def empty(shape, ctx=None, dtype=np.float32):
    return zeros(shape, dtype=dtype)


def full(shape, val, ctx=None, dtype=np.float32, out=None):
    result = np.full(shape, val, dtype=dtype or np.float32).view(NDArray)
    if out is not None:
        out[...] = result
        return out
    return result


def arange(start, stop=None, step=1.0, repeat=1, infer_range=None, ctx=None,
           dtype=np.float32):
    """MXNet's ``arange``: float32 by default, each value ``repeat`` times."""
    if stop is None:
        start, stop = 0, start
    values = np.arange(start, stop, step, dtype=np.float64).astype(dtype or np.float32)
    return np.repeat(values, repeat).view(NDArray)


def zeros_like(data, **kwargs):
    return np.zeros_like(np.asarray(data)).view(NDArray)


def ones_like(data, **kwargs):
    return np.ones_like(np.asarray(data)).view(NDArray)


def waitall():
    """Arrays are computed when returned: nothing to wait for."""


def save(fname, data):
    """``nd.save``: a list or dict of arrays in MXNet's binary NDArray list format."""
    from . import checkpoint
    if isinstance(data, np.ndarray):
        data = [data]
    if isinstance(data, dict):
        arrays = {k: np.asarray(v) for k, v in data.items()}
    else:
        arrays = [np.asarray(v) for v in data]
    checkpoint.save(fname, arrays, "mxnet-binary", force=True)


def load(fname):
    """``nd.load``: the list or dict of NDArrays in a file. An ``.npz`` file's keys come sorted,
    as MXNet 2 lists them (its reader keeps them in a sorted map); other formats keep the
    file's order."""
    from . import checkpoint
    format = checkpoint.sniff_format(fname)
    loaded = checkpoint.load(fname, format)
    if isinstance(loaded, dict):
        keys = sorted(loaded) if format == "npz" else loaded
        return {k: np.array(loaded[k]).view(NDArray) for k in keys}
    return [np.array(v).view(NDArray) for v in loaded]


def __getattr__(name):
    from .backend import eager
    if name == "contrib":
        return eager.NamespaceModule(eager.ND_CONTRIB)
    return eager.ND.get(name)


def __dir__():
    from .backend import eager
    return sorted(set(globals()) | set(eager.ND.names()) | {"contrib"})
