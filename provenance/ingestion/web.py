"""Import an article from a URL: fetch the page, read its article, store it.

The one path for a URL, whoever asks: `import_articles --url`, the API and the editors'
import page (through the task queue's worker) all call `import_url`.
"""

from django.conf import settings

from ..domains import normalise_domain, parent_domains
from ..models import Article
from . import extract, fetch, parsers
from .parsers import InputError
from .services import ImportResult, article_import


def import_url(*, url: str, imported_by=None) -> ImportResult:
    """Fetch and import the page at `url`; InputError (bad URL, unreachable, timeout, too
    large, not a web page, nothing readable) or ValidationError (the import refused the
    text) when it cannot be."""
    url = fetch.clean_url(url)
    existing = Article.objects.filter(url=url).order_by("pk").first()
    if existing is not None:
        return ImportResult(existing, created=False, same="url")
    page = fetch.fetch(
        url,
        max_bytes=settings.PROVENANCE_FETCH_MAX_BYTES,
        timeout=settings.PROVENANCE_FETCH_TIMEOUT,
        allow_private=settings.PROVENANCE_FETCH_ALLOW_PRIVATE,
    )
    item = parsers.from_html(
        page.body, page.url, max_bytes=settings.PROVENANCE_FETCH_MAX_BYTES, url=page.url,
        http_charset=page.charset,
    )
    if item.notes and extract.word_count(item.text) < extract.MIN_WORDS:
        raise InputError(
            page.url,
            f"has nothing readable: no article, and fewer than {extract.MIN_WORDS} words "
            "on the whole page",
            code="nothing_readable",
        )
    # The page's publisher and URL are where it was fetched from. Its canonical URL is
    # kept only on the same site: a syndicated copy names the original as canonical, and
    # taking that would attribute the copy to the original's publisher, or even find it
    # "already imported" under the original's URL.
    if not _same_site(item.url, page.url):
        item.url = page.url
    return article_import(data=item, imported_by=imported_by)


def _same_site(canonical: str, fetched: str) -> bool:
    a, b = normalise_domain(canonical), normalise_domain(fetched)
    return bool(a and b) and (a in parent_domains(b) or b in parent_domains(a))
