"""User-style HybridBlocks, the vision zoo and INT8 nets, one function per case of table.py.

Each function takes the ``mxnet`` module and returns an initialised HybridBlock; write.py
hybridizes it, runs it once on the case's first batch and calls ``export()``. Functions named
``*_mx1`` use the MXNet 1.x API (``hybrid_forward(F, ...)``); ``*_np`` the 2.x numpy API after
``npx.set_np()``; ``*_mx1np`` 1.9.1 after ``npx.set_np()``; ``*_nd`` MXNet 2.0.0b1 without ``set_np`` (legacy ndarray). Runs only inside the
oracle virtualenvs.
"""


def _randomize_running_stats(mx, net):
    """Random-init'ed BatchNorm has mean 0 / var 1, which hides mistakes in its lowering."""
    for name, p in net.collect_params().items():
        if name.endswith(("running_mean", "moving_mean")):
            p.set_data(mx.nd.random.normal(0, 0.2, shape=p.shape))
        elif name.endswith(("running_var", "moving_var")):
            p.set_data(mx.nd.random.uniform(0.5, 1.5, shape=p.shape))
        elif name.endswith("gamma"):
            p.set_data(mx.nd.random.uniform(0.5, 1.5, shape=p.shape))
        elif name.endswith(("beta", "bias")):
            p.set_data(mx.nd.random.normal(0, 0.1, shape=p.shape))
    return net


def _init(mx, net, init=None):
    net.initialize(init or mx.init.Xavier(magnitude=2.0))
    return net


# ---- MXNet 1.9.1 -------------------------------------------------------------------------------

def mlp_bn_mx1(mx):
    nn = mx.gluon.nn
    net = nn.HybridSequential()
    with net.name_scope():
        net.add(nn.Dense(16, activation="relu"), nn.BatchNorm(), nn.Dropout(0.3),
                nn.Dense(8, activation="tanh"), nn.Dense(4))
    return _init(mx, net)


def convnet_mx1(mx):
    nn = mx.gluon.nn
    net = nn.HybridSequential()
    with net.name_scope():
        net.add(nn.Conv2D(8, 3, padding=1), nn.BatchNorm(), nn.Activation("relu"),
                nn.MaxPool2D(2, 2), nn.Conv2D(12, 3, strides=2, use_bias=False),
                nn.BatchNorm(scale=False), nn.LeakyReLU(0.2), nn.AvgPool2D(2, ceil_mode=True),
                nn.Conv2D(6, 1, groups=2), nn.GlobalAvgPool2D(), nn.Flatten(), nn.Dense(5))
    return _init(mx, net)


def multi_io_mx1(mx):
    nn = mx.gluon.nn

    class MultiIO(nn.HybridBlock):
        """Two inputs, three outputs, shared trunk, a concat of branches."""

        def __init__(self, **kw):
            super().__init__(**kw)
            with self.name_scope():
                self.a = nn.Conv2D(4, 3, padding=1)
                self.b = nn.Conv2D(4, 1)
                self.c = nn.Conv2D(2, (1, 3), padding=(0, 1))
                self.head = nn.Dense(3)
                self.aux = nn.Dense(2, flatten=False)

        def hybrid_forward(self, F, img, vec):
            cat = F.concat(self.a(img), self.b(img), F.relu(self.c(img)), dim=1)
            pooled = F.mean(cat, axis=(2, 3))
            mixed = F.concat(pooled, vec, dim=1)
            return self.head(mixed), F.sigmoid(cat), self.aux(F.expand_dims(vec, 1))

    return _init(mx, MultiIO())



def embed_dense_mx1(mx):
    nn = mx.gluon.nn

    class Tagger(nn.HybridBlock):
        def __init__(self, **kw):
            super().__init__(**kw)
            with self.name_scope():
                self.embed = nn.Embedding(20, 6)
                self.proj = nn.Dense(5, flatten=False)
                self.norm = nn.LayerNorm()

        def hybrid_forward(self, F, tokens):
            h = self.norm(self.proj(self.embed(tokens)))
            return F.softmax(h, axis=-1), F.mean(h, axis=1)

    return _init(mx, Tagger())


