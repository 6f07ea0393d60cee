"""Import articles: one article, one transaction. Shared by the command, the API and tests."""

import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from ..bulk import insert_values, pk_where
from ..domains import publisher_for_page
from ..models import Article, Sentence, SourceKind
from ..services import source_get_or_create
from ..signals import article_stored
from ..text import clean_name, clean_text
from . import boilerplate, parsers, segment, twins
from .parsers import ArticleInput, InputError

SENTENCE_COLUMNS = [
    "article_id",
    "position",
    "start",
    "end",
    "text",
    "is_boilerplate",
    "boilerplate_reason",
    "is_heading",
    "starts_paragraph",
]


@dataclass
class ImportResult:
    article: Article
    created: bool
    sentence_count: int = 0
    boilerplate_count: int = 0
    # An earlier article whose text this one nearly repeats (ingestion/twins.py).
    twin: twins.Twin | None = None
    # What the parser had to say (e.g. no article found, whole page kept).
    notes: tuple[str, ...] = ()
    # Why nothing was added: "text" (the same text) or "url" (the same URL).
    same: str = ""

    def describe(self) -> str:
        """The import's outcome in the words the command, the API and the page all use."""
        article = self.article
        if not self.created:
            why = "the same URL" if self.same == "url" else "the same text"
            return f"already imported as article {article.pk} ({why})"
        parts = [f"{self.sentence_count} sentences ({self.boilerplate_count} boilerplate)"]
        if article.publisher_id:
            parts.append(f"publisher {article.publisher.name}"
                         + (" (new, needs review)" if article.publisher.needs_review else ""))
        if self.twin is not None:
            parts.append(
                f"near-duplicate of article {self.twin.article.pk} "
                f"“{self.twin.article.title[:80]}” ({self.twin.shared:.0%} of its text in common)"
            )
        parts.extend(self.notes)
        return "; ".join(parts)


