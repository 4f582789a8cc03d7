"""Properties of naming over random model-building programs (properties/model_programs.py).

* Against the oracles, batched: the legacy description (prefixes, names, block paths, structural
  keys, collect_params with shapes, errors) equals MXNet 1.9.1's, and the structural one equals
  MXNet 2.0.0b1's. ORACLE_BATCHES x BATCH_SIZE programs per run (>= 300 trees).
* In each mode, names never collide silently: every structural key, followed as a path of
  public attribute/index accesses, leads to its own Parameter (checked on MXNet too);
  auto-named legacy parameters have distinct full names.
* The same program gives the same names in a fresh process as in this one.
"""
import contextlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gluonbridge import naming
from gluonbridge.naming import NameManager
from properties.model_programs import programs
from tests.oracle.harness import describe_batch_snippet, to_gluonbridge

BATCH_SIZE = 30
ORACLE_BATCHES = 11  # 330 programs per run, each with 1-3 model trees

_DESCRIBE = (Path(__file__).parents[1] / "tests" / "oracle" / "describe_models.py").read_text()


def _normalise(text):
    return text.replace("mxnet.", "gluonbridge.")


def _compare_batch(progs, version, oracle, ours):
    field = "source_mx1" if version == "mx1" else "source_mx2"
    sources = [getattr(p, field) for p in progs]
    expected = oracle.run(describe_batch_snippet(sources, version))
    got = ours.run(describe_batch_snippet([to_gluonbridge(s) for s in sources], version))
    for source, want, have in zip(sources, expected, got):
        import json
        assert have == json.loads(_normalise(json.dumps(want))), f"program:\n{source}"


@pytest.mark.oracle
@settings(max_examples=ORACLE_BATCHES)
@given(st.lists(programs(), min_size=BATCH_SIZE, max_size=BATCH_SIZE))
def test_legacy_names_equal_mxnet_1_9_1(mx1, gb_legacy, progs):
    _compare_batch(progs, "mx1", mx1, gb_legacy)


@pytest.mark.oracle
@settings(max_examples=ORACLE_BATCHES)
@given(st.lists(programs(), min_size=BATCH_SIZE, max_size=BATCH_SIZE))
def test_structural_keys_equal_mxnet_2_0_0b1(mx2, gb_structural, progs):
    _compare_batch(progs, "mx2", mx2, gb_structural)


def _build(source, mode):
    """Run a program on gluonbridge in this process under ``mode``; its namespace."""
    ns = {"__name__": "__main__"}
    fresh = NameManager() if mode == "legacy" else contextlib.nullcontext()
    with naming.override(mode), fresh:
        exec(compile(to_gluonbridge(source), "<program>", "exec"), ns)
    return ns


# Structural keys checked against an invariant independent of how they are collected: each key,
# read as a path of public attribute and index accesses from the model, leads to the very
# Parameter it maps to. Run here on gluonbridge, and on MXNet to show it is MXNet's invariant.
_RESOLVE = '''
def unresolved_keys(source, skip=(Exception,)):
    """Structural keys that public access from the model does not lead to their Parameter;
    None if building the program raises one of ``skip``."""
    ns = {'__name__': '__main__'}
    try:
        exec(compile(source, '<program>', 'exec'), ns)
    except skip:
        return None
    bad = []
    for model in ns['models']:
        for key, param in model._collect_params_with_prefix().items():
            node = model
            try:
                for part in key.split('.'):
                    node = node[int(part)] if part.isdigit() else getattr(node, part)
            except (AttributeError, IndexError, KeyError, TypeError):
                node = None
            if node is not param:
                bad.append(key)
    return bad
'''


def _unresolved_keys(source, mode):
    ns = {}
    exec(compile(_RESOLVE, "<resolve>", "exec"), ns)
    with naming.override(mode), (NameManager() if mode == "legacy" else contextlib.nullcontext()):
        return ns["unresolved_keys"](to_gluonbridge(source), skip=AssertionError)


@settings(max_examples=150)
@given(programs())
def test_structural_keys_lead_to_their_parameters(prog):
    for mode, source in (("legacy", prog.source_mx1), ("structural", prog.source_mx2)):
        # None: the program is invalid in MXNet too (e.g. a params.get shape clash)
        assert _unresolved_keys(source, mode) in (None, []), f"program:\n{source}"


@pytest.mark.oracle
@settings(max_examples=2)
@given(st.lists(programs(), min_size=BATCH_SIZE, max_size=BATCH_SIZE))
def test_structural_keys_lead_to_their_parameters_in_mxnet(mx1, mx2, progs):
    """The invariant above holds in MXNet 1.9.1 and 2.0.0b1, so it is theirs, not ours."""
    for oracle, field in ((mx1, "source_mx1"), (mx2, "source_mx2")):
        sources = [getattr(p, field) for p in progs]
        result = oracle.run(_RESOLVE + f"\nresult = [unresolved_keys(s) for s in {sources!r}]")
        assert all(bad in (None, []) for bad in result), [
            (s, bad) for s, bad in zip(sources, result) if bad]


def _has_explicit_prefix(node):
    return node.prefix is not None or any(_has_explicit_prefix(c) for _, c in node.children)


@settings(max_examples=150)
@given(programs())
def test_auto_named_legacy_parameters_have_distinct_names(prog):
    if any(_has_explicit_prefix(root) for root in prog.roots):
        return  # explicit prefixes may collide on purpose; MXNet then raises, and so do we
    try:
        ns = _build(prog.source_mx1, "legacy")
    except AssertionError:
        return
    owners = {}
    for model in ns["models"]:
        for name, param in model.collect_params().items():
            assert owners.setdefault(name, param) is param, f"{name} names two Parameters"


@pytest.mark.parametrize("mode", ["legacy", "structural"])
@settings(max_examples=3)
@given(progs=st.lists(programs(), min_size=20, max_size=20))
def test_same_names_in_a_fresh_process(mode, gb_legacy, gb_structural, progs):
    version = "mx1" if mode == "legacy" else "mx2"
    field = "source_mx1" if version == "mx1" else "source_mx2"
    sources = [to_gluonbridge(getattr(p, field)) for p in progs]
    fresh = (gb_legacy if mode == "legacy" else gb_structural).run(
        describe_batch_snippet(sources, version))
    ns = {"VERSION": version, "mx": __import__("gluonbridge")}
    exec(compile(_DESCRIBE, "describe_models.py", "exec"), ns)
    with naming.override(mode):
        here = [ns["describe_program"](s, fresh_counters=True) for s in sources]
    assert here == fresh
