"""Main-text extraction on real web pages: the importer beside trafilatura and readability-lxml.

    python -m bench.extraction                      # every page of tests/data/extraction
    python -m bench.extraction --subset aeb         # one subset (aeb, readability, transcoded)
    python -m bench.extraction --l3s DIR            # also L3S-GN1, from a local copy
    python -m bench.extraction --summary-only --json out.json

Each page's HTML bytes go to each extractor as an import would hand them over; what comes
out is scored against the page's human-marked main text (tests/data/extraction/README.md
names the sources).

The score is the one of the article-extraction benchmark (scrapinghub/article-extraction-
benchmark, evaluate.py), reimplemented here from its description:

- tokens: the runs of Unicode word characters (the regex \\w+), case kept, everything else
  (punctuation, spaces, markup left in the text) a separator;
- shingles: every run of 4 consecutive tokens, counted with multiplicity; a text of 1-3
  tokens is one shorter shingle, a text without tokens has none;
- per page: tp = shared shingles (the smaller of the two counts of each shingle),
  fp = extracted shingles beyond the gold count, fn = gold shingles beyond the extracted
  count; precision tp/(tp+fp) and recall tp/(tp+fn); a page where both fp and fn are 0
  scores 1 for both; an empty extraction has recall 0 and no precision;
- overall: precision = mean of the page precisions (pages with an extraction), recall =
  mean of the page recalls, F1 = the harmonic mean of those two means; every page weighs
  the same whatever its length. The "±" is the standard deviation over 1,000 bootstrap
  resamples of the pages (seeded, so a rerun prints the same).

Two more columns that the benchmark does not have: "page F1", the mean of the per-page F1
(an empty extraction counts 0, so an extractor cannot gain precision by giving up on a
page), and "empty", the pages where the extractor gave nothing or refused the page.

Tokens are runs of word characters, so Chinese and Japanese text, written without spaces,
becomes few long tokens, and a shingle there is a long stretch of a sentence: on those
pages the score is coarse (near all-or-nothing per sentence). The per-language table shows
them apart.

trafilatura and readability-lxml are measured if installed in the environment
(pip install trafilatura readability-lxml); they are not dependencies of the project.
"""

import argparse
import gzip
import json
import os
import random
import re
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "extraction"
# The import size limit of config/settings.py (PROVENANCE_MAX_IMPORT_BYTES), read the same
# way, so the importer here refuses what an import would refuse.
MAX_IMPORT_BYTES = int(os.environ.get("PROVENANCE_MAX_IMPORT_BYTES", 2 * 1024 * 1024))
SHINGLE = 4
BOOTSTRAP = 1000
METADATA_FIELDS = ("title", "author", "date", "sitename", "url", "language")


# --- The metric ------------------------------------------------------------------------
_TOKEN = re.compile(r"\w+")


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text or "")


def shingles(text: str, n: int = SHINGLE) -> Counter:
    words = tokens(text)
    if not words:
        return Counter()
    return Counter(tuple(words[i:i + n]) for i in range(max(1, len(words) - n + 1)))


@dataclass
class Score:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float | None:
        """None when nothing was extracted: such a page is left out of the precision mean."""
        if self.fp == self.fn == 0:
            return 1.0
        if self.tp + self.fp == 0:
            return None
        return self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float | None:
        """None when the gold text has no shingle (no page of the set is so)."""
        if self.fp == self.fn == 0:
            return 1.0
        if self.tp + self.fn == 0:
            return None
        return self.tp / (self.tp + self.fn)

    @property
    def f1(self) -> float:
        p, r = self.precision or 0.0, self.recall or 0.0
        return 2 * p * r / (p + r) if p + r else 0.0


def score(gold: str, extracted: str) -> Score:
    want, got = shingles(gold), shingles(extracted)
    tp = sum(min(count, got[key]) for key, count in want.items())
    return Score(tp=tp, fp=sum(got.values()) - tp, fn=sum(want.values()) - tp)


