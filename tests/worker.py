"""The task queue's real worker (`manage.py db_worker`) in its own process, against the
test database, as deployed. For transactional tests only: the worker reads what the test
committed."""

import os
import subprocess
import sys
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def _command_and_env():
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        url = f"sqlite:///{db['NAME']}"
    else:
        url = (f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or 'localhost'}:"
               f"{db['PORT'] or 5432}/{db['NAME']}")
    env = {**os.environ, "DATABASE_URL": url, "PROVENANCE_FETCH_ALLOW_PRIVATE": "true",
           "PROVENANCE_FETCH_TIMEOUT": "5", "PROVENANCE_IGNORE_DOTENV": "1",
           "SECRET_KEY": "test-worker", "DEBUG": "false"}
    command = [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay",
               "--no-reload", "--interval", "0"]
    return command, env


def start_worker() -> subprocess.Popen:
    """A worker that runs every queued task, then exits (`--batch`)."""
    command, env = _command_and_env()
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def wait_for(worker: subprocess.Popen) -> None:
    _out, err = worker.communicate(timeout=300)
    assert worker.returncode == 0, err


def run_worker() -> None:
    """Run the queue to the end in a worker process."""
    wait_for(start_worker())
