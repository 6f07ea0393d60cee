#!/usr/bin/env bash
# Production server: gunicorn behind WhiteNoise for static files, DEBUG off.
#   SECRET_KEY=... DATABASE_URL=postgres://... ALLOWED_HOSTS=example.org scripts/serve.sh
# Environment (all optional except SECRET_KEY):
#   DATABASE_URL      the database (default: the SQLite file db.sqlite3)
#   BIND              address to listen on (default 127.0.0.1:8000)
#   WEB_CONCURRENCY   gunicorn worker processes (default 2 x cores + 1)
#   GUNICORN_THREADS  threads per worker (default 2)
#   GUNICORN_TIMEOUT  seconds before a stuck worker is restarted (default 300: a streamed
#                     export of a million annotations takes tens of seconds)
#   GUNICORN_KEEPALIVE seconds an idle client connection stays open (default 5; behind a
#                     load balancer, longer than its idle timeout is wrong, shorter is fine)
#   CONN_MAX_AGE      seconds a worker keeps its database connection (default 60)
#   SKIP_SETUP=1      skip collectstatic and migrate (a second instance on the same database)
#   TASK_WORKERS      task queue workers (manage.py db_worker: imports by URL) started beside
#                     gunicorn and stopped with it (default 1; 0 when they run elsewhere,
#                     e.g. as their own service: any number, on any host, share the queue)
# The app keeps no state of its own (sessions live in the database), so several instances
# can serve behind one load balancer against one PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."

: "${SECRET_KEY:?set SECRET_KEY to a long random string (python -c 'import secrets; print(secrets.token_urlsafe(50))')}"
# Production never reads the developer's .env (which turns DEBUG on).
export PROVENANCE_IGNORE_DOTENV=1 DEBUG=false
export ALLOWED_HOSTS="${ALLOWED_HOSTS:-127.0.0.1,localhost}"
export CONN_MAX_AGE="${CONN_MAX_AGE:-60}"

if [ "${SKIP_SETUP:-0}" != 1 ]; then
  .venv/bin/python manage.py collectstatic --noinput -v0
  .venv/bin/python manage.py migrate --noinput -v0
fi

source scripts/worker.sh
start_task_workers "${TASK_WORKERS:-1}"

cores=$(nproc 2>/dev/null || echo 1)
exec .venv/bin/gunicorn config.wsgi:application \
  --bind "${BIND:-127.0.0.1:8000}" \
  --workers "${WEB_CONCURRENCY:-$((2 * cores + 1))}" \
  --worker-class gthread --threads "${GUNICORN_THREADS:-2}" \
  --timeout "${GUNICORN_TIMEOUT:-300}" \
  --graceful-timeout 10 \
  --keep-alive "${GUNICORN_KEEPALIVE:-5}" \
  --error-logfile - \
  ${GUNICORN_ACCESS_LOG:+--access-logfile -}
