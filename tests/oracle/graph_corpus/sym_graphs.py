"""Graphs built with ``mx.sym`` in MXNet 1.9.1, one function per case of table.py.

Each function takes the ``mxnet`` module and returns the graph's output symbol (a Group for several
outputs). Variables named in the case's ``inputs`` are fed data; ``labels`` are left unfed; every
other argument and auxiliary state becomes a parameter with random values (write.py).
Runs only inside the oracle virtualenv.
"""


def _v(mx, *names):
    return [mx.sym.var(n) for n in names]


def convolution(mx):
    (x,) = _v(mx, "data")
    a = mx.sym.Convolution(x, kernel=(3, 3), stride=(2, 2), pad=(1, 1), num_filter=6, name="conv_s2")
    b = mx.sym.Convolution(x, kernel=(3, 3), dilate=(2, 2), num_filter=4, num_group=2,
                           no_bias=True, name="conv_group_dil")
    c = mx.sym.Convolution(x, kernel=(1, 5), pad=(0, 2), num_filter=3, name="conv_rect")
    return mx.sym.Group([a, b, c])


def convolution_1d(mx):
    (x,) = _v(mx, "data")
    return mx.sym.Convolution(x, kernel=(3,), stride=(2,), pad=(1,), num_filter=5, name="conv1d")


def activation(mx):
    (x,) = _v(mx, "data")
    return mx.sym.Group([mx.sym.Activation(x, act_type=t, name="act_" + t)
                         for t in ("relu", "sigmoid", "tanh", "softrelu", "softsign")])


def fully_connected(mx):
    x, s = _v(mx, "data", "seq")
    a = mx.sym.FullyConnected(x, num_hidden=7, name="fc_flat")
    b = mx.sym.FullyConnected(s, num_hidden=3, flatten=False, name="fc_seq")
    c = mx.sym.FullyConnected(x, num_hidden=2, no_bias=True, name="fc_nobias")
    return mx.sym.Group([a, b, c])


def pooling(mx):
    (x,) = _v(mx, "data")
    outs = []
    for pool in ("max", "avg", "sum"):
        for conv in ("valid", "full"):
            outs.append(mx.sym.Pooling(x, kernel=(3, 3), stride=(2, 2), pool_type=pool,
                                       pooling_convention=conv, name=f"pool_{pool}_{conv}"))
    outs.append(mx.sym.Pooling(x, kernel=(3, 3), stride=(2, 2), pad=(1, 1), pool_type="avg",
                               count_include_pad=False, name="pool_avg_nopad"))
    outs.append(mx.sym.Pooling(x, kernel=(3, 3), stride=(2, 2), pad=(1, 1), pool_type="avg",
                               count_include_pad=True, name="pool_avg_pad"))
    outs.append(mx.sym.Pooling(x, kernel=(1, 1), global_pool=True, pool_type="max", name="gmax"))
    outs.append(mx.sym.Pooling(x, kernel=(1, 1), global_pool=True, pool_type="avg", name="gavg"))
    return mx.sym.Group(outs)


def pooling_1d(mx):
    (x,) = _v(mx, "data")
    return mx.sym.Group([
        mx.sym.Pooling(x, kernel=(2,), stride=(2,), pool_type="max", pooling_convention="full",
                       name="pool1d_full"),
        mx.sym.Pooling(x, kernel=(3,), stride=(1,), pad=(1,), pool_type="avg", name="pool1d_avg")])


def batchnorm(mx):
    (x,) = _v(mx, "data")
    return mx.sym.Group([
        mx.sym.BatchNorm(x, fix_gamma=True, name="bn_fixgamma"),
        mx.sym.BatchNorm(x, fix_gamma=False, eps=1e-3, name="bn_gamma"),
        mx.sym.BatchNorm(x, fix_gamma=False, use_global_stats=True, name="bn_global"),
        mx.sym.BatchNorm(x, fix_gamma=False, axis=-1, name="bn_lastaxis")])


def elemwise(mx):
    a, b = _v(mx, "a", "b")
    return mx.sym.Group([mx.sym.elemwise_add(a, b), mx.sym.elemwise_sub(a, b),
                         mx.sym.elemwise_mul(a, b), mx.sym.elemwise_div(a, b + 3.0),
                         mx.sym.maximum(a, b), mx.sym.minimum(a, b), a + b, a * b])


def scalar_ops(mx):
    (x,) = _v(mx, "data")
    return mx.sym.Group([x + 1.5, x - 0.5, 2.0 - x, x * 3.0, x / 4.0, 2.0 / (x + 5.0), x ** 2,
                         mx.sym.maximum(x, 0.2), mx.sym.minimum(x, -0.1)])


def comparisons(mx):
    x, y = _v(mx, "data", "other")
    return mx.sym.Group([x > 0.1, x < 0.2, x >= 0.0, x <= -0.3, x == 0.0, x != 0.0,
                         mx.sym.broadcast_greater(x, y), mx.sym.broadcast_lesser(x, y),
                         mx.sym.broadcast_equal(x, y), mx.sym.broadcast_not_equal(x, y),
                         mx.sym.broadcast_greater_equal(x, y), mx.sym.broadcast_lesser_equal(x, y)])


def softmax_output(mx):
    x, lab = _v(mx, "data", "softmax_label")
    fc = mx.sym.FullyConnected(x, num_hidden=5, name="fc")
    return mx.sym.SoftmaxOutput(fc, lab, name="softmax")


def softmax_output_multi(mx):
    x, lab = _v(mx, "data", "softmax_label")
    conv = mx.sym.Convolution(x, kernel=(1, 1), num_filter=4, name="score")
    return mx.sym.SoftmaxOutput(conv, lab, multi_output=True, name="softmax")


def regression_heads(mx):
    x, l1, l2, l3 = _v(mx, "data", "lin_label", "log_label", "mae_label")
    fc = mx.sym.FullyConnected(x, num_hidden=3, name="fc")
    return mx.sym.Group([mx.sym.LinearRegressionOutput(fc, l1, name="lin"),
                         mx.sym.LogisticRegressionOutput(fc, l2, name="log"),
                         mx.sym.MAERegressionOutput(fc, l3, name="mae")])


