"""Build tests/data/extraction/ from local copies of the public sets it draws on.

    python -m bench.extraction_dataset --aeb PATH --readability PATH --wcxb PATH [--out DIR]

--aeb          a checkout of scrapinghub/article-extraction-benchmark (MIT): its
               ground-truth.json and html/*.html.gz are read.
--readability  a checkout of mozilla/readability (Apache-2.0): its
               test/test-pages/NAME/{source,expected}.html are read.
--wcxb         a checkout of Murrough-Foley/web-content-extraction-benchmark (CC-BY-4.0):
               the article pages of its test split are read.

Nothing is downloaded: the checkouts must already be on disk. The script is kept so the
set can be rebuilt and audited; the harness (bench/extraction.py) reads only what it
writes. No code of those repositories is used here.

Four subsets are written (tests/data/extraction/README.md says why each page is there):
- aeb: every page of the article-extraction benchmark, HTML bytes as that set stores them,
  gold text from its human-annotated ground truth.
- readability: the real news and blog pages among Readability.js' test pages (the synthetic
  unit-test pages are left out), gold text from their expected.html.
- transcoded: copies of some of those pages in the legacy encodings real sites served them
  in (Windows-1252, ISO-8859-x, KOI8-R, GB2312, Big5, Shift_JIS, EUC-JP, EUC-KR), with the
  page's charset declaration changed to match (or removed), because neither public set
  keeps a page's bytes as served. Their gold text is the original page's.
- wcxb: the article pages of WCXB's test split: pages of 2025, gold drafted by a language
  model and then reviewed by people, so second to aeb as evidence.
"""

import argparse
import gzip
import json
import re
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "tests" / "data" / "extraction"

# --- Language of a gold text -------------------------------------------------------------
# The set's pages do not say their language reliably (<html lang="en"> on German pages,
# "de" on English ones), so it is read from the gold text: the script for CJK, Hangul and
# Cyrillic, else the language whose common words are most frequent.
_STOPWORDS = {
    "en": "the and of to in is that for it with was on as are be this by",
    "de": "der die und das ist nicht mit den von zu sich auf für ein eine auch",
    "pt": "de que não para com uma os do da em é se por mais as",
    "es": "el la que los las del por una con para es se su al lo",
    "fr": "le la les et des est une que pour dans qui pas sur au du",
    "it": "il di che la per non una sono del della è le gli con",
    "id": "yang dan di itu dengan untuk tidak ini dari dalam akan pada juga ke",
    "cs": "a je se na že to v s jsou jako ale by o do pro",
}
_STOPWORD_SETS = {lang: set(words.split()) for lang, words in _STOPWORDS.items()}


def guess_language(text: str) -> str:
    counts = {"ja": 0, "zh": 0, "ko": 0, "ru": 0}
    for ch in text:
        o = ord(ch)
        if 0x3040 <= o <= 0x30FF:
            counts["ja"] += 1
        elif 0x4E00 <= o <= 0x9FFF:
            counts["zh"] += 1
        elif 0xAC00 <= o <= 0xD7AF:
            counts["ko"] += 1
        elif 0x0400 <= o <= 0x04FF:
            counts["ru"] += 1
    letters = sum(ch.isalpha() for ch in text) or 1
    if counts["ja"] > 0.05 * letters:
        return "ja"
    for lang in ("zh", "ko", "ru"):
        if counts[lang] > 0.3 * letters:
            return lang
    words = re.findall(r"\w+", text.lower())
    scores = {lang: sum(w in stop for w in words) for lang, stop in _STOPWORD_SETS.items()}
    return max(scores, key=scores.get)