def norm_acts_mx1(mx):
    nn = mx.gluon.nn
    net = nn.HybridSequential()
    with net.name_scope():
        net.add(nn.Dense(12), nn.LayerNorm(), nn.PReLU(), nn.Dense(12), nn.ELU(0.5), nn.SELU(),
                nn.Swish(1.5), nn.GELU(), nn.Dense(6))
    return _init(mx, net)


def conv_family_mx1(mx):
    nn = mx.gluon.nn
    net = nn.HybridSequential()
    with net.name_scope():
        net.add(nn.Conv2DTranspose(4, 4, strides=2, padding=1), nn.InstanceNorm(),
                nn.Conv2D(4, 3, dilation=2, padding=2), nn.ReflectionPad2D(1),
                nn.Conv2D(3, 3), nn.HybridLambda(lambda F, x: F.UpSampling(x, scale=2,
                                                                          sample_type="nearest")),
                nn.MaxPool2D(3, 2, padding=1), nn.GlobalMaxPool2D())
    return _init(mx, net)


def conv1d3d_mx1(mx):
    nn = mx.gluon.nn

    class Mixed(nn.HybridBlock):
        def __init__(self, **kw):
            super().__init__(**kw)
            with self.name_scope():
                self.c1 = nn.Conv1D(4, 3, padding=1)
                self.p1 = nn.AvgPool1D(2)
                self.c3 = nn.Conv3D(2, (1, 3, 3), padding=(0, 1, 1))
                self.p3 = nn.MaxPool3D((1, 2, 2))

        def hybrid_forward(self, F, seq, vol):
            return self.p1(F.relu(self.c1(seq))), self.p3(self.c3(vol))

    return _init(mx, Mixed())


def rnn_layers_mx1(mx):
    rnn = mx.gluon.rnn

    class Encoder(mx.gluon.nn.HybridBlock):
        def __init__(self, **kw):
            super().__init__(**kw)
            with self.name_scope():
                self.lstm = rnn.LSTM(6, num_layers=2, bidirectional=True, layout="NTC")
                self.gru = rnn.GRU(4, layout="NTC")
                self.out = mx.gluon.nn.Dense(3, flatten=False)

        def hybrid_forward(self, F, x):
            return self.out(self.gru(self.lstm(x)))

    return _init(mx, Encoder(), mx.init.Uniform(0.4))


def rnn_cells_mx1(mx):
    rnn = mx.gluon.rnn

    class Unrolled(mx.gluon.nn.HybridBlock):
        def __init__(self, **kw):
            super().__init__(**kw)
            with self.name_scope():
                self.cell = rnn.LSTMCell(5)

        def hybrid_forward(self, F, x):
            outs, states = self.cell.unroll(4, x, layout="NTC", merge_outputs=True)
            return outs, states[0], states[1]

    return _init(mx, Unrolled())


def numpy_ops_mx1np(mx):
    """MXNet 1.9.1's numpy mode (npx.set_np): its export holds _np_/_npi_/_npx_ operators."""
    nn = mx.gluon.nn

    class NumpyOps(nn.HybridBlock):
        def __init__(self, **kw):
            super().__init__(**kw)
            with self.name_scope():
                self.fc = nn.Dense(6, flatten=False)
                self.bn = nn.BatchNorm(axis=-1)

        def hybrid_forward(self, F, x, y):  # (N, 4, 6), (N, 4, 6)
            np, npx = F.np, F.npx
            h = self.bn(self.fc(x))
            r = npx.reshape(np.transpose(h, (0, 2, 1)), (-2, -1))
            c = np.clip(np.where(h > 0, h, y * 0.5), -1.0, 1.0)
            e = np.exp(-np.abs(c)) + np.log(np.abs(y) + 1.0) + np.sqrt(np.abs(x))
            m = np.maximum(e, 0.5) - np.minimum(x, y) * 2.0 / 3.0
            st = np.stack([m, y], axis=1).sum(axis=1)
            cat = np.concatenate([st.mean(axis=1), st.max(axis=1), r], axis=-1)
            dots = np.matmul(x, np.swapaxes(y, 1, 2))
            return cat, npx.softmax(dots, axis=-1), npx.sigmoid(np.tile(dots, (1, 1, 2)))

    return _init(mx, NumpyOps())


