"""The four sides compat must work on, each a fresh interpreter with this checkout importable:
MXNet 1.9.1, MXNet 2.0.0b1 (the oracles, which have only mxnet and numpy) and gluonbridge under
legacy and structural naming."""
import pytest

from tests.oracle.harness import REPO, Interpreter

SIDES = ("mx1", "mx2", "legacy", "structural")
# which oracle each gluonbridge naming mode mirrors
MIRRORS = {"legacy": "mx1", "structural": "mx2"}


def with_repo(interp: Interpreter) -> Interpreter:
    """The same interpreter with this checkout (compat, gluonbridge) on sys.path."""
    return Interpreter(interp.name, interp.python, interp.prelude,
                       dict(interp.env, PYTHONPATH=str(REPO)))


@pytest.fixture(scope="session")
def sides(mx1, mx2, gb_legacy, gb_structural):
    return dict(zip(SIDES, (with_repo(mx1), with_repo(mx2), gb_legacy, gb_structural)))
