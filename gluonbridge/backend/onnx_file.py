"""Writing a :class:`~gluonbridge.backend.lower.Lowered` graph as an ONNX file without the onnx
package: the protobuf wire format of ``ModelProto`` (field numbers from onnx.proto), with each
initializer's ``raw_data`` written straight from its array (a memory-mapped parameter goes from
the page cache to the file once, never through a TensorProto or a serialized copy).

The bytes are exactly those of ``lower.model_proto(lowered).SerializeToString()`` (fields in
field-number order, attribute types inferred as ``onnx.helper.make_attribute`` infers them):
an attribute value is an int (bool included), a float, a str/bytes, an onnx proto message
(TensorProto, GraphProto, SparseTensorProto, TypeProto: serialized as given) or a non-empty
iterable of one of those kinds; a None value is left out, as ``onnx.helper.make_node`` does.
"""
from __future__ import annotations

import numbers
from collections.abc import Iterable

import numpy as np

from ..checkpoint.dtypes import DTYPES, BFLOAT16
from .lower import IR_VERSION

LEN, VARINT, FIXED32 = 2, 0, 5      # protobuf wire types
# AttributeProto: (field, type) of a single value and of a list, by kind
FLOAT, INT, STRING = (2, 1), (3, 2), (4, 3)
FLOATS, INTS, STRINGS = (7, 6), (8, 7), (9, 8)
ATTRIBUTE_TYPE = 20
PROTOS = {"TensorProto": ((5, 4), (10, 9)), "GraphProto": ((6, 5), (11, 10)),
          "SparseTensorProto": ((22, 11), (23, 12)), "TypeProto": ((14, 13), (15, 14))}


