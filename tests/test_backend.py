"""Executing blocks on ONNX: tracing, caching, export, naming of initializers, errors."""
import numpy as np
import onnx
import onnxruntime as ort
import pytest

from gluonbridge import LoweringError, backend, gluon, naming, np as mnp, npx
from gluonbridge.backend import IncompatibleInputError
from gluonbridge.gluon import nn

from tests import backends


def _mlp(mode):
    with naming.override(mode):
        net = nn.HybridSequential()
        net.add(nn.Dense(8, activation="relu"), nn.BatchNorm(), nn.Dense(3))
    net.initialize()
    return net


X = np.random.RandomState(1).rand(4, 5).astype(np.float32)


def test_traces_once_and_one_session_serves_every_batch_size():
    net = _mlp("legacy")
    first = net(X)
    assert len(net._executors) == 1
    executor = next(iter(net._executors.values()))
    assert np.array_equal(net(X), first)
    assert np.allclose(net(X[:2]), first[:2], atol=1e-6)
    assert np.allclose(net(np.concatenate([X, X])), np.concatenate([first, first]), atol=1e-6)
    assert list(net._executors.values()) == [executor]        # no new trace, no new session
    assert executor.model.graph.input[0].type.tensor_type.shape.dim[0].dim_param == "batch"


def test_reshapes_keep_the_batch_symbolic():
    with naming.override("legacy"):
        class Net(gluon.HybridBlock):
            def hybrid_forward(self, F, x):
                y = F.expand_dims(x.reshape((0, 1, -1)), axis=2)   # (N, 1, 1, 5)
                return F.squeeze(F.concat(y, y, dim=1), axis=2).reshape((-1, 5))
        net = Net()
    x = np.arange(20, dtype=np.float32).reshape(4, 5)
    assert np.array_equal(net(x), np.concatenate([x[:, None], x[:, None]], 1).reshape(-1, 5))
    y = np.arange(35, dtype=np.float32).reshape(7, 5)
    assert np.array_equal(net(y), np.concatenate([y[:, None], y[:, None]], 1).reshape(-1, 5))
    assert len(net._executors) == 1 and next(iter(net._executors.values())).any_batch


@pytest.mark.parametrize("transpose_b", [False, True])
def test_dot_of_a_batched_tensor_serves_every_batch_size(transpose_b):
    """dot flattens its operands to 2-d: the flattened batch must not become a constant."""
    def make():
        with naming.override("legacy"):
            class Net(gluon.HybridBlock):
                def __init__(self):
                    super().__init__()
                    self.w = self.params.get("w", shape=(5, 4) if transpose_b else (4, 5))

                def hybrid_forward(self, F, x, w):
                    return F.dot(x, w, transpose_b=transpose_b)
            net = Net()
        net.initialize()
        net.hybridize()
        return net
    net, fresh = make(), make()
    fresh.w.set_data(net.w.data())
    x = np.random.RandomState(2).rand(3, 3, 4).astype(np.float32)
    net(x[:2])
    assert np.array_equal(net(x), fresh(x))          # the batch-2 session at batch 3
    assert len(net._executors) == 1 and next(iter(net._executors.values())).any_batch


def test_code_reading_the_shape_is_traced_per_batch_size():
    with naming.override("legacy"):
        class Net(gluon.HybridBlock):
            def hybrid_forward(self, F, x):
                return x.reshape((x.shape[0], -1))    # the batch size baked into an attribute
        net = Net()
    assert net(np.ones((1, 3, 2), np.float32)).shape == (1, 6)
    assert net(np.ones((2, 3, 2), np.float32)).shape == (2, 6)
    assert len(net._executors) == 2
    assert not any(e.any_batch for e in net._executors.values())


def test_changed_parameter_data_is_used_on_the_next_call():
    net = _mlp("legacy")
    before = net(X)
    net[2].bias.set_data(np.full((3,), 10.0, np.float32))
    after = net(X)
    assert np.allclose(after - before, 10.0 - 0.0, atol=1e-5)


def test_output_is_an_array_numpy_accepts():
    out = _mlp("structural")(X)
    assert isinstance(np.asarray(out), np.ndarray) and out.asnumpy().shape == (4, 3)


@pytest.mark.parametrize("mode,expected", [
    ("legacy", {"hybridsequential0_dense0_weight", "hybridsequential0_batchnorm0_gamma"}),
    ("structural", {"0.weight", "1.gamma", "2.bias"}),
])
def test_export_onnx_names_initializers_by_mode(tmp_path, mode, expected):
    with naming.override(mode), naming.NameManager():
        net = nn.HybridSequential()
        if mode == "legacy":
            with net.name_scope():
                net.add(nn.Dense(8, activation="relu"), nn.BatchNorm(), nn.Dense(3))
        else:
            net.add(nn.Dense(8, activation="relu"), nn.BatchNorm(), nn.Dense(3))
    net.initialize()
    path = tmp_path / "model.onnx"
    net.export_onnx(path, X)
    model = onnx.load(path)
    onnx.checker.check_model(model)
    names = {i.name for i in model.graph.initializer}
    assert expected <= names
    assert [i.name for i in model.graph.input] == ["data"]   # weights are not graph inputs
    assert model.ir_version == 8
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    assert np.allclose(session.run(None, {"data": X})[0], net(X), atol=1e-6)


