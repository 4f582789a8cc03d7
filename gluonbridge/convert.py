"""``python -m gluonbridge.convert IN OUT --to mx1|mx2|safetensors|onnx``: convert a checkpoint
between formats and, optionally, between MXNet 1.x legacy names and MXNet 2.x structural keys;
``NAME-symbol.json OUT.onnx --to onnx`` writes a complete ONNX model of an exported graph
(:mod:`gluonbridge.backend.exported`)."""
from __future__ import annotations

import argparse
import os
import sys

from .atomic import atomic_output
from .checkpoint.dtypes import DTYPES, MXNET1_FLAGS
from .checkpoint.errors import CheckpointError, UnsupportedError, one_line
from .checkpoint.formats import TARGETS, read_index, sniff_format, write
from .checkpoint.mxnet_binary import RecordVersion
from .checkpoint.namemap import NameMap
from .checkpoint.tensor import Checkpoint
from .inspect import input_spec

PROGRESS_MIN_BYTES = 32 << 20
EPILOG = """\
examples:
  # MXNet 1.x params -> MXNet 2.x npz (same keys)
  python -m gluonbridge.convert model-0000.params model.npz --to mx2
  # 1.x full names (collect_params().save, export()) -> 2.x structural keys, from the model
  python -m gluonbridge.convert resnet18_v1.params resnet18_v1.npz --to mx2 \\
      --model gluonbridge.gluon.model_zoo.vision:resnet18_v1
  # ... renaming legacy names to structural keys with a name map written by compat/
  python -m gluonbridge.convert old.params new.params --to mx2 --namemap resnet18.namemap.json
  # 1.x collect_params().save or export() params -> 2.x keys, pairing the 1.x graph with
  # the 2.x export() graph of the same model (net2-symbol.json) node by node
  python -m gluonbridge.convert net-0000.params net.params --to mx2 \\
      --symbol net-symbol.json --target net2-symbol.json
  # MXNet 2 recurrent layers (one fused rnn_param) -> MXNet 1.9.1's per-gate arrays, for
  # load_parameters (_unfused keys) or, with --legacy-names, collect_params().load (full names)
  python -m gluonbridge.convert lm2.params lm1.params --to mx1 --model mymodels:build_lm
  # ... the layer sizes read off a 1.9.1 file of the same model instead
  python -m gluonbridge.convert lm2.params lm1.params --to mx1 --target lm1_reference.params
  # model0_ vs model1_: strip the top-level prefix and match against a target's keys
  python -m gluonbridge.convert model0.params model1.params --to mx1 --target model1_keys.params
  # leave MXNet: safetensors, with a hash check of every array afterwards
  python -m gluonbridge.convert model.params model.safetensors --to safetensors --verify
  # an exported graph (HybridBlock.export, Module.save_checkpoint) -> a runnable ONNX model;
  # the params default to the newest NAME-NNNN.params beside the graph
  python -m gluonbridge.convert model-symbol.json model.onnx --to onnx --input data:1,3,112,112

With a -symbol.json input: weights become initializers (never graph inputs), inputs keep the
symbol's names, axis 0 of the inputs is the symbolic dimension "batch" (--static-batch fixes
it; an input whose axis 0 is not the batch, or whose batch the graph depends on, keeps the exact
shape given, named in a note), labels of training heads are not inputs, and every op or
attribute gluonbridge cannot lower is listed at once before anything is read or written. Input
shapes come from --input, else from the variables' __shape__ attributes. --verify checks the
file with onnx.checker and runs it on onnxruntime at the shapes given and with the batch one
larger against gluonbridge's own session.

Recurrent layers (gluon.rnn RNN/LSTM/GRU): --to mx2 fuses MXNet 1.9.1's per-gate arrays into
MXNet 2's one rnn_param (save_parameters' _unfused keys from the keys alone; full names with
--model or --namemap); --to mx1 splits rnn_param back, which needs the layer's sizes: from
--model, --namemap (a map with fused entries, or version 1 per-gate entries with shapes) or
--target. The fused order is MXNet's; a size that does not add up is refused with both counts.

The input is never modified; the output is written to a temporary file, fsynced and renamed, so
it is either complete or absent. An existing output is only replaced with --force.
exit status: 0 ok, 1 conversion failed (the message says why), 2 usage error, 130 interrupted
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m gluonbridge.convert", epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Convert an MXNet 1.x .params, MXNet 2.x .npz/.npy, safetensors or ONNX "
                    "file to another format, streaming tensor by tensor (files larger than RAM "
                    "work).")
    parser.add_argument("input", metavar="IN", help="the checkpoint (or -symbol.json) to "
                        "read")
    parser.add_argument("output", metavar="OUT", help="the file to write")
    parser.add_argument("--to", required=True, choices=sorted(TARGETS),
                        help="mx1: MXNet 1.x binary (nd.load); mx2: MXNet 2.x npz "
                             "(load_parameters / npx.load); safetensors; onnx (initializers)")
    names = parser.add_mutually_exclusive_group()
    names.add_argument("--model", metavar="PKG.MODULE:FACTORY",
                       help="a gluonbridge model: the factory is called in legacy naming mode "
                            "and the Block's full names are paired with its structural keys")
    names.add_argument("--namemap", metavar="F", help="a name-map JSON: legacy <-> structural")
    names.add_argument("--symbol", metavar="F", help="the legacy -symbol.json of the model "
                       "(needs --target)")
    parser.add_argument("--target", metavar="F", help="with --symbol: the 2.x -symbol.json of the "
                        "same model (or a checkpoint whose keys to pair in order); alone: a "
                        "checkpoint whose keys to match after stripping the top-level prefix")
    parser.add_argument("--legacy-names", action="store_true",
                        help="with --model or --namemap: translate to legacy names instead of "
                             "structural keys")
    parser.add_argument("--keep-roles", action="store_true",
                        help="keep arg:/aux: prefixes on translated keys (export() style)")
    parser.add_argument("--densify", action="store_true",
                        help="store row_sparse/csr arrays as dense ones")
    parser.add_argument("--numpy-semantics", action="store_true",
                        help="--to mx1: write V3 records (npx.save style) instead of V2")
    graph = parser.add_argument_group("-symbol.json input (--to onnx)")
    graph.add_argument("--params", metavar="P", help="the parameter file (default: the newest "
                       "NAME-NNNN.params beside NAME-symbol.json)")
    graph.add_argument("--input", metavar="NAME:DIMS[:DTYPE]", action="append", default=[],
                       dest="inputs",
                       type=input_spec, help="an input's shape (with the batch size first), "
                       "e.g. data:1,3,112,112; repeat for several inputs")
    graph.add_argument("--opset", type=int, metavar="N",
                       help="the ONNX opset to write: 17 (default) or 18")
    graph.add_argument("--static-batch", action="store_true",
                       help="fix the batch size to the one given instead of a symbolic axis")
    parser.add_argument("--verify", action="store_true",
                        help="re-read the output and compare every array's SHA-256 (a graph: "
                             "onnx.checker and a run at two batch sizes)")
    parser.add_argument("--force", action="store_true", help="overwrite OUT if it exists")
    return parser


def _renaming(args) -> bool:
    return bool(args.model or args.namemap or args.symbol or args.target)


def _rename(checkpoint: Checkpoint, args) -> Checkpoint:
    if not _renaming(args):
        return checkpoint
    # renaming only: plain conversions never import the translation layer (numpy, graphs)
    from .translate.matching import match_by_prefix, namemap_from_symbol
    if args.model:
        from .translate.model import load_factory, namemap_from_model
        namemap = namemap_from_model(load_factory(args.model), args.model)
    elif args.namemap:
        namemap = NameMap.from_json(args.namemap)
    else:
        if sniff_format(args.target) == "symbol-json":
            if not args.symbol:
                raise UnsupportedError(args.target, None, "a checkpoint as --target",
                                       "a symbol JSON", "a target graph needs --symbol")
            namemap, report = namemap_from_symbol(args.symbol, args.target)
            report.raise_if_errors(args.input)
            return _translate(checkpoint, namemap, args)
        target = read_index(args.target)
        wanted = [(t.key, t.shape) for t in target.tensors]
        if args.symbol:
            namemap, report = namemap_from_symbol(args.symbol, wanted)
        else:
            checkpoint = _split_recurrent(checkpoint, wanted, args)
            namemap, report = match_by_prefix([(t.key, t.shape) for t in checkpoint.tensors],
                                              wanted)
        report.raise_if_errors(args.input)
    return _translate(checkpoint, namemap, args)


def _translate(checkpoint, namemap, args) -> Checkpoint:
    from .translate.matching import translate
    translated, report = translate(checkpoint, namemap,
                                   "legacy" if args.legacy_names else "structural",
                                   keep_roles=args.keep_roles, fused=not _for_mxnet1(args))
    report.raise_if_errors(args.input)
    print(f"renamed: {report.summary()}", file=sys.stderr)
    return translated


def _for_mxnet1(args) -> bool:
    """The output is for MXNet 1.x, whose recurrent layers keep per-gate arrays."""
    return args.to == "mx1" and not args.numpy_semantics


def _split_recurrent(checkpoint: Checkpoint, target, args) -> Checkpoint:
    """MXNet 2's flat ``rnn_param`` arrays split into the per-gate keys and shapes of the
    ``target`` 1.x file's recurrent layers (``--target`` alone)."""
    from .translate.rnn_namemap import split_for_target
    return split_for_target(checkpoint, target, args.input)


