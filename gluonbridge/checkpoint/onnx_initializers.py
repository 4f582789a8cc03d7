"""ONNX models as checkpoints: read initializers as arrays, rename them everywhere, write them.

Reading parses the protobuf with the ``onnx`` package (``pip install gluonbridge[onnx]``);
external-data tensors are not followed. An initializer's bytes are its ``raw_data`` (exactly the
little-endian payload, so hashes match the MXNet params they came from) or its typed field.
Nothing is left unaccounted for: values in a second field, duplicate names, external data and
sparse initializers are refused rather than dropped.

:func:`rename` renames initializers and every reference to them: node inputs and outputs, graph
inputs, outputs and value_info, inside subgraphs too. :func:`write_onnx` writes a weights-only
model (a graph with the initializers and no nodes) when the source was not ONNX.
"""
from __future__ import annotations

import os

import numpy as np

from .dtypes import BY_ONNX, DTYPES
from .errors import CorruptDataError, CorruptHeaderError, UnsupportedError
from .tensor import ArrayRange, Checkpoint, Part, Tensor, element_count

MAX_PROTOBUF = (2 << 30) - 1    # protobuf cannot serialize a larger message
TYPED_FIELDS = ("float_data", "int32_data", "string_data", "int64_data", "double_data",
                "uint64_data")


def _onnx():
    try:
        import onnx
    except ImportError:
        raise UnsupportedError(None, None, "the onnx package", "none installed",
                               "pip install 'gluonbridge[onnx]'") from None
    return onnx


def load_model(path):
    onnx = _onnx()
    path = os.fspath(path)
    try:
        return onnx.load(path, load_external_data=False)
    except Exception as err:   # protobuf's DecodeError and friends; the model is untrusted data
        raise CorruptHeaderError(path, None, "an ONNX ModelProto", f"{type(err).__name__}: "
                                 f"{str(err)[:80]}", "not an ONNX file, or corrupt") from None


def _initializer_array(path, init) -> np.ndarray:
    row = BY_ONNX.get(init.data_type)
    where = f"initializer {init.name!r}"
    if row is None:
        raise UnsupportedError(path, where, "a data type gluonbridge stores", str(init.data_type),
                               key=init.name)
    shape = tuple(int(d) for d in init.dims)
    if any(d < 0 for d in shape):
        raise CorruptHeaderError(path, where, "non-negative dims", str(shape), key=init.name)
    if init.data_location == init.EXTERNAL:
        raise UnsupportedError(path, where, "data stored in the model", "external data",
                               "convert the model with onnx.load(..., load_external_data=True) "
                               "and onnx.save without save_as_external_data", key=init.name)
    from onnx import helper, numpy_helper
    field = "raw_data" if init.HasField("raw_data") else helper.tensor_dtype_to_field(
        init.data_type)
    stray = [f for f in TYPED_FIELDS if f != field and len(getattr(init, f))]
    if stray:
        raise CorruptDataError(path, where, f"values only in {field}",
                               f"values in {', '.join(stray)} too",
                               "the initializer is corrupt (which values are meant?)",
                               key=init.name)
    count = element_count(shape)
    if init.HasField("raw_data"):
        if len(init.raw_data) != count * row.itemsize:
            raise CorruptHeaderError(path, where, f"{count * row.itemsize} raw bytes for "
                                     f"{row.name} {shape}", str(len(init.raw_data)),
                                     key=init.name)
        return np.frombuffer(init.raw_data, row.numpy).reshape(shape)
    try:
        values = (np.asarray(init.int32_data, "<u4").astype("<u2").view(row.numpy)
                  if row.name == "bfloat16" else numpy_helper.to_array(init))
    except (ValueError, TypeError) as err:   # typed values that do not fill the shape
        raise CorruptDataError(path, where, f"{count} values of {row.name}",
                               f"{type(err).__name__}: {str(err)[:80]}", key=init.name) from None
    if values.size != count:
        raise CorruptDataError(path, where, f"{count} values of {row.name}", str(values.size),
                               key=init.name)
    return np.ascontiguousarray(values, row.numpy).reshape(shape)


