"""``python -m gluonbridge.inspect FILE [--json]``: what a checkpoint holds, from its index only."""
from __future__ import annotations

import argparse
import json
import sys

from .errors import CheckpointError
from .formats import read_index, sniff_format

EPILOG = """\
examples:
  python -m gluonbridge.inspect resnet18_v1-0000.params
  python -m gluonbridge.inspect model.npz --json | jq '.tensors[].key'
  python -m gluonbridge.inspect net-symbol.json          # parameter nodes of a graph

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
    return parser


def describe(path) -> dict:
    """The index of ``path`` as a JSON-ready dict."""
    fmt = sniff_format(path)
    if fmt == "symbol-json":
        from .symbol_json import load_symbol, parameter_nodes
        graph = load_symbol(path)
        params = parameter_nodes(graph)
        return {"file": str(path), "format": fmt, "nodes": len(graph["nodes"]),
                "parameters": [{"key": role + name, "shape": None if shape is None else list(shape)}
                               for name, shape, role in params]}
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


def _print_table(info: dict) -> None:
    if info["format"] == "symbol-json":
        for p in info["parameters"]:
            print(f"{p['key']}\t{tuple(p['shape']) if p['shape'] is not None else '?'}")
        print(f"{info['file']}: symbol JSON, {info['nodes']} nodes, "
              f"{len(info['parameters'])} parameters")
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
    args = _parser().parse_args(argv)
    try:
        info = describe(args.file)
    except (CheckpointError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    if args.json:
        json.dump(info, sys.stdout, indent=1)
        print()
    else:
        _print_table(info)
    return 0
