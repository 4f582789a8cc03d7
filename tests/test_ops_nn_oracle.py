"""Edge cases of the neural-network / vision / detection / int8 ops, each a tiny ``mx.sym``
graph run in MXNet 1.9.1 (one oracle process for all) and by gluonbridge on both backends.

The oracle builds each graph, makes its inputs (seeded generators, below) and returns the
symbol JSON, the inputs and MXNet's outputs; gluonbridge reads the JSON into its graph IR,
lowers it (variables named in ``params`` become initializers) and must match within ``rtol``
of each output's max abs (tests/graphs/compare.py). ``REFUSED`` lists graphs MXNet runs but
the lowering cannot reproduce exactly: they must raise LoweringError naming the op.
"""
from __future__ import annotations

import json

import numpy as np
import pytest

from tests import backends
from tests.graphs.compare import assert_close

pytestmark = pytest.mark.oracle

# id: (expression over mx and the variables v, {input: (shape, generator)}, params, rtol)
CASES = {
    "pool_sum_pad": ("mx.sym.Pooling(v['x'], kernel=(3, 3), stride=(2, 2), pad=(1, 1), "
                     "pool_type='sum')", {"x": ((2, 3, 7, 6), "normal")}, (), 1e-5),
    "pool_sum_full": ("mx.sym.Pooling(v['x'], kernel=(2, 3), stride=(2, 2), pool_type='sum', "
                      "pooling_convention='full')", {"x": ((2, 3, 7, 6), "normal")}, (), 1e-5),
    "pool_lp1": ("mx.sym.Pooling(v['x'], kernel=(2, 2), stride=(1, 1), pool_type='lp', "
                 "p_value=1)", {"x": ((1, 2, 5, 5), "normal")}, (), 1e-5),
    "pool_lp2_pad_full": ("mx.sym.Pooling(v['x'], kernel=(3, 3), stride=(2, 2), pad=(1, 1), "
                          "pool_type='lp', p_value=2, pooling_convention='full')",
                          {"x": ((1, 2, 6, 6), "normal")}, (), 1e-5),
    "pool_lp3": ("mx.sym.Pooling(v['x'], kernel=(2, 2), stride=(2, 2), pool_type='lp', "
                 "p_value=3)", {"x": ((1, 2, 6, 6), "normal")}, (), 1e-5),
    "pool_global_sum": ("mx.sym.Pooling(v['x'], kernel=(1, 1), global_pool=True, "
                        "pool_type='sum')", {"x": ((2, 3, 4, 5), "normal")}, (), 1e-5),
    "pool_global_lp2": ("mx.sym.Pooling(v['x'], kernel=(1, 1), global_pool=True, "
                        "pool_type='lp', p_value=2)", {"x": ((2, 3, 4, 5), "normal")}, (), 1e-5),
    "pool_1d_sum": ("mx.sym.Pooling(v['x'], kernel=(3,), stride=(2,), pad=(1,), "
                    "pool_type='sum')", {"x": ((2, 3, 9), "normal")}, (), 1e-5),
    "pool_3d_avg_nopad": ("mx.sym.Pooling(v['x'], kernel=(2, 3, 3), stride=(2, 2, 2), "
                          "pad=(1, 1, 1), pool_type='avg', count_include_pad=False)",
                          {"x": ((1, 2, 5, 6, 6), "normal")}, (), 1e-5),
    "pool_3d_max_full": ("mx.sym.Pooling(v['x'], kernel=(2, 2, 2), stride=(2, 2, 2), "
                         "pool_type='max', pooling_convention='full')",
                         {"x": ((1, 2, 5, 5, 3), "normal")}, (), 1e-5),
    "rrelu": ("mx.sym.LeakyReLU(v['x'], act_type='rrelu', lower_bound=0.2, upper_bound=0.5)[0]",
              {"x": ((3, 7), "normal")}, (), 1e-6),
    "softmax_length_last": ("mx.sym.softmax(v['x'], v['n'], axis=-1, use_length=True)",
                            {"x": ((2, 3, 5), "normal"), "n": ((2, 3), "int32:0:6")}, (), 1e-6),
    "softmax_length_axis1": ("mx.sym.softmax(v['x'], v['n'], axis=1, use_length=True, "
                             "temperature=0.5)",
                             {"x": ((2, 4, 3), "normal"), "n": ((2, 3), "int32:0:5")}, (), 1e-6),
    "softmin_temp": ("mx.sym.softmin(v['x'], axis=1, temperature=3.0)",
                     {"x": ((2, 4, 3), "normal")}, (), 1e-6),
    "softmax_float64": ("mx.sym.softmax(v['x'], dtype='float64')",
                        {"x": ((2, 5), "normal")}, (), 1e-6),
    "log_softmax_temp": ("mx.sym.log_softmax(v['x'], axis=0, temperature=2.0)",
                         {"x": ((3, 4), "normal")}, (), 1e-6),
    "softmax_act_instance_3d": ("mx.sym.SoftmaxActivation(v['x'], mode='instance')",
                                {"x": ((2, 3, 4), "normal")}, (), 1e-6),
    "deconv_target_natural": ("mx.sym.Deconvolution(v['x'], v['w'], kernel=(3, 3), "
                              "stride=(2, 3), target_shape=(9, 12), num_filter=2)",
                              {"x": ((2, 3, 4, 4), "normal"), "w": ((3, 2, 3, 3), "normal")},
                              ("w",), 1e-5),
    "deconv_1d_adj": ("mx.sym.Deconvolution(v['x'], v['w'], v['b'], kernel=(3,), stride=(2,), "
                      "pad=(1,), adj=(1,), num_filter=2, no_bias=False)",
                      {"x": ((2, 3, 5), "normal"), "w": ((3, 2, 3), "normal"),
                       "b": ((2,), "normal")}, ("w", "b"), 1e-5),
    "deconv_groups3": ("mx.sym.Deconvolution(v['x'], v['w'], kernel=(2, 2), stride=(1, 1), "
                       "num_filter=3, num_group=3)",
                       {"x": ((1, 3, 4, 4), "normal"), "w": ((3, 1, 2, 2), "normal")},
                       ("w",), 1e-5),
    "upsampling_concat": ("mx.sym.UpSampling(v['a'], v['b'], scale=2, sample_type='nearest', "
                          "num_args=2)",
                          {"a": ((2, 2, 4, 6), "normal"), "b": ((2, 3, 2, 3), "normal")}, (),
                          1e-6),
    "upsampling_sum": ("mx.sym.UpSampling(v['a'], v['b'], scale=2, sample_type='nearest', "
                       "num_args=2, multi_input_mode='sum')",
                       {"a": ((1, 2, 2, 2), "normal"), "b": ((1, 2, 4, 4), "normal")}, (), 1e-6),
    "upsampling_bilinear3": ("mx.sym.UpSampling(v['x'], v['w'], scale=3, "
                             "sample_type='bilinear', num_filter=2)",
                             {"x": ((1, 2, 3, 4), "normal"), "w": ((2, 1, 5, 5), "normal")},
                             ("w",), 1e-5),
    "l2norm_channel_3d": ("mx.sym.L2Normalization(v['x'], mode='channel')",
                          {"x": ((2, 4, 5), "normal")}, (), 1e-6),
    "l2norm_instance_2d": ("mx.sym.L2Normalization(v['x'], mode='instance', eps=0.5)",
                           {"x": ((3, 4), "normal")}, (), 1e-6),
    "lrn5": ("mx.sym.LRN(v['x'], nsize=5, alpha=0.3, beta=0.5, knorm=1.0)",
             {"x": ((2, 7, 3, 2), "normal")}, (), 1e-5),
    "groupnorm_per_group": ("mx.sym.GroupNorm(v['x'], v['g'], v['b'], num_groups=2, eps=1e-3)",
                            {"x": ((2, 4, 3, 3), "normal"), "g": ((2,), "normal"),
                             "b": ((2,), "normal")}, ("g", "b"), 1e-5),
    "instancenorm_3d": ("mx.sym.InstanceNorm(v['x'], v['g'], v['b'], eps=1e-2)",
                        {"x": ((2, 3, 6), "normal"), "g": ((3,), "normal"),
                         "b": ((3,), "normal")}, ("g", "b"), 1e-5),
    "resize_to_even_up": ("mx.sym.contrib.BilinearResize2D(v['x'], mode='to_even_up')",
                          {"x": ((1, 2, 5, 7), "normal")}, (), 1e-5),
    "resize_to_odd_down": ("mx.sym.contrib.BilinearResize2D(v['x'], mode='to_odd_down')",
                           {"x": ((1, 2, 6, 7), "normal")}, (), 1e-5),
    "resize_scale_size": ("mx.sym.contrib.BilinearResize2D(v['x'], scale_height=1.7, "
                          "scale_width=0.6)", {"x": ((1, 2, 5, 7), "normal")}, (), 1e-5),
    "resize_noalign_up": ("mx.sym.contrib.BilinearResize2D(v['x'], height=11, width=4, "
                          "align_corners=False)", {"x": ((2, 1, 4, 3), "normal")}, (), 1e-5),
    "resize_to_one": ("mx.sym.contrib.BilinearResize2D(v['x'], height=1, width=1)",
                      {"x": ((1, 2, 4, 3), "normal")}, (), 1e-5),
    "adaptive_3x5": ("mx.sym.contrib.AdaptiveAvgPooling2D(v['x'], output_size=(3, 5))",
                     {"x": ((2, 2, 7, 11), "normal")}, (), 1e-5),
    "roialign_ratio1": ("mx.sym.contrib.ROIAlign(v['x'], v['r'], pooled_size=(2, 3), "
                        "spatial_scale=0.25, sample_ratio=1)",
                        {"x": ((2, 3, 8, 8), "normal"), "r": ((5, 5), "rois:40")}, (), 1e-5),
    "roialign_adaptive_aligned": ("mx.sym.contrib.ROIAlign(v['x'], v['r'], pooled_size=(3, 2), "
                                  "spatial_scale=0.5, sample_ratio=0, aligned=True)",
                                  {"x": ((2, 2, 9, 7), "normal"), "r": ((4, 5), "rois:20")}, (),
                                  1e-5),
    "roipooling_outside": ("mx.sym.ROIPooling(v['x'], v['r'], pooled_size=(3, 3), "
                           "spatial_scale=0.5)",
                           {"x": ((2, 2, 6, 6), "normal"), "r": ((4, 5), "rois:20")}, (), 1e-6),
    "box_nms_center_bg": ("mx.sym.contrib.box_nms(v['b'], overlap_thresh=0.2, coord_start=2, "
                          "score_index=1, id_index=0, background_id=1, in_format='center', "
                          "out_format='center')", {"b": ((2, 20, 6), "boxes")}, (), 1e-6),
    "box_nms_2d_topk": ("mx.sym.contrib.box_nms(v['b'], overlap_thresh=0.1, topk=7, "
                        "valid_thresh=0.3, coord_start=0, score_index=4, id_index=-1)",
                        {"b": ((40, 5), "boxes_last")}, (), 1e-6),
    # topk < K: the NMS runs on the topk best boxes only, the rest become rows of -1
    "box_nms_ids_topk": ("mx.sym.contrib.box_nms(v['b'], overlap_thresh=0.3, topk=6, "
                         "valid_thresh=0.2, coord_start=2, score_index=1, id_index=0)",
                         {"b": ((2, 25, 6), "boxes")}, (), 1e-6),
    "box_nms_topk_one": ("mx.sym.contrib.box_nms(v['b'], overlap_thresh=0.3, topk=1, "
                         "coord_start=2, score_index=1, id_index=0, force_suppress=True)",
                         {"b": ((3, 9, 6), "boxes")}, (), 1e-6),
    "box_nms_topk_beyond": ("mx.sym.contrib.box_nms(v['b'], overlap_thresh=0.2, topk=40, "
                            "coord_start=2, score_index=1, id_index=0)",
                            {"b": ((2, 25, 6), "boxes")}, (), 1e-6),
    "box_iou_center": ("mx.sym.contrib.box_iou(v['a'], v['c'], format='center')",
                       {"a": ((3, 4), "uniform"), "c": ((2, 2, 4), "uniform")}, (), 1e-5),
    "multibox_prior_default": ("mx.sym.contrib.MultiBoxPrior(v['x'])",
                               {"x": ((1, 2, 3, 5), "normal")}, (), 1e-6),
    "multibox_detection_topk": (
        "mx.sym.contrib.MultiBoxDetection(mx.sym.softmax(v['c'], axis=1), v['l'], "
        "mx.sym.contrib.MultiBoxPrior(v['f'], sizes=(0.4, 0.7), ratios=(1.0, 2.0)), "
        "nms_topk=9, threshold=0.3, nms_threshold=0.3)",
        {"c": ((2, 4, 27), "normal"), "l": ((2, 108), "normal"), "f": ((2, 1, 3, 3), "normal")},
        (), 1e-5),
    "multibox_detection_topk_one_force": (
        "mx.sym.contrib.MultiBoxDetection(mx.sym.softmax(v['c'], axis=1), v['l'], "
        "mx.sym.contrib.MultiBoxPrior(v['f'], sizes=(0.4, 0.7), ratios=(1.0, 2.0)), "
        "nms_topk=1, threshold=0.2, nms_threshold=0.4, force_suppress=True)",
        {"c": ((2, 4, 27), "normal"), "l": ((2, 108), "normal"), "f": ((2, 1, 3, 3), "normal")},
        (), 1e-5),
    "multibox_detection_topk_beyond": (
        "mx.sym.contrib.MultiBoxDetection(mx.sym.softmax(v['c'], axis=1), v['l'], "
        "mx.sym.contrib.MultiBoxPrior(v['f'], sizes=(0.4, 0.7), ratios=(1.0, 2.0)), "
        "nms_topk=50, threshold=0.3, nms_threshold=0.3)",
        {"c": ((2, 4, 27), "normal"), "l": ((2, 108), "normal"), "f": ((2, 1, 3, 3), "normal")},
        (), 1e-5),
    "multibox_detection_no_nms": (
        "mx.sym.contrib.MultiBoxDetection(mx.sym.softmax(v['c'], axis=1), v['l'], "
        "mx.sym.contrib.MultiBoxPrior(v['f'], sizes=(0.5,)), nms_threshold=0.0, clip=False)",
        {"c": ((2, 3, 9), "normal"), "l": ((2, 36), "normal"), "f": ((2, 1, 3, 3), "normal")},
        (), 1e-5),
    "quantize_auto_uint8": (
        "mx.sym.contrib.dequantize(*[mx.sym.contrib.quantize_v2(v['x'], out_type='auto', "
        "min_calib_range=0.0, max_calib_range=1.5)[i] for i in range(3)])",
        {"x": ((3, 8), "uniform")}, (), 1e-6),
    "quantize_auto_uncalibrated": (   # int8 (not uint8) although every value is positive
        "mx.sym.Cast(mx.sym.contrib.quantize_v2(v['x'], out_type='auto')[0], dtype='float32')",
        {"x": ((2, 9), "uniform")}, (), 0.0),
    "requantize_uncalibrated": (     # the new range found in the int32 data
        "mx.sym.contrib.requantize(v['x'], v['lo'], v['hi'])",
        {"x": ((3, 7), "int32:-200000000:200000000"), "lo": ((1,), "uniform"),
         "hi": ((1,), "uniform")}, (), 0.0),
    "requantize_calibrated_uint8": (
        "mx.sym.contrib.requantize(v['x'], v['lo'], v['hi'], out_type='auto', "
        "min_calib_range=0.0, max_calib_range=0.02)",
        {"x": ((3, 7), "int32:-200000000:200000000"), "lo": ((1,), "uniform"),
         "hi": ((1,), "uniform")}, (), 0.0),
    "quantize_int8_runtime": (
        "mx.sym.Cast(mx.sym.contrib.quantize_v2(v['x'], out_type='int8')[0], dtype='float32')",
        {"x": ((2, 9), "normal")}, (), 0.0),
}