# --- Readability test pages: the real news and blog articles -----------------------------
# (name, language). Left out: the synthetic unit-test pages (001-style fixtures, base-url,
# replace-brs, rtl-*, …), reference and documentation pages (Wikipedia, the SRE book, IETF,
# Mercurial, MathJax), fiction (archive-of-our-own, royal-road, hukumusume), product and
# home pages (mozilla-1/2, yahoo-2, nytimes-5, daringfireball-1), a duplicate
# (lifehacker-post-comment-load) and LWN's multi-article weekly edition.
READABILITY_PAGES = [
    ("001", "en"), ("002", "en"), ("aclu", "en"), ("ars-1", "en"),
    ("article-author-tag", "en"), ("bbc-1", "en"), ("blogger", "en"), ("breitbart", "en"),
    ("bug-1255978", "en"), ("buzzfeed-1", "en"), ("citylab-1", "en"), ("cnet", "en"),
    ("cnn", "en"), ("dropbox-blog", "en"), ("ebb-org", "en"), ("ehow-1", "en"),
    ("ehow-2", "en"), ("engadget", "en"), ("firefox-nightly-blog", "en"),
    ("gitlab-blog", "en"), ("guardian-1", "en"), ("herald-sun-1", "en"), ("iab-1", "en"),
    ("keep-images", "en"), ("keep-tabular-data", "en"), ("lazy-image-1", "en"),
    ("lazy-image-2", "en"), ("lifehacker-working", "en"), ("links-in-tables", "en"),
    ("medicalnewstoday", "en"), ("medium-1", "en"), ("medium-2", "en"), ("medium-3", "en"),
    ("msn", "en"), ("nytimes-1", "en"), ("nytimes-2", "en"), ("nytimes-3", "en"),
    ("nytimes-4", "en"), ("quanta-1", "en"), ("salon-1", "en"),
    ("schema-org-context-object", "en"), ("seattletimes-1", "en"), ("simplyfound-1", "en"),
    ("spiceworks", "en"), ("telegraph", "en"), ("theverge", "en"), ("tmz-1", "en"),
    ("toc-missing", "en"), ("topicseed-1", "en"), ("tumblr", "en"), ("v8-blog", "en"),
    ("videos-1", "en"), ("wapo-1", "en"), ("wapo-2", "en"), ("webmd-1", "en"),
    ("webmd-2", "en"), ("wikia", "en"), ("wordpress", "en"), ("yahoo-1", "en"),
    ("yahoo-3", "en"),
    ("aktualne", "cs"), ("cnet-svg-classes", "es"), ("folha", "pt"), ("heise", "de"),
    ("la-nacion", "es"), ("lemonde-1", "fr"), ("liberation-1", "fr"), ("videos-2", "fr"),
    ("gmw", "zh"), ("qq", "zh"), ("youth", "zh"), ("pixnet", "zh"), ("yahoo-4", "ja"),
]

