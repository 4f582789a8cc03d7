"""``convert --to onnx`` of every corpus graph: the written file, run with plain onnxruntime at both
batch sizes, computes what MXNet 1.9.1 computed; it is onnx.checker clean, its inputs are the
symbol's (no weight, no label among them), those whose axis 0 is the batch with a symbolic
batch axis; its bytes are onnx's own serialisation of the lowered graph. ``inspect`` of the same
graphs: the op census, inputs and parameter shapes against MXNet's own ``infer_shape``. And the
CLI's refusals: unsupported ops (every node listed), missing params, bad --input, unknown
generation, existing output."""
from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pytest

from gluonbridge.backend.batching import lower_batched
from gluonbridge.backend.exported import SYMBOL_SUFFIX
from gluonbridge.backend.lower import (OPSET, lower_graph, model_proto, to_onnx,
                                      unsupported_nodes)
from gluonbridge.backend.onnx_file import write_model
from gluonbridge.backend.ops.heads import without_labels
from gluonbridge.backend.runtime import make_session
from gluonbridge.convert import main as convert_main
from gluonbridge.inspect import main as inspect_main
from gluonbridge.graph import json_io
from tests.graphs.compare import assert_close
from tests.graphs.known import (CONVERT_STATIC_BATCH, REFUSED_UP_FRONT, UNSUPPORTED,
                               supported_cases)
from tests.graphs.runner import case_params
from tests.oracle.graph_corpus.table import selected

pytestmark = pytest.mark.oracle
REPO = Path(__file__).resolve().parents[2]
NAMES = [case.name for case in selected()]


def input_args(case, batch):
    """``--input NAME:DIMS``, with ``:DTYPE`` for an input that is not float32."""
    dtypes = {i["name"]: i["dtype"] for i in case.meta["inputs"]}
    return [f"--input={n}:{','.join(map(str, s))}"
            + ("" if dtypes[n] == "float32" else f":{dtypes[n]}")
            for n, s in case.input_shapes(batch).items()]


def params_args(case):
    return ["--params", str(case.dir / (case.meta.get("mx1_param_file")
                                        or case.meta["param_file"]))]


def run_file(path, case, batch):
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    feeds = dict(zip(case.input_names, case.inputs(batch)))
    return session.run(None, {i.name: feeds[i.name] for i in session.get_inputs()})


def check_model_file(path, case, batched=()):
    """onnx.checker clean; the inputs are the symbol's (no initializer among them), those in
    ``batched`` with the symbolic axis 0 ``batch``, the others wholly static."""
    onnx.checker.check_model(str(path), full_check=True)
    model = onnx.load(str(path))
    initializers = {i.name for i in model.graph.initializer}
    names = [i.name for i in model.graph.input]
    assert not initializers & set(names)
    assert sorted(names) == sorted(case.input_names)
    for value in model.graph.input:
        dims = value.type.tensor_type.shape.dim
        if value.name in batched:
            assert dims[0].dim_param == "batch", value
        else:
            assert all(d.HasField("dim_value") for d in dims), value


def file_inputs(path) -> dict:
    """name -> dims (an int, or "batch") of a model file's inputs."""
    return {v.name: [d.dim_param or d.dim_value for d in v.type.tensor_type.shape.dim]
            for v in onnx.load(str(path)).graph.input}


def accepts(path, shapes) -> bool:
    return all(len(dims) == len(shapes[name]) and all(d in ("batch", s) for d, s in
                                                      zip(dims, shapes[name]))
               for name, dims in file_inputs(path).items())


def batch_major(case) -> set:
    """The inputs whose axis 0 is the batch: it differs between the case's batch sizes."""
    shapes = [case.input_shapes(b) for b in case.batches]
    return {n for n in case.input_names if len(shapes) > 1 and shapes[0][n]
            and all(s[n][0] != shapes[0][n][0] for s in shapes[1:])}