def _varint(n: int) -> bytes:
    n &= (1 << 64) - 1          # negative int64: two's complement, ten bytes
    out = bytearray()
    while n > 0x7F:
        out.append(n & 0x7F | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def _key(field: int, wire: int) -> bytes:
    return _varint(field << 3 | wire)


def _bytes(field: int, data: bytes) -> bytes:
    return _key(field, LEN) + _varint(len(data)) + data


def _str(field: int, text) -> bytes:
    return _bytes(field, text.encode("utf-8") if isinstance(text, str) else bytes(text))


def _int(field: int, value: int) -> bytes:
    return _key(field, VARINT) + _varint(int(value))


def _float(field: int, value: float) -> bytes:
    return _key(field, FIXED32) + np.asarray(value, "<f4").tobytes()


def onnx_type(dtype) -> int:
    dtype = np.dtype(dtype)
    return DTYPES["bfloat16" if dtype == BFLOAT16 else dtype.name].onnx


def _tensor_header(name, array) -> bytes:
    """TensorProto fields before raw_data: dims (1), data_type (2), name (8)."""
    return (b"".join(_int(1, d) for d in array.shape) + _int(2, onnx_type(array.dtype))
            + _str(8, name))


def _little_endian(array):
    """C-contiguous and little-endian, a 0-d array staying 0-d (``np.ascontiguousarray``
    would make it 1-d)."""
    array = np.require(array, requirements="C")
    return array.astype(array.dtype.newbyteorder("<")) if array.dtype.byteorder == ">" else array


def _proto_kind(value):
    """(single, repeated) (field, type) of an onnx proto message, else None."""
    return PROTOS.get(type(value).__name__) if hasattr(value, "SerializeToString") else None


def _one_value(value):
    """``(field, type, encoded)`` of a single attribute value, None if it is not one."""
    if isinstance(value, numbers.Integral):
        return (*INT, _int(INT[0], value))
    if isinstance(value, numbers.Real):
        return (*FLOAT, _float(FLOAT[0], value))
    if isinstance(value, (str, bytes)):
        return (*STRING, _str(STRING[0], value))
    kind = _proto_kind(value)
    if kind is not None:
        return (*kind[0], _bytes(kind[0][0], value.SerializeToString()))
    return None


def _many_values(values):
    """``(field, type, encoded)`` of a list attribute (every element one kind), else None."""
    kinds = {type(v) for v in values}
    for test, (field, kind) in ((numbers.Integral, INTS), (numbers.Real, FLOATS),
                                ((str, bytes), STRINGS)):
        if all(issubclass(k, test) for k in kinds):
            encode = _int if kind == INTS[1] else _float if kind == FLOATS[1] else _str
            return field, kind, b"".join(encode(field, v) for v in values)
    protos = {_proto_kind(v) for v in values}
    if len(protos) == 1 and None not in protos:
        field, kind = protos.pop()[1]
        return field, kind, b"".join(_bytes(field, v.SerializeToString()) for v in values)
    return None


def _attribute(name, value) -> bytes:
    found = _one_value(value)
    if found is None and isinstance(value, Iterable) and getattr(value, "ndim", 1) > 0:
        values = list(value)        # a numpy array too: its elements, as onnx reads it
        found = _many_values(values) if values else None
    if found is None:
        raise TypeError(f"attribute {name}: cannot write {value!r} (an int, float, str, onnx "
                        "proto, or a non-empty list of one of those kinds)")
    field, kind, encoded = found
    parts = sorted([(1, _str(1, name)), (field, encoded), (ATTRIBUTE_TYPE, _int(ATTRIBUTE_TYPE,
                                                                                 kind))])
    return b"".join(part for _, part in parts)


def _node(op_type, inputs, outputs, attrs) -> bytes:
    return (b"".join(_str(1, i) for i in inputs) + b"".join(_str(2, o) for o in outputs)
            + _str(4, op_type)
            + b"".join(_bytes(5, _attribute(k, v)) for k, v in sorted(attrs.items())
                       if v is not None))


def _external_data(location) -> bytes:
    """TensorProto's external_data (13: one key/value entry) and data_location (14: EXTERNAL)."""
    return _bytes(13, _str(1, "location") + _str(2, location)) + _int(14, 1)


def _value_info(name, dtype, dims) -> bytes:
    shape = b"".join(_bytes(1, b"" if d is None else _str(2, d) if isinstance(d, str)
                            else _int(1, d)) for d in dims)
    tensor = _int(1, onnx_type(dtype)) + _bytes(2, shape)
    return _str(1, name) + _bytes(2, _bytes(1, tensor))


def write_model(out, lowered, producer="gluonbridge", external=()) -> int:
    """Write ``lowered`` as an ONNX ModelProto to the binary file ``out``; returns the bytes
    written. Fields go in field-number order: the graph's nodes and name, its initializers
    streamed, its inputs and outputs, then the model's opset. The initializers named in
    ``external`` are written as ``lower.external_reference`` writes them: their data is not in
    the file (an onnxruntime session is given the arrays)."""
    graph_head = b"".join(_bytes(1, _node(*n)) for n in lowered.nodes) + _str(2, lowered.name)
    graph_tail = (b"".join(_bytes(11, _value_info(*v)) for v in lowered.inputs)
                  + b"".join(_bytes(12, _value_info(*v)) for v in lowered.outputs))
    tensors = []
    size = len(graph_head) + len(graph_tail)
    for name, array in lowered.initializers.items():
        if name in external:
            reference = _bytes(5, _tensor_header(name, array) + _external_data(name))
            tensors.append((reference, None))
            size += len(reference)
            continue
        array = _little_endian(array)
        header = _tensor_header(name, array)
        body = len(header) + len(_key(9, LEN)) + len(_varint(array.nbytes)) + array.nbytes
        prefix = _key(5, LEN) + _varint(body) + header + _key(9, LEN) + _varint(array.nbytes)
        tensors.append((prefix, array))
        size += len(prefix) + array.nbytes
    model_head = _int(1, IR_VERSION) + _str(2, producer) + _key(7, LEN) + _varint(size)
    written = _write_all(out, model_head + graph_head)
    for prefix, array in tensors:
        written += _write_all(out, prefix)
        if array is not None and array.nbytes:
            written += _write_all(out, memoryview(array.reshape(-1).view(np.uint8)))
    return written + _write_all(out, graph_tail + _bytes(8, _str(1, "") + _int(2, lowered.opset)))


def _write_all(out, data) -> int:
    """``out.write`` until every byte is written (a raw file may take fewer)."""
    view, total = memoryview(data), len(data)
    while view:
        view = view[out.write(view):]
    return total
