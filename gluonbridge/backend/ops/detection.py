"""Detection ops: _contrib_box_nms, _contrib_box_iou, _contrib_MultiBoxPrior,
_contrib_MultiBoxDetection.

box_nms follows MXNet 1.9.1 (src/operator/contrib/bounding_box-inl.h): boxes with
``score > valid_thresh`` (and an id other than ``background_id``) are sorted by score
(descending, ties in input order), only the first ``topk`` of them take part, and greedy NMS
in that order drops every later box whose IoU with a kept one is ``> overlap_thresh`` (same id
only, unless ``force_suppress`` or there is no id). The output keeps the input's shape: the
kept rows in score order, then rows of -1. IoU is MXNet's: intersection (0 when the boxes do
not overlap) over ``area_a + area_b - intersection``, areas of corner boxes ``(x2-x1)(y2-y1)``
(0 for inverted boxes). The greedy pass is an ONNX Loop over the sorted positions.
"""
from __future__ import annotations

import ast

import numpy as np

from ...graph.attrs import Attr, AttrValueError, Bool, Float, Int, Str
from .common import binary
from .registry import Unsupported, op


class Floats(Attr):
    """A tuple of floats (``sizes=(0.3, 0.6)``, ``variances``): the string MXNet stores or
    the Python value."""
    kind = "tuple"

    def convert(self, value):
        if isinstance(value, str):
            try:
                value = ast.literal_eval(value.strip()) if value.strip() else ()
            except (ValueError, SyntaxError) as err:
                raise AttrValueError(f"{value!r} is not a tuple of floats") from err
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return (float(value),)
        if not isinstance(value, (tuple, list)) or not all(
                isinstance(v, (int, float)) and not isinstance(v, bool) for v in value):
            raise AttrValueError(f"{value!r} is not a tuple of floats")
        return tuple(float(v) for v in value)

_FORMATS = {"corner", "center"}


def _cols(g, value, start, count):
    """``value[..., start:start + count]``."""
    shape = value.shape[:-1] + (count,)
    return g.node("Slice", [value, g.constant([start], np.int64),
                            g.constant([start + count], np.int64),
                            g.constant([value.ndim - 1], np.int64)], shape, value.dtype)


def _corners(g, box, fmt):
    """(x1, y1, x2, y2), each ``box.shape[:-1] + (1,)``, from corner or center boxes."""
    parts = [_cols(g, box, i, 1) for i in range(4)]
    if fmt == "corner":
        return parts
    x, y, w, h = parts
    half_w, half_h = binary(g, "Mul", w, 0.5), binary(g, "Mul", h, 0.5)
    return [binary(g, "Sub", x, half_w), binary(g, "Sub", y, half_h),
            binary(g, "Add", x, half_w), binary(g, "Add", y, half_h)]


def _area(g, x1, y1, x2, y2):
    w, h = binary(g, "Sub", x2, x1), binary(g, "Sub", y2, y1)
    zero = g.constant(0.0, w.dtype)
    bad = g.node("Or", [g.node("Less", [w, zero], w.shape, np.bool_),
                        g.node("Less", [h, zero], h.shape, np.bool_)], w.shape, np.bool_)
    return g.node("Where", [bad, zero, binary(g, "Mul", w, h)], w.shape, w.dtype)


def _iou(g, a, b):
    """IoU of every box of ``a`` (corners with shape (..., M, 1)) against every box of ``b``
    (corners with shape (..., 1, N)): (..., M, N)."""
    left = g.node("Max", [a[0], b[0]], _bshape(a[0], b[0]), a[0].dtype)
    right = g.node("Min", [a[2], b[2]], left.shape, a[0].dtype)
    top = g.node("Max", [a[1], b[1]], left.shape, a[0].dtype)
    bottom = g.node("Min", [a[3], b[3]], left.shape, a[0].dtype)
    inter = _area(g, left, top, right, bottom)
    union = binary(g, "Sub", binary(g, "Add", _area(g, *a), _area(g, *b)), inter)
    return binary(g, "Div", inter, union)


def _bshape(a, b):
    return tuple(np.broadcast_shapes(a.shape, b.shape))


def _unsqueeze(g, value, axis):
    shape = list(value.shape)
    shape.insert(axis % (value.ndim + 1), 1)
    return g.node("Unsqueeze", [value, g.constant([axis], np.int64)], tuple(shape), value.dtype)


