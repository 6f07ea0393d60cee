"""Running the extraction benchmark (bench/extraction.py, whose docstring says what it
measures and how it scores) and reporting it: pages measured in parallel, tables by
subset, language and encoding, metadata, the worst pages, and the JSON of it all.
"""

import argparse
import json
import os
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .extraction import (
    EXTRACTORS,
    METADATA_FIELDS,
    Output,
    Score,
    available,
    score,
    summarise,
    tokens,
    trafilatura_metadata,
    version_of,
)
from .extraction import __doc__ as BENCHMARK_DOC
from .extraction_pages import DATA, Page, load_l3s, load_pages


# --- Running and reporting -------------------------------------------------------------
@dataclass
class Result:
    score: Score
    error: str
    empty: bool
    tokens: int
    seconds: float
    metadata: dict | None


_PAGES: list[Page] = []


def measure(index: int, names: list[str]) -> dict[str, Result]:
    """Every extractor in `names` on page `index` of _PAGES, scored."""
    page = _PAGES[index]
    results = {}
    for name in names:
        started = time.perf_counter()
        try:
            output = EXTRACTORS[name][1](page)
        except Exception as exc:  # an extractor crashing on a page is a result too
            output = Output(error=f"crash: {type(exc).__name__}: {exc}"[:200])
        seconds = time.perf_counter() - started
        if name == "trafilatura":
            try:
                output.metadata = trafilatura_metadata(page)
            except Exception as exc:
                output.metadata = {"error": f"{type(exc).__name__}: {exc}"}
        results[name] = Result(
            score=score(page.gold, output.text),
            error=output.error,
            empty=not output.text.strip(),
            tokens=len(tokens(output.text)),
            seconds=seconds,
            metadata=output.metadata,
        )
    return results


def _measure_star(args):
    return measure(*args)


def run(pages, names, *, jobs=1, per_page=True, out=None):
    """{extractor: {page id: Result}}, printing a line per page as it is measured."""
    out = out or sys.stdout
    import multiprocessing

    _PAGES[:] = pages
    results = {name: {} for name in names}
    width = max(len(p.id) for p in pages)
    if per_page:
        print(
            f"{'page':<{width}} lang encoding     "
            + "  ".join(f"{n[:17]:>17}" for n in names)
            + "   (P/R/F1)",
            file=out,
        )
    work = [(i, names) for i in range(len(pages))]
    if jobs > 1:
        pool = multiprocessing.get_context("fork").Pool(jobs, maxtasksperchild=50)
        measured = pool.imap(_measure_star, work, chunksize=2)
    else:
        pool, measured = None, map(_measure_star, work)
    try:
        for page, by_name in zip(pages, measured, strict=True):
            cells = []
            for name in names:
                r = by_name[name]
                results[name][page.id] = r
                if r.error:
                    cells.append(f"{r.error[:17]:>17}")
                else:
                    p = "   -" if r.score.precision is None else f"{r.score.precision:.2f}"
                    cells.append(f"{p}/{r.score.recall or 0:.2f}/{r.score.f1:.2f}")
            if per_page:
                print(
                    f"{page.id:<{width}} {page.lang:<4} {page.encoding:<12} "
                    + "  ".join(f"{c:>17}" for c in cells),
                    file=out,
                    flush=True,
                )
    finally:
        if pool:
            pool.close()
            pool.join()
    return results


def group_summaries(pages, results, names, key):
    groups = {}
    for page in pages:
        groups.setdefault(key(page), []).append(page)
    table = {}
    for group, members in sorted(groups.items()):
        table[group] = {}
        for name in names:
            rows = [results[name][p.id] for p in members]
            table[group][name] = summarise(
                [r.score for r in rows], sum(r.empty for r in rows), [r.seconds for r in rows]
            )
    return table


def print_table(title, table, names, out=None):
    out = out or sys.stdout
    print(f"\n== {title}", file=out)
    print(f"{'':<22} {'extractor':<22} {'pages':>5} {'precision':>13} {'recall':>13} "
          f"{'F1':>13} {'page F1':>7} {'empty':>5} {'<0.5':>4} {'ms/page':>7}", file=out)
    for group, by_name in table.items():
        for name in names:
            f = by_name[name]
            print(f"{group:<22} {name:<22} {f['pages']:>5} "
                  f"{f['precision']:.3f} ± {f['precision_sd']:.3f} "
                  f"{f['recall']:.3f} ± {f['recall_sd']:.3f} "
                  f"{f['f1']:.3f} ± {f['f1_sd']:.3f} {f['page_f1']:>7.3f} {f['empty']:>5} "
                  f"{f['below_0_5']:>4} {f['ms_per_page']:>7.0f}", file=out)


