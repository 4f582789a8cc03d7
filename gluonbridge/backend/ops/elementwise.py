"""Elementwise ops: binary (elemwise_*, broadcast_*, numpy-mode _npi_*), with a scalar
(``_plus_scalar`` ...), mod and hypot, comparisons and logic (1.x: 1/0 in the input dtype;
numpy mode: bool), where, unary math (MXNet's own rounding rules), clip, Cast, the
``*_like`` fills, add_n, smooth_l1, degrees and radians."""
from __future__ import annotations

import math

import numpy as np

from ...checkpoint.dtypes import DTYPES
from ...graph.attrs import Bool, Dtype, Float, Int, Str
from ...graph.json_io import MXNET_VERSION_ATTR, NUMPY_OPS_WRITTEN_AS_1X
from .common import binary, broadcast, same_shape
from .registry import OPS, Unsupported, op

# ONNX op -> the MXNet ops computing it on two arrays, each (name, aliases...): the elemwise
# form (equal shapes), the broadcast form (and the 1.x Python functions calling it:
# ``nd.add``, ``nd.true_divide``), the numpy-mode form (``np.add`` resolves to ``_npi_add``)
BINARY = {
    "Add": [("elemwise_add", "_plus", "_Plus", "_add", "_grad_add"),
            ("broadcast_add", "broadcast_plus", "add"), ("_npi_add",)],
    "Sub": [("elemwise_sub", "_minus", "_Minus", "_sub"),
            ("broadcast_sub", "broadcast_minus", "subtract"), ("_npi_subtract",)],
    "Mul": [("elemwise_mul", "_mul", "_Mul"), ("broadcast_mul", "multiply"), ("_npi_multiply",)],
    "Div": [("elemwise_div", "_div", "_Div"), ("broadcast_div", "true_divide", "divide"),
            ("_npi_true_divide",)],
    "Max": [("_maximum", "_Maximum"), ("broadcast_maximum", "maximum"), ("_npi_maximum",)],
    "Min": [("_minimum", "_Minimum"), ("broadcast_minimum", "minimum"), ("_npi_minimum",)],
    "Pow": [("_power", "_Power"), ("broadcast_power", "power"), ("_npi_power",)],
}

# ONNX op -> (MXNet scalar op and aliases, reversed: scalar <op> array)
SCALAR = {
    "Add": [(("_plus_scalar", "_PlusScalar"), False), (("_npi_add_scalar",), False)],
    "Sub": [(("_minus_scalar", "_MinusScalar"), False), (("_rminus_scalar", "_RMinusScalar"), True),
            (("_npi_subtract_scalar",), False), (("_npi_rsubtract_scalar",), True)],
    "Mul": [(("_mul_scalar", "_MulScalar"), False), (("_npi_multiply_scalar",), False)],
    "Div": [(("_div_scalar", "_DivScalar"), False), (("_rdiv_scalar", "_RDivScalar"), True),
            (("_npi_true_divide_scalar",), False), (("_npi_rtrue_divide_scalar",), True)],
    "Max": [(("_maximum_scalar", "_MaximumScalar"), False), (("_npi_maximum_scalar",), False)],
    "Min": [(("_minimum_scalar", "_MinimumScalar"), False), (("_npi_minimum_scalar",), False)],
    "Pow": [(("_power_scalar", "_PowerScalar"), False),
            (("_rpower_scalar", "_RPowerScalar"), True),
            (("_npi_power_scalar",), False), (("_npi_rpower_scalar",), True)],
}


def _equal_shapes(a, lhs, rhs):
    """The shape rule of MXNet's elemwise_* ops, which do not broadcast."""
    if tuple(lhs) != tuple(rhs):
        raise Unsupported(f"inputs of shapes {tuple(lhs)} and {tuple(rhs)} (elemwise ops need "
                          "equal shapes; the broadcast_* ops broadcast)")
    return tuple(lhs)


def _declare_binary(onnx_op, names, elemwise):
    @op(names[0], *names[1:], inputs=("lhs", "rhs"), uniform=False,
        shape=_equal_shapes if elemwise else lambda a, lhs, rhs: broadcast(lhs, rhs))
    def lower(g, a, lhs, rhs):
        return binary(g, onnx_op, lhs, rhs)


# MXNet 2.0.0b1's numpy-mode binary ops on arrays of two dtypes: the kind of each op's rule
# ("arith": a float with a non-float keeps the float's dtype, else NumPy's promotion;
# "divide": the same, but integers and bools give float32; "same": equal dtypes only,
# "same float": and floating)
NUMPY_RULE = {"Add": "arith", "Sub": "arith", "Mul": "arith", "Pow": "arith", "Div": "divide",
              "Max": "same", "Min": "same", "mod": "arith", "hypot": "same float"}


def numpy_result(rule, name, lhs, rhs):
    """The output dtype of numpy-mode op ``name`` (of ``rule``) on dtypes ``lhs``, ``rhs``."""
    lhs, rhs = np.dtype(lhs), np.dtype(rhs)
    if rule.startswith("same"):
        if lhs != rhs or (rule == "same float" and lhs.kind != "f"):
            raise Unsupported(f"inputs of dtypes {lhs} and {rhs}: MXNet 2's {name} takes two "
                              f"arrays of one {'floating ' if rule == 'same float' else ''}"
                              "dtype (cast one with astype)")
        return lhs
    floats = [d for d in (lhs, rhs) if d.kind == "f"]
    if len(floats) == 1:
        return floats[0]
    if not floats and rule == "divide":
        return np.dtype(np.float32)
    return np.promote_types(lhs, rhs)


def kernel_refusal(rule, name, lhs, rhs):
    """Why MXNet 2.0.0b1 has no kernel for these dtypes (it fails when run, after inferring a
    dtype), or None: two bools for subtract, mod, maximum and minimum; two different non-float
    dtypes for true_divide."""
    if lhs == rhs == _BOOL and name in ("subtract", "mod", "maximum", "minimum"):
        return "two bool arrays"
    if rule == "divide" and lhs != rhs and lhs.kind != "f" and rhs.kind != "f":
        return f"arrays of dtypes {lhs} and {rhs}"
    return None


def as_dtype(g, x, dtype):
    """``x`` cast to ``dtype`` (itself when it has it)."""
    if x.dtype == np.dtype(dtype):
        return x
    return g.node("Cast", [x], x.shape, dtype, to=onnx_dtype(dtype))


