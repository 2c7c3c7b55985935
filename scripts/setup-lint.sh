#!/usr/bin/env bash
# The workflow linters the test command runs, pinned, installed into the project (never by hand):
# actionlint (Go, from the module proxy) into .tools/bin, zizmor (PyPI) into .tools/venv.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
ACTIONLINT_VERSION=v1.7.12
ZIZMOR_VERSION=1.32.0
mkdir -p .tools/bin
if [ "$(.tools/bin/actionlint -version 2>/dev/null | head -n 1)" != "$ACTIONLINT_VERSION" ]; then
  command -v go >/dev/null || { echo "setup-lint: Go is needed to build actionlint $ACTIONLINT_VERSION" >&2; exit 1; }
  echo "setup-lint: building actionlint $ACTIONLINT_VERSION" >&2
  GOBIN="$root/.tools/bin" GOFLAGS=-mod=mod go install "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION" >&2
fi
if [ "$(.tools/venv/bin/zizmor --version 2>/dev/null)" != "zizmor $ZIZMOR_VERSION" ]; then
  echo "setup-lint: installing zizmor $ZIZMOR_VERSION" >&2
  rm -rf .tools/venv
  "${PYTHON:-python3}" -m venv .tools/venv
  .tools/venv/bin/python -m pip install --quiet --disable-pip-version-check --no-input "zizmor==$ZIZMOR_VERSION" >&2
fi
