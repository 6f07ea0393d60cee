"""`python -m bench`: build the corpus, start the production server, measure, report.

Every figure of issue 7 that has something to measure is measured in one run on one
machine, so the ratios (L/S, import/pysbd, peak memory L/S) compare like with like. A
figure whose endpoint or command does not exist yet is reported as "n/a (not built yet)".
"""

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

from . import browser, figures, loadtest, report
from .server import ROOT, Postgres, Server, Sqlite, app_env

EXPORT_FORMATS = ("jsonl", "csv", "jsonld")


def parse_args(argv):
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    p.add_argument("--sizes", default="S,M", help="comma-separated: S, M, L (default S,M)")
    p.add_argument("--engine", default="sqlite", choices=["sqlite", "postgres", "both"])
    p.add_argument("--out", default=str(ROOT / "bench" / "out"))
    p.add_argument("--seed", default="provenance", help="corpus seed (same seed, same corpus)")
    p.add_argument("--load-seconds", type=float, default=60.0,
                   help="duration of the load test per engine (default 60)")
    p.add_argument("--think-seconds", type=float, default=1.0,
                   help="a simulated reviewer's pause after each save (default 1)")
    p.add_argument("--stress-seconds", type=float, default=30.0,
                   help="then the same load with no pauses at all, for this long "
                        "(default 30; 0 skips it)")
    p.add_argument("--repeat", type=int, default=50,
                   help="requests per latency figure (default 50)")
    p.add_argument("--no-browser", action="store_true", help="skip the Chromium figure")
    p.add_argument("--server-workers", type=int, default=None,
                   help="gunicorn workers per instance (default: serve.sh's 2 x cores + 1)")
    p.add_argument("--import-articles", type=int, default=100,
                   help="articles of the S corpus the import figure imports (default all 100)")
    p.add_argument("--quiet", action="store_true")
    args = p.parse_args(argv)
    args.sizes = [s.strip().upper() for s in args.sizes.split(",") if s.strip()]
    if bad := [s for s in args.sizes if s not in ("S", "M", "L")]:
        p.error(f"unknown size {bad[0]!r}; use S, M or L")
    return args


class Run:
    def __init__(self, args):
        self.args = args
        self.out = Path(args.out)
        self.work = self.out / "work"
        self.work.mkdir(parents=True, exist_ok=True)
        self.log = self.out / "bench.log"
        self.log.write_text("")

    def say(self, message):
        if not self.args.quiet:
            print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    def stage(self, task, database_url, **options) -> dict:
        """Run `python -m bench.stage TASK` against one database; returns its JSON."""
        result = self.work / f"{task}.json"
        cmd = [sys.executable, "-m", "bench.stage", task, "--out", str(result),
               "--seed", self.args.seed]
        for key, value in options.items():
            if value is True:
                cmd.append(f"--{key.replace('_', '-')}")
            elif value not in (None, False):
                cmd += [f"--{key.replace('_', '-')}", str(value)]
        if not self.args.quiet:
            cmd.append("--verbose")
        with open(self.log, "ab") as log:
            done = subprocess.run(cmd, cwd=ROOT, env=app_env(database_url), stdout=log,
                                  stderr=None if not self.args.quiet else log, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"bench.stage {task} failed; see {self.log}")
        return json.loads(result.read_text())


def measure_engine(run: Run, engine: str, cluster) -> dict:
    args = run.args
    results = {"sizes": {}}
    sizes = [s for s in args.sizes if not (engine == "sqlite" and s == "L")]
    if "L" in args.sizes and engine == "sqlite":
        results["note"] = "L runs on PostgreSQL only."
    run.say(f"{engine}: import_articles against pysbd alone (S corpus)")
    results["import"] = run.stage("import", cluster.database("bench_import"), size="S",
                                  limit=args.import_articles)
    restore_size = "M" if "M" in sizes else sizes[0]
    for size in sizes:
        name = f"bench_{size.lower()}"
        url = cluster.database(name)
        run.say(f"{engine} {size}: loading the corpus")
        loaded = run.stage("load", url, size=size)
        manifest = loaded.pop("manifest")
        fig = {"corpus": loaded}
        run.say(f"{engine} {size}: workspace render ({loaded['long_article']})")
        fig["workspace"] = run.stage(
            "workspace", url, article=loaded["long_article"]["id"], repeat=min(args.repeat, 20)
        )
        with Server(url, workers=args.server_workers, log=run.log) as server:
            run.say(f"{engine} {size}: claims pages")
            fig["claims"] = figures.claims(server.url, manifest, n=args.repeat)
            run.say(f"{engine} {size}: annotation saves, one reviewer")
            fig["saves"] = figures.api_saves(server.url, manifest, n=args.repeat)
            if not args.no_browser:
                run.say(f"{engine} {size}: key press to highlight in Chromium")
                fig["browser"] = browser.key_to_highlight(
                    server.url, manifest, loaded["long_article"]["id"],
                    n=min(args.repeat, 20),
                )
        fig["export"] = {}
        for fmt in EXPORT_FORMATS:
            run.say(f"{engine} {size}: export {fmt}")
            save_to = run.work / f"export-{size}.jsonl" if (
                fmt == "jsonl" and size == restore_size) else None
            # A fresh single-worker server per format: its peak memory is this export's.
            with Server(url, workers=1, setup=False, log=run.log) as server:
                fig["export"][fmt] = figures.export(server, manifest, fmt, save_to=save_to)
        if size == restore_size:
            fig["import_annotations"] = restore(run, cluster, size, save_to=run.work /
                                                f"export-{size}.jsonl")
        fig["database_size"] = cluster.size_of(name)
        results["sizes"][size] = fig
        last = (url, manifest, size)
    url, manifest, size = last
    results["load"] = load_test(run, engine, cluster, url, manifest, size)
    return results


