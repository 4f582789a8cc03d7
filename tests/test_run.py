"""``python -m gluonbridge.run``: an unmodified MXNet script prints what the real MXNet prints
(1.9.1 in legacy mode, 2.0.0b1 in structural mode), with the script's argv, ``__main__`` and
exit code; command-line mistakes are one line and exit 2."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.oracle.harness import REPO, oracle_python

SCRIPTS = Path(__file__).with_name("run_scripts")


def _env(**extra):
    env = dict(os.environ, PYTHONPATH=str(REPO), **extra)
    env.pop("GLUONBRIDGE_NAMING", None)
    return env


def run_gluonbridge(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "gluonbridge.run", *map(str, args)],
                          capture_output=True, text=True, env=_env(), cwd=cwd, timeout=600)


def run_oracle(name, script, *args):
    python = oracle_python(name)
    proc = subprocess.run([str(python), str(script), *args], capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=""), timeout=600)
    return proc


@pytest.mark.oracle
def test_mx1_script_prints_what_mxnet_1_prints(mx1):
    script = SCRIPTS / "mx1_script.py"
    want = run_oracle("mx1", script, "--flag", "value", "3")
    got = run_gluonbridge("--naming", "legacy", script, "--flag", "value", "3")
    assert want.returncode == got.returncode == 3, (want.stderr[-2000:], got.stderr[-2000:])
    assert got.stdout == want.stdout


@pytest.mark.oracle
def test_mx2_script_prints_what_mxnet_2_prints(mx2):
    script = SCRIPTS / "mx2_script.py"
    want = run_oracle("mx2", script, "x")
    got = run_gluonbridge("--naming", "structural", script, "x")
    assert want.returncode == got.returncode == 0, (want.stderr[-2000:], got.stderr[-2000:])
    assert got.stdout == want.stdout


def test_module_form_runs_as_main(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("")
    (tmp_path / "pkg" / "job.py").write_text(
        "import sys, mxnet\nprint(__name__, sys.argv[1:], mxnet.__version__)\n")
    proc = run_gluonbridge("--naming=structural", "-m", "pkg.job", "a", "-b", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "__main__ ['a', '-b'] 2.0.0beta1\n"


def test_script_traceback_is_the_scripts_own(tmp_path):
    script = tmp_path / "fails.py"
    script.write_text("def f():\n    raise KeyError('missing')\n\nf()\n")
    proc = run_gluonbridge(script)
    assert proc.returncode == 1
    lines = proc.stderr.splitlines()
    assert lines[0] == "Traceback (most recent call last):"
    assert str(script) in lines[1] and "<module>" in lines[1]
    assert lines[-1] == "KeyError: 'missing'"
    assert "runpy" not in proc.stderr and "gluonbridge" not in proc.stderr


@pytest.mark.parametrize("args, message", [
    (["nope.py"], "can't open file 'nope.py'"),
    (["--naming", "mx3", "x.py"], "--naming 'mx3': use legacy or structural"),
    (["--naming"], "--naming needs a value"),
    (["--bogus", "x.py"], "unknown option --bogus"),
    ([], "no script given"),
    (["-m"], "-m needs a module name"),
    (["-m", "no_such_module_here"], "no module named 'no_such_module_here'"),
])
def test_usage_errors_are_one_line(args, message):
    proc = run_gluonbridge(*args)
    assert proc.returncode == 2
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"gluonbridge.run: error: {message}"), lines


def test_help_teaches_usage():
    proc = run_gluonbridge("--help")
    assert proc.returncode == 0
    assert proc.stdout.startswith("usage: python -m gluonbridge.run")
    for word in ("--naming legacy", "--naming structural", "-m module", "examples:"):
        assert word in proc.stdout


def _split_error(stdout):
    """The lines before and after the tutorial's printed load error, and the error itself."""
    head, rest = stdout.split("--- load error ---\n")
    error, tail = rest.split("--- end ---\n")
    return head, error, tail


def _run_tutorial(name, oracle, naming, tmp_path):
    """The stdout of tests/tutorials/<name> under the oracle and under gluonbridge.run, each
    in a folder of its own (the tutorials write model.params)."""
    script = Path(__file__).with_name("tutorials") / name
    (tmp_path / "mx").mkdir()
    (tmp_path / "gb").mkdir()
    want = subprocess.run([str(oracle_python(oracle)), str(script)], capture_output=True,
                          text=True, env=dict(os.environ, PYTHONPATH=""), timeout=600,
                          cwd=tmp_path / "mx")
    got = run_gluonbridge("--naming", naming, script, cwd=tmp_path / "gb")
    assert want.returncode == got.returncode == 0, (want.stderr[-2000:], got.stderr[-2000:])
    return want.stdout, got.stdout


@pytest.mark.oracle
def test_mxnet_1_naming_tutorial_prints_what_mxnet_1_prints(mx1, tmp_path):
    want, got = _run_tutorial("naming_mx1.py", "mx1", "legacy", tmp_path)
    want_head, want_error, want_tail = _split_error(want)
    got_head, got_error, got_tail = _split_error(got)
    assert (got_head, got_tail) == (want_head, want_tail)
    # both name the first missing Parameter and what the file holds instead
    for name in ("model1_dense0_weight", "model0_dense0_weight", "model.params"):
        assert name in want_error and name in got_error


@pytest.mark.oracle
def test_mxnet_2_naming_tutorial_prints_what_mxnet_2_prints(mx2, tmp_path):
    want, got = _run_tutorial("naming_mx2.py", "mx2", "structural", tmp_path)
    assert got == want
