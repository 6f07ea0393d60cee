"""Profile one request or command in-process with pyinstrument, to explain a missed target.

    DATABASE_URL=sqlite:///bench/out/work/sqlite/bench_m.sqlite3 \\
      .venv/bin/python -m bench.profile get "/api/claims/?page_size=100" --user bench-reader
    .venv/bin/python -m bench.profile post /api/annotations/ --user bench-writer \\
      --json '{"sentence": 123, "label": "unverified_claim"}'
    .venv/bin/python -m bench.profile command import_annotations bench/out/work/export-M.jsonl

Prints the call tree (and the SQL queries of the last request, with --sql). Needs the
[bench] extras (pyinstrument) and a database the benchmark loaded.
"""

import argparse
import json
import os
import time


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m bench.profile")
    p.add_argument("method", choices=["get", "post", "patch", "command"])
    p.add_argument("target", help="URL path, or a management command name")
    p.add_argument("args", nargs="*", help="command arguments")
    p.add_argument("--user", default="bench-reader")
    p.add_argument("--json", default=None)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--sql", action="store_true", help="print the last request's queries")
    args = p.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0005)
    if args.method == "command":
        profiler.start()
        call_command(args.target, *args.args)
        profiler.stop()
        print(profiler.output_text(unicode=True, color=False, show_all=False))
        return
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username=args.user))
    call = getattr(client, args.method)
    body = json.loads(args.json) if args.json else None

    def once(n):
        payload = dict(body) if body else None
        if payload and "sentence" in payload and args.method == "post":
            payload["sentence"] += n  # a fresh sentence each time
        response = call(args.target, data=payload, content_type="application/json") \
            if payload else call(args.target)
        if response.streaming:
            for _ in response.streaming_content:
                pass
        return response

    once(0)  # warm caches and connections outside the profile
    times = []
    profiler.start()
    for n in range(1, args.repeat + 1):
        t0 = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = once(n)
        times.append((time.perf_counter() - t0) * 1000)
    profiler.stop()
    print(f"HTTP {response.status_code}; ms per request: {[round(t, 1) for t in times]}; "
          f"{len(queries)} queries in the last one")
    if args.sql:
        for q in queries:
            print(f"  {q['time']}s  {q['sql'][:400]}")
    print(profiler.output_text(unicode=True, color=False, show_all=False))


if __name__ == "__main__":
    main()
