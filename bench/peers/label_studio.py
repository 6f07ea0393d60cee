"""Label Studio, as its README starts it (`label-studio start`), on SQLite, over its REST API.

Each reviewer's spans on an article are one annotation (a "completion") with one result
per span, which is how Label Studio stores them; the figures count spans.
"""

import os
import secrets

import requests

from ..corpus import PASSWORD
from ..server import free_port
from . import procs
from .workload import LABELS, pages, spans

PINS = ["label-studio==1.23.2"]
PYTHON = "python3.11"  # its wheels' floor is 3.10; 3.11 is what the issue measured with
BATCH = 1_000  # tasks per import request
LABEL_CONFIG = (
    '<View><Labels name="label" toName="text">'
    + "".join(f'<Label value="{label}"/>' for label in LABELS)
    + '</Labels><Text name="text" value="$text"/></View>'
)


def _result(span, text):
    return {"from_name": "label", "to_name": "text", "type": "labels",
            "value": {"start": span.start, "end": span.end, "text": text[span.start:span.end],
                      "labels": [span.label]}}


class LabelStudio:
    name = "Label Studio 1.23.2"

    def __init__(self, cache, work, log):
        self.bin = procs.ensure_venv(cache / "label-studio", PYTHON, PINS, log)
        self.work, self.log = work / "label-studio", log
        self.work.mkdir(parents=True, exist_ok=True)
        self.token = secrets.token_hex(20)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"Token {self.token}"
        self.proc = None

    def start(self):
        env = {**os.environ, "LABEL_STUDIO_BASE_DATA_DIR": str(self.work),
               "LATEST_VERSION_CHECK": "false", "DJANGO_DB": "sqlite"}
        self.proc = procs.Proc(
            [str(self.bin / "label-studio"), "start", "--no-browser", "--port", str(self.port),
             "--data-dir", str(self.work), "--username", "admin@bench.local",
             "--password", PASSWORD, "--user-token", self.token, "--enable-legacy-api-token",
             "--log-level", "WARNING"], env=env, log=self.log, cwd=self.work)
        self.proc.wait_http(f"{self.url}/api/projects", headers=self.http.headers, timeout=600)

    def stop(self):
        if self.proc:
            self.proc.stop()

    def processes(self):
        return [self.proc]

    def setup(self, workload):
        r = self.http.post(f"{self.url}/api/projects",
                           json={"title": "bench", "label_config": LABEL_CONFIG})
        r.raise_for_status()
        self.project = r.json()["id"]
        self.users = {}
        for name in workload["reviewers"]:
            r = self.http.post(f"{self.url}/api/users/", json={
                "username": name, "email": f"{name}@bench.local", "password": PASSWORD})
            r.raise_for_status()
            self.users[name] = r.json()["id"]

    def import_(self, workload):
        tasks = []
        for article in workload["articles"]:
            by = {}
            for span in spans(article):
                by.setdefault(span.reviewer, []).append(_result(span, article["text"]))
            tasks.append({"data": {"text": article["text"]}, "annotations": [
                {"completed_by": self.users[name], "result": results}
                for name, results in by.items()]})
        for i in range(0, len(tasks), BATCH):
            r = self.http.post(f"{self.url}/api/projects/{self.project}/import",
                               json=tasks[i:i + BATCH], timeout=3600)
            r.raise_for_status()
        self.task_ids = self._task_ids(200)
        self.pages = pages(workload)

    def _task_ids(self, n):
        r = self.http.get(f"{self.url}/api/tasks", params={
            "project": self.project, "page_size": n, "fields": "task_only"}, timeout=600)
        return [t["id"] for t in r.json()["tasks"]]

    def page(self, i) -> bool:
        """A page of 100 tasks with their annotations, as the data manager asks for it."""
        r = self.http.get(f"{self.url}/api/tasks", params={
            "project": self.project, "page_size": 100, "page": i % self.pages + 1, "fields": "all"},
            timeout=600)
        return r.status_code == 200 and len(r.json()["tasks"]) == 100

    def save(self, i, article) -> bool:
        """A new annotation of one span on the i-th task (tasks are listed in import order)."""
        span = spans(article)[0]
        r = self.http.post(f"{self.url}/api/tasks/{self.task_ids[i]}/annotations/",
                           json={"result": [_result(span, article["text"])]}, timeout=600)
        return r.status_code == 201

    def export(self, path) -> dict:
        """The whole project as Label Studio's JSON, in one synchronous download."""
        with self.http.get(f"{self.url}/api/projects/{self.project}/export",
                           params={"exportType": "JSON"}, stream=True, timeout=3600) as r:
            r.raise_for_status()
            size = 0
            with open(path, "wb") as out:
                for chunk in r.iter_content(1 << 16):
                    size += len(chunk)
                    out.write(chunk)
        return {"mb": round(size / 1e6, 1), "format": "JSON"}