def makeloss_blockgrad(mx):
    x, y = _v(mx, "data", "target")
    d = mx.sym.square(x - mx.sym.BlockGrad(y))
    return mx.sym.Group([mx.sym.MakeLoss(mx.sym.mean(d, axis=1), name="loss"),
                         mx.sym.BlockGrad(x * 2.0, name="stopped"), mx.sym.stop_gradient(y)])


def dropout_concat_flatten(mx):
    a, b = _v(mx, "a", "b")
    d = mx.sym.Dropout(a, p=0.5, name="drop")
    c = mx.sym.Concat(d, b, dim=1, name="cat1")
    c0 = mx.sym.concat(a, b, dim=0, name="cat0")
    c3 = mx.sym.concat(a, b, a, dim=-1, name="catlast")
    return mx.sym.Group([mx.sym.Flatten(c, name="flat"), c0, c3])


def reshape_codes(mx):
    (x,) = _v(mx, "data")  # (N, 2, 3, 4)
    return mx.sym.Group([
        mx.sym.Reshape(x, shape=(0, -1), name="r_0_m1"),
        mx.sym.Reshape(x, shape=(-2,), name="r_m2"),
        mx.sym.Reshape(x, shape=(0, -3, -2), name="r_0_m3_m2"),
        mx.sym.Reshape(x, shape=(0, 0, -3), name="r_0_0_m3"),
        mx.sym.Reshape(x, shape=(0, -4, 1, 2, -2), name="r_m4"),
        mx.sym.Reshape(x, shape=(0, 0, 0, -4, 2, -1), name="r_m4_infer"),
        mx.sym.Reshape(x, shape=(-1, 0), reverse=True, name="r_reverse"),
        mx.sym.Reshape(x, shape=(0, 2, -1, 2), name="r_infer_mid"),
        mx.sym.reshape_like(x, mx.sym.Reshape(x, shape=(0, 6, 4)), name="r_like")])


def slice_channel(mx):
    x, y = _v(mx, "data", "sq")  # (N, 6, 4), (N, 3, 5)
    a = mx.sym.SliceChannel(x, num_outputs=3, axis=1, name="split3")
    b = mx.sym.SliceChannel(y, num_outputs=3, axis=1, squeeze_axis=True, name="split_sq")
    c = mx.sym.split(x, num_outputs=2, axis=-1, name="split_last")
    return mx.sym.Group([a[0], a[1], a[2], b[0], b[2], c[1]])


def leaky_relu(mx):
    x, y = _v(mx, "data", "img")
    outs = [mx.sym.LeakyReLU(x, act_type="leaky", slope=0.1, name="leaky"),
            mx.sym.LeakyReLU(x, act_type="elu", slope=0.7, name="elu"),
            mx.sym.LeakyReLU(x, act_type="selu", name="selu"),
            mx.sym.LeakyReLU(x, act_type="gelu", name="gelu"),
            # [0]: rrelu's second output (its training mask) is unwritten memory at inference
            mx.sym.LeakyReLU(x, act_type="rrelu", lower_bound=0.1, upper_bound=0.3,
                             name="rrelu")[0],
            mx.sym.LeakyReLU(y, mx.sym.var("prelu_gamma"), act_type="prelu", name="prelu")]
    return mx.sym.Group(outs)


def shape_ops(mx):
    (x,) = _v(mx, "data")  # (N, 3, 1, 4)
    return mx.sym.Group([
        mx.sym.transpose(x), mx.sym.transpose(x, axes=(0, 3, 1, 2)),
        mx.sym.expand_dims(x, axis=1), mx.sym.expand_dims(x, axis=-1),
        mx.sym.squeeze(x, axis=2), mx.sym.tile(x, reps=(1, 2, 3, 1)), mx.sym.tile(x, reps=(2,)),
        mx.sym.repeat(x, repeats=2, axis=1), mx.sym.repeat(x, repeats=2),
        mx.sym.stack(x, x * 2.0, axis=1), mx.sym.stack(x, x, x, axis=-1),
        mx.sym.reverse(x, axis=1), mx.sym.flip(x, axis=(1, 3)),
        mx.sym.SwapAxis(x, dim1=1, dim2=3)])


def squeeze_all(mx):
    (x,) = _v(mx, "data")  # (N, 1, 3, 1)
    return mx.sym.Group([mx.sym.squeeze(x), mx.sym.squeeze(x, axis=(1, 3))])


def slicing(mx):
    x, like = _v(mx, "data", "like")  # (N, 6, 5, 4), (N, 3, 2, 4)
    return mx.sym.Group([
        mx.sym.slice_axis(x, axis=1, begin=1, end=None, name="sa_none"),
        mx.sym.slice_axis(x, axis=2, begin=-3, end=-1, name="sa_neg"),
        mx.sym.slice_axis(x, axis=-1, begin=0, end=2, name="sa_last"),
        mx.sym.slice(x, begin=(None, 1, 0), end=(None, 5, 4), name="sl_none"),
        mx.sym.slice(x, begin=(0, 0, 4), end=(None, None, 0), step=(1, 2, -2), name="sl_step"),
        mx.sym.slice_like(x, like, name="slike_all"),
        mx.sym.slice_like(x, like, axes=(1, 2), name="slike_axes")])


def crop(mx):
    x, like = _v(mx, "data", "like")  # (N, 3, 8, 8), (N, 2, 5, 6)
    return mx.sym.Group([
        mx.sym.Crop(x, like, num_args=2, name="crop_like"),
        mx.sym.Crop(x, like, num_args=2, offset=(1, 2), name="crop_like_off"),
        mx.sym.Crop(x, num_args=1, h_w=(4, 5), offset=(2, 1), name="crop_hw"),
        mx.sym.Crop(x, num_args=1, h_w=(5, 3), center_crop=True, name="crop_center")])


def constants(mx):
    (x,) = _v(mx, "data")  # (N, 5)
    z = mx.sym.zeros((1, 5))
    o = mx.sym.ones((1, 5))
    r = mx.sym.arange(start=1, stop=11, step=2)
    r2 = mx.sym.arange(0, 5, repeat=2).reshape((2, 5))
    r3 = mx.sym.arange(start=3)
    return mx.sym.Group([
        mx.sym.broadcast_add(x, o), mx.sym.broadcast_mul(x, z + 0.5),
        mx.sym.broadcast_add(x, r.reshape((1, 5))), mx.sym.broadcast_sub(r2, x.slice_axis(0, 0, 1)),
        mx.sym.ones_like(x), mx.sym.zeros_like(x) - 1.0, r3,
        mx.sym.full((2, 3), 7.5)])


