"""A web page's article: its main text and its metadata, as a reader of the page sees them.

Why trafilatura, not readability-lxml (both measured in docs/extraction-eval.md with
bench/extraction.py, on 534 real pages with human-marked bodies): on the human-marked
`aeb` set trafilatura scores F1 0.960 at precision 0.942, readability-lxml 0.954 at
0.935, below the 0.93 precision target once headlines and captions are added back; on
WCXB 0.952 against 0.930. trafilatura also reads the page's metadata (OpenGraph,
JSON-LD, Dublin Core, <meta>, htmldate for dates) in the same parse, which
readability-lxml does not do at all, and it is maintained. Its weak spots, both handled
here: it guesses encodings on its own (so pages are decoded by encoding.py first and it
gets text), and it drops image captions with their <figure> (so captions are turned into
paragraphs before it sees the page).

What leaves this module is still untrusted: trafilatura's HTML goes through
sanitise.html_to_text (bleach, the one sanitiser), and the text through the importer's
segmentation and boilerplate rules like any other article.

When extraction finds nothing credible (fewer than MIN_WORDS words: an empty page, a
page built by JavaScript, a listing), the article is the whole page's text instead, with
the boilerplate rules flagging what they can, and `Extraction.note` says so for the
import message.
"""

import datetime as dt
import logging
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from . import sanitise

logger = logging.getLogger(__name__)

# Fewer words than this is not an article: a caption, a cookie notice, a teaser.
MIN_WORDS = 25
WHOLE_PAGE_NOTE = (
    "no main text was found on the page, so its whole text was imported "
    "with boilerplate flagged"
)
_WORD = re.compile(r"\w+")
# C0/C1 controls other than tab and newline: a browser shows nothing for them, and the
# text rule (provenance/text.py) refuses them, so a stray one would fail the whole import.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"\s+")
_BIDI_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069]")
# "Headline | Site", "Headline - Site", "Headline — Site", "Headline :: Site"
_TITLE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ", " » ")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?=$|[-_])")


@dataclass
class PageMetadata:
    title: str = ""
    author: str = ""
    published_on: dt.date | None = None
    site_name: str = ""
    url: str = ""
    language: str = ""


@dataclass
class Extraction:
    text: str
    metadata: PageMetadata
    whole_page: bool = False

    @property
    def note(self) -> str:
        return WHOLE_PAGE_NOTE if self.whole_page else ""


def word_count(text: str) -> int:
    return len(_WORD.findall(text or ""))


def extract_page(html: str, *, url: str = "") -> Extraction:
    """The article on the page `html` (already decoded): headline, subheadings,
    paragraphs, lists, quotes and captions, with the page's metadata."""
    import trafilatura
    from trafilatura.htmlprocessing import build_html_output
    from trafilatura.utils import load_html

    tree = load_html(html)
    if tree is None:
        return _whole_page(html, PageMetadata())
    language = _declared_language(tree)
    _captions_as_paragraphs(tree)
    try:
        document = trafilatura.bare_extraction(
            tree, url=url or None, include_comments=False, include_tables=True,
            with_metadata=True,
            # Only dates the page states (JSON-LD, OpenGraph, <time>, the URL), not any
            # date found in the text: a wrong date is worse than none.
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except (ValueError, TypeError, AttributeError, IndexError) as exc:
        # A hostile or broken page must not fail the import: it falls back to the whole
        # page, which html_to_text reads without trafilatura.
        logger.warning("trafilatura failed on %s: %r", url or "a page", exc)
        document = None
    if document is None:
        return _whole_page(html, PageMetadata(language=language))
    metadata = _metadata(document, language)
    main = ""
    if document.body is not None:
        main = _clean(sanitise.html_to_text(build_html_output(document)))
    if word_count(main) < MIN_WORDS:
        return _whole_page(html, metadata)
    if metadata.title and _first_line(main).casefold() != metadata.title.casefold():
        main = f"{metadata.title}\n\n{main}"
    return Extraction(text=main, metadata=metadata)


def _whole_page(html: str, metadata: PageMetadata) -> Extraction:
    text = _clean(sanitise.html_to_text(html))
    if not metadata.title:
        metadata.title = sanitise.html_title(html) or _first_line(text)
    return Extraction(text=text, metadata=metadata, whole_page=True)


def _captions_as_paragraphs(tree) -> None:
    """trafilatura removes <figure> with everything in it; keep what its caption says."""
    for figure in list(tree.iter("figure")):
        captions = [c for c in figure.iter("figcaption") if (c.text_content() or "").strip()]
        if not captions:
            continue
        caption = captions[0]
        caption.tag = "p"
        caption.attrib.clear()
        caption.tail = figure.tail
        parent = figure.getparent()
        if parent is not None:
            parent.replace(figure, caption)


def _clean(text: str) -> str:
    return _CONTROL.sub(" ", text).replace("\ufffd", "")


def _first_line(text: str) -> str:
    for line in text.split("\n"):
        if line.strip():
            return " ".join(line.split())
    return ""


def _one_line(value, limit) -> str:
    """A metadata value as a name: one line, no bidirectional overrides (which the text
    rule refuses in names, and which would fail the whole import over a title)."""
    value = _BIDI_CONTROL.sub("", _clean(str(value or "")))
    return _SPACES.sub(" ", value).strip()[:limit]


def _metadata(document, declared_language: str) -> PageMetadata:
    site_name = _one_line(document.sitename, 200)
    return PageMetadata(
        title=_headline(_one_line(document.title, 500), site_name),
        author=_one_line(document.author, 300),
        published_on=_date(document.date),
        site_name=site_name,
        url=_web_url(document.url),
        language=declared_language,
    )


def _headline(title: str, site_name: str) -> str:
    """The title less a trailing site name ("Budget passes | Town Crier")."""
    if not title or not site_name:
        return title
    site = site_name.casefold()
    for separator in _TITLE_SEPARATORS:
        head, found, tail = title.rpartition(separator)
        if found and head.strip() and tail.strip().casefold() == site:
            return head.strip()
    return title


def _date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _web_url(value) -> str:
    """An http(s) URL the page gives for itself, or "" (a bad one must not fail the import)."""
    value = _one_line(value, 1001)
    if len(value) > 1000 or urlsplit(value).scheme not in ("http", "https"):
        return ""
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        return ""
    return value


def _declared_language(tree) -> str:
    """The page's language as it declares it: <html lang>, else Content-Language, else
    og:locale; the primary subtag, lower-case ("en-GB" → "en")."""
    candidates = [tree.get("lang"), tree.get("xml:lang")]
    for meta in tree.iter("meta"):
        key = (meta.get("http-equiv") or meta.get("property") or meta.get("name") or "").lower()
        if key in ("content-language", "og:locale", "language", "dc.language"):
            candidates.append(meta.get("content"))
    for value in candidates:
        match = _LANGUAGE.match((value or "").strip())
        if match:
            return match.group().lower()
    return ""