def metadata_shares(pages, results, name="trafilatura") -> dict:
    """Share of pages for which extractor `name` fills each field, and, for
    comparison, the share whose markup declares a language (<html lang>)."""
    shares = {}
    groups = {}
    for page in pages:
        groups.setdefault(page.subset, []).append(page)
    groups["all"] = pages
    for group, members in groups.items():
        metas = [results[name][p.id].metadata or {} for p in members]
        shares[group] = {name: sum(bool(m.get(name)) for m in metas) / len(members)
                         for name in METADATA_FIELDS}
        shares[group]["pages"] = len(members)
        shares[group]["<html lang> declared"] = (
            sum(bool(p.html_lang) for p in members) / len(members))
    return shares


def language_group(page: Page) -> str:
    group = "en" if page.lang == "en" else "zh/ja" if page.lang in ("zh", "ja") else "other"
    return f"{page.subset}:{group}"


def _norm(value) -> str:
    return " ".join(re.findall(r"\w+", str(value or "").casefold()))


def metadata_accuracy(pages, results, name="trafilatura") -> dict:
    """Against pages whose gold names a title, author or date (WCXB's): the share where
    trafilatura's value agrees. Title: the same words, or the gold title's words all in
    trafilatura's (a site name appended); author: every gold author word in trafilatura's;
    date: the same day."""
    rows = {"title": [], "author": [], "date": []}
    for page in pages:
        meta = results[name][page.id].metadata or {}
        gold = page.gold_meta
        if gold.get("title"):
            want, got = _norm(gold["title"]), _norm(meta.get("title"))
            rows["title"].append(bool(got) and (want == got or f" {want} " in f" {got} "))
        if gold.get("author"):
            got = set(_norm(meta.get("author")).split())
            rows["author"].append(bool(got) and set(_norm(gold["author"]).split()) <= got)
        if gold.get("date"):
            rows["date"].append(str(meta.get("date") or "")[:10] == str(gold["date"])[:10])
    return {name: {"pages": len(v), "agree": sum(v) / len(v) if v else None}
            for name, v in rows.items()}


def worst(pages, results, name, limit=12):
    rows = sorted(pages, key=lambda p: results[name][p.id].score.f1)[:limit]
    return [(p.id, p.lang, p.encoding, results[name][p.id]) for p in rows]


def main(argv=None):
    args = _arguments(argv)
    pages = _chosen_pages(args)
    names, skipped = _chosen_extractors(args)
    print(f"{len(pages)} pages; extractors: "
          + ", ".join(f"{n} ({EXTRACTORS[n][0]})" for n in names))
    print("versions: " + ", ".join(f"{d} {version_of(d) or '-'}" for d in VERSIONED))
    for name, why in skipped.items():
        print(f"skipped {name}: {why}")

    results = run(pages, names, jobs=args.jobs, per_page=not args.summary_only)
    groups = _print_groups(pages, results, names)
    shares, accuracy = _print_metadata(pages, results, names)
    _print_worst(pages, results, names)
    if args.json:
        args.json.write_text(json.dumps({
            "extractors": {n: EXTRACTORS[n][0] for n in names},
            "skipped": skipped,
            "versions": {d: version_of(d) for d in VERSIONED},
            **groups, "metadata": shares, "metadata_accuracy": accuracy,
            "pages": {pg.id: _page_json(pg, results, names) for pg in pages},
        }, indent=1, ensure_ascii=False, default=str))


VERSIONED = ("trafilatura", "readability-lxml", "bleach", "lxml")


def _arguments(argv):
    p = argparse.ArgumentParser(prog="python -m bench.extraction", description=BENCHMARK_DOC,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", type=Path, default=DATA, help="the set (default %(default)s)")
    p.add_argument("--subset", action="append",
                   help="only this subset (repeatable): aeb, readability, transcoded, wcxb")
    p.add_argument("--l3s", type=Path, help="a local copy of L3S-GN1 (its folder holding "
                   "original/ and annotated/); research-use licence, never committed")
    p.add_argument("--extractor", action="append", choices=list(EXTRACTORS),
                   help="only this extractor (repeatable; default all that are installed)")
    p.add_argument("--limit", type=int, help="the first N pages of each subset")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1,
                   help="pages measured in parallel (default: one per core)")
    p.add_argument("--summary-only", action="store_true", help="no per-page lines")
    p.add_argument("--json", type=Path, help="write per-page results and summaries here")
    return p.parse_args(argv)


