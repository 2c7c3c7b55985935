#!/usr/bin/env bash
# Installs what dbt-unskip needs on a fresh machine, and nothing when it is already there:
# npm packages (from package-lock.json) and a project-local Python virtual environment (.venv)
# with the pinned dbt-core and dbt-duckdb. Safe to run again and again.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

lock_sum() { sha256sum "$1" | cut -d' ' -f1; }

# npm: reinstall when the lock file changed since the last install.
npm_stamp="node_modules/.dbt-unskip-lock.sha256"
if [ ! -f "$npm_stamp" ] || [ "$(cat "$npm_stamp")" != "$(lock_sum package-lock.json)" ]; then
  echo "setup: installing npm packages (npm ci)" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
  lock_sum package-lock.json > "$npm_stamp"
fi

# Python: the pinned dbt in .venv, rebuilt when the lock changes.
py="${PYTHON:-python3}"
venv_stamp=".venv/.dbt-unskip-lock.sha256"
# A .venv restored from a cache whose Python is gone (its interpreter is a link) is rebuilt too.
if [ ! -f "$venv_stamp" ] || [ "$(cat "$venv_stamp")" != "$(lock_sum requirements-dbt.lock)" ] || ! .venv/bin/python -c "" 2>/dev/null; then
  echo "setup: creating .venv with pinned dbt-core and dbt-duckdb (requirements-dbt.lock)" >&2
  rm -rf .venv
  "$py" -m venv .venv
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-input -r requirements-dbt.lock >&2
  lock_sum requirements-dbt.lock > "$venv_stamp"
fi

# The tests run shellcheck on the generated rollback scripts. It is installed from Debian only when
# this runs as root where apt-get exists (CI containers); elsewhere install it yourself, or that
# test fails and says how.
if ! command -v shellcheck >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "setup: installing shellcheck (apt-get)" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq shellcheck) >/dev/null
fi
