"""Sockeye 2.3.24 (the newest of the 2.3 line, Sockeye's last MXNet-only releases) run
unchanged under the ``mxnet`` shim against the same source under MXNet 1.9.1.

Small Transformer ``SockeyeModel``s built from Sockeye's own configs (tests/oracle/
sockeye_models.py): the training forward (fixed positional embeddings with shared, tied
embeddings; hybridized with static_alloc as Sockeye loads models; learned positions, untied
weights, GELU, GLU, LHUC and the length-ratio task; source factors summed and concatenated, an
averaged target factor with its own output layer), inference (encode_and_initialize, two
decode_steps) for the Transformer and the SSRU decoder, and Sockeye's hybridized search blocks
translating with them (beam search of 3 over a batch of 2, with target factors too; greedy
search; a model directory Sockeye saved in MXNet — config, vocabularies, deduplicated
``params.best`` — read back by ``sockeye.model.load_model``). MXNet initializes each model,
runs it and saves its parameters (tests/oracle/real_libraries.py's ``describe``); gluonbridge
builds it in a fresh process, must name every parameter as MXNet does, loads MXNet's file and
must give every output within 1e-5 of MXNet's, relative to the output's largest magnitude.
"""
import json
from pathlib import Path

import pytest
import yaml

from tests.codemod.corpus_sources import download, unpack
from tests.oracle.harness import gluonbridge_interpreter, oracle_dir
from tests.test_real_libraries_oracle import _close

pytestmark = [pytest.mark.slow, pytest.mark.oracle]

RUNNER = Path(__file__).parent / "oracle"
SOCKEYE = "sockeye==2.3.24"


@pytest.fixture(scope="module")
def sources():
    """Sockeye's wheel unpacked in the oracle dir, plus PyYAML (Sockeye's configs subclass
    ``yaml.YAMLObject``; the oracle venv lacks it) linked in rather than installed."""
    root = oracle_dir() / "cache" / "sockeye"
    if not (root / "sockeye").exists():
        unpack(download((SOCKEYE,)), root)
    vendor = root / "vendor"
    vendor.mkdir(exist_ok=True)
    link = vendor / "yaml"
    if not link.exists():
        link.symlink_to(Path(yaml.__file__).parent)
    return [str(vendor), str(root / "sockeye")]


def _snippet(sources, weights, shim):
    return (f"import sys\nsys.path.insert(0, {str(RUNNER)!r})\n"
            "import real_libraries, sockeye_models\n"
            f"result = real_libraries.describe_all({sources!r}, {weights!r}, {shim!r}, "
            "list(sockeye_models.MODELS), sockeye_models.MODELS)\n")


def test_sockeye_models_match_mxnet(mx1, sources, tmp_path):
    theirs = mx1.run(_snippet(sources, str(tmp_path), False), timeout=600)
    ours = gluonbridge_interpreter("legacy").run(_snippet(sources, str(tmp_path), True),
                                                 timeout=600)
    failures = []
    for name, mx in theirs.items():
        assert mx["stage"] == "done", f"{name} fails in MXNet 1.9.1 itself: {mx['error']}"
        gb = ours[name]
        if gb["stage"] != "done":
            failures.append(f"{name}: [{gb['stage']}] {gb['error']}")
        elif gb["params"] != mx["params"]:
            differ = sorted(set(gb["params"]) ^ set(mx["params"])) or \
                [f"{k} {gb['params'][k]} vs {shape}" for k, shape in mx["params"].items()
                 if gb["params"][k] != shape]
            failures.append(f"{name}: parameter names/shapes differ: {differ[:4]}")
        elif gb["shapes"] != mx["shapes"] or not _close(gb["outputs"], mx["outputs"]):
            failures.append(f"{name}: outputs differ beyond 1e-5 (shapes {gb['shapes']} "
                            f"vs {mx['shapes']})")
    assert not failures, "\n".join(failures)


# Sockeye's HybridBlocks of the inference models (encoder, decoder with its state list,
# embeddings, output layer) hybridized and exported: every node of the -symbol.json gluonbridge
# writes equals MXNet 1.9.1's, and the .params files are byte-identical. MXNet initializes and
# saves the weights; each side loads them into a new model, runs two decode steps and exports.
EXPORTED = ["transformer_decode_steps", "ssru_transformer_decode_steps",
            "transformer_factors_decode_steps"]
PARTS = ["embedding_source", "embedding_target", "encoder", "decoder", "output_layer"]

EXPORT_SNIPPET = """
import sys
sys.path.insert(0, {runner!r})
sys.path[:0] = {sources!r}
{shim}
import mxnet as mx
import real_libraries, sockeye_models
real_libraries.stub_unrelated()
for name in {names!r}:
    builder, inputs = sockeye_models.MODELS[name]
    if {save}:
        with mx.name.NameManager():
            net = builder()
        net.initialize(mx.init.Xavier())
        net(*inputs(mx))
        net.save_parameters(f"{directory}/{{name}}.weights")
    with mx.name.NameManager():
        net = builder()
    net.load_parameters(f"{directory}/{{name}}.weights")
    net.model.hybridize()
    net(*inputs(mx))
    for part in {parts!r}:
        getattr(net.model, part).export(f"{directory}/{{name}}-{{part}}-{tag}")
result = True
"""


def _export_snippet(sources, directory, shim):
    return EXPORT_SNIPPET.format(runner=str(RUNNER), sources=sources, names=EXPORTED,
                                 parts=PARTS, directory=str(directory), save=not shim,
                                 tag="gb" if shim else "mx",
                                 shim="from gluonbridge import mxnet_shim\nmxnet_shim.install()"
                                 if shim else "")


def _without_constant_ids(nodes):
    """The nodes with each Constant's ``__init__`` ('Constant_<name>_<id of the initializer>')
    cut before the id, which differs from one process to the next (in MXNet too)."""
    for node in nodes:
        init = node.get("attrs", {}).get("__init__", "")
        if init.startswith("Constant_"):
            node["attrs"]["__init__"] = init.rsplit("_", 1)[0]
    return nodes


def test_sockeye_blocks_export_as_mxnet_1_9_1(mx1, sources, tmp_path):
    mx1.run(_export_snippet(sources, tmp_path, False), timeout=600)
    gluonbridge_interpreter("legacy").run(_export_snippet(sources, tmp_path, True), timeout=600)
    for name in EXPORTED:
        for part in PARTS:
            where = f"{name}-{part}"
            mine = json.loads((tmp_path / f"{where}-gb-symbol.json").read_text())
            theirs = json.loads((tmp_path / f"{where}-mx-symbol.json").read_text())
            for key in ("arg_nodes", "node_row_ptr", "heads", "attrs"):
                assert mine[key] == theirs[key], (where, key)
            assert len(mine["nodes"]) == len(theirs["nodes"]), where
            for a, b in zip(_without_constant_ids(mine["nodes"]),
                            _without_constant_ids(theirs["nodes"])):
                assert a == b, where
            assert ((tmp_path / f"{where}-gb-0000.params").read_bytes()
                    == (tmp_path / f"{where}-mx-0000.params").read_bytes()), where
