"""Turn results.json into the printed table, the targets verdict and the PNG chart."""

from pathlib import Path

NA = "n/a (not built yet)"
SIZES = ("S", "M", "L")


def _get(d, *keys):
    for key in keys:
        if not isinstance(d, dict) or key not in d:
            return None
        d = d[key]
    return d


def _sizes(engine_result):
    return [s for s in SIZES if s in engine_result.get("sizes", {})]


def ratios(results) -> dict:
    """Every ratio from figures of this one run: L/S (or the largest size over S)."""
    out = {}
    for engine, er in results["engines"].items():
        sizes = _sizes(er)
        r = {"import_over_pysbd": _get(er, "import", "serial", "ratio_to_pysbd"),
             "import_workers2_over_pysbd": _get(er, "import", "workers2", "ratio_to_pysbd")}
        if len(sizes) > 1 and sizes[0] == "S":
            big = sizes[-1]
            key = f"{big}/S"
            claims = {}
            for variant in ("none", "label", "source", "reviewer", "q"):
                small = _get(er, "sizes", "S", "claims", variant, "p95_ms")
                large = _get(er, "sizes", big, "claims", variant, "p95_ms")
                if small and large:
                    claims[variant] = round(large / small, 2)
            r[f"claims_p95_{key}"] = claims or None
            small = _get(er, "sizes", "S", "export", "jsonl", "peak_mb")
            large = _get(er, "sizes", big, "export", "jsonl", "peak_mb")
            if small and large:
                r[f"export_peak_memory_{key}"] = round(large / small, 2)
                r[f"export_peak_memory_{key}_difference_mb"] = round(large - small, 1)
        out[engine] = r
    return out


def _verdict(ok):
    return None if ok is None else ("met" if ok else "missed")


def targets(results) -> list[dict]:
    """Each target of issue 7 with the figure that decides it, per engine."""
    rows = []
    for engine, er in results["engines"].items():
        sizes = _sizes(er)
        if not sizes:
            continue

        def add(target, figure, ok, where="", engine=engine):
            rows.append({"engine": engine, "target": target, "figure": figure,
                         "verdict": ok if ok == "info" else (_verdict(ok) or NA),
                         "where": where})

        rat = results["ratios"][engine]
        _import_targets(add, er, rat, sizes)
        _read_targets(add, er, rat, sizes[-1])
        _page_targets(add, er, sizes[-1])
        _load_targets(add, er, sizes[-1])
    return rows


def _import_targets(add, er, rat, sizes):
    imp = rat["import_over_pysbd"]
    add("import_articles within 15% of pysbd alone", f"x{imp}" if imp else None,
        imp <= 1.15 if imp else None, "S corpus")
    par = rat["import_workers2_over_pysbd"]
    if par:
        add("import_articles --workers 2 within 15% of pysbd alone", f"x{par}",
            par <= 1.15, "S corpus")
    restored = _get(er, "sizes", *[s for s in sizes if _get(er, "sizes", s,
                                                             "import_annotations")][:1],
                    "import_annotations")
    rate = _get(restored, "annotations_per_s") if restored else None
    add("import_annotations >= 10,000 annotations/s",
        f"{rate:,}/s" if rate else None, rate >= 10_000 if rate else None,
        _get(restored, "size") or "")


def _read_targets(add, er, rat, big):
    """Claims pages and exports at the biggest size."""
    p95 = _get(er, "sizes", big, "claims", "none", "p95_ms")
    worst = max((v.get("p95_ms") or 0) for v in er["sizes"][big].get("claims", {}).values()
                if isinstance(v, dict)) if isinstance(
                    _get(er, "sizes", big, "claims", "none"), dict) else None
    add("claims page of 100: p95 < 50 ms (no filter / worst filter)",
        f"{p95} / {worst} ms" if p95 else None, worst < 50 if worst else None, big)
    claims_ratio = rat.get(f"claims_p95_{big}/S")
    if claims_ratio:
        top = max(claims_ratio.values())
        add(f"claims p95 {big}/S < 2", f"max x{top}", top < 2, f"{big}/S")
    exp = _get(er, "sizes", big, "export", "jsonl")
    rate = _get(exp, "annotations_per_s")
    add("export JSONL >= 50,000 annotations/s", f"{rate:,}/s" if rate else None,
        rate >= 50_000 if rate else None, big)
    peak = _get(exp, "peak_mb")
    add("export server peak memory < 150 MB", f"{peak} MB" if peak else None,
        peak < 150 if peak else None, big)
    diff = rat.get(f"export_peak_memory_{big}/S_difference_mb")
    if diff is not None:
        add(f"export peak memory within 30 MB between S and {big}", f"{diff:+} MB",
            abs(diff) <= 30, f"{big}/S")


