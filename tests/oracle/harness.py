"""Run Python snippets in a fresh interpreter — a real-MXNet oracle or gluonbridge — and get JSON back.

The oracles are two virtualenvs made by ``tests/oracle/install.sh``: ``mx1`` holds MXNet 1.9.1 and
``mx2`` MXNet 2.0.0b1 (both with numpy<1.24). A snippet is plain Python that binds ``result`` to
something JSON-serialisable; every run is a new process, so MXNet's global name counters start at
zero, exactly as they do for a user's script.

    oracle = find_oracle("mx1")
    oracle.run("from mxnet.gluon import nn\\nresult = nn.Dense(2).prefix")   # -> 'dense0_'

In MXNet 2 the snippet runs after ``mx.npx.set_np()`` (numpy semantics, as 2.x users run) unless
``set_np=False``. The same runner drives gluonbridge in a fresh process with a chosen naming mode
(:func:`gluonbridge_interpreter`), so oracle and gluonbridge see the same program under the same
conditions.
"""
from __future__ import annotations

import concurrent.futures
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Iterable

REPO = Path(__file__).resolve().parents[2]
ORACLE_VERSIONS = {"mx1": "1.9.1", "mx2": "2.0.0b1"}

_WRAPPER = r'''
import json, os, sys, warnings
warnings.filterwarnings("ignore")
_ns = {"__name__": "__main__"}
exec(compile(os.environ["ORACLE_PRELUDE"], "<prelude>", "exec"), _ns)
exec(compile(sys.stdin.read(), "<snippet>", "exec"), _ns)
with open(os.environ["ORACLE_RESULT"], "w") as _fh:
    json.dump(_ns.get("result"), _fh, default=repr)
'''


class SnippetError(RuntimeError):
    """The snippet raised, or the interpreter died; the message carries the end of stderr."""


class Interpreter:
    """A Python interpreter that runs snippets, each in a fresh process."""

    def __init__(self, name: str, python: str, prelude: str = "", env: dict | None = None):
        self.name = name
        self.python = python
        self.prelude = prelude
        self.env = dict(env or {})

    def run(self, code: str, timeout: float = 900) -> Any:
        with tempfile.TemporaryDirectory(prefix="gb_snippet_") as tmp:
            out = os.path.join(tmp, "result.json")
            env = dict(os.environ, ORACLE_RESULT=out, ORACLE_PRELUDE=self.prelude)
            env.update(self.env)
            proc = subprocess.run([self.python, "-c", _WRAPPER], input=code, text=True,
                                  capture_output=True, timeout=timeout, env=env, cwd=tmp)
            if proc.returncode != 0 or not os.path.exists(out):
                raise SnippetError(f"{self.name}: snippet failed (exit {proc.returncode}):\n"
                                   f"{proc.stderr[-4000:]}")
            with open(out) as fh:
                return json.load(fh)

    def run_many(self, codes: Iterable[str], jobs: int | None = None, timeout: float = 900) -> list:
        """Run each snippet in its own fresh process, ``jobs`` at a time; results in order."""
        codes = list(codes)
        jobs = jobs or max(2, os.cpu_count() or 2)
        with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
            return list(pool.map(lambda c: self.run(c, timeout=timeout), codes))


def oracle_dir() -> Path:
    return Path(os.environ.get("GLUONBRIDGE_ORACLE_DIR", REPO / ".oracles"))


def oracle_python(name: str) -> Path:
    return oracle_dir() / name / "bin" / "python"


def find_oracle(name: str, set_np: bool = True) -> Interpreter | None:
    """The oracle ``mx1`` or ``mx2``, or None when its virtualenv is missing."""
    python = oracle_python(name)
    if not python.exists():
        return None
    prelude = "import mxnet as mx\n"
    if name == "mx2" and set_np:
        prelude += "mx.npx.set_np()\n"
    # the real MXNet as it runs for users, even when the suite runs under ``python -O``
    return Interpreter(name, str(python), prelude, env={"PYTHONPATH": "", "PYTHONOPTIMIZE": ""})


def gluonbridge_interpreter(naming: str) -> Interpreter:
    """This checkout's gluonbridge in a fresh process, naming mode fixed by the environment."""
    env = {"GLUONBRIDGE_NAMING": naming,
           "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    return Interpreter(f"gluonbridge-{naming}", sys.executable, "import gluonbridge as mx\n", env)


_DESCRIBE = (Path(__file__).with_name("describe_models.py")).read_text()


def to_gluonbridge(source: str) -> str:
    """The same program against gluonbridge: every ``mxnet`` module reference replaced."""
    return re.sub(r"\bmxnet\b", "gluonbridge", source)


def describe_snippet(source: str, version: str, save: bool = False) -> str:
    """A snippet that runs ``source`` (MXNet API ``version``: 'mx1' or 'mx2'), catching what it
    raises, and binds ``result`` to the description of the ``models`` it built
    (see describe_models.py)."""
    return "\n".join([
        f"VERSION = {version!r}",
        _DESCRIBE,
        f"result = describe_program({source!r}, save={save!r})",
    ])


def describe_batch_snippet(sources, version: str) -> str:
    """Like :func:`describe_snippet` for many programs in one process, each run with fresh
    top-level name counters (``with mx.name.NameManager():`` under the 1.x API); ``result`` is
    the list of descriptions."""
    return "\n".join([
        f"VERSION = {version!r}",
        _DESCRIBE,
        f"result = [describe_program(s, fresh_counters=True) for s in {list(sources)!r}]",
    ])