# --- Transcoded copies: (subset, page id, Python codec, charset declared, why) ----------
# The declared label is what such a site put in its <meta>; None removes every charset
# declaration, so the encoding must be detected. "gb2312" declared over GBK bytes is how
# most Chinese sites that say GB2312 actually serve (GBK is its superset).
TRANSCODED = [
    ("aeb", "851498a2b9f4", "cp1252", "windows-1252", "English, curly quotes"),
    ("aeb", "bdb56ac83513", "cp1252", "iso-8859-1", "English; ISO-8859-1 declared over "
     "Windows-1252 bytes, as common on the web"),
    ("aeb", "c00962aabe7b", "cp1252", None, "English, no charset declared anywhere"),
    ("aeb", "9cb8224b660f", "cp1252", "windows-1252", "English"),
    ("aeb", "23aaecd14171", "latin-1", "iso-8859-1", "Portuguese"),
    ("aeb", "b3c19dd5f061", "cp1252", "windows-1252", "Portuguese"),
    ("aeb", "20b2b64916b0", "iso8859-15", "iso-8859-15", "Italian"),
    ("aeb", "3c6d3381ef52", "cp1251", "windows-1251", "Russian"),
    ("aeb", "c82b3d1d540b", "koi8-r", "koi8-r", "Russian"),
    ("aeb", "ff0f958ade71", "cp1251", None, "Russian, no charset declared anywhere"),
    ("aeb", "0ec95c7261d1", "euc-kr", "euc-kr", "Korean"),
    ("aeb", "9da36ae4714b", "euc-kr", "euc-kr", "Korean"),
    ("aeb", "85439e26c41c", "shift_jis", "shift_jis", "Japanese"),
    ("aeb", "f105de6e63ca", "euc-jp", "euc-jp", "Japanese"),
    ("readability", "heise", "cp1252", "windows-1252", "German"),
    ("readability", "folha", "latin-1", "iso-8859-1", "Portuguese"),
    ("readability", "la-nacion", "latin-1", "iso-8859-1", "Spanish"),
    ("readability", "lemonde-1", "iso8859-15", "iso-8859-15", "French"),
    ("readability", "aktualne", "iso8859-2", "iso-8859-2", "Czech"),
    ("readability", "qq", "gb2312", "gb2312", "Chinese (simplified)"),
    ("readability", "gmw", "gb2312", "gb2312", "Chinese (simplified)"),
    ("readability", "youth", "gbk", "gb2312", "Chinese (simplified); GB2312 declared over "
     "GBK bytes"),
    ("readability", "pixnet", "big5", "big5", "Chinese (traditional)"),
    ("readability", "yahoo-4", "shift_jis", "shift_jis", "Japanese"),
]


def gzip_bytes(data: bytes) -> bytes:
    """gzip with no timestamp or file name, so a rebuild writes the same bytes."""
    return gzip.compress(data, compresslevel=9, mtime=0)


# --- Gold text from Readability's expected.html -----------------------------------------
_BLOCKS = {
    "p", "div", "section", "article", "header", "footer", "main", "aside", "blockquote",
    "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "pre", "table",
    "tr", "figure", "figcaption", "address", "hr", "td", "th", "caption", "details",
    "summary",
}
_SKIPPED = {"script", "style", "noscript", "template"}


