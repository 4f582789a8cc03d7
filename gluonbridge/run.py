"""``python -m gluonbridge.run [options] script.py [args...]``: run an unmodified MXNet script on
gluonbridge, the way ``coverage run`` runs one under coverage.

The ``mxnet`` shim is installed first (``import mxnet`` is gluonbridge), the naming mode is set,
and the script runs as Python would run it: ``__name__ == "__main__"``, ``sys.argv`` is
``[script.py, args...]``, the script's folder first on ``sys.path``, its exit code is the
process's, and an exception it raises prints its own traceback (without the runner's frames)
and exits 1. ``-m module`` runs a module as ``python -m`` does.
"""
from __future__ import annotations

import os
import runpy
import sys
import traceback

USAGE = """\
usage: python -m gluonbridge.run [--naming legacy|structural] [--force] script.py [args...]
       python -m gluonbridge.run [--naming legacy|structural] [--force] -m module [args...]

Run an unmodified MXNet script on gluonbridge: `import mxnet` inside it (and inside the
libraries it imports) gets gluonbridge's mxnet shim, so models build with MXNet's names and run
on ONNX, with no MXNet installed.

options (before the script; everything after the script goes to the script):
  --naming legacy       mirror MXNet 1.9.1 (prefixes, name_scope; mx.__version__ "1.9.1");
                        the default unless GLUONBRIDGE_NAMING says otherwise
  --naming structural   mirror MXNet 2.0.0b1 (structural keys; mx.__version__ "2.0.0beta1")
  --force               shadow a real mxnet even if one is installed
  -m module             run a module (like `python -m module`) instead of a script file
  -h, --help            show this help

examples:
  python -m gluonbridge.run train.py --epochs 1
  python -m gluonbridge.run --naming structural -m mypkg.evaluate data/

What needs MXNet's own runtime (training steps, GPUs, custom operators, RecordIO) raises a
clear error at the call. Exit status: the script's own; 1 if it raised; 2 for a bad command line.
"""


class UsageError(Exception):
    """A bad command line: reported in one line, exit status 2."""


def parse(argv):
    """(naming, force, kind, target, script args) from the runner's command line."""
    naming, force, i = None, False, 0
    while i < len(argv):
        arg = argv[i]
        if arg in ("-h", "--help"):
            return None
        if arg == "--force":
            force = True
        elif arg == "--naming" or arg.startswith("--naming="):
            if "=" in arg:
                naming = arg.split("=", 1)[1]
            elif i + 1 < len(argv):
                i += 1
                naming = argv[i]
            else:
                raise UsageError("--naming needs a value: legacy or structural")
            if naming not in ("legacy", "structural"):
                raise UsageError(f"--naming {naming!r}: use legacy or structural")
        elif arg == "-m":
            if i + 1 >= len(argv):
                raise UsageError("-m needs a module name")
            return naming, force, "module", argv[i + 1], argv[i + 2:]
        elif arg.startswith("-"):
            raise UsageError(f"unknown option {arg} (options go before the script; see --help)")
        else:
            return naming, force, "script", arg, argv[i + 1:]
        i += 1
    raise UsageError("no script given: python -m gluonbridge.run [options] script.py [args...]")


def _prepare(naming, force):
    from . import mxnet_shim
    if naming is not None:
        os.environ["GLUONBRIDGE_NAMING"] = naming   # for subprocesses the script starts
        from . import naming as _naming
        _naming.use(naming)
    try:
        mxnet_shim.install(force=force)
    except RuntimeError as e:
        raise UsageError(f"{e} (run the script with plain python to use the real MXNet, or "
                         "pass --force)") from None


def _trimmed(tb):
    """The traceback from the script's first frame on (the runner's and runpy's dropped)."""
    def internal(frame):
        return frame.f_globals.get("__name__") == "runpy" or \
            os.path.abspath(frame.f_code.co_filename) == os.path.abspath(__file__)
    while tb is not None and internal(tb.tb_frame):
        tb = tb.tb_next
    return tb


def run(kind, target, args):
    """Run the script or module as ``__main__``; returns the exit status."""
    if kind == "script":
        if not os.path.isfile(target):
            raise UsageError(f"can't open file {target!r}: no such file")
        sys.argv = [target] + list(args)
        sys.path[0] = os.path.dirname(os.path.abspath(target))
    else:
        import importlib.util
        try:
            found = importlib.util.find_spec(target)
        except (ImportError, ValueError):
            found = None
        if found is None:
            raise UsageError(f"no module named {target!r}")
        sys.argv = [found.origin or target] + list(args)
        sys.path[0] = os.getcwd()
    try:
        if kind == "script":
            runpy.run_path(target, run_name="__main__")
        else:
            runpy.run_module(target, run_name="__main__", alter_sys=True)
    except SystemExit:
        raise
    except BaseException as e:   # noqa: B902 -- shown as Python shows an uncaught exception
        traceback.print_exception(type(e), e, _trimmed(e.__traceback__))
        return 130 if isinstance(e, KeyboardInterrupt) else 1
    return 0


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    try:
        parsed = parse(argv)
        if parsed is None:
            print(USAGE, end="")
            return 0
        naming, force, kind, target, args = parsed
        _prepare(naming, force)
        return run(kind, target, args)
    except UsageError as e:
        print(f"gluonbridge.run: error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