def numpy_binary(compute, rule, name):
    """A numpy-mode binary lowering: both inputs cast to the result dtype, ``compute(g, lhs,
    rhs)``; bool results are computed in int8 and made bool (nonzero: true), as C++ does."""
    def lower(g, a, lhs, rhs):
        dtype = numpy_result(rule, name, lhs.dtype, rhs.dtype)
        refused = kernel_refusal(rule, name, lhs.dtype, rhs.dtype)
        if refused:
            g.fail(f"{refused}: MXNet 2's {name} has no kernel for them (cast one with astype)")
        work = np.dtype(np.int8) if dtype == _BOOL else dtype
        return as_dtype(g, compute(g, as_dtype(g, lhs, work), as_dtype(g, rhs, work)), dtype)
    return lower


def _declare_numpy_binary(compute, rule, names):
    name = names[0][len("_npi_"):]        # as np spells it, for errors
    op(names[0], *names[1:], inputs=("lhs", "rhs"), uniform=False,
       shape=lambda a, lhs, rhs: broadcast(lhs, rhs),
       dtype=lambda a, lhs, rhs: numpy_result(rule, name, lhs, rhs))(
        numpy_binary(compute, rule, name))


# MXNet 2.0.0b1's numpy-mode ops of an array and a number: op -> the rule of its output dtype
# ("arith": a float array keeps its dtype; an integer or bool array with a float number gives
# float64; an integer array with an int (or bool: ``is_int``) number keeps its dtype, a bool
# array gives int64. "divide": a float array keeps its dtype, any other gives float32)
NUMPY_SCALAR_RULE = {"_npi_add_scalar": "arith", "_npi_subtract_scalar": "arith",
                     "_npi_rsubtract_scalar": "arith", "_npi_multiply_scalar": "arith",
                     "_npi_mod_scalar": "arith", "_npi_rmod_scalar": "arith",
                     "_npi_true_divide_scalar": "divide", "_npi_rtrue_divide_scalar": "divide",
                     "_npi_power_scalar": "arith", "_npi_rpower_scalar": "arith",
                     "_npi_maximum_scalar": "arith", "_npi_minimum_scalar": "arith"}
_SCALAR_ATTRS = {"scalar": Float(1.0), "is_int": Bool(False)}


def scalar_attrs(name, value):
    """The attributes of scalar op ``name`` called with the number ``value``: a numpy-mode op
    (``_npi_*_scalar``) also records ``is_int`` (a bool counts as an int, as MXNet 2's Python
    passes it) and takes a bool as 0 or 1."""
    if not (name.startswith("_npi_") and name.endswith("_scalar")):
        return {"scalar": value}
    is_int = isinstance(value, (int, np.integer, np.bool_))
    return {"scalar": int(value) if isinstance(value, (bool, np.bool_)) else value,
            "is_int": is_int}


def numpy_scalar_result(rule, dtype, is_int, mxnet_version=None):
    """The output dtype of a numpy-mode scalar op of ``rule`` on an array of ``dtype`` and a
    number (an int or bool one when ``is_int``), in a graph written by ``mxnet_version`` (None:
    traced here, as 2.0.0b1; before 2.0 MXNet treats every number as an int one)."""
    dtype = np.dtype(dtype)
    if dtype.kind == "f":
        return dtype
    if rule == "divide":
        return np.dtype(np.float32)
    if not is_int and (mxnet_version is None or mxnet_version >= 20000):
        return np.dtype(np.float64)
    return np.dtype(np.int64) if dtype == _BOOL else dtype


def written_by(a):
    """The ``mxnet_version`` of the pre-2.0 graph a node was loaded from (json_io's
    ``MXNET_VERSION_ATTR``), or None."""
    text = a.raw.get(MXNET_VERSION_ATTR)
    return None if text is None else int(text)


def _declare_numpy_scalar(compute, name, reverse):
    """``compute(g, lhs, rhs)`` on the array and the number, both in the result dtype."""
    rule = NUMPY_SCALAR_RULE[name]

    @op(name, attrs=_SCALAR_ATTRS, shape=same_shape,
        dtype=lambda a, data: numpy_scalar_result(rule, data, a.is_int, written_by(a)))
    def lower(g, a, data):
        dtype = numpy_scalar_result(rule, data.dtype, a.is_int, written_by(a))
        data, scalar = as_dtype(g, data, dtype), g.constant(a.scalar, dtype=dtype)
        return compute(g, *((scalar, data) if reverse else (data, scalar)))


def _numpy_pow(g, lhs, rhs):
    """ONNX Pow, 8-bit integers computed in int32 (Pow has no 8-bit kernel) and cast back: the
    low byte, as MXNet's 8-bit result keeps."""
    if lhs.dtype.itemsize != 1 or lhs.dtype == _BOOL:
        return binary(g, "Pow", lhs, rhs)
    wide = np.dtype(np.int32)
    return as_dtype(g, binary(g, "Pow", as_dtype(g, lhs, wide), as_dtype(g, rhs, wide)),
                    lhs.dtype)


def _declare_scalar(onnx_op, names, reverse):
    if names[0] in NUMPY_SCALAR_RULE:
        compute = _numpy_pow if onnx_op == "Pow" else \
            (lambda g, lhs, rhs: binary(g, onnx_op, lhs, rhs))
        _declare_numpy_scalar(compute, names[0], reverse)
        return

    twin = NUMPY_OPS_WRITTEN_AS_1X.get(names[0])

    def numpy_written(a):
        """A node MXNet 2 wrote under this 1.x name: it runs as the numpy-mode ``twin``."""
        return twin is not None and (written_by(a) or 0) >= 20000

    @op(names[0], *names[1:], attrs=_SCALAR_ATTRS, shape=same_shape,
        dtype=lambda a, data: OPS[twin].dtype_rule(a, data) if numpy_written(a) else data)
    def lower(g, a, data):
        if numpy_written(a):
            return OPS[twin].lower(g, a, data)
        scalar = g.constant(a.scalar, dtype=data.dtype)
        lhs, rhs = (scalar, data) if reverse else (data, scalar)
        return binary(g, onnx_op, lhs, rhs)


for _onnx, (_elemwise, _broadcast, _numpy) in BINARY.items():
    _declare_binary(_onnx, _elemwise, elemwise=True)
    _declare_binary(_onnx, _broadcast, elemwise=False)
    _declare_numpy_binary(lambda g, lhs, rhs, _onnx=_onnx: binary(g, _onnx, lhs, rhs),
                          NUMPY_RULE[_onnx], _numpy)
for _onnx, _groups in SCALAR.items():
    for _names, _reverse in _groups:
        _declare_scalar(_onnx, _names, _reverse)