def test_shared_parameters_are_one_initializer():
    with naming.override("structural"):
        net = nn.HybridSequential()
        a, b = nn.Dense(5, in_units=5), nn.Dense(5, in_units=5)
        b.share_parameters(a.collect_params())
        net.add(a, b)
    net.initialize()
    out = net(X)
    executor = next(iter(net._executors.values()))
    assert sorted(executor.initializers) == ["1.bias", "1.weight"]   # the last key, as MXNet 2 export
    w, bias = a.weight.data(), a.bias.data()
    assert np.allclose(out, (X @ w.T + bias) @ w.T + bias, atol=1e-5)


@pytest.mark.parametrize("name", backends.params())
def test_every_backend_gives_the_same_results(name):
    net = _mlp("legacy")
    expected = net(X)
    before = backend.current()
    backend.use(name)
    try:
        assert np.allclose(net(X), expected, atol=1e-6)
    finally:
        backend.use(before)


def test_legacy_hybrid_forward_style_custom_block():
    with naming.override("legacy"):
        class Scale(gluon.HybridBlock):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                with self.name_scope():
                    self.fc = nn.Dense(3, in_units=5)
                    self.alpha = self.params.get("alpha", shape=(1,), init="ones")

            def hybrid_forward(self, F, x, alpha):
                return F.broadcast_mul(F.relu(self.fc(x)), alpha) + 1
        block = Scale()
    block.initialize()
    fc = block.fc
    expected = np.maximum(X @ fc.weight.data().T + fc.bias.data(), 0) + 1
    assert np.allclose(block(X), expected, atol=1e-5)


def test_structural_forward_style_custom_block():
    with naming.override("structural"):
        class Net(gluon.HybridBlock):
            def __init__(self):
                super().__init__()
                self.fc = nn.Dense(4)
                self.w = gluon.Parameter("w", shape=(4,), init="ones")

            def forward(self, x):
                h = npx.relu(self.fc(x))
                return mnp.concatenate([h * self.w.data(), h], axis=1)
        net = Net()
    net.initialize()
    out = net(X)
    assert out.shape == (4, 8) and np.array_equal(out[:, :4], out[:, 4:])


def test_a_fill_whose_unknown_dimension_nothing_fixes_is_refused_naming_the_node():
    """A 1.x fill with a 0 ("infer me") dimension returned as it is: no consumer fixes it."""
    with naming.override("legacy"):
        class Unfixed(gluon.HybridBlock):
            def hybrid_forward(self, F, x):
                return x + 1, F.zeros(shape=(0, 3))
        block = Unfixed(prefix="unfixed_")
    with pytest.raises(ValueError, match=r"'unfixed__zeros0': a shape with a 0 .* several "
                                         r"values fit \(\[4, 5\]\) the graph: give the"):
        block(X)


def test_unsupported_attribute_names_block_op_and_attribute():
    with naming.override("legacy"):
        net = nn.HybridSequential()
        with net.name_scope():
            net.add(nn.Dense(4), nn.Activation("softmin"))
    net.initialize()
    with pytest.raises(LoweringError, match=r"block '1': op Activation: act_type='softmin'"):
        net(X)


def test_unsupported_layout_is_refused_at_trace_time():
    with naming.override("legacy"):
        conv = nn.Conv2D(4, 3, layout="NHWC", in_channels=3)
    conv.initialize()
    with pytest.raises(LoweringError, match="layout='NHWC'"):
        conv(np.zeros((1, 5, 5, 3), np.float32))


def test_wrong_input_shape_names_the_block_and_parameter():
    with naming.override("legacy"):
        net = nn.HybridSequential()
        with net.name_scope():
            net.add(nn.Dense(4, in_units=3))
    net.initialize()
    with pytest.raises(IncompatibleInputError, match=r"block '0'.*hybridsequential\d+_dense0_weight"):
        net(X)   # 5 features, the layer was built for 3


def test_running_an_uninitialized_block_says_what_to_do():
    with naming.override("legacy"):
        dense = nn.Dense(4)
    with pytest.raises(gluon.DeferredInitializationError, match="initialize"):
        dense(X)


def test_executor_cache_is_bounded_least_recently_used_first():
    from gluonbridge.backend.runtime import MAX_EXECUTORS
    with naming.override("legacy"):
        act = nn.Activation("relu")
    first = np.ones((2, 1), np.float32)
    for width in range(1, MAX_EXECUTORS + 3):
        act(np.ones((2, width), np.float32))
        act(first)                               # kept in use: never the one dropped
    assert len(act._executors) == MAX_EXECUTORS
    widths = [e.inputs["data"][0][1] for e in act._executors.values()]
    assert 1 in widths and 2 not in widths and MAX_EXECUTORS + 2 in widths


def test_backend_choice_is_local_to_a_thread():
    import threading
    before = backend.current()
    backend.use("onnxruntime")
    seen = {}

    def worker():
        seen["start"] = backend.current()
        backend.use("reference")
        net = _mlp("legacy")
        net(X)
        seen["keys"] = [key[0] for key in net._executors]
        seen["end"] = backend.current()
    try:
        thread = threading.Thread(target=worker)
        thread.start()
        thread.join()
        assert seen["end"] == "reference" and seen["keys"] == ["reference"]
        assert backend.current() == "onnxruntime"      # unchanged by the thread's choice
    finally:
        backend.use(before)
