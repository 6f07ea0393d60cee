"""The quick start and the install script, run for real as a newcomer runs them."""

import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_env(tmp_path, **extra):
    """start.sh against its own SQLite file, using the .venv as it is, without a .env."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DEBUG", "PORT")}
    env.update(
        SKIP_INSTALL="1", PROVENANCE_IGNORE_DOTENV="1", DEBUG="true", SECRET_KEY="start-test",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}", PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


def get(url):
    """(status, body) of a GET, without raising on 4xx."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - local URL
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@pytest.fixture(scope="module")
def quick_start(tmp_path_factory):
    """`PORT=<free port> bash scripts/start.sh` until it serves; yields (port, read_log)."""
    tmp_path = tmp_path_factory.mktemp("start")
    port = free_port()
    log = tmp_path / "start.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            ["bash", "scripts/start.sh"], cwd=ROOT, env=start_env(tmp_path, PORT=str(port)),
            stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            try:
                if get(f"http://127.0.0.1:{port}/accounts/login/")[0] == 200:
                    break
            except OSError:
                pass  # not listening yet
            time.sleep(0.3)
        yield port, log.read_text
    finally:
        # runserver's autoreloader runs the server in a child process: stop the group.
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)


def test_the_quick_start_serves_on_the_port_it_is_given_and_says_so(quick_start):
    port, read_log = quick_start
    output = read_log()
    assert f"Provenance is starting on http://127.0.0.1:{port}/" in output
    assert f"Sign in at http://127.0.0.1:{port}/accounts/login/" in output
    assert f"Starting development server at http://127.0.0.1:{port}/" in output
    assert ":8000" not in output
    assert "alice / alice-reviews" in output


def test_the_development_server_prints_each_log_line_once(quick_start):
    port, read_log = quick_start
    assert get(f"http://127.0.0.1:{port}/no-such-page/")[0] == 404
    assert get(f"http://127.0.0.1:{port}/accounts/login/")[0] == 200
    deadline = time.monotonic() + 10
    while '"GET /accounts/login/ HTTP/1.1" 200' not in read_log().split("no-such-page")[-1]:
        assert time.monotonic() < deadline, read_log()
        time.sleep(0.1)
    output = read_log()
    assert output.count("Not Found: /no-such-page/") == 1, output
    assert len(re.findall(r'^\[.+\] "GET /no-such-page/ HTTP/1.1" 404', output, re.M)) == 1, output


@pytest.mark.parametrize("port", ["abc", "0", "65536", "80 81"])
def test_the_quick_start_refuses_a_port_that_is_not_one(tmp_path, port):
    done = subprocess.run(
        ["bash", "scripts/start.sh"], cwd=ROOT, env=start_env(tmp_path, PORT=port),
        capture_output=True, text=True, timeout=30,
    )
    assert done.returncode == 1
    assert f"PORT={port} is not a port number" in done.stderr
    assert not (tmp_path / "db.sqlite3").exists()


def test_the_quick_start_says_when_its_port_is_taken_before_doing_anything(tmp_path):
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        done = subprocess.run(
            ["bash", "scripts/start.sh"], cwd=ROOT, env=start_env(tmp_path, PORT=str(port)),
            capture_output=True, text=True, timeout=30,
        )
    assert done.returncode == 1
    assert f"127.0.0.1:{port} is in use" in done.stderr
    assert not (tmp_path / "db.sqlite3").exists()


# install.sh in a copy of the project whose .venv/bin/python only records what it is asked:
# the stamp logic runs for real, pip does not.
FAKE_PYTHON = """#!/usr/bin/env bash
echo "$*" >> "$(dirname "$0")/../../calls.log"
"""


@pytest.fixture
def project(tmp_path):
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "install.sh", tmp_path / "scripts" / "install.sh")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copy(ROOT / "requirements.lock", tmp_path / "requirements.lock")
    python = tmp_path / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text(FAKE_PYTHON)
    python.chmod(0o755)
    return tmp_path


def install(project, *args):
    """Run install.sh; return the pip installs it made, e.g. ['-e .']."""
    log = project / "calls.log"
    log.unlink(missing_ok=True)
    done = subprocess.run(
        ["bash", str(project / "scripts" / "install.sh"), *args],
        capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    calls = log.read_text().splitlines() if log.exists() else []
    return [c.split(" -c requirements.lock ")[1] for c in calls if "requirements.lock" in c]


def test_the_app_install_leaves_out_the_test_tools_and_runs_once(project):
    assert install(project) == ["-e ."]
    assert install(project) == []


@pytest.mark.skipif(
    not (Path("/usr/bin/chromium").exists()
         and Path("/usr/lib/postgresql/15/bin/initdb").exists()),
    reason="install.sh --test would apt-get PostgreSQL and Chromium",
)
def test_the_test_install_adds_the_test_tools_once_and_the_app_install_then_does_nothing(
    project,
):
    assert install(project) == ["-e ."]
    assert install(project, "--test") == ["-e .[dev]"]
    assert install(project, "--test") == []
    assert install(project) == []
    (project / "requirements.lock").write_text("Django==5.2.19\n")
    assert install(project) == ["-e ."]
    assert install(project, "--test") == ["-e .[dev]"]