def _onnx_unary(onnx_op):
    return lambda g, x: g.node(onnx_op, [x], x.shape, x.dtype)


# MXNet 2.0.0b1's numpy-mode unary ops that have no bool kernel (they fail when run: "Unknown
# type enum 7"), and those that round a bool array to float16 (integers keep their dtype)
NUMPY_NO_BOOL_KERNEL = {"_npi_absolute", "_npi_negative", "_npi_sign", "_npx_relu",
                        "_npi_square", "_npi_reciprocal"}
NUMPY_BOOL_TO_FLOAT16 = {"_npi_floor", "_npi_ceil", "_npi_trunc"}


def _numpy_unary_dtype(name):
    if name in NUMPY_BOOL_TO_FLOAT16:
        return lambda a, data: np.dtype(np.float16) if data == _BOOL else data
    return None


def no_bool_kernel(name):
    """Why MXNet 2's numpy-mode op ``name`` refuses a bool array (its "Unknown type enum 7")."""
    return f"a bool array: MXNet 2's {name} has no kernel for bool (cast it with astype first)"


def _numpy_unary(name, build):
    """``build(g, x)`` as MXNet 2.0.0b1's numpy-mode op ``name`` runs it on a bool array."""
    def lower(g, a, data):
        if data.dtype == _BOOL and name in NUMPY_NO_BOOL_KERNEL:
            g.fail(no_bool_kernel(name))
        if data.dtype == _BOOL and name in NUMPY_BOOL_TO_FLOAT16:
            data = as_dtype(g, data, np.float16)
        return build(g, data)
    return lower


def declare_unary(names, build, legacy_lower=None):
    """One unary op: its 1.x spellings lowered by ``legacy_lower(g, x)`` (default ``build``),
    each numpy-mode spelling (``_npi_``/``_npx_``) by ``build`` under :func:`_numpy_unary`."""
    legacy = [n for n in names if not n.startswith("_np")]
    if legacy:
        lower_legacy = legacy_lower or build
        op(legacy[0], *legacy[1:], shape=same_shape)(
            lambda g, a, data: lower_legacy(g, data))
    for name in names:
        if name.startswith("_np"):
            op(name, shape=same_shape, dtype=_numpy_unary_dtype(name))(
                _numpy_unary(name, build))


for _onnx, _names in {
        "Relu": ("relu", "_npx_relu"), "Sigmoid": ("sigmoid", "_npx_sigmoid"),
        "Abs": ("abs", "_npi_absolute", "absolute"),
        "Identity": ("_copy", "identity", "copy", "_npi_copy"),
        "Neg": ("negative", "_npi_negative"), "Floor": ("floor", "_npi_floor"),
        "Ceil": ("ceil", "_npi_ceil"),
}.items():
    declare_unary(_names, _onnx_unary(_onnx))


def _sign(g, x):
    """mshadow's sign: -1, 0 or 1, and 0 for NaN (ONNX Sign keeps NaN)."""
    sign = g.node("Sign", [x], x.shape, x.dtype)
    if x.dtype.kind != "f":
        return sign
    return g.node("Where", [g.node("IsNaN", [x], x.shape, _BOOL), g.constant(0.0, x.dtype), sign],
                  x.shape, x.dtype)


declare_unary(("sign", "_npi_sign"), _sign)

# MXNet 1.9.1 computes float math on an integer array in float64 and converts back as C does
# (NaN, +-inf and values beyond the type's range become its minimum: INT_MIN for int32; the
# 8-bit types keep the low byte of the int32 conversion)
_INT_MIN = {np.dtype(np.int64): -2 ** 63}


def float_math(build):
    """``build(g, x)`` (float math on one array), integer inputs computed as MXNet 1.9.1 does."""
    def lower(g, x):
        if x.dtype.kind not in "iu":
            return build(g, x)
        wide = g.node("Cast", [x], x.shape, np.float64, to=onnx_dtype(np.float64))
        return to_integer(g, build(g, wide), x.dtype)
    return lower


def to_integer(g, y, dtype):
    """Float ``y`` converted to the integer ``dtype`` as C's conversion does on x86-64:
    truncation, NaN/inf/out of range -> the minimum of int32 (int64 for int64)."""
    via = np.dtype(np.int64) if np.dtype(dtype) == np.int64 else np.dtype(np.int32)
    low = _INT_MIN.get(via, -2 ** 31)
    fits = binary(g, "Less", g.node("Abs", [y], y.shape, y.dtype), float(-low), _BOOL)
    safe = g.node("Where", [fits, y, g.constant(0.0, y.dtype)], y.shape, y.dtype)
    out = g.node("Where", [fits, g.node("Cast", [safe], y.shape, via, to=onnx_dtype(via)),
                           g.constant(low, via)], y.shape, via)
    if via != np.dtype(dtype):
        out = g.node("Cast", [out], y.shape, dtype, to=onnx_dtype(dtype))
    return out


@op("erf", "_npx_erf", shape=same_shape)
def erf(g, a, x):
    """On integers, MXNet's float64 erf truncated is sign(x) from |x| >= 6 on (erf(6) rounds to
    1.0 in float64, erf(5) does not), else 0: exact, where neither backend is (no float64 Erf in
    onnxruntime, a float32 one in the reference evaluator)."""
    if x.dtype.kind not in "iu":
        return g.node("Erf", [x], x.shape, x.dtype)
    return _saturating(g, x, 6)


def _saturating(g, x, n):
    """sign(x) where |x| >= n, else 0 (integer ``x``; no Abs, which overflows at the minimum)."""
    far = binary(g, "GreaterOrEqual", x, n, _BOOL)
    if x.dtype.kind == "i":
        far = g.node("Or", [far, binary(g, "LessOrEqual", x, -n, _BOOL)], x.shape, _BOOL)
    return g.node("Where", [far, g.node("Sign", [x], x.shape, x.dtype), g.constant(0, x.dtype)],
                  x.shape, x.dtype)


@op("tanh", shape=same_shape)
def tanh(g, a, x):
    """On integers, MXNet's float64 tanh truncated is sign(x) from |x| >= 20 on (tanh(19) is
    below 1.0 in float64, onnxruntime's Tanh rounds it up): exact."""
    if x.dtype.kind not in "iu":
        return g.node("Tanh", [x], x.shape, x.dtype)
    return _saturating(g, x, 20)


