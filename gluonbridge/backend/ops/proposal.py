"""Region proposals of Faster R-CNN's RPN: _contrib_Proposal, _contrib_MultiProposal.

Both follow MXNet 1.9.1's CPU code (src/operator/contrib/proposal.cc, multi_proposal.cc), per
image:

* anchors: for every ratio (outer) and scale (inner), a box around the centre of the
  ``feature_stride`` square, ``w = round(sqrt(floor(stride^2 / ratio))) * scale``,
  ``h = round(w / scale * ratio) * scale``, shifted to every cell; position
  ``(h * W + w) * A + a``; the foreground score of anchor ``a`` is channel ``A + a``;
* boxes decoded with the ``+1`` width convention (``iou_loss``: corner offsets added), clipped
  to ``[0, im_w - 1] x [0, im_h - 1]``; cells at or beyond ``int(im_h / stride)`` rows or
  ``int(im_w / stride)`` columns get score -1;
* a box narrower or lower than ``rpn_min_size * im_scale`` (``x2 - x1 + 1``) grows by half that
  size on every side and gets score -1;
* the ``rpn_pre_nms_top_n`` best by score, greedy NMS in that order (IoU with ``+1`` sides,
  suppressed when ``> threshold``), the first ``min(rpn_post_nms_top_n, pre_nms_top_n)`` kept;
  the ``rpn_post_nms_top_n`` output rows cycle through the kept boxes
  ``[batch index, x1, y1, x2, y2]``, with the scores as a second output.

Equal scores are ordered by position here; MXNet's ``std::sort`` leaves their order to the
standard library (boxes of score -1 are the usual ties: they come after every scored box).
The NMS is an ONNX Loop over the sorted positions, one box against all others per step.
"""
from __future__ import annotations

import numpy as np

from ...graph.attrs import Bool, Float, Int
from .common import binary
from .detection import Floats, _sort_desc, _unsqueeze
from .registry import Unsupported, op

_F32 = np.float32


def _anchor_count(a):
    return len(a.ratios) * len(a.scales)


def _check(a, cls_prob, bbox_pred, im_info):
    if len(cls_prob) != 4:
        raise Unsupported(f"cls_prob of shape {tuple(cls_prob)} (N, 2A, H, W expected)")
    n, c, h, w = cls_prob
    if c != 2 * _anchor_count(a):
        raise Unsupported(f"cls_prob with {c} channels for {len(a.ratios)} ratios x "
                          f"{len(a.scales)} scales (2 x {_anchor_count(a)} expected)")
    if tuple(bbox_pred) != (n, 2 * c, h, w) or tuple(im_info) != (n, 3):
        raise Unsupported(f"bbox_pred {tuple(bbox_pred)}, im_info {tuple(im_info)} for cls_prob "
                          f"{tuple(cls_prob)} (need {(n, 2 * c, h, w)} and {(n, 3)})")
    if a.feature_stride <= 0 or a.rpn_post_nms_top_n <= 0:
        raise Unsupported(f"feature_stride={a.feature_stride}, rpn_post_nms_top_n="
                          f"{a.rpn_post_nms_top_n} (both must be positive)")


def _proposal_shape(a, cls_prob, bbox_pred, im_info):
    _check(a, cls_prob, bbox_pred, im_info)
    if cls_prob[0] != 1:
        raise Unsupported(f"a batch of {cls_prob[0]} images (MXNet's Proposal takes one; "
                          "MultiProposal takes several)")
    return [(a.rpn_post_nms_top_n, 5), (a.rpn_post_nms_top_n, 1)]


def _multi_shape(a, cls_prob, bbox_pred, im_info):
    _check(a, cls_prob, bbox_pred, im_info)
    rows = cls_prob[0] * a.rpn_post_nms_top_n
    return [(rows, 5), (rows, 1)]


_ATTRS = {"rpn_pre_nms_top_n": Int(6000), "rpn_post_nms_top_n": Int(300),
          "threshold": Float(0.7), "rpn_min_size": Int(16),
          "scales": Floats((4.0, 8.0, 16.0, 32.0)), "ratios": Floats((0.5, 1.0, 2.0)),
          "feature_stride": Int(16), "output_score": Bool(False), "iou_loss": Bool(False)}