def aggregate(scores: list[Score]) -> dict:
    """The benchmark's figures: mean precision, mean recall, F1 of the two means."""
    precisions = [s.precision for s in scores if s.precision is not None]
    recalls = [s.recall for s in scores if s.recall is not None]
    p = statistics.fmean(precisions) if precisions else 0.0
    r = statistics.fmean(recalls) if recalls else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def summarise(scores: list[Score], empty: int, seconds: list[float]) -> dict:
    figures = aggregate(scores)
    rng = random.Random(20191125)
    samples = [aggregate([rng.choice(scores) for _ in scores]) for _ in range(BOOTSTRAP)]
    for key in ("precision", "recall", "f1"):
        figures[f"{key}_sd"] = statistics.stdev(s[key] for s in samples) if len(scores) > 1 else 0
    figures["page_f1"] = statistics.fmean(s.f1 for s in scores)
    figures["pages"] = len(scores)
    figures["empty"] = empty
    figures["below_0_5"] = sum(s.f1 < 0.5 for s in scores)
    figures["ms_per_page"] = 1000 * statistics.fmean(seconds) if seconds else 0.0
    return figures


# --- The pages -------------------------------------------------------------------------
@dataclass
class Page:
    id: str
    subset: str
    lang: str
    encoding: str
    declared: str | None
    html: bytes
    gold: str
    html_lang: str | None = None
    gold_meta: dict = field(default_factory=dict)


def read_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


def load_pages(folder: Path = DATA) -> list[Page]:
    pages = []
    with (folder / "manifest.jsonl").open(encoding="utf-8") as f:
        for line in f:
            entry = json.loads(line)
            pages.append(Page(
                id=entry["id"], subset=entry["subset"], lang=entry["lang"],
                encoding=entry["encoding"], declared=entry.get("declared"),
                html=read_bytes(folder / entry["html"]),
                gold=read_bytes(folder / entry["gold"]).decode("utf-8"),
                html_lang=entry.get("html_lang"), gold_meta=entry.get("gold_meta") or {},
            ))
    return pages


class _L3SGold(HTMLParser):
    """Text of an L3S-GN1 annotated page inside <span class="x-nc-selN"> for the wanted
    N, one paragraph per block element; x-nc-invisible elements are skipped."""

    BLOCKS = {"p", "div", "br", "li", "td", "tr", "table", "h1", "h2", "h3", "h4", "h5",
              "h6", "blockquote", "ul", "ol", "dl", "dd", "dt", "pre", "hr", "form"}
    VOID = {"br", "hr", "img", "meta", "link", "input", "area", "base", "col", "embed",
            "param", "source", "track", "wbr"}

    def __init__(self, wanted):
        super().__init__(convert_charrefs=True)
        self.wanted, self.stack, self.out = wanted, [], []

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self.out.append("\n")
        if tag in self.VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        label = next((c for c in classes if c.startswith("x-nc-sel")), None)
        self.stack.append((tag, label, "x-nc-invisible" in classes or tag in
                           ("script", "style")))

    def handle_endtag(self, tag):
        if tag in self.BLOCKS:
            self.out.append("\n")
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        if any(hidden for _, _, hidden in self.stack):
            return
        label = next((lab for _, lab, _ in reversed(self.stack) if lab), None)
        if label in self.wanted:
            self.out.append(data)

    def text(self):
        lines = (" ".join(line.split()) for line in "".join(self.out).split("\n"))
        return "\n".join(line for line in lines if line) + "\n"


