"""OpenVINO's error at each inference precision (GLUONBRIDGE_OPENVINO_PRECISION) on zoo models:
the max abs difference from onnxruntime (fp32) relative to the max abs output, for random
weights and a random batch of 2 at 224x224. On a CPU without bf16/fp16 units OpenVINO computes
in fp32 whatever the hint.

    python bench/openvino_precision.py [mobilenet1.0 resnet18_v1 ...]
"""
import os
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gluonbridge import backend  # noqa: E402
from gluonbridge.backend.openvino_backend import PRECISIONS  # noqa: E402
from gluonbridge.gluon.model_zoo.vision import get_model  # noqa: E402


def main():
    rng = np.random.RandomState(0)
    x = rng.rand(2, 3, 224, 224).astype("float32")
    print(f"{'model':<14}" + "".join(f" {p:>9}" for p in PRECISIONS))
    for name in sys.argv[1:] or ["mobilenet1.0", "resnet18_v1", "densenet121"]:
        net = get_model(name)
        net.initialize()
        net(x)
        for p in net.collect_params().values():
            shift = 1.0 if p.name.endswith(("gamma", "running_var")) else 0.0
            p.set_data(rng.uniform(-0.1, 0.1, p.shape).astype("float32") + shift)
        net.hybridize()
        backend.use("onnxruntime")
        reference = np.asarray(net(x))
        row = f"{name:<14}"
        backend.use("openvino")
        for precision in PRECISIONS:
            os.environ["GLUONBRIDGE_OPENVINO_PRECISION"] = precision
            p.set_data(p.data())        # a new Parameter version: a new session at this precision
            error = np.abs(np.asarray(net(x)) - reference).max() / np.abs(reference).max()
            row += f" {error:>9.1e}"
        print(row, flush=True)


if __name__ == "__main__":
    main()
