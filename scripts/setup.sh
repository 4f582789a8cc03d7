#!/usr/bin/env bash
# Install gluonbridge (editable, with its dependencies and the test tools) into the
# current Python. Sourced by scripts/example.sh and scripts/test.sh; safe to run again.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python="${PYTHON:-python3}"
"$python" -m pip install --quiet --disable-pip-version-check -e "$root[test]"
