"""Each fast path against its plain reference, step by step, in one process:
`python -m bench.fastpaths [--size S|M] [--repeat N] [restore export]`.

The database is DATABASE_URL's (a SQLite file or PostgreSQL, as for the app); an empty one
gets the bench corpus of that size first (bench/load.py). Every step runs its fast and
plain versions alternately, `--repeat` times each, inside transactions that roll back, and
reports the medians of wall and CPU time (this process only: on PostgreSQL the server's
own work shows in the wall time). On a machine shared with other work, the CPU medians
are the steadier figure. What is compared (tests/test_fast_paths.py checks that each pair
writes the same rows or bytes):

- restore: import_jsonl of the corpus's JSONL export into the same articles, with
  annotations/bulk_fast.py against annotations/bulk.py (bulk_create, bulk_update and
  simple_history's bulk_history_create);
- export: formats.pieces() against plain.py (iterator(), Python timestamps, json.dumps /
  csv.writer) for each format, then JSONL with one step done the other way: rows through
  iterator() instead of streamed (PostgreSQL), timestamps in Python, lines by json.dumps,
  and JSON strings by json.encoder.encode_basestring (the fast path dropped in issue 11).

The figures of 2026-11-28 (M corpus, 2 cores shared with other work) are in the README
("Fast paths beside plain ones") and in the docstrings of annotations/bulk_fast.py,
exports/plain.py and exports/stream_fast.py.
"""

import argparse
import contextlib
import gc
import json
import os
import random
import statistics
import sys
import time


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def _timed(variants: dict, repeat: int) -> dict:
    """{name: (median wall s, median CPU s)}, the variants run alternately. A variant that
    returns (wall, CPU) itself has those counted instead (to leave out its setup)."""
    runs = {name: [] for name in variants}
    for _ in range(repeat):
        for name, run in variants.items():
            gc.collect()
            wall, cpu = time.perf_counter(), time.process_time()
            own = run()
            if not isinstance(own, tuple):
                own = time.perf_counter() - wall, time.process_time() - cpu
            runs[name].append(own)
    return {
        name: (statistics.median(w for w, _ in r), statistics.median(c for _, c in r))
        for name, r in runs.items()
    }


@contextlib.contextmanager
def _rolled_back():
    from django.db import transaction

    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def ensure_corpus(size_name: str) -> None:
    """Migrate, and load the bench corpus of this size into an empty database."""
    from django.core.management import call_command

    from provenance.models import Article

    from . import corpus, load

    call_command("migrate", verbosity=0, interactive=False)
    if Article.objects.exists():
        return
    size = corpus.SIZES[size_name]
    rng = random.Random(f"provenance-{size.name}")
    specs_sources = corpus.registry(size, rng)
    specs = corpus.articles(size, rng, specs_sources)
    print(f"loading the {size.name} corpus", file=sys.stderr, flush=True)
    with load.timestamps_as_given():
        users = load.make_users(size)
        sources = load.load_registry(specs_sources, users["bench-editor"])
        load.load_articles(
            specs,
            size=size,
            rng=rng,
            users=users,
            sources=sources,
            annotations_total=size.annotations,
        )
    load.analyse()


def step_export(repeat: int) -> dict:
    from exports import formats, plain, selection

    def drain(pieces):
        for _ in pieces:
            pass

    out = {}
    for fmt in ("jsonl", "csv", "jsonld"):
        context = fmt == "jsonld"
        fast_qs = selection.export_queryset({}, with_context=context)
        plain_qs = selection.export_queryset({}, with_context=context, columns=plain.COLUMNS)
        variants = {
            "fast (formats.pieces)": lambda q=fast_qs, f=fmt: drain(
                formats.pieces(f, q, base_url="https://x")
            ),
            "plain (plain.py)": lambda q=plain_qs, f=fmt: plain.export(f, q, base_url="https://x"),
        }
        if fmt == "jsonl":
            variants.update(_jsonl_steps(fast_qs, plain_qs, drain))
        count = fast_qs.count()
        out[fmt] = {"annotations": count, **_report(_timed(variants, repeat), count)}
    return out


