#!/usr/bin/env bash
# Quick start: install the app (not the test tools: scripts/test.sh adds those), migrate,
# create the demo accounts, import the seeds and serve the app on http://127.0.0.1:8000.
# Re-running keeps the data.
#   PORT=8001 bash scripts/start.sh   serve on another port
#   SKIP_INSTALL=1                    use .venv as it is (no apt-get, no pip)
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${PORT:-8000}
if ! [[ "$PORT" =~ ^[0-9]{1,5}$ ]] || [ "$PORT" -lt 1 ] || [ "$PORT" -gt 65535 ]; then
  echo "error: PORT=$PORT is not a port number (1-65535)" >&2
  exit 1
fi
# Say so before installing and migrating, not after: the usual case is a second checkout
# or another app already on 8000.
if ! python3 -c 'import socket, sys; socket.create_server(("127.0.0.1", int(sys.argv[1]))).close()' \
    "$PORT" 2>/dev/null; then
  echo "error: 127.0.0.1:$PORT is in use; choose another port, e.g. PORT=$((PORT % 65535 + 1)) bash scripts/start.sh" >&2
  exit 1
fi

[ "${SKIP_INSTALL:-0}" = 1 ] || bash scripts/install.sh

# A development checkout runs with DEBUG on; settings.py reads this ignored file (unless
# PROVENANCE_IGNORE_DOTENV=1, which then leaves it alone too).
if [ "${PROVENANCE_IGNORE_DOTENV:-0}" != 1 ] && [ ! -f .env ]; then
  printf 'DEBUG=true\n' > .env
fi

url="http://127.0.0.1:$PORT"
.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py load_seeds
.venv/bin/python manage.py create_demo_users
# The task queue's worker (imports by URL, suggestions) runs beside the server; Ctrl+C stops both.
source scripts/worker.sh
start_task_workers 1
echo "Sign in at $url/accounts/login/"
echo
echo "Provenance is starting on $url/ (Ctrl+C stops it)"
exec .venv/bin/python manage.py runserver "127.0.0.1:$PORT"
