"""The graph corpus: one entry per case. Pure data, importable without MXNet.

A case names how its graph is made (``kind``), by which oracle, its inputs (shapes with ``"N"``
for the batch axis, realised at each of ``batches``), the ops it must contain, and the tolerance
of the comparison. write.py realises a case in an oracle; expect.py computes its outputs in
MXNet 1.9.1 through ``gluon.SymbolBlock.imports``.

kinds:
  sym         sym_graphs.<build>(mx) saved with mx.model.save_checkpoint
  sym_save    sym_graphs.<build>(mx) saved with Symbol.save + mx.nd.save({'arg:..', 'aux:..'})
  module      sym_graphs.<build>(mx) bound in mx.mod.Module and saved with Module.save_checkpoint
  block       blocks.<build>(mx), hybridized, run once, HybridBlock.export
  zoo         mx.gluon.model_zoo.vision.get_model(<build>), random init, export
  int8        blocks.<build>(mx) (or a zoo name "zoo:<name>") through quantize_net, export
  legacy      tests/data/graphs/<build>.json (an older JSON generation) with parameters of the
              shapes MXNet 1.9.1 infers for it, saved with mx.nd.save

input generators (write.py): normal, positive, unit, int:LO:HI, rois:SIZE, boxes, seqlen:T, mask.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Input:
    name: str
    shape: tuple          # ints, and "N" for the batch axis
    gen: str = "normal"
    dtype: str = "float32"

    def at(self, batch: int) -> list:
        return [batch if d == "N" else d for d in self.shape]


@dataclass(frozen=True)
class Case:
    name: str
    kind: str
    build: str
    inputs: tuple
    ops: tuple = ()       # operators the written JSON must contain
    oracle: str = "mx1"   # mx1 | mx1np (1.9.1 numpy mode) | mx2 (numpy mode) | mx2nd (no set_np)
    batches: tuple = (1, 3)
    labels: tuple = ()    # label variables in the graph, not fed at inference
    rtol: float = 1e-5
    finite: bool = True   # every expected output finite
    slow: bool = False
    notes: str = ""
    extra: dict = field(default_factory=dict)


I = Input
IMG = (I("data", ("N", 3, 7, 7)),)


def _sym(name, inputs, ops, **kw):
    return Case(name, kw.pop("kind", "sym"), kw.pop("build", name), tuple(inputs), tuple(ops), **kw)


SYM_CASES = [
    _sym("convolution", [I("data", ("N", 4, 9, 9))], ["Convolution"]),
    _sym("convolution_1d", [I("data", ("N", 4, 11))], ["Convolution"], kind="sym_save"),
    _sym("activation", [I("data", ("N", 3, 4))], ["Activation"]),
    _sym("fully_connected", [I("data", ("N", 3, 2, 2)), I("seq", ("N", 4, 5))],
         ["FullyConnected"]),
    _sym("pooling", IMG, ["Pooling"], notes="max/avg/sum x valid/full, pads with and without "
         "count_include_pad, global max/avg"),
    _sym("pooling_1d", [I("data", ("N", 2, 9))], ["Pooling"]),
    _sym("batchnorm", [I("data", ("N", 4, 3, 5))], ["BatchNorm"],
         notes="fix_gamma=True with gamma != 1 in the params (MXNet uses 1)"),
    _sym("elemwise", [I("a", ("N", 3, 4)), I("b", ("N", 3, 4))],
         ["elemwise_add", "elemwise_sub", "elemwise_mul", "elemwise_div", "_maximum",
          "_minimum", "_plus_scalar"]),
    _sym("scalar_ops", [I("data", ("N", 5))],
         ["_plus_scalar", "_minus_scalar", "_rminus_scalar", "_mul_scalar", "_div_scalar",
          "_rdiv_scalar", "_power_scalar", "_maximum_scalar", "_minimum_scalar"]),
    _sym("comparisons", [I("data", ("N", 4)), I("other", ("N", 4))],
         ["_greater_scalar", "_lesser_scalar", "_greater_equal_scalar", "_lesser_equal_scalar",
          "_equal_scalar", "_not_equal_scalar", "broadcast_greater", "broadcast_lesser",
          "broadcast_equal", "broadcast_not_equal", "broadcast_greater_equal",
          "broadcast_lesser_equal"]),
    _sym("softmax_output", [I("data", ("N", 6))], ["SoftmaxOutput", "FullyConnected"],
         labels=("softmax_label",)),
    _sym("softmax_output_multi", [I("data", ("N", 3, 2, 3))], ["SoftmaxOutput"],
         labels=("softmax_label",), kind="module", notes="multi_output=True: softmax over axis 1"),
    _sym("regression_heads", [I("data", ("N", 4))],
         ["LinearRegressionOutput", "LogisticRegressionOutput", "MAERegressionOutput"],
         labels=("lin_label", "log_label", "mae_label")),
    _sym("makeloss_blockgrad", [I("data", ("N", 4)), I("target", ("N", 4))],
         ["MakeLoss", "BlockGrad"]),
    _sym("small_cnn_checkpoint", [I("data", ("N", 1, 8, 8))],
         ["Convolution", "BatchNorm", "Pooling", "Flatten", "SoftmaxOutput"],
         labels=("softmax_label",), kind="module",
         notes="softmax_label created implicitly by SoftmaxOutput; Module.save_checkpoint"),
    _sym("dropout_concat_flatten", [I("a", ("N", 2, 3)), I("b", ("N", 2, 3))],
         ["Dropout", "Concat", "Flatten"]),
    _sym("reshape_codes", [I("data", ("N", 2, 3, 4))], ["Reshape", "reshape_like"],
         notes="shape codes 0, -1, -2, -3, -4 and reverse=True"),
    _sym("slice_channel", [I("data", ("N", 6, 4)), I("sq", ("N", 3, 5))], ["SliceChannel"],
         notes="squeeze_axis True/False, negative axis"),
    _sym("leaky_relu", [I("data", ("N", 5)), I("img", ("N", 3, 2, 2))], ["LeakyReLU"],
         notes="leaky, elu, selu, gelu, rrelu (inference: mean slope), prelu (per channel)"),
    _sym("shape_ops", [I("data", ("N", 3, 1, 4))],
         ["transpose", "expand_dims", "squeeze", "tile", "repeat", "stack", "reverse",
          "SwapAxis"]),
    _sym("squeeze_all", [I("data", ("N", 1, 3, 1))], ["squeeze"], batches=(2, 3),
         notes="squeeze without axis drops every 1 (a batch of 1 would be dropped too)"),
    _sym("slicing", [I("data", ("N", 6, 5, 4)), I("like", ("N", 3, 2, 4))],
         ["slice_axis", "slice", "slice_like"], notes="slice_axis end=None, negative begin"),
    _sym("crop", [I("data", ("N", 3, 8, 8)), I("like", ("N", 2, 5, 6))], ["Crop"]),
    _sym("constants", [I("data", ("N", 5))],
         ["_zeros", "_ones", "_arange", "ones_like", "zeros_like", "_full"], batches=(1, 2),
         notes="broadcast_sub of a (2, 5) arange against the first row"),
    _sym("arange_like", [I("data", ("N", 4, 3))], ["_contrib_arange_like"]),
    _sym("softmaxes", [I("data", ("N", 6)), I("img", ("N", 4, 3, 3))],
         ["softmax", "log_softmax", "SoftmaxActivation"]),
    _sym("where_clip", [I("cond", ("N", 3, 4), "mask"), I("data", ("N", 3, 4)),
                        I("other", ("N", 3, 4))], ["where", "clip"]),
    _sym("broadcasts", [I("a", ("N", 3, 4)), I("b", ("N", 1, 4)), I("c", (1, 3, 1))],
         ["broadcast_add", "broadcast_sub", "broadcast_mul", "broadcast_div",
          "broadcast_maximum", "broadcast_minimum", "broadcast_lesser", "broadcast_greater",
          "broadcast_power", "broadcast_axis", "broadcast_to", "broadcast_like"]),
    _sym("deconvolution", [I("data", ("N", 4, 5, 5))], ["Deconvolution"],
         notes="stride/pad, adj, target_shape, groups. 1.9.1's MKL-DNN deconvolution fails on "
               "dilation and on any target_shape that needs padding, so only target_shape equal "
               "to the natural size is here"),
    _sym("deformable_convolution", [I("data", ("N", 4, 7, 7)), I("offset", ("N", 48, 5, 4))],
         ["_contrib_DeformableConvolution"],
         notes="offsets from a Convolution (as models compute them), rounded to whole pixels "
               "(samples on the last row/column and just outside), and fed; stride/pad/dilate, "
               "rectangular kernel, num_group, num_deformable_group, no_bias"),
    _sym("modulated_deformable_convolution", [I("data", ("N", 4, 7, 7))],
         ["_contrib_ModulatedDeformableConvolution"],
         notes="DCNv2: offsets and sigmoid masks from Convolutions; whole-pixel offsets; "
               "stride/pad/dilate, num_group, num_deformable_group, no_bias"),
    _sym("psroi_pooling", [I("data", ("N", 18, 12, 12)), I("rois", (5, 5), "rois:24")],
         ["_contrib_PSROIPooling"], notes="group_size default (= pooled_size) and set, "
                                          "spatial_scale, bins outside the map (empty: 0)"),
    _sym("deformable_psroi_pooling",
         [I("data", ("N", 18, 12, 12)), I("rois", (5, 5), "rois:24"), I("trans", (5, 2, 3, 3)),
          I("trans_cls", (5, 4, 2, 2))],
         ["_contrib_DeformablePSROIPooling"],
         notes="no_trans, trans with one and two classes, part_size default and set, "
               "sample_per_part 1-3, rois beyond the map (samples left out, none: 0)"),
    _sym("unary_math", [I("data", ("N", 7)), I("pos", ("N", 7), "positive")],
         ["exp", "log", "sqrt", "erf", "sigmoid", "relu", "tanh", "abs", "square", "rsqrt",
          "log1p", "expm1", "sin", "cos", "floor", "ceil", "round", "sign", "reciprocal",
          "negative", "log2", "log10", "softsign", "erfinv", "cbrt", "hard_sigmoid", "_copy",
          "_power"]),
    _sym("embedding", [I("tokens", ("N", 5), "int:0:11")], ["Embedding"]),
    _sym("reductions", [I("data", ("N", 3, 4, 2))],
         ["mean", "sum", "max", "min", "prod", "norm", "argmax", "argmin", "nansum"],
         notes="axis, keepdims, exclude"),
    _sym("cast_copy", [I("data", ("N", 6))], ["Cast", "_copy", "BlockGrad"]),
    _sym("upsampling", [I("data", ("N", 3, 4, 5))], ["UpSampling"],
         notes="nearest x2, x3; bilinear with its (C, 1, 4, 4) weight as a parameter"),
    _sym("normalizations", [I("data", ("N", 3, 4, 5)), I("seq", ("N", 5, 6))],
         ["L2Normalization", "LRN", "LayerNorm", "InstanceNorm", "GroupNorm"]),
    _sym("spatial_transformer", [I("data", ("N", 3, 6, 7)), I("loc", ("N", 6)),
                                 I("flow", ("N", 2, 5, 4)), I("grid", ("N", 2, 4, 5))],
         ["GridGenerator", "BilinearSampler", "SpatialTransformer"],
         notes="loc, flow and grid fed as inputs (normal: many samples outside [-1, 1] read "
               "zeros); a SpatialTransformer whose loc comes from a FullyConnected + tanh"),
    _sym("batch_dot_ops", [I("a", ("N", 3, 4)), I("b", ("N", 4, 5)), I("m", (4, 6))],
         ["batch_dot", "dot", "_linalg_gemm2", "_contrib_div_sqrt_dim"]),
    _sym("sequence_mask", [I("data", (5, "N", 3)), I("lengths", ("N",), "seqlen:5")],
         ["SequenceMask", "SequenceLast", "SequenceReverse", "SwapAxis"]),
    _sym("index_ops", [I("data", ("N", 5, 3)), I("idx", ("N",), "int:0:5"),
                       I("nd_idx", (2, 4), "int:0:1"), I("cls", ("N", 2), "int:0:3"),
                       I("pidx", ("N", 5), "int:0:3")],
         ["gather_nd", "one_hot", "pick", "take", "Embedding"], batches=(1, 2),
         notes="gather_nd indices (2, 4): rows index the batch (0 only) and the 5-axis"),
    _sym("sorting", [I("data", ("N", 4, 6))], ["argsort", "sort", "topk"]),
    _sym("shape_array", [I("data", ("N", 3, 4))], ["shape_array", "size_array"]),
    _sym("contrib_resize", [I("data", ("N", 3, 5, 6)), I("like", ("N", 1, 7, 9))],
         ["_contrib_BilinearResize2D", "_contrib_AdaptiveAvgPooling2D"]),
    _sym("roi_align", [I("data", ("N", 3, 12, 12)), I("rois", (4, 5), "rois:24")],
         ["_contrib_ROIAlign", "ROIPooling"]),
    _sym("box_nms", [I("boxes", ("N", 12, 6), "boxes")], ["_contrib_box_nms", "_contrib_box_iou"],
         notes="suppressed/invalid rows come back as -1 (same shape as the input)"),
    _sym("multibox", [I("feat", ("N", 8, 4, 4)), I("cls_logits", ("N", 3, 64)),
                      I("loc_pred", ("N", 256))],
         ["_contrib_MultiBoxPrior", "_contrib_MultiBoxDetection", "softmax"],
         notes="anchors from MultiBoxPrior (16 cells x 4 anchors); detections padded with -1 rows"),
    _sym("proposal", [I("cls_prob", ("N", 12, 8, 8), "unit"), I("bbox_pred", ("N", 24, 8, 8)),
                      I("im_u", ("N", 3), "unit")],
         ["_contrib_Proposal"], batches=(1,),
         notes="6 anchors x 8 x 8 cells; im_info from im_u (rows/columns beyond the image, "
               "scale 0.5-1.5); rows cycle when fewer boxes are kept than rpn_post_nms_top_n"),
    _sym("multi_proposal", [I("cls_prob", ("N", 12, 8, 8), "unit"),
                            I("bbox_pred", ("N", 24, 8, 8)), I("im_u", ("N", 3), "unit"),
                            I("cls_prob12", ("N", 24, 8, 8), "unit"),
                            I("bbox_pred12", ("N", 48, 8, 8))],
         ["_contrib_MultiProposal"],
         notes="as proposal, per image; the default 12 anchors, stride, sizes and threshold"),
    _sym("quantize_ops", [I("data", ("N", 8))],
         ["_contrib_quantize_v2", "_contrib_dequantize", "Cast"],
         notes="calibrated int8/uint8 and uncalibrated (runtime min/max) quantize_v2"),
    _sym("rnn_lstm_bi2", [I("data", (4, "N", 3)), I("state", (4, "N", 5)),
                          I("state_cell", (4, "N", 5))], ["RNN"],
         notes="fused LSTM, 2 layers, bidirectional, state outputs; flat parameter vector"),
    _sym("rnn_gru", [I("data", (4, "N", 3)), I("state", (1, "N", 5))], ["RNN"]),
    _sym("rnn_gru_bi", [I("data", (3, "N", 2)), I("state", (4, "N", 3))], ["RNN"]),
    _sym("rnn_tanh", [I("data", (4, "N", 3)), I("state", (2, "N", 5))], ["RNN"]),
    _sym("rnn_relu_bi", [I("data", (4, "N", 3)), I("state", (2, "N", 5))], ["RNN"]),
    _sym("rnn_lstm_zero_state", [I("data", (5, "N", 3))], ["RNN", "_zeros"],
         notes="begin states are _zeros nodes with a 0 (inferred) batch dim"),
    _sym("add_n", [I("a", ("N", 3, 4)), I("b", ("N", 3, 4)), I("c", ("N", 3, 4)),
                   I("d", ("N", 3, 4))], ["add_n", "_grad_add"], rtol=0.0,
         notes="5, 3, 4 (summed from the last), 2 and 1 (num_args=1) inputs, ElementWiseSum "
               "spelling; _grad_add"),
    _sym("add_n_float16", [I("a", ("N", 6), dtype="float16"), I("b", ("N", 6), dtype="float16"),
                           I("c", ("N", 6), dtype="float16")], ["add_n"], rtol=0.0,
         notes="3, 4 (summed from the last), 5 and 2 inputs, each partial sum rounded to "
               "float16"),
    _sym("svm_output", [I("data", ("N", 4)), I("seq", ("N", 3, 2))], ["SVMOutput"],
         labels=("svm_label", "svm3_label"),
         notes="default attributes; margin, regularization_coefficient, use_linear; 3-d data "
               "(label: the data without its last axis)"),
    _sym("smooth_l1", [I("data", ("N", 3, 7))], ["smooth_l1"], rtol=0.0,
         notes="no scalar (sigma 1), sigma 2 (threshold 0.25), 0.5 (all quadratic), 0 "
               "(all 0), -1.5, 0.3 (inexact float32 square)"),
    _sym("smooth_l1_dtypes", [I("half", ("N", 7), dtype="float16"),
                              I("ints", ("N", 7), "int:-6:7", dtype="int32"),
                              I("wide", ("N", 7), dtype="float64")], ["smooth_l1"], rtol=0.0,
         notes="float16 computed in float32 and rounded; int32 with sigma truncated "
               "(1.5 -> 1, 0.5 -> 0) and the result truncated; float64 in float64"),
    _sym("amp_casts", [I("x", ("N", 5)), I("h", ("N", 5), dtype="float16"),
                       I("i", ("N", 5), "int:-9:9", dtype="int32")],
         ["amp_cast", "amp_multicast"],
         notes="amp_cast float32 <-> float16, float16 -> float64, to its own dtype, an int32 "
               "array kept; amp_multicast of float32 and int32 inputs (int32 kept), "
               "cast_narrow, num_outputs=1 (float16 inputs: tests/graphs/test_misc_ops.py)"),
    _sym("batch_take", [I("a", ("N", 5)), I("idx", ("N",), "int:-3:9", dtype="int32"),
                        I("col", ("N", 1), "int:-2:7", dtype="int32")], ["batch_take"],
         rtol=0.0, notes="indices below 0 and past the end clipped; (N, 1) indices"),
    _sym("cumsum_1x", [I("data", ("N", 3, 4)), I("ints", ("N", 5), "int:-50:50", dtype="int32")],
         ["_np_cumsum"],
         notes="F.cumsum writes _np_cumsum: axis None (flattened), 0, 1, 2, dtype float64; "
               "int32 kept and cast to float32 (1.9.1 refuses a negative axis when run)"),
    _sym("moments", [I("data", ("N", 3, 4))], ["moments"],
         notes="axes (1,), (-1,) keepdims, every axis (shape (1,)), (0, 2) keepdims; both "
               "outputs used (1.9.1 computes the variance around an unwritten mean otherwise)"),
    _sym("moments_int32", [I("data", ("N", 3, 4), "int:-20:20", dtype="int32")], ["moments"],
         rtol=0.0, notes="integer mean and variance, each division truncated"),
    _sym("degrees_radians", [I("data", ("N", 7)), I("big", ("N", 7), "int:-100000:100000")],
         ["degrees", "radians"], rtol=0.0,
         notes="the float32 factor 180.0f / PI times x in float32"),
    _sym("degrees_radians_dtypes", [I("half", ("N", 7), dtype="float16"),
                                    I("ints", ("N", 7), "int:-40000000:40000000", dtype="int32"),
                                    I("wide", ("N", 7), dtype="float64")],
         ["degrees", "radians"], rtol=0.0,
         notes="float16 via float32; int32 in float32, truncated (beyond the int32 range: "
               "INT_MIN); float64 times the float32 factor"),
    _sym("unravel_index", [I("flat", ("N",), "int:-30:130"),
                           I("ints", ("N",), "int:-40:60", dtype="int32"), I("frac", ("N",))],
         ["_unravel_index"], rtol=0.0, batches=(5, 16),
         notes="shapes (7, 6), (-1, 4, 5), (3, -1, 4) and (2, 3, 4); negative and past-the-end "
               "indices (C's truncating division: negative coordinates, an unbounded first "
               "one); int32 kept; float indices (20 * normal) truncated"),
    _sym("box_decode", [I("data", ("N", 6, 4))], ["_contrib_box_decode"],
         notes="GluonCV's SSD / Faster R-CNN decoder: center anchors (a (1, 6, 4) parameter) "
               "with the defaults; corner anchors with std 0.1/0.2; clip 1.5 (applied to the "
               "scaled dw, dh), clip 0 (off); 4-d anchors (1, 1, 6, 4)"),
    _sym("like_dtype", [I("data", ("N", 3)), I("ints", ("N", 3), "int:-5:5", dtype="int32")],
         ["zeros_like", "ones_like"], rtol=0.0,
         notes="GluonCV's CenterNet decoder passes dtype='int64' to zeros_like/ones_like: 1.9.1 "
               "keeps the attribute and ignores it (the output has the input's dtype)"),
    _sym("roi_align_negative_index", [I("data", ("N", 3, 12, 12)), I("rois", (6, 5), "rois:24")],
         ["_contrib_ROIAlign", "where"],
         notes="rows 0, 2, 4 with batch index -1 (GluonCV's FPN detectors pad their proposals so): "
               "MXNet documents zeros for them, but its CPU kernel leaves their rows unwritten "
               "and zeroes element n of the output for row n (inside row 0's block here): the "
               "graph keeps the valid rows only, which must be unaffected"),
    _sym("kl_sparse_reg", [I("data", ("N", 6)), I("image", ("N", 3, 4, 5))],
         ["IdentityAttachKLSparseReg"],
         notes="a sparse autoencoder's hidden layer (sigmoid, then the regularizer) with its "
               "attributes and the defaults; a 4-d input (moving_avg per channel); the "
               "moving_avg auxiliary states hold random values, which change nothing forward"),
    _sym("correlation", [I("a", ("N", 3, 12, 12)), I("b", ("N", 3, 12, 12)),
                         I("c", ("N", 4, 9, 13)), I("d", ("N", 4, 9, 13))],
         ["Correlation"],
         notes="FlowNet / PWC-Net cost volumes: the defaults; kernel 1 with max_displacement 4, "
               "stride2 2, pad 4 (FlowNetC); kernel 3 with pad 3; stride1 2 with stride2 2; "
               "stride1 3 (a ceil-rounded output size); max_displacement 3 at stride2 2 (a grid "
               "radius of 1); a 9x13 input with kernel 3 and stride1 2"),
    _sym("correlation_abs", [I("a", ("N", 3, 12, 12)), I("b", ("N", 3, 12, 12)),
                             I("c", ("N", 4, 9, 13)), I("d", ("N", 4, 9, 13))],
         ["Correlation"],
         notes="is_multiply=False (the mean absolute difference) with the settings of "
               "correlation's FlowNetC, strided and 9x13 outputs"),
]


def _block(name, inputs, ops=(), oracle="mx1", **kw):
    return Case(name, "block", name, tuple(inputs), tuple(ops), oracle=oracle, **kw)


BLOCK_CASES = [
    _block("mlp_bn_mx1", [I("data", ("N", 10))], ["FullyConnected", "BatchNorm", "Dropout"]),
    _block("convnet_mx1", [I("data", ("N", 3, 16, 16))],
           ["Convolution", "BatchNorm", "Pooling", "LeakyReLU", "Flatten"]),
    _block("multi_io_mx1", [I("data0", ("N", 3, 6, 6)), I("data1", ("N", 4))], ["Concat"],
           notes="two inputs, three outputs"),
    _block("embed_dense_mx1", [I("data", ("N", 7), "int:0:20")],
           ["Embedding", "LayerNorm", "softmax"]),
    _block("norm_acts_mx1", [I("data", ("N", 9))], ["LayerNorm", "LeakyReLU"],
           notes="PReLU, ELU, SELU, Swish, GELU"),
    _block("conv_family_mx1", [I("data", ("N", 3, 6, 6))],
           ["Deconvolution", "InstanceNorm", "Pad", "UpSampling"]),
    _block("conv1d3d_mx1", [I("data0", ("N", 3, 10)), I("data1", ("N", 2, 3, 6, 6))],
           ["Convolution", "Pooling"]),
    _block("rnn_layers_mx1", [I("data", ("N", 5, 4))], ["RNN"],
           notes="gluon.rnn LSTM (2 layers, bidirectional) + GRU layers, NTC layout"),
    _block("rnn_cells_mx1", [I("data", ("N", 4, 3))], ["FullyConnected", "SliceChannel"],
           notes="an unrolled LSTMCell: three outputs"),
    _block("numpy_ops_mx1np", [I("data0", ("N", 4, 6)), I("data1", ("N", 4, 6))],
           ["_np_transpose", "_np_sum", "_np_max", "_npi_concatenate", "_npi_stack", "_npi_where",
            "_npx_reshape", "_npi_matmul", "_npx_sigmoid"], oracle="mx1np",
           notes="MXNet 1.9.1 after npx.set_np(): hybrid_forward with F.np / F.npx"),
    _block("convnet_np", [I("data", ("N", 3, 16, 16))], ["Convolution", "BatchNorm"],
           oracle="mx2"),
    _block("mlp_np", [I("data", ("N", 10))], ["FullyConnected", "LayerNorm"], oracle="mx2"),
    _block("multi_io_np", [I("data0", ("N", 3, 6, 6)), I("data1", ("N", 5), "int:0:12")],
           ["Concat", "Embedding", "_npi_mean", "_npx_relu"], oracle="mx2"),
    _block("numpy_ops_np", [I("data0", ("N", 4, 6)), I("data1", ("N", 4, 6))],
           ["_npi_transpose", "_npx_reshape", "_npi_where", "_npi_repeats", "_npi_matmul",
            "_npi_exp", "_npi_log", "_npi_sqrt", "_npi_max", "_npi_arange", "_npi_full_like"],
           oracle="mx2"),
    _block("rnn_layers_np", [I("data", ("N", 5, 4))], ["RNN"], oracle="mx2", batches=(2,),
           notes="2.0.0b1 bakes the traced batch size into the LSTM's begin states "
                 "(zeros of shape (layers*dirs, 2, hidden)): the export runs at batch 2 only"),
    _block("convnet_nd", [I("data", ("N", 3, 16, 16))], ["Convolution", "BatchNorm"],
           oracle="mx2nd", notes="MXNet 2.0.0b1 without npx.set_np() (Gluon still takes np "
                                 "arrays and the JSON still says is_np_shape)"),
    _block("mlp_nd", [I("data", ("N", 10))], ["FullyConnected"], oracle="mx2nd"),
]

FAST_ZOO = {"resnet18_v1": 64, "resnet18_v2": 64, "mobilenet0.25": 64, "mobilenetv2_0.25": 64,
            "squeezenet1.1": 224}
# Models with fixed-size heads or deep downsampling run at the resolution they were built for.
SLOW_ZOO = {"alexnet": 224, "densenet121": 224, "densenet161": 224, "densenet169": 224,
            "densenet201": 224, "inceptionv3": 299, "mobilenet0.5": 64, "mobilenet0.75": 64,
            "mobilenet1.0": 64, "mobilenetv2_0.5": 64, "mobilenetv2_0.75": 64,
            "mobilenetv2_1.0": 64, "resnet34_v1": 64, "resnet34_v2": 64, "resnet50_v1": 64,
            "resnet50_v2": 64, "resnet101_v1": 64, "resnet101_v2": 64, "resnet152_v1": 64,
            "resnet152_v2": 64, "squeezenet1.0": 224, "vgg11": 64, "vgg11_bn": 64, "vgg13": 64,
            "vgg13_bn": 64, "vgg16": 64, "vgg16_bn": 64, "vgg19": 64, "vgg19_bn": 64}

ZOO_CASES = [
    Case("zoo_" + name.replace(".", "_"), "zoo", name, (I("data", ("N", 3, size, size)),),
         ("Convolution",), batches=(1, 2), slow=name in SLOW_ZOO)
    for name, size in {**FAST_ZOO, **SLOW_ZOO}.items()
]

INT8_CASES = [
    Case("int8_convnet", "int8", "int8_convnet_mx1", (I("data", ("N", 3, 8, 8)),),
         ("_contrib_quantize_v2", "_sg_mkldnn_conv"), batches=(2, 3), rtol=1e-4,
         extra={"calib_mode": "naive"}),
    Case("int8_convnet_uncalibrated", "int8", "int8_convnet_mx1", (I("data", ("N", 3, 8, 8)),),
         ("_contrib_quantize_v2", "_sg_mkldnn_conv"), batches=(2, 3), rtol=1e-4,
         extra={"calib_mode": "none", "exclude_match": ["dense1"]},
         notes="no calibration: requantize at run time; last Dense left in float"),
    Case("int8_resnet18_v1", "int8", "zoo:resnet18_v1", (I("data", ("N", 3, 32, 32)),),
         ("_contrib_quantize_v2", "_sg_mkldnn_conv", "_contrib_quantized_pooling"),
         batches=(1, 2), rtol=1e-4, extra={"calib_mode": "naive"}),
    Case("int8_branches", "int8", "int8_branches_mx1", (I("data", ("N", 3, 6, 6)),),
         ("_contrib_quantized_concat", "_contrib_quantized_elemwise_add",
          "_contrib_quantized_batch_norm", "_contrib_quantized_act", "_contrib_quantized_flatten",
          "_sg_mkldnn_conv", "_sg_mkldnn_fully_connected"), batches=(2, 3), rtol=1e-4,
         extra={"calib_mode": "naive"},
         notes="concat of uint8 and int8, elemwise_add of uint8 and int8, BatchNorm and relu "
               "outside a convolution, a sum fused into a convolution, Dense with a fused relu"),
    Case("int8_branches_uncalibrated", "int8", "int8_branches_nobn_mx1",
         (I("data", ("N", 3, 6, 6)),),
         ("_contrib_quantized_concat", "_contrib_quantized_elemwise_add", "_contrib_quantized_act",
          "_contrib_requantize", "_sg_mkldnn_conv", "_sg_mkldnn_fully_connected"),
         batches=(2, 3), rtol=1e-4, extra={"calib_mode": "none"},
         notes="int32 outputs of elemwise_add, of a convolution with a fused sum and of Dense "
               "with a fused relu, requantized at run time"),
    Case("int8_mobilenetv2_0_25", "int8", "zoo:mobilenetv2_0.25", (I("data", ("N", 3, 32, 32)),),
         ("_sg_mkldnn_conv", "_contrib_quantized_pooling", "_contrib_quantized_flatten"),
         batches=(1, 2), rtol=1e-4, extra={"calib_mode": "naive"},
         notes="relu6 (clip) fused into the convolutions"),
    Case("int8_mobilenetv2_0_25_uncalibrated", "int8", "zoo:mobilenetv2_0.25",
         (I("data", ("N", 3, 32, 32)),), ("_sg_mkldnn_conv", "_contrib_requantize"),
         batches=(1, 2), rtol=1e-4, extra={"calib_mode": "none"},
         notes="MXNet drops the fused relu6 of int32 outputs; uncalibrated fused sums"),
    Case("int8_resnet18_v2", "int8", "zoo:resnet18_v2", (I("data", ("N", 3, 32, 32)),),
         ("_contrib_quantized_batch_norm", "_contrib_quantized_act", "_sg_mkldnn_conv"),
         batches=(1, 2), rtol=1e-4, extra={"calib_mode": "naive"}),
    Case("int8_vgg11", "int8", "zoo:vgg11", (I("data", ("N", 3, 32, 32)),),
         ("_sg_mkldnn_conv", "_sg_mkldnn_fully_connected", "_contrib_quantized_pooling"),
         batches=(1, 2), rtol=1e-4, extra={"calib_mode": "naive"}, slow=True,
         notes="Dense layers with fused relus (4096 wide)"),
    Case("int8_squeezenet1_1", "int8", "zoo:squeezenet1.1", (I("data", ("N", 3, 224, 224)),),
         ("_contrib_quantized_concat", "_sg_mkldnn_conv"), batches=(1, 2), rtol=1e-4,
         extra={"calib_mode": "naive"}, slow=True),
    Case("int8_densenet121", "int8", "zoo:densenet121", (I("data", ("N", 3, 224, 224)),),
         ("_contrib_quantized_batch_norm", "_contrib_quantized_act", "_contrib_quantized_concat"),
         batches=(1, 2), rtol=1e-4, extra={"calib_mode": "naive"}, slow=True),
    Case("int8_dense_positive", "int8", "int8_dense_positive_mx1", (I("data", ("N", 5)),),
         ("_sg_mkldnn_fully_connected",), batches=(2, 3), rtol=1e-4,
         extra={"calib_mode": "naive"},
         notes="a calibrated Dense output range >= 0 without a fused relu stays int8"),
]

LEGACY_CASES = [
    Case("legacy_000800_mlp", "legacy", "legacy_000800_mlp", (I("data", ("N", 6)),),
         ("FullyConnected", "BatchNorm", "SoftmaxOutput", "_Plus", "_MulScalar"),
         labels=("softmax_label",),
         notes="pre-0.9: 'param' + 'attr', backward_source_id, two-element inputs, no "
               "mxnet_version; BatchNorm without moving stats and SoftmaxOutput without label "
               "(the loader adds <node>_moving_mean/_moving_var/_label)"),
    Case("legacy_0_10_convnet", "legacy", "legacy_0_10_convnet", (I("data", ("N", 3, 8, 8)),),
         ("Convolution", "Pooling", "Flatten", "SliceChannel", "Reshape", "_Maximum", "_Minus",
          "_Mul", "Concat"),
         notes="0.9-0.11: node parameters under 'attr'; mxnet_version 1000; old op spellings"),
    Case("legacy_1_x_aliases", "legacy", "legacy_1_x_aliases", (I("data", ("N", 4, 5)),),
         ("_plus", "_mul", "_div", "_minus", "split", "flatten", "Reshape", "_maximum_scalar"),
         notes="1.x 'attrs' with alias op names, Reshape target_shape, __shape__ and lr_mult "
               "variable attributes"),
    Case("legacy_mxnet_save_000800", "legacy", "mxnet_save_000800", (I("data", ("N", 200)),),
         ("FullyConnected", "Activation", "BatchNorm", "SoftmaxOutput"), labels=("softmax_label",),
         notes="the graph of MXNet's own pre-0.9 test file tests/python/unittest/save_000800.json "
               "(apache/mxnet, Apache-2.0; same nodes and attributes, re-indented): ctx_group / "
               "lr_mult / wd_mult attributes, BatchNorm(fix_gamma=True) without moving statistics"),
]

CASES = SYM_CASES + BLOCK_CASES + ZOO_CASES + INT8_CASES + LEGACY_CASES


def selected(slow: bool = False) -> list:
    return [c for c in CASES if slow or not c.slow]


def by_name() -> dict:
    return {c.name: c for c in CASES}