def arange_like(mx):
    (x,) = _v(mx, "data")
    return mx.sym.Group([mx.sym.contrib.arange_like(x, axis=1),
                         mx.sym.contrib.arange_like(x, start=2.0, step=0.5)])


def softmaxes(mx):
    x, img = _v(mx, "data", "img")  # (N, 6), (N, 4, 3, 3)
    return mx.sym.Group([
        mx.sym.softmax(x), mx.sym.softmax(img, axis=1), mx.sym.softmax(x, temperature=2.5),
        mx.sym.log_softmax(x), mx.sym.log_softmax(img, axis=-1),
        mx.sym.SoftmaxActivation(img, mode="instance", name="sa_inst"),
        mx.sym.SoftmaxActivation(img, mode="channel", name="sa_chan"),
        mx.sym.SoftmaxActivation(x, name="sa_2d")])


def where_clip(mx):
    c, x, y = _v(mx, "cond", "data", "other")
    return mx.sym.Group([mx.sym.where(c, x, y), mx.sym.where(x > 0, x, y * 0.1),
                         mx.sym.clip(x, -0.5, 0.7), mx.sym.clip(x, a_min=0.0, a_max=1e9)])


def broadcasts(mx):
    a, b, c = _v(mx, "a", "b", "c")  # (N, 3, 4), (N, 1, 4), (1, 3, 1)
    outs = [f(a, b) for f in (mx.sym.broadcast_add, mx.sym.broadcast_sub, mx.sym.broadcast_mul,
                              mx.sym.broadcast_maximum, mx.sym.broadcast_minimum,
                              mx.sym.broadcast_lesser, mx.sym.broadcast_greater)]
    outs.append(mx.sym.broadcast_div(a, mx.sym.abs(c) + 1.0))
    outs.append(mx.sym.broadcast_power(mx.sym.abs(a) + 0.5, c))
    outs.append(mx.sym.broadcast_axis(b, axis=1, size=3))
    outs.append(mx.sym.broadcast_axes(c, axis=(0, 2), size=(2, 4)))
    outs.append(mx.sym.broadcast_to(c, shape=(2, 0, 4)))
    outs.append(mx.sym.broadcast_like(b, a))
    outs.append(mx.sym.broadcast_like(c, a, lhs_axes=(2,), rhs_axes=(2,)))
    return mx.sym.Group(outs)


def deconvolution(mx):
    (x,) = _v(mx, "data")  # (N, 4, 5, 5)
    return mx.sym.Group([
        mx.sym.Deconvolution(x, kernel=(4, 4), stride=(2, 2), pad=(1, 1), num_filter=3,
                             name="deconv_s2"),
        mx.sym.Deconvolution(x, kernel=(3, 3), stride=(2, 2), pad=(1, 1), adj=(1, 1),
                             num_filter=2, no_bias=True, name="deconv_adj"),
        mx.sym.Deconvolution(x, kernel=(3, 3), stride=(2, 2), target_shape=(11, 11),
                             num_filter=2, name="deconv_target"),
        mx.sym.Deconvolution(x, kernel=(2, 2), stride=(2, 2), num_filter=4, num_group=2,
                             name="deconv_group")])


def deformable_convolution(mx):
    x, fed = _v(mx, "data", "offset")  # (N, 4, 7, 7), (N, 48, 5, 4)
    dcn = mx.sym.contrib.DeformableConvolution
    off = mx.sym.Convolution(x, kernel=(3, 3), pad=(1, 1), num_filter=18, name="dcn_off")
    off2 = mx.sym.Convolution(x, kernel=(3, 3), stride=(2, 2), dilate=(2, 2), pad=(1, 1),
                              num_filter=36, name="dcn_off_s2")
    return mx.sym.Group([
        dcn(x, off, kernel=(3, 3), pad=(1, 1), num_filter=5, name="dcn"),
        dcn(x, mx.sym.round(off), kernel=(3, 3), pad=(1, 1), num_filter=3, name="dcn_whole"),
        dcn(x, off2, kernel=(3, 3), stride=(2, 2), dilate=(2, 2), pad=(1, 1), num_filter=4,
            num_group=2, num_deformable_group=2, no_bias=True, name="dcn_s2_groups"),
        dcn(x, fed * 3, kernel=(2, 3), stride=(1, 2), dilate=(2, 1), pad=(0, 1), num_filter=8,
            num_group=4, num_deformable_group=4, name="dcn_fed")])


def modulated_deformable_convolution(mx):
    (x,) = _v(mx, "data")  # (N, 4, 7, 7)
    mdcn = mx.sym.contrib.ModulatedDeformableConvolution
    off = mx.sym.Convolution(x, kernel=(3, 3), pad=(1, 1), num_filter=18, name="mdcn_off")
    mask = mx.sym.sigmoid(mx.sym.Convolution(x, kernel=(3, 3), pad=(1, 1), num_filter=9,
                                             name="mdcn_mask"))
    off2 = mx.sym.Convolution(x, kernel=(3, 3), stride=(2, 2), dilate=(2, 2), pad=(1, 1),
                              num_filter=36, name="mdcn_off_s2")
    mask2 = mx.sym.sigmoid(mx.sym.Convolution(x, kernel=(3, 3), stride=(2, 2), dilate=(2, 2),
                                              pad=(1, 1), num_filter=18, name="mdcn_mask_s2"))
    return mx.sym.Group([
        mdcn(x, off, mask, kernel=(3, 3), pad=(1, 1), num_filter=5, name="mdcn"),
        mdcn(x, mx.sym.round(off), mask, kernel=(3, 3), pad=(1, 1), num_filter=3,
             name="mdcn_whole"),
        mdcn(x, off2, mask2, kernel=(3, 3), stride=(2, 2), dilate=(2, 2), pad=(1, 1),
             num_filter=4, num_group=2, num_deformable_group=2, no_bias=True,
             name="mdcn_s2_groups")])


