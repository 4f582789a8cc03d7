"""MXNet 2.0.0b1's numpy-mode ops of an array and a Python number (``_npi_*_scalar``): result
dtypes and values over a grid of array dtypes and int / float / bool numbers, through the
``mx.np`` functions (eager, the op table's lowerings) and the NDArray operators (structural
mode, gluonbridge/ndarray.py), each with the number on either side."""
import json

import pytest

pytestmark = pytest.mark.oracle

DTYPES = ["bool", "int8", "uint8", "int32", "int64", "float16", "float32", "float64"]
NUMBERS = ["2", "1.5", "True"]
FUNCTIONS = ["add", "subtract", "multiply", "true_divide", "mod", "power", "maximum", "minimum",
             "greater", "greater_equal",
             "less", "less_equal", "equal", "not_equal"]
OPERATORS = ["+", "-", "*", "/", "%", "**", ">", ">=", "<", "<=", "==", "!="]

SNIPPET = """
import json
result = {}
for dt in DTYPES:
    a = mx.np.array([3, 0, 2, 1], dtype=dt)
    for s in NUMBERS:
        n = eval(s)
        cases = [(f"np.{f}", lambda x, y, f=f: getattr(mx.np, f)(x, y)) for f in FUNCTIONS]
        cases += [(o, eval(f"lambda x, y: x {o} y")) for o in OPERATORS]
        for label, fn in cases:
            for reverse in (False, True):
                try:
                    out = fn(n, a) if reverse else fn(a, n)
                    got = [str(out.dtype), json.dumps(out.asnumpy().astype("float64").tolist())]
                except Exception as err:
                    got = ["error", type(err).__name__]
                result[f"{label} {dt} {s} {'number first' if reverse else 'array first'}"] = got
"""


def _grid():
    return (f"DTYPES = {DTYPES!r}\nNUMBERS = {NUMBERS!r}\nFUNCTIONS = {FUNCTIONS!r}\n"
            f"OPERATORS = {OPERATORS!r}\n" + SNIPPET)


@pytest.fixture(scope="module")
def expected(mx2):
    return mx2.run(_grid())


def _same(ours, theirs):
    """Equal dtypes and values (NaN equal to NaN); a case MXNet refuses is not compared."""
    if theirs[0] == "error":
        return True
    if ours is None or ours[0] != theirs[0]:
        return False
    a, b = json.loads(ours[1]), json.loads(theirs[1])
    return len(a) == len(b) and all(x == y or (x != x and y != y) for x, y in zip(a, b))


def test_scalar_dtypes_and_values_as_mxnet2(expected, gb_structural):
    got = gb_structural.run(_grid())
    wrong = {k: (got.get(k), v) for k, v in expected.items() if not _same(got.get(k), v)}
    assert not wrong, f"{len(wrong)} of {len(expected)} cases differ, e.g. " + \
        "; ".join(f"{k}: ours {o}, MXNet {t}" for k, (o, t) in list(wrong.items())[:8])


# numpy-mode graphs MXNet 1.9.1 writes (no ``is_int``): its results on an int32 and a bool array
V1_EXPRESSIONS = ["x + 1.5", "x - 2", "1.5 - x", "x * 1.5", "x / 2", "3 / x", "x % 1.5"]
V1_SNIPPET = """
mx.npx.set_np()
result = {}
for dt in ("int32", "bool"):
    data = mx.np.array([3, 0, 2, 1], dtype=dt)
    for expr in V1_EXPRESSIONS:
        out = eval(expr, {"x": mx.sym.var("x").as_np_ndarray()})
        value = eval(expr, {"x": data})
        result[f"{expr} {dt}"] = [out.tojson(), str(value.dtype), value.asnumpy().tolist()]
"""


def test_mxnet1_numpy_graphs_keep_mxnet1_dtypes(mx1):
    import numpy as np

    from gluonbridge.backend.lower import to_onnx
    from gluonbridge.backend.ops import aux_positions
    from gluonbridge.backend.runtime import make_session
    from gluonbridge.graph import json_io
    cases = mx1.run(f"V1_EXPRESSIONS = {V1_EXPRESSIONS!r}\n" + V1_SNIPPET)
    for key, (graph_json, dtype, values) in cases.items():
        x = np.array([3, 0, 2, 1], dtype=key.split()[-1])
        graph = json_io.loads(graph_json, aux_positions, ["x"])
        out = make_session(to_onnx(graph, {"x": (x.shape, x.dtype)}, {}), "onnxruntime")([x])[0]
        assert (key, str(out.dtype)) == (key, dtype)
        np.testing.assert_allclose(out.astype(np.float64), values, rtol=1e-6, err_msg=key)


EXPORT = """
from mxnet import gluon
class Block(gluon.HybridBlock):
    def forward(self, x):
        return (mx.np.maximum(x, 2.5), mx.np.minimum(x, 1.5), mx.np.maximum(x, 2),
                mx.np.minimum(x, True))
block = Block()
block.hybridize()
block(mx.np.array([1, 2, 3, 4], dtype="int32"))
block.export(PREFIX)
result = 0
"""

IMPORT = """
from mxnet import gluon
net = gluon.SymbolBlock.imports(PREFIX + "-symbol.json", ["data"])
result = [[str(o.dtype), o.asnumpy().tolist()]
          for o in net(mx.np.array([1, 2, 3, 4], dtype="int32"))]
"""


def test_scalar_ops_of_an_mxnet_2_graph_promote_as_mxnet2(mx2, gb_structural, tmp_path):
    """2.0.0b1 writes ``np.maximum(x, 2.5)`` as ``_maximum_scalar`` (its 1.x name) and runs it
    with numpy-mode promotion: an int32 array and a float number give float64."""
    prefix = f"PREFIX = {str(tmp_path / 'scalars')!r}\n"
    mx2.run(prefix + EXPORT)
    want = mx2.run(prefix + IMPORT)
    assert want[0][0] == "float64"
    assert gb_structural.run(prefix + "from gluonbridge import mxnet_shim\nmxnet_shim.install()\n"
                             + IMPORT) == want