# ---- MXNet 2.0.0b1, numpy mode -----------------------------------------------------------------

def convnet_np(mx):
    nn = mx.gluon.nn
    net = nn.HybridSequential()
    net.add(nn.Conv2D(8, 3, padding=1), nn.BatchNorm(), nn.Activation("relu"),
            nn.MaxPool2D(2, 2), nn.Conv2D(6, 3, strides=2, use_bias=False), nn.BatchNorm(),
            nn.LeakyReLU(0.1), nn.AvgPool2D(2, ceil_mode=True), nn.GlobalAvgPool2D(),
            nn.Flatten(), nn.Dense(5))
    return _init(mx, net)


def mlp_np(mx):
    nn = mx.gluon.nn
    net = nn.HybridSequential()
    net.add(nn.Dense(16, activation="relu"), nn.BatchNorm(), nn.Dropout(0.3),
            nn.Dense(8), nn.PReLU(), nn.LayerNorm(), nn.Dense(4, activation="sigmoid"))
    return _init(mx, net)


def multi_io_np(mx):
    nn = mx.gluon.nn
    np, npx = mx.np, mx.npx

    class MultiIO(nn.HybridBlock):
        def __init__(self):
            super().__init__()
            self.a = nn.Conv2D(4, 3, padding=1)
            self.b = nn.Conv2D(4, 1)
            self.head = nn.Dense(3)
            self.embed = nn.Embedding(12, 5)

        def forward(self, img, tokens):
            cat = np.concatenate([self.a(img), npx.relu(self.b(img))], axis=1)
            pooled = cat.mean(axis=(2, 3))
            e = self.embed(tokens).sum(axis=1)
            mixed = np.concatenate([pooled, e], axis=1)
            return self.head(mixed), npx.sigmoid(cat), np.expand_dims(e, 1)

    return _init(mx, MultiIO())


def numpy_ops_np(mx):
    """A block written in numpy style, so the export holds _npi_/_np_/_npx_ operators."""
    nn = mx.gluon.nn
    np, npx = mx.np, mx.npx

    class NumpyOps(nn.HybridBlock):
        def __init__(self):
            super().__init__()
            self.fc = nn.Dense(6, flatten=False)

        def forward(self, x, y):  # (N, 4, 6), (N, 4, 6)
            h = self.fc(x)
            s = np.transpose(h, (0, 2, 1))
            r = npx.reshape(s, (-2, -1))
            z = np.where(h > 0, h, y * 0.5)
            c = np.clip(z, -1.0, 1.0)
            e = np.exp(-np.abs(c)) + np.log(np.abs(y) + 1.0) + np.sqrt(np.abs(x))
            m = np.maximum(e, 0.5) - np.minimum(x, y) * 2.0 / 3.0
            st = np.stack([m, y], axis=1).sum(axis=1)
            t = np.tile(st[:, :1, :], (1, 2, 1))
            rep = np.repeat(t, 2, axis=1)
            sm = npx.softmax(rep, axis=-1) + npx.log_softmax(rep, axis=-1)
            sq = np.squeeze(np.expand_dims(sm, 2), axis=2)
            red = sq.max(axis=1) + sq.min(axis=1) + sq.mean(axis=1) + np.sum(sq, axis=1)
            cat = np.concatenate([red, r], axis=-1)
            dots = np.matmul(x, np.swapaxes(y, 1, 2))
            act = npx.activation(dots, act_type="tanh") + npx.sigmoid(dots) + npx.relu(-dots)
            return cat, act, np.ones_like(x) + np.zeros_like(y), np.arange(6).astype("float32")

    return _init(mx, NumpyOps())


def rnn_layers_np(mx):
    rnn = mx.gluon.rnn

    class Encoder(mx.gluon.nn.HybridBlock):
        def __init__(self):
            super().__init__()
            self.lstm = rnn.LSTM(6, num_layers=2, bidirectional=True, layout="NTC")
            self.gru = rnn.GRU(4, layout="NTC")

        def forward(self, x):
            return self.gru(self.lstm(x))

    return _init(mx, Encoder(), mx.init.Uniform(0.4))


