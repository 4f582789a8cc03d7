"""Every visible naming case, run in the real MXNet 1.9.1 / 2.0.0b1 and in gluonbridge.

Each case is a small program (tests/naming_cases.py). It runs in a fresh process of each oracle and
of gluonbridge (legacy naming against 1.9.1, structural naming against 2.0.0b1, ``mxnet`` replaced
by ``gluonbridge`` in the source); describe_models.py reports prefixes, names, block paths,
structural keys, collect_params entries with shapes and grad_req, save_parameters keys, and what
raised. gluonbridge must report exactly what the oracle reports (module paths in messages
normalised from ``mxnet.`` to ``gluonbridge.``).
"""
import json
import runpy
from pathlib import Path

import pytest

from tests.oracle.harness import describe_snippet, to_gluonbridge

HERE = Path(__file__).parent
CASES = runpy.run_path(str(HERE / "naming_cases.py"))["CASES"]
STORED = {c["id"]: c for c in json.loads((HERE / "data" / "naming_cases.json").read_text())["cases"]}
VERSIONS = ("mx1", "mx2")


def _source(case, version):
    return case["source"] if version == "mx1" else case.get("source_mx2", case["source"])


def _snippets(case_list, version, for_gluonbridge):
    for case in case_list:
        source = _source(case, version)
        if for_gluonbridge:
            source = to_gluonbridge(source)
        yield describe_snippet(source, version, save=bool(case.get("save")))


def _normalise(result):
    """Oracle output as gluonbridge would print it: module paths ``mxnet.`` -> ``gluonbridge.``."""
    return json.loads(json.dumps(result).replace("mxnet.", "gluonbridge."))


@pytest.fixture(scope="module")
def oracle_results(mx1, mx2):
    out = {}
    for version, oracle in (("mx1", mx1), ("mx2", mx2)):
        for case, res in zip(CASES, oracle.run_many(_snippets(CASES, version, False))):
            out[case["id"], version] = res
    return out


@pytest.fixture(scope="module")
def gluonbridge_results(gb_legacy, gb_structural):
    out = {}
    for version, interp in (("mx1", gb_legacy), ("mx2", gb_structural)):
        for case, res in zip(CASES, interp.run_many(_snippets(CASES, version, True))):
            out[case["id"], version] = res
    return out


@pytest.mark.oracle
@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_gluonbridge_names_like_mxnet(case, version, oracle_results, gluonbridge_results):
    expected = _normalise(oracle_results[case["id"], version])
    got = gluonbridge_results[case["id"], version]
    assert got == expected


@pytest.mark.oracle
@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_oracle_still_gives_the_stored_answers(case, version, oracle_results):
    """The corpus answers were made by the same MXNet versions: a difference means the oracle
    install is not the MXNet the corpus describes."""
    stored = STORED[case["id"]][version]
    live = oracle_results[case["id"], version]
    for field in ("models", "extra", "error", "save"):
        assert live.get(field) == stored.get(field), field
