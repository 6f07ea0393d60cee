"""Virtual environments, server processes and the timing loop the three tools share."""

import contextlib
import os
import signal
import subprocess
import sys
import time
import venv
from pathlib import Path

import requests

from ..server import cpu_seconds, process_tree, rss_mb
from ..stage import percentiles


def ensure_venv(folder: Path, python: str, requirements: list[str], log: Path) -> Path:
    """A virtual environment at `folder` with exactly `requirements` pip-installed once.

    A marker file remembers what was installed, so a second run starts at once and a
    change of pins reinstalls.
    """
    marker = folder / ".provenance-peers"
    wanted = "\n".join(requirements)
    if marker.exists() and marker.read_text() == wanted:
        return folder / "bin"
    if not (folder / "bin" / "python").exists():
        if python == sys.executable:
            venv.create(folder, with_pip=True)
        else:
            subprocess.run([python, "-m", "venv", str(folder)], check=True)
    with open(log, "ab") as out:
        # Two steps: the tool with its own pins, then our corrections of them on top.
        for step in (requirements[:1], requirements[1:]):
            if step:
                subprocess.run([str(folder / "bin" / "pip"), "install", "-q",
                                "--disable-pip-version-check", *step],
                               stdout=out, stderr=out, check=True)
    marker.write_text(wanted)
    return folder / "bin"


class Tree:
    """A process and its descendants: their largest memory and their CPU time together."""

    def __init__(self, pid: int):
        self.pid = pid

    def memory(self) -> dict:
        return rss_mb(process_tree(self.pid))

    def cpu(self) -> float:
        return cpu_seconds(process_tree(self.pid))


class Proc:
    """A server process in its own session; stopped with its whole group."""

    def __init__(self, cmd, *, env, log: Path, cwd=None):
        with open(log, "ab") as out:
            self.proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=out, stderr=out,
                                         start_new_session=True)

    def wait_http(self, url: str, *, timeout=300, headers=None):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.proc.args[0]} exited with {self.proc.returncode}")
            with contextlib.suppress(requests.RequestException):
                if requests.get(url, timeout=5, headers=headers).status_code < 500:
                    return
            time.sleep(0.5)
        raise RuntimeError(f"{url} did not answer within {timeout} s")

    def memory(self) -> dict:
        return Tree(self.proc.pid).memory()

    def cpu(self) -> float:
        return Tree(self.proc.pid).cpu()

    def stop(self):
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def latencies(call, n: int, *, warm: int = 3) -> dict:
    """Time `call(i)` n times after `warm` untimed calls; p50/p95 in ms, and the errors.

    `call` returns whether the request did what it should (a 2xx with the expected body).
    """
    times, errors = [], 0
    for i in range(n + warm):
        t0 = time.perf_counter()
        ok = call(i)
        ms = (time.perf_counter() - t0) * 1000
        if not ok:
            errors += 1
        elif i >= warm:
            times.append(ms)
    return {**percentiles(times), "errors": errors}


def timed(fn) -> tuple:
    """(fn(), seconds)."""
    t0 = time.perf_counter()
    result = fn()
    return result, round(time.perf_counter() - t0, 2)


class PeakWatch:
    """The largest resident memory of a process tree, sampled while a block runs.

    VmHWM is a process's own peak, but a worker that forks for a task (doccano's Celery)
    has a fresh one, so the tree is sampled as well.
    """

    def __init__(self, *procs: Proc, every=0.05):
        self.procs, self.every, self.peak = procs, every, 0.0
        self._stop = None

    def __enter__(self):
        import threading

        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self):
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.every)

    def sample(self):
        for proc in self.procs:
            self.peak = max(self.peak, proc.memory()["peak_mb"])

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.sample()