@op("_contrib_Proposal", "Proposal", inputs=("cls_prob", "bbox_pred", "im_info"),
    attrs=_ATTRS, shape=_proposal_shape, num_outputs=2)
def proposal(g, a, cls_prob, bbox_pred, im_info):
    rois, score = _proposals(g, a, cls_prob, bbox_pred, im_info)
    p = a.rpn_post_nms_top_n
    return [_reshape(g, rois, (p, 5)), _reshape(g, score, (p, 1))]


@op("_contrib_MultiProposal", "MultiProposal", inputs=("cls_prob", "bbox_pred", "im_info"),
    attrs=_ATTRS, shape=_multi_shape, num_outputs=2)
def multi_proposal(g, a, cls_prob, bbox_pred, im_info):
    rois, score = _proposals(g, a, cls_prob, bbox_pred, im_info)
    rows = cls_prob.shape[0] * a.rpn_post_nms_top_n
    return [_reshape(g, rois, (rows, 5)), _reshape(g, score, (rows, 1))]


def _reshape(g, value, shape):
    """(B, P, k) -> (B * P, k): the target keeps the rows as -1, so any batch fits."""
    return g.node("Reshape", [value, g.constant([-1, shape[1]], np.int64)], shape, value.dtype)


def _anchors(a, height, width):
    """(count, 4) float32 anchors in MXNet's order, computed as its float code does."""
    base = _F32(a.feature_stride) - _F32(1.0)
    side = base + _F32(1.0)
    centre = _F32(0.5 * (float(side) - 1.0))
    shapes = []
    for ratio in a.ratios:
        for scale in a.scales:
            ratio, scale = _F32(ratio), _F32(scale)
            size_ratios = np.floor(side * side / ratio)
            new_w = np.floor(np.sqrt(size_ratios) + _F32(0.5)) * scale
            new_h = np.floor(new_w / scale * ratio + _F32(0.5)) * scale
            half_w, half_h = _F32(0.5) * (new_w - _F32(1.0)), _F32(0.5) * (new_h - _F32(1.0))
            shapes.append((centre - half_w, centre - half_h, centre + half_w, centre + half_h))
    base_boxes = np.asarray(shapes, dtype=_F32)                                     # (A, 4)
    ys, xs = np.meshgrid(np.arange(height), np.arange(width), indexing="ij")
    shift = np.stack([xs, ys, xs, ys], axis=-1).reshape(-1, 1, 4) * a.feature_stride
    return (base_boxes[None] + shift.astype(_F32)).reshape(-1, 4).astype(_F32)


def _cells(a, height, width):
    """(1, count) int64 row and column of every anchor position."""
    count = _anchor_count(a)
    rows = np.repeat(np.arange(height), width * count).reshape(1, -1)
    cols = np.tile(np.repeat(np.arange(width), count), height).reshape(1, -1)
    return rows.astype(np.int64), cols.astype(np.int64)


