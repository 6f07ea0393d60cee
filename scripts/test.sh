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
echo "== sizes (modules ~400 lines unless their docstring says why, functions ~60)"
.venv/bin/python scripts/sizes.py
echo "== migrations are up to date"
.venv/bin/python manage.py makemigrations --check --dry-run >/dev/null \
  || { echo "error: models changed without a migration (run manage.py makemigrations)" >&2; exit 1; }

echo "== manage.py check --deploy (DEBUG off)"
# A plain-HTTP test server must raise the HTTPS-only warnings, and only those:
#   security.W004 SECURE_HSTS_SECONDS unset, W008 SECURE_SSL_REDIRECT off,
#   W012 SESSION_COOKIE_SECURE off, W016 CSRF_COOKIE_SECURE off
# (a host turns them on with SECURE_HSTS_SECONDS, SECURE_SSL_REDIRECT, SECURE_COOKIES).
# The check gets a deployment-like key and host, so W009 (weak SECRET_KEY) and W020
# (empty ALLOWED_HOSTS) would mean the settings themselves went wrong.
HTTPS_ONLY="security.W004 security.W008 security.W012 security.W016"
deploy_key="$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))')"
deploy_check="$(SECRET_KEY="$deploy_key" ALLOWED_HOSTS=provenance.example \
  .venv/bin/python manage.py check --deploy 2>&1 || true)"
found="$(grep -oE '\([a-z_.]+\.[EW][0-9]+\)' <<<"$deploy_check" | tr -d '()' | sort -u || true)"
unexpected="$(comm -23 <(printf '%s\n' $found | sed '/^$/d') <(printf '%s\n' $HTTPS_ONLY | sort))"
if [[ -n "$unexpected" ]] || grep -q "CommandError\|Traceback" <<<"$deploy_check"; then
  echo "$deploy_check" >&2
  echo "error: check --deploy raised more than the HTTPS-only warnings: ${unexpected:-an error}" >&2
  exit 1
fi
echo "only the HTTPS-only warnings: $(echo $found)"

# A new random order each run, the same on both engines (a failure on one can be replayed
# on the other): bash scripts/test.sh -p randomly --randomly-seed=N repeats it, and
# -p no:randomly runs the files in order. Printed here too, as pytest -q hides its header.
order=()
if [[ " $* " != *randomly* ]]; then
  seed=$(( (RANDOM << 15 | RANDOM) % 1000000 ))
  order=(-p randomly "--randomly-seed=$seed")
  echo "== test order: --randomly-seed=$seed"
fi

echo "== tests on SQLite"
.venv/bin/python -m pytest "${order[@]}" "$@"

echo "== tests on PostgreSQL 15"
source scripts/pg.sh
trap pg_stop EXIT
pg_start
DATABASE_URL="$PG_URL" .venv/bin/python -m pytest "${order[@]}" "$@"
