"""The main job on the embedded example, end to end, without MXNet:

1. codemod: show the diff over the small 1.x project examples/legacy_project (nothing written);
   migrate examples/legacy_model.py (MXNet 1.x style: name_scope, prefix=, params.get,
   hybrid_forward) to MXNet 2 style, showing the diff;
2. convert: examples/data/legacy_model.params, written by the real MXNet 1.9.1 with 1.x full
   names, to an MXNet 2 checkpoint keyed by structural keys;
3. execute on ONNX: the original model under legacy naming from the 1.x file, and the migrated
   model under structural naming from the converted file; both outputs must be equal, and equal
   to MXNet 1.9.1's own output (stored beside the checkpoint) within 1e-5.

    python examples/main.py            (from anywhere; writes only to a temporary folder)
"""
import importlib.util
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

from gluonbridge import naming

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
MODEL = HERE / "legacy_model.py"
PROJECT = HERE / "legacy_project"
CHECKPOINT = HERE / "data" / "legacy_model.params"
MXNET_IO = HERE / "data" / "legacy_model-io.npz"


def step(title):
    print(f"\n=== {title}")


def run(*args):
    """Run a gluonbridge command from the repository root, echoing it; stop on failure."""
    print("$ python " + " ".join(str(a) for a in args))
    proc = subprocess.run([sys.executable, *map(str, args)], cwd=REPO, text=True,
                          capture_output=True)
    print(proc.stdout + proc.stderr, end="")
    if proc.returncode != 0:
        sys.exit(f"failed with exit code {proc.returncode}")


def load_module(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main():
    with tempfile.TemporaryDirectory(prefix="gluonbridge-example-") as tmp:
        tmp = Path(tmp)
        migrated = tmp / "mx2_model.py"
        shutil.copyfile(MODEL, migrated)
        converted = tmp / "legacy_model-mx2.params"

        flags = ["--unsafe", "--forward", "--no-progress"]
        step("1a. codemod --diff: the MXNet 1.x project in examples/legacy_project (nothing written)")
        run("-m", "gluonbridge.codemod", "--diff", *flags, PROJECT.relative_to(REPO))

        step("1b. codemod: the example model's MXNet 1.x code -> MXNet 2 style (in a temp folder)")
        run("-m", "gluonbridge.codemod", "--diff", *flags, migrated)
        run("-m", "gluonbridge.codemod", "--quiet", *flags, migrated)

        step("2. convert: the MXNet 1.9.1 checkpoint (1.x full names) -> MXNet 2 naming")
        run("-m", "gluonbridge.inspect", CHECKPOINT.relative_to(REPO))
        run("-m", "gluonbridge.convert", CHECKPOINT.relative_to(REPO), converted, "--to", "mx2",
            "--model", "examples.legacy_model:build", "--verify")
        run("-m", "gluonbridge.inspect", converted)

        step("3. execute on ONNX in both naming modes")
        with np.load(MXNET_IO, allow_pickle=False) as io:
            x, mxnet_output = io["x"], io["y"]
        with naming.override("legacy"):
            legacy = load_module(MODEL, "legacy_model").build()
            legacy.load_parameters(CHECKPOINT)
            legacy_output = np.asarray(legacy(x))
        with naming.override("structural"):
            structural = load_module(migrated, "mx2_model").build()
            structural.load_parameters(converted)
            structural_output = np.asarray(structural(x))
        print(f"legacy mode     (original code, 1.x file):       output {legacy_output.shape}, "
              f"e.g. {legacy_output[0, :3]}")
        print(f"structural mode (migrated code, converted file): output "
              f"{structural_output.shape}, e.g. {structural_output[0, :3]}")
        error = float(np.abs(legacy_output - mxnet_output).max() / np.abs(mxnet_output).max())
        print(f"MXNet 1.9.1's own output: relative difference {error:.1e}")
        if not np.array_equal(legacy_output, structural_output):
            sys.exit("the two naming modes disagree")
        if error > 1e-5:
            sys.exit("gluonbridge's output differs from MXNet 1.9.1's")
        print("\nthe same weights, named both ways, give identical outputs, equal to MXNet's")


if __name__ == "__main__":
    main()
