"""Executed check: MXNet 1.9.1's own model zoo, codemodded, runs under MXNet 2.0.0b1.

The 1.9.1 ``gluon/model_zoo/vision`` sources are copied out of the installed oracle, their
package-relative imports made absolute (as in a user's project), and migrated with
``--unsafe --forward --device``. Under 2.0.0b1 every model builds with the same structural
parameter keys and shapes as 2.0.0b1's own model zoo, and a checkpoint that 1.9.1 saved from
the original model loads into the codemodded one and reproduces 1.9.1's output. What the
rules rewrite to exists in 2.0.0b1 (ops, Block methods, the ``nn`` classes B2 moves to).
"""
import numpy as np
import pytest

from tests.codemod.zoo_sources import (CHECKPOINT_MODELS, codemodded_zoo,
                                       load_checkpoints_snippet, path_setup,
                                       save_checkpoints_snippet, structure_snippet)

pytestmark = [pytest.mark.oracle, pytest.mark.slow]


@pytest.fixture(scope="module")
def migrated_zoo(tmp_path_factory, mx1):
    root, names, report, migrated = codemodded_zoo(tmp_path_factory, "legacy_zoo", "--unsafe",
                                                   "--forward", "--device")
    assert "name_scope" not in migrated and "prefix=" not in migrated
    assert "hybrid_forward" not in migrated
    return root, names, report


def test_every_codemodded_model_has_mx2_model_zoo_structure(migrated_zoo, mx2):
    root, names, _ = migrated_zoo
    result = mx2.run(path_setup(root) + structure_snippet("legacy_zoo", names))
    assert sorted(result) == sorted(names) and len(names) > 30
    for name, (mine, theirs) in result.items():
        assert mine == theirs, name


def test_checkpoint_saved_by_mx1_gives_mx1_output_in_codemodded_model(migrated_zoo, mx1, mx2,
                                                                     tmp_path):
    root, _, _ = migrated_zoo
    expected = mx1.run(path_setup(root) + save_checkpoints_snippet("original_zoo", tmp_path))
    actual = mx2.run(path_setup(root) + load_checkpoints_snippet("legacy_zoo", tmp_path,
                                                                 "mx.np.array"))
    for name in CHECKPOINT_MODELS:
        np.testing.assert_allclose(actual[name], expected[name], rtol=1e-4, atol=1e-5,
                                   err_msg=name)


def test_rewrite_targets_exist_in_mx2(mx1, mx2):
    from gluonbridge.codemods.forward_ops import OPS
    targets = sorted({(kind, name) for kind, name in OPS.values() if kind in ("np", "npx")})
    methods = ["initialize", "setattr", "reset_device", "zero_grad", "share_parameters",
               "load_dict", "save_parameters", "load_parameters"]
    missing = mx2.run(f"""
from mxnet.gluon import Block, Parameter, Constant
targets = {targets!r}
result = {{
    'ops': [f'{{k}}.{{n}}' for k, n in targets if not hasattr(getattr(mx, k), n)],
    'block': [m for m in {methods!r} if not hasattr(Block, m)],
    'name_scope': hasattr(Block, 'name_scope'),
}}
""")
    assert missing == {"ops": [], "block": [], "name_scope": False}
    legacy = mx1.run("from mxnet.gluon import Block\nresult = hasattr(Block, 'name_scope')")
    assert legacy is True


ARGUMENTS = r'''
import inspect
from mxnet import gluon

def lookup(path):
    obj = gluon
    for part in path.split('.'):
        obj = getattr(obj, part, None)
    return obj

def arguments(cls):
    parameters = inspect.signature(cls.__init__).parameters.items()
    return [[name, repr(p.default)] for name, p in parameters
            if name not in ('self', 'prefix', 'params')]

result = {path: arguments(lookup(path)) if lookup(path) else None for path in PATHS}
'''


def test_b2_moves_contrib_classes_to_mx2_nn_classes_taking_the_same_arguments(mx1, mx2):
    """B2's table: each 1.x ``gluon.contrib.<module>.<old>`` is gone in 2.0.0b1, whose
    ``gluon.nn.<new>`` takes the same arguments (less ``prefix``/``params``); the classes compat
    aliases are not in 1.9.1's ``nn``."""
    from gluonbridge.codemods.construction import COMPAT_ALIASES, MOVED_TO_NN
    moves = {f"{module}.{old}": f"nn.{new}"
             for module, renames in MOVED_TO_NN.items() for old, new in renames.items()}
    paths = sorted(moves) + sorted(set(moves.values()))
    legacy, structural = (interp.run(f"PATHS = {paths!r}\n" + ARGUMENTS) for interp in (mx1, mx2))
    for old, new in moves.items():
        assert legacy[old] is not None and structural[old] is None, old
        assert legacy[old] == structural[new], (old, new)
    assert [c for c in COMPAT_ALIASES if legacy[f"nn.{c}"] is not None] == []
