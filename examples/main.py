"""The main job on the embedded example: build the example model under both naming modes and
show, for every parameter, its MXNet 1.x name next to its MXNet 2.x structural key.

    python examples/main.py
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gluonbridge import naming  # noqa: E402

import legacy_model  # noqa: E402


def main():
    with naming.override("legacy"):
        legacy = legacy_model.build()
    with naming.override("structural"):
        structural = legacy_model.build()

    legacy_keys = legacy.structural_params()             # structural key -> Parameter (1.x)
    structural_params = structural.collect_params()      # structural key -> Parameter (2.x)
    rows = [(p.name, key, str(p.shape), str(structural_params[key].shape))
            for key, p in legacy_keys.items() if key in structural_params]
    header = ("MXNet 1.x name (legacy)", "MXNet 2.x key (structural)", "1.x shape", "2.x shape")
    widths = [max(len(r[i]) for r in rows + [header]) for i in range(4)]
    print(f"example model: {len(legacy_keys)} parameters; legacy prefix {legacy.prefix!r}\n")
    for row in [header] + rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
    unmatched = set(legacy_keys) ^ set(structural_params)
    if unmatched:
        sys.exit(f"structural keys differ between the modes: {sorted(unmatched)}")
    print("\nevery legacy parameter has its structural twin: the keys agree in both modes")


if __name__ == "__main__":
    main()