def _squeeze_last(g, value):
    return g.node("Squeeze", [value, g.constant([value.ndim - 1], np.int64)], value.shape[:-1],
                  value.dtype)


@op("_contrib_box_iou", "box_iou", "_npx_box_iou", inputs=("lhs", "rhs"),
    attrs={"format": Str("corner", choices=_FORMATS)},
    shape=lambda a, lhs, rhs: tuple(lhs[:-1]) + tuple(rhs[:-1]))
def box_iou(g, a, lhs, rhs):
    """Every lhs box against every rhs box by broadcasting (no reshape: the batch may be in
    both)."""
    if lhs.shape[-1] != 4 or rhs.shape[-1] != 4:
        g.fail(f"boxes of shapes {lhs.shape} and {rhs.shape} (the last axis must be 4)")
    nl, nr = lhs.ndim - 1, rhs.ndim - 1
    a_c = [_expand(g, _squeeze_last(g, c), list(range(nl, nl + nr)))
           for c in _corners(g, lhs, a.format)]
    b_c = [_expand(g, _squeeze_last(g, c), list(range(nl)))
           for c in _corners(g, rhs, a.format)]
    return _iou(g, a_c, b_c)


def _expand(g, value, axes):
    if not axes:
        return value
    shape = list(value.shape)
    for axis in axes:
        shape.insert(axis, 1)
    return g.node("Unsqueeze", [value, g.constant(axes, np.int64)], tuple(shape), value.dtype)


def _nms_shape(a, data):
    if len(data) not in (2, 3):
        raise Unsupported(f"a {len(data)}-d input (2-d or 3-d boxes)")
    width = data[-1]
    for key in ("coord_start", "score_index", "id_index"):
        index = getattr(a, key)
        last = index + 3 if key == "coord_start" else index
        if (key != "id_index" or index >= 0) and not 0 <= index <= last < width:
            raise Unsupported(f"{key}={index} for rows of {width} values")
    if a.in_format != a.out_format:
        raise Unsupported(f"in_format={a.in_format!r} with out_format={a.out_format!r}")
    return tuple(data)


@op("_contrib_box_nms", "box_nms", "_contrib_box_non_maximum_suppression", "_npx_box_nms",
    attrs={"overlap_thresh": Float(0.5), "valid_thresh": Float(0.0), "topk": Int(-1),
           "coord_start": Int(2), "score_index": Int(1), "id_index": Int(-1),
           "background_id": Int(-1), "force_suppress": Bool(False),
           "in_format": Str("corner", choices=_FORMATS),
           "out_format": Str("corner", choices=_FORMATS)},
    shape=_nms_shape, num_outputs=2)
def box_nms(g, a, data):
    _nms_shape(a, data.shape)
    g.fixed_axes([-2], "the number of boxes (sizes of the sort, topk and NMS loop)")
    squeeze = data.ndim == 2
    if squeeze:
        data = _unsqueeze(g, data, 0)
    b, k, w = data.shape
    dt = data.dtype
    score = _squeeze_last(g, _cols(g, data, a.score_index, 1))                 # (B, K)
    valid = g.node("Greater", [score, g.constant(float(a.valid_thresh), dt)], (b, k), np.bool_)
    if a.background_id >= 0 and a.id_index >= 0:
        ids = _squeeze_last(g, _cols(g, data, a.id_index, 1))
        other = g.node("Not", [g.node("Equal", [ids, g.constant(float(a.background_id), dt)],
                                      (b, k), np.bool_)], (b, k), np.bool_)
        valid = g.node("And", [valid, other], (b, k), np.bool_)
    key = g.node("Where", [valid, score, g.constant(-np.inf, dt)], (b, k), dt)
    # only the first ``topk`` boxes in score order take part: the NMS works on those alone
    t = a.topk if 0 < a.topk < k else k
    order = _sort_desc(g, key, t)                                               # (B, T)
    rows = g.node("GatherND", [data, _unsqueeze(g, order, -1)], (b, t, w), dt, batch_dims=1)
    kept = _gather_flags(g, valid, order)
    boxes = _cols(g, rows, a.coord_start, 4)
    corners = _corners(g, boxes, a.in_format)                                  # (B, T, 1)
    suppress = g.node("Greater", [_iou(g, corners, [g.node(
        "Transpose", [c], (b, 1, t), dt, perm=[0, 2, 1]) for c in corners]),
        g.constant(float(a.overlap_thresh), dt)], (b, t, t), np.bool_)
    if a.id_index >= 0 and not a.force_suppress:
        ids = _cols(g, rows, a.id_index, 1)
        same = g.node("Equal", [ids, g.node("Transpose", [ids], (b, 1, t), dt, perm=[0, 2, 1])],
                      (b, t, t), np.bool_)
        suppress = g.node("And", [suppress, same], (b, t, t), np.bool_)
    kept = _greedy(g, kept, suppress, t)
    # kept rows first, in score order
    rank = g.node("Where", [kept, g.constant(np.arange(t, 0, -1, dtype=np.float32)),
                            g.constant(0.0)], (b, t), np.float32)
    place = _sort_desc(g, rank)
    rows = g.node("GatherND", [rows, _unsqueeze(g, place, -1)], (b, t, w), dt, batch_dims=1)
    kept = _gather_flags(g, kept, place)
    out = g.node("Where", [_unsqueeze(g, kept, -1), rows, g.constant(-1.0, dt)], (b, t, w), dt)
    if t < k:   # the boxes beyond topk are never kept: rows of -1
        out = g.node("Pad", [out, g.constant([0, 0, 0, 0, k - t, 0], np.int64),
                             g.constant(-1.0, dt)], (b, k, w), dt, mode="constant")
    if squeeze:
        out = g.node("Squeeze", [out, g.constant([0], np.int64)], (k, w), dt)
    return [out, out]


