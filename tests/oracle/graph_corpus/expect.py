"""Expected outputs: ``python -m graph_corpus.expect OUT CASE...`` in MXNet 1.9.1.

For each written case, MXNet 1.9.1 loads the case's own files through
``gluon.SymbolBlock.imports(symbol_file, input_names, param_file)`` — the reference the issue
names — and runs them at every batch size. Label variables (training heads) are left out of the
params files, so they are imported with ``allow_missing=True`` and zero-initialised (their values
do not reach inference outputs). Graphs written by 2.0.0b1 run under ``npx.set_np()`` when their
JSON says ``is_np_shape``, with their parameters re-saved in the 1.x format from ``params.npz``;
when 1.9.1 refuses such a graph (an op or attribute 1.x does not know), the refusal is recorded in
``case.json`` (``mx1_refused``) and run.py computes the outputs with this same script in 2.0.0b1.
Writes ``expected.npz`` (key ``<output index>@<batch>``) and adds the output count and shapes to
``case.json``.
"""
from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

import numpy as np


def run_case(mx, out: Path):
    meta = json.loads((out / "case.json").read_text())
    graph = json.loads((out / meta["symbol_file"]).read_text())
    np_shape = bool(graph.get("attrs", {}).get("is_np_shape", ["int", 0])[1])
    (mx.npx.set_np if np_shape else mx.npx.reset_np)()
    names = [i["name"] for i in meta["inputs"]]
    mx1 = mx.__version__.startswith("1.")
    inputs = np.load(out / "inputs.npz")
    make = mx.np.array if np_shape else mx.nd.array
    expected, shapes = {}, {}
    with tempfile.TemporaryDirectory() as tmp:
        params = out / meta["param_file"]
        if meta["mx1_param_file"] and mx1:
            arrays = np.load(out / meta["mx1_param_file"])
            params = Path(tmp) / "mx1.params"
            mx.nd.save(str(params), {k: mx.nd.array(arrays[k], dtype=arrays[k].dtype)
                                     for k in arrays.files})
        for b in meta["batches"]:
            # A fresh import per batch size: label parameters take the first batch's shape.
            net = mx.gluon.SymbolBlock.imports(str(out / meta["symbol_file"]), names,
                                               str(params), allow_missing=bool(meta["labels"]))
            for name, p in net.collect_params().items():
                if name in meta["labels"]:
                    p.initialize(mx.init.Zero())
            xs = [make(inputs[f"{n}@{b}"], dtype=inputs[f"{n}@{b}"].dtype) for n in names]
            outs = net(*xs)
            outs = list(outs) if isinstance(outs, (list, tuple)) else [outs]
            arrays = [o.asnumpy() for o in outs]
            expected.update({f"{k}@{b}": a for k, a in enumerate(arrays)})
            shapes[str(b)] = [[list(a.shape), a.dtype.name] for a in arrays]
    count = len(outs)
    np.savez(out / "expected.npz", **expected)
    meta.update(outputs=count, output_shapes=shapes,
                expected_by=f"mxnet {mx.__version__} gluon.SymbolBlock.imports"
                            + (" (npx.set_np)" if np_shape else ""))
    (out / "case.json").write_text(json.dumps(meta, indent=1))


def refused_by_mx1(mx, out: Path, exc: Exception) -> bool:
    """Record that 1.9.1 cannot run a 2.0.0b1 graph, so run.py asks 2.0.0b1 instead."""
    meta = json.loads((out / "case.json").read_text())
    if not (mx.__version__.startswith("1.") and meta["oracle"].startswith("mx2")):
        return False
    meta["mx1_refused"] = f"{type(exc).__name__}: {str(exc).strip().splitlines()[0][:300]}"
    (out / "case.json").write_text(json.dumps(meta, indent=1))
    return True


def main(argv):
    root, names = Path(argv[0]), argv[1:]
    os.environ.setdefault("MXNET_ENGINE_TYPE", "NaiveEngine")
    import mxnet as mx
    failed = []
    for name in names:
        try:
            run_case(mx, root / name)
        except Exception as exc:  # one broken case must not hide the others
            if refused_by_mx1(mx, root / name, exc):
                continue
            failed.append(name)
            print(f"graph_corpus: case {name} failed in expect: {type(exc).__name__}: {exc}",
                  file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