class _GoldText(HTMLParser):
    """Visible text of an HTML fragment, one paragraph per block element."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.paragraphs, self.current, self.skip = [], [], 0

    def _end_paragraph(self):
        text = " ".join("".join(self.current).split())
        if text:
            self.paragraphs.append(text)
        self.current = []

    def handle_starttag(self, tag, attrs):
        if tag in _SKIPPED:
            self.skip += 1
        elif tag == "br":
            self.current.append("\n")
        elif tag in _BLOCKS:
            self._end_paragraph()

    def handle_endtag(self, tag):
        if tag in _SKIPPED:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCKS:
            self._end_paragraph()

    def handle_data(self, data):
        if not self.skip:
            self.current.append(data)

    def text(self):
        self._end_paragraph()
        return "\n\n".join(self.paragraphs) + "\n"


def html_fragment_text(html: str) -> str:
    parser = _GoldText()
    parser.feed(html)
    parser.close()
    return parser.text()


# --- Charset declarations ----------------------------------------------------------------
_META_CHARSET = re.compile(r"""(<meta\b[^>]*?\bcharset\s*=\s*["']?)([\w.:-]+)""", re.I)
_XML_DECL = re.compile(r"""(<\?xml\b[^>]*?\bencoding\s*=\s*["'])([\w.:-]+)""", re.I)
_META_CHARSET_TAG = re.compile(r"""<meta\b[^>]*?\bcharset\s*=[^>]*>""", re.I)
_XML_ENCODING_ATTR = re.compile(r"""(<\?xml\b[^>]*?)\s+encoding\s*=\s*["'][^"']*["']""", re.I)
_HEAD = re.compile(r"<head\b[^>]*>", re.I)


def redeclare(html: str, label: str | None) -> tuple[str, int]:
    """`html` with every charset declaration saying `label` (or removed when None), and
    a <meta charset> added after <head> when a label is wanted and none was there."""
    if label is None:
        html, n = _META_CHARSET_TAG.subn("", html)
        html, m = _XML_ENCODING_ATTR.subn(r"\1", html)
        return html, n + m
    html, n = _META_CHARSET.subn(lambda mt: mt.group(1) + label, html)
    html, m = _XML_DECL.subn(lambda mt: mt.group(1) + label, html)
    if not n:
        head = _HEAD.search(html)
        at = head.end() if head else 0
        html = html[:at] + f'<meta charset="{label}">' + html[at:]
    return html, n + m


def declared_charset(data: bytes) -> str | None:
    """The charset a page's own markup declares in its first 16 KB, or None."""
    head = data[:16384].decode("ascii", "replace")
    for pattern in (_META_CHARSET, _XML_DECL):
        found = pattern.search(head)
        if found:
            return found.group(2).lower()
    return None


def html_lang(data: bytes) -> str | None:
    found = re.search(rb"""<html\b[^>]*?\blang\s*=\s*["']?([A-Za-z-]+)""", data, re.I)
    return found.group(1).decode().lower() if found else None


# --- Building ----------------------------------------------------------------------------
def build(aeb: Path, readability: Path, out: Path, wcxb: Path | None = None) -> list[dict]:
    pages_dir, gold_dir = out / "pages", out / "gold"
    for sub in ("aeb", "readability", "transcoded", "wcxb"):
        (pages_dir / sub).mkdir(parents=True, exist_ok=True)
        (gold_dir / sub).mkdir(parents=True, exist_ok=True)
    manifest = _aeb(aeb, pages_dir, gold_dir) + _readability(readability, pages_dir, gold_dir)
    if wcxb:
        manifest += _wcxb(wcxb, pages_dir / "wcxb", gold_dir / "wcxb")
    manifest += _transcoded(manifest, out, pages_dir)
    with (out / "manifest.jsonl").open("w", encoding="utf-8") as f:
        for entry in manifest:
            f.write(json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n")
    return manifest


def _aeb(aeb: Path, pages_dir: Path, gold_dir: Path) -> list[dict]:
    manifest = []
    truth = json.loads((aeb / "ground-truth.json").read_text("utf-8"))
    for full_id in sorted(truth):
        page_id = full_id[:12]
        raw_gz = (aeb / "html" / f"{full_id}.html.gz").read_bytes()
        data = gzip.decompress(raw_gz)
        gold = truth[full_id]["articleBody"].strip() + "\n"
        lang = guess_language(gold)
        (pages_dir / "aeb" / f"{page_id}.html.gz").write_bytes(gzip_bytes(data))
        (gold_dir / "aeb" / f"{page_id}.txt").write_text(gold, "utf-8")
        manifest.append({
            "id": f"aeb/{page_id}", "subset": "aeb", "source": "scrapinghub-aeb",
            "source_id": full_id, "url": truth[full_id].get("url", ""), "lang": lang,
            "html_lang": html_lang(data), "encoding": "utf-8",
            "declared": declared_charset(data), "html": f"pages/aeb/{page_id}.html.gz",
            "gold": f"gold/aeb/{page_id}.txt",
        })
    return manifest


def _readability(readability: Path, pages_dir: Path, gold_dir: Path) -> list[dict]:
    manifest = []
    for name, lang in READABILITY_PAGES:
        folder = readability / "test" / "test-pages" / name
        data = (folder / "source.html").read_bytes()
        gold = html_fragment_text((folder / "expected.html").read_text("utf-8"))
        (pages_dir / "readability" / f"{name}.html.gz").write_bytes(gzip_bytes(data))
        (gold_dir / "readability" / f"{name}.txt").write_text(gold, "utf-8")
        manifest.append({
            "id": f"readability/{name}", "subset": "readability",
            "source": "mozilla-readability", "source_id": f"test/test-pages/{name}",
            "url": "", "lang": lang, "html_lang": html_lang(data), "encoding": "utf-8",
            "declared": declared_charset(data),
            "html": f"pages/readability/{name}.html.gz", "gold": f"gold/readability/{name}.txt",
        })
    return manifest


def _transcoded(manifest, out: Path, pages_dir: Path) -> list[dict]:
    """Pages of the other subsets served in a legacy charset (TRANSCODED)."""
    added = []
    by_id = {entry["id"]: entry for entry in manifest}
    for subset, page_id, codec, label, why in TRANSCODED:
        original = by_id[f"{subset}/{page_id}"]
        text = gzip.decompress((out / original["html"]).read_bytes()).decode("utf-8")
        text, _ = redeclare(text, label)
        # Characters the charset lacks become numeric references, as a CMS serving that
        # charset writes them; the gold text is unchanged by this.
        data = text.encode(codec, errors="xmlcharrefreplace")
        lossless = text.encode(codec, errors="replace") == data
        new_id = f"{page_id}.{codec.replace('_', '-')}"
        (pages_dir / "transcoded" / f"{new_id}.html.gz").write_bytes(gzip_bytes(data))
        added.append({
            "id": f"transcoded/{new_id}", "subset": "transcoded",
            "source": original["source"], "source_id": original["source_id"],
            "url": original["url"], "lang": original["lang"],
            "html_lang": original["html_lang"], "encoding": codec,
            "declared": label, "variant_of": original["id"],
            "html": f"pages/transcoded/{new_id}.html.gz", "gold": original["gold"],
            "note": why + ("" if lossless else "; characters outside the charset written "
                           "as numeric character references"),
        })
    return added


def _wcxb(folder: Path, pages_dir: Path, gold_dir: Path) -> list[dict]:
    """The article pages of WCXB's held-out test split (SPAs left out). Its gold texts keep
    the headline and subheadings as lines of their own; its title, author and date are
    kept for scoring metadata."""
    kinds = json.loads((folder / "metadata.json").read_text("utf-8"))["files"]
    entries = []
    for truth_file in sorted((folder / "test" / "ground-truth").glob("*.json")):
        page_id = truth_file.stem
        kind = kinds.get(page_id, {})
        record = json.loads(truth_file.read_text("utf-8"))
        truth = record["ground_truth"]
        if kind.get("page_type") != "article" or kind.get("spa") or not truth["main_content"]:
            continue
        data = gzip.decompress((folder / "test" / "html" / f"{page_id}.html.gz").read_bytes())
        gold = truth["main_content"].strip() + "\n"
        (pages_dir / f"{page_id}.html.gz").write_bytes(gzip_bytes(data))
        (gold_dir / f"{page_id}.txt").write_text(gold, "utf-8")
        entries.append({
            "id": f"wcxb/{page_id}", "subset": "wcxb", "source": "wcxb",
            "source_id": f"test/{page_id}", "url": record.get("url", ""),
            "lang": guess_language(gold), "html_lang": html_lang(data), "encoding": "utf-8",
            "declared": declared_charset(data), "html": f"pages/wcxb/{page_id}.html.gz",
            "gold": f"gold/wcxb/{page_id}.txt",
            "gold_meta": {"title": truth.get("title"), "author": truth.get("author"),
                          "date": truth.get("publish_date")},
        })
    return entries


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m bench.extraction_dataset", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--aeb", type=Path, required=True)
    p.add_argument("--readability", type=Path, required=True)
    p.add_argument("--wcxb", type=Path, help="a checkout of Murrough-Foley/web-content-"
                   "extraction-benchmark (CC-BY-4.0): test/html, test/ground-truth, "
                   "metadata.json")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = p.parse_args(argv)
    manifest = build(args.aeb, args.readability, args.out, args.wcxb)
    print(f"{len(manifest)} pages written to {args.out}")


if __name__ == "__main__":
    main()
