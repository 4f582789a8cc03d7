"""Writing a :class:`~gluonbridge.backend.lower.Lowered` graph as an ONNX file without the onnx
package: the protobuf wire format of ``ModelProto`` (field numbers from onnx.proto), with each
initializer's ``raw_data`` written straight from its array (a memory-mapped parameter goes from
the page cache to the file once, never through a TensorProto or a serialized copy).

Attribute values: int, float, str/bytes, lists of those, numpy arrays (a tensor), and onnx proto
messages (tensors or graphs a lowering built with onnx itself; serialized as given).
"""
from __future__ import annotations

import numpy as np

from ..checkpoint.dtypes import DTYPES, BFLOAT16
from .lower import IR_VERSION

LEN, VARINT, FIXED32 = 2, 0, 5      # protobuf wire types
# AttributeProto.type
FLOAT, INT, STRING, TENSOR, GRAPH, FLOATS, INTS, STRINGS = 1, 2, 3, 4, 5, 6, 7, 8


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


def _tensor(name, array) -> bytes:
    array = _little_endian(array)
    return _tensor_header(name, array) + _bytes(9, array.tobytes())


def _little_endian(array):
    array = np.ascontiguousarray(array)
    return array.astype(array.dtype.newbyteorder("<")) if array.dtype.byteorder == ">" else array


def _attribute(name, value) -> bytes:
    head = _str(1, name)
    if hasattr(value, "SerializeToString"):       # an onnx proto a lowering built
        kind = GRAPH if type(value).__name__ == "GraphProto" else TENSOR
        return head + _bytes(6 if kind == GRAPH else 5, value.SerializeToString()) + _int(20, kind)
    if isinstance(value, np.ndarray):
        return head + _bytes(5, _tensor("", value)) + _int(20, TENSOR)
    if isinstance(value, (bool, int, np.integer)):
        return head + _int(3, value) + _int(20, INT)
    if isinstance(value, (float, np.floating)):
        return head + _float(2, value) + _int(20, FLOAT)
    if isinstance(value, (str, bytes)):
        return head + _str(4, value) + _int(20, STRING)
    values = list(value)
    if all(isinstance(v, (bool, int, np.integer)) for v in values):
        return head + b"".join(_int(8, v) for v in values) + _int(20, INTS)
    if all(isinstance(v, (int, float, np.number)) for v in values):
        return head + b"".join(_float(7, v) for v in values) + _int(20, FLOATS)
    if all(isinstance(v, (str, bytes)) for v in values):
        return head + b"".join(_str(9, v) for v in values) + _int(20, STRINGS)
    raise TypeError(f"attribute {name}: cannot write {value!r}")


def _node(op_type, inputs, outputs, attrs) -> bytes:
    return (b"".join(_str(1, i) for i in inputs) + b"".join(_str(2, o) for o in outputs)
            + _str(4, op_type)
            + b"".join(_bytes(5, _attribute(k, v)) for k, v in sorted(attrs.items())))


def _value_info(name, dtype, dims) -> bytes:
    shape = b"".join(_bytes(1, b"" if d is None else _str(2, d) if isinstance(d, str)
                            else _int(1, d)) for d in dims)
    tensor = _int(1, onnx_type(dtype)) + _bytes(2, shape)
    return _str(1, name) + _bytes(2, _bytes(1, tensor))


def write_model(out, lowered, producer="gluonbridge") -> int:
    """Write ``lowered`` as an ONNX ModelProto to the binary file ``out``; returns the bytes
    written. The graph's small fields are encoded first, then the initializers streamed."""
    graph_head = (b"".join(_bytes(1, _node(*n)) for n in lowered.nodes) + _str(2, lowered.name)
                  + b"".join(_bytes(11, _value_info(*v)) for v in lowered.inputs)
                  + b"".join(_bytes(12, _value_info(*v)) for v in lowered.outputs))
    tensors = []
    size = len(graph_head)
    for name, array in lowered.initializers.items():
        array = _little_endian(array)
        header = _tensor_header(name, array)
        body = len(header) + len(_key(9, LEN)) + len(_varint(array.nbytes)) + array.nbytes
        prefix = _key(5, LEN) + _varint(body) + header + _key(9, LEN) + _varint(array.nbytes)
        tensors.append((prefix, array))
        size += len(prefix) + array.nbytes
    model_head = (_int(1, IR_VERSION) + _str(2, producer)
                  + _bytes(8, _str(1, "") + _int(2, lowered.opset))
                  + _key(7, LEN) + _varint(size))
    written = _write_all(out, model_head + graph_head)
    for prefix, array in tensors:
        written += _write_all(out, prefix)
        if array.nbytes:
            written += _write_all(out, memoryview(array.reshape(-1).view(np.uint8)))
    return written


def _write_all(out, data) -> int:
    """``out.write`` until every byte is written (a raw file may take fewer)."""
    view, total = memoryview(data), len(data)
    while view:
        view = view[out.write(view):]
    return total
