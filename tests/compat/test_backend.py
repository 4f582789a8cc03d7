"""Which Gluon compat picks at import, and that importing it stays light (the ``gluonbridge``
package itself is imported, as compat's parent, but not its Gluon layer)."""
import pytest

from tests.compat.conftest import with_repo
from tests.oracle.harness import Interpreter, SnippetError

PROBE = """
import sys
from gluonbridge import compat
result = {'backend': compat.BACKEND, 'is_mx2': compat.IS_MX2,
          'loaded': sorted(m for m in ('mxnet', 'gluonbridge.gluon', 'onnx', 'onnxruntime',
                                       'libcst') if m in sys.modules)}
"""


def _with_env(interp, **env):
    return Interpreter(interp.name, interp.python, "", dict(interp.env, **env))


@pytest.mark.oracle
def test_real_mxnet_is_preferred_and_gluonbridge_not_imported(mx1):
    got = _with_env(with_repo(mx1)).run(PROBE)
    assert got == {"backend": "mxnet", "is_mx2": False, "loaded": ["mxnet"]}


@pytest.mark.oracle
def test_env_var_forces_gluonbridge_next_to_a_real_mxnet(mx1):
    got = _with_env(with_repo(mx1), GLUONBRIDGE_COMPAT="gluonbridge").run(PROBE)
    assert got == {"backend": "gluonbridge", "is_mx2": False, "loaded": ["gluonbridge.gluon"]}


@pytest.mark.parametrize("naming,is_mx2", [("legacy", False), ("structural", True)])
def test_gluonbridge_without_mxnet_follows_the_naming_mode(gb_structural, naming, is_mx2):
    got = _with_env(gb_structural, GLUONBRIDGE_NAMING=naming).run(PROBE)
    assert got == {"backend": "gluonbridge", "is_mx2": is_mx2, "loaded": ["gluonbridge.gluon"]}


def test_the_mxnet_shim_counts_as_gluonbridge(gb_legacy):
    got = _with_env(gb_legacy).run("from gluonbridge import mxnet_shim\nmxnet_shim.install()\n"
                                   + PROBE)
    assert got["backend"] == "gluonbridge"


@pytest.mark.parametrize("value,message", [("mxnet", "No module named 'mxnet'"),
                                           ("tensorflow", "GLUONBRIDGE_COMPAT='tensorflow'")])
def test_env_var_mistakes_are_import_errors(gb_legacy, value, message):
    with pytest.raises(SnippetError, match=message):
        _with_env(gb_legacy, GLUONBRIDGE_COMPAT=value).run(PROBE)
