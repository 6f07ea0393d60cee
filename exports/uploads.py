"""Files an editor uploads in the app: each one imported by the service that owns its kind.

Articles (.txt, .md, .html, and .jsonl files of articles) go through the article importer
(provenance.ingestion: parsers, then services.article_import), with a metadata.json
uploaded beside them applied as the command applies one beside files in a folder.
Annotation exports (.jsonl rows as export_annotations writes them) go through the restore
(exports/restore.py). Nothing is decided here that those services decide: this module only
picks the service, keeps each file to its size limit and turns the outcome into the words
the command and the API use.

Here, not in review/, because the restore lives in this layer and review may not import
it; the page is still the editors'.

Each file is one unit: a bad file is refused with its reasons and writes nothing (a
.jsonl of articles is imported in one transaction, so a bad line keeps the whole file
out), and the other files of the same upload are not affected.
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from provenance.ingestion import parsers
from provenance.ingestion.parsers import InputError
from provenance.ingestion.services import article_import

from .restore import ImportFailed, import_jsonl

MAX_REASONS = 20  # reasons listed per refused file; the count says how many there were


@dataclass
class Outcome:
    """What became of one uploaded file, as the page shows it."""

    name: str
    # "imported", "unchanged" (nothing new in it) or "refused" (nothing written).
    result: str
    summary: str
    details: list[str] = field(default_factory=list)
    # (id, title) of each article the file holds, new or already there.
    articles: list[tuple[int, str]] = field(default_factory=list)
    # The status a request that uploaded only this file answers with.
    status: int = 200

    @property
    def refused(self) -> bool:
        return self.result == "refused"


def _refused(name, summary, details=(), *, status=400) -> Outcome:
    details = list(details)
    if len(details) > MAX_REASONS:
        details = [*details[:MAX_REASONS], f"… and {len(details) - MAX_REASONS} more"]
    return Outcome(name, "refused", summary, details, status=status)


def from_input_error(name, exc: InputError) -> Outcome:
    return _refused(name, f"Refused: {exc}", status=413 if exc.code == "too_large" else 400)


def read_metadata(upload) -> dict:
    """A metadata.json uploaded with the files; raises InputError naming what is wrong."""
    name = upload.name or parsers.METADATA_FILE
    parsers.check_size(upload.size, name, max_bytes=settings.PROVENANCE_MAX_IMPORT_BYTES)
    return parsers.parse_metadata(upload.read(), name)


def import_upload(upload, *, by, metadata=None) -> Outcome:
    """Import one uploaded file (a Django UploadedFile) and say what happened."""
    name = upload.name or "an upload"
    suffix = Path(name).suffix.lower()
    try:
        if suffix in parsers.JSONL_SUFFIXES:
            return _import_jsonl(upload, name, by=by)
        return _import_article_file(upload, name, by=by, meta=(metadata or {}).get(name))
    except InputError as exc:
        return from_input_error(name, exc)


def _import_article_file(upload, name, *, by, meta) -> Outcome:
    limit = settings.PROVENANCE_MAX_IMPORT_BYTES
    if Path(name).suffix.lower() not in parsers.SUPPORTED_SUFFIXES:
        # The parser's own refusal ("has an unsupported type"), before the file is read.
        parsers.parse_bytes(b"", name, max_bytes=limit)
    # Checked before reading: a file over the limit is refused without being loaded.
    parsers.check_size(upload.size, name, max_bytes=limit)
    (item,) = parsers.parse_bytes(upload.read(), name, max_bytes=limit, meta=meta)
    try:
        result = article_import(data=item, imported_by=by)
    except ValidationError as exc:
        return _refused(name, f"Refused: {name}: {'; '.join(exc.messages)}",
                        status=413 if getattr(exc, "code", "") == "too_large" else 400)
    article = result.article
    if result.created:
        return Outcome(name, "imported", f"Imported as article {article.pk}: {result.describe()}",
                       articles=[(article.pk, article.title)], status=201)
    return Outcome(name, "unchanged", f"Not imported again: {result.describe()}",
                   articles=[(article.pk, article.title)])


def _first_record(upload):
    """The first non-blank line of a .jsonl upload as JSON, or None if it is not JSON."""
    for raw in upload:
        if raw.strip():
            try:
                return json.loads(raw)
            except (ValueError, RecursionError):
                return None
    return None


def holds_articles(upload) -> bool:
    """A .jsonl of articles (import_articles' format: "text" or "html" on each line) rather
    than an annotation export, whose rows carry "label" and "sentence_text" instead."""
    record = _first_record(upload)
    upload.seek(0)
    return isinstance(record, dict) and ("text" in record or "html" in record) and (
        "label" not in record
    )


def _import_jsonl(upload, name, *, by) -> Outcome:
    parsers.check_size(upload.size, name,
                       max_bytes=settings.PROVENANCE_MAX_ANNOTATION_IMPORT_BYTES)
    if holds_articles(upload):
        return _import_article_lines(upload, name, by=by)
    try:
        report = import_jsonl(upload, by=by, origin=name)
    except ImportFailed as exc:
        return _refused(
            name, f"Refused: {name}: {len(exc.errors)} bad row(s), nothing imported",
            [f"line {line}: {reason}" for line, reason in exc.errors],
        )
    summary = (f"Restored {report.created} annotation(s) of {report.rows} row(s); "
               f"{report.skipped} already present")
    details = []
    if report.reviewers_created:
        details.append(f"new reviewers: {', '.join(report.reviewers_created)}")
    if report.sources_created:
        details.append(f"new sources (unrated): {', '.join(report.sources_created)}")
    details.extend(report.messages)
    return Outcome(name, "imported" if report.created else "unchanged", summary, details,
                   status=201 if report.created else 200)


def _import_article_lines(upload, name, *, by) -> Outcome:
    """A .jsonl of articles: every line imported, or (one bad line) none of them."""
    items = list(parsers.parse_bytes(upload.read(), name,
                                     max_bytes=settings.PROVENANCE_MAX_IMPORT_BYTES))
    bad = [str(item) for item in items if isinstance(item, InputError)]
    if bad:
        return _refused(name, f"Refused: {name}: {len(bad)} bad line(s), nothing imported", bad)
    results = []
    try:
        with transaction.atomic():
            for item in items:
                try:
                    results.append(article_import(data=item, imported_by=by))
                except ValidationError as exc:
                    raise _LineRefused(f"{name}, line {item.line}: "
                                       f"{'; '.join(exc.messages)}") from None
    except _LineRefused as exc:
        return _refused(name, f"Refused: {name}: a bad line, nothing imported", [str(exc)])
    created = sum(r.created for r in results)
    details = [f"line {item.line}: "
               + (f"imported as article {r.article.pk}: " if r.created else "")
               + r.describe() for item, r in zip(items, results, strict=True)]
    return Outcome(
        name, "imported" if created else "unchanged",
        f"Imported {created} of {len(results)} article(s)", details,
        articles=[(r.article.pk, r.article.title) for r in results],
        status=201 if created else 200,
    )


class _LineRefused(Exception):
    pass