def restore(run, cluster, size, *, save_to) -> dict:
    if not save_to.exists():
        return figures.NOT_BUILT
    run.say(f"import_annotations: restoring the {size} export into a fresh database")
    url = cluster.database(f"bench_restore_{size.lower()}")
    run.stage("load", url, size=size, no_annotations=True)
    result = run.stage("import_annotations", url, input=save_to)
    result["size"] = size
    return result


def load_test(run, engine, cluster, url, manifest, size) -> dict:
    """20 reviewers and 5 readers against the production server; two instances on PostgreSQL.

    First at a reviewer's pace (the target's figure), then with no pauses (stress).
    """
    instances = 2 if engine == "postgres" else 1
    args = run.args
    runs = [("paced", args.load_seconds, args.think_seconds)]
    if args.stress_seconds > 0:
        runs.append(("stress", args.stress_seconds, 0.0))
    # Each simulated reviewer alternates between the instances, so its connection to one
    # idles while the other answers; a keep-alive shorter than that makes the server close
    # it just as the client reuses it (a reset no real user behind a load balancer sees).
    workers = args.server_workers
    results, acked = {}, {}
    with contextlib.ExitStack() as stack:
        servers = [stack.enter_context(Server(url, workers=workers, keepalive=60, log=run.log))]
        if instances == 2:
            servers.append(stack.enter_context(
                Server(url, workers=workers, setup=False, keepalive=60, log=run.log)))
        for part, (name, seconds, think) in enumerate(runs):
            run.say(f"{engine} {size}: load test ({name}), {seconds:.0f} s, "
                    f"{instances} server(s)")
            result = loadtest.run([s.url for s in servers], manifest, seconds=seconds,
                                  think=think, part=part, parts=len(runs))
            acked.update(result.pop("acknowledged"))
            result["size"] = size
            results[name] = result
    path = run.work / "acknowledged.json"
    path.write_text(json.dumps(acked))
    writes = run.stage("check_writes", url, input=path)
    out = results["paced"]
    out["writes"] = writes  # every acknowledged write of both runs
    if "stress" in results:
        out["stress"] = results["stress"]
    return out


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem = int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024
    except OSError:
        mem = 0
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": round(mem),
            "python": platform.python_version(), "os": platform.platform()}


def main(argv=None):
    args = parse_args(argv if argv is not None else sys.argv[1:])
    run = Run(args)
    engines = ["sqlite", "postgres"] if args.engine == "both" else [args.engine]
    results = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "command": "python -m bench " + " ".join(argv if argv is not None else sys.argv[1:]),
        "engines": {},
    }
    started = time.perf_counter()
    # DEBUG off serves hashed static files, whose manifest collectstatic writes.
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                   cwd=ROOT, env=app_env("sqlite:///:memory:"), check=True)
    for engine in engines:
        cluster = Postgres() if engine == "postgres" else Sqlite(run.work / "sqlite")
        with cluster:
            results["engines"][engine] = measure_engine(run, engine, cluster)
    results["ratios"] = report.ratios(results)
    results["targets"] = report.targets(results)
    results["seconds"] = round(time.perf_counter() - started)
    (run.out / "results.json").write_text(json.dumps(results, indent=2))
    print(report.table(results))
    chart = report.chart(results, run.out / "claims-latency.png")
    print(f"\nresults: {run.out / 'results.json'}" + (f"; chart: {chart}" if chart else ""))
    return results
