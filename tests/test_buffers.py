"""Arrays made together in one buffer (loading a model's weights, folding BatchNorm)."""
import numpy as np

from gluonbridge.buffers import ALIGNMENT, copies_together, empty_together


def test_copies_are_equal_independent_and_aligned():
    values = [np.arange(12, dtype=np.float32).reshape(3, 4), np.array(7, np.int64),
              np.zeros((0, 5), np.float16), np.ones(3, np.uint8), np.array([True, False])]
    copies = copies_together(values)
    for value, copy in zip(values, copies):
        assert copy.dtype == value.dtype and copy.shape == value.shape
        np.testing.assert_array_equal(copy, value)
        assert not np.shares_memory(copy, value)
    copies[0][...] = -1                    # writable, and no copy overlaps another
    np.testing.assert_array_equal(copies[3], values[3])
    np.testing.assert_array_equal(copies[4], values[4])
    base = copies[0].__array_interface__["data"][0]
    for copy in copies:
        assert (copy.__array_interface__["data"][0] - base) % ALIGNMENT == 0


def test_empty_together_shapes():
    arrays = empty_together([((2, 3), "float32"), ((), "int8"), ((4,), np.float64)])
    assert [a.shape for a in arrays] == [(2, 3), (), (4,)]
    assert [a.dtype for a in arrays] == [np.float32, np.int8, np.float64]


def test_loaded_parameters_do_not_share_the_callers_arrays():
    from gluonbridge.gluon import nn
    net = nn.Dense(2, in_units=3)
    net.initialize()
    weight = np.arange(6, dtype=np.float32).reshape(2, 3)
    net.load_dict({"weight": weight, "bias": np.zeros(2, np.float32)})
    weight[...] = 0
    np.testing.assert_array_equal(net.weight.data().asnumpy(),
                                  np.arange(6, dtype=np.float32).reshape(2, 3))