def _first_rows(g, value, count):
    """``value[:, :count]``."""
    if count == value.shape[1]:
        return value
    return g.node("Slice", [value, g.constant([0], np.int64), g.constant([count], np.int64),
                            g.constant([1], np.int64)],
                  (value.shape[0], count) + value.shape[2:], value.dtype)


def _gather_flags(g, flags, order):
    """``flags`` (B, K) bool permuted by ``order`` along axis 1 (a float GatherND: onnx 1.23's
    reference GatherElements fails beyond 32 positions)."""
    value = g.node("Cast", [flags], flags.shape, np.float32, to=1)
    value = g.node("GatherND", [value, _unsqueeze(g, order, -1)], order.shape, np.float32,
                   batch_dims=1)
    return g.node("Cast", [value], order.shape, np.bool_, to=9)


def _sort_desc(g, key, count=None):
    """Indices (int64) of the ``count`` (default all) largest of ``key`` (B, K) along axis 1,
    descending, ties in index order."""
    b, k = key.shape
    count = k if count is None else count
    values = g.node("TopK", [key, g.constant([count], np.int64)], (b, count), key.dtype,
                    n_outputs=2, axis=1, largest=1, sorted=1)
    return type(values)(g.nodes[-1][2][1], (b, count), np.int64)


def _greedy(g, kept, suppress, k):
    """Greedy NMS over sorted positions: for i = 0..K-1, a kept box i drops every later box j
    with ``suppress[:, i, j]``. An ONNX Loop carrying ``kept`` (B, K)."""
    from onnx import TensorProto, helper
    i, cond, state = g.fresh("i"), g.fresh("cond"), g.fresh("kept")
    names = {n: g.fresh(n) for n in ("row", "mine", "later", "hit", "drop", "out", "pos",
                                     "i1", "ax", "cond_out")}
    body_nodes = [
        helper.make_node("Constant", [], [names["ax"]],
                         value=helper.make_tensor("ax", TensorProto.INT64, [1], [0])),
        helper.make_node("Unsqueeze", [i, names["ax"]], [names["i1"]]),
        helper.make_node("Constant", [], [names["pos"]],
                         value=helper.make_tensor("pos", TensorProto.INT64, [1, k],
                                                  list(range(k)))),
        helper.make_node("Gather", [suppress.name, i], [names["row"]], axis=1),     # (B, K)
        helper.make_node("Gather", [state, names["i1"]], [names["mine"]], axis=1),  # (B, 1)
        helper.make_node("Greater", [names["pos"], names["i1"]], [names["later"]]),
        helper.make_node("And", [names["row"], names["mine"]], [names["hit"]]),
        helper.make_node("And", [names["hit"], names["later"]], [names["drop"]]),
        helper.make_node("Not", [names["drop"]], [names["drop"] + "_not"]),
        helper.make_node("And", [state, names["drop"] + "_not"], [names["out"]]),
        helper.make_node("Identity", [cond], [names["cond_out"]]),
    ]
    body = helper.make_graph(
        body_nodes, g.fresh("nms_body"),
        [helper.make_tensor_value_info(i, TensorProto.INT64, []),
         helper.make_tensor_value_info(cond, TensorProto.BOOL, []),
         helper.make_tensor_value_info(state, TensorProto.BOOL, None)],
        [helper.make_tensor_value_info(names["cond_out"], TensorProto.BOOL, []),
         helper.make_tensor_value_info(names["out"], TensorProto.BOOL, None)])
    trips = g.node("Constant", [], (), np.int64,
                   value=helper.make_tensor("trips", TensorProto.INT64, [], [k]))
    go = g.node("Constant", [], (), np.bool_,
                value=helper.make_tensor("go", TensorProto.BOOL, [], [True]))
    return g.node("Loop", [trips, go, kept], kept.shape, np.bool_, body=body)