def cli(*args):
    return subprocess.run([sys.executable, "-m", *args], capture_output=True, text=True, cwd=REPO)


def has_unsupported(case):
    return bool(unsupported_nodes(json_io.load(case.symbol_file)))


def convert_at(case, batch, path, capsys) -> str:
    """``convert --to onnx`` of the case with every input's shape at ``batch``; its stderr."""
    code = convert_main([str(case.symbol_file), str(path), "--to", "onnx", "--force",
                         *params_args(case), *input_args(case, batch)])
    err = capsys.readouterr().err
    assert code == 0, err
    return err


@pytest.mark.parametrize("name", supported_cases("convert"))
def test_converted_file_computes_as_mxnet(graph_corpus, name, tmp_path, capsys):
    """Converted at the first batch size, the file runs every batch size its inputs accept;
    the others (an input left static) are converted again at their shapes. Every input whose
    axis 0 is the batch is symbolic except in CONVERT_STATIC_BATCH's cases; every static input
    is named in one notice on stderr."""
    case = graph_corpus.case(name)
    out = tmp_path / "model.onnx"
    err = convert_at(case, case.batches[0], out, capsys)
    batched = {n for n, dims in file_inputs(out).items() if dims and dims[0] == "batch"}
    check_model_file(out, case, batched)
    notes = [line for line in err.splitlines() if line.startswith("note:")]
    static = set(case.input_names) - batched
    assert len(notes) == bool(static), err
    for note in notes:
        assert "--input NAME:DIMS" in note and "--static-batch" in note
        assert all(f"'{n}'" in note for n in static), note
    if name in CONVERT_STATIC_BATCH:
        assert not batch_major(case) <= batched, (
            f"{name}: every batch-major input is symbolic now; remove it from "
            "CONVERT_STATIC_BATCH in tests/graphs/known.py")
    else:
        assert batch_major(case) <= batched, err
    for batch in case.batches:
        path = out
        if not accepts(out, case.input_shapes(batch)):
            path = tmp_path / f"model{batch}.onnx"
            convert_at(case, batch, path, capsys)
            assert accepts(path, case.input_shapes(batch))
        assert_close(run_file(path, case, batch), case.expected(batch), rel=case.rtol,
                     case=f"{name} (batch {batch}, converted file)")
    if batched - batch_major(case):     # a symbolic axis 0 that is not the batch (time steps)
        check_axis_0_one_larger(out, case, batched)


def check_axis_0_one_larger(path, case, batched):
    """The file run with axis 0 of its ``batched`` inputs one larger computes what the graph
    lowered for those shapes computes (MXNet's outputs exist at the case's batches only)."""
    shapes = {n: (a.shape, a.dtype) for n, a in zip(case.input_names, case.inputs(case.batches[0]))}
    larger = {n: ((s[0] + 1,) + s[1:] if n in batched else s, d) for n, (s, d) in shapes.items()}
    rng = np.random.default_rng(0)
    feeds = [rng.standard_normal(s).astype(d) if d.kind == "f" else np.ones(s, d)
             for s, d in larger.values()]
    graph = without_labels(json_io.load(case.symbol_file), keep=set(case.input_names))
    expected = make_session(to_onnx(graph, larger, case_params(case)), "onnxruntime")(feeds)
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    got = session.run(None, dict(zip(larger, feeds)))
    assert_close(got, expected, rel=1e-5, case=f"{case.name} (axis 0 one larger)")


@pytest.mark.parametrize("name", [n for n in NAMES if n not in UNSUPPORTED])
def test_onnx_free_writer_writes_onnx_bytes(graph_corpus, name):
    """The lowered graph as the file writer writes it (convert) is byte for byte onnx's own
    serialisation of it (the bare graph path, to_onnx), with a symbolic batch and without."""
    case = graph_corpus.case(name)
    graph = without_labels(json_io.load(case.symbol_file), keep=set(case.input_names))
    inputs = {n: (a.shape, a.dtype) for n, a in zip(case.input_names, case.inputs(case.batches[0]))}
    weights = case_params(case)
    for lowered in (lower_batched(graph, inputs, weights, name, OPSET, lambda _: None),
                    lower_graph(graph, inputs, weights, name)):
        out = io.BytesIO()
        write_model(out, lowered)
        theirs = model_proto(lowered).SerializeToString()
        if out.getvalue() != theirs:
            assert onnx.load_from_string(out.getvalue()) == onnx.load_from_string(theirs)
        assert out.getvalue() == theirs


