"""How MXNet 2.0.0b1 writes a recorded op into ``-symbol.json`` (``HybridBlock.export`` after a
hybridized call on ``mx.np`` arrays, the only arrays its blocks accept).

MXNet 2 records a block's ops by deferred compute, and each op keeps the attributes of the way it
was called:

* an op called through 2.0's C++ FFI (``npx.convolution``, ``np.concatenate``, the ``x + 1``
  arithmetic...) keeps *every* field of its parameter struct, printed by C++ (booleans ``0``/``1``,
  tuples ``[1,1]``, floats with 6 significant digits, unset optionals ``None``): :data:`FULL`;
* an op called through the older imperative path (``npx.relu``, ``npx.batch_flatten``) keeps the
  keyword arguments given, as ``str(value)``, plus ``__profiler_scope__``: :data:`KWARGS`;
* a scalar op (``x * 2``) keeps ``scalar`` (17 significant digits) and ``is_int`` (the Python
  operand was an int): :data:`SCALAR`.

The tables below are keyed by the op table's name (:mod:`gluonbridge.backend.ops`) and give the
name 2.0.0b1 writes: the numpy-mode spelling map. The field defaults come from 2.0.0b1's exports
(tests/test_export_oracle.py checks them against it); a field listed with ``None`` prints the op
table's own default, which is MXNet's.
"""
from __future__ import annotations

import ast
from typing import Dict, NamedTuple, Optional

import numpy as np

PROFILER_SCOPE = "<unk>:"     # MXNet's profiler scope when none is set (``profiler.scope``)
GRAPH_ATTRS = {"is_np_shape": ["int", 1], "mxnet_version": ["int", 20000]}
ENTRY_VERSION = 0     # deferred compute writes every input [node, output, 0] (1.9.1: 1 for aux)


class Written(NamedTuple):
    """A :data:`FULL` op as 2.0.0b1 writes it: its name, the printed fields
    (field -> default string, or None for the op table's default), the traced attributes
    that 2.0 calls differently (``axis`` of ``np.concatenate`` is Concat's ``dim``) and the
    fields printed as a tuple even when one int is given (``axis`` of a reduction: ``[1]``)."""
    name: str
    fields: Dict[str, Optional[str]]
    renamed: Dict[str, str] = {}
    tuples: frozenset = frozenset()


_CUDNN = {"cudnn_off": "0"}
_CONV = dict(_CUDNN, cudnn_tune="None", workspace="1024", dilate=None, kernel=None, layout=None,
             no_bias=None, num_filter=None, num_group=None, pad=None, stride=None)

FULL = {
    "Convolution": Written("Convolution", _CONV),
    "Deconvolution": Written("Deconvolution", dict(_CONV, adj=None, target_shape="None")),
    "BatchNorm": Written("BatchNorm", dict(
        _CUDNN, axis=None, eps=None, fix_gamma=None, max_calib_range=None,
        min_calib_range=None, momentum=None, output_mean_var=None, use_global_stats=None)),
    "Pooling": Written("Pooling", dict(
        _CUDNN, count_include_pad=None, global_pool=None, kernel=None, layout=None,
        output_size=None, p_value=None, pad=None, pool_type=None, pooling_convention=None,
        stride=None)),
    "Activation": Written("Activation", {"act_type": None}),
    "Dropout": Written("Dropout", dict(_CUDNN, axes=None, mode=None, p=None)),
    "FullyConnected": Written("FullyConnected", {"flatten": None, "no_bias": None,
                                                 "num_hidden": None}),
    "LayerNorm": Written("LayerNorm", {"axis": None, "eps": None, "output_mean_var": None}),
    "LeakyReLU": Written("LeakyReLU", {"act_type": None, "lower_bound": None, "slope": None,
                                       "upper_bound": None}),
    "Embedding": Written("Embedding", {"dtype": None, "input_dim": None, "output_dim": None,
                                       "sparse_grad": None}),
    "Concat": Written("Concat", {"dim": None, "num_args": None}),
    "_npi_concatenate": Written("Concat", {"dim": None, "num_args": None}, {"axis": "dim"}),
    "clip": Written("clip", {"a_max": None, "a_min": None}),
    "transpose": Written("_npi_transpose", {"axes": "None"}),
    "softmax": Written("softmax", {"axis": None, "dtype": None, "temperature": None,
                                   "use_length": None}),
    "log_softmax": Written("log_softmax", {"axis": None, "dtype": None, "temperature": None,
                                           "use_length": None}),
    "stack": Written("stack", {"axis": None, "num_args": None}),
    "_npi_reshape": Written("_npx_reshape", {"newshape": None, "order": None, "reverse": None}),
}
# reductions (``np.mean`` prints its dtype, float32 unless one is given, as it computes)
_REDUCE = {"axis": None, "initial": None, "keepdims": None}
FULL.update((op, Written(op, dict(_REDUCE, **extra), tuples=frozenset({"axis"})))
            for op, extra in {"_npi_sum": {"dtype": None}, "_npi_prod": {"dtype": None},
                              "_npi_max": {}, "_npi_min": {},
                              "_npi_mean": {"dtype": "float32"}}.items())
