"""doccano, as its README runs it (`doccano webserver` and `doccano task`), on SQLite.

Imports and exports are Celery tasks: the figures run from the request to the task's end
(and the download). doccano's import gives every span to the user who uploads the file,
so its spans have one author where the others have three reviewers. Its list of examples
carries no spans (a client fetches them per example), as in issue 17's table.
"""

import contextlib
import json
import os
import sqlite3
import subprocess
import time

import requests

from ..corpus import PASSWORD
from ..server import free_port
from . import procs
from .workload import LABELS, pages, spans

# doccano 1.8.4 pins neither marshmallow nor numpy, and breaks with the current ones
# (environs 9 reads marshmallow.__version_info__; pandas 1.5 is built against numpy 1).
PINS = ["doccano==1.8.4", "marshmallow==3.26.2", "numpy==1.26.4"]
PYTHON = "python3.11"


class Doccano:
    name = "doccano 1.8.4"

    def __init__(self, cache, work, log):
        self.bin = procs.ensure_venv(cache / "doccano", PYTHON, PINS, log)
        self.work, self.log = work / "doccano", log
        self.work.mkdir(parents=True, exist_ok=True)
        self.env = {**os.environ, "DOCCANO_HOME": str(self.work),
                    "DATABASE_URL": f"sqlite:///{self.work}/db.sqlite3", "DEBUG": "False"}
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.http = requests.Session()
        self.web = self.queue = None

    def start(self):
        if not (self.work / "db.sqlite3").exists():
            with open(self.log, "ab") as out:
                for cmd in (["init"], ["createuser", "--username", "admin",
                                       "--password", PASSWORD]):
                    subprocess.run([str(self.bin / "doccano"), *cmd], env=self.env,
                                   cwd=self.work, stdout=out, stderr=out, check=True)
        doccano = str(self.bin / "doccano")
        # The worker first: started together, it and the web server's health check both
        # create the broker's queue row in SQLite, and the loser of that race exits.
        self.queue = procs.Proc([doccano, "task", "--concurrency", "1"],
                                env=self.env, log=self.log, cwd=self.work)
        self._wait_for_queue()
        self.web = procs.Proc([doccano, "webserver", "--port", str(self.port)],
                              env=self.env, log=self.log, cwd=self.work)
        self.web.wait_http(f"{self.url}/v1/health/", timeout=300)
        r = self.http.post(f"{self.url}/v1/auth/login/",
                           json={"username": "admin", "password": PASSWORD})
        r.raise_for_status()
        # The token alone: with the login's session cookie, DRF would ask for a CSRF token.
        self.http.cookies.clear()
        self.http.headers["Authorization"] = f"Token {r.json()['key']}"

    def _wait_for_queue(self, timeout=300):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.queue.proc.poll() is not None:
                raise RuntimeError("doccano task exited; see the log")
            with contextlib.suppress(sqlite3.Error), contextlib.closing(
                sqlite3.connect(self.work / "db.sqlite3", timeout=10)
            ) as db:
                if db.execute("SELECT count(*) FROM kombu_queue").fetchone()[0]:
                    return
            time.sleep(0.5)
        raise RuntimeError(f"doccano task was not ready within {timeout} s")

    def stop(self):
        for proc in (self.web, self.queue):
            if proc:
                proc.stop()

    def processes(self):
        return [self.web, self.queue]

    def setup(self, workload):
        r = self.http.post(f"{self.url}/v1/projects", json={
            "name": "bench", "description": "bench", "guideline": "",
            "project_type": "SequenceLabeling", "resourcetype": "SequenceLabelingProject",
            "collaborative_annotation": True, "allow_overlapping": True})
        r.raise_for_status()
        self.project = r.json()["id"]
        self.labels = {}
        for label in LABELS:
            r = self.http.post(f"{self.url}/v1/projects/{self.project}/span-types", json={
                "text": label, "background_color": "#209cee", "text_color": "#ffffff"})
            r.raise_for_status()
            self.labels[label] = r.json()["id"]

    def _wait(self, task_id):
        while True:
            status = self.http.get(f"{self.url}/v1/tasks/status/{task_id}").json()
            if status.get("ready"):
                if status.get("error"):
                    raise RuntimeError(f"doccano task failed: {status['error']}")
                return status.get("result")
            time.sleep(0.2)

    def import_(self, workload):
        body = "\n".join(json.dumps({"text": a["text"], "label": [
            [s.start, s.end, s.label] for s in spans(a)]}) for a in workload["articles"])
        r = self.http.post(f"{self.url}/v1/fp/process/", files={
            "filepond": ("workload.jsonl", body.encode(), "application/octet-stream")},
            timeout=3600)
        r.raise_for_status()
        r = self.http.post(f"{self.url}/v1/projects/{self.project}/upload", json={
            "uploadIds": [r.text], "format": "JSONL", "task": "SequenceLabeling",
            "column_data": "text", "column_label": "label"})
        r.raise_for_status()
        result = self._wait(r.json()["task_id"])
        if result and result.get("error"):
            raise RuntimeError(f"doccano refused rows: {result['error'][:3]}")
        r = self.http.get(f"{self.url}/v1/projects/{self.project}/examples",
                          params={"limit": 200})
        self.example_ids = [e["id"] for e in r.json()["results"]]
        self.pages = pages(workload)

    def page(self, i) -> bool:
        r = self.http.get(f"{self.url}/v1/projects/{self.project}/examples",
                          params={"limit": 100, "offset": i % self.pages * 100}, timeout=600)
        return r.status_code == 200 and len(r.json()["results"]) == 100

    def save(self, i, article) -> bool:
        span = spans(article)[0]
        r = self.http.post(
            f"{self.url}/v1/projects/{self.project}/examples/{self.example_ids[i]}/spans",
            json={"start_offset": span.start, "end_offset": span.end,
                  "label": self.labels[span.label]}, timeout=600)
        return r.status_code == 201

    def export(self, path) -> dict:
        """JSONL (zipped, as doccano serves it): queue the export, wait, download."""
        r = self.http.post(f"{self.url}/v1/projects/{self.project}/download",
                           json={"format": "JSONL", "exportApproved": False})
        r.raise_for_status()
        task_id = r.json()["task_id"]
        self._wait(task_id)
        with self.http.get(f"{self.url}/v1/projects/{self.project}/download",
                           params={"taskId": task_id}, stream=True, timeout=3600) as r:
            r.raise_for_status()
            size = 0
            with open(path, "wb") as out:
                for chunk in r.iter_content(1 << 16):
                    size += len(chunk)
                    out.write(chunk)
        return {"mb": round(size / 1e6, 1), "format": "JSONL (zip)"}
