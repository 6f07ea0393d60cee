#!/usr/bin/env bash
# Install what Provenance needs on a Debian machine: system packages and a local virtual
# environment. Idempotent: re-running skips what is already there.
#   scripts/install.sh          the app only: its Python dependencies (scripts/start.sh)
#   scripts/install.sh --test   plus the test tools (the [dev] extras: pytest, Playwright,
#                               ruff, ...), PostgreSQL 15 and Chromium (scripts/test.sh)
# The stamp file records what was installed for which pyproject.toml + requirements.lock,
# so start.sh after test.sh installs nothing, and test.sh after start.sh adds the test
# tools only.
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

# Reinstall only when the declared dependencies change or more is wanted than is there.
# The stamp is "<hash of the declarations> app|test"; a test install includes the app's.
hash=$(cat pyproject.toml requirements.lock | sha256sum | cut -d' ' -f1)
level=app target="." check="import django, rest_framework, nupunkt"
if [ "$want_test" = 1 ]; then
  level=test target=".[dev]" check="$check, pytest, playwright"
fi
read -r stamp_hash stamp_level 2>/dev/null < .install-stamp || true
if [ "${stamp_hash:-}" != "$hash" ] || { [ "$level" = test ] && [ "${stamp_level:-}" != test ]; }; then
  echo "== installing Python packages into .venv ($level: pip install -e '$target')"
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip 2>&1 | grep -v "is ignored" || true
  .venv/bin/python -m pip install -q --disable-pip-version-check -c requirements.lock -e "$target" 2>&1 \
    | grep -v "is ignored" || true
  .venv/bin/python -c "$check" \
    || { echo "error: the Python install failed; see the messages above" >&2; exit 1; }
  echo "$hash $level" > .install-stamp
fi