@pytest.mark.parametrize("name", REFUSED_UP_FRONT)
def test_unsupported_ops_are_listed_at_once(graph_corpus, name, tmp_path, capsys):
    case = graph_corpus.case(name)
    bad = unsupported_nodes(json_io.load(case.symbol_file))
    assert bad, f"{name}: every op is lowered now; remove it from tests/graphs/known.py"
    out = tmp_path / "model.onnx"
    code = convert_main([str(case.symbol_file), str(out), "--to", "onnx", *params_args(case)])
    err = capsys.readouterr().err
    assert code == 1 and not out.exists()
    assert "Traceback" not in err and err.startswith("error: ")
    for node, op, _ in bad:
        assert any(node in line and op in line for line in err.splitlines()), (node, op, err)


def first_supported(graph_corpus, names=NAMES):
    for name in names:
        case = graph_corpus.case(name)
        if not has_unsupported(case):
            return case
    pytest.skip("no corpus graph is fully lowered")


def test_static_batch_and_opset_18_subprocess(graph_corpus, tmp_path):
    """Real CLI processes: --static-batch fixes dim 0; --opset 18 (Reduce axes as inputs)."""
    case = first_supported(graph_corpus, ["reductions"] + NAMES)
    static = tmp_path / "static.onnx"
    done = cli("gluonbridge.convert", case.symbol_file, static, "--to", "onnx",
               *params_args(case), *input_args(case, case.batches[0]), "--static-batch")
    assert done.returncode == 0, done.stderr
    check_model_file(static, case)
    assert_close(run_file(static, case, case.batches[0]), case.expected(case.batches[0]),
                 rel=case.rtol, case=case.name)
    newer = tmp_path / "opset18.onnx"
    done = cli("gluonbridge.convert", case.symbol_file, newer, "--to", "onnx", "--opset", "18",
               *params_args(case), *input_args(case, case.batches[-1]), "--verify")
    assert done.returncode == 0, done.stderr
    assert "verified" in done.stderr
    assert onnx.load(str(newer)).opset_import[0].version == 18
    for batch in case.batches:
        assert_close(run_file(newer, case, batch), case.expected(batch), rel=case.rtol,
                     case=f"{case.name} opset 18")


def test_inputs_left_static_are_named_once_and_verified_subprocess(graph_corpus, tmp_path):
    """broadcasts' 'c' (1, 3, 1) is broadcast along axis 0 to a fixed size: it keeps its shape,
    one note names it (only it) and says how to change that; --verify runs the file at
    the shapes given and with the batch of 'a' and 'b' one larger. --static-batch: no note."""
    case = graph_corpus.case("broadcasts")
    out = tmp_path / "b.onnx"
    done = cli("gluonbridge.convert", case.symbol_file, out, "--to", "onnx", *params_args(case),
               *input_args(case, case.batches[-1]), "--verify")
    assert done.returncode == 0, done.stderr
    notes = [line for line in done.stderr.splitlines() if line.startswith("note:")]
    assert len(notes) == 1, done.stderr
    assert notes[0].startswith("note: input(s) 'c' (1, 3, 1) keep their exact shapes"), notes
    assert "--input NAME:DIMS" in notes[0] and "--static-batch" in notes[0]
    assert "verified" in done.stderr
    assert file_inputs(out) == {"a": ["batch", 3, 4], "b": ["batch", 1, 4], "c": [1, 3, 1]}
    done = cli("gluonbridge.convert", case.symbol_file, out, "--to", "onnx", *params_args(case),
               *input_args(case, case.batches[-1]), "--static-batch", "--force")
    assert done.returncode == 0 and "note:" not in done.stderr, done.stderr
    check_model_file(out, case)


