"""Run rules over a dedented snippet and look at what came out."""
import textwrap

from gluonbridge.codemods.base import Options
from gluonbridge.codemods.engine import migrate

ALL_GROUPS = frozenset({"naming", "forward", "device"})


def run(source, *rule_ids, unsafe=False, target="mx2"):
    """(code, findings) after running only ``rule_ids`` (all groups enabled) over ``source``."""
    options = Options(unsafe=unsafe, selected=frozenset(rule_ids) if rule_ids else None,
                      groups=ALL_GROUPS, target=target)
    outcome = migrate(textwrap.dedent(source), options)
    return outcome.code, outcome.findings


def rewrite(source, *rule_ids, unsafe=False, target="mx2"):
    return run(source, *rule_ids, unsafe=unsafe, target=target)[0]


def warnings(source, *rule_ids, unsafe=False, target="mx2"):
    return [f for f in run(source, *rule_ids, unsafe=unsafe, target=target)[1]
            if f.severity != "change"]


def assert_rewrites(before, after, *rule_ids, unsafe=False, target="mx2"):
    code = rewrite(before, *rule_ids, unsafe=unsafe, target=target)
    assert code == textwrap.dedent(after)
    assert rewrite(code, *rule_ids, unsafe=unsafe, target=target) == code, \
        "second run changed the code"


def assert_unchanged(source, *rule_ids, unsafe=True, target="mx2"):
    assert rewrite(source, *rule_ids, unsafe=unsafe, target=target) == textwrap.dedent(source)