def _refuse_fused_for_mxnet1(checkpoint: Checkpoint, args) -> None:
    fused = [t.key for t in checkpoint.tensors if t.key and (
        t.key.split(":")[-1] == "rnn_param" or t.key.endswith(".rnn_param"))]
    if fused and _for_mxnet1(args):
        raise UnsupportedError(args.input, f"key {fused[0]!r}", "per-gate recurrent weights "
                               "(MXNet 1.9.1 has no fused rnn_param)", "MXNet 2's fused "
                               "rnn_param", "add --model PKG.MODULE:FACTORY, --namemap F or "
                               "--target F (a 1.x file of the same model) to split it into "
                               "the layer's per-gate arrays, or --numpy-semantics to write "
                               "it for MXNet 2")


def _fuse_recurrent(checkpoint: Checkpoint) -> Checkpoint:
    """1.9.1's per-gate recurrent arrays (``_unfused`` keys) -> MXNet 2's ``rnn_param``."""
    if not any("_unfused." in (t.key or "") for t in checkpoint.tensors):
        return checkpoint      # nothing recurrent: the translation layer (numpy) stays unloaded
    from .translate.report import LoadReport
    from .translate.rnn_loading import fuse_checkpoint
    report = LoadReport()
    fused = fuse_checkpoint(checkpoint, report)
    for old, new in report.renamed:
        print(f"fused: {old} -> {new}", file=sys.stderr)
    return fused


