"""Running ONNX models on OpenVINO's CPU runtime (the optional ``openvino`` extra).

    GLUONBRIDGE_BACKEND=openvino python app.py       # or: gluonbridge.backend.use("openvino")
    GLUONBRIDGE_OPENVINO_PRECISION=bf16              # reduced precision, only when asked

OpenVINO computes in fp32 here unless asked otherwise: the inference precision hint is always
set, because on a CPU with bf16 units OpenVINO's own default is bf16 (about 4e-3 off fp32 on
zoo CNNs; see the README's Benchmarks section).
"""
from __future__ import annotations

import os
import threading

PRECISIONS = ("f32", "bf16", "f16")


def precision():
    """The inference precision: GLUONBRIDGE_OPENVINO_PRECISION, default f32."""
    wanted = os.environ.get("GLUONBRIDGE_OPENVINO_PRECISION", "f32")
    if wanted not in PRECISIONS:
        raise ValueError(f"GLUONBRIDGE_OPENVINO_PRECISION={wanted!r}: choose one of "
                         f"{', '.join(PRECISIONS)}")
    return wanted


def _openvino():
    try:
        import openvino
    except ImportError:
        raise ImportError("the 'openvino' backend needs OpenVINO: pip install "
                          "'gluonbridge[openvino]' (or choose GLUONBRIDGE_BACKEND=onnxruntime)"
                          ) from None
    return openvino


def session(model, threads=None):
    """A callable ``run(list of arrays) -> list of arrays`` for an onnx ModelProto (initializers
    inline). ``threads``: OpenVINO's inference thread count (None: its default)."""
    ov = _openvino()
    core = ov.Core()
    config = {"INFERENCE_PRECISION_HINT": precision()}
    if threads:
        config["INFERENCE_NUM_THREADS"] = threads
    compiled = core.compile_model(core.read_model(model.SerializeToString()), "CPU", config)
    outputs = compiled.outputs
    # OpenVINO drops inputs the outputs do not depend on (reshape_like's shape donor), and an
    # input may carry the names of tensors folded into it (Identity): feed by any of its names
    names = [set(i.get_names()) for i in compiled.inputs]
    positions = [(k, i.name) for k, i in enumerate(model.graph.input)
                 if any(i.name in n for n in names)]
    if len(positions) != len(names):    # an input left unfed would be read uninitialized
        raise RuntimeError(f"OpenVINO's inputs {names} do not match the model's "
                           f"{[i.name for i in model.graph.input]}")
    local = threading.local()       # an infer request runs one call at a time: one per thread

    def run(arrays):
        request = getattr(local, "request", None)
        if request is None:
            request = local.request = compiled.create_infer_request()
        results = request.infer({name: arrays[k] for k, name in positions})   # copies out
        return [results[out] for out in outputs]
    return run