def _page_targets(add, er, big):
    """Issue 17: the long article's pages (500 sentences, 2,000 annotations) and the key
    press to a saved highlight."""
    ws = _get(er, "sizes", big, "workspace") or {}
    for name, page in (("workspace (editor: every annotation)", ws.get("editor")),
                       ("adjudication", ws.get("adjudication"))):
        p95 = _get(page, "p95_ms") if isinstance(page, dict) else None
        add(f"{name} server render p95 < 100 ms", f"{p95} ms" if p95 else None,
            p95 < 100 if p95 else None, big)
    key = _get(er, "sizes", big, "browser", "p95_ms")
    add("key press to saved highlight p95 < 50 ms (Chromium)", f"{key} ms" if key else None,
        key < 50 if key else None, big)


def _load_targets(add, er, big):
    """Saves alone at the biggest size, and under the load test."""
    save = max(filter(None, [_get(er, "sizes", big, "saves", k, "p95_ms")
                             for k in ("create", "update")]), default=None)
    add("save p95 < 15 ms alone (create/update)", f"{save} ms" if save else None,
        save < 15 if save else None, big)
    load = er.get("load") or {}
    lp95 = _get(load, "saves", "p95_ms")
    add("save p95 < 250 ms under load (reviewers' pace)", f"{lp95} ms" if lp95 else None,
        lp95 < 250 if lp95 else None, load.get("size", ""))
    stress = load.get("stress") or {}
    if stress:
        add("save p95 under stress (no pauses; reported, no target)",
            f"{_get(stress, 'saves', 'p95_ms')} ms", "info", load.get("size", ""))
    errors, lost = load.get("errors"), _get(load, "writes", "lost")
    if errors is not None and stress:
        errors += stress.get("errors") or 0
    add("zero errors and zero lost writes under load",
        f"{errors} errors, {lost} lost of {_get(load, 'writes', 'acknowledged')}"
        if errors is not None else None,
        (errors == 0 and lost == 0) if errors is not None else None, load.get("size", ""))


def _fmt_latency(d):
    if not isinstance(d, dict):
        return NA
    if "status" in d:
        return d["status"]
    if not d.get("n"):
        return "no data"
    return f"{d['p50_ms']:.1f} / {d['p95_ms']:.1f} ms"


def _fmt_render(d):
    """A page's render: wall p50 / p95, then CPU (what the shared machine's load leaves
    out) and the query count."""
    text = _fmt_latency(d)
    if isinstance(d, dict) and d.get("cpu_p95_ms") is not None:
        text += f" (CPU {d['cpu_p50_ms']:.1f} / {d['cpu_p95_ms']:.1f} ms)"
    if isinstance(d, dict) and "queries" in d:
        text += f", {d['queries']} queries"
    return text


def table(results) -> str:
    m = results["machine"]
    lines = [
        f"Provenance benchmark, {results['date']}",
        f"machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GB, Python {m['python']}",
        "",
    ]
    for engine, er in results["engines"].items():
        lines.append(f"== {engine}" + (f" ({er['note']})" if er.get("note") else ""))
        rows = _import_rows(er.get("import", {}))
        for size in _sizes(er):
            rows += _size_rows(size, er["sizes"][size])
        if er.get("load"):
            rows += _load_rows(er["load"])
        width = max(len(r[0]) for r in rows)
        lines += [f"  {name:<{width}}  {value}" for name, value in rows]
        lines.append("")
    lines.append("== targets")
    for t in results["targets"]:
        lines.append(f"  [{t['verdict']:>6}] {t['engine']:<8} {t['target']}: "
                     f"{t['figure'] or NA} {('(' + t['where'] + ')') if t['where'] else ''}")
    return "\n".join(lines)


def _import_rows(imp) -> list[tuple]:
    rows = []
    for name in ("serial", "workers2"):
        if name in imp:
            x = imp[name]
            rows.append((f"import_articles ({name}), S corpus",
                         f"{x['articles_per_s']} articles/s, {x['sentences_per_s']} "
                         f"sentences/s, x{x['ratio_to_pysbd']} pysbd"
                         + (f" (CPU x{x['cpu_ratio_to_pysbd']})"
                            if x.get("cpu_ratio_to_pysbd") else "")
                         + (f", speed-up x{x['speedup']}" if "speedup" in x else "")))
    if "pysbd_seconds" in imp:
        rows.append(("pysbd alone, same texts",
                     f"{imp['pysbd_seconds']} s for {imp['pysbd_sentences']} sentences"))
    return rows