def test_reductions_at_opset_18(graph_corpus, tmp_path, capsys):
    """The reductions case's heads that are lowered today (one op on the input each), as their
    own graph at opset 18, where the Reduce ops take axes as an input. Heads reducing every
    axis (no ``axis``) are left out: their (1,)-shaped result is the op table's business and
    opset-independent."""
    case = graph_corpus.case("reductions")
    doc = json.loads(case.symbol_file.read_text())
    full = json_io.load(case.symbol_file)
    bad = {name for name, _, _ in unsupported_nodes(full)}
    keep = [k for k, (node, _, _) in enumerate(doc["heads"])
            if doc["nodes"][node]["name"] not in bad
            and "axis" in doc["nodes"][node].get("attrs", {})]
    assert {doc["nodes"][doc["heads"][k][0]]["op"] for k in keep} >= {"mean", "sum", "max"}
    nodes = [doc["nodes"][0]] + [doc["nodes"][doc["heads"][k][0]] for k in keep]
    sub = {"nodes": nodes, "arg_nodes": [0], "heads": [[i, 0, 0] for i in range(1, len(nodes))],
           "attrs": doc["attrs"]}
    graph = tmp_path / f"sub{SYMBOL_SUFFIX}"
    graph.write_text(json.dumps(sub))
    out = tmp_path / "r.onnx"
    assert convert_main([str(graph), str(out), "--to", "onnx", "--opset", "18", *params_args(case),
                         *input_args(case, 1)]) == 0, capsys.readouterr()
    onnx.checker.check_model(str(out), full_check=True)
    model = onnx.load(str(out))
    assert model.opset_import[0].version == 18
    assert all(not any(a.name == "axes" for a in n.attribute) for n in model.graph.node)
    for batch in case.batches:
        expected = case.expected(batch)
        assert_close(run_file(out, case, batch), [expected[k] for k in keep], rel=case.rtol,
                     case=f"reductions at opset 18, batch {batch}")


def copy_case(case, tmp_path, params=("model-0003.params", "model-0012.params")):
    """The case's graph beside copies of its params under epoch names; returns the graph."""
    graph = tmp_path / f"model{SYMBOL_SUFFIX}"
    shutil.copy(case.symbol_file, graph)
    source = case.dir / (case.meta.get("mx1_param_file") or case.meta["param_file"])
    for name in params:
        shutil.copy(source, tmp_path / name)
    return graph


def test_params_default_to_the_newest_epoch_subprocess(graph_corpus, tmp_path):
    case = first_supported(graph_corpus)
    graph = copy_case(case, tmp_path)
    done = cli("gluonbridge.convert", graph, tmp_path / "m.onnx", "--to", "onnx",
               *input_args(case, case.batches[0]))
    assert done.returncode == 0, done.stderr
    assert "model-0012.params" in done.stderr
    assert_close(run_file(tmp_path / "m.onnx", case, case.batches[0]),
                 case.expected(case.batches[0]), rel=case.rtol)


def test_missing_params_file(graph_corpus, tmp_path, capsys):
    case = first_supported(graph_corpus)
    graph = copy_case(case, tmp_path, params=())
    code = convert_main([str(graph), str(tmp_path / "m.onnx"), "--to", "onnx",
                         *input_args(case, 1)])
    err = capsys.readouterr().err
    assert code == 1 and "model-NNNN.params" in err and "--params" in err
    assert len(err.strip().splitlines()) == 1
    code = convert_main([str(graph), str(tmp_path / "m.onnx"), "--to", "onnx",
                         "--params", str(tmp_path / "nope.params"), *input_args(case, 1)])
    assert code == 1 and "nope.params" in capsys.readouterr().err