REFUSED = {
    "roialign_position_sensitive": (
        "mx.sym.contrib.ROIAlign(v['x'], v['r'], pooled_size=(2, 2), spatial_scale=1.0, "
        "position_sensitive=True)", {"x": ((1, 8, 6, 6), "normal"), "r": ((2, 5), "rois:6")},
        "_contrib_ROIAlign"),
    "lrn_even": ("mx.sym.LRN(v['x'], nsize=2)", {"x": ((1, 4, 2, 2), "normal")}, "LRN"),
}

_ORACLE = r'''
import json
import zlib
import numpy as np
import mxnet as mx

def gen(kind, shape, rng, batch):
    if kind == "normal":
        return rng.standard_normal(shape).astype(np.float32)
    if kind == "uniform":
        return rng.uniform(0.05, 1.0, shape).astype(np.float32)
    if kind.startswith("int32:"):
        lo, hi = map(int, kind[6:].split(":"))
        return rng.randint(lo, hi, shape).astype(np.int32)
    if kind.startswith("rois:"):
        size = float(kind[5:])
        r = np.zeros(shape, np.float32)
        r[:, 0] = rng.randint(0, batch, shape[0])
        xy = rng.uniform(-0.2 * size, 1.1 * size, (shape[0], 2))
        wh = rng.uniform(0.1 * size, 0.8 * size, (shape[0], 2))
        r[:, 1:3], r[:, 3:5] = xy, xy + wh
        return r
    if kind in ("boxes", "boxes_last"):
        b = np.zeros(shape, np.float32)
        lead = shape[:-1]
        xy = rng.uniform(0, 0.7, lead + (2,))
        wh = rng.uniform(0.1, 0.5, lead + (2,))
        corners = np.concatenate([xy, xy + wh], -1)
        if kind == "boxes":
            b[..., 0] = rng.randint(0, 3, lead)
            b[..., 1] = rng.uniform(0, 1, lead)
            b[..., 2:6] = corners
        else:
            b[..., 0:4] = corners
            b[..., 4] = rng.uniform(0, 1, lead)
        return b
    raise ValueError(kind)

result = {}
for key, (expr, inputs) in CASES.items():
    rng = np.random.RandomState(zlib.crc32(key.encode()))
    batch = next(iter(inputs.values()))[0][0]
    arrays = {n: gen(k, tuple(s), rng, batch) for n, (s, k) in inputs.items()}
    v = {n: mx.sym.var(n) for n in inputs}
    try:
        sym = eval(expr)
        feed = {n: mx.nd.array(a, dtype=a.dtype) for n, a in arrays.items()}
        outs = sym.eval(ctx=mx.cpu(), **feed)
        result[key] = {"json": sym.tojson(), "inputs": {n: a.tolist() for n, a in arrays.items()},
                       "in_dtypes": {n: a.dtype.name for n, a in arrays.items()},
                       "outputs": [o.asnumpy().astype(np.float64).tolist() for o in outs],
                       "dtypes": [np.dtype(o.dtype).name for o in outs]}
    except Exception as exc:
        result[key] = {"error": str(exc)[:300]}
'''


