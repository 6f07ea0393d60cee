"""Figures measured over real HTTP against the production server.

Each function returns a dict for results.json; an endpoint that does not exist yet gives
{"status": "n/a (not built yet)"} so the table says so instead of failing.
"""

import time

import requests

from .stage import percentiles

NOT_BUILT = {"status": "n/a (not built yet)"}


def session(token: str) -> requests.Session:
    s = requests.Session()
    s.headers["Authorization"] = f"Token {token}"
    s.headers["Accept"] = "application/json"
    return s


def _exists(s: requests.Session, url: str) -> bool:
    return s.get(url, timeout=60).status_code != 404


def api_saves(base: str, manifest: dict, *, n: int) -> dict:
    """One reviewer creating, then updating (with If-Match), annotations one at a time."""
    s = session(manifest["tokens"]["bench-writer"])
    sentences = manifest["content_sentences"][:n + 5]
    create_ms, update_ms, errors = [], [], 0
    created = []
    for i, sentence in enumerate(sentences):
        t0 = time.perf_counter()
        r = s.post(f"{base}/api/annotations/", json={"sentence": sentence,
                                                     "label": "unverified_claim"}, timeout=60)
        ms = (time.perf_counter() - t0) * 1000
        if r.status_code != 201:
            errors += 1
            continue
        if i >= 5:  # the first few warm the connection and the worker
            create_ms.append(ms)
        created.append((r.json()["id"], r.headers["ETag"]))
    for i, (pk, etag) in enumerate(created):
        t0 = time.perf_counter()
        r = s.patch(f"{base}/api/annotations/{pk}/", json={"note": f"edit {i}"},
                    headers={"If-Match": etag}, timeout=60)
        ms = (time.perf_counter() - t0) * 1000
        if r.status_code != 200:
            errors += 1
            continue
        if i >= 5:
            update_ms.append(ms)
    return {"create": percentiles(create_ms), "update": percentiles(update_ms),
            "errors": errors}


# Query strings of the claims figure, by variant; values come from the manifest.
def claim_variants(filters: dict) -> dict:
    return {
        "none": {},
        "label": {"label": filters["label"]},
        "source": {"source": filters["source"]},
        "reviewer": {"reviewer": filters["reviewer"]},
        "q": {"q": filters["q"]},
    }


def claims(base: str, manifest: dict, *, n: int, page_size: int = 100) -> dict:
    """A page of `page_size` claims: the first page and the next pages by cursor."""
    s = session(manifest["tokens"]["bench-reader"])
    if not _exists(s, f"{base}/api/claims/"):
        return NOT_BUILT
    out = {}
    for name, params in claim_variants(manifest["filters"]).items():
        params = {**params, "page_size": page_size}
        times, items, errors = [], 0, 0
        url, query = f"{base}/api/claims/", params
        for i in range(n + 3):
            t0 = time.perf_counter()
            r = s.get(url, params=query, timeout=60)
            ms = (time.perf_counter() - t0) * 1000
            if r.status_code != 200:
                errors += 1
                url, query = f"{base}/api/claims/", params
                continue
            body = r.json()
            if i >= 3:
                times.append(ms)
                items = max(items, len(body.get("results", [])))
            # Walk forward by cursor (deeper pages must stay as fast), then start over.
            if body.get("next") and i % 5 != 4:
                url, query = body["next"], None
            else:
                url, query = f"{base}/api/claims/", params
        out[name] = {**percentiles(times), "items": items, "errors": errors}
    return out


EXPORT_URL = "/api/export/annotations"


def export(server, manifest: dict, fmt: str, *, save_to=None) -> dict:
    """Stream one export; annotations/s and the worker's memory before and at its peak."""
    s = session(manifest["tokens"]["bench-reader"])
    base = server.url
    probe = s.get(f"{base}{EXPORT_URL}", params={"format": fmt}, stream=True, timeout=60)
    probe.close()
    if probe.status_code == 404:
        return NOT_BUILT
    before = server.rss()
    rows = size = 0
    t0 = time.perf_counter()
    with s.get(f"{base}{EXPORT_URL}", params={"format": fmt}, stream=True, timeout=600) as r:
        if r.status_code != 200:
            return {"status": f"error: HTTP {r.status_code}"}
        out = open(save_to, "wb") if save_to else None  # noqa: SIM115
        tail = b""
        for chunk in r.iter_content(chunk_size=1 << 16):
            size += len(chunk)
            rows += chunk.count(b"\n")
            tail = chunk[-1:] or tail
            if out:
                out.write(chunk)
        if out:
            out.close()
    seconds = time.perf_counter() - t0
    annotations = _exported_count(fmt, rows, tail)
    after = server.rss()
    return {
        "annotations": annotations,
        "seconds": round(seconds, 2),
        "annotations_per_s": round(annotations / seconds) if seconds else None,
        "mb": round(size / 1e6, 1),
        "rss_before_mb": before["rss_mb"],
        "peak_mb": after["peak_mb"],
    }


def _exported_count(fmt, lines, tail):
    # JSONL and JSON-LD lines are one annotation each; CSV has a header row. A file that
    # does not end in a newline has one more row than newlines.
    rows = lines + (0 if tail == b"\n" else 1)
    return rows - 1 if fmt == "csv" else rows