def psroi_pooling(mx):
    x, rois = _v(mx, "data", "rois")  # (N, 18, 12, 12), (R, 5) in 24x24 image coordinates
    ps = mx.sym.contrib.PSROIPooling
    return mx.sym.Group([
        ps(x, rois, spatial_scale=0.5, output_dim=2, pooled_size=3, name="psroi"),
        ps(x, rois, spatial_scale=0.5, output_dim=2, pooled_size=2, group_size=3,
           name="psroi_group3"),
        ps(x, rois, spatial_scale=0.25, output_dim=4, pooled_size=4, group_size=2,
           name="psroi_fine"),
        ps(x, rois, spatial_scale=1.0, output_dim=2, pooled_size=3, name="psroi_outside")])


def deformable_psroi_pooling(mx):
    # (N, 18, 12, 12), (R, 5) in 24x24 image coordinates, (R, 2, 3, 3), (R, 4, 2, 2)
    x, rois, trans, trans_cls = _v(mx, "data", "rois", "trans", "trans_cls")
    dps = mx.sym.contrib.DeformablePSROIPooling
    return mx.sym.Group([
        dps(x, rois, spatial_scale=0.5, output_dim=2, group_size=3, pooled_size=3,
            sample_per_part=2, no_trans=True, name="dpsroi_notrans"),
        dps(x, rois, trans, spatial_scale=0.5, output_dim=2, group_size=3, pooled_size=3,
            sample_per_part=2, trans_std=0.3, name="dpsroi"),
        dps(x, rois, trans_cls, spatial_scale=0.5, output_dim=4, group_size=2, pooled_size=4,
            part_size=2, trans_std=0.5, name="dpsroi_classes"),
        dps(x, rois, spatial_scale=1.0, output_dim=2, group_size=3, pooled_size=3,
            sample_per_part=3, no_trans=True, name="dpsroi_outside")])


def unary_math(mx):
    x, p = _v(mx, "data", "pos")
    return mx.sym.Group([
        mx.sym.exp(x), mx.sym.log(p), mx.sym.sqrt(p), mx.sym.erf(x), mx.sym.sigmoid(x),
        mx.sym.relu(x), mx.sym.tanh(x), mx.sym.abs(x), mx.sym.square(x), mx.sym.rsqrt(p),
        mx.sym.log1p(p), mx.sym.expm1(x), mx.sym.sin(x), mx.sym.cos(x), mx.sym.floor(x * 3),
        mx.sym.ceil(x * 3), mx.sym.round(x * 3), mx.sym.sign(x), mx.sym.reciprocal(p),
        mx.sym.negative(x), mx.sym.log2(p), mx.sym.log10(p), mx.sym.softsign(x),
        mx.sym.erfinv(mx.sym.clip(x, -0.9, 0.9)), mx.sym.cbrt(x), mx.sym.hard_sigmoid(x),
        mx.sym.identity(x), mx.sym.relu(x).__pow__(p)])


def embedding(mx):
    (i,) = _v(mx, "tokens")
    e = mx.sym.Embedding(i, input_dim=11, output_dim=4, name="embed")
    return mx.sym.Group([e, mx.sym.FullyConnected(e, num_hidden=3, flatten=False, name="proj")])


def reductions(mx):
    (x,) = _v(mx, "data")  # (N, 3, 4, 2)
    return mx.sym.Group([
        mx.sym.mean(x), mx.sym.mean(x, axis=1), mx.sym.mean(x, axis=(2, 3), keepdims=True),
        mx.sym.sum(x, axis=1, exclude=True), mx.sym.sum(x, axis=-1), mx.sym.sum(x, keepdims=True),
        mx.sym.max(x, axis=2), mx.sym.min(x, axis=(1, 2)), mx.sym.prod(x, axis=3),
        mx.sym.norm(x, axis=1), mx.sym.norm(x, ord=1, axis=(2, 3), keepdims=True),
        mx.sym.argmax(x, axis=1), mx.sym.argmin(x, axis=-1, keepdims=True), mx.sym.nansum(x, axis=2),
        mx.sym.mean(x, axis=(1, 3), exclude=True, keepdims=True)])


def cast_copy(mx):
    (x,) = _v(mx, "data")
    i = mx.sym.Cast(x * 4.0, dtype="int32")
    return mx.sym.Group([mx.sym.Cast(i, dtype="float32"),
                         mx.sym.Cast(mx.sym.Cast(x, dtype="float16"), dtype="float32"),
                         mx.sym.identity(x + 1.0), mx.sym.BlockGrad(x)])


def upsampling(mx):
    x, w = _v(mx, "data", "up_weight")  # (N, 3, 4, 5)
    return mx.sym.Group([
        mx.sym.UpSampling(x, scale=2, sample_type="nearest", name="up_nearest"),
        mx.sym.UpSampling(x, scale=3, sample_type="nearest", num_args=1, name="up_nearest3"),
        mx.sym.UpSampling(x, w, scale=2, sample_type="bilinear", num_filter=3, name="up_bilinear")])


def normalizations(mx):
    x, s = _v(mx, "data", "seq")  # (N, 3, 4, 5), (N, 5, 6)
    return mx.sym.Group([
        mx.sym.L2Normalization(x, mode="instance", name="l2_inst"),
        mx.sym.L2Normalization(x, mode="channel", name="l2_chan"),
        mx.sym.L2Normalization(x, mode="spatial", eps=1e-3, name="l2_spat"),
        mx.sym.LRN(x, nsize=3, alpha=1e-2, beta=0.75, knorm=2.0, name="lrn"),
        mx.sym.LayerNorm(s, name="ln_last"),
        mx.sym.LayerNorm(x, axis=1, eps=1e-3, name="ln_axis1"),
        mx.sym.InstanceNorm(x, name="instnorm"),
        mx.sym.GroupNorm(x, num_groups=3, name="groupnorm")])