@pytest.fixture(scope="module")
def oracle_runs(mx1):
    cases = {k: (c[0], {n: (list(s), g) for n, (s, g) in c[1].items()})
             for k, c in list(CASES.items()) + list(REFUSED.items())}
    return mx1.run(f"CASES = {json.dumps(cases)}\n" + _ORACLE)


def _lower(run, params):
    from gluonbridge.backend.lower import to_onnx
    from gluonbridge.backend.ops import aux_positions
    from gluonbridge.graph import json_io
    names = list(run["inputs"])
    arrays = {n: np.asarray(a, dtype=run["in_dtypes"][n]) for n, a in run["inputs"].items()}
    data = [n for n in names if n not in params]
    graph = json_io.loads(run["json"], aux_positions, data)
    model = to_onnx(graph, {n: (arrays[n].shape, arrays[n].dtype) for n in data},
                    {n: arrays[n] for n in params})
    return model, [arrays[n] for n in data]


@pytest.mark.parametrize("backend", backends.params())
@pytest.mark.parametrize("key", sorted(CASES))
def test_op_matches_mxnet(oracle_runs, key, backend):
    from gluonbridge.backend.runtime import make_session
    run = oracle_runs[key]
    assert "error" not in run, f"MXNet 1.9.1 refused case {key}: {run.get('error')}"
    model, inputs = _lower(run, CASES[key][2])
    outputs = make_session(model, backend)(inputs)
    expected = [np.asarray(o, dtype=d) for o, d in zip(run["outputs"], run["dtypes"])]
    for got, want in zip(outputs, expected):
        assert np.asarray(got).dtype == want.dtype, f"{key}: dtype {got.dtype} != {want.dtype}"
    assert_close(outputs, expected, rel=CASES[key][3], case=f"{key} ({backend})")


@pytest.mark.parametrize("key", sorted(REFUSED))
def test_unsupported_raises(oracle_runs, key):
    from gluonbridge.backend.errors import LoweringError
    run = oracle_runs[key]
    assert "error" not in run, f"MXNet 1.9.1 refused case {key}: {run.get('error')}"
    with pytest.raises(LoweringError, match=REFUSED[key][2]):
        _lower(run, ())
