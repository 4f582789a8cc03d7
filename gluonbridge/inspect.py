"""``python -m gluonbridge.inspect FILE [--json]``: what a checkpoint holds, from its index only;
for a ``-symbol.json`` graph, its inputs, outputs, parameters, op census and every op gluonbridge
cannot lower (:func:`gluonbridge.backend.exported.describe`)."""
from __future__ import annotations

import argparse
import json
import os
import sys

from .checkpoint.errors import CheckpointError, one_line
from .checkpoint.formats import read_index, sniff_format

EPILOG = """\
examples:
  python -m gluonbridge.inspect resnet18_v1-0000.params
  python -m gluonbridge.inspect model.npz --json | jq '.tensors[].key'
  python -m gluonbridge.inspect net-symbol.json          # inputs, outputs, parameters, ops
  python -m gluonbridge.inspect net-symbol.json --input data:1,3,224,224   # with shapes

Only headers are read (no tensor data), so inspecting a large file is instant.
exit status: 0 ok, 1 the file could not be read, 2 usage error, 130 interrupted
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m gluonbridge.inspect", epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="List the keys, dtypes, shapes, byte sizes and storage types of an MXNet "
                    "1.x .params, MXNet 2.x .npz/.npy, safetensors or ONNX file.")
    parser.add_argument("file", help="the checkpoint (or -symbol.json) to inspect")
    parser.add_argument("--json", action="store_true", help="print one JSON document instead")
    parser.add_argument("--input", metavar="NAME:DIMS[:DTYPE]", action="append", default=[],
                        dest="inputs", type=input_spec, help="a graph's input shape, to infer "
                        "the parameter and output shapes (default: the __shape__ attributes)")
    parser.add_argument("--params", metavar="P", help="a graph's parameter file, telling "
                        "parameters from inputs (default: the newest NAME-NNNN.params beside "
                        "NAME-symbol.json, if any; only its index is read)")
    return parser


def input_spec(text):
    """argparse type of ``--input NAME:DIMS`` (convert and inspect)."""
    from .backend.exported import parse_input_spec   # the backend only for graphs
    try:
        return parse_input_spec(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def describe(path, inputs=None, params=None) -> dict:
    """The index of ``path`` as a JSON-ready dict; for a graph, ``inputs`` (name -> (shape,
    dtype or None)) and ``params`` (a parameter file) as in
    :func:`gluonbridge.backend.exported.describe`."""
    fmt = sniff_format(path)
    if fmt == "symbol-json":
        from .backend.exported import describe as describe_graph
        return describe_graph(path, inputs, params)
    index = read_index(path, fmt)
    tensors = []
    for t in index.tensors:
        shape = None if t.shape is None else list(t.shape)
        entry = {"key": t.key, "dtype": t.dtype, "shape": shape, "bytes": t.nbytes,
                 "stype": t.stype}
        if t.stype in ("row_sparse", "csr"):
            entry["storage_shape"] = list(t.storage_shape)
        for field in ("record", "context"):
            if field in t.meta:
                entry[field] = t.meta[field]
        tensors.append(entry)
    return {"file": str(path), "format": fmt, "container": index.container,
            "arrays": len(tensors), "bytes": index.nbytes, "tensors": tensors,
            "notes": index.notes}


def _human(n: int) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if n < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


def _shape(shape) -> str:
    return "?" if shape is None else str(tuple(shape))


def _print_graph(info: dict) -> None:
    from .backend.exported import format_unsupported
    if info["unsupported"]:
        print(f"cannot lower ({len(info['unsupported'])}):")
        print(format_unsupported([(u["node"], u["op"], u["detail"])
                                  for u in info["unsupported"]]))
    for title, rows in (("inputs", [(i["name"], _shape(i["shape"]), i["dtype"])
                                    for i in info["inputs"]]),
                        ("labels (not fed at inference)", [(n,) for n in info["labels"]]),
                        ("outputs", [(o["name"], _shape(o["shape"])) for o in info["outputs"]]),
                        ("parameters", [(p["key"], _shape(p["shape"]), p["dtype"] or "")
                                        for p in info["parameters"]]),
                        ("ops", sorted(((op, str(n)) for op, n in info["ops"].items()),
                                       key=lambda r: (-int(r[1]), r[0])))):
        if rows:
            print(f"{title}:")
            widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
            for row in rows:
                print("  " + "  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())
    for note in info["notes"]:
        print(f"note: {note}")
    if info["params"]:
        print(f"parameters as in {info['params']}")
    print(f"{info['file']}: symbol JSON, {info['nodes']} nodes, {len(info['parameters'])} "
          f"parameters, {sum(info['ops'].values())} op nodes, "
          f"{len(info['unsupported'])} unsupported")


def _print_table(info: dict) -> None:
    if info["format"] == "symbol-json":
        _print_graph(info)
        return
    rows = [("key", "dtype", "shape", "bytes", "stype")]
    for t in info["tensors"]:
        shape = "?" if t["shape"] is None else str(tuple(t["shape"]))
        rows.append(("<list>" if t["key"] is None else t["key"], str(t["dtype"]), shape,
                     str(t["bytes"]), t["stype"]))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    for row in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
    for note in info["notes"]:
        print(f"note: {note}")
    print(f"{info['file']}: {info['format']}, {info['container']}, {info['arrays']} arrays, "
          f"{_human(info['bytes'])}")


def main(argv=None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    graph_options = {}
    if args.inputs or args.params:
        if sniff_format(args.file) != "symbol-json":
            parser.error("--input, --params: only for a -symbol.json file")
        graph_options = {"inputs": {name: (shape, dtype) for name, shape, dtype in args.inputs},
                         "params": args.params}
    try:
        info = describe(args.file, **graph_options)
    except (CheckpointError, OSError, ValueError) as err:
        print(f"error: {one_line(err)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    try:
        if args.json:
            json.dump(info, sys.stdout, indent=1)
            print()
        else:
            _print_table(info)
        sys.stdout.flush()
    except BrokenPipeError:      # the reader left (`| head`): stop quietly, as cat does
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


if __name__ == "__main__":
    sys.exit(main())
