#!/usr/bin/env bash
# Quick start: install, migrate, create the demo accounts, import the seeds and serve the
# app on http://127.0.0.1:8000. Re-running keeps the data.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install.sh

# A development checkout runs with DEBUG on; settings.py reads this ignored file.
[ -f .env ] || printf 'DEBUG=true\n' > .env

.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py load_seeds
.venv/bin/python manage.py create_demo_users
# The task queue's worker (imports by URL) runs beside the server; Ctrl+C stops both.
source scripts/worker.sh
start_task_workers 1
echo
echo "Provenance is starting on http://127.0.0.1:8000/ (Ctrl+C stops it)"
exec .venv/bin/python manage.py runserver 127.0.0.1:8000
