#!/usr/bin/env bash
# The benchmark (issue 7): scripts/bench.sh [--sizes S,M,L] [--engine sqlite|postgres|both]
# Installs what it needs (PostgreSQL 15 and Chromium as for the tests, and the optional
# [bench] Python extras for the chart), then runs python -m bench with your arguments.
# PostgreSQL runs in a throwaway cluster (scripts/pg.sh) that is removed afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install.sh --test
if ! .venv/bin/python -c "import matplotlib, pyinstrument, requests" 2>/dev/null; then
  echo "== installing the [bench] extras"
  .venv/bin/python -m pip install -q --disable-pip-version-check -c requirements.lock -e ".[dev,bench]" 2>&1 \
    | grep -v "is ignored" || true
fi
exec .venv/bin/python -m bench "$@"
