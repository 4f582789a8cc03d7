"""Write the example's MXNet 1.9.1 files with the real MXNet 1.9.1 (the `mx1` oracle).

    python examples/make_legacy_checkpoint.py

legacy_model.py is plain MXNet 1.x code behind gluonbridge's imports; here it runs in MXNet 1.9.1
itself with the imports pointed back at ``mxnet``. Its parameters get deterministic random values
(shapes completed by one forward pass) and are saved with ``net.collect_params().save``: full 1.x
names (``hybridsequential0_conv0_weight``), the file MXNet 2's ``load_parameters`` refuses.
MXNet's output on a fixed input is kept beside it, so examples/main.py can check gluonbridge's
ONNX execution against the real thing.

    examples/data/legacy_model.params      the checkpoint (1.x binary, full names)
    examples/data/legacy_model-io.npz      arrays 'x' (the input) and 'y' (MXNet 1.9.1's output)
"""
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MODEL = REPO / "examples" / "legacy_model.py"
OUTPUT = REPO / "examples" / "data" / "legacy_model.params"
OUTPUT_IO = REPO / "examples" / "data" / "legacy_model-io.npz"

BUILD = """
import re
_source = re.sub(r"\\bgluonbridge\\b", "mxnet", open({model!r}).read())
_module = {{"__name__": "legacy_model"}}
exec(compile(_source, {model!r}, "exec"), _module)
net = _module["build"]()
"""

WRITE = """
import numpy as onp
net.initialize()
x = onp.random.RandomState(0).rand(2, 3, 16, 16).astype("float32")
net(mx.nd.array(x))                        # completes every deferred shape
rng = onp.random.RandomState(1)
params = net.collect_params()
for p in params.values():
    p.set_data(mx.nd.array(rng.uniform(0.5, 1.5, size=p.shape).astype("float32")))
params.save({output!r})
onp.savez({output_io!r}, x=x, y=net(mx.nd.array(x)).asnumpy())
result = list(params.keys())
"""


def build_snippet(model=MODEL) -> str:
    """Oracle code that binds ``net`` to the model of ``model`` (a gluonbridge-importing file),
    built by the real MXNet of the oracle it runs in."""
    return BUILD.format(model=str(model))


def write_snippet(output, output_io) -> str:
    return build_snippet() + WRITE.format(output=str(output), output_io=str(output_io))


def main() -> None:
    sys.path.insert(0, str(REPO))
    from tests.oracle.harness import find_oracle
    oracle = find_oracle("mx1")
    if oracle is None:
        sys.exit("the mx1 oracle (MXNet 1.9.1) is not installed: bash tests/oracle/install.sh")
    OUTPUT.parent.mkdir(exist_ok=True)
    names = oracle.run(write_snippet(OUTPUT, OUTPUT_IO))
    print(f"wrote {OUTPUT.relative_to(REPO)}: {len(names)} parameters, e.g. {names[0]}")
    print(f"wrote {OUTPUT_IO.relative_to(REPO)}: MXNet 1.9.1's input and output")


if __name__ == "__main__":
    main()
