"""The exports written the plain way: the reference formats.py is checked against.

Rows come from `queryset.iterator()` with dates and timestamps as Python objects, written
with columns.timestamp(); lines are json.dumps() of a dict and csv.writer rows. Public
APIs only, and obviously what the format says. tests/test_fast_paths.py checks that
formats.pieces() writes the same bytes on generated text and timestamps. Not used by the
API or the command: on the M export (40,805 annotations; `python -m bench.fastpaths
export`, medians of 7 interleaved runs, 2026-11-28, 2 cores shared with other work, so CPU
time is the steadier figure) formats.pieces() takes 2.4-2.5x less CPU on SQLite and
4.5-4.8x less on PostgreSQL, for JSONL, CSV and JSON-LD alike. Per step of a JSONL export
(the rest done as formats.py does it), CPU / wall:
- timestamps written by the database (TimestampText, DateText) instead of in Python:
  1.7x / 1.8x on SQLite, 2.9-3.1x / 2.2-2.7x on PostgreSQL;
- lines written with f-strings instead of json.dumps: 1.6x on SQLite, 2.1-2.2x /
  1.5-2.0x on PostgreSQL;
- rows streamed from PostgreSQL (stream_fast.py) instead of iterator(): 1.1x / 1.4-1.6x.
"""

import csv
import io
import json
from collections.abc import Iterator

from provenance.text import spreadsheet_safe

from .columns import CHUNK_SIZE
from .columns import timestamp as _timestamp
from .formats import FIELDS, jsonld_opening

# columns.COLUMNS with the date and the timestamps read as they are stored.
COLUMNS = [
    *("id", "sentence__article_id", "sentence__article__title", "sentence__article__url"),
    *("sentence__article__content_sha256", "sentence__article__publisher__name"),
    "sentence__article__published_on",
    *("sentence_id", "sentence__position", "sentence__start", "sentence__end"),
    *("sentence__text", "label", "phrase_start", "phrase_end", "quote"),
    *("source__name", "source__slug", "source__kind", "source__reliability"),
    *("reviewer__username", "note", "status", "status_reason", "created_at", "updated_at"),
    *("status_set_by__username", "status_set_at"),
]
_PUBLISHED_ON = 6
_TIMESTAMPS = (24, 25, 27)  # created_at, updated_at, status_set_at


def rows(queryset) -> Iterator[list]:
    """The rows of `selection.export_queryset(..., columns=COLUMNS)`, with the date and
    the timestamps written as formats.FIELDS says."""
    return map(written, queryset.iterator(chunk_size=CHUNK_SIZE))


def written(row) -> list:
    """A row read with COLUMNS, its date and timestamps written in Python."""
    row = list(row)
    if row[_PUBLISHED_ON] is not None:
        row[_PUBLISHED_ON] = row[_PUBLISHED_ON].isoformat()
    for i in _TIMESTAMPS:
        row[i] = _timestamp(row[i])
    return row


def jsonl_lines(rows) -> Iterator[str]:
    for row in rows:
        yield json.dumps(dict(zip(FIELDS, row, strict=True)), ensure_ascii=False) + "\n"


def csv_lines(rows) -> Iterator[str]:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(FIELDS)
    yield "\ufeff" + out.getvalue()
    for row in rows:
        out.seek(0)
        out.truncate()
        # Text that a spreadsheet would run as a formula gets an apostrophe first.
        writer.writerow(spreadsheet_safe(v) if isinstance(v, str) else v for v in row)
        yield out.getvalue()


def jsonld_lines(rows, *, base_url: str, total: int) -> Iterator[str]:
    yield jsonld_opening(base_url=base_url, total=total)  # json.dumps of the collection
    separator = ""
    for row in rows:
        yield separator + json.dumps(_web_annotation(row, base_url), ensure_ascii=False)
        separator = ",\n"
    yield "\n]}}\n"


def _web_annotation(row, base_url: str) -> dict:
    values = dict(zip(FIELDS, row, strict=False))
    context, quote_at = row[len(FIELDS)], row[len(FIELDS) + 1]
    body = _bodies(values, base_url)
    start = values["phrase_start"]
    end = values["phrase_end"]
    if start is None:
        start, end = values["sentence_start"], values["sentence_end"]
    return {
        "id": f"{base_url}/api/annotations/{values['annotation_id']}/",
        "type": "Annotation",
        "motivation": "classifying",
        "created": values["created_at"],
        "modified": values["updated_at"],
        "creator": {"type": "Person", "name": values["reviewer"], "nickname": values["reviewer"]},
        "generator": {"id": f"{base_url}/", "type": "Software", "name": "Provenance"},
        "body": body,
        "target": {
            "type": "SpecificResource",
            "source": {
                "id": f"{base_url}/articles/{values['article_id']}/",
                "type": "Text",
                "format": "text/plain",
                "title": values["article_title"],
            },
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": values["quote"],
                    "prefix": context[:quote_at],
                    "suffix": context[quote_at + end - start :],
                },
                {"type": "TextPositionSelector", "start": start, "end": end},
            ],
        },
    }


def _bodies(values: dict, base_url: str) -> list[dict]:
    """The label, the cited source if any, the note if any."""
    body = [
        {
            "type": "TextualBody",
            "purpose": "classifying",
            "value": values["label"],
            "format": "text/plain",
        }
    ]
    if values["source_slug"]:
        body.append(
            {
                "type": "SpecificResource",
                "purpose": "linking",
                "source": {
                    "id": f"{base_url}/sources/{values['source_slug']}/",
                    "type": "Text",
                    "format": "text/html",
                    "title": values["source_name"],
                },
            }
        )
    if values["note"]:
        body.append(
            {
                "type": "TextualBody",
                "purpose": "commenting",
                "value": values["note"],
                "format": "text/plain",
            }
        )
    return body


def export(fmt: str, queryset, *, base_url: str) -> bytes:
    """The whole export of `queryset` (selection.export_queryset(..., columns=COLUMNS,
    with_context=fmt == "jsonld")), as formats.pieces() writes it, joined."""
    if fmt == "jsonl":
        lines = jsonl_lines(rows(queryset))
    elif fmt == "csv":
        lines = csv_lines(rows(queryset))
    elif fmt == "jsonld":
        lines = jsonld_lines(rows(queryset), base_url=base_url, total=queryset.count())
    else:
        raise ValueError(f"Unknown export format {fmt!r}")
    return "".join(lines).encode()
