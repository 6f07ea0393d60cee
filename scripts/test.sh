#!/usr/bin/env bash
# The whole test suite, as CI runs it: lint, migrations check, then every test on SQLite
# and again on a real PostgreSQL 15 server started here and stopped on exit.
# Extra arguments go to pytest (e.g. scripts/test.sh -k import -x).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install.sh --test

# Tests use their own settings, not a developer's .env.
export PROVENANCE_IGNORE_DOTENV=1 SECRET_KEY=test-only-not-secret DEBUG=false
unset DATABASE_URL

echo "== ruff"
.venv/bin/ruff check .
echo "== import layers (import-linter; contracts in pyproject.toml)"
.venv/bin/lint-imports --no-cache
echo "== migrations are up to date"
.venv/bin/python manage.py makemigrations --check --dry-run >/dev/null \
  || { echo "error: models changed without a migration (run manage.py makemigrations)" >&2; exit 1; }

echo "== tests on SQLite"
.venv/bin/python -m pytest "$@"

echo "== tests on PostgreSQL 15"
source scripts/pg.sh
trap pg_stop EXIT
pg_start
DATABASE_URL="$PG_URL" .venv/bin/python -m pytest "$@"