FULL["_npi_cumsum"] = Written("_npi_cumsum", {"axis": None, "dtype": None})
# operators without parameters: op table name -> the name 2.0.0b1 writes
FULL.update((op, Written(name, {})) for op, name in {
    "_npi_add": "_npi_add", "elemwise_add": "_npi_add", "_npi_subtract": "_npi_subtract",
    "_npi_multiply": "_npi_multiply", "_npi_true_divide": "_npi_true_divide",
    "_npi_power": "_npi_power", "_npi_maximum": "broadcast_maximum",
    "_npi_minimum": "broadcast_minimum", "_npi_greater": "_npi_greater",
    "_npi_greater_equal": "_npi_greater_equal", "_npi_less": "_npi_less",
    "_npi_less_equal": "_npi_less_equal", "_npi_equal": "_npi_equal",
    "_npi_not_equal": "_npi_not_equal", "_npi_matmul": "_npi_matmul",
    "_npi_where": "_npi_where", "tanh": "_npi_tanh", "exp": "_npi_exp", "sqrt": "_npi_sqrt",
    "abs": "_npi_absolute", "log": "_npi_log", "negative": "_npi_negative",
    "_npi_absolute": "_npi_absolute", "_npi_negative": "_npi_negative", "_npi_dot": "_npi_dot",
    "_npi_isnan": "_npi_isnan", "_npi_arctan2": "_npi_arctan2",
    "_npi_tanh": "_npi_tanh", "_npi_exp": "_npi_exp", "_npi_sqrt": "_npi_sqrt",
    "_npi_log": "_npi_log"}.items())

# op table name -> the name 2.0.0b1 writes
KWARGS = {
    "Flatten": "Flatten", "relu": "_npx_relu", "sigmoid": "_npx_sigmoid", "Cast": "Cast",
    "_npx_relu": "_npx_relu", "_npx_sigmoid": "_npx_sigmoid",
    "erf": "erf", "_npx_reshape": "_npx_reshape", "InstanceNorm": "InstanceNorm",
    "_contrib_DeformableConvolution": "_npx_deformable_convolution",
    "_contrib_ModulatedDeformableConvolution": "_npx_modulated_deformable_convolution"}

# op table name -> the name 2.0.0b1 writes
SCALAR = {
    "_npi_add_scalar": "_npi_add_scalar", "_npi_subtract_scalar": "_npi_subtract_scalar",
    "_npi_rsubtract_scalar": "_npi_rsubtract_scalar",
    "_npi_multiply_scalar": "_npi_multiply_scalar",
    "_npi_true_divide_scalar": "_npi_true_divide_scalar",
    "_npi_rtrue_divide_scalar": "_npi_rtrue_divide_scalar",
    "_power_scalar": "_npi_power_scalar", "_rpower_scalar": "_npi_rpower_scalar",
    "_npi_power_scalar": "_npi_power_scalar", "_npi_rpower_scalar": "_npi_rpower_scalar",
    "_maximum_scalar": "_maximum_scalar", "_minimum_scalar": "_minimum_scalar",
    "_npi_maximum_scalar": "_maximum_scalar", "_npi_minimum_scalar": "_minimum_scalar",
    "_npi_greater_scalar": "_npi_greater_scalar",
    "_npi_greater_equal_scalar": "_npi_greater_equal_scalar",
    "_npi_less_scalar": "_npi_less_scalar", "_npi_less_equal_scalar": "_npi_less_equal_scalar"}


class UnwritableOp(NotImplementedError):
    """An op whose 2.0.0b1 spelling and attributes are not in these tables."""


def cpp_value(value) -> str:
    """``value`` as MXNet 2's C++ parameter printer writes it."""
    if value is None:
        return "None"
    if isinstance(value, (bool, np.bool_)):
        return "1" if value else "0"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        return "%g" % value
    if isinstance(value, (tuple, list)):
        return "[" + ",".join(cpp_value(v) for v in value) + "]"
    if isinstance(value, np.dtype):
        return value.name
    return str(value)


def _literal(text):
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def written(op: str, attrs: Dict[str, str], declared: Dict[str, object], where: str):
    """``(op name, attrs)`` of a traced node (op table name ``op``, attribute strings ``attrs``)
    as 2.0.0b1 writes it; ``declared``: the op table's attributes of the op (name ->
    :class:`~gluonbridge.graph.attrs.Attr`). :class:`UnwritableOp` names ``where`` for an op not
    in the tables."""
    if op in KWARGS:
        return KWARGS[op], dict(attrs, __profiler_scope__=PROFILER_SCOPE)
    if op in SCALAR:
        operand = _literal(attrs["scalar"])
        return SCALAR[op], {"scalar": "%.17g" % float(operand),
                            "is_int": "1" if isinstance(operand, int) else "0"}
    if op not in FULL:
        raise UnwritableOp(
            f"{where}: export() under structural naming does not know how MXNet 2.0.0b1 writes "
            f"op {op!r} (gluonbridge/graph/mx2_nodes.py); export under legacy naming, or use "
            "export_onnx(path)")
    spec = FULL[op]
    traced_name = {v: k for k, v in spec.renamed.items()}
    out = {}
    for field, default in spec.fields.items():
        key = traced_name.get(field, field)
        parser = declared.get(key)
        if key in attrs:
            value = parser.parse(attrs[key]) if parser is not None else _literal(attrs[key])
            if field in spec.tuples and isinstance(value, int):
                value = (value,)
            out[field] = cpp_value(value)
        else:
            out[field] = default if default is not None else cpp_value(parser.default)
    return spec.name, out
