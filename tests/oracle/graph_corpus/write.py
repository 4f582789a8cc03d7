"""Write cases' graph files with a real MXNet: ``python -m graph_corpus.write OUT CASE...``.

Runs inside an oracle virtualenv (PYTHONPATH = tests/oracle). For each case it writes into
``OUT/<case>/``: ``model-symbol.json`` and ``model-0000.params`` exactly as MXNet writes them,
``inputs.npz`` (key ``<input>@<batch>``) and ``case.json``. Cases written by MXNet 2.0.0b1 also get
``params.npz`` (the same arrays, keyed as in the params file), because 1.9.1 cannot read 2.x
``.params`` files and expect.py needs them. Expected outputs are expect.py's job.
"""
from __future__ import annotations

import json
import os
import shutil
import sys
import zlib
from pathlib import Path

import numpy as np

from . import table

FIXTURES = Path(__file__).resolve().parents[2] / "data" / "graphs"
PREFIX = "model"
NP_ORACLES = ("mx1np", "mx2")  # cases written after npx.set_np()


def seed_of(name: str) -> int:
    return zlib.crc32(name.encode())


# ---- inputs -------------------------------------------------------------------------------------

def _boxes(rng, shape):
    """Detections (N, K, 6) [class, score, x1, y1, x2, y2] in clusters, so NMS suppresses."""
    n, k, _ = shape
    centres = rng.uniform(0.2, 0.8, size=(n, 4, 2))
    pick = rng.integers(0, 4, size=(n, k))
    c = np.take_along_axis(centres, pick[..., None], axis=1) + rng.normal(0, 0.03, (n, k, 2))
    half = rng.uniform(0.05, 0.2, size=(n, k, 2))
    cls = rng.integers(0, 3, size=(n, k, 1)).astype(np.float32)
    score = rng.uniform(0, 1, size=(n, k, 1))
    return np.concatenate([cls, score, c - half, c + half], axis=-1)


def _rois(rng, shape, size, batch):
    r = shape[0]
    xy = rng.uniform(0, 0.6 * size, size=(r, 2))
    wh = rng.uniform(2, 0.4 * size, size=(r, 2))
    idx = rng.integers(0, batch, size=(r, 1))
    return np.concatenate([idx, xy, xy + wh], axis=1)


def make_input(inp, batch, rng):
    shape = tuple(inp.at(batch))
    kind, _, arg = inp.gen.partition(":")
    if kind == "normal":
        a = rng.standard_normal(shape)
    elif kind == "positive":
        a = rng.uniform(0.1, 3.0, shape)
    elif kind == "unit":
        a = rng.uniform(0.0, 1.0, shape)
    elif kind == "mask":
        a = rng.integers(0, 2, shape)
    elif kind == "int":
        lo, hi = map(int, arg.split(":"))
        a = rng.integers(lo, hi, shape)
    elif kind == "seqlen":
        a = rng.integers(1, int(arg) + 1, shape)
    elif kind == "rois":
        a = _rois(rng, shape, int(arg), batch)
    elif kind == "boxes":
        a = _boxes(rng, shape)
    else:
        raise ValueError(f"unknown input generator {inp.gen!r} for input {inp.name}")
    return a.astype(inp.dtype)


def make_inputs(case):
    rng = np.random.default_rng(seed_of(case.name))
    return {b: [make_input(i, b, rng) for i in case.inputs] for b in case.batches}


# ---- parameters of symbol graphs ----------------------------------------------------------------

def random_param(name, shape, rng):
    if name.endswith(("moving_var", "running_var")):
        return rng.uniform(0.5, 1.5, shape)
    if name.endswith("gamma") and not name.startswith("prelu"):
        return rng.uniform(0.5, 1.5, shape)
    return rng.normal(0.0, 0.5, shape)


def symbol_params(mx, sym, case):
    """Random arg/aux params for every argument that is neither an input nor a label."""
    b = case.batches[0]
    shapes = {i.name: tuple(i.at(b)) for i in case.inputs}
    arg_shapes, _, aux_shapes = sym.infer_shape_partial(**shapes)
    rng = np.random.default_rng(seed_of(case.name) + 1)
    skip = set(shapes) | set(case.labels)
    args = {n: mx.nd.array(random_param(n, s, rng))
            for n, s in zip(sym.list_arguments(), arg_shapes) if n not in skip}
    aux = {n: mx.nd.array(random_param(n, s, rng))
           for n, s in zip(sym.list_auxiliary_states(), aux_shapes)}
    return args, aux


def write_symbol(mx, sym, case, out):
    args, aux = symbol_params(mx, sym, case)
    prefix = str(out / PREFIX)
    if case.kind == "sym":
        mx.model.save_checkpoint(prefix, 0, sym, args, aux)
        return "mx.model.save_checkpoint"
    if case.kind in ("sym_save", "legacy"):
        if case.kind == "sym_save":
            sym.save(prefix + "-symbol.json")
        else:
            shutil.copyfile(FIXTURES / f"{case.build}.json", prefix + "-symbol.json")
        params = {**{"arg:" + k: v for k, v in args.items()},
                  **{"aux:" + k: v for k, v in aux.items()}}
        mx.nd.save(prefix + "-0000.params", params)
        if case.kind == "legacy":
            return f"JSON: fixture tests/data/graphs/{case.build}.json; params: mx.nd.save"
        return "Symbol.save + mx.nd.save"
    assert case.kind == "module", case.kind
    b = case.batches[0]
    mod = mx.mod.Module(sym, data_names=[i.name for i in case.inputs],
                        label_names=list(case.labels), context=mx.cpu())
    mod.bind(data_shapes=[(i.name, tuple(i.at(b))) for i in case.inputs], for_training=False)
    mod.set_params(args, aux)
    mod.save_checkpoint(prefix, 0)
    return "Module.save_checkpoint"


