"""Fixtures shared by tests/ and properties/: the real-MXNet oracles and fresh gluonbridge processes.

An oracle that is not installed skips its tests, unless GLUONBRIDGE_REQUIRE_ORACLES=1 (set by
.ci/run), where it fails them: CI must never pass by silently not comparing.
"""
import os

import pytest

from tests.oracle.harness import find_oracle, gluonbridge_interpreter, oracle_dir

# Tests (and the processes they start) leave the user's session cache alone; the cache's own
# tests (tests/test_session_cache.py) turn it on in a temporary directory.
os.environ.setdefault("GLUONBRIDGE_SESSION_CACHE", "0")


def _oracle(name):
    oracle = find_oracle(name)
    if oracle is None:
        msg = (f"oracle {name} not installed in {oracle_dir()}; "
               "run `bash tests/oracle/install.sh` to create it")
        if os.environ.get("GLUONBRIDGE_REQUIRE_ORACLES") == "1":
            pytest.fail(msg + " (GLUONBRIDGE_REQUIRE_ORACLES=1)", pytrace=False)
        pytest.skip(msg)
    return oracle


@pytest.fixture(autouse=True)
def _backend_restored():
    """Every test ends on the backend it started on: ``backend.use`` in a test's own thread
    would otherwise outlive it, and the next tests in that worker (large models among them)
    would run on, say, onnx's reference evaluator."""
    from gluonbridge import backend
    before = backend.current()
    yield
    backend.use(before)


@pytest.fixture(scope="session")
def mx1():
    """MXNet 1.9.1 in its own virtualenv (legacy shape semantics)."""
    return _oracle("mx1")


@pytest.fixture(scope="session")
def mx2():
    """MXNet 2.0.0b1 in its own virtualenv, after npx.set_np()."""
    return _oracle("mx2")


@pytest.fixture(scope="session")
def gb_legacy():
    """gluonbridge in a fresh process per snippet, GLUONBRIDGE_NAMING=legacy."""
    return gluonbridge_interpreter("legacy")


@pytest.fixture(scope="session")
def gb_structural():
    """gluonbridge in a fresh process per snippet, GLUONBRIDGE_NAMING=structural."""
    return gluonbridge_interpreter("structural")