def _prior_anchors(a, data):
    """MXNet's anchors for a (N, C, H, W) feature map, float32 as the C++ computes them:
    per cell (row-major), first every size with the first ratio, then every further ratio
    with the first size; boxes ``center -+ (size H / W sqrt(r) / 2, size / sqrt(r) / 2)``."""
    if len(data) != 4:
        raise Unsupported(f"a {len(data)}-d input (N, C, H, W expected)")
    f32 = np.float32
    h, w = data[2], data[3]
    steps = a.steps if len(a.steps) == 2 else (-1.0, -1.0)
    offsets = a.offsets if len(a.offsets) == 2 else None
    if offsets is None:
        raise Unsupported(f"offsets={a.raw.get('offsets')!r}")
    step_y = f32(steps[0]) if steps[0] > 0 else f32(1.0) / f32(h)
    step_x = f32(steps[1]) if steps[1] > 0 else f32(1.0) / f32(w)
    shapes = [(f32(s), f32(np.sqrt(f32(a.ratios[0])))) for s in a.sizes]
    shapes += [(f32(a.sizes[0]), f32(np.sqrt(f32(r)))) for r in a.ratios[1:]]
    boxes = []
    for r in range(h):
        cy = (f32(r) + f32(offsets[0])) * step_y
        for c in range(w):
            cx = (f32(c) + f32(offsets[1])) * step_x
            for size, ratio in shapes:
                half_w = size * f32(h) / f32(w) * ratio / f32(2)
                half_h = size / ratio / f32(2)
                boxes.append((cx - half_w, cy - half_h, cx + half_w, cy + half_h))
    out = np.asarray(boxes, dtype=np.float32).reshape(1, -1, 4)
    return np.clip(out, 0.0, 1.0) if a.clip else out


@op("_contrib_MultiBoxPrior", "MultiBoxPrior", "_npx_multibox_prior",
    attrs={"sizes": Floats((1.0,)), "ratios": Floats((1.0,)), "clip": Bool(False),
           "steps": Floats((-1.0, -1.0)), "offsets": Floats((0.5, 0.5))},
    shape=lambda a, data: _prior_anchors(a, data).shape)
def multibox_prior(g, a, data):
    """Anchors depend only on the feature map's (static) spatial shape: a constant."""
    return g.constant(_prior_anchors(a, data.shape))


def _detection_shape(a, cls_prob, loc_pred, anchor):
    if len(cls_prob) != 3 or tuple(loc_pred) != (cls_prob[0], cls_prob[2] * 4) or tuple(
            anchor) != (1, cls_prob[2], 4):
        raise Unsupported(f"cls_prob {tuple(cls_prob)}, loc_pred {tuple(loc_pred)}, anchor "
                          f"{tuple(anchor)} (need (B, C, A), (B, A*4), (1, A, 4))")
    if len(a.variances) != 4:
        raise Unsupported(f"variances={a.raw.get('variances')!r} (4 values)")
    return (cls_prob[0], cls_prob[2], 6)


@op("_contrib_MultiBoxDetection", "MultiBoxDetection", "_npx_multibox_detection",
    inputs=("cls_prob", "loc_pred", "anchor"),
    attrs={"clip": Bool(True), "threshold": Float(0.01),
           # MXNet 1.9.1 always treats class 0 as the background
           "background_id": Int(0, choices={0}), "nms_threshold": Float(0.5),
           "force_suppress": Bool(False), "variances": Floats((0.1, 0.1, 0.2, 0.2)),
           "nms_topk": Int(-1)},
    shape=_detection_shape)