def numpy_float_dtype(dtype):
    """MXNet 2.0.0b1's result dtype of float math (``np.sin`` ...) on an array: bool and 8-bit
    integers give float16, other integers float32, floats their own dtype."""
    dtype = np.dtype(dtype)
    if dtype.kind == "f":
        return dtype
    return np.dtype(np.float16 if dtype.itemsize == 1 else np.float32)


def numpy_float_math(build):
    """``build(g, x)`` (float math on one array) as a numpy-mode op: non-float inputs computed
    in float32, the result in :func:`numpy_float_dtype`."""
    def lower(g, x):
        out = numpy_float_dtype(x.dtype)
        if out == x.dtype:
            return build(g, x)
        return as_dtype(g, build(g, as_dtype(g, x, np.float32)), out)
    return lower


def _declare_float_math(names, build):
    """The 1.x spellings (integers as MXNet 1.9.1: :func:`float_math`) and the numpy-mode ones
    (``_npi_*``: :func:`numpy_float_math`) of one float math op."""
    legacy = [n for n in names if not n.startswith("_np")]
    numpy_mode = [n for n in names if n.startswith("_np")]
    if legacy:
        op(legacy[0], *legacy[1:], shape=same_shape)(
            lambda g, a, data, _build=float_math(build): _build(g, data))
    if numpy_mode:
        op(numpy_mode[0], *numpy_mode[1:], shape=same_shape,
           dtype=lambda a, data: numpy_float_dtype(data))(
            lambda g, a, data, _build=numpy_float_math(build): _build(g, data))


for _onnx, _names in {
        "Tanh": ("_npi_tanh",), "Exp": ("exp", "_npi_exp"), "Log": ("log", "_npi_log"),
        "Sqrt": ("sqrt", "_npi_sqrt"),
        "Sin": ("sin", "_npi_sin"), "Cos": ("cos", "_npi_cos"), "Tan": ("tan", "_npi_tan"),
        "Asin": ("arcsin", "_npi_arcsin"), "Acos": ("arccos", "_npi_arccos"),
        "Atan": ("arctan", "_npi_arctan"), "Sinh": ("sinh", "_npi_sinh"),
        "Cosh": ("cosh", "_npi_cosh"), "Asinh": ("arcsinh", "_npi_arcsinh"),
        "Acosh": ("arccosh", "_npi_arccosh"), "Atanh": ("arctanh", "_npi_arctanh"),
}.items():
    _declare_float_math(_names, _onnx_unary(_onnx))
# MXNet 2 keeps an integer reciprocal integer (1.x's conversion: 1/0 is INT_MIN)
declare_unary(("reciprocal", "_npi_reciprocal"), float_math(_onnx_unary("Reciprocal")))


@op("hard_sigmoid", attrs={"alpha": Float(0.2), "beta": Float(0.5)}, shape=same_shape)
def hard_sigmoid(g, a, data):
    """``max(0, min(1, alpha * x + beta))``: ONNX HardSigmoid exactly."""
    return g.node("HardSigmoid", [data], data.shape, data.dtype, alpha=float(a.alpha),
                  beta=float(a.beta))


def _toward_zero(g, data, offset):
    """``sign(x) * floor(|x| + offset)``: trunc (offset 0) and round half away from zero."""
    magnitude = g.node("Abs", [data], data.shape, data.dtype)
    if offset:
        magnitude = binary(g, "Add", magnitude, offset)
    floor = g.node("Floor", [magnitude], data.shape, data.dtype)
    return binary(g, "Mul", g.node("Sign", [data], data.shape, data.dtype), floor)


def _erfinv(g, x):
    """Giles' single-precision rational approximation (what mshadow's ``erfinv`` computes)."""
    one_minus = binary(g, "Sub", g.constant(1.0, x.dtype), x)
    one_plus = binary(g, "Add", x, 1.0)
    w = g.node("Neg", [g.node("Log", [binary(g, "Mul", one_minus, one_plus)], x.shape, x.dtype)],
               x.shape, x.dtype)

    def poly(t, coefficients):
        p = g.constant(coefficients[0], x.dtype)
        for c in coefficients[1:]:
            p = binary(g, "Add", binary(g, "Mul", p, t), c)
        return p
    small = poly(binary(g, "Sub", w, 2.5), [
        2.81022636e-08, 3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087,
        -0.00125372503, -0.00417768164, 0.246640727, 1.50140941])
    large = poly(binary(g, "Sub", g.node("Sqrt", [w], x.shape, x.dtype), 3.0), [
        -0.000200214257, 0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773,
        -0.0076224613, 0.00943887047, 1.00167406, 2.83297682])
    is_small = binary(g, "Less", w, 5.0, dtype=np.dtype(bool))
    p = binary(g, "Mul", g.node("Where", [is_small, small, large], x.shape, x.dtype), x)
    # MXNet: +-inf at +-1, NaN beyond (the log's NaN)
    magnitude = g.node("Abs", [x], x.shape, x.dtype)
    p = g.node("Where", [binary(g, "Equal", magnitude, 1.0, _BOOL), binary(g, "Mul", x, np.inf),
                         p], x.shape, x.dtype)
    return p


def _erfinv_op(g, x):
    """erfinv; on integers MXNet's NaN (|x| > 1) is 0, its constant being converted at compile
    time, while +-inf at +-1 converts at run time (to the type's minimum)."""
    if x.dtype.kind not in "iu":
        return _erfinv(g, x)
    wide = g.node("Cast", [x], x.shape, np.float64, to=onnx_dtype(np.float64))
    outside = binary(g, "Greater", g.node("Abs", [wide], x.shape, wide.dtype), 1.0, _BOOL)
    y = g.node("Where", [outside, g.constant(0.0, wide.dtype), _erfinv(g, wide)], x.shape,
               wide.dtype)
    return to_integer(g, y, x.dtype)


def _log_base(base):
    """``log(x) / log(base)``, exact at the powers of ``base`` (as C's log10 and log2 are)."""
    def lower(g, x):
        y = binary(g, "Div", g.node("Log", [x], x.shape, x.dtype), math.log(base))
        return _snap(g, y, lambda r: binary(g, "Pow", g.constant(base, x.dtype), r), x)
    return lower


def _snap(g, y, inverse, x):
    """``y`` rounded where ``inverse(round(y)) == x`` exactly (an exact root or logarithm that
    the composed computation missed by an ulp)."""
    r = g.node("Round", [y], y.shape, y.dtype)
    exact = binary(g, "Equal", inverse(r), x, _BOOL)
    return g.node("Where", [exact, r, y], y.shape, y.dtype)


