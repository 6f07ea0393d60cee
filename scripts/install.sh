#!/usr/bin/env bash
# Install everything Provenance needs on a Debian machine: system packages and a local
# virtual environment. Idempotent: re-running skips what is already there.
#   scripts/install.sh          app only (Python packages)
#   scripts/install.sh --test   plus PostgreSQL 15 and Chromium for the test suite
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

apt_packages=()
if [ "$want_test" = 1 ]; then
  [ -x /usr/lib/postgresql/15/bin/initdb ] || apt_packages+=(postgresql-15)
  [ -x /usr/bin/chromium ] || apt_packages+=(chromium)
fi
if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
  apt_packages+=(python3-venv)
fi

if [ ${#apt_packages[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "error: missing system packages: ${apt_packages[*]}" >&2
    echo "       install them as root: apt-get install -y --no-install-recommends ${apt_packages[*]}" >&2
    exit 1
  fi
  if ! command -v apt-get >/dev/null; then
    echo "error: no apt-get here; install ${apt_packages[*]} with this system's package manager" >&2
    exit 1
  fi
  echo "== installing ${apt_packages[*]} (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${apt_packages[@]}" >/dev/null
fi

if ! python3 -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
  echo "error: Provenance needs Python 3.11 as python3 (found $(python3 --version))" >&2
  exit 1
fi

if [ ! -x .venv/bin/python ]; then
  echo "== creating .venv"
  python3 -m venv .venv
fi

# Reinstall only when the declared dependencies change.
stamp=$(cat pyproject.toml requirements.lock | sha256sum | cut -d' ' -f1)
if [ "$(cat .install-stamp 2>/dev/null)" != "$stamp" ]; then
  echo "== installing Python packages into .venv"
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip 2>&1 | grep -v "is ignored" || true
  .venv/bin/python -m pip install -q --disable-pip-version-check -c requirements.lock -e ".[dev]" 2>&1 \
    | grep -v "is ignored" || true
  .venv/bin/python -c "import django, rest_framework, pysbd, playwright" \
    || { echo "error: the Python install failed; see the messages above" >&2; exit 1; }
  echo "$stamp" > .install-stamp
fi
