"""Settings come from the environment, with safe defaults and clear refusals."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def read_settings(code, **env):
    """Evaluate `code` against a fresh import of the settings with exactly `env`."""
    full_env = {
        "PATH": os.environ["PATH"],
        "PROVENANCE_IGNORE_DOTENV": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-c", f"from django.conf import settings as s; print({code})"],
        cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=60,
    )


def test_debug_is_off_unless_set():
    result = read_settings("s.DEBUG", SECRET_KEY="k")
    assert result.stdout.strip() == "False"


def test_a_secret_key_is_required_when_debug_is_off():
    result = read_settings("s.SECRET_KEY")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_a_misspelt_boolean_is_refused():
    result = read_settings("s.DEBUG", DEBUG="ture", SECRET_KEY="k")
    assert result.returncode != 0 and "is not a boolean" in result.stderr


def test_database_url_selects_the_engine():
    result = read_settings(
        "s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME']",
        SECRET_KEY="k", DATABASE_URL="postgres://u:p@127.0.0.1:5999/provenance_x",
    )
    assert "postgresql" in result.stdout and "provenance_x" in result.stdout


def test_sqlite_is_the_default_in_wal_mode_with_a_busy_timeout():
    result = read_settings("s.DATABASES['default']", SECRET_KEY="k")
    assert "sqlite3" in result.stdout and str(ROOT / "db.sqlite3") in result.stdout
    assert "journal_mode=WAL" in result.stdout and "'timeout': 20" in result.stdout


def test_allowed_hosts_come_from_the_environment():
    result = read_settings("s.ALLOWED_HOSTS", SECRET_KEY="k", ALLOWED_HOSTS="a.example, b.example")
    assert result.stdout.strip() == "['a.example', 'b.example']"


def test_deploy_check_is_clean_apart_from_https_warnings(tmp_path):
    env = {
        "PATH": os.environ["PATH"], "PROVENANCE_IGNORE_DOTENV": "1",
        "SECRET_KEY": "a-long-random-production-key-" + "x" * 40, "ALLOWED_HOSTS": "example.org",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    ids = set(re.findall(r"^\?: \(([\w.]+)\)", result.stderr, re.MULTILINE))
    https_only = {"security.W004", "security.W008", "security.W012", "security.W016"}
    assert ids <= https_only, result.stderr


@pytest.mark.django_db
def test_security_headers_are_sent(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    script_src = csp.split("script-src")[1].split(";")[0]
    assert "'self'" in script_src and "unsafe-inline" not in script_src
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_postgresql_queries_run_without_parallel_workers_unless_asked():
    url = "postgres://u:p@127.0.0.1:5999/provenance_x"
    options = "s.DATABASES['default']['OPTIONS']['options']"
    default = read_settings(options, SECRET_KEY="k", DATABASE_URL=url)
    asked = read_settings(options, SECRET_KEY="k", DATABASE_URL=url, PG_PARALLEL_WORKERS="2")
    assert default.stdout.strip() == "-c max_parallel_workers_per_gather=0"
    assert asked.stdout.strip() == "-c max_parallel_workers_per_gather=2"


@pytest.mark.django_db
def test_the_postgresql_server_applies_the_parallel_worker_setting():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone()[0] == "0"


def test_the_public_url_is_unset_unless_given():
    """Unset, JSON-LD ids name the host a request came to, not a made-up localhost:8000."""
    assert read_settings("repr(s.PROVENANCE_PUBLIC_URL)", SECRET_KEY="k").stdout.strip() == "''"
    given = read_settings(
        "s.PROVENANCE_PUBLIC_URL", SECRET_KEY="k", PROVENANCE_PUBLIC_URL="https://p.example/"
    )
    assert given.stdout.strip() == "https://p.example"


# What the code reads from the environment: settings.py through its helpers or os.environ,
# the scripts through ${NAME:-default} and friends, the benchmark through os.environ.
READS = [
    ("config/settings.py", r'(?:env_bool|env_int|env_list|os\.environ\.get)\(\s*"([A-Z_]+)"'),
    ("scripts/*.sh", r"\$\{([A-Z_]+):[-?+]"),
    ("bench/*.py", r'os\.environ\.get\(\s*"([A-Z_]+)"'),
]
# Names read above that are not settings: pg.sh's own state between pg_start and pg_stop.
NOT_SETTINGS = {"PG_DIR"}


def test_every_environment_variable_the_code_reads_is_in_the_readme_settings_table():
    readme = (ROOT / "README.md").read_text()
    section = readme.split("\n## Settings\n", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\|.*?\|", section, re.MULTILINE))
    documented = set(re.findall(r"`([A-Z_]+)`", "".join(documented)))
    read = {"DATABASE_URL"}  # dj_database_url.config() reads it
    for pattern, regex in READS:
        for path in ROOT.glob(pattern):
            read |= set(re.findall(regex, path.read_text()))
    assert len(read) > 20  # the patterns still find what they look for
    assert sorted(read - NOT_SETTINGS - documented) == []