def _densify(checkpoint: Checkpoint, args, target_format: str) -> Checkpoint:
    sparse = [t for t in checkpoint.tensors if t.stype in ("row_sparse", "csr")]
    if not sparse:
        return checkpoint
    if args.densify:
        return Checkpoint([t.densified() for t in checkpoint.tensors], checkpoint.container,
                          checkpoint.format, checkpoint.path, checkpoint.notes)
    if target_format in ("safetensors", "onnx") or args.numpy_semantics:
        raise UnsupportedError(args.input, f"key {sparse[0].key!r}", f"dense arrays for "
                               f"--to {args.to}", f"a {sparse[0].stype} array",
                               "add --densify to store sparse arrays densely")
    return checkpoint


def _progress(total: int):
    if total < PROGRESS_MIN_BYTES or not sys.stderr.isatty():
        return None, None
    try:
        from tqdm import tqdm
    except ImportError:
        return None, None
    bar = tqdm(total=total, unit="B", unit_scale=True, unit_divisor=1024, file=sys.stderr,
               desc="convert")
    return bar, bar.update


def _verify(expected: Checkpoint, path, fmt: str) -> None:
    written = read_index(path, fmt)
    if len(written.tensors) != len(expected.tensors):
        raise CheckpointError(path, None, f"{len(expected.tensors)} arrays after writing",
                              str(len(written.tensors)))
    for a, b in zip(expected.tensors, written.tensors):
        same = (a.dtype, a.shape, a.stype) == (b.dtype, b.shape, b.stype) and all(
            pa.sha256() == pb.sha256() for pa, pb in zip(a.parts, b.parts))
        if not same:
            raise CheckpointError(path, f"key {b.key!r}", f"the same array as input key {a.key!r}",
                                  "different content", "the output is wrong; please report this")


