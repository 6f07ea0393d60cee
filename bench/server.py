"""The production server (scripts/serve.sh) and the throwaway PostgreSQL the benchmark uses.

Everything listens on 127.0.0.1 only and is stopped by process id when the block ends.
"""

import contextlib
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def app_env(database_url: str, **extra) -> dict:
    """The environment of a production process: no .env, DEBUG off, a throwaway key."""
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DATABASE_URL")}
    env.update(
        PROVENANCE_IGNORE_DOTENV="1", DEBUG="false", DATABASE_URL=database_url,
        SECRET_KEY=os.environ.get("BENCH_SECRET_KEY", "bench-throwaway-" + "x" * 40),
        ALLOWED_HOSTS="127.0.0.1,localhost", LOG_LEVEL="ERROR",
    )
    env.update({k: str(v) for k, v in extra.items()})
    return env


class Server:
    """scripts/serve.sh on a free port; `rss()` reads its workers' memory from /proc."""

    def __init__(self, database_url, *, workers=None, threads=None, setup=True, keepalive=None,
                 log=None, root=ROOT):
        self.root = root  # the checkout to serve (bench.adjudication serves an older one too)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        extra = {"BIND": f"127.0.0.1:{self.port}", "SKIP_SETUP": "0" if setup else "1"}
        if workers:
            extra["WEB_CONCURRENCY"] = workers
        if threads:
            extra["GUNICORN_THREADS"] = threads
        if keepalive:
            extra["GUNICORN_KEEPALIVE"] = keepalive
        self.env = app_env(database_url, **extra)
        self.log = log
        self.proc = None

    def __enter__(self):
        out = open(self.log, "ab") if self.log else subprocess.DEVNULL  # noqa: SIM115
        self.proc = subprocess.Popen(
            ["bash", str(self.root / "scripts" / "serve.sh")], cwd=self.root, env=self.env,
            stdout=out, stderr=out, start_new_session=True,
        )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"scripts/serve.sh exited with {self.proc.returncode}")
            with contextlib.suppress(requests.RequestException):
                ready = requests.get(self.url + "/accounts/login/", timeout=2).status_code == 200
                # Every worker must be up, or the first figures include worker boot.
                if ready and self.workers():
                    return self
            time.sleep(0.2)
        self.__exit__(None, None, None)
        raise RuntimeError("the server did not answer within 120 s")

    def __exit__(self, *exc):
        if self.proc and self.proc.poll() is None:
            # Quick shutdown: every figure is taken by now, and a graceful one would wait
            # for the clients' idle keep-alive connections.
            os.killpg(self.proc.pid, signal.SIGQUIT)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()

    def workers(self) -> list[int]:
        """The gunicorn master's children (serve.sh execs gunicorn, so its pid is ours)."""
        path = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        try:
            return [int(p) for p in path.read_text().split()]
        except OSError:
            return []

    def rss(self) -> dict:
        """Resident memory of the largest worker now (VmRSS) and at its peak (VmHWM), in MB."""
        return rss_mb(self.workers())


def process_tree(pid: int) -> list[int]:
    """`pid` and all its descendants, from /proc (no psutil needed)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        path = Path(f"/proc/{current}/task/{current}/children")
        try:
            todo.extend(int(p) for p in path.read_text().split())
        except OSError:
            continue
    return found


def cpu_seconds(pids) -> float:
    """CPU time (user + system) of `pids`, with their children that have been waited for."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(f) for f in fields[11:15])  # utime stime cutime cstime
    return total / ticks


def rss_mb(pids) -> dict:
    """The largest resident memory among `pids` now (VmRSS) and at its peak (VmHWM), in MB."""
    now = peak = 0
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if "VmHWM" not in fields:  # a zombie
            continue
        now = max(now, int(fields["VmRSS"].split()[0]))
        peak = max(peak, int(fields["VmHWM"].split()[0]))
    return {"rss_mb": round(now / 1024, 1), "peak_mb": round(peak / 1024, 1)}


class Postgres:
    """A throwaway PostgreSQL 15 cluster from scripts/pg.sh (pg_start / pg_stop).

    Unlike the test suite's cluster this one keeps fsync and synchronous commit on, so
    write latencies are what a real server pays, and gets memory sized for the L corpus.
    """

    OPTIONS = (
        "-c fsync=on -c synchronous_commit=on -c full_page_writes=on "
        "-c shared_buffers=2GB -c effective_cache_size=8GB -c work_mem=32MB "
        "-c maintenance_work_mem=512MB -c max_wal_size=8GB -c checkpoint_timeout=30min"
    )

    def __enter__(self):
        env = {**os.environ, "PG_EXTRA_OPTS": self.OPTIONS}
        out = subprocess.run(
            ["bash", "-c", "source scripts/pg.sh && pg_start >&2 && echo $PG_URL && echo $PG_DIR"],
            cwd=ROOT, env=env, capture_output=True, text=True, check=False,
        )
        if out.returncode != 0:
            raise RuntimeError(
                "could not start PostgreSQL (install it with scripts/install.sh --test): "
                + out.stderr[-2000:]
            )
        self.url, self.dir = out.stdout.split()[-2:]
        return self

    def __exit__(self, *exc):
        subprocess.run(
            ["bash", "-c", f"source scripts/pg.sh && PG_DIR={self.dir} && pg_stop"],
            cwd=ROOT, check=False,
        )

    def database(self, name: str) -> str:
        """A fresh database `name` in the cluster; returns its URL."""
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url.rsplit("/", 1)[0] + "/" + name

    def size_of(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            sql = "SELECT pg_size_pretty(pg_database_size(%s))"
            return conn.execute(sql, (name,)).fetchone()[0]


class Sqlite:
    def __init__(self, folder: Path):
        self.folder = folder

    def __enter__(self):
        self.folder.mkdir(parents=True, exist_ok=True)
        return self

    def __exit__(self, *exc):
        pass

    def database(self, name: str) -> str:
        path = self.folder / f"{name}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        return f"sqlite:///{path}"

    def size_of(self, name: str) -> str:
        size = (self.folder / f"{name}.sqlite3").stat().st_size
        return f"{size / 1e6:.0f} MB"