def read_index(path) -> Checkpoint:
    """The initializers of an ONNX model (the model is parsed in memory)."""
    model = load_model(path)
    if len(model.graph.sparse_initializer):
        name = model.graph.sparse_initializer[0].values.name
        raise UnsupportedError(path, f"sparse initializer {name!r}", "dense initializers",
                               f"{len(model.graph.sparse_initializer)} sparse initializers",
                               "gluonbridge reads dense initializers only; densify them with "
                               "onnx.numpy_helper first", key=name)
    tensors, seen = [], set()
    for init in model.graph.initializer:
        if init.name in seen:
            raise CorruptDataError(path, f"initializer {init.name!r}", "unique initializer names",
                                   "the name twice", "the model is corrupt", key=init.name)
        seen.add(init.name)
        array = _initializer_array(path, init)
        row = BY_ONNX[init.data_type]
        tensors.append(Tensor(init.name, row.name, array.shape, "default",
                              (Part(row.name, array.shape, ArrayRange(array)),)))
    return Checkpoint(tensors, "dict", "onnx", os.fspath(path))


def _rename_graph(graph, mapping: dict) -> None:
    for init in graph.initializer:
        init.name = mapping.get(init.name, init.name)
    for sparse in graph.sparse_initializer:
        sparse.values.name = mapping.get(sparse.values.name, sparse.values.name)
    for collection in (graph.input, graph.output, graph.value_info):
        for value in collection:
            value.name = mapping.get(value.name, value.name)
    for node in graph.node:
        for i, name in enumerate(node.input):
            node.input[i] = mapping.get(name, name)
        for i, name in enumerate(node.output):
            node.output[i] = mapping.get(name, name)
        for attribute in node.attribute:
            if attribute.HasField("g"):
                _rename_graph(attribute.g, mapping)
            for subgraph in attribute.graphs:
                _rename_graph(subgraph, mapping)


def rename(model, mapping: dict):
    """Rename initializers (old -> new) and every reference to them, in place; returns model."""
    _rename_graph(model.graph, mapping)
    return model


def write_onnx(out, checkpoint: Checkpoint, progress=None) -> None:
    """Write the tensors as an ONNX model. If ``checkpoint`` was read from an ONNX file and
    only renamed, the original graph is kept (renamed consistently); otherwise a weights-only
    model is written."""
    _onnx()   # a clear error when the package is missing
    from onnx import helper
    if checkpoint.nbytes >= MAX_PROTOBUF:
        raise UnsupportedError(checkpoint.path, None, "at most 2 GiB of tensors in one ONNX file",
                               f"{checkpoint.nbytes} bytes", "ONNX files are protobufs, limited "
                               "to 2 GiB: convert to safetensors or mx2 instead")
    if checkpoint.format == "onnx" and checkpoint.path:
        model = load_model(checkpoint.path)
        old = [init.name for init in model.graph.initializer]
        rename(model, {o: t.key for o, t in zip(old, checkpoint.tensors) if o != t.key})
    else:
        inits = []
        for tensor in checkpoint.tensors:
            if tensor.stype != "default":
                raise UnsupportedError(checkpoint.path, f"key {tensor.key!r}", "dense arrays",
                                       f"a {tensor.stype} array", "densify first (--densify)")
            row = DTYPES[tensor.dtype]
            payload = b"".join(bytes(b) for b in tensor.parts[0].source.chunks())
            inits.append(helper.make_tensor(tensor.key, row.onnx, tensor.shape, payload, raw=True))
        graph = helper.make_graph([], "gluonbridge_weights", [], [], initializer=inits)
        model = helper.make_model(graph, producer_name="gluonbridge")
    data = model.SerializeToString()
    out.write(data)
    if progress:
        progress(len(data))
