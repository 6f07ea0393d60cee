"""Export writers: rows in, lines out. No HTTP and no files here.

The API streams these lines and export_annotations writes them, so both produce the same
bytes. Rows come from `Annotation.objects.for_export()` through `rows()`; every row is
self-contained (article, sentence, label, phrase, source, reviewer), so one line of an
export makes sense on its own and the JSONL can be imported back (annotations/imports.py).
"""

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Iterator

CHUNK_SIZE = 2000

# The columns of JSONL and CSV, in order. Changing a name breaks readers of old exports
# and import_annotations: add columns, never rename them.
FIELDS = [
    "annotation_id",
    "article_id",
    "article_title",
    "article_url",
    "article_content_sha256",
    "article_publisher",
    "article_published_on",
    "sentence_id",
    "sentence_position",
    "sentence_start",
    "sentence_end",
    "sentence_text",
    "label",
    "phrase_start",
    "phrase_end",
    "quote",
    "source_name",
    "source_slug",
    "source_kind",
    "source_reliability",
    "reviewer",
    "note",
    "status",
    "status_reason",
    "created_at",
    "updated_at",
]

FORMATS = {
    "jsonl": "application/x-ndjson; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "jsonld": 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"',
}
EXTENSIONS = {"jsonl": "jsonl", "csv": "csv", "jsonld": "jsonld"}
ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"


def timestamp(value: dt.datetime | None) -> str | None:
    """UTC with a Z, microseconds kept, so an import restores the exact instant."""
    if value is None:
        return None
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def filename(fmt: str, today: dt.date) -> str:
    return f"provenance-annotations-{today.isoformat()}.{EXTENSIONS[fmt]}"


def rows(queryset) -> Iterator[dict]:
    """Export rows from a `for_export()` queryset, read from the database in chunks."""
    for a in queryset.iterator(chunk_size=CHUNK_SIZE):
        sentence, source = a.sentence, a.source
        article = sentence.article
        row = {
            "annotation_id": a.pk,
            "article_id": article.pk,
            "article_title": article.title,
            "article_url": article.url,
            "article_content_sha256": article.content_sha256,
            "article_publisher": article.publisher.name if article.publisher_id else None,
            "article_published_on": (
                article.published_on.isoformat() if article.published_on else None
            ),
            "sentence_id": sentence.pk,
            "sentence_position": sentence.position,
            "sentence_start": sentence.start,
            "sentence_end": sentence.end,
            "sentence_text": sentence.text,
            "label": a.label,
            "phrase_start": a.phrase_start,
            "phrase_end": a.phrase_end,
            "quote": a.quote,
            "source_name": source.name if source else None,
            "source_slug": source.slug if source else None,
            "source_kind": source.kind if source else None,
            "source_reliability": source.reliability if source else None,
            "reviewer": a.reviewer.get_username(),
            "note": a.note,
            "status": a.status,
            "status_reason": a.status_reason,
            "created_at": timestamp(a.created_at),
            "updated_at": timestamp(a.updated_at),
        }
        if hasattr(a, "quote_prefix"):
            row["quote_prefix"] = a.quote_prefix or ""
            row["quote_suffix"] = a.quote_suffix or ""
        yield row


def jsonl_lines(rows: Iterable[dict]) -> Iterator[str]:
    for row in rows:
        yield json.dumps({k: row[k] for k in FIELDS}, ensure_ascii=False) + "\n"


# Spreadsheets run a cell starting with one of these as a formula ("=HYPERLINK(...)").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value  # shown as text; the apostrophe is the documented escape
    return value


def csv_lines(rows: Iterable[dict]) -> Iterator[str]:
    """UTF-8 CSV with a byte-order mark (so Excel reads it as UTF-8), a header row, RFC 4180
    quoting and formula-looking text cells prefixed with an apostrophe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")

    def flush():
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(FIELDS)
    yield "\ufeff" + flush()
    for row in rows:
        writer.writerow([_cell(row[k]) for k in FIELDS])
        yield flush()


def web_annotation(row: dict, *, base_url: str) -> dict:
    """One W3C Web Annotation (https://www.w3.org/TR/annotation-model/) for one row."""
    start = row["phrase_start"] if row["phrase_start"] is not None else row["sentence_start"]
    end = row["phrase_end"] if row["phrase_end"] is not None else row["sentence_end"]
    bodies = [
        {
            "type": "TextualBody",
            "purpose": "classifying",
            "value": row["label"],
            "format": "text/plain",
        }
    ]
    if row["source_slug"]:
        bodies.append(
            {
                "type": "SpecificResource",
                "purpose": "linking",
                "source": {
                    "id": f"{base_url}/sources/{row['source_slug']}/",
                    "type": "Text",
                    "format": "text/html",
                    "title": row["source_name"],
                },
            }
        )
    if row["note"]:
        bodies.append(
            {
                "type": "TextualBody",
                "purpose": "commenting",
                "value": row["note"],
                "format": "text/plain",
            }
        )
    return {
        "id": f"{base_url}/api/annotations/{row['annotation_id']}/",
        "type": "Annotation",
        "motivation": "classifying",
        "created": row["created_at"],
        "modified": row["updated_at"],
        "creator": {"type": "Person", "name": row["reviewer"], "nickname": row["reviewer"]},
        "generator": {"id": f"{base_url}/", "type": "Software", "name": "Provenance"},
        "body": bodies,
        "target": {
            "type": "SpecificResource",
            "source": {
                "id": f"{base_url}/articles/{row['article_id']}/",
                "type": "Text",
                "format": "text/plain",
                "title": row["article_title"],
            },
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": row["quote"],
                    "prefix": row.get("quote_prefix", ""),
                    "suffix": row.get("quote_suffix", ""),
                },
                {"type": "TextPositionSelector", "start": start, "end": end},
            ],
        },
    }


def jsonld_lines(rows: Iterable[dict], *, base_url: str, total: int) -> Iterator[str]:
    """An AnnotationCollection with one embedded AnnotationPage, one annotation per line,
    written as it streams (the header needs only the total)."""
    collection = f"{base_url}/api/export/annotations?format=jsonld"
    head = {
        "@context": ANNO_CONTEXT,
        "id": collection,
        "type": "AnnotationCollection",
        "label": "Provenance annotations",
        "total": total,
    }
    page = {"id": f"{collection}#page-1", "type": "AnnotationPage", "startIndex": 0}
    opening = json.dumps(head, ensure_ascii=False)[:-1] + ', "first": '
    opening += json.dumps(page, ensure_ascii=False)[:-1] + ', "items": [\n'
    yield opening
    separator = ""
    for row in rows:
        yield separator + json.dumps(web_annotation(row, base_url=base_url), ensure_ascii=False)
        separator = ",\n"
    yield "\n]}}\n"


def lines(fmt: str, queryset, *, base_url: str) -> Iterator[str]:
    """The export of `queryset` (a for_export() queryset, ordered) in one of FORMATS."""
    if fmt == "jsonl":
        return jsonl_lines(rows(queryset))
    if fmt == "csv":
        return csv_lines(rows(queryset))
    if fmt == "jsonld":
        return jsonld_lines(rows(queryset), base_url=base_url, total=queryset.count())
    raise ValueError(f"Unknown export format {fmt!r}; use one of {', '.join(FORMATS)}.")
