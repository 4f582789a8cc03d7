"""Spatial-transformer ops: GridGenerator, BilinearSampler, SpatialTransformer.

MXNet's sampling grid is ``(N, 2, H, W)``: channel 0 the source x (along W), channel 1 the
source y, normalised so that -1 and 1 are the centres of the first and last pixel
(``x = (gx + 1) * (W - 1) / 2``). A bilinear sample reads its four neighbours; a neighbour
outside the input reads 0. The sampling is composed here from GatherElements and arithmetic in
MXNet's order of operations: ONNX GridSample computes the same thing, but onnx's reference
evaluator refuses opset 16's mode names.
"""
from __future__ import annotations

import numpy as np

from ...graph.attrs import Ints, Str
from .common import binary, reshape, within
from .registry import Unsupported, op


def _target(a):
    """``target_shape`` as (H, W); MXNet requires both sides > 0, and a side of 1 makes its
    grid step ``2 / (side - 1)`` divide by zero (every output NaN)."""
    if len(a.target_shape) != 2 or min(a.target_shape) < 2:
        raise Unsupported(f"target_shape={a.raw.get('target_shape', '(0, 0)')!r} (need two "
                          "sides of at least 2)")
    return a.target_shape


def _affine_base(h, w):
    """(3, h * w): each target position's (x, y, 1), in float32 as MXNet computes them."""
    index = np.arange(h * w)
    x = np.float32(-1) + (index % w).astype(np.float32) * np.float32(2.0 / (w - 1))
    y = np.float32(-1) + (index // w).astype(np.float32) * np.float32(2.0 / (h - 1))
    return np.stack([x, y, np.ones_like(x)])


def _affine_grid(g, loc, h, w):
    """(N, 2, h * w): the (N, 6) ``loc`` as 2 x 3 matrices times the target positions."""
    n = loc.shape[0]
    mats = g.node("Reshape", [loc, g.shape_constant((0, 2, 3))], (n, 2, 3), loc.dtype)
    return g.node("MatMul", [mats, g.constant(_affine_base(h, w), loc.dtype)], (n, 2, h * w),
                  loc.dtype)


def _channel(g, grid, i):
    """Channel ``i`` of an (N, 2, P) grid as (N, 1, P)."""
    return g.node("Slice", [grid, g.constant([i], np.int64), g.constant([i + 1], np.int64),
                            g.constant([1], np.int64)],
                  (grid.shape[0], 1, grid.shape[2]), grid.dtype)


def _pixel(g, coord, size):
    """A normalised coordinate in pixels: ``(c + 1) * (size - 1) / 2``."""
    return binary(g, "Div", binary(g, "Mul", binary(g, "Add", coord, 1.0), float(size - 1)),
                  2.0)


def _sample(g, data, grid, out_hw):
    """Bilinear samples of ``data`` (N, C, H, W) at the (N, 2, P) normalised ``grid``, as
    (N, C, *out_hw): MXNet's sum over the four neighbours of value * weight_y * weight_x."""
    n, c, h, w = data.shape
    p = grid.shape[2]
    flat = g.node("Reshape", [data, g.shape_constant((0, 0, -1))], (n, c, h * w), data.dtype)
    x = _pixel(g, _channel(g, grid, 0), w)
    y = _pixel(g, _channel(g, grid, 1), h)
    x0 = g.node("Floor", [x], x.shape, x.dtype)
    y0 = g.node("Floor", [y], y.shape, y.dtype)
    wx = binary(g, "Sub", g.constant(1.0, x.dtype), binary(g, "Sub", x, x0))
    wy = binary(g, "Sub", g.constant(1.0, y.dtype), binary(g, "Sub", y, y0))
    weights_x = (wx, binary(g, "Sub", g.constant(1.0, x.dtype), wx))
    weights_y = (wy, binary(g, "Sub", g.constant(1.0, y.dtype), wy))
    total = None
    for dy in (0, 1):
        yi = binary(g, "Add", y0, float(dy)) if dy else y0
        for dx in (0, 1):
            xi = binary(g, "Add", x0, float(dx)) if dx else x0
            value = _neighbour(g, flat, xi, yi, w, h)
            term = binary(g, "Mul", binary(g, "Mul", value, weights_y[dy]), weights_x[dx])
            total = term if total is None else binary(g, "Add", total, term)
    return reshape(g, total, (n, c) + tuple(out_hw))


def _neighbour(g, flat, xi, yi, w, h):
    """``flat`` (N, C, H * W) at integer pixel (xi, yi) (each (N, 1, P)); 0 outside."""
    n, c, _ = flat.shape
    shape = xi.shape
    valid = g.node("And", [within(g, xi, 0, w - 1), within(g, yi, 0, h - 1)], shape, np.bool_)
    position = binary(g, "Add", binary(g, "Mul", yi, float(w)), xi)
    position = g.node("Where", [valid, position, g.constant(0.0, xi.dtype)], shape, xi.dtype)
    index = g.node("Cast", [position], shape, np.int64, to=7)
    index = g.node("Expand", [index, g.shape_constant((1, c, 1))], (n, c, shape[2]), np.int64)
    value = g.node("GatherElements", [flat, index], (n, c, shape[2]), flat.dtype, axis=2)
    return g.node("Where", [valid, value, g.constant(0.0, flat.dtype)], value.shape, flat.dtype)


# ---------------------------------------------------------------- GridGenerator

def _grid_shape(a, data):
    if a.transform_type == "affine":
        if len(data) != 2 or data[1] != 6:
            raise Unsupported(f"an affine input of shape {tuple(data)} (need (N, 6))")
        return (data[0], 2) + tuple(_target(a))
    if len(data) != 4 or data[1] != 2:
        raise Unsupported(f"a warp input of shape {tuple(data)} (need a flow (N, 2, H, W))")
    return tuple(data)


@op("GridGenerator", num_outputs=2,
    attrs={"transform_type": Str(required=True, choices={"affine", "warp"}),
           "target_shape": Ints((0, 0))},
    shape=_grid_shape)
def grid_generator(g, a, data):
    """affine: ``data`` (N, 6) holds 2 x 3 matrices applied to each target position
    (x, y, 1); warp: ``data`` is a flow in pixels, added to each position's pixel
    coordinates and normalised by ``(size - 1) / 2``."""
    out = _grid_shape(a, data.shape)
    if a.transform_type == "affine":
        return reshape(g, _affine_grid(g, data, *out[2:]), out)
    _, _, h, w = out
    base = np.stack(np.meshgrid(np.arange(w), np.arange(h))).astype(np.float32)[None]
    scale = np.array([(w - 1.0) / 2.0, (h - 1.0) / 2.0], np.float32).reshape(1, 2, 1, 1)
    moved = binary(g, "Add", data, g.constant(base, data.dtype))
    return binary(g, "Sub", binary(g, "Div", moved, g.constant(scale, data.dtype)), 1.0)


# ---------------------------------------------------------------- BilinearSampler

def _sampler_shape(a, data, grid):
    if len(data) != 4 or len(grid) != 4 or grid[1] != 2 or grid[0] != data[0]:
        raise Unsupported(f"data {tuple(data)} with grid {tuple(grid)} (need (N, C, H, W) and "
                          "(N, 2, H', W'))")
    return (data[0], data[1], grid[2], grid[3])


@op("BilinearSampler", inputs=("data", "grid"), num_outputs=2, shape=_sampler_shape)
def bilinear_sampler(g, a, data, grid):
    n, _, gh, gw = grid.shape
    flat = g.node("Reshape", [grid, g.shape_constant((0, 2, -1))], (n, 2, gh * gw), grid.dtype)
    return _sample(g, data, flat, (gh, gw))


# ---------------------------------------------------------------- SpatialTransformer

def _transformer_shape(a, data, loc):
    if len(data) != 4 or tuple(loc) != (data[0], 6):
        raise Unsupported(f"data {tuple(data)} with loc {tuple(loc)} (need (N, C, H, W) and "
                          "(N, 6))")
    return (data[0], data[1]) + tuple(_target(a))


@op("SpatialTransformer", inputs=("data", "loc"), num_outputs=3,
    attrs={"target_shape": Ints((0, 0)),
           "transform_type": Str(required=True, choices={"affine"}),
           "sampler_type": Str(required=True, choices={"bilinear"})},
    shape=_transformer_shape)
def spatial_transformer(g, a, data, loc):
    """GridGenerator (affine) then BilinearSampler, in one op."""
    h, w = _target(a)
    return _sample(g, data, _affine_grid(g, loc, h, w), (h, w))
