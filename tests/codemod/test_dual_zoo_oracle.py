"""Executed check of ``--target dual`` (issue 6): MXNet 1.9.1's own model zoo, codemodded to
dual-version code, runs on both real versions.

* under 1.9.1 every model's legacy parameter names (``collect_params()`` keys) and shapes equal
  the original sources' (each built with fresh name counters);
* under 2.0.0b1 every model's structural keys and shapes equal 2.0.0b1's own model zoo;
* a checkpoint saved by the original model under 1.9.1 loads into the dual code under both
  versions and gives the original's output.

Every expected value comes from an oracle run.
"""
import numpy as np
import pytest

from tests.codemod.zoo_sources import (CHECKPOINT_MODELS, codemodded_zoo,
                                       load_checkpoints_snippet, path_setup,
                                       save_checkpoints_snippet, structure_snippet)

pytestmark = [pytest.mark.oracle, pytest.mark.slow]


@pytest.fixture(scope="module")
def dual_zoo(tmp_path_factory, mx1):
    root, names, report, migrated = codemodded_zoo(tmp_path_factory, "dual_zoo", "--target",
                                                   "dual", "--unsafe", "--forward")
    assert "self.name_scope()" not in migrated and "prefix=" not in migrated
    assert "compat.name_scope(" in migrated and "if compat.IS_MX2:" in migrated
    assert all(f["status"] == "changed" or f["path"].endswith("__init__.py")
               for f in report["files"])
    return root, names


def test_dual_code_keeps_the_legacy_names_under_mx1(dual_zoo, mx1):
    root, names = dual_zoo
    result = mx1.run(path_setup(root) + f"""
import original_zoo, dual_zoo
def keys(zoo, name):
    with mx.name.NameManager():
        net = zoo.get_model(name)
    return sorted((k, list(p.shape)) for k, p in net.collect_params().items())
result = {{name: [keys(dual_zoo, name), keys(original_zoo, name)] for name in {names!r}}}
""")
    assert sorted(result) == sorted(names) and len(names) > 30
    for name, (dual, original) in result.items():
        assert dual == original, name


def test_dual_code_has_the_mx2_model_zoo_structure_under_mx2(dual_zoo, mx2):
    root, names = dual_zoo
    result = mx2.run(path_setup(root) + structure_snippet("dual_zoo", names))
    assert sorted(result) == sorted(names)
    for name, (dual, theirs) in result.items():
        assert dual == theirs, name


def test_mx1_checkpoint_gives_the_original_output_under_both(dual_zoo, mx1, mx2, tmp_path):
    root, _ = dual_zoo
    expected = mx1.run(path_setup(root) + save_checkpoints_snippet("original_zoo", tmp_path))
    on_mx1 = mx1.run(path_setup(root) + load_checkpoints_snippet("dual_zoo", tmp_path,
                                                                 "mx.nd.array"))
    on_mx2 = mx2.run(path_setup(root) + load_checkpoints_snippet("dual_zoo", tmp_path,
                                                                 "mx.np.array"))
    for name in CHECKPOINT_MODELS:
        np.testing.assert_allclose(on_mx1[name], expected[name], rtol=1e-5, atol=1e-6,
                                   err_msg=f"{name} under 1.9.1")
        np.testing.assert_allclose(on_mx2[name], expected[name], rtol=1e-4, atol=1e-5,
                                   err_msg=f"{name} under 2.0.0b1")
