"""``HybridBlock.export`` over random runnable models (properties/executable_models.py): the
exported files, read back through the graph path (symbol JSON -> graph IR, the params file's
``arg:``/``aux:`` arrays as initializers, lowered to ONNX), give bit-identical outputs to the
block itself, bit for bit, on the same backend. (Through ``SymbolBlock.imports`` once that lands on this branch.)"""
import numpy as np
from hypothesis import HealthCheck, given, settings

from gluonbridge import checkpoint, naming
from gluonbridge.backend import session_cache
from gluonbridge.backend.lower import to_onnx
from gluonbridge.backend.ops import aux_positions
from gluonbridge.backend.runtime import current, make_session
from gluonbridge.graph import json_io
from gluonbridge.naming import NameManager
from properties.executable_models import build, model_specs


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(model_specs())
def test_exported_files_run_as_the_block(tmp_path, spec):
    with naming.override("legacy"), NameManager():
        net = build(spec)
    net.initialize()
    net.hybridize()
    x = np.random.RandomState(0).uniform(-1, 1, spec.input_shape).astype(np.float32)
    net(x)
    session_cache.wait()    # a large graph's first call runs on a session optimized less
    expected = np.asarray(net(x))
    net.export(str(tmp_path / "m"), epoch=2)
    graph = json_io.loads((tmp_path / "m-symbol.json").read_text(), aux_positions, ("data",))
    arrays = dict(checkpoint.load(tmp_path / "m-0002.params"))
    assert all(k.split(":", 1)[0] in ("arg", "aux") for k in arrays)
    params = {k.split(":", 1)[1]: np.asarray(v) for k, v in arrays.items()}
    model = to_onnx(graph, {"data": (x.shape, x.dtype)}, params, batch_axis=True)
    got = make_session(model, current())([x])[0]
    np.testing.assert_array_equal(got, expected)
