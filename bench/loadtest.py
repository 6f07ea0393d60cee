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
    sentences = manifest["content_sentences"][part::parts]
    stop = threading.Event()
    lock = threading.Lock()
    saves, reads, errors, acked = [], [], [], {}
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
    claims_path = "/api/claims/"
    probe = requests.get(bases[0] + claims_path, timeout=60,
                         headers={"Authorization": f"Token {manifest['tokens']['bench-reader']}"})
    reader_path = claims_path if probe.status_code != 404 else "/api/annotations/"

    def call(kind, expected, method, url, timings, **kwargs):
        """One timed request; the response if it got `expected`, else None (an error)."""
        t0 = time.perf_counter()
        try:
            r = method(url, timeout=30, **kwargs)
        except requests.RequestException as exc:
            with lock:
                errors.append(f"{kind}: {exc.__class__.__name__}")
            return None
        ms = (time.perf_counter() - t0) * 1000
        with lock:
            if r.status_code == expected:
                timings.append(ms)
                return r
            errors.append(f"{kind}: HTTP {r.status_code} {r.text[:120]}")
        return None

    def reviewer(n: int, s: requests.Session):
        # Each reviewer walks its own slice of sentences with one label, so no two writes
        # collide on a uniqueness rule and every refusal is a real error. Requests
        # alternate between the servers with the one session cookie.
        mine = sentences[n::LOAD_REVIEWERS]
        if stop.wait(random.uniform(0, think)):  # people do not all start on the same beat
            return
        for i, sentence in enumerate(mine):
            if stop.is_set():
                break
            base = bases[i % len(bases)]
            r = call("create", 201, s.post, f"{base}/api/annotations/", saves,
                     json={"sentence": sentence, "label": "sensational_framing"},
                     headers={"Referer": base + "/"})
            if r is None:
                continue
            pk, etag = r.json()["id"], r.headers["ETag"]
            with lock:
                acked[pk] = 1
            if stop.wait(think):
                break
            base = bases[(i + 1) % len(bases)]
            u = call("update", 200, s.patch, f"{base}/api/annotations/{pk}/", saves,
                     json={"note": "checked"}, headers={"If-Match": etag, "Referer": base + "/"})
            if u is not None:
                with lock:
                    acked[pk] = u.json()["version"]
            if stop.wait(think):
                break

    def reader(n: int):
        s = requests.Session()
        s.headers["Authorization"] = f"Token {manifest['tokens']['bench-reader']}"
        i = 0
        while not stop.is_set():
            base = bases[(n + i) % len(bases)]
            params = {"page_size": 100} if reader_path == claims_path else {"page": 1 + i % 20}
            call("read", 200, s.get, base + reader_path, reads, params=params)
            i += 1

    threads = [threading.Thread(target=reviewer, args=(n, s)) for n, s in enumerate(sessions)]
    threads += [threading.Thread(target=reader, args=(n,)) for n in range(READERS)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    stop.wait(seconds)
    stop.set()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    return {
        "seconds": round(elapsed, 1),
        "servers": len(bases),
        "think_seconds": think,
        "session_from_first_server_accepted_by_second": shared,
        "reader_endpoint": reader_path,
        "requests_per_s": round((len(saves) + len(reads) + len(errors)) / elapsed, 1),
        "saves": percentiles(saves),
        "reads": percentiles(reads),
        "errors": len(errors),
        "error_samples": sorted(set(errors))[:5],
        "acknowledged": acked,
    }
