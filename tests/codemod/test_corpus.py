"""Slow: the codemod over the released sources of GluonCV, GluonNLP and GluonTS.

The packages (fetched once, see :mod:`tests.codemod.corpus_sources`) are unpacked into a temp
directory, migrated with ``--unsafe``, and checked: everything compiles, a second run changes
nothing, no comment is lost, and every ``name_scope``/``prefix=``/``params=`` left behind is
covered by a warning of the second run's report. A second copy is migrated with ``--target dual``.
"""
import ast
import collections
import json
import subprocess

import pytest

from gluonbridge.codemods.engine import comments
from gluonbridge.codemod.cli import main
from gluonbridge.codemod.migrate_file import read_source
from tests.codemod.corpus_sources import download, unpack

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def archives():
    try:
        return download()
    except subprocess.CalledProcessError as error:
        pytest.fail(f"cannot download the corpus: {error.stderr[-500:]}")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, archives):
    root = tmp_path_factory.mktemp("corpus")
    unpack(archives, root)
    files = sorted(root.rglob("*.py"))
    before = {path: read_source(path)[0] for path in files}
    report = root / "first.json"
    main([str(root), "--unsafe", "--no-progress", "--quiet", "--report", str(report)])
    return root, before, json.loads(report.read_text())


def test_corpus_first_run_migrates_without_failures(corpus):
    root, before, report = corpus
    statuses = collections.Counter(f["status"] for f in report["files"])
    assert len(before) > 800
    assert statuses["failed"] == 0, [f for f in report["files"] if f["status"] == "failed"]
    assert statuses["changed"] > 100


def test_corpus_every_file_parses_and_compiles_after(corpus):
    root, before, _ = corpus
    for path in before:
        text = read_source(path)[0]
        compile(text, str(path), "exec", dont_inherit=True)


def test_corpus_comment_count_unchanged(corpus):
    root, before, _ = corpus
    for path, old in before.items():
        new = read_source(path)[0]
        if new != old:
            assert len(comments(new)) == len(comments(old)), path


def test_corpus_second_run_changes_nothing_and_warns_for_every_leftover(corpus, tmp_path):
    root, _, _ = corpus
    report = tmp_path / "second.json"
    assert main([str(root), "--unsafe", "--check", "--no-progress", "--quiet",
                 "--report", str(report)]) == 0
    warned = {(f["path"], w["line"]) for f in json.loads(report.read_text())["files"]
              for w in f["warnings"]}
    unwarned = [(str(path), line, what) for path in sorted(root.rglob("*.py"))
                for line, what in _leftovers(read_source(path)[0])
                if (str(path), line) not in warned]
    assert unwarned == []


def test_corpus_as_dual_version_code(archives, tmp_path):
    """``--target dual`` (with the forward rules): no failures, every result compiles, every
    comment is kept, and a second run changes nothing."""
    unpack(archives, tmp_path)
    before = {path: read_source(path)[0] for path in sorted(tmp_path.rglob("*.py"))}
    flags = ["--target", "dual", "--unsafe", "--forward", "--no-progress", "--quiet"]
    report = tmp_path / "dual.json"
    assert main([str(tmp_path), *flags, "--report", str(report)]) == 0
    assert sum(f["status"] == "changed" for f in json.loads(report.read_text())["files"]) > 100
    for path, old in before.items():
        new = read_source(path)[0]
        compile(new, str(path), "exec", dont_inherit=True)
        assert not collections.Counter(comments(old)) - collections.Counter(comments(new)), path
    assert main([str(tmp_path), *flags, "--check"]) == 0


def _leftovers(source: str):
    """(line, what) of name_scope calls and prefix=/params= keywords to Gluon-looking callees.

    Files that never mention MXNet (gluonts' torch and sklearn code) are out of scope.
    """
    if "mxnet" not in source and "mx." not in source:
        return
    tree = ast.parse(source)
    foreign = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            foreign |= {(a.asname or a.name).split(".")[0] for a in node.names
                        if "mxnet" not in a.name and "gluon" not in a.name}
        elif isinstance(node, ast.ImportFrom) and not node.level and \
                "mxnet" not in (node.module or "") and "gluon" not in (node.module or ""):
            foreign |= {a.asname or a.name for a in node.names}
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "name_scope":
            yield node.lineno, "name_scope"
        if not isinstance(node, ast.Call):
            continue
        root = node.func
        while isinstance(root, ast.Attribute):
            root = root.value
        if isinstance(root, ast.Name) and root.id in foreign:
            continue                        # tempfile.TemporaryDirectory(prefix=…) & co
        if isinstance(node.func, ast.Name) and node.func.id == "SymbolBlock":
            continue                        # SymbolBlock keeps params= in 2.x
        for keyword in node.keywords:
            if keyword.arg in ("prefix", "params"):
                yield keyword.value.lineno, f"{keyword.arg}="