def _size_rows(size, f) -> list[tuple]:
    """The corpus, workspace, save, claims, export and restore figures of one size."""
    c = f["corpus"]["counts"]
    rows = [(f"[{size}] corpus",
             f"{c['articles']:,} articles, {c['sentences']:,} sentences, "
             f"{c['annotations']:,} annotations ({c['annotation_history']:,} history "
             f"rows), {c['sources']:,} sources, loaded in "
             f"{f['corpus']['load_seconds']} s, {f.get('database_size', '')}")]
    bad = {k: v for k, v in f["corpus"]["checks"].items() if v}
    rows.append((f"[{size}] corpus checks", "all passed" if not bad else f"FAILED {bad}"))
    ws = f.get("workspace", {})
    for name, page in (("workspace render (server, reviewer)", ws),
                       ("workspace render (server, editor)", ws.get("editor")),
                       ("adjudication render (server)", ws.get("adjudication"))):
        if page is not None:
            rows.append((f"[{size}] {name}, p50 / p95", _fmt_render(page)))
    br = f.get("browser")
    if br is not None:
        rows.append((f"[{size}] key press to highlight (Chromium), p50 / p95",
                     _fmt_latency(br) + (f", page load {br['page_load_ms']} ms"
                                         if "page_load_ms" in br else "")))
    sv = f.get("saves", {})
    rows.append((f"[{size}] API create, p50 / p95", _fmt_latency(sv.get("create"))))
    rows.append((f"[{size}] API update, p50 / p95", _fmt_latency(sv.get("update"))))
    return rows + _claims_rows(size, f.get("claims", {})) + _export_rows(size, f)


def _claims_rows(size, cl) -> list[tuple]:
    if "status" in cl:
        return [(f"[{size}] claims page of 100", cl["status"])]
    return [(f"[{size}] claims page of 100, filter {variant}, p50 / p95", _fmt_latency(v))
            for variant, v in cl.items()]


def _export_rows(size, f) -> list[tuple]:
    rows = []
    for fmt, v in f.get("export", {}).items():
        if "status" in v:
            rows.append((f"[{size}] export {fmt}", v["status"]))
        else:
            rows.append((f"[{size}] export {fmt}",
                         f"{v['annotations']:,} in {v['seconds']} s = "
                         f"{v['annotations_per_s']:,}/s, server peak {v['peak_mb']} MB"))
    ia = f.get("import_annotations")
    if ia is not None:
        rows.append((f"[{size}] import_annotations (restore the export)",
                     ia.get("status") or f"{ia['annotations']:,} in {ia['seconds']} s = "
                     f"{ia['annotations_per_s']:,}/s"))
    return rows


def _load_rows(load) -> list[tuple]:
    rows = []
    w = load["writes"]
    for name, run in (("", load), ("stress, no pauses, ", load.get("stress"))):
        if not run:
            continue
        pace = f"reviewers pause {run['think_seconds']} s, " if run.get(
            "think_seconds") else ""
        rows.append((f"load test [{run['size']}], {name}{run['servers']} server(s), "
                     f"{run['seconds']} s"
                     + (", session shared" if run.get(
                         "session_from_first_server_accepted_by_second") else ""),
                     f"{pace}{run['requests_per_s']} req/s; saves "
                     f"{_fmt_latency(run['saves'])}; reads ({run['reader_endpoint']}) "
                     f"{_fmt_latency(run['reads'])}; {run['errors']} errors"))
    rows.append(("load tests: acknowledged writes found afterwards",
                 f"{w['found']} of {w['acknowledged']} ({w['lost']} lost)"))
    return rows


def chart(results, path: Path):
    """Claims-page latency against corpus size, if matplotlib is installed."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    fig, ax = plt.subplots(figsize=(7, 4.2), dpi=100)
    plotted = False
    for engine, er in results["engines"].items():
        series = {
            "no filter, p95": ("none", "p95_ms", "-"),
            "no filter, p50": ("none", "p50_ms", "--"),
            "q filter, p95": ("q", "p95_ms", ":"),
        }
        for name, (variant, key, style) in series.items():
            xs, ys = [], []
            for size in _sizes(er):
                v = _get(er, "sizes", size, "claims", variant)
                if isinstance(v, dict) and v.get("n"):
                    xs.append(er["sizes"][size]["corpus"]["counts"]["annotations"])
                    ys.append(v[key])
            if xs:
                ax.plot(xs, ys, marker="o", linestyle=style, label=f"{engine}: {name}")
                plotted = True
    if not plotted:
        plt.close(fig)
        return None
    ax.axhline(50, color="grey", linewidth=0.8, label="target: p95 50 ms")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("annotations in the database")
    ax.set_ylabel("claims page of 100 (ms)")
    ax.set_title("Claims API latency against corpus size")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path
