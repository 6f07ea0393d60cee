"""`python -m bench.peers`: Provenance, Label Studio and doccano side by side (issue 17).

Each peer is pip-installed, pinned, into its own virtual environment under a cache folder
outside the repository (once; later runs reuse it), started as its README starts it with
SQLite in a fresh folder, and given the same workload (bench.peers.workload) through its
public HTTP API. Figures: a page of 100 items with their annotations (p95), saving one
annotation (p95), the full export (time and the server's peak memory, from a freshly
started server) and the import of articles and annotations. Each peer's figure is printed
with its ratio to Provenance's. Not a test and never run in CI: it downloads the peers.
"""

import argparse
import datetime as dt
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from ..cli import machine
from ..server import ROOT, app_env
from . import procs
from .doccano import Doccano
from .label_studio import LabelStudio
from .provenance import Provenance
from .workload import FORMAT

TOOLS = {"provenance": Provenance, "label-studio": LabelStudio, "doccano": Doccano}
CACHE = Path.home() / ".cache" / "provenance-peers"


def parse_args(argv):
    p = argparse.ArgumentParser(prog="python -m bench.peers", description=__doc__)
    p.add_argument("--annotations", type=int, default=20_000,
                   help="spans in the workload, 20 an article (default 20,000)")
    p.add_argument("--tools", default=",".join(TOOLS),
                   help=f"comma-separated, from {', '.join(TOOLS)} (default all)")
    p.add_argument("--repeat", type=int, default=50, help="requests per latency figure")
    p.add_argument("--seed", default="provenance")
    p.add_argument("--cache", default=str(CACHE),
                   help="virtual environments and workloads (default %(default)s)")
    p.add_argument("--out", default=str(ROOT / "bench" / "out" / "peers"))
    args = p.parse_args(argv)
    args.tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    if bad := [t for t in args.tools if t not in TOOLS]:
        p.error(f"unknown tool {bad[0]!r}; use {', '.join(TOOLS)}")
    return args


def say(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def load_workload(args, cache: Path) -> dict:
    name = f"{args.seed}-{args.annotations}-v{FORMAT}.json"
    path = cache / "workloads" / name
    if not path.exists():
        say(f"workload: {args.annotations:,} spans (segmenting with the importer's code)")
        path.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "bench.peers.workload", "--annotations",
                        str(args.annotations), "--seed", args.seed, "--out", str(path)],
                       cwd=ROOT, env=app_env("sqlite:///:memory:"), check=True)
    return json.loads(path.read_text())


def measure(tool, workload, args, out: Path) -> dict:
    """Every figure of one tool; the server is restarted before the export."""
    fig = {"tool": tool.name, "import": {}}
    ours = isinstance(tool, Provenance)
    if ours:  # its articles go in by a command, before the server starts
        tool.setup(workload)
        say(f"{tool.name}: import_articles")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        _, fig["import"]["articles_s"] = procs.timed(lambda: tool.import_articles(workload))
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        fig["import"]["articles_cpu_s"] = round(
            after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, 2)
    tool.start()
    try:
        if not ours:
            tool.setup(workload)
        say(f"{tool.name}: import")
        cpu = sum(p.cpu() for p in tool.processes())
        _, fig["import"]["annotations_s"] = procs.timed(lambda: tool.import_(workload))
        fig["import"]["annotations_cpu_s"] = round(
            sum(p.cpu() for p in tool.processes()) - cpu, 2)
        parts = fig["import"]
        if ours:  # suggestions, computed after the import by the task worker
            say(f"{tool.name}: waiting for the task worker's suggestions")
            _, parts["suggestions_after_s"] = procs.timed(tool.drain)
        parts["seconds"] = round(parts.get("articles_s", 0) + parts["annotations_s"], 2)
        parts["cpu_s"] = round(parts.get("articles_cpu_s", 0) + parts["annotations_cpu_s"], 2)
        say(f"{tool.name}: pages of 100")
        fig["page"] = procs.latencies(tool.page, args.repeat)
        say(f"{tool.name}: saves")
        if ours:
            fig["save"] = tool.saves(args.repeat)["create"]
        else:
            articles = workload["articles"]
            fig["save"] = procs.latencies(lambda i: tool.save(i, articles[i]), args.repeat)
    finally:
        tool.stop()
    say(f"{tool.name}: export")
    fig["export"] = export(tool, out / f"export-{tool.name.split()[0].lower()}")
    return fig


def export(tool, path) -> dict:
    """The whole export from a freshly started server, so its peak memory is the export's."""
    if isinstance(tool, Provenance):
        return tool.export(path)  # bench.figures.export, a fresh one-worker server
    tool.start()
    try:
        with procs.PeakWatch(*tool.processes()) as watch:
            result, seconds = procs.timed(lambda: tool.export(path))
        return {**result, "seconds": seconds, "peak_mb": watch.peak}
    finally:
        tool.stop()


# (figure, unit, how to read it from a tool's results)
ROWS = [
    ("page of 100 with annotations, p95", "ms", lambda f: f["page"].get("p95_ms")),
    ("save one annotation, p95", "ms", lambda f: f["save"].get("p95_ms")),
    ("full export", "s", lambda f: f["export"].get("seconds")),
    ("export, server peak memory", "MB", lambda f: f["export"].get("peak_mb")),
    ("import articles + annotations", "s", lambda f: f["import"].get("seconds")),
    ("import, CPU of the tool's processes", "s", lambda f: f["import"].get("cpu_s")),
    ("then suggestions in the background", "s",
     lambda f: f["import"].get("suggestions_after_s")),
]


def ratio(peer, ours):
    """How many times Provenance's figure the peer's is (above 1: Provenance is ahead)."""
    if not peer or not ours:
        return None
    return round(peer / ours, 2)


def table(results: dict) -> str:
    tools = results["tools"]
    ours = tools.get("provenance")
    head = ["figure", *[tools[t]["tool"] for t in tools]]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name, unit, read in ROWS:
        cells = [name]
        for key, fig in tools.items():
            value = read(fig)
            cell = "n/a" if value is None else f"{value:,} {unit}"
            r = ratio(value, read(ours)) if ours and key != "provenance" else None
            cells.append(cell + (f" (×{r})" if r is not None else ""))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv=None):
    args = parse_args(argv if argv is not None else sys.argv[1:])
    cache, out = Path(args.cache).expanduser(), Path(args.out)
    cache.mkdir(parents=True, exist_ok=True)
    out.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(out / "work", ignore_errors=True)  # every tool starts from nothing
    log = out / "peers.log"
    log.write_text("")
    workload = load_workload(args, cache)
    results = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(), "load_average_before": os.getloadavg(),
        "command": "python -m bench.peers " + " ".join(argv or sys.argv[1:]),
        "workload": {"articles": len(workload["articles"]),
                     "annotations": workload["annotations"],
                     "reviewers": len(workload["reviewers"]), "seed": args.seed},
        "tools": {},
    }
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                   cwd=ROOT, env=app_env("sqlite:///:memory:"), check=True)
    for key in args.tools:
        say(f"{key}: installing (once) and starting")
        tool = TOOLS[key](cache, out / "work", log)
        results["tools"][key] = measure(tool, workload, args, out)
        # After each tool, so a run stopped halfway keeps what it measured.
        results["load_average_after"] = os.getloadavg()
        (out / "results.json").write_text(json.dumps(results, indent=2))
    print(table(results))
    print(f"\nload average before/after: {results['load_average_before'][1]:.1f} / "
          f"{results['load_average_after'][1]:.1f} (5 min); results: {out / 'results.json'}")
    return results