def spatial_transformer(mx):
    x, loc, flow, grid = _v(mx, "data", "loc", "flow", "grid")
    # (N, 3, 6, 7), (N, 6), (N, 2, 5, 4), (N, 2, 4, 5)
    affine = mx.sym.GridGenerator(loc, transform_type="affine", target_shape=(4, 5),
                                  name="grid_affine")
    warp = mx.sym.GridGenerator(flow * 2.0, transform_type="warp", name="grid_warp")
    fc_loc = mx.sym.tanh(mx.sym.FullyConnected(mx.sym.flatten(x), num_hidden=6, name="loc_fc"))
    return mx.sym.Group([
        affine, warp,
        mx.sym.BilinearSampler(x, grid, name="sample_grid"),
        mx.sym.BilinearSampler(x, affine, cudnn_off=True, name="sample_affine"),
        mx.sym.BilinearSampler(x, warp, name="sample_warp"),
        mx.sym.SpatialTransformer(x, loc, target_shape=(3, 8), transform_type="affine",
                                  sampler_type="bilinear", name="st_loc"),
        mx.sym.SpatialTransformer(x, fc_loc, target_shape=(9, 5), transform_type="affine",
                                  sampler_type="bilinear", cudnn_off=True, name="st_fc")])


def batch_dot_ops(mx):
    a, b, m = _v(mx, "a", "b", "m")  # (N, 3, 4), (N, 4, 5), (4, 6)
    return mx.sym.Group([
        mx.sym.batch_dot(a, b), mx.sym.batch_dot(b, a, transpose_a=True, transpose_b=True),
        mx.sym.batch_dot(a, a, transpose_b=True), mx.sym.dot(a, m),
        mx.sym.dot(m, m, transpose_a=True), mx.sym.linalg.gemm2(a, b, alpha=0.5),
        mx.sym.contrib.div_sqrt_dim(a)])


def sequence_mask(mx):
    x, n = _v(mx, "data", "lengths")  # (T=5, N, 3), (N,)
    xb = mx.sym.swapaxes(x, 0, 1)
    return mx.sym.Group([
        mx.sym.SequenceMask(x, n, use_sequence_length=True, value=-2.0, name="mask_t"),
        mx.sym.SequenceMask(xb, n, use_sequence_length=True, axis=1, name="mask_b"),
        mx.sym.SequenceMask(x, use_sequence_length=False, name="mask_off"),
        mx.sym.SequenceLast(x, n, use_sequence_length=True, name="last"),
        mx.sym.SequenceReverse(x, n, use_sequence_length=True, name="rev")])


def index_ops(mx):
    x, idx, nd, cls, pidx = _v(mx, "data", "idx", "nd_idx", "cls", "pidx")
    # (N, 5, 3), (N,), (2, 4), (N, 2), (N, 5)
    return mx.sym.Group([
        mx.sym.gather_nd(x, nd), mx.sym.one_hot(cls, depth=6),
        mx.sym.one_hot(cls, depth=4, on_value=2.0, off_value=-1.0),
        mx.sym.pick(x, pidx, axis=2), mx.sym.pick(x, pidx, axis=-1, keepdims=True, mode='wrap'),
        mx.sym.take(x, idx, axis=1), mx.sym.take(x, cls, axis=2, mode="wrap"),
        mx.sym.Embedding(cls, mx.sym.var("table"), input_dim=6, output_dim=2, name="emb")])


def sorting(mx):
    (x,) = _v(mx, "data")  # (N, 4, 6)
    return mx.sym.Group([
        mx.sym.argsort(x), mx.sym.argsort(x, axis=1, is_ascend=False),
        mx.sym.sort(x, axis=-1, is_ascend=False), mx.sym.topk(x, k=2, ret_typ="value"),
        mx.sym.topk(x, k=3, axis=1, ret_typ="indices"), mx.sym.argsort(x, axis=None)])


def shape_array(mx):
    (x,) = _v(mx, "data")  # (N, 3, 4)
    return mx.sym.Group([mx.sym.shape_array(x), mx.sym.size_array(x),
                         mx.sym.Cast(mx.sym.shape_array(x), dtype="float32") * 2.0])


def contrib_resize(mx):
    x, like = _v(mx, "data", "like")  # (N, 3, 5, 6), (N, 1, 7, 9)
    return mx.sym.Group([
        mx.sym.contrib.BilinearResize2D(x, height=9, width=8, name="resize_hw"),
        mx.sym.contrib.BilinearResize2D(x, scale_height=2.0, scale_width=0.5, mode="odd_scale",
                                        name="resize_scale"),
        mx.sym.contrib.BilinearResize2D(x, like, mode="like", name="resize_like"),
        mx.sym.contrib.BilinearResize2D(x, height=3, width=12, align_corners=False,
                                        name="resize_noalign"),
        mx.sym.contrib.AdaptiveAvgPooling2D(x, output_size=(2, 4), name="aap"),
        mx.sym.contrib.AdaptiveAvgPooling2D(x, output_size=1, name="aap1"),
        mx.sym.contrib.AdaptiveAvgPooling2D(x, output_size=(4, 3), name="aap_up")])


def roi_align(mx):
    x, rois = _v(mx, "data", "rois")  # (N, 3, 12, 12), (R, 5) in 24x24 image coordinates
    return mx.sym.Group([
        mx.sym.contrib.ROIAlign(x, rois, pooled_size=(3, 3), spatial_scale=0.5, sample_ratio=2,
                                name="roialign"),
        mx.sym.contrib.ROIAlign(x, rois, pooled_size=(2, 4), spatial_scale=0.5, sample_ratio=-1,
                                aligned=True, name="roialign_aligned"),
        mx.sym.ROIPooling(x, rois, pooled_size=(2, 2), spatial_scale=0.5, name="roipool")])


def box_nms(mx):
    (b,) = _v(mx, "boxes")  # (N, K, 6): [class, score, x1, y1, x2, y2]
    return mx.sym.Group([
        mx.sym.contrib.box_nms(b, overlap_thresh=0.5, valid_thresh=0.1, topk=-1, coord_start=2,
                               score_index=1, id_index=0, force_suppress=False, name="nms_cls"),
        mx.sym.contrib.box_nms(b, overlap_thresh=0.3, topk=5, coord_start=2, score_index=1,
                               id_index=-1, force_suppress=True, name="nms_all"),
        mx.sym.contrib.box_iou(mx.sym.slice_axis(b, axis=2, begin=2, end=6),
                               mx.sym.slice_axis(b, axis=2, begin=2, end=6), name="iou")])