def load_l3s(folder: Path) -> list[Page]:
    """L3S-GN1 (Kohlschütter et al., WSDM 2010) from a local copy: original/*.html and
    annotated/*.html. Its licence is research use only, so it is never committed here.
    Gold: full text (x-nc-sel2) and supplemental text such as captions (x-nc-sel3); the
    headline (sel1) is left out, as the other sets' gold texts leave it out."""
    pages = []
    for original in sorted((folder / "original").glob("*.html")):
        annotated = folder / "annotated" / original.name
        if not annotated.exists():
            continue
        parser = _L3SGold({"x-nc-sel2", "x-nc-sel3"})
        parser.feed(annotated.read_bytes().decode("utf-8", "replace"))
        parser.close()
        html = original.read_bytes()
        pages.append(Page(id=f"l3s-gn1/{original.stem[:12]}", subset="l3s-gn1", lang="en",
                          encoding="as stored", declared=None, html=html,
                          gold=parser.text()))
    return pages


# --- The extractors ----------------------------------------------------------------------
@dataclass
class Output:
    text: str = ""
    error: str = ""
    metadata: dict | None = None


_IMPORTED: dict[str, tuple] = {}


def _import(page: Page):
    """parsers.from_html on the page, once per page: (article, None) or (None, InputError)."""
    from provenance.ingestion import parsers

    if page.id not in _IMPORTED:
        _IMPORTED.clear()  # one page at a time: keep only the current one
        try:
            _IMPORTED[page.id] = (
                parsers.from_html(page.html, page.id, max_bytes=MAX_IMPORT_BYTES),
                None,
            )
        except parsers.InputError as exc:
            _IMPORTED[page.id] = (None, exc)
    return _IMPORTED[page.id]


def importer(page: Page) -> Output:
    """What the HTML import stores as the article body (parsers.from_html: decoding,
    extract.extract_page and bleach, then the newline normalisation of
    services.article_import), or the InputError it raises. Its metadata is the one the
    import stores (the page's own; no metadata.json here)."""
    from provenance.ingestion import segment

    _IMPORTED.pop(page.id, None)  # timed from the bytes, not from a cached result
    article, error = _import(page)
    if error:
        return Output(error=error.code)
    metadata = {
        "title": article.title, "author": article.author, "date": article.published_on,
        "sitename": article.site_name, "url": article.url,
        # "en" is the importer's default when a page declares nothing: not "filled".
        "language": article.language if page.html_lang or article.language != "en" else "",
        "whole_page": bool(article.notes),
    }
    return Output(text=segment.normalise(article.text), metadata=metadata)


def importer_main_text(page: Page) -> Output:
    """The importer's body less its headline line, scored as the `aeb`, `readability` and
    L3S gold texts are marked: they hold the article body without the headline (WCXB's
    keeps it, so compare `importer` there). The headline itself is kept by the import,
    as the article's first line and its title."""
    from provenance.ingestion import segment

    article, error = _import(page)
    if error:
        return Output(error=error.code)
    body = segment.normalise(article.text)
    first, _, rest = body.partition("\n")
    if article.title and " ".join(first.split()).casefold() == article.title.casefold():
        body = rest
    return Output(text=body)


def whole_page(page: Page) -> Output:
    """The importer before issue 14: the whole page's text (UTF-8 only, bleach and
    html_to_text), which is also what the import falls back to when no article is found."""
    from provenance.ingestion import sanitise, segment

    try:
        html = page.html.decode("utf-8")
    except UnicodeDecodeError:
        return Output(error="not_utf8")
    return Output(text=segment.normalise(sanitise.html_to_text(html)))


def importer_unflagged(page: Page) -> Output:
    """The same body less the sentences the boilerplate rules flag (what a reviewer sees
    unmarked), segmented and classified as services.sentence_rows does. Its time is that
    of the segmentation and the rules only: the HTML conversion is the importer's."""
    from provenance.ingestion import boilerplate, segment

    article, error = _import(page)
    if error:
        return Output(error=error.code)
    body = segment.normalise(article.text)
    segments = segment.segment(body, title=article.title)
    reasons = boilerplate.classify(segments)
    kept = (s.text for s, reason in zip(segments, reasons, strict=True) if not reason)
    return Output(text="\n".join(kept))


def _trafilatura(page: Page, **options) -> Output:
    import trafilatura

    text = trafilatura.extract(page.html, include_comments=False, **options)
    return Output(text=text or "")