def _rint(g, x):
    """mshadow's rint takes the floor at .5 (2.5 -> 2, -2.5 -> -3): ceil(x - 0.5)."""
    return g.node("Ceil", [binary(g, "Sub", x, 0.5)], x.shape, x.dtype)


# unary ops made of several ONNX nodes: names -> lowering(g, data)
_COMPOSED = {
    ("square", "_npi_square"): lambda g, x: binary(g, "Mul", x, x),
    ("round",): lambda g, x: _toward_zero(g, x, 0.5),
    ("rint",): _rint,
    ("fix", "trunc", "_npi_trunc"): lambda g, x: _toward_zero(g, x, 0.0),
    ("erfinv", "_npx_erfinv"): _erfinv_op,
    ("logical_not",): lambda g, x: g.node("Cast", [binary(g, "Equal", x, 0.0, np.dtype(bool))],
                                          x.shape, x.dtype, to=onnx_dtype(x.dtype)),
    ("_npi_logical_not",): lambda g, x: binary(g, "Equal", x, 0, np.dtype(bool)),
}
# float math made of several ONNX nodes (integer inputs: see _declare_float_math); MXNet 2's
# numpy rint and fix are float math, its trunc is not
_FLOAT_MATH_COMPOSED = {
    ("_npi_rint",): _rint,
    ("_npi_fix",): lambda g, x: _toward_zero(g, x, 0.0),
    ("rsqrt",): lambda g, x: g.node("Reciprocal", [g.node("Sqrt", [x], x.shape, x.dtype)],
                                    x.shape, x.dtype),
    ("rcbrt",): lambda g, x: g.node("Reciprocal", [_cbrt(g, x)], x.shape, x.dtype),
    ("cbrt", "_npi_cbrt"): lambda g, x: _cbrt(g, x),
    ("log1p", "_npi_log1p"): lambda g, x: g.node("Log", [binary(g, "Add", x, 1.0)], x.shape,
                                                 x.dtype),
    ("expm1", "_npi_expm1"): lambda g, x: binary(g, "Sub", g.node("Exp", [x], x.shape, x.dtype),
                                                 1.0),
    ("log2", "_npi_log2"): _log_base(2.0),
    ("log10", "_npi_log10"): _log_base(10.0),
}


def _cbrt(g, x):
    magnitude = g.node("Abs", [x], x.shape, x.dtype)
    root = _snap(g, binary(g, "Pow", magnitude, 1.0 / 3.0),
                 lambda r: binary(g, "Mul", binary(g, "Mul", r, r), r), magnitude)
    return binary(g, "Mul", g.node("Sign", [x], x.shape, x.dtype), root)


def onnx_dtype(dtype):
    """The ONNX TensorProto data type of a numpy dtype."""
    return DTYPES[np.dtype(dtype).name].onnx


def _declare_composed(names, build):
    if names[0] == "_npi_logical_not":
        op(names[0], shape=same_shape, dtype=lambda a, data: np.dtype(bool))(
            lambda g, a, data: build(g, data))
    else:
        declare_unary(names, build)


for _names, _build in _COMPOSED.items():
    _declare_composed(_names, _build)
for _names, _build in _FLOAT_MATH_COMPOSED.items():
    _declare_float_math(_names, _build)


@op("BlockGrad", "stop_gradient", shape=same_shape)
def block_grad(g, a, data):
    return g.node("Identity", [data], data.shape, data.dtype)


@op("softsign", shape=same_shape)
def softsign(g, a, data):
    return softsign_nodes(g, data)


def softsign_nodes(g, data):
    """``x / (1 + |x|)`` (ONNX Softsign is 1 ulp off on onnxruntime)."""
    one_plus = binary(g, "Add", g.node("Abs", [data], data.shape, data.dtype), 1.0)
    return binary(g, "Div", data, one_plus)


def gelu_erf(g, data):
    """``0.5 x (1 + erf(x / sqrt 2))`` (MXNet's GELU)."""
    erf = g.node("Erf", [binary(g, "Div", data, math.sqrt(2.0))], data.shape, data.dtype)
    return binary(g, "Mul", binary(g, "Mul", data, 0.5), binary(g, "Add", erf, 1.0))


@op("clip", "_npi_clip", attrs={"a_min": Float(required=True), "a_max": Float(required=True)},
    shape=same_shape)
def clip(g, a, data):
    return g.node("Clip", [data, g.constant(a.a_min, data.dtype), g.constant(a.a_max, data.dtype)],
                  data.shape, data.dtype)


@op("Cast", "cast", "astype", "_npi_astype", attrs={"dtype": Dtype(required=True)},
    shape=same_shape, dtype=lambda a, data: a.dtype)
def cast(g, a, data):
    return g.node("Cast", [data], data.shape, a.dtype, to=onnx_dtype(a.dtype))


# Symbol arithmetic (``a + b``, ``a * 2``, ``2 - a``): operator -> the MXNet functions it calls
# (array op, scalar op, reversed scalar op), under the 1.x API (whose function names are the
# node-name hints: ``_plus0``, ``_mulscalar0``) and the 2.x numpy API.
ARITHMETIC = {
    False: {"add": ("_Plus", "_PlusScalar", "_PlusScalar"),
            "sub": ("_Minus", "_MinusScalar", "_RMinusScalar"),
            "mul": ("_Mul", "_MulScalar", "_MulScalar"),
            "div": ("_Div", "_DivScalar", "_RDivScalar"),
            "pow": ("_Power", "_PowerScalar", "_RPowerScalar")},
    True: {"add": ("_npi_add", "_npi_add_scalar", "_npi_add_scalar"),
           "sub": ("_npi_subtract", "_npi_subtract_scalar", "_npi_rsubtract_scalar"),
           "mul": ("_npi_multiply", "_npi_multiply_scalar", "_npi_multiply_scalar"),
           "div": ("_npi_true_divide", "_npi_true_divide_scalar", "_npi_rtrue_divide_scalar"),
           "pow": ("_npi_power", "_npi_power_scalar", "_npi_rpower_scalar"),
           "gt": ("_npi_greater", "_npi_greater_scalar", None),
           "ge": ("_npi_greater_equal", "_npi_greater_equal_scalar", None),
           "lt": ("_npi_less", "_npi_less_scalar", None),
           "le": ("_npi_less_equal", "_npi_less_equal_scalar", None),
           "eq": ("_npi_equal", "_npi_equal_scalar", None),
           "ne": ("_npi_not_equal", "_npi_not_equal_scalar", None)},
}
# ``x > y``, ``x == y`` and friends (Python reflects ``2 > x`` into ``x < 2``, so no reversed form)
ARITHMETIC[False].update({
    "gt": ("_greater", "_greater_scalar", None),
    "ge": ("_greater_equal", "_greater_equal_scalar", None),
    "lt": ("_lesser", "_lesser_scalar", None),
    "le": ("_lesser_equal", "_lesser_equal_scalar", None),
    "eq": ("_equal", "_equal_scalar", None),
    "ne": ("_not_equal", "_not_equal_scalar", None)})