# ---- blocks -------------------------------------------------------------------------------------

def to_arrays(mx, arrays, np_mode):
    make = mx.np.array if np_mode else mx.nd.array
    return [make(a, dtype=a.dtype) for a in arrays]


def build_block(mx, case, first_batch, np_mode):
    from . import blocks
    if case.kind == "zoo":
        net = blocks.zoo(mx, case.build)
    elif case.build.startswith("zoo:"):
        net = blocks.zoo(mx, case.build[4:])
    else:
        net = getattr(blocks, case.build)(mx)
    net.hybridize()
    xs = to_arrays(mx, first_batch, np_mode)
    net(*xs)
    if case.kind in ("zoo", "int8"):
        blocks.finish_zoo(mx, net)
    if case.kind == "int8":
        rng = np.random.default_rng(seed_of(case.name) + 2)
        calib = mx.nd.array(rng.standard_normal((8,) + tuple(first_batch[0].shape[1:])))
        net = blocks.quantized(mx, net, calib, case.extra["calib_mode"],
                               case.extra.get("exclude_match"))
        net(*xs)
    return net


def write_block(mx, case, out, inputs, np_mode):
    net = build_block(mx, case, inputs[case.batches[0]], np_mode)
    net.export(str(out / PREFIX), epoch=0)
    if case.oracle.startswith("mx2"):
        loaded = mx.npx.load(str(out / f"{PREFIX}-0000.params"))
        np.savez(out / "params.npz", **{k: v.asnumpy() for k, v in loaded.items()})
    return "quantize_net + HybridBlock.export" if case.kind == "int8" else "HybridBlock.export"


# ---- case ---------------------------------------------------------------------------------------

def ops_in(graph) -> list:
    """Every operator in a symbol JSON, nested subgraphs included."""
    found = set()

    def walk(g):
        for node in g.get("nodes", []):
            if node.get("op") != "null":
                found.add(node["op"])
            for sub in node.get("subgraphs", []) or []:
                walk(sub)

    walk(graph)
    return sorted(found)


def generation(graph) -> str:
    version = graph.get("attrs", {}).get("mxnet_version")
    nodes = graph.get("nodes", [])
    if any("backward_source_id" in n or "param" in n for n in nodes):
        return "pre-0.9 (param, backward_source_id)"
    if version is None:
        return "no mxnet_version"
    v = version[1]
    if any("attr" in n for n in nodes):
        return f"0.9-0.11 (attr), mxnet_version {v}"
    return f"{v // 10000}.x (attrs), mxnet_version {v}"


def write_case(mx, case, root):
    out = Path(root) / case.name
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    mx.random.seed(seed_of(case.name) % (2 ** 31))
    np.random.seed(seed_of(case.name) % (2 ** 31))
    inputs = make_inputs(case)
    np_mode = case.oracle != "mx1"  # 2.0.0b1 Gluon takes np arrays even without set_np
    if case.kind in ("block", "zoo", "int8"):
        writer = write_block(mx, case, out, inputs, np_mode)
    else:
        from . import sym_graphs
        sym = (mx.sym.load(str(FIXTURES / f"{case.build}.json")) if case.kind == "legacy"
               else getattr(sym_graphs, case.build)(mx))
        writer = write_symbol(mx, sym, case, out)
    np.savez(out / "inputs.npz", **{f"{i.name}@{b}": a for b, arrays in inputs.items()
                                     for i, a in zip(case.inputs, arrays)})
    graph = json.loads((out / f"{PREFIX}-symbol.json").read_text())
    meta = {
        "name": case.name, "kind": case.kind, "oracle": case.oracle,
        "written_by": f"mxnet {mx.__version__}" + (" (npx.set_np)" if case.oracle in NP_ORACLES else ""),
        "writer": writer, "generation": generation(graph),
        "symbol_file": f"{PREFIX}-symbol.json", "param_file": f"{PREFIX}-0000.params",
        "mx1_param_file": "params.npz" if case.oracle.startswith("mx2") else None,
        "batches": list(case.batches),
        "inputs": [{"name": i.name, "dtype": i.dtype, "gen": i.gen,
                    "shapes": {str(b): i.at(b) for b in case.batches}} for i in case.inputs],
        "labels": list(case.labels), "ops": list(case.ops), "ops_in_json": ops_in(graph),
        "rtol": case.rtol, "finite": case.finite, "notes": case.notes,
    }
    (out / "case.json").write_text(json.dumps(meta, indent=1))


def main(argv):
    root, names = argv[0], argv[1:]
    os.environ.setdefault("MXNET_ENGINE_TYPE", "NaiveEngine")
    import mxnet as mx
    cases = table.by_name()
    if names and cases[names[0]].oracle in NP_ORACLES:
        mx.npx.set_np()
    failed = []
    for name in names:
        try:
            write_case(mx, cases[name], root)
        except Exception as exc:  # one broken case must not hide the others
            failed.append(name)
            print(f"graph_corpus: case {name} failed in write: {type(exc).__name__}: {exc}",
                  file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