def multibox(mx):
    feat, cls, loc = _v(mx, "feat", "cls_logits", "loc_pred")  # (N,8,4,4), (N,3,A), (N,A*4)
    anchors = mx.sym.contrib.MultiBoxPrior(feat, sizes=(0.3, 0.6), ratios=(1.0, 2.0, 0.5),
                                           clip=False, name="prior")
    anchors2 = mx.sym.contrib.MultiBoxPrior(feat, sizes=(0.5,), ratios=(1.0,), steps=(0.3, 0.2),
                                            offsets=(0.4, 0.6), clip=True, name="prior_steps")
    prob = mx.sym.softmax(cls, axis=1)
    det = mx.sym.contrib.MultiBoxDetection(prob, loc, anchors, nms_threshold=0.45,
                                           threshold=0.2, nms_topk=20, name="detect")
    det2 = mx.sym.contrib.MultiBoxDetection(prob, loc, anchors, force_suppress=True, clip=False,
                                            variances=(0.1, 0.1, 0.2, 0.2), threshold=0.01,
                                            name="detect_force")
    return mx.sym.Group([anchors, anchors2, det, det2])


def _rpn_inputs(mx):
    """cls_prob, bbox_pred deltas and im_info (N, 3) for a 128 x 128 feature map of stride 16:
    image heights 80-128, widths 100-128, scales 0.5-1.5."""
    prob, deltas, u = _v(mx, "cls_prob", "bbox_pred", "im_u")
    parts = [mx.sym.slice_axis(u, axis=1, begin=i, end=i + 1) for i in range(3)]
    info = mx.sym.Concat(parts[0] * 48 + 80, parts[1] * 28 + 100, parts[2] + 0.5, dim=1)
    return prob, deltas * 0.3, deltas * 4, info


def proposal(mx):
    prob, deltas, offsets, info = _rpn_inputs(mx)
    common = dict(scales=(2, 4), ratios=(0.5, 1, 2), feature_stride=16)
    top = mx.sym.contrib.Proposal(prob, deltas, info, rpn_pre_nms_top_n=200,
                                  rpn_post_nms_top_n=50, threshold=0.7, rpn_min_size=16,
                                  output_score=True, name="rpn_top", **common)
    cycle = mx.sym.contrib.Proposal(prob, offsets, info, rpn_pre_nms_top_n=12,
                                    rpn_post_nms_top_n=20, threshold=0.3, rpn_min_size=8,
                                    iou_loss=True, output_score=True, name="rpn_cycle", **common)
    every = mx.sym.contrib.Proposal(prob, deltas, info, rpn_pre_nms_top_n=-1,
                                    rpn_post_nms_top_n=30, threshold=0.5, name="rpn_all",
                                    **common)
    # 16 anchors: MXNet's std::sort is then an insertion sort, which keeps equal scores in
    # position order as the lowering does, so the score -1 (grown) boxes reach the output
    small = mx.sym.contrib.Proposal(
        mx.sym.slice(prob, begin=(0, 0, 0, 0), end=(None, 4, 2, 4)),
        mx.sym.slice(deltas, begin=(0, 0, 0, 0), end=(None, 8, 2, 4)), info, ratios=(1,),
        scales=(1, 2), feature_stride=64, rpn_pre_nms_top_n=-1, rpn_post_nms_top_n=12,
        threshold=0.6, rpn_min_size=40, output_score=True, name="rpn_small")
    return mx.sym.Group([top[0], top[1], cycle[0], cycle[1], every, small[0], small[1]])


def multi_proposal(mx):
    prob, deltas, offsets, info = _rpn_inputs(mx)
    common = dict(scales=(2, 4), ratios=(0.5, 1, 2), feature_stride=16)
    top = mx.sym.contrib.MultiProposal(prob, deltas, info, rpn_pre_nms_top_n=200,
                                       rpn_post_nms_top_n=40, threshold=0.7, rpn_min_size=16,
                                       output_score=True, name="mrpn_top", **common)
    cycle = mx.sym.contrib.MultiProposal(prob, offsets, info, rpn_pre_nms_top_n=10,
                                         rpn_post_nms_top_n=16, threshold=0.4, iou_loss=True,
                                         name="mrpn_cycle", **common)
    prob12, deltas12 = _v(mx, "cls_prob12", "bbox_pred12")
    defaults = mx.sym.contrib.MultiProposal(prob12, deltas12 * 0.3, info, rpn_post_nms_top_n=25,
                                            name="mrpn_defaults")
    return mx.sym.Group([top[0], top[1], cycle, defaults])


def quantize_ops(mx):
    (x,) = _v(mx, "data")
    q = mx.sym.contrib.quantize_v2(x, out_type="int8", min_calib_range=-2.0, max_calib_range=2.0)
    dq = mx.sym.contrib.dequantize(q[0], q[1], q[2])
    qu = mx.sym.contrib.quantize_v2(x, out_type="uint8", min_calib_range=0.0, max_calib_range=3.0)
    qa = mx.sym.contrib.quantize_v2(x, out_type="int8")
    return mx.sym.Group([dq, mx.sym.contrib.dequantize(qu[0], qu[1], qu[2]),
                         mx.sym.contrib.dequantize(qa[0], qa[1], qa[2]),
                         mx.sym.Cast(q[0], dtype="float32")])


def rnn(mx, mode, layers, bidirectional, hidden=5):
    x = mx.sym.var("data")  # (T, N, C)
    states = [mx.sym.var("state")]
    if mode == "lstm":
        states.append(mx.sym.var("state_cell"))
    out = mx.sym.RNN(x, mx.sym.var("rnn_parameters"), *states, mode=mode, state_size=hidden,
                     num_layers=layers, bidirectional=bidirectional, state_outputs=True,
                     name="rnn")
    return mx.sym.Group([out[i] for i in range(len(states) + 1)])


def rnn_lstm_bi2(mx):
    return rnn(mx, "lstm", 2, True)


def rnn_gru(mx):
    return rnn(mx, "gru", 1, False)


def rnn_gru_bi(mx):
    return rnn(mx, "gru", 2, True, hidden=3)


def rnn_tanh(mx):
    return rnn(mx, "rnn_tanh", 2, False)


def rnn_relu_bi(mx):
    return rnn(mx, "rnn_relu", 1, True)


