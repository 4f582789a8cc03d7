"""Symbol methods, negation, comparisons used in arithmetic and ``HybridLambda`` inside a
hybridized forward, against the real MXNet: the graph each mode's MXNet exports (1.9.1 under
legacy naming, 2.0.0b1 under structural naming) equals gluonbridge's, gluonbridge's graph runs,
and the oracle running gluonbridge's export gives gluonbridge's outputs (see
tests/test_export_oracle.py for the comparison)."""
import pytest

from tests.test_export_oracle import check_against_mx1, check_against_mx2

# 1.x style: ``F``-taking lambdas, the 1.x ``Reshape`` codes (0 copies a dimension), ``-x`` as
# ``_mulscalar``, comparisons (``== !=`` too) giving the input's dtype.
MX1_CASES = {
    "methods": ("""
class Methods(HybridBlock):
    def __init__(self, **kw):
        super().__init__(**kw)
        with self.name_scope():
            self.fc = nn.Dense(6, flatten=False)
            self.lam = nn.HybridLambda(lambda F, x: F.tanh(x) * 2)
            self.named = nn.HybridLambda("sigmoid")
    def hybrid_forward(self, F, x, y):
        h = self.fc(x)
        a = h.reshape((0, -1)) + h.reshape((-3, -2)).reshape(shape=(2, 18))
        c = (h == y) + (h != h * 1.5) - h
        return a, a != a * 0.5, (h > y) + y, (h <= 0.1) * h - h, c, -h, self.lam(h), self.named(h)
net = Methods()
""", [(2, 3, 4), (2, 3, 6)], False),
    # a Parameter is a variable Symbol in the trace: its methods record ops too (GluonNLP's
    # BERT reshapes its projection weights with ``reverse=True``)
    "parameter_methods": ("""
class ParamMethods(HybridBlock):
    def __init__(self, **kw):
        super().__init__(**kw)
        with self.name_scope():
            self.w = self.params.get('w', shape=(4, 6))
            self.b = self.params.get('b', shape=(6,), init='zeros')
    def hybrid_forward(self, F, x, w, b):
        w3 = w.reshape(shape=(2, -1, 0), reverse=True)
        y = F.broadcast_add(F.dot(x, w.transpose().transpose(axes=(1, 0))), b.reshape((1, -1)))
        return (y, w3.sum(axis=1), -w + w.expand_dims(axis=0).squeeze(axis=0), b.astype('float32'),
                w.reshape(-1), y.reshape(-1))   # a lone number: MXNet writes shape='-1'
net = ParamMethods()
""", [(2, 4)], False),
}

# 2.0.0b1 style: ``f(x)`` lambdas, numpy-style reshape (recorded as ``_npx_reshape``), ``-x`` as
# ``_npi_negative``, comparisons (``== !=`` too) giving bool (promoted by arithmetic with a float array).
MX2_CASES = {
    "methods": ("""
class Methods(HybridBlock):
    def __init__(self):
        super().__init__()
        self.fc = nn.Dense(6, flatten=False)
        self.lam = nn.HybridLambda(lambda x: np.tanh(x) * 2)
        self.named = nn.HybridLambda("tanh")
    def forward(self, x, y):
        h = self.fc(x)
        a = h.reshape(-1, 6).reshape((2, -1)) + h.reshape(-2, -1)
        b = h.reshape(-1).reshape(2, 3, 6)
        c = y + (h == y) - (h != h * 1.5)
        return a, (h > y) + y, y * (h <= 0.1) - b, c, -h, self.lam(h), self.named(h)
net = Methods()
""", [(2, 3, 4), (2, 3, 6)], False),
    "parameter_methods": ("""
class ParamMethods(HybridBlock):
    def __init__(self):
        super().__init__()
        self.fc = nn.Dense(6, in_units=4)
    def forward(self, x):
        w, b = self.fc.weight.data(), self.fc.bias.data()
        y = np.matmul(x, w.transpose().transpose((1, 0)).transpose()) + b.reshape(1, -1)
        return y, w.reshape(2, -1, 4).sum(axis=1), -w + w.reshape(-1).reshape(6, 4), b.astype('float32')
net = ParamMethods()
""", [(2, 4)], False),
}


@pytest.mark.oracle
def test_methods_export_as_mxnet_1_9_1(mx1, tmp_path):
    check_against_mx1(mx1, MX1_CASES, tmp_path)


@pytest.mark.oracle
def test_methods_export_as_mxnet_2(mx2, tmp_path, monkeypatch):
    check_against_mx2(mx2, MX2_CASES, tmp_path, monkeypatch)
