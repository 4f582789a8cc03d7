#!/usr/bin/env bash
# Create the two oracle virtualenvs: real MXNet 1.9.1 and real MXNet 2.0.0b1, each with numpy<1.24.
# Usage: bash tests/oracle/install.sh [DIR]   (default DIR: $GLUONBRIDGE_ORACLE_DIR or .oracles)
# Idempotent: a venv whose mxnet already imports at the right version is left alone.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dir="${1:-${GLUONBRIDGE_ORACLE_DIR:-$here/.oracles}}"
python="${PYTHON:-python3}"
mkdir -p "$dir"

make_oracle() {  # name, mxnet version
  local venv="$dir/$1" version="$2"
  if [ -x "$venv/bin/python" ] && \
     [ "$("$venv/bin/python" -c 'import mxnet, importlib.metadata as m; print(m.version("mxnet"))' 2>/dev/null | tail -n1)" = "$version" ]; then
    echo "oracle $1: mxnet $version already installed in $venv"
    return
  fi
  echo "oracle $1: creating $venv with mxnet==$version"
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
      "mxnet==$version" "numpy<1.24"
  "$venv/bin/python" -c 'import mxnet, numpy; print("oracle ok: mxnet", mxnet.__version__, "numpy", numpy.__version__)'
}

make_oracle mx1 1.9.1 &
p1=$!
make_oracle mx2 2.0.0b1 &
p2=$!
wait $p1
wait $p2