def content_hash(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def sentence_rows(body: str, *, title: str = "") -> list[tuple]:
    """The sentences of `body` as plain rows, in the order of SENTENCE_COLUMNS after
    article_id: segmentation plus boilerplate flags. No queries, no model instances."""
    segments = segment.segment(body, title=title)
    reasons = boilerplate.classify(segments)
    return [
        (
            i,
            s.start,
            s.end,
            s.text,
            bool(reason),
            reason,
            s.is_heading and not reason,
            s.starts_paragraph,
        )
        for i, (s, reason) in enumerate(zip(segments, reasons, strict=True))
    ]


def build_sentences(body: str, *, title: str = "") -> list[Sentence]:
    """Unsaved Sentence rows for `body`: segmentation plus boilerplate flags. No selectors."""
    fields = SENTENCE_COLUMNS[1:]
    return [
        Sentence(**dict(zip(fields, row, strict=True))) for row in sentence_rows(body, title=title)
    ]


def article_import(*, data: ArticleInput, imported_by=None, sentences=None) -> ImportResult:
    """Store one article and its sentences, or return the existing one with the same text.

    `sentences` lets a caller that segmented in another process pass in what
    `sentence_rows` gives.
    """
    body = segment.normalise(data.text)
    if not body.strip():
        raise ValidationError("The article text is empty.", code="empty")
    if "\x00" in body or "\x00" in data.title:
        # PostgreSQL text cannot hold NUL, and no real article contains one.
        raise ValidationError(
            "The article contains NUL characters; is it a binary file?", code="binary"
        )
    clean_text(body, field="text", strip=False)
    _check_fields(data)
    max_bytes = settings.PROVENANCE_MAX_IMPORT_BYTES
    if len(body.encode("utf-8")) > max_bytes:
        raise ValidationError(
            f"The article text is larger than the limit of {max_bytes:,} bytes.", code="too_large"
        )
    digest = content_hash(body)
    existing = _article_with_text(digest)
    if existing is not None:
        return ImportResult(existing, created=False, same="text")
    existing = _article_at(data.url)
    if existing is not None:
        return ImportResult(existing, created=False, same="url")
    if sentences is None:
        sentences = sentence_rows(body, title=data.title)
    if not sentences:
        raise ValidationError("The article has no sentences.", code="empty")
    try:
        with transaction.atomic():
            if data.url:
                # Two imports of one URL at once (two editors, two workers) would both find
                # it new above; the second waits here and then finds the first's article.
                _lock_url(data.url)
                existing = _article_at(data.url)
                if existing is not None:
                    return ImportResult(existing, created=False, same="url")
            return _store(data, body, digest, sentences, imported_by)
    except IntegrityError:
        # Another import of the same text committed first: that one is the article.
        existing = _article_with_text(digest)
        if existing is None:
            raise
        return ImportResult(existing, created=False, same="text")


# The article's own fields as a person or a file gave them: (field, max length).
_SINGLE_LINE_FIELDS = (("title", 500), ("url", 1000), ("publisher", 200), ("author", 300),
                       ("publication_kind", 100), ("language", 16), ("site_name", 200))


def _check_fields(data: ArticleInput) -> None:
    """The text rule every writer shares (provenance/text.py), on each metadata field."""
    for name, max_length in _SINGLE_LINE_FIELDS:
        setattr(data, name, clean_name(
            getattr(data, name), field=name, max_length=max_length, required=False
        ))


def _article_at(url: str) -> Article | None:
    if not url:
        return None
    return Article.objects.filter(url=url).order_by("pk").first()


def _lock_url(url: str) -> None:
    """Serialise imports of one URL until the commit. SQLite needs nothing more: every
    transaction there starts with BEGIN IMMEDIATE, which holds the write lock."""
    if connection.vendor == "postgresql":
        key = int.from_bytes(hashlib.blake2b(url.encode(), digest_size=8).digest(), "big",
                             signed=True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def _article_with_text(digest: str) -> Article | None:
    # Most imports are of new texts: one indexed lookup of the id, not a queryset (~0.5 ms
    # of compiling the same SELECT per article), and the article only when there is one.
    pk = pk_where(Article, "content_sha256", digest)
    return None if pk is None else Article.objects.filter(pk=pk).first()


def _store(data, body, digest, sentences, imported_by) -> ImportResult:
    publisher = None
    if data.publisher:
        kind = data.publisher_kind if data.publisher_kind in SourceKind.values else "other"
        publisher = source_get_or_create(name=data.publisher, kind=kind, created_by=imported_by)
    elif data.url or data.site_name:
        # No publisher named: the source owning the URL's domain; for a web page, else a
        # new source for its site, for an editor to review.
        publisher = publisher_for_page(
            url=data.url, site_name=data.site_name, created_by=imported_by,
            create=data.web_page,
        )
    article = Article(
        title=(data.title or "Untitled")[:500],
        body=body,
        content_sha256=digest,
        publisher=publisher,
        url=data.url,
        author=data.author,
        published_on=data.published_on,
        publication_kind=data.publication_kind,
        origin=data.origin[:500],
        language=data.language or "en",
        imported_by=imported_by,
    )
    article.full_clean(exclude=["content_sha256"])
    # simple_history's post_save writes the "+" history row. Copying it in the database
    # instead (copy_to_history) gained 1.13x on SQLite and 1.00x on PostgreSQL in wall
    # time on 100 articles' writes (2026-11-28): not worth re-deriving simple_history's
    # rules for the history date and user.
    article.save()
    # Sentences have no history rows at import: the article's own history row and its
    # unchanging body record where they came from, and annotations.boundaries writes a
    # sentence's "as imported" row before its first change. Skipping them halves the
    # database work of an import.
    article_id = article.pk
    insert_values(Sentence, SENTENCE_COLUMNS, [(article_id, *row) for row in sentences])
    twin = twins.record(article)
    article_stored.send(sender=Article, article=article, sentences=sentences)
    return ImportResult(
        article,
        created=True,
        sentence_count=len(sentences),
        boilerplate_count=sum(row[4] for row in sentences),
        twin=twin,
        notes=tuple(data.notes),
    )


def read_path_inputs(path: Path, *, max_bytes: int, metadata: dict | None = None,
                     encoding: str | None = None):
    """ArticleInputs (or InputErrors) from one file on disk; `encoding` is that of plain
    text files (web pages say or show theirs)."""
    if metadata is None:
        metadata = parsers.read_metadata(path.parent)
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield InputError(str(path), f"cannot be read ({exc.strerror})", code="unreadable")
        return
    try:
        yield from parsers.parse_bytes(
            data, str(path), max_bytes=max_bytes, meta=metadata.get(path.name),
            encoding=encoding,
        )
    except InputError as exc:
        yield exc