# The 1.x array ops need equal shapes; where shapes differ the trace records the broadcast op
# (MXNet 1.x NDArray arithmetic broadcasts; its Symbol arithmetic would refuse).
BROADCAST_FORM = {"elemwise_add": "broadcast_add", "elemwise_sub": "broadcast_sub",
                  "elemwise_mul": "broadcast_mul", "elemwise_div": "broadcast_div",
                  "_power": "broadcast_power", "_greater": "broadcast_greater",
                  "_greater_equal": "broadcast_greater_equal", "_lesser": "broadcast_lesser",
                  "_lesser_equal": "broadcast_lesser_equal", "_equal": "broadcast_equal",
                  "_not_equal": "broadcast_not_equal"}


# A binary op called with a number (``F.broadcast_mul(x, 2)``, ``np.multiply(x, 2)``) records
# its scalar form: binary op -> (array <op> number, number <op> array).
SCALAR_FORM = {}
for _ops, _forms in [
        (("elemwise_add", "broadcast_add"), ("_plus_scalar", "_plus_scalar")),
        (("_npi_add",), ("_npi_add_scalar", "_npi_add_scalar")),
        (("elemwise_sub", "broadcast_sub"), ("_minus_scalar", "_rminus_scalar")),
        (("_npi_subtract",), ("_npi_subtract_scalar", "_npi_rsubtract_scalar")),
        (("elemwise_mul", "broadcast_mul"), ("_mul_scalar", "_mul_scalar")),
        (("_npi_multiply",), ("_npi_multiply_scalar", "_npi_multiply_scalar")),
        (("elemwise_div", "broadcast_div"), ("_div_scalar", "_rdiv_scalar")),
        (("_npi_true_divide",), ("_npi_true_divide_scalar", "_npi_rtrue_divide_scalar")),
        (("_npi_mod",), ("_npi_mod_scalar", "_npi_rmod_scalar")),
        (("_maximum", "broadcast_maximum"), ("_maximum_scalar",) * 2),
        (("_npi_maximum",), ("_npi_maximum_scalar",) * 2),
        (("_minimum", "broadcast_minimum"), ("_minimum_scalar",) * 2),
        (("_npi_minimum",), ("_npi_minimum_scalar",) * 2),
        (("_power", "broadcast_power"), ("_power_scalar", "_rpower_scalar")),
        (("_npi_power",), ("_npi_power_scalar", "_npi_rpower_scalar"))]:
    SCALAR_FORM.update(dict.fromkeys(_ops, _forms))


# Comparisons and logic: ONNX op (None: not equal) -> spellings, each
# (1.x array op and aliases, broadcast op, 1.x scalar op and aliases, numpy op, numpy scalar op).
# The 1.x ops return 1.0/0.0 in the input's dtype, the numpy ops bool.
COMPARISONS = {
    "Equal": (("_equal", "_Equal"), "broadcast_equal", ("_equal_scalar", "_EqualScalar"),
              "_npi_equal", "_npi_equal_scalar"),
    None: (("_not_equal", "_Not_Equal"), "broadcast_not_equal",
           ("_not_equal_scalar", "_NotEqualScalar"), "_npi_not_equal", "_npi_not_equal_scalar"),
    "Greater": (("_greater", "_Greater"), "broadcast_greater",
                ("_greater_scalar", "_GreaterScalar"), "_npi_greater", "_npi_greater_scalar"),
    "GreaterOrEqual": (("_greater_equal", "_Greater_Equal"), "broadcast_greater_equal",
                       ("_greater_equal_scalar", "_GreaterEqualScalar"), "_npi_greater_equal",
                       "_npi_greater_equal_scalar"),
    "Less": (("_lesser", "_Lesser"), "broadcast_lesser", ("_lesser_scalar", "_LesserScalar"),
             "_npi_less", "_npi_less_scalar"),
    "LessOrEqual": (("_lesser_equal", "_Lesser_Equal"), "broadcast_lesser_equal",
                    ("_lesser_equal_scalar", "_LesserEqualScalar"), "_npi_less_equal",
                    "_npi_less_equal_scalar"),
    "And": (("_logical_and",), "broadcast_logical_and", ("_logical_and_scalar",),
            "_npi_logical_and", "_npi_logical_and_scalar"),
    "Or": (("_logical_or",), "broadcast_logical_or", ("_logical_or_scalar",),
           "_npi_logical_or", "_npi_logical_or_scalar"),
    "Xor": (("_logical_xor",), "broadcast_logical_xor", ("_logical_xor_scalar",),
            "_npi_logical_xor", "_npi_logical_xor_scalar"),
}
_BOOL = np.dtype(bool)
# ``np.greater(x, 2)`` records the numpy-mode scalar op, ``np.greater(2, x)`` the mirrored one
_MIRRORED = {"Greater": "Less", "GreaterOrEqual": "LessOrEqual", "Less": "Greater",
             "LessOrEqual": "GreaterOrEqual", "Equal": "Equal", None: None}
for _onnx, _mirror in _MIRRORED.items():
    SCALAR_FORM[COMPARISONS[_onnx][3]] = (COMPARISONS[_onnx][4], COMPARISONS[_mirror][4])


def _truth(g, x):
    return x if x.dtype == _BOOL else binary(g, "Equal", binary(g, "Equal", x, 0, _BOOL), False,
                                                _BOOL)


def compare(g, onnx_op, lhs, rhs, dtype):
    """``lhs <op> rhs`` (broadcasting) as ``dtype`` (bool, or 1/0 in a numeric dtype)."""
    if not hasattr(rhs, "name"):
        rhs = g.constant(rhs, dtype=lhs.dtype)
    if onnx_op in ("And", "Or", "Xor"):
        lhs, rhs = _truth(g, lhs), _truth(g, rhs)
    out = binary(g, onnx_op or "Equal", lhs, rhs, _BOOL)
    if onnx_op is None:
        out = g.node("Not", [out], out.shape, _BOOL)
    if np.dtype(dtype) == _BOOL:
        return out
    return g.node("Cast", [out], out.shape, dtype, to=onnx_dtype(dtype))


