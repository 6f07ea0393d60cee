"""Provenance from this checkout, measured the way the peers are: its production server
(scripts/serve.sh, via bench.server), SQLite, one client.

Import is the documented bulk path: `manage.py import_articles` on a JSONL file (segmentation,
boilerplate, history, near-duplicates, suggestions queued), then the spans through
`POST /api/import/annotations`. The other figures reuse bench.figures: saves by one
reviewer and the JSONL export from a fresh one-worker server.
"""

import contextlib
import json
import sqlite3
import subprocess
import sys
import time

import requests

from .. import figures
from ..server import ROOT, Server, app_env
from . import procs
from .workload import spans


def articles_jsonl(workload) -> str:
    """The workload's articles as import_articles reads a JSONL file."""
    return "".join(json.dumps({"title": a["title"], "text": a["text"]}) + "\n"
                   for a in workload["articles"])


def annotation_lines(workload) -> list[str]:
    """The workload's spans as rows of a JSONL export (what import_annotations restores)."""
    lines = []
    for article in workload["articles"]:
        for s in spans(article):
            phrase = (s.start, s.end) != (s.sentence_start, s.sentence_end)
            lines.append(json.dumps({
                "article_content_sha256": article["sha256"],
                "sentence_start": s.sentence_start, "sentence_end": s.sentence_end,
                "phrase_start": s.start if phrase else None,
                "phrase_end": s.end if phrase else None,
                "label": s.label, "reviewer": s.reviewer, "source_name": s.source}))
    return lines


class Provenance:
    name = "Provenance"

    def __init__(self, cache, work, log):
        self.work, self.log = work / "provenance", log
        self.work.mkdir(parents=True, exist_ok=True)
        db = self.work / "provenance.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            db.with_name(db.name + suffix).unlink(missing_ok=True)
        self.path = db
        self.database = f"sqlite:///{db}"
        self.server = None

    def _run(self, *cmd):
        with open(self.log, "ab") as out:
            subprocess.run([sys.executable, *cmd], cwd=ROOT, env=app_env(self.database),
                           stdout=out, stderr=out, check=True)

    def start(self, *, workers=None):
        self.server = Server(self.database, workers=workers, log=self.log).__enter__()
        self.url = self.server.url

    def stop(self):
        if self.server:
            self.server.__exit__(None, None, None)

    def processes(self):
        return [procs.Tree(self.server.proc.pid)]

    def setup(self, workload):
        """Its accounts and its source registry (configuration, as the peers' labels are)."""
        out, sources = self.work / "users.json", self.work / "sources.json"
        sources.write_text(json.dumps(workload["sources"]))
        self._run("-m", "bench.stage", "users", "--out", str(out), "--input", str(sources),
                  "--reviewers", str(len(workload["reviewers"])))
        self.tokens = json.loads(out.read_text())["tokens"]

    def import_articles(self, workload):
        path = self.work / "articles.jsonl"
        path.write_text(articles_jsonl(workload))
        self._run("manage.py", "import_articles", "--quiet", str(path))

    def import_(self, workload):
        lines = annotation_lines(workload)
        r = requests.post(f"{self.url}/api/import/annotations", data="\n".join(lines).encode(),
                          headers={"Authorization": f"Token {self.tokens['bench-editor']}",
                                   "Content-Type": "application/x-ndjson"}, timeout=3600)
        if r.status_code != 200 or r.json()["created"] != len(lines):
            raise RuntimeError(f"import_annotations: HTTP {r.status_code} {r.text[:500]}")
        self.http = figures.session(self.tokens["bench-reader"])
        self.next = None

    def drain(self, timeout=3600) -> None:
        """Wait until the task worker (started by serve.sh) has computed the suggestions
        the import queued: until then it competes with every request for the write lock
        and the CPU, and the figures after the import would measure that."""
        deadline = time.monotonic() + timeout
        with contextlib.closing(sqlite3.connect(self.path, timeout=60)) as db:
            while time.monotonic() < deadline:
                (waiting,) = db.execute(
                    "SELECT count(*) FROM django_tasks_database_dbtaskresult "
                    "WHERE status IN ('READY', 'RUNNING')").fetchone()
                if not waiting:
                    return
                time.sleep(1)
        raise RuntimeError(f"the task queue still had {waiting} tasks after {timeout} s")

    def page(self, i) -> bool:
        """A claims page of 100 (sentences with their annotations), walking on by cursor
        and starting over every tenth page, as the peers' pages 1 to 10."""
        if i % 10 == 0 or not self.next:
            r = self.http.get(f"{self.url}/api/claims/", params={"page_size": 100}, timeout=600)
        else:
            r = self.http.get(self.next, timeout=600)
        if r.status_code != 200:
            return False
        body = r.json()
        self.next = body.get("next")
        return len(body["results"]) == 100

    def saves(self, n) -> dict:
        """bench.figures.api_saves: one reviewer creating annotations on content sentences."""
        r = self.http.get(f"{self.url}/api/claims/", params={"page_size": n + 5}, timeout=600)
        sentences = [claim["sentence"]["id"] for claim in r.json()["results"]]
        manifest = {"tokens": self.tokens, "content_sentences": sentences}
        return figures.api_saves(self.url, manifest, n=n)

    def export(self, path) -> dict:
        """bench.figures.export from a fresh one-worker server: its peak is the export's."""
        with Server(self.database, workers=1, setup=False, log=self.log) as server:
            result = figures.export(server, {"tokens": self.tokens}, "jsonl", save_to=path)
        return {**result, "format": "JSONL"}