def _jsonl_steps(fast_qs, plain_qs, drain) -> dict:
    """JSONL with one step done the plain way (or, for the JSON strings, the dropped
    fast way), the rest as formats.pieces() does it."""
    import json.encoder

    from django.db import connection

    from exports import columns, formats, plain

    def with_text_writer(write, lines):
        public, formats._json_text = formats._json_text, write
        try:
            yield from lines
        finally:
            formats._json_text = public

    steps = {
        "timestamps in Python": lambda: drain(
            formats._pieces(formats.jsonl_lines(_python_times(columns.rows(plain_qs))))
        ),
        "lines by json.dumps": lambda: drain(
            formats._pieces(plain.jsonl_lines(columns.rows(fast_qs)))
        ),
        "strings by encode_basestring": lambda: drain(
            formats._pieces(
                with_text_writer(
                    json.encoder.encode_basestring, formats.jsonl_lines(columns.rows(fast_qs))
                )
            )
        ),
    }
    if connection.vendor == "postgresql":
        steps["iterator() (not streamed)"] = lambda: drain(
            formats._pieces(formats.jsonl_lines(fast_qs.iterator(chunk_size=columns.CHUNK_SIZE)))
        )
    return steps


def _python_times(rows):
    """plain.rows()'s conversions on rows however they were read."""
    from exports import plain

    return map(plain.written, rows)


def step_restore(repeat: int) -> dict:
    from django.core.management import call_command
    from django.db import connection

    from annotations import bulk, bulk_fast, services
    from annotations.models import Annotation, SentenceReview
    from exports.restore import import_jsonl

    out = _Capture()
    call_command("export_annotations", stdout=out)
    lines = out.lines()
    real = bulk_fast.insert_annotations

    def restore(insert):
        def run():
            with _rolled_back():
                _wipe(connection, Annotation, SentenceReview)
                services.bulk_fast.insert_annotations = insert
                wall, cpu = time.perf_counter(), time.process_time()
                try:
                    report = import_jsonl(lines)
                finally:
                    services.bulk_fast.insert_annotations = real
                elapsed = time.perf_counter() - wall, time.process_time() - cpu
                assert report.created == len(lines), report
            return elapsed

        return run

    variants = {
        "fast (bulk_fast.py)": restore(real),
        "plain (bulk.py)": restore(bulk.insert_annotations),
    }
    return {"annotations": len(lines), **_report(_timed(variants, repeat), len(lines))}


def _wipe(connection, *models):
    with connection.cursor() as cursor:
        for model in models:
            for table in (model.history.model._meta.db_table, model._meta.db_table):
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608


def _report(timings: dict, count: int) -> dict:
    (fast_name, (fast_wall, fast_cpu)), *_ = timings.items()
    out = {}
    for name, (wall, cpu) in timings.items():
        out[name] = {
            "wall_s": round(wall, 3),
            "cpu_s": round(cpu, 3),
            "per_s": round(count / wall),
            "fast_gain_wall": round(wall / fast_wall, 2),
            "fast_gain_cpu": round(cpu / fast_cpu, 2),
        }
    return out


class _Capture:
    def __init__(self):
        self.parts = []

    def write(self, data):
        self.parts.append(data if isinstance(data, bytes) else data.encode())

    def flush(self):
        pass

    def lines(self):
        return b"".join(self.parts).splitlines()


STEPS = ("restore", "export")


def _print(figures: dict, indent: str = "  ") -> None:
    for name, value in figures.items():
        if isinstance(value, dict) and "wall_s" in value:
            print(
                f"{indent}{name:30s} wall {value['wall_s']:7.3f} s  cpu {value['cpu_s']:7.3f} s"
                f"  {value['per_s']:>9,}/s  fast x{value['fast_gain_wall']} wall,"
                f" x{value['fast_gain_cpu']} cpu",
                flush=True,
            )
        elif isinstance(value, dict):
            print(f"{indent}{name}", flush=True)
            _print(value, indent + "  ")


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m bench.fastpaths",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("steps", nargs="*", help=f"some of {', '.join(STEPS)} (default all)")
    parser.add_argument("--size", default="M", choices=["S", "M"])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--out", help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    if unknown := set(args.steps) - set(STEPS):
        parser.error(f"unknown step {unknown.pop()!r}; use {', '.join(STEPS)}")
    _django()
    from django.db import connection

    ensure_corpus(args.size)
    results = {"engine": connection.vendor, "size": args.size, "repeat": args.repeat}
    for step in args.steps or STEPS:
        print(f"{connection.vendor}: {step}", file=sys.stderr, flush=True)
        results[step] = globals()[f"step_{step}"](args.repeat)
        _print(results[step])
    if args.out:
        with open(args.out, "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