def _proposals(g, a, cls_prob, bbox_pred, im_info):
    """(B, P, 5) rois and (B, P, 1) scores."""
    b, c, height, width = cls_prob.shape
    if cls_prob.dtype != np.float32:
        g.fail(f"{cls_prob.dtype} inputs (MXNet's Proposal computes in float32)")
    count = _anchor_count(a) * height * width
    dt = cls_prob.dtype
    fg = g.node("Slice", [cls_prob, g.constant([c // 2], np.int64), g.constant([c], np.int64),
                          g.constant([1], np.int64)], (b, c // 2, height, width), dt)
    fg = g.node("Transpose", [fg], (b, height, width, c // 2), dt, perm=[0, 2, 3, 1])
    score = g.node("Reshape", [fg, g.constant([0, count], np.int64)], (b, count), dt)
    deltas = g.node("Reshape", [bbox_pred, g.constant([0, c // 2, 4, height, width], np.int64)],
                    (b, c // 2, 4, height, width), dt)
    deltas = g.node("Transpose", [deltas], (b, 4, height, width, c // 2), dt,
                    perm=[0, 2, 3, 4, 1])
    deltas = g.node("Reshape", [deltas, g.constant([0, 4, count], np.int64)], (b, 4, count), dt)
    d = [_row(g, deltas, i) for i in range(4)]                                   # (B, count)
    anchors = _anchors(a, height, width)
    info = [_squeeze_col(g, im_info, i) for i in range(3)]                       # (B, 1)
    boxes = _iou_decode(g, anchors, d) if a.iou_loss else _bbox_decode(g, anchors, d)
    top = [binary(g, "Sub", info[1], 1.0), binary(g, "Sub", info[0], 1.0)] * 2
    zero = g.constant(0.0, dt)
    boxes = [g.node("Max", [g.node("Min", [x, t], (b, count), dt), zero], (b, count), dt)
             for x, t in zip(boxes, top)]
    score = _drop_padding(g, a, score, info, height, width)
    boxes, score = _filter_small(g, a, boxes, score, info[2])
    return _nms(g, a, boxes, score)


def _row(g, value, i):
    """``value[:, i]`` of a (B, 4, K) value: (B, K)."""
    b, _, k = value.shape
    return g.node("Gather", [value, g.constant(i, np.int64)], (b, k), value.dtype, axis=1)


def _squeeze_col(g, value, i):
    """``value[:, i:i+1]`` of a (B, 3) value: (B, 1)."""
    return g.node("Slice", [value, g.constant([i], np.int64), g.constant([i + 1], np.int64),
                            g.constant([1], np.int64)], (value.shape[0], 1), value.dtype)


def _bbox_decode(g, anchors, d):
    """Centre/size deltas: float32 arithmetic where MXNet's is, float64 (rounded once) where
    its ``0.5 * (x - 1.0)`` promotes to double."""
    f64 = np.float64
    x1, y1, x2, y2 = (anchors[:, i].astype(_F32) for i in range(4))
    w = ((x2 - x1).astype(f64) + 1.0).astype(_F32).astype(f64)
    h = ((y2 - y1).astype(f64) + 1.0).astype(_F32).astype(f64)
    ctr_x, ctr_y = x1.astype(f64) + 0.5 * (w - 1.0), y1.astype(f64) + 0.5 * (h - 1.0)
    width, height, ctr_x, ctr_y = (g.constant(v.astype(_F32).reshape(1, -1))
                                   for v in (w, h, ctr_x, ctr_y))
    shape, dt = d[0].shape, d[0].dtype
    cx = binary(g, "Add", binary(g, "Mul", d[0], width), ctr_x)
    cy = binary(g, "Add", binary(g, "Mul", d[1], height), ctr_y)
    pw = binary(g, "Mul", g.node("Exp", [d[2]], shape, dt), width)
    ph = binary(g, "Mul", g.node("Exp", [d[3]], shape, dt), height)
    wide = [g.node("Cast", [v], shape, f64, to=11) for v in (cx, cy, pw, ph)]
    half_w, half_h = (binary(g, "Mul", binary(g, "Sub", v, 1.0), 0.5) for v in wide[2:])
    out = [binary(g, "Sub", wide[0], half_w), binary(g, "Sub", wide[1], half_h),
           binary(g, "Add", wide[0], half_w), binary(g, "Add", wide[1], half_h)]
    return [g.node("Cast", [v], shape, dt, to=1) for v in out]


def _iou_decode(g, anchors, d):
    """Corner offsets added to the anchors."""
    return [binary(g, "Add", d[i], g.constant(anchors[:, i].reshape(1, -1))) for i in range(4)]


def _drop_padding(g, a, score, info, height, width):
    """Score -1 for the cells at or beyond ``int(im_h / stride)`` rows or ``int(im_w / stride)``
    columns (the padding of a batch of smaller images)."""
    b, count = score.shape
    rows, cols = _cells(a, height, width)
    limits = [g.node("Cast", [binary(g, "Div", x, float(a.feature_stride))], (b, 1), np.int64,
                     to=7) for x in info[:2]]
    out = g.node("Or", [g.node("GreaterOrEqual", [g.constant(rows, np.int64), limits[0]],
                               (b, count), np.bool_),
                        g.node("GreaterOrEqual", [g.constant(cols, np.int64), limits[1]],
                               (b, count), np.bool_)], (b, count), np.bool_)
    return g.node("Where", [out, g.constant(-1.0, score.dtype), score], (b, count), score.dtype)


def _filter_small(g, a, boxes, score, scale):
    """Boxes with a side (``x2 - x1 + 1``) below ``rpn_min_size * im_scale`` grow by half
    that size on every side and get score -1."""
    shape, dt = score.shape, score.dtype
    min_size = binary(g, "Mul", scale, float(a.rpn_min_size))                    # (B, 1)
    sides = [binary(g, "Add", binary(g, "Sub", boxes[i + 2], boxes[i]), 1.0) for i in (0, 1)]
    small = g.node("Or", [g.node("Less", [s, min_size], shape, np.bool_) for s in sides],
                   shape, np.bool_)
    half = binary(g, "Div", min_size, 2.0)
    grown = [binary(g, "Sub", boxes[0], half), binary(g, "Sub", boxes[1], half),
             binary(g, "Add", boxes[2], half), binary(g, "Add", boxes[3], half)]
    boxes = [g.node("Where", [small, x, y], shape, dt) for x, y in zip(grown, boxes)]
    score = g.node("Where", [small, g.constant(-1.0, dt), score], shape, dt)
    return boxes, score


def _nms(g, a, boxes, score):
    b, count = score.shape
    dt = score.dtype
    t = a.rpn_pre_nms_top_n if 0 < a.rpn_pre_nms_top_n < count else count
    order = _unsqueeze(g, _sort_desc(g, score, t), -1)                           # (B, T, 1)
    rows = g.node("Concat", [_unsqueeze(g, v, -1) for v in boxes + [score]], (b, count, 5), dt,
                  axis=2)
    rows = g.node("GatherND", [rows, order], (b, t, 5), dt, batch_dims=1)
    corners = [g.node("Gather", [rows, g.constant(i, np.int64)], (b, t), dt, axis=2)
               for i in range(4)]
    kept = _greedy(g, a, corners, t)
    # positions of the kept boxes first, in score order; row i of the output is kept box
    # i % kept (MXNet stops the NMS at min(post, pre) boxes kept: the same rows)
    rank = g.node("Where", [kept, g.constant(np.arange(t, 0, -1, dtype=np.float32)),
                            g.constant(0.0)], (b, t), np.float32)
    place = _sort_desc(g, rank)
    kept_count = g.node("ReduceSum", [g.node("Cast", [kept], (b, t), np.int64, to=7),
                                      g.constant([1], np.int64)], (b, 1), np.int64, keepdims=1)
    p = a.rpn_post_nms_top_n
    cycle = g.node("Mod", [g.constant(np.arange(p).reshape(1, p), np.int64), kept_count], (b, p),
                   np.int64)
    pick = g.node("GatherND", [place, _unsqueeze(g, cycle, -1)], (b, p), np.int64, batch_dims=1)
    out = g.node("GatherND", [rows, _unsqueeze(g, pick, -1)], (b, p, 5), dt, batch_dims=1)
    coords = g.node("Slice", [out, g.constant([0], np.int64), g.constant([4], np.int64),
                              g.constant([2], np.int64)], (b, p, 4), dt)
    scores = g.node("Slice", [out, g.constant([4], np.int64), g.constant([5], np.int64),
                              g.constant([2], np.int64)], (b, p, 1), dt)
    return g.node("Concat", [_batch_index(g, out), coords], (b, p, 5), dt, axis=2), scores


def _batch_index(g, value):
    """(B, P, 1) float: each row's image index, from the runtime batch size."""
    b, p, _ = value.shape
    n = g.node("Gather", [g.node("Shape", [value], (3,), np.int64), g.constant(0, np.int64)],
               (), np.int64)
    index = g.node("Range", [g.constant(0, np.int64), n, g.constant(1, np.int64)], (b,),
                   np.int64)
    index = g.node("Cast", [index], (b,), value.dtype, to=1)
    index = g.node("Reshape", [index, g.constant([-1, 1, 1], np.int64)], (b, 1, 1), value.dtype)
    return g.node("Expand", [index, g.constant([1, p, 1], np.int64)], (b, p, 1), value.dtype)


def _greedy(g, a, corners, t):
    """Greedy NMS over the T sorted boxes (``corners``: x1, y1, x2, y2, each (B, T)): step i
    drops every later box whose IoU with box i, if still kept, is ``> threshold``. An ONNX
    Loop carrying ``kept`` (B, T)."""
    from onnx import TensorProto, helper
    b = corners[0].shape[0]
    dt = corners[0].dtype
    area = binary(g, "Mul", binary(g, "Add", binary(g, "Sub", corners[2], corners[0]), 1.0),
                  binary(g, "Add", binary(g, "Sub", corners[3], corners[1]), 1.0))
    i, cond, state = g.fresh("i"), g.fresh("cond"), g.fresh("kept")
    n = {k: g.fresh(k) for k in (
        "axis one zero thresh positions i1 ix1 iy1 ix2 iy2 iarea xx1 yy1 xx2 yy2 dx dy dx1 dy1 "
        "w h inter sum union ovr hit mine later drop1 drop keep out cond_out").split()}
    x1, y1, x2, y2 = (c.name for c in corners)
    mk = helper.make_node

    def constant(name, array):      # the body's own constants (initializers stay outside)
        array = np.asarray(array)
        return mk("Constant", [], [n[name]], value=helper.make_tensor(
            name, helper.np_dtype_to_tensor_dtype(array.dtype), array.shape, array.ravel()))
    nodes = [constant("axis", np.array([0], np.int64)), constant("one", _F32(1.0)),
             constant("zero", _F32(0.0)), constant("thresh", _F32(a.threshold)),
             constant("positions", np.arange(t, dtype=np.int64).reshape(1, t)),
             mk("Unsqueeze", [i, n["axis"]], [n["i1"]])]
    nodes += [mk("Gather", [src.name, n["i1"]], [n[dst]], axis=1)
              for src, dst in zip(corners + [area], ("ix1", "iy1", "ix2", "iy2", "iarea"))]
    nodes += [
        mk("Max", [n["ix1"], x1], [n["xx1"]]), mk("Max", [n["iy1"], y1], [n["yy1"]]),
        mk("Min", [n["ix2"], x2], [n["xx2"]]), mk("Min", [n["iy2"], y2], [n["yy2"]]),
        mk("Sub", [n["xx2"], n["xx1"]], [n["dx"]]), mk("Sub", [n["yy2"], n["yy1"]], [n["dy"]]),
        mk("Add", [n["dx"], n["one"]], [n["dx1"]]), mk("Add", [n["dy"], n["one"]], [n["dy1"]]),
        mk("Max", [n["zero"], n["dx1"]], [n["w"]]), mk("Max", [n["zero"], n["dy1"]], [n["h"]]),
        mk("Mul", [n["w"], n["h"]], [n["inter"]]),
        mk("Add", [n["iarea"], area.name], [n["sum"]]),
        mk("Sub", [n["sum"], n["inter"]], [n["union"]]),
        mk("Div", [n["inter"], n["union"]], [n["ovr"]]),
        mk("Greater", [n["ovr"], n["thresh"]], [n["hit"]]),
        mk("Gather", [state, n["i1"]], [n["mine"]], axis=1),
        mk("Greater", [n["positions"], n["i1"]], [n["later"]]),
        mk("And", [n["hit"], n["mine"]], [n["drop1"]]),
        mk("And", [n["drop1"], n["later"]], [n["drop"]]),
        mk("Not", [n["drop"]], [n["keep"]]),
        mk("And", [state, n["keep"]], [n["out"]]),
        mk("Identity", [cond], [n["cond_out"]]),
    ]
    body = helper.make_graph(
        nodes, g.fresh("proposal_nms"),
        [helper.make_tensor_value_info(i, TensorProto.INT64, []),
         helper.make_tensor_value_info(cond, TensorProto.BOOL, []),
         helper.make_tensor_value_info(state, TensorProto.BOOL, None)],
        [helper.make_tensor_value_info(n["cond_out"], TensorProto.BOOL, []),
         helper.make_tensor_value_info(n["out"], TensorProto.BOOL, None)])
    trips = g.constant(t, np.int64)
    go = g.constant(True, np.bool_)
    kept = g.constant(np.ones((1, t), np.bool_), np.bool_)
    kept = g.node("Expand", [kept, g.node("Shape", [corners[0]], (2,), np.int64)], (b, t),
                  np.bool_)
    return g.node("Loop", [trips, go, kept], (b, t), np.bool_, body=body)
