"""Reviewers saving and readers paging at the same time, against one or two servers.

20 reviewer threads create annotations and edit each one once (with If-Match); 5 reader
threads page claims (or the annotation list while the claims API is not built). A
reviewer pauses `think` seconds after each save, as a person reads the next sentence
(1 s is already faster than anyone labels); with think=0 every thread fires requests
back to back, a stress test whose latency only says how long the queue is. Readers never
pause: integrations page as fast as the API answers. Reviewers
sign in through the login form on the first server and then send every other request to
the second one with the same session cookie: the app keeps no state of its own, so either
instance serves any user. Every acknowledged write (201/200) is remembered and checked in
the database afterwards, so a lost write cannot hide.
"""

import random
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import requests

from .corpus import LOAD_REVIEWERS
from .stage import percentiles

READERS = 5


def _login(base: str, username: str, password: str) -> requests.Session:
    s = requests.Session()
    page = s.get(f"{base}/accounts/login/", timeout=60)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    r = s.post(
        f"{base}/accounts/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{base}/accounts/login/"}, timeout=60, allow_redirects=False,
    )
    if r.status_code != 302:
        raise RuntimeError(f"login as {username} failed: HTTP {r.status_code}")
    s.headers["X-CSRFToken"] = s.cookies["csrftoken"]
    return s


def run(bases: list[str], manifest: dict, *, seconds: float, think: float = 0.0,
        part: int = 0, parts: int = 1) -> dict:
    """Run the mixed load for `seconds`; returns rates, latencies, errors and acknowledgements.

    Several runs against one database take different `part`s of the sentences, so no run
    repeats an earlier one's annotation (which the API rightly refuses as a duplicate).
    """
    load = _Load(bases, manifest, think=think, sentences=manifest["content_sentences"][part::parts])
    # Password hashing makes each login cost ~0.3 s of server CPU: sign in in parallel.
    with ThreadPoolExecutor(4) as pool:
        sessions = list(pool.map(
            lambda n: _login(bases[0], f"load{n:02d}", manifest["password"]),
            range(1, LOAD_REVIEWERS + 1),
        ))
    shared = None
    if len(bases) > 1:
        # Signed in on the first instance; the second must know the session and accept its
        # CSRF token for a write (the "no acknowledged write lost" count covers the rest).
        page = sessions[0].get(f"{bases[1]}/", timeout=60, allow_redirects=False)
        shared = page.status_code == 200
    threads = [threading.Thread(target=load.reviewer, args=(n, s))
               for n, s in enumerate(sessions)]
    threads += [threading.Thread(target=load.reader, args=(n,)) for n in range(READERS)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    load.stop.wait(seconds)
    load.stop.set()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    saves, reads, errors = load.saves, load.reads, load.errors
    return {
        "seconds": round(elapsed, 1),
        "servers": len(bases),
        "think_seconds": think,
        "session_from_first_server_accepted_by_second": shared,
        "reader_endpoint": load.reader_path,
        "requests_per_s": round((len(saves) + len(reads) + len(errors)) / elapsed, 1),
        "saves": percentiles(saves),
        "reads": percentiles(reads),
        "errors": len(errors),
        "error_samples": sorted(set(errors))[:5],
        "acknowledged": load.acked,
    }


class _Load:
    """What the reviewers' and readers' threads share: the stop signal, the timings, the
    errors and the acknowledged versions."""

    claims_path = "/api/claims/"

    def __init__(self, bases, manifest, *, think: float, sentences):
        self.bases, self.think, self.sentences = bases, think, sentences
        self.reader_token = manifest["tokens"]["bench-reader"]
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.saves, self.reads, self.errors, self.acked = [], [], [], {}
        probe = requests.get(bases[0] + self.claims_path, timeout=60,
                             headers={"Authorization": f"Token {self.reader_token}"})
        self.reader_path = self.claims_path if probe.status_code != 404 else "/api/annotations/"

    def call(self, kind, expected, method, url, timings, **kwargs):
        """One timed request; the response if it got `expected`, else None (an error)."""
        t0 = time.perf_counter()
        try:
            r = method(url, timeout=30, **kwargs)
        except requests.RequestException as exc:
            with self.lock:
                self.errors.append(f"{kind}: {exc.__class__.__name__}")
            return None
        ms = (time.perf_counter() - t0) * 1000
        with self.lock:
            if r.status_code == expected:
                timings.append(ms)
                return r
            self.errors.append(f"{kind}: HTTP {r.status_code} {r.text[:120]}")
        return None

    def reviewer(self, n: int, s: requests.Session):
        # Each reviewer walks its own slice of sentences with one label, so no two writes
        # collide on a uniqueness rule and every refusal is a real error. Requests
        # alternate between the servers with the one session cookie.
        mine = self.sentences[n::LOAD_REVIEWERS]
        # people do not all start on the same beat
        if self.stop.wait(random.uniform(0, self.think)):
            return
        for i, sentence in enumerate(mine):
            if self.stop.is_set() or not self.annotate(s, i, sentence):
                break

    def annotate(self, s: requests.Session, i: int, sentence) -> bool:
        """Create an annotation on `sentence`, then edit it; False once the run stops."""
        bases = self.bases
        base = bases[i % len(bases)]
        r = self.call("create", 201, s.post, f"{base}/api/annotations/", self.saves,
                      json={"sentence": sentence, "label": "sensational_framing"},
                      headers={"Referer": base + "/"})
        if r is None:
            return True
        pk, etag = r.json()["id"], r.headers["ETag"]
        with self.lock:
            self.acked[pk] = 1
        if self.stop.wait(self.think):
            return False
        base = bases[(i + 1) % len(bases)]
        u = self.call("update", 200, s.patch, f"{base}/api/annotations/{pk}/", self.saves,
                      json={"note": "checked"}, headers={"If-Match": etag, "Referer": base + "/"})
        if u is not None:
            with self.lock:
                self.acked[pk] = u.json()["version"]
        return not self.stop.wait(self.think)

    def reader(self, n: int):
        s = requests.Session()
        s.headers["Authorization"] = f"Token {self.reader_token}"
        i = 0
        while not self.stop.is_set():
            base = self.bases[(n + i) % len(self.bases)]
            params = (
                {"page_size": 100} if self.reader_path == self.claims_path else {"page": 1 + i % 20}
            )
            self.call("read", 200, s.get, base + self.reader_path, self.reads, params=params)
            i += 1