# ---- MXNet 2.0.0b1, without set_np -------------------------------------------------------------

def convnet_nd(mx):
    return convnet_np(mx)


def mlp_nd(mx):
    return mlp_np(mx)


# ---- vision zoo and INT8 ------------------------------------------------------------------------

def zoo(mx, name):
    net = mx.gluon.model_zoo.vision.get_model(name)
    net.initialize(mx.init.Xavier(magnitude=2.0))
    return net


def finish_zoo(mx, net):
    """After the first forward pass (deferred shapes known): realistic BatchNorm statistics."""
    return _randomize_running_stats(mx, net)


def quantized(mx, net, calib, calib_mode, exclude=None):
    """``quantize_net`` of an initialised float net on calibration batches ``calib``."""
    loader = mx.gluon.data.DataLoader(
        mx.gluon.data.ArrayDataset(calib, mx.nd.zeros((calib.shape[0],))), batch_size=2)
    return mx.contrib.quantization.quantize_net(
        net, quantized_dtype="auto", calib_mode=calib_mode, calib_data=loader,
        num_calib_examples=calib.shape[0], exclude_layers=exclude, ctx=mx.cpu())


def int8_convnet_mx1(mx):
    nn = mx.gluon.nn
    net = nn.HybridSequential()
    with net.name_scope():
        net.add(nn.Conv2D(8, 3, padding=1), nn.BatchNorm(), nn.Activation("relu"),
                nn.MaxPool2D(2, 2), nn.Conv2D(8, 3, padding=1), nn.Activation("relu"),
                nn.AvgPool2D(2), nn.Flatten(), nn.Dense(16), nn.Dense(4))
    return _init(mx, net)


def int8_branches_mx1(mx):
    """INT8 ops outside a fused convolution: concat of uint8 and int8 data, elemwise_add of
    uint8 and int8 data, a sum fused into a convolution, BatchNorm and relu after a concat
    (quantized_batch_norm, quantized_act), Flatten, Dense with a fused relu, a float last
    Dense."""
    return _int8_branches(mx, True)


def int8_branches_nobn_mx1(mx):
    """:func:`int8_branches_mx1` without the BatchNorm (MXNet cannot run a quantized
    BatchNorm uncalibrated)."""
    return _int8_branches(mx, False)


def _int8_branches(mx, with_bn):
    nn = mx.gluon.nn

    class Branches(mx.gluon.HybridBlock):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            with self.name_scope():
                self.conv_a = nn.Conv2D(8, 3, padding=1, activation="relu")
                self.conv_b = nn.Conv2D(8, 3, padding=1)
                self.conv_c = nn.Conv2D(8, 1)
                self.bn = nn.BatchNorm() if with_bn else None
                self.act = nn.Activation("relu")
                self.dense0 = nn.Dense(16, activation="relu")
                self.dense1 = nn.Dense(4)

        def hybrid_forward(self, F, x):
            a, b, c = self.conv_a(x), self.conv_b(x), self.conv_c(x)
            joined = F.concat(a, b, dim=1)
            mixed = F.elemwise_add(a, b)
            same = F.elemwise_add(b, c)
            normed = self.act(self.bn(joined) if self.bn is not None else joined)
            flat = F.Flatten(F.concat(normed, mixed, same, dim=1))
            return self.dense1(self.dense0(flat))

    return _init(mx, Branches())


def int8_dense_positive_mx1(mx):
    """A Dense without activation whose calibrated output range is positive (MXNet still
    makes it int8: uint8 only with a fused relu), between a Dense with a fused relu and a last
    Dense."""
    nn = mx.gluon.nn
    positive = mx.nd.abs(mx.nd.random.normal(shape=(4, 8)))
    net = nn.HybridSequential()
    with net.name_scope():
        net.add(nn.Dense(8, activation="relu", in_units=5),
                nn.Dense(4, in_units=8, weight_initializer=mx.init.Constant(positive),
                         bias_initializer=mx.init.One()),
                nn.Dense(3, in_units=4))
    return _init(mx, net)
