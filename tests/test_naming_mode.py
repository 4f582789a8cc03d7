"""Choosing the naming mode: environment variable, use(), override(), third-party policies."""
import os
import subprocess
import sys
import threading

import pytest

from gluonbridge import naming
from gluonbridge.gluon import nn
from gluonbridge.naming import LegacyNaming, NamingModeError

from tests.oracle.harness import REPO


def _env(**env):
    return dict(os.environ, **{"PYTHONPATH": str(REPO), **env})


def _python(code, **env):
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=_env(**env), cwd=REPO)


def test_environment_variable_fixes_the_mode_at_import():
    code = "from gluonbridge import naming; print(naming.current().name)"
    assert _python(code, GLUONBRIDGE_NAMING="structural").stdout.strip() == "structural"
    assert _python(code, GLUONBRIDGE_NAMING="legacy").stdout.strip() == "legacy"


def test_unknown_mode_in_the_environment_says_what_exists():
    proc = _python("import gluonbridge", GLUONBRIDGE_NAMING="flat")
    assert proc.returncode != 0
    assert "unknown naming mode 'flat'" in proc.stderr and "legacy, structural" in proc.stderr


def test_use_before_any_block_then_not_after():
    code = ("from gluonbridge import naming\n"
            "naming.use('structural')\n"
            "from gluonbridge.gluon import nn\n"
            "d = nn.Dense(2)\n"
            "print(hasattr(d, 'prefix'))\n"
            "try:\n"
            "    naming.use('legacy')\n"
            "except naming.NamingModeError as e:\n"
            "    print('refused:', e)\n")
    out = _python(code, GLUONBRIDGE_NAMING="legacy").stdout
    assert out.startswith("False\nrefused: cannot switch naming mode to 'legacy'")


def test_override_is_scoped():
    before = naming.current()
    with naming.override("structural") as policy:
        assert naming.current() is policy and policy.name == "structural"
        assert not hasattr(nn.Dense(2), "prefix")
    assert naming.current() is before


def test_one_model_cannot_mix_modes():
    with naming.override("legacy"):
        net = nn.HybridSequential()
    with naming.override("structural"):
        dense = nn.Dense(2)
    with pytest.raises(NamingModeError, match="must be built under one naming mode"):
        net.add(dense)


class UpperLegacy(LegacyNaming):
    """A third-party policy: legacy names, graph variables in upper case."""
    name = "upper"

    def variable_name(self, param):
        return param.name.upper()


def test_registered_third_party_policy_is_selectable_by_name():
    naming.register("upper", UpperLegacy)
    assert "upper" in naming.available()
    with naming.override("upper"):
        d = nn.Dense(2, prefix="fc_")
    assert d.weight.name == "fc_weight" and d.weight.variable_name == "FC_WEIGHT"


ENTRY_POINT_POLICY = """
from gluonbridge.naming import LegacyNaming


class UpperLegacy(LegacyNaming):
    name = "upper"

    def variable_name(self, param):
        return param.name.upper()
"""


def test_entry_point_policy_of_an_installed_distribution_loads(tmp_path):
    """A third-party distribution declaring a policy class under the entry-point group, found by
    importlib.metadata on sys.path, is selectable by name through GLUONBRIDGE_NAMING."""
    (tmp_path / "upperpolicy.py").write_text(ENTRY_POINT_POLICY)
    dist_info = tmp_path / "upperpolicy-0.1.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text("Metadata-Version: 2.1\nName: upperpolicy\n"
                                        "Version: 0.1\n")
    (dist_info / "entry_points.txt").write_text(
        f"[{naming.ENTRY_POINT_GROUP}]\nupper = upperpolicy:UpperLegacy\n")
    code = ("from gluonbridge import naming\n"
            "from gluonbridge.gluon import nn\n"
            "d = nn.Dense(2, prefix='fc_')\n"
            "print(naming.current().name, type(naming.current()).__name__, "
            "'upper' in naming.available(), d.weight.variable_name)\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=tmp_path, env=_env(GLUONBRIDGE_NAMING="upper",
                                                 PYTHONPATH=f"{tmp_path}{os.pathsep}{REPO}"))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["upper", "UpperLegacy", "True", "FC_WEIGHT"]


def test_override_is_per_thread_and_threads_build_concurrently():
    """MXNet's naming state is per thread: two threads overriding different modes at the same
    time each build under their own, with 1.x counters starting at 0 in each thread; a new
    thread does not see the main thread's override."""
    both_inside = threading.Barrier(2)
    results = {}

    def build(mode):
        with naming.override(mode):
            both_inside.wait()        # the other thread's override is active now too
            dense = [nn.Dense(2), nn.Dense(2)]
            both_inside.wait()
            results[mode] = (naming.current().name,
                             [getattr(d, "prefix", None) for d in dense],
                             sorted(dense[0].collect_params()))

    def seen_by_new_thread():
        results["new"] = naming.current().name

    threads = [threading.Thread(target=build, args=(m,)) for m in ("legacy", "structural")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results["legacy"] == ("legacy", ["dense0_", "dense1_"],
                                 ["dense0_bias", "dense0_weight"])
    assert results["structural"] == ("structural", [None, None], ["bias", "weight"])
    process_mode = naming.current().name
    other = "structural" if process_mode == "legacy" else "legacy"
    with naming.override(other):
        thread = threading.Thread(target=seen_by_new_thread)
        thread.start()
        thread.join()
    assert results["new"] == process_mode