@pytest.mark.parametrize("spec", ["data", "data:", "data:1,x", "data:0,3", ":1,2",
                                  "data:1,2:notadtype"])
def test_bad_input_spec_is_a_usage_error(graph_corpus, spec, tmp_path, capsys):
    case = first_supported(graph_corpus)
    with pytest.raises(SystemExit) as exit_:
        convert_main([str(case.symbol_file), str(tmp_path / "m.onnx"), "--to", "onnx",
                      "--input", spec])
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and "--input" in err and "Traceback" not in err


def test_input_shape_needed_and_unknown_names(graph_corpus, tmp_path, capsys):
    case = first_supported(graph_corpus)
    out = tmp_path / "m.onnx"
    code = convert_main([str(case.symbol_file), str(out), "--to", "onnx", *params_args(case)])
    err = capsys.readouterr().err
    if code == 0:   # the graph declares every input's __shape__
        return
    assert code == 1 and f"--input {case.input_names[0]}:DIMS" in err and not out.exists()
    code = convert_main([str(case.symbol_file), str(out), "--to", "onnx", *params_args(case),
                         *input_args(case, 1), "--input", "no_such_input:1,2"])
    err = capsys.readouterr().err
    assert code == 1 and "no_such_input" in err and case.input_names[0] in err


def test_opset_outside_the_supported_ones(graph_corpus, tmp_path, capsys):
    case = first_supported(graph_corpus)
    with pytest.raises(SystemExit) as exit_:
        convert_main([str(case.symbol_file), str(tmp_path / "m.onnx"), "--to", "onnx",
                      "--opset", "13"])
    assert exit_.value.code == 2 and "opset 17 or 18" in capsys.readouterr().err


def test_output_exists_needs_force(graph_corpus, tmp_path, capsys):
    case = first_supported(graph_corpus)
    out = tmp_path / "m.onnx"
    out.write_bytes(b"keep me")
    args = [str(case.symbol_file), str(out), "--to", "onnx", *params_args(case),
            *input_args(case, case.batches[0])]
    assert convert_main(args) == 1
    assert "--force" in capsys.readouterr().err and out.read_bytes() == b"keep me"
    assert convert_main(args + ["--force"]) == 0
    onnx.checker.check_model(str(out), full_check=True)


def test_unknown_generation(tmp_path, capsys):
    doc = {"nodes": [{"op": "null", "name": "data", "inputs": []}], "arg_nodes": [0],
           "heads": [[0, 0, 0]], "attrs": {"mxnet_version": ["int", 990000]}}
    graph = tmp_path / "g-symbol.json"
    graph.write_text(json.dumps(doc))
    code = convert_main([str(graph), str(tmp_path / "g.onnx"), "--to", "onnx",
                         "--params", str(graph)])
    err = capsys.readouterr().err
    assert code == 1 and "990000" in err and "Traceback" not in err


# ---- inspect ----------------------------------------------------------------------------------