def rnn_lstm_zero_state(mx):
    """An LSTM without state inputs or state outputs: MXNet starts from zeros."""
    x = mx.sym.var("data")
    return mx.sym.RNN(x, mx.sym.var("rnn_parameters"), mx.sym.zeros((1, 0, 4)),
                      mx.sym.zeros((1, 0, 4)), mode="lstm", state_size=4, num_layers=1,
                      name="rnn")


def small_cnn_checkpoint(mx):
    """The classic Module-era classifier head: conv/bn/relu/pool -> fc -> SoftmaxOutput."""
    x = mx.sym.var("data")
    c = mx.sym.Convolution(x, kernel=(3, 3), pad=(1, 1), num_filter=8, name="conv1")
    b = mx.sym.BatchNorm(c, fix_gamma=False, name="bn1")
    r = mx.sym.Activation(b, act_type="relu", name="relu1")
    p = mx.sym.Pooling(r, kernel=(2, 2), stride=(2, 2), pool_type="max", name="pool1")
    f = mx.sym.FullyConnected(mx.sym.Flatten(p), num_hidden=10, name="fc1")
    return mx.sym.SoftmaxOutput(f, name="softmax")


def add_n(mx):
    """_grad_add has no gradient: BlockGrad lets 1.9.1's SymbolBlock run it."""
    a, b, c, d = _v(mx, "a", "b", "c", "d")
    return mx.sym.Group([mx.sym.add_n(a, b, c, d, a * 3, name="sum5"),
                         mx.sym.add_n(a, b * 1e4, c * 1e-4, name="sum3"),
                         mx.sym.add_n(a * 1e4, b, c * 1e-4, d, name="sum4"),
                         mx.sym.add_n(a, b, name="sum2"),
                         mx.sym.ElementWiseSum(c * 2, name="sum1"),
                         mx.sym.BlockGrad(mx.sym._internal._grad_add(a, d, name="grad_add"))])


def add_n_float16(mx):
    a, b, c = _v(mx, "a", "b", "c")
    return mx.sym.Group([mx.sym.add_n(a, b, c, name="sum3"), mx.sym.add_n(c, a, b, c, name="sum4"),
                         mx.sym.add_n(a, b, c, a, b, name="sum5"), mx.sym.add_n(a, c, name="sum2")])


def svm_output(mx):
    x, s = _v(mx, "data", "seq")
    fc = mx.sym.FullyConnected(x, num_hidden=3, name="fc")
    return mx.sym.Group([
        mx.sym.SVMOutput(fc, name="svm"),
        mx.sym.SVMOutput(s, margin=0.5, regularization_coefficient=2.0, use_linear=True,
                         name="svm3")])


def smooth_l1(mx):
    (x,) = _v(mx, "data")
    x = x * 2
    return mx.sym.Group([mx.sym.smooth_l1(x, name="sl1_default")] +
                        [mx.sym.smooth_l1(x, scalar=s, name=f"sl1_{i}")
                         for i, s in enumerate((1.0, 2.0, 0.5, 0.0, -1.5, 0.3))])


def _scaled_half(mx, h, factor):
    """A float16 array times ``factor``, multiplied in float32 (onnxruntime's float16 Mul can
    differ from MXNet's by an ulp)."""
    return mx.sym.Cast(mx.sym.Cast(h, dtype="float32") * factor, dtype="float16")


def smooth_l1_dtypes(mx):
    h, i, w = _v(mx, "half", "ints", "wide")
    return mx.sym.Group([mx.sym.smooth_l1(_scaled_half(mx, h, 3), scalar=0.3, name="sl1_half"),
                         mx.sym.smooth_l1(h, scalar=2.0, name="sl1_half2"),
                         mx.sym.smooth_l1(i, scalar=1.5, name="sl1_int"),
                         mx.sym.smooth_l1(i, scalar=2.0, name="sl1_int2"),
                         mx.sym.smooth_l1(i, scalar=0.5, name="sl1_int0"),
                         mx.sym.smooth_l1(w * 3, scalar=0.3, name="sl1_wide")])


def amp_casts(mx):
    """What 1.9.1 runs on CPU: its oneDNN kernel of amp_multicast refuses float16 inputs, and
    amp_cast a float32 array to float64 (tests/graphs/test_misc_ops.py checks those dtypes)."""
    x, h, i = _v(mx, "x", "h", "i")
    outs = [mx.sym.amp_cast(x, dtype="float16", name="to_half"),
            mx.sym.amp_cast(h, dtype="float32", name="to_single"),
            mx.sym.amp_cast(h, dtype="float64", name="to_double"),
            mx.sym.amp_cast(h, dtype="float16", name="half_same"),
            mx.sym.amp_cast(i, dtype="float16", name="int_kept"),
            mx.sym.amp_cast(x, dtype="float32", name="single_same")]
    for name, args, narrow in (("x_i", (x, i), False), ("i_x", (i, x), False),
                               ("i_x_narrow", (i, x), True), ("x_i_x_narrow", (x, i, x * 3), True),
                               ("x_x", (x, x * 2), False), ("x_one", (x,), True)):
        multi = mx.sym.amp_multicast(*args, num_outputs=len(args), cast_narrow=narrow,
                                     name="multi_" + name)
        outs += [multi[k] for k in range(len(args))]
    return mx.sym.Group(outs)


def batch_take(mx):
    """batch_take and _grad_add have no gradient: 1.9.1's SymbolBlock refuses them unless
    BlockGrad stops it."""
    a, idx, col = _v(mx, "a", "idx", "col")
    return mx.sym.Group([mx.sym.BlockGrad(mx.sym.batch_take(a, idx, name="take_rows")),
                         mx.sym.BlockGrad(mx.sym.batch_take(a * 2, col, name="take_col"))])


def cumsum_1x(mx):
    x, i = _v(mx, "data", "ints")
    return mx.sym.Group([mx.sym.cumsum(x, name="flat"), mx.sym.cumsum(x, axis=0, name="ax0"),
                         mx.sym.cumsum(x, axis=1, name="ax1"),
                         mx.sym.cumsum(x, axis=2, dtype="float64", name="ax2_f64"),
                         mx.sym.cumsum(i, axis=1, name="ints"),
                         mx.sym.cumsum(i, dtype="float32", name="ints_f32")])


