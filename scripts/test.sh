#!/usr/bin/env bash
# The whole test suite (see README): install gluonbridge and the two real-MXNet oracles, then
# run tests/ and properties/ with every oracle comparison required (a missing oracle fails).
# Extra arguments go to pytest, e.g. `bash scripts/test.sh -m "not slow"`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh
bash tests/oracle/install.sh
export GLUONBRIDGE_REQUIRE_ORACLES=1
exec "${PYTHON:-python3}" -m pytest -n 2 --dist loadfile "$@"
