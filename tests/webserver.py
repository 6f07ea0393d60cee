"""A real HTTP server on 127.0.0.1 for the import-by-URL tests, in a thread.

    /pages/<id>            a page of the extraction set (tests/data/extraction), as bytes,
                           with the charset its manifest says it declares (if any)
    /raw/<name>            a page registered by the test: (content type, bytes)
    /redirect/<n>/<path>   n redirects, then <path>
    /slow                  answers after 5 seconds
    /big                   20 MB of HTML, sent in pieces
    /image.png             a PNG
"""

import gzip
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "extraction"
MANIFEST = {
    entry["id"]: entry
    for entry in map(json.loads, (DATA / "manifest.jsonl").read_text("utf-8").splitlines())
}


def page_bytes(page_id: str) -> bytes:
    return gzip.decompress((DATA / MANIFEST[page_id]["html"]).read_bytes())


class Handler(BaseHTTPRequestHandler):
    raw: dict = {}

    def log_message(self, *args):
        pass

    def _send(self, status, content_type, body, headers=()):
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802 (the name http.server calls)
        path = self.path.split("?")[0]
        if path.startswith("/pages/"):
            page_id = path[len("/pages/"):]
            if page_id not in MANIFEST:
                return self._send(404, "text/html", b"<h1>Not found</h1>")
            declared = MANIFEST[page_id].get("declared")
            content_type = "text/html" + (f"; charset={declared}" if declared else "")
            return self._send(200, content_type, page_bytes(page_id))
        if path.startswith("/raw/"):
            content_type, body = self.raw[path[len("/raw/"):]]
            return self._send(200, content_type, body)
        if path.startswith("/redirect/"):
            _, _, n, rest = path.split("/", 3)
            target = f"/redirect/{int(n) - 1}/{rest}" if int(n) > 1 else f"/{rest}"
            return self._send(302, "text/html", b"", [("Location", target)])
        if path == "/to-file":
            return self._send(302, "text/html", b"", [("Location", "file:///etc/passwd")])
        if path == "/slow":
            time.sleep(5)
            return self._send(200, "text/html", b"<p>late</p>")
        if path == "/big":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            chunk = b"<p>" + b"filler " * 10_000 + b"</p>\n"
            try:
                for _ in range(300):
                    self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
            return None
        if path == "/image.png":
            return self._send(200, "image/png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
        return self._send(404, "text/html", b"<h1>Not found</h1>")


class LocalWeb:
    def __init__(self):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        # A client that gave up (the timeout and size tests) breaks the pipe mid-answer;
        # that is the test working, not a traceback worth printing.
        self.server.handle_error = lambda request, client_address: None
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"{self.base}/{path.lstrip('/')}"

    def page(self, page_id: str) -> str:
        return self.url(f"/pages/{page_id}")

    def add(self, name: str, body: bytes, content_type: str = "text/html; charset=utf-8") -> str:
        Handler.raw[name] = (content_type, body)
        return self.url(f"/raw/{name}")

    def close(self):
        self.server.shutdown()
        self.server.server_close()
