"""The command line: modes, exit codes, byte identity, bad files, reports, walking."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gluonbridge.codemod.cli import main

LEGACY = (b"from mxnet.gluon import nn\n"
          b"class Net(nn.HybridBlock):\n"
          b"    def __init__(self, **kwargs):\n"
          b"        super(Net, self).__init__(**kwargs)\n"
          b"        # the body\n"
          b"        with self.name_scope():\n"
          b"            self.dense = nn.Dense(10, prefix='fc_')  # classifier\n")
MIGRATED = (b"from mxnet.gluon import nn\n"
            b"class Net(nn.HybridBlock):\n"
            b"    def __init__(self, **kwargs):\n"
            b"        super(Net, self).__init__(**kwargs)\n"
            b"        # the body\n"
            b"        self.dense = nn.Dense(10)  # classifier\n")


def cli(*args):
    return main([*map(str, args), "--jobs", "1", "--no-progress"])


@pytest.fixture
def project(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "net.py").write_bytes(LEGACY)
    (tmp_path / "pkg" / "plain.py").write_bytes(b"import os\nprint(os.sep)\n")
    return tmp_path


def test_rewrites_in_place_and_second_run_changes_nothing(project, capsys):
    assert cli(project) == 0
    assert (project / "pkg" / "net.py").read_bytes() == MIGRATED
    assert "1 file(s) changed, 1 unchanged, 0 failed" in capsys.readouterr().err
    assert cli("--check", project) == 0


def test_check_exits_1_and_writes_nothing(project):
    assert cli("--check", project) == 1
    assert (project / "pkg" / "net.py").read_bytes() == LEGACY


def test_diff_prints_unified_diff_and_writes_nothing(project, capsys):
    assert cli("--diff", project) == 0
    out = capsys.readouterr().out
    assert "-        with self.name_scope():" in out and "+        self.dense = nn.Dense(10)" in out
    assert (project / "pkg" / "net.py").read_bytes() == LEGACY


@pytest.mark.parametrize("args", [["--target", "mx3"], ["--select", "N99"], ["--jobs", "0"], []])
def test_usage_errors_exit_2_without_traceback(project, args, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(args + ([str(project)] if args else []))
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "error:" in err


def test_missing_path_is_a_usage_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli(tmp_path / "nope")
    assert exit_info.value.code == 2


def test_dual_target_rewrites_to_compat_and_reports_it(project):
    report = project / "report.json"
    assert cli("--target", "dual", "--report", report, project) == 0
    assert (project / "pkg" / "net.py").read_bytes() == (
        LEGACY.replace(b"from mxnet.gluon import nn\n",
                       b"from mxnet.gluon import nn\nfrom gluonbridge import compat\n")
        .replace(b"with self.name_scope():", b"with compat.name_scope(self):")
        .replace(b"prefix='fc_'", b"**compat.prefix_kw('fc_')"))
    data = json.loads(report.read_text())
    assert data["options"]["target"] == "dual"
    assert cli("--target", "dual", "--check", project) == 0


@pytest.mark.parametrize("transform", [
    lambda b: b.replace(b"\n", b"\r\n"),                       # CRLF
    lambda b: b"\xef\xbb\xbf" + b,                             # BOM
    lambda b: b.replace(b"    ", b"\t"),                       # tabs
    lambda b: b"# -*- coding: latin-1 -*-\n# caf\xe9\n" + b,   # another encoding
])
def test_untouched_bytes_stay_identical(tmp_path, transform):
    path = tmp_path / "net.py"
    path.write_bytes(transform(LEGACY))
    assert cli(path) == 0
    assert path.read_bytes() == transform(MIGRATED)


def test_unparsable_file_is_reported_and_left_alone(tmp_path, capsys):
    bad = tmp_path / "bad.py"
    broken = b"import mxnet\nwith self.name_scope(:\n    pass\n"
    bad.write_bytes(broken)
    (tmp_path / "good.py").write_bytes(LEGACY)
    assert cli("--check", tmp_path) == 123        # a failure outranks "would change"
    assert cli(tmp_path) == 123
    assert bad.read_bytes() == broken
    assert (tmp_path / "good.py").read_bytes() == MIGRATED
    err = capsys.readouterr().err
    assert "bad.py: error: does not parse" in err and "1 failed" in err


def test_unwritable_report_is_a_failure(project, capsys):
    assert cli("--report", project / "missing" / "report.json", project) == 123
    assert "cannot write the report" in capsys.readouterr().err


def test_ctrl_c_exits_130_with_one_line(project, monkeypatch, capsys):
    from gluonbridge.codemod import jobs

    def interrupted(*args):
        raise KeyboardInterrupt
        yield

    monkeypatch.setattr(jobs, "run", interrupted)
    assert cli(project) == 130
    assert capsys.readouterr().err == "interrupted\n"


def test_report_lists_changes_and_warnings_with_positions(project):
    (project / "pkg" / "sel.py").write_text(
        "import mxnet as mx\nnet.collect_params('.*dense').setattr('lr_mult', 2)\n")
    report = project / "report.json"
    assert cli("--report", report, project) == 0
    files = {Path(f["path"]).name: f for f in json.loads(report.read_text())["files"]}
    assert [c["rule"] for c in files["net.py"]["changes"]] == ["GLUN1", "GLUN4"]
    [warning] = files["sel.py"]["warnings"]
    assert (warning["rule"], warning["line"], warning["column"], warning["severity"]) == \
        ("GLUN11", 2, 1, "error")
    assert files["plain.py"]["status"] == "unchanged"


def test_select_and_ignore(project):
    assert cli("--select", "N4", project) == 0
    assert b"with self.name_scope():" in (project / "pkg" / "net.py").read_bytes()
    (project / "pkg" / "net.py").write_bytes(LEGACY)
    assert cli("--ignore", "GLUN4", project) == 0
    assert b"prefix='fc_'" in (project / "pkg" / "net.py").read_bytes()


def test_exclude_gitignore_and_outside_symlinks(tmp_path):
    tree = tmp_path / "tree"
    (tree / "skipped").mkdir(parents=True)
    (tree / "generated").mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    for folder in (tree, tree / "skipped", tree / "generated", outside):
        (folder / "net.py").write_bytes(LEGACY)
    (tree / ".gitignore").write_text("generated/\n")
    os.symlink(outside, tree / "link")
    assert cli("--exclude", "skipped", tree) == 0
    assert (tree / "net.py").read_bytes() == MIGRATED
    for folder in (tree / "skipped", tree / "generated", outside):
        assert (folder / "net.py").read_bytes() == LEGACY


def test_parallel_jobs_give_the_same_result(tmp_path):
    for i in range(6):
        (tmp_path / f"net{i}.py").write_bytes(LEGACY)
    assert main([str(tmp_path), "--jobs", "2", "--no-progress"]) == 0
    assert all((tmp_path / f"net{i}.py").read_bytes() == MIGRATED for i in range(6))


def test_module_entry_point_help_teaches_with_examples():
    result = subprocess.run([sys.executable, "-m", "gluonbridge.codemod", "--help"],
                            capture_output=True, text=True, cwd=Path(__file__).parents[2])
    assert result.returncode == 0
    assert "examples:" in result.stdout and "--unsafe" in result.stdout


def test_list_rules_shows_every_rule_with_its_level(capsys):
    from gluonbridge.codemods.registry import RULES
    assert main(["--list-rules"]) == 0
    out = capsys.readouterr().out
    assert all(f"GLU{rule.id}" in out for rule in RULES)


def test_progress_bar_is_silent_when_stderr_is_not_a_terminal(capsys):
    from gluonbridge.codemod.progress import progress
    assert list(progress(iter(range(3)), 3)) == [0, 1, 2]
    assert capsys.readouterr().err == ""


def test_in_place_write_keeps_the_file_mode(project):
    path = project / "pkg" / "net.py"
    path.chmod(0o640)
    assert cli(path) == 0
    assert path.read_bytes() == MIGRATED and path.stat().st_mode & 0o777 == 0o640