def _chosen_pages(args) -> list[Page]:
    pages = load_pages(args.data)
    if args.l3s:
        pages += load_l3s(args.l3s)
    if args.subset:
        pages = [pg for pg in pages if pg.subset in args.subset
                 or (pg.subset == "l3s-gn1" and args.l3s)]
    if args.limit:
        seen = Counter()
        kept = []
        for pg in pages:
            seen[pg.subset] += 1
            if seen[pg.subset] <= args.limit:
                kept.append(pg)
        pages = kept
    return pages


def _chosen_extractors(args) -> tuple[list[str], dict]:
    """(the extractors to run, {extractor not installed: why})."""
    names, skipped = [], {}
    for name in args.extractor or list(EXTRACTORS):
        why = available(EXTRACTORS[name][2])
        if why:
            skipped[name] = why
        else:
            names.append(name)
    return names, skipped


def _print_groups(pages, results, names) -> dict:
    """The tables by subset, language and encoding; returns them for the JSON."""
    by_subset = group_summaries(pages, results, names, lambda pg: pg.subset)
    print_table("by subset (aeb, human-marked, is the headline figure)", by_subset, names)
    sets = [pg for pg in pages if pg.subset != "transcoded"]
    by_lang = group_summaries(sets, results, names, language_group)
    print_table("by language (en, zh/ja, other) within each subset", by_lang, names)
    transcoded = [pg for pg in pages if pg.subset == "transcoded"]
    by_encoding = {}
    if transcoded:
        by_encoding = group_summaries(
            transcoded, results, names,
            lambda pg: pg.encoding + ("" if pg.declared else " (undeclared)"))
        print_table("transcoded pages by encoding (gold = the UTF-8 original's)",
                    by_encoding, names)
    return {"by_subset": by_subset, "by_language": by_lang, "by_encoding": by_encoding}


def _print_metadata(pages, results, names) -> tuple[dict, dict]:
    """What metadata the importer and trafilatura fill, and how often it is right."""
    shares, accuracy = {}, {}
    for name in ("importer", "trafilatura"):
        if name not in names:
            continue
        shares[name] = metadata_shares(pages, results, name)
        print(f"\n== metadata {name} fills (share of pages)")
        columns = [*METADATA_FIELDS, "<html lang> declared"]
        print(f"{'subset':<14} {'pages':>5} " + " ".join(f"{c:>9}" for c in columns[:-1])
              + "  <html lang>")
        for group, row in shares[name].items():
            print(f"{group:<14} {row['pages']:>5} "
                  + " ".join(f"{row[c]:>9.0%}" for c in columns))
        accuracy[name] = metadata_accuracy(pages, results, name)
        if any(v["pages"] for v in accuracy[name].values()):
            print(f"\n== {name}'s metadata against the gold metadata (WCXB pages)")
            for field_name, v in accuracy[name].items():
                if v["pages"]:
                    print(f"{field_name:<8} agrees on {v['agree']:.0%} of {v['pages']} pages")
    if "importer" in names:
        fell_back = [pg.id for pg in pages
                     if (results["importer"][pg.id].metadata or {}).get("whole_page")]
        print(f"\n== the importer kept the whole page (no article found) on {len(fell_back)} "
              f"of {len(pages)} pages" + (": " + ", ".join(fell_back[:20]) if fell_back else ""))
    return shares, accuracy


def _print_worst(pages, results, names) -> None:
    gold_tokens = {pg.id: len(tokens(pg.gold)) for pg in pages}
    for name in ("importer", "trafilatura"):
        if name not in names:
            continue
        print(f"\n== {name}'s worst pages (F1)")
        for pid, lang, enc, r in worst(pages, results, name):
            prec = "-" if r.score.precision is None else f"{r.score.precision:.2f}"
            print(
                f"{pid:<32} {lang:<3} {enc:<12} P {prec:>4} R {r.score.recall or 0:.2f} "
                f"F1 {r.score.f1:.2f}  extracted {r.tokens:>5} tokens, "
                f"gold {gold_tokens[pid]:>5} {r.error}"
            )


def _page_json(pg, results, names) -> dict:
    return {
        "subset": pg.subset, "lang": pg.lang, "encoding": pg.encoding,
        **{n: {"precision": results[n][pg.id].score.precision,
               "recall": results[n][pg.id].score.recall,
               "f1": results[n][pg.id].score.f1,
               "tokens": results[n][pg.id].tokens,
               "error": results[n][pg.id].error,
               **({"metadata": results[n][pg.id].metadata}
                  if results[n][pg.id].metadata else {})} for n in names},
    }