def multibox_detection(g, a, cls_prob, loc_pred, anchor):
    """MXNet 1.9.1's MultiBoxDetection (src/operator/contrib/multibox_detection.cc):

    * per anchor, the first most probable non-background class; below ``threshold`` the anchor
      is invalid; boxes decoded ``center + loc * variance * size``, ``size * exp(loc * var)``
      (clipped to [0, 1] with ``clip``);
    * valid rows ``[class, score, x1, y1, x2, y2]`` are compacted in anchor order; the first
      ``nms_topk`` of them by score (stable) are written in score order, the other valid rows
      stay where compaction put them with class -1, the rest are rows of -1;
    * greedy NMS over the written rows drops (class -1) a later row with IoU ``>=
      nms_threshold`` (same class unless ``force_suppress``); a threshold outside (0, 1]
      skips the sorting and NMS.
    """
    b, c, n = cls_prob.shape
    dt = cls_prob.dtype
    fg = g.node("Slice", [cls_prob, g.constant([1], np.int64), g.constant([c], np.int64),
                          g.constant([1], np.int64)], (b, c - 1, n), dt)
    score = g.node("ReduceMax", [fg], (b, n), dt, axes=[1], keepdims=0)
    cls = g.node("ArgMax", [fg], (b, n), np.int64, axis=1, keepdims=0)
    valid = g.node("Not", [g.node("Less", [score, g.constant(float(a.threshold), dt)], (b, n),
                                  np.bool_)], (b, n), np.bool_)
    cls = g.node("Where", [valid, g.node("Cast", [cls], (b, n), dt, to=1),
                           g.constant(-1.0, dt)], (b, n), dt)
    boxes = _decode(g, a, loc_pred, anchor, b, n)
    rows = g.node("Concat", [_unsqueeze(g, cls, -1), _unsqueeze(g, score, -1), boxes],
                  (b, n, 6), dt, axis=2)
    # compaction: valid rows first, in anchor order
    order = _sort_desc(g, g.node("Where", [valid, g.constant(
        np.arange(n, 0, -1, dtype=np.float32)), g.constant(0.0)], (b, n), np.float32))
    rows = g.node("GatherND", [rows, _unsqueeze(g, order, -1)], (b, n, 6), dt, batch_dims=1)
    valid = _gather_flags(g, valid, order)
    minus = g.constant(-1.0, dt)
    if not 0 < a.nms_threshold <= 1:
        return g.node("Where", [_unsqueeze(g, valid, -1), rows, minus], (b, n, 6), dt)
    score = _squeeze_last(g, _cols(g, rows, 1, 1))
    order = _sort_desc(g, g.node("Where", [valid, score, g.constant(-np.inf, dt)], (b, n), dt))
    ranked = g.node("GatherND", [rows, _unsqueeze(g, order, -1)], (b, n, 6), dt, batch_dims=1)
    top = _gather_flags(g, valid, order)
    # only the first ``nms_topk`` ranked rows take part: the NMS works on those alone
    t = a.nms_topk if 0 < a.nms_topk < n else n
    if t < n:
        first = g.constant((np.arange(n) < t).reshape(1, n), np.bool_)
        top = g.node("And", [top, first], (b, n), np.bool_)
    head = _first_rows(g, ranked, t)                                            # (B, T, 6)
    corners = [_cols(g, head, 2 + i, 1) for i in range(4)]                      # (B, T, 1)
    iou = _overlap(g, corners, [g.node("Transpose", [x], (b, 1, t), dt, perm=[0, 2, 1])
                                for x in corners])
    suppress = g.node("GreaterOrEqual", [iou, g.constant(float(a.nms_threshold), dt)],
                      (b, t, t), np.bool_)
    if not a.force_suppress:
        ids = _cols(g, head, 0, 1)
        same = g.node("Equal", [ids, g.node("Transpose", [ids], (b, 1, t), dt, perm=[0, 2, 1])],
                      (b, t, t), np.bool_)
        suppress = g.node("And", [suppress, same], (b, t, t), np.bool_)
    kept = _greedy(g, _first_rows(g, top, t), suppress, t)
    head_ids = _squeeze_last(g, _cols(g, head, 0, 1))
    ranked = g.node("Concat", [_unsqueeze(g, g.node("Where", [kept, head_ids, minus], (b, t),
                                                    dt), -1), _cols(g, head, 1, 5)],
                    (b, t, 6), dt, axis=2)
    if t < n:   # the rows beyond nms_topk are not ``top``: placeholders the Where below skips
        ranked = g.node("Pad", [ranked, g.constant([0, 0, 0, 0, n - t, 0], np.int64), minus],
                        (b, n, 6), dt, mode="constant")
    rest = g.node("Concat", [g.node("Where", [_unsqueeze(g, valid, -1),
                                              g.constant(-np.ones((1, 1, 1), np.float32), dt),
                                              minus], (b, n, 1), dt), _cols(g, rows, 1, 5)],
                  (b, n, 6), dt, axis=2)
    rest = g.node("Where", [_unsqueeze(g, valid, -1), rest, minus], (b, n, 6), dt)
    return g.node("Where", [_unsqueeze(g, top, -1), ranked, rest], (b, n, 6), dt)


