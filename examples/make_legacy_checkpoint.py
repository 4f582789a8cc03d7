"""Write examples/data/legacy_model.params with the real MXNet 1.9.1 (the `mx1` oracle).

    python examples/make_legacy_checkpoint.py

The example model of legacy_model.py is plain MXNet 1.x code behind gluonbridge's imports; here
it runs in MXNet 1.9.1 itself with the imports pointed back at ``mxnet``. Its parameters get
deterministic random values (shapes completed by running the layers on a small input) and are
saved with ``net.collect_params().save``: full 1.x names (``hybridsequential0_conv0_weight``),
the file MXNet 2's ``load_parameters`` refuses. ``python -m gluonbridge.convert`` turns it into
MXNet 2 naming (see the README).
"""
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MODEL = REPO / "examples" / "legacy_model.py"
OUTPUT = REPO / "examples" / "data" / "legacy_model.params"

BUILD = """
import re, types
from mxnet import gluon
# legacy_model.py asks gluonbridge's Block which MXNet API it mirrors; answer as MXNet would
gluon.Block._naming = types.SimpleNamespace(semantics={semantics!r})
_source = re.sub(r"\\bgluonbridge\\b", "mxnet", open({model!r}).read())
_module = {{"__name__": "legacy_model"}}
exec(compile(_source, {model!r}, "exec"), _module)
net = _module["build"]()
"""

WRITE = """
import numpy as onp
net.initialize()
x = mx.nd.array(onp.random.RandomState(0).rand(1, 3, 16, 16).astype("float32"))
net[-1].fc(net[:-1](x))                    # completes every deferred shape (Head has no forward)
rng = onp.random.RandomState(1)
params = net.collect_params()
for p in params.values():
    p.set_data(mx.nd.array(rng.uniform(0.5, 1.5, size=p.shape).astype("float32")))
params.save({output!r})
result = list(params.keys())
"""


def build_snippet(semantics: str) -> str:
    """Oracle code that binds ``net`` to the example model, built by MXNet itself ('mx1' for
    MXNet 1.x API use, 'mx2' for 2.x)."""
    return BUILD.format(semantics=semantics, model=str(MODEL))


def write_snippet(output) -> str:
    return build_snippet("mx1") + WRITE.format(output=str(output))


def main() -> None:
    sys.path.insert(0, str(REPO))
    from tests.oracle.harness import find_oracle
    oracle = find_oracle("mx1")
    if oracle is None:
        sys.exit("the mx1 oracle (MXNet 1.9.1) is not installed: bash tests/oracle/install.sh")
    OUTPUT.parent.mkdir(exist_ok=True)
    names = oracle.run(write_snippet(OUTPUT))
    print(f"wrote {OUTPUT.relative_to(REPO)}: {len(names)} parameters, e.g. {names[0]}")


if __name__ == "__main__":
    main()