def _graph_options(args) -> list:
    return [flag for flag, given in (("--params", args.params), ("--input", args.inputs),
                                     ("--opset", args.opset is not None),
                                     ("--static-batch", args.static_batch)) if given]


def run_graph(args) -> None:
    from .backend.exported import convert
    from .backend.lower import OPSET
    inputs = {name: (shape, dtype) for name, shape, dtype in args.inputs}
    opset = OPSET if args.opset is None else args.opset
    diff = convert(args.input, args.output, args.params, inputs, opset, args.static_batch,
                   args.force, args.verify)
    print(f"wrote {args.output} (onnx model, opset {opset}"
          f"{', static batch' if args.static_batch else ''}"
          f"{f', verified: max abs difference {diff:.3g}' if args.verify else ''})",
          file=sys.stderr)


def run(args) -> None:
    fmt = TARGETS[args.to]
    if os.path.exists(args.output) and os.path.exists(args.input) \
            and os.path.samefile(args.input, args.output):
        raise UnsupportedError(args.output, None, "an output different from the input",
                               "the input file itself", "the input is never modified")
    checkpoint = read_index(args.input)
    if args.to == "mx2" and not args.legacy_names:
        checkpoint = _fuse_recurrent(checkpoint)
    checkpoint = _rename(checkpoint, args)
    _refuse_fused_for_mxnet1(checkpoint, args)
    checkpoint = _densify(checkpoint, args, fmt)
    records = RecordVersion.NUMPY if args.numpy_semantics else (
        RecordVersion.PRESERVE if checkpoint.format == "mxnet-binary" and fmt == "mxnet-binary"
        and not _renaming(args) else RecordVersion.LEGACY)
    bar, progress = _progress(checkpoint.nbytes)
    try:
        with atomic_output(args.output, args.force) as out:
            write(out, checkpoint, fmt, progress, records)
    finally:
        if bar is not None:
            bar.close()
    if args.verify:
        _verify(checkpoint, args.output, fmt)
    newer = sorted({t.dtype for t in checkpoint.tensors if t.dtype
                    and DTYPES[t.dtype].mxnet_flag not in MXNET1_FLAGS})
    if fmt == "mxnet-binary" and newer:
        print(f"note: {', '.join(newer)} arrays load in MXNet 2.x only (1.9.1 has no such "
              "dtype)", file=sys.stderr)
    print(f"wrote {args.output} ({fmt}, {len(checkpoint.tensors)} arrays"
          f"{', verified' if args.verify else ''})", file=sys.stderr)


def main(argv=None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.symbol and not args.target:
        parser.error("--symbol needs --target (a checkpoint with the keys to map to)")
    if args.legacy_names and not (args.namemap or args.model):
        parser.error("--legacy-names needs --model or --namemap")
    if args.target and args.model:
        parser.error("--target is not used with --model")
    graph = os.path.isfile(args.input) and sniff_format(args.input) == "symbol-json"
    if graph and args.to != "onnx":
        parser.error(f"a -symbol.json converts --to onnx only (not --to {args.to})")
    if not graph and _graph_options(args):
        parser.error(f"{', '.join(_graph_options(args))}: only for a -symbol.json input")
    if graph and args.opset is not None:
        from .backend.lower import OPSETS
        if args.opset not in OPSETS:
            parser.error(f"--opset {args.opset}: gluonbridge writes opset "
                         f"{' or '.join(map(str, OPSETS))}")
    try:
        run_graph(args) if graph else run(args)
    except (CheckpointError, OSError, ValueError) as err:
        print(f"error: {one_line(err)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("error: interrupted; no output was written", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