def _declare_compare(onnx_op, names, numpy_mode):
    @op(names[0], *names[1:], inputs=("lhs", "rhs"), uniform=False,
        shape=lambda a, lhs, rhs: broadcast(lhs, rhs),
        dtype=lambda a, lhs, rhs: _BOOL if numpy_mode else lhs)
    def lower(g, a, lhs, rhs):
        if numpy_mode and lhs.dtype != rhs.dtype:     # MXNet 2 compares two dtypes in double
            lhs, rhs = as_dtype(g, lhs, np.float64), as_dtype(g, rhs, np.float64)
        return compare(g, onnx_op, lhs, rhs, _BOOL if numpy_mode else lhs.dtype)


def _declare_compare_scalar(onnx_op, names, numpy_mode):
    @op(names[0], *names[1:], attrs={"scalar": Float(1.0), "is_int": Bool(False)},
        shape=same_shape, dtype=lambda a, data: _BOOL if numpy_mode else data)
    def lower(g, a, data):
        if numpy_mode and data.dtype.kind in "iu":    # MXNet 2 compares these in float64
            data = as_dtype(g, data, np.float64)
        scalar = int(a.scalar) if np.issubdtype(data.dtype, np.integer) else a.scalar
        return compare(g, onnx_op, data, scalar, _BOOL if numpy_mode else data.dtype)


for _onnx, (_array, _bcast, _scalar, _np_array, _np_scalar) in COMPARISONS.items():
    _declare_compare(_onnx, _array, False)
    _declare_compare(_onnx, (_bcast,), False)
    _declare_compare(_onnx, (_np_array,), True)
    _declare_compare_scalar(_onnx, _scalar, False)
    _declare_compare_scalar(_onnx, (_np_scalar,), True)


def mod(g, lhs, rhs):
    """MXNet's mod: the sign of the divisor (Python's %), 0 where the divisor is 0."""
    if not hasattr(rhs, "name"):
        rhs = g.constant(rhs, dtype=lhs.dtype)
    shape = broadcast(lhs.shape, rhs.shape)
    zero = g.constant(0, lhs.dtype)
    is_zero = binary(g, "Equal", rhs, 0, _BOOL)
    safe = g.node("Where", [is_zero, g.constant(1, rhs.dtype), rhs], rhs.shape, rhs.dtype)
    r = g.node("Mod", [lhs, safe], shape, lhs.dtype, fmod=1)
    flip = g.node("And", [binary(g, "Equal", binary(g, "Equal", r, 0, _BOOL), False, _BOOL),
                          g.node("Xor", [binary(g, "Less", r, 0, _BOOL),
                                         binary(g, "Less", safe, 0, _BOOL)], shape, _BOOL)],
                  shape, _BOOL)
    r = g.node("Where", [flip, binary(g, "Add", r, safe), r], shape, lhs.dtype)
    return g.node("Where", [is_zero, zero, r], shape, lhs.dtype)


def hypot(g, lhs, rhs):
    if not hasattr(rhs, "name"):
        rhs = g.constant(rhs, dtype=lhs.dtype)
    total = binary(g, "Add", binary(g, "Mul", lhs, lhs), binary(g, "Mul", rhs, rhs))
    return g.node("Sqrt", [total], total.shape, total.dtype)


def _declare_function(function, names, scalar_names, rscalar_names):
    op(names[0], *names[1:], inputs=("lhs", "rhs"), uniform=False,
       shape=lambda a, lhs, rhs: broadcast(lhs, rhs))(lambda g, a, lhs, rhs: function(g, lhs, rhs))
    scalar_attrs = {"scalar": Float(1.0), "is_int": Bool(False)}
    op(scalar_names[0], *scalar_names[1:], attrs=scalar_attrs, shape=same_shape)(
        lambda g, a, data: function(g, data, a.scalar))
    if rscalar_names:
        op(rscalar_names[0], *rscalar_names[1:], attrs=scalar_attrs, shape=same_shape)(
            lambda g, a, data: function(g, g.constant(a.scalar, data.dtype), data))


_declare_function(mod, ("_mod", "_Mod", "broadcast_mod", "mod"),
                  ("_mod_scalar", "_ModScalar"), ("_rmod_scalar", "_RModScalar"))
_declare_numpy_scalar(mod, "_npi_mod_scalar", False)
_declare_numpy_scalar(mod, "_npi_rmod_scalar", True)
_declare_function(hypot, ("_hypot", "_Hypot", "broadcast_hypot", "hypot"),
                  ("_hypot_scalar", "_HypotScalar"), ())
_declare_numpy_binary(mod, NUMPY_RULE["mod"], ("_npi_mod",))
_declare_numpy_binary(hypot, NUMPY_RULE["hypot"], ("_npi_hypot",))


def _where_shape(numpy_mode):
    def rule(a, condition, x, y):
        if numpy_mode:
            return broadcast(condition, x, y)
        if tuple(x) != tuple(y) or not (tuple(condition) == tuple(x) or (
                len(condition) == 1 and x and condition[0] == x[0])):
            raise Unsupported(f"condition {tuple(condition)} with x {tuple(x)}, y {tuple(y)}")
        return tuple(x)
    return rule


def where_nodes(g, condition, x, y, shape):
    if condition.ndim == 1 and len(shape) > 1 and condition.shape[0] == shape[0]:
        axes = list(range(1, len(shape)))       # 1.x: a vector condition picks whole rows
        condition = g.node("Unsqueeze", [condition, g.constant(axes, np.int64)],
                           condition.shape + (1,) * len(axes), condition.dtype)
    if condition.dtype != _BOOL:
        condition = g.node("Cast", [condition], condition.shape, _BOOL, to=onnx_dtype(_BOOL))
    return g.node("Where", [condition, x, y], shape, x.dtype)


for _names, _numpy in ((("where",), False), (("_npi_where",), True)):
    op(_names[0], *_names[1:], inputs=("condition", "x", "y"), uniform=False,
       shape=_where_shape(_numpy), dtype=lambda a, condition, x, y: x)(
        lambda g, a, condition, x, y, _numpy=_numpy: where_nodes(
            g, condition, x, y, _where_shape(_numpy)(a, condition.shape, x.shape, y.shape)))


@op("_npi_where_lscalar", inputs=("condition", "y"), uniform=False, attrs={"scalar": Float(0.0)},
    shape=lambda a, condition, y: broadcast(condition, y), dtype=lambda a, condition, y: y)
def where_lscalar(g, a, condition, y):
    return where_nodes(g, condition, g.constant(a.scalar, y.dtype), y,
                       broadcast(condition.shape, y.shape))


