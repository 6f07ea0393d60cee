"""Import rate of a batch of URLs through the task queue, from a local HTTP server.

    python -m bench.url_import                    # 100 pages, 1 worker, a fresh SQLite file
    python -m bench.url_import --pages 100 --workers 2
    DATABASE_URL=postgres://… python -m bench.url_import   # an empty PostgreSQL database

The pages are the first N of the extraction set (tests/data/extraction), served by a
threaded http.server on 127.0.0.1; the batch is queued as the API queues it, then N
`manage.py db_worker --batch` processes run it to the end. The figure is URLs imported
per second of wall-clock time, fetch, extraction, segmentation and storage included.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m bench.url_import", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--pages", type=int, default=100)
    p.add_argument("--workers", type=int, default=1)
    args = p.parse_args(argv)

    folder = tempfile.mkdtemp(prefix="provenance-url-bench-")
    env = {
        **os.environ, "PROVENANCE_IGNORE_DOTENV": "1", "DEBUG": "false",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only"),
        "PROVENANCE_FETCH_ALLOW_PRIVATE": "true",
        "DATABASE_URL": os.environ.get("DATABASE_URL") or f"sqlite:///{folder}/bench.sqlite3",
    }
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env,
                   check=True)

    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from provenance.ingestion.batches import url_import_create
    from provenance.models import UrlImportItem
    from tests.webserver import MANIFEST, LocalWeb

    web = LocalWeb()
    ids = [pid for pid, e in MANIFEST.items() if e["subset"] != "transcoded"][:args.pages]
    editor = get_user_model().objects.create_user("bench-editor")
    batch = url_import_create(urls=[web.page(pid) for pid in ids], created_by=editor)
    print(f"{len(ids)} URLs queued; {args.workers} worker(s); database "
          f"{env['DATABASE_URL'].split('@')[-1]}")
    started = time.perf_counter()
    workers = [
        subprocess.Popen([sys.executable, "manage.py", "db_worker", "--batch",
                          "--no-startup-delay", "--no-reload", "--interval", "0", "-v0"],
                         cwd=ROOT, env=env)
        for _ in range(args.workers)
    ]
    for worker in workers:
        worker.wait()
    elapsed = time.perf_counter() - started
    web.close()
    statuses = {}
    for status in UrlImportItem.objects.filter(batch=batch).values_list("status", flat=True):
        statuses[status] = statuses.get(status, 0) + 1
    print(f"{len(ids)} URLs in {elapsed:.1f} s: {len(ids) / elapsed:.2f} URLs/s "
          f"({1000 * elapsed / len(ids):.0f} ms each); {statuses}")
    for item in UrlImportItem.objects.filter(batch=batch).exclude(status="imported"):
        print(f"  {item.status}: {item.url}: {item.message}")


if __name__ == "__main__":
    main()