def inspect_json(path, *args, capsys):
    assert inspect_main([str(path), "--json", *args]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.fixture(scope="module")
def mx1_graphs(graph_corpus, mx1):
    """For every default case, the graph as MXNet 1.9.1 reads it (``mx.sym.load``, older
    generations upgraded): its op census, node count and output names; None for graphs
    2.0.0b1 wrote that 1.9.1 cannot load (those are read as written)."""
    files = {name: str(graph_corpus.case(name).symbol_file) for name in NAMES}
    return mx1.run(f"""
import collections, json
result = {{}}
for name, path in {files!r}.items():
    try:
        sym = mx.sym.load(path)
    except mx.MXNetError:
        result[name] = None
        continue
    nodes = json.loads(sym.tojson())["nodes"]
    result[name] = {{"ops": collections.Counter(n["op"] for n in nodes if n["op"] != "null"),
                    "nodes": len(nodes), "outputs": sym.list_outputs()}}
""")


@pytest.mark.parametrize("name", NAMES)
def test_inspect_census_and_schema(graph_corpus, mx1_graphs, name, capsys):
    case = graph_corpus.case(name)
    info = inspect_json(case.symbol_file, capsys=capsys)
    theirs = mx1_graphs[name]
    if theirs is None:
        doc = json.loads(case.symbol_file.read_text())
        theirs = {"ops": Counter(n["op"] for n in doc["nodes"] if n["op"] != "null"),
                  "nodes": len(doc["nodes"]), "outputs": doc["heads"]}
    assert info["ops"] == theirs["ops"]
    assert set(info) == {"file", "format", "nodes", "params", "inputs", "labels", "outputs",
                         "parameters", "ops", "unsupported", "notes"}
    assert info["params"] == str(case.dir / "model-0000.params")
    assert info["format"] == "symbol-json" and info["nodes"] == theirs["nodes"]
    assert len(info["outputs"]) == len(theirs["outputs"]) == case.meta["outputs"]
    assert set(info["labels"]) == set(case.meta["labels"])
    assert sorted(i["name"] for i in info["inputs"]) == sorted(case.input_names)
    assert all(set(p) == {"key", "name", "role", "shape", "dtype"} for p in info["parameters"])
    assert [(u["node"], u["op"]) for u in info["unsupported"]] == [
        (n, o) for n, o, _ in unsupported_nodes(json_io.load(case.symbol_file))]
    assert inspect_main([str(case.symbol_file)]) == 0
    assert "ops:" in capsys.readouterr().out


def test_inspect_without_params_file(graph_corpus, tmp_path, capsys):
    """No params file beside the graph: parameters are told from inputs by the op table."""
    case = graph_corpus.case("zoo_resnet18_v1")
    graph = copy_case(case, tmp_path, params=())
    info = inspect_json(graph, capsys=capsys)
    assert info["params"] is None and info["notes"]
    assert [i["name"] for i in info["inputs"]] == ["data"]
    with_file = inspect_json(case.symbol_file, capsys=capsys)
    assert [(p["key"], p["shape"]) for p in info["parameters"]] == [
        (p["key"], p["shape"]) for p in with_file["parameters"]]


INFER_CASES = ["convolution", "batchnorm", "fully_connected", "zoo_resnet18_v1", "mlp_bn_mx1"]


@pytest.mark.parametrize("name", [n for n in INFER_CASES if n in NAMES])
def test_inspect_shapes_equal_mxnet_infer_shape(graph_corpus, mx1, name, capsys):
    case = graph_corpus.case(name)
    if has_unsupported(case):
        pytest.skip("not every op is lowered yet")
    shapes = case.input_shapes(case.batches[-1])
    info = inspect_json(case.symbol_file, *[f"--input={n}:{','.join(map(str, s))}"
                                            for n, s in shapes.items()], capsys=capsys)
    given = {n: list(s) for n, s in shapes.items()}
    theirs = mx1.run(f"""
sym = mx.sym.load({str(case.symbol_file)!r})
arg, out, aux = sym.infer_shape(**{{k: tuple(v) for k, v in {given!r}.items()}})
result = {{"args": dict(zip(sym.list_arguments(), map(list, arg))),
          "aux": dict(zip(sym.list_auxiliary_states(), map(list, aux))),
          "outputs": [list(s) for s in out]}}
""")
    assert {i["name"]: i["shape"] for i in info["inputs"]} == {
        n: list(s) for n, s in shapes.items()}
    labels = set(case.meta["labels"])
    assert {p["name"]: p["shape"] for p in info["parameters"] if p["role"] == "arg"} == {
        k: v for k, v in theirs["args"].items() if k not in shapes and k not in labels}
    assert {p["name"]: p["shape"] for p in info["parameters"] if p["role"] == "aux"} == \
        theirs["aux"]
    assert [o["shape"] for o in info["outputs"]] == theirs["outputs"]