def _decode(g, a, loc_pred, anchor, b, n):
    """(B, N, 4) corner boxes from the anchors and the predicted offsets (float32 in MXNet's
    order of operations)."""
    dt = loc_pred.dtype
    loc = g.node("Reshape", [loc_pred, g.constant([0, n, 4], np.int64)], (b, n, 4), dt)
    al, at, ar, ab = [_cols(g, anchor, i, 1) for i in range(4)]                 # (1, N, 1)
    aw, ah = binary(g, "Sub", ar, al), binary(g, "Sub", ab, at)
    ax = binary(g, "Div", binary(g, "Add", al, ar), 2.0)
    ay = binary(g, "Div", binary(g, "Add", at, ab), 2.0)
    px, py, pw, ph = [_cols(g, loc, i, 1) for i in range(4)]                    # (B, N, 1)
    vx, vy, vw, vh = a.variances
    ox = binary(g, "Add", binary(g, "Mul", binary(g, "Mul", px, float(vx)), aw), ax)
    oy = binary(g, "Add", binary(g, "Mul", binary(g, "Mul", py, float(vy)), ah), ay)
    ow = binary(g, "Div", binary(g, "Mul", g.node("Exp", [binary(g, "Mul", pw, float(vw))],
                                                  pw.shape, dt), aw), 2.0)
    oh = binary(g, "Div", binary(g, "Mul", g.node("Exp", [binary(g, "Mul", ph, float(vh))],
                                                  ph.shape, dt), ah), 2.0)
    parts = [binary(g, "Sub", ox, ow), binary(g, "Sub", oy, oh), binary(g, "Add", ox, ow),
             binary(g, "Add", oy, oh)]
    if a.clip:
        parts = [g.node("Clip", [p, g.constant(0.0, dt), g.constant(1.0, dt)], p.shape, dt)
                 for p in parts]
    return g.node("Concat", parts, (b, n, 4), dt, axis=2)


def _overlap(g, a, b):
    """MultiBoxDetection's IoU: ``max(0, ...)`` intersection sides, unclamped areas, 0 when the
    union is <= 0."""
    zero = g.constant(0.0, a[0].dtype)
    shape = _bshape(a[0], b[0])
    w = g.node("Max", [zero, binary(g, "Sub", g.node("Min", [a[2], b[2]], shape, a[0].dtype),
                                    g.node("Max", [a[0], b[0]], shape, a[0].dtype))],
               shape, a[0].dtype)
    h = g.node("Max", [zero, binary(g, "Sub", g.node("Min", [a[3], b[3]], shape, a[0].dtype),
                                    g.node("Max", [a[1], b[1]], shape, a[0].dtype))],
               shape, a[0].dtype)
    inter = binary(g, "Mul", w, h)
    area_a = binary(g, "Mul", binary(g, "Sub", a[2], a[0]), binary(g, "Sub", a[3], a[1]))
    area_b = binary(g, "Mul", binary(g, "Sub", b[2], b[0]), binary(g, "Sub", b[3], b[1]))
    union = binary(g, "Sub", binary(g, "Add", area_a, area_b), inter)
    bad = g.node("LessOrEqual", [union, zero], shape, np.bool_)
    return g.node("Where", [bad, zero, binary(g, "Div", inter, union)], shape, a[0].dtype)
