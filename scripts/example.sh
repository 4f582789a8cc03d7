#!/usr/bin/env bash
# The main job on the embedded example (see README): install, then run examples/main.py.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/setup.sh"
exec "${PYTHON:-python3}" "$root/examples/main.py"
