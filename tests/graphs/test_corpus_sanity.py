"""The graph corpus itself: its table is well formed, and every generated case is complete.

The corpus is ground truth for the graph reader, ``SymbolBlock.imports``, ``mx.sym.load`` and
``convert --to onnx``; these tests check it is what it claims to be (files present, JSON that
parses, the operators each case is meant to exercise really in the graph MXNet wrote, finite
expected outputs of the recorded shapes), plus the comparison helper the graph tests use.
"""
import json

import numpy as np
import pytest

from tests.graphs.compare import assert_close
from tests.oracle.graph_corpus import blocks, sym_graphs, table
from tests.oracle.graph_corpus.run import FIXTURES
from tests.oracle.graph_corpus.write import generation, ops_in

BUILDERS = {"sym": sym_graphs, "sym_save": sym_graphs, "module": sym_graphs, "block": blocks,
            "int8": blocks}
FILES = ("model-symbol.json", "model-0000.params", "inputs.npz", "expected.npz", "case.json")


def test_table_is_well_formed():
    names = [c.name for c in table.CASES]
    assert len(names) == len(set(names))
    for c in table.CASES:
        assert c.kind in {*BUILDERS, "zoo", "legacy"}, c.name
        assert c.oracle in ("mx1", "mx1np", "mx2", "mx2nd"), c.name
        assert c.batches and all(b > 0 for b in c.batches), c.name
        inputs = [i.name for i in c.inputs]
        assert len(inputs) == len(set(inputs)) and not set(inputs) & set(c.labels), c.name
        if c.kind in BUILDERS and not c.build.startswith("zoo:"):
            assert callable(getattr(BUILDERS[c.kind], c.build, None)), c.name
        if c.kind == "legacy":
            assert (FIXTURES / f"{c.build}.json").is_file(), c.name


def test_zoo_covers_all_34_models():
    zoo = [c for c in table.CASES if c.kind == "zoo"]
    assert len(zoo) == 34
    assert [c for c in zoo if not c.slow], "some zoo models run by default"


@pytest.mark.parametrize("name, expected", [
    ("legacy_000800_mlp", "pre-0.9"), ("legacy_0_10_convnet", "0.9-0.11"),
    ("legacy_1_x_aliases", "1.x"), ("mxnet_save_000800", "pre-0.9")])
def test_legacy_fixtures_are_the_generation_they_claim(name, expected):
    graph = json.loads((FIXTURES / f"{name}.json").read_text())
    assert generation(graph).startswith(expected)
    case = next(c for c in table.CASES if c.kind == "legacy" and c.build == name)
    assert set(case.ops) <= set(ops_in(graph))


def test_assert_close_accepts_within_relative_tolerance():
    e = [np.array([[100.0, -3.0], [0.5, 0.0]], np.float32), np.zeros(3, np.float32)]
    a = [e[0] + np.float32(9e-4), e[1].copy()]
    assert_close(a, e, rel=1e-5, case="c")


@pytest.mark.parametrize("actual, message", [
    ([np.array([1.0, 2.0, 3.5]), np.zeros(2)], "output 0: max abs error 0.5 > 1e-05 * max|expected| 3 at (2,)"),
    ([np.array([1.0, 2.0, 3.0]), np.array([0.0, 1e-9])], "output 1: max abs error 1e-09 > 1e-05 * max|expected| 0 at (1,)"),
    ([np.array([1.0, 2.0]), np.zeros(2)], "output 0: shape (2,) != expected (3,)"),
    ([np.array([1.0, np.nan, 3.0]), np.zeros(2)], "output 0: non-finite values differ, first at (1,)"),
    ([np.zeros(3)], "case c: 1 outputs, expected 2"),
])
def test_assert_close_names_case_output_error_and_position(actual, message):
    expected = [np.array([1.0, 2.0, 3.0]), np.zeros(2)]
    with pytest.raises(AssertionError) as info:
        assert_close(actual, expected, case="c")
    assert message in str(info.value)
    assert str(info.value).startswith("case c:")


def test_assert_close_matches_infinities_and_nans_in_place():
    e = [np.array([np.inf, -np.inf, np.nan, 1.0])]
    assert_close([e[0].copy()], e, case="c")
    with pytest.raises(AssertionError, match="non-finite"):
        assert_close([np.array([np.inf, np.inf, np.nan, 1.0])], e, case="c")


def _check_case(corpus, name):
    case = corpus.case(name)
    for f in FILES:
        assert (case.dir / f).is_file(), f"{name}: {f} missing"
    meta = case.meta
    spec = table.by_name()[name]
    graph = json.loads(case.symbol_file.read_text())
    assert graph["nodes"] and graph["heads"], name
    found = ops_in(graph)
    assert found == meta["ops_in_json"], name
    assert set(spec.ops) <= set(found), f"{name}: {sorted(set(spec.ops) - set(found))} not in JSON"
    assert meta["outputs"] == len(graph["heads"]) or spec.kind in ("block", "zoo", "int8"), name
    assert meta["expected_by"].startswith("mxnet "), name
    for b in case.batches:
        xs = case.inputs(b)
        assert [list(x.shape) for x in xs] == [list(s) for s in case.input_shapes(b).values()]
        outs = case.expected(b)
        assert len(outs) == meta["outputs"] >= 1, name
        assert [[list(o.shape), o.dtype.name] for o in outs] == meta["output_shapes"][str(b)]
        if meta["finite"]:
            for k, o in enumerate(outs):
                assert np.isfinite(o).all(), f"{name}: output {k} at batch {b} not finite"
        for x, i in zip(xs, meta["inputs"]):
            assert x.dtype == np.dtype(i["dtype"]), name
    for k, i in enumerate(meta["inputs"]):
        if i["gen"] == "normal":
            values = np.concatenate([case.inputs(b)[k].ravel() for b in case.batches])
            assert (values < 0).any() and (values > 0).any(), f"{name}: {i['name']} one-signed"


@pytest.mark.oracle
@pytest.mark.parametrize("name", [c.name for c in table.selected()])
def test_generated_case_is_complete(graph_corpus, name):
    _check_case(graph_corpus, name)


@pytest.mark.oracle
def test_generated_corpus_holds_exactly_the_table(graph_corpus):
    assert graph_corpus.names == sorted(c.name for c in table.selected())


@pytest.mark.oracle
@pytest.mark.slow
def test_full_corpus_is_complete(graph_corpus_full):
    assert graph_corpus_full.names == sorted(c.name for c in table.CASES)
    for name in graph_corpus_full.names:
        _check_case(graph_corpus_full, name)


def test_cache_generates_once_when_workers_race(tmp_path, monkeypatch):
    import threading
    import time

    from tests.graphs import corpus
    calls = []

    def fake_generate(root, slow):
        calls.append(root)
        time.sleep(0.2)
        (root / "a").mkdir()
        (root / "a" / "case.json").write_text("{}")

    monkeypatch.setattr(corpus.run, "generate", fake_generate)
    got = []
    threads = [threading.Thread(target=lambda: got.append(corpus.ensure(tmp_path)))
               for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1
    assert {g.root for g in got} == {tmp_path / f"graphs-{corpus.run.content_hash()}"}
    assert got[0].names == ["a"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "temp dir left"
