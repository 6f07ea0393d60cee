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

import os
import random
import re
import statistics
from collections import Counter
from dataclasses import dataclass

from .extraction_pages import DATA as DATA  # where the tests look for the pages
from .extraction_pages import Page

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


def main(argv=None):
    """`python -m bench.extraction`: measured and reported by bench/extraction_run.py."""
    from .extraction_run import main as run_main

    return run_main(argv)


if __name__ == "__main__":
    main()