@op("_npi_where_rscalar", inputs=("condition", "x"), uniform=False, attrs={"scalar": Float(0.0)},
    shape=lambda a, condition, x: broadcast(condition, x), dtype=lambda a, condition, x: x)
def where_rscalar(g, a, condition, x):
    return where_nodes(g, condition, x, g.constant(a.scalar, x.dtype),
                       broadcast(condition.shape, x.shape))


def fill_like(g, data, value, dtype):
    """An array shaped like ``data`` (at run time) holding ``value``."""
    shape = g.node("Shape", [data], (data.ndim,), np.int64)
    return g.node("Expand", [g.constant(value, dtype), shape], data.shape, dtype)


# MXNet 1.x's zeros_like/ones_like take no parameters: a ``dtype`` given (GluonCV's CenterNet
# decoder passes 'int64') stays in the symbol file and changes nothing, the output has the
# input's dtype
_LIKE_ATTRS = {"dtype": Dtype(None)}
op("zeros_like", attrs=_LIKE_ATTRS, shape=same_shape)(
    lambda g, a, data: fill_like(g, data, 0, data.dtype))
op("ones_like", attrs=_LIKE_ATTRS, shape=same_shape)(
    lambda g, a, data: fill_like(g, data, 1, data.dtype))


@op("_npi_full_like", "full_like",
    attrs={"fill_value": Float(required=True), "dtype": Dtype(None), "ctx": Str(None)},
    shape=same_shape, dtype=lambda a, data: a.dtype or data)
def full_like(g, a, data):
    return fill_like(g, data, a.fill_value, a.dtype or data.dtype)


@op("_npi_around", "around", attrs={"decimals": Int(0)}, shape=same_shape)
def around(g, a, data):
    """numpy's round: half to even, at ``decimals`` places (scaled by 10**decimals as numpy)."""
    if not a.decimals:
        return g.node("Round", [data], data.shape, data.dtype)
    scale = 10.0 ** a.decimals
    rounded = g.node("Round", [binary(g, "Mul", data, scale)], data.shape, data.dtype)
    return binary(g, "Div", rounded, scale)


def _equal_shapes_all(a, *shapes):
    """add_n's shape rule: every input of one shape."""
    if len({tuple(s) for s in shapes}) != 1:
        raise Unsupported(f"inputs of shapes {[tuple(s) for s in shapes]} (add_n adds arrays "
                          "of one shape; broadcast_add broadcasts)")
    return tuple(shapes[0])


@op("add_n", "ElementWiseSum", inputs="*data", shape=_equal_shapes_all)
def add_n(g, a, *data):
    """The sum in the order of MXNet 1.9.1's CPU kernel, each partial sum rounded to the dtype:
    three or four inputs from the last to the first (``a + (b + (c + d))``), any other number
    from the first to the last."""
    if len(data) in (3, 4):
        total = data[-1]
        for x in reversed(data[:-1]):
            total = _rounded_add(g, x, total)
        return total
    total = data[0]
    for x in data[1:]:
        total = _rounded_add(g, total, x)
    return total


def _rounded_add(g, lhs, rhs):
    """``lhs + rhs`` correctly rounded; float16 added in float32 (exact for two float16
    values, one rounding back) as onnxruntime's float16 Add can be an ulp off."""
    if lhs.dtype != np.float16:
        return binary(g, "Add", lhs, rhs)
    wide = binary(g, "Add", as_dtype(g, lhs, np.float32), as_dtype(g, rhs, np.float32))
    return as_dtype(g, wide, np.float16)


def _work_dtype(dtype):
    """The dtype mshadow's float math (``math::id``) computes in: float64 for float64 arrays,
    float32 for the others (float16 and integers included)."""
    return np.dtype(np.float64) if np.dtype(dtype) == np.float64 else np.dtype(np.float32)


def _from_work(g, y, dtype):
    """A result of float math converted back to the array's dtype (C's conversion for
    integers)."""
    if np.dtype(dtype).kind in "iu":
        return to_integer(g, y, dtype)
    return as_dtype(g, y, dtype)


def _declare_degrees(name, numerator, denominator):
    """``x * (numerator / denominator)``, the factor a float32 quotient (mshadow's
    ``180.0f / PI``), the product in :func:`_work_dtype`."""
    factor = float(np.float32(numerator) / np.float32(denominator))

    @op(name, shape=same_shape)
    def lower(g, a, data):
        x = as_dtype(g, data, _work_dtype(data.dtype))
        return _from_work(g, binary(g, "Mul", x, factor), data.dtype)


_declare_degrees("degrees", 180.0, math.pi)
_declare_degrees("radians", math.pi, 180.0)


def _smooth_l1_constants(sigma, dtype):
    """``(bsq, 1 / bsq, 0.5 / bsq)`` as mshadow's smooth_l1_loss computes them in the work
    dtype: sigma first converted to the array's dtype (an integer array truncates it)."""
    work = _work_dtype(dtype).type
    if np.dtype(dtype).kind in "iu":
        b = work(int(sigma))
    else:
        b = work(np.dtype(dtype).type(sigma))
    bsq = b * b
    ibsq = work(1.0) / bsq if bsq else work(np.inf)
    return bsq, ibsq, work(0.5) * ibsq


@op("smooth_l1", attrs=_SCALAR_ATTRS, shape=same_shape)
def smooth_l1(g, a, data):
    """MXNet's piecewise smooth L1 (``scalar`` is sigma): ``|x| - 0.5 / sigma**2`` beyond
    ``1 / sigma**2`` on either side, else ``0.5 * x * x * sigma**2`` (multiplied in that
    order), in float32 (float64 for float64 arrays) and converted back."""
    bsq, ibsq, half_ibsq = _smooth_l1_constants(a.scalar, data.dtype)
    x = as_dtype(g, data, _work_dtype(data.dtype))
    above = binary(g, "Greater", x, float(ibsq), _BOOL)
    below = binary(g, "Less", x, float(-ibsq), _BOOL)
    linear_above = binary(g, "Sub", x, float(half_ibsq))
    linear_below = binary(g, "Sub", g.node("Neg", [x], x.shape, x.dtype), float(half_ibsq))
    quadratic = binary(g, "Mul", binary(g, "Mul", binary(g, "Mul", x, 0.5), x), float(bsq))
    inner = g.node("Where", [below, linear_below, quadratic], x.shape, x.dtype)
    y = g.node("Where", [above, linear_above, inner], x.shape, x.dtype)
    return _from_work(g, y, data.dtype)