def moments(mx):
    (x,) = _v(mx, "data")
    outs = []
    for name, kw in (("m1", dict(axes=(1,))), ("mlast", dict(axes=(-1,), keepdims=True)),
                     ("mall", dict(axes=(0, 1, 2))), ("m02", dict(axes=(0, 2), keepdims=True))):
        m = mx.sym.moments(x * 3 + 1, name=name, **kw)
        outs += [m[0], m[1]]
    return mx.sym.Group(outs)


def moments_int32(mx):
    (x,) = _v(mx, "data")
    a, b = mx.sym.moments(x, axes=(2,), name="m2"), mx.sym.moments(x, axes=(0, 1), name="m01")
    return mx.sym.Group([a[0], a[1], b[0], b[1]])


def degrees_radians(mx):
    x, big = _v(mx, "data", "big")
    return mx.sym.Group([mx.sym.degrees(x, name="deg"), mx.sym.radians(x * 100, name="rad"),
                         mx.sym.degrees(big, name="deg_big"),
                         mx.sym.radians(big, name="rad_big")])


def degrees_radians_dtypes(mx):
    h, i, w = _v(mx, "half", "ints", "wide")
    return mx.sym.Group([mx.sym.degrees(h, name="deg_half"),
                         mx.sym.radians(_scaled_half(mx, h, 100), name="rad_half"),
                         mx.sym.degrees(i, name="deg_int"), mx.sym.radians(i, name="rad_int"),
                         mx.sym.degrees(w, name="deg_wide"),
                         mx.sym.radians(w * 100, name="rad_wide")])


def unravel_index(mx):
    flat, ints, frac = _v(mx, "flat", "ints", "frac")
    return mx.sym.Group([mx.sym.unravel_index(flat, shape=(7, 6), name="rows_cols"),
                         mx.sym.unravel_index(flat, shape=(-1, 4, 5), name="open_first"),
                         mx.sym.unravel_index(ints, shape=(3, -1, 4), name="int32_minus_one"),
                         mx.sym.unravel_index(frac * 20, shape=(2, 3, 4), name="truncated")])


def box_decode(mx):
    (data,) = _v(mx, "data")
    anchors = mx.sym.var("anchors", shape=(1, 6, 4))
    xy = mx.sym.slice_axis(anchors, axis=2, begin=0, end=2)
    corner = mx.sym.concat(xy, xy + mx.sym.abs(mx.sym.slice_axis(anchors, axis=2, begin=2,
                                                                    end=4)), dim=2)
    decode = mx.sym.contrib.box_decode
    return mx.sym.Group([
        decode(data, anchors, name="center_default"),
        decode(data, corner, std0=0.1, std1=0.1, std2=0.2, std3=0.2, format="corner",
               name="corner_std"),
        decode(data * 3, anchors, clip=1.5, name="center_clip"),
        decode(data * 3, corner, clip=0.0, format="corner", name="clip_zero"),
        decode(data, mx.sym.reshape(anchors, (1, 1, 6, 4)), name="anchors_4d")])


def like_dtype(mx):
    data, ints = _v(mx, "data", "ints")
    return mx.sym.Group([mx.sym.zeros_like(data, dtype="int64", name="zeros_int64"),
                         mx.sym.ones_like(data, dtype="int64", name="ones_int64"),
                         mx.sym.ones_like(ints, dtype="float16", name="ones_int32")])


def roi_align_negative_index(mx):
    x, rois = _v(mx, "data", "rois")  # (N, 3, 12, 12), (6, 5) in 24x24 image coordinates
    keep = mx.sym.reshape(mx.sym.arange(6) % 2, (6, 1))          # rows 1, 3, 5
    index = mx.sym.slice_axis(rois, axis=1, begin=0, end=1) * keep + keep - 1
    rois = mx.sym.concat(index, mx.sym.slice_axis(rois, axis=1, begin=1, end=5), dim=1)
    rows = mx.sym.reshape(keep, (6,))
    outs = [mx.sym.contrib.ROIAlign(x, rois, pooled_size=(3, 3), spatial_scale=0.5,
                                    sample_ratio=2, name="roialign"),
            mx.sym.contrib.ROIAlign(x, rois, pooled_size=(2, 4), spatial_scale=0.5,
                                    sample_ratio=-1, aligned=True, name="roialign_aligned")]
    return mx.sym.Group([mx.sym.where(rows, out, mx.sym.zeros_like(out)) for out in outs])


def kl_sparse_reg(mx):
    x, image = _v(mx, "data", "image")
    hidden = mx.sym.Activation(mx.sym.FullyConnected(x, num_hidden=4, name="encode"),
                               act_type="sigmoid")
    sparse = mx.sym.IdentityAttachKLSparseReg(hidden, sparseness_target=0.05, penalty=0.01,
                                              momentum=0.8, name="sparse")
    decode = mx.sym.FullyConnected(sparse, num_hidden=6, name="decode")
    return mx.sym.Group([decode, mx.sym.IdentityAttachKLSparseReg(image, name="sparse_4d")])


_CORRELATIONS = {  # name: (first pair?, attributes)
    "corr_default": (True, {}),
    "corr_flownetc": (True, dict(kernel_size=1, max_displacement=4, stride2=2, pad_size=4)),
    "corr_kernel3": (True, dict(kernel_size=3, max_displacement=2, pad_size=3)),
    "corr_strided": (True, dict(kernel_size=3, max_displacement=3, stride1=2, stride2=2,
                                pad_size=2)),
    "corr_ceil": (True, dict(max_displacement=2, stride1=3)),
    "corr_radius1": (True, dict(max_displacement=3, stride2=2, pad_size=1)),
    "corr_oblong": (False, dict(kernel_size=3, max_displacement=2, stride1=2, pad_size=1)),
}


def _correlations(mx, names, **extra):
    a, b, c, d = _v(mx, "a", "b", "c", "d")
    outs = []
    for name in names:
        square, attrs = _CORRELATIONS[name]
        first, second = (a, b) if square else (c, d)
        outs.append(mx.sym.Correlation(first, second, name=name, **attrs, **extra))
    return mx.sym.Group(outs)


def correlation(mx):
    return _correlations(mx, list(_CORRELATIONS))


def correlation_abs(mx):
    return _correlations(mx, ["corr_flownetc", "corr_strided", "corr_oblong"], is_multiply=False)