def trafilatura_default(page: Page) -> Output:
    """trafilatura.extract(bytes, include_comments=False): its own decoding, default
    settings otherwise (tables kept, fallback extractors on)."""
    return _trafilatura(page)


def trafilatura_metadata(page: Page) -> dict:
    """trafilatura.extract_metadata on the page's bytes (not timed with the extraction)."""
    import trafilatura

    meta = trafilatura.extract_metadata(page.html)
    return {name: getattr(meta, name, None) if meta else None for name in METADATA_FIELDS}


def trafilatura_precision(page: Page) -> Output:
    return _trafilatura(page, favor_precision=True)


def readability_lxml(page: Page) -> Output:
    """readability.Document(bytes).summary(html_partial=True), its HTML turned to text by
    the importer's own html_to_text (one paragraph per block element)."""
    from readability import Document

    from provenance.ingestion import sanitise

    summary = Document(page.html).summary(html_partial=True)
    return Output(text=sanitise.html_to_text(summary))


EXTRACTORS = {
    "importer": ("the importer (parsers.from_html: extract.py)", importer, None),
    "importer-main-text": ("the importer's body less its headline line", importer_main_text,
                           None),
    "whole-page": ("the importer before issue 14 (whole page, UTF-8 only)", whole_page, None),
    "importer-unflagged": ("importer less boilerplate-flagged sentences",
                           importer_unflagged, None),
    "trafilatura": ("trafilatura, include_comments=False", trafilatura_default,
                    "trafilatura"),
    "trafilatura-precision": ("trafilatura, favor_precision=True", trafilatura_precision,
                              "trafilatura"),
    "readability-lxml": ("readability-lxml", readability_lxml, "readability"),
}


def available(module: str | None) -> str:
    """Empty when `module` imports, else why it does not."""
    if module is None:
        return ""
    try:
        __import__(module)
    except ImportError as exc:
        return f"not installed ({exc.name})"
    return ""


def version_of(dist: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return ""


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
    p = argparse.ArgumentParser(prog="python -m bench.extraction", description=__doc__,
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
    args = p.parse_args(argv)

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
    names, skipped = [], {}
    for name in args.extractor or list(EXTRACTORS):
        why = available(EXTRACTORS[name][2])
        if why:
            skipped[name] = why
        else:
            names.append(name)
    print(f"{len(pages)} pages; extractors: "
          + ", ".join(f"{n} ({EXTRACTORS[n][0]})" for n in names))
    print("versions: " + ", ".join(f"{d} {version_of(d) or '-'}" for d in
                                   ("trafilatura", "readability-lxml", "bleach", "lxml")))
    for name, why in skipped.items():
        print(f"skipped {name}: {why}")

    results = run(pages, names, jobs=args.jobs, per_page=not args.summary_only)
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

    if args.json:
        args.json.write_text(json.dumps({
            "extractors": {n: EXTRACTORS[n][0] for n in names},
            "skipped": skipped,
            "versions": {d: version_of(d) for d in ("trafilatura", "readability-lxml",
                                                    "bleach", "lxml")},
            "by_subset": by_subset, "by_language": by_lang, "by_encoding": by_encoding,
            "metadata": shares, "metadata_accuracy": accuracy,
            "pages": {pg.id: {
                "subset": pg.subset, "lang": pg.lang, "encoding": pg.encoding,
                **{n: {"precision": results[n][pg.id].score.precision,
                       "recall": results[n][pg.id].score.recall,
                       "f1": results[n][pg.id].score.f1,
                       "tokens": results[n][pg.id].tokens,
                       "error": results[n][pg.id].error,
                       **({"metadata": results[n][pg.id].metadata}
                          if results[n][pg.id].metadata else {})} for n in names},
            } for pg in pages},
        }, indent=1, ensure_ascii=False, default=str))


if __name__ == "__main__":
    main()
