"""Export writers: rows in, UTF-8 out. No HTTP and no files here.

The API streams what `pieces()` makes and export_annotations writes it, so both produce
the same bytes. Rows come from `selection.export_rows()`, one tuple per
annotation in the order of FIELDS; every row is self-contained (article, sentence, label,
phrase, source, reviewer), so one line of an export makes sense on its own and the JSONL
can be imported back (annotations/imports.py).

An export holds up to millions of annotations, so each one must cost microseconds: rows
are tuples, not model instances; the database writes dates and timestamps as text; an
article's and a sentence's part of a line is written once for all their annotations (the
default order groups rows by both); JSON strings and CSV cells are written here, the way
json.dumps and csv.writer write them, without either's per-call overhead; PostgreSQL
streams rows while lines are written (columns.py, stream_fast.py); and lines go out in
pieces of about 64 KB, so the server writes its socket once per piece, not per line.

plain.py writes the same bytes the plain way (iterator(), Python timestamps, json.dumps,
csv.writer); tests/test_fast_paths.py checks both on generated text and timestamps, and
its docstring gives what each of these steps gains.
"""

import datetime as dt
import json
import re
from collections.abc import Iterable, Iterator

from provenance.text import spreadsheet_safe

from .columns import rows

# Characters handed to the server at a time: one socket write per piece, not one per line.
PIECE_CHARS = 1 << 16

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
    # Who set an accepted/rejected status, and when: a restore imports a verdict only
    # with the editor who set it (exports/restore.py).
    "status_set_by",
    "status_set_at",
]

FORMATS = {
    "jsonl": "application/x-ndjson; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "jsonld": 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"',
}
EXTENSIONS = {"jsonl": "jsonl", "csv": "csv", "jsonld": "jsonld"}
ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"


def filename(fmt: str, today: dt.date) -> str:
    return f"provenance-annotations-{today.isoformat()}.{EXTENSIONS[fmt]}"


def _pieces(lines: Iterable[str]) -> Iterator[bytes]:
    """Lines joined into UTF-8 pieces of about PIECE_CHARS (memory stays flat)."""
    piece, size = [], 0
    for line in lines:
        piece.append(line)
        size += len(line)
        if size >= PIECE_CHARS:
            yield "".join(piece).encode()
            piece, size = [], 0
    if piece:
        yield "".join(piece).encode()


# A row is annotation_id, then the article's columns and the sentence's (each starting
# with its id), the annotation's (and, for JSON-LD, the quote's context): see FIELDS.
_ARTICLE = slice(1, 7)
_SENTENCE = slice(7, 12)
_ANNOTATION = slice(12, None)


def _lines(rows: Iterable[tuple], article, sentence, line) -> Iterator[str]:
    """`line(annotation_id, article(...), sentence(...), *the annotation's columns)` of
    every row. The article's and sentence's columns are most of a row and the default
    order groups rows by both, so their text is written once per article and sentence."""
    last_article = last_sentence = None
    for row in rows:
        if row[1] != last_article:
            last_article = row[1]
            article_text = article(*row[_ARTICLE])
        if row[7] != last_sentence:
            last_sentence = row[7]
            sentence_text = sentence(*row[_SENTENCE])
        yield line(row[0], article_text, sentence_text, *row[_ANNOTATION])


def _nullable(value, null: str, write=str) -> str:
    return null if value is None else write(value)


# JSONL: json.dumps(dict(zip(FIELDS, row)), ensure_ascii=False) of every row (plain.py).
# A string as json.dumps(text, ensure_ascii=False) writes it, through the encoder's public
# method rather than json.encoder's undocumented encode_basestring, which it calls: that
# saved 3% (SQLite) to 11% (PostgreSQL) of a JSONL export's client CPU (bench.fastpaths),
# not a clear win for leaning on an undocumented function.
_json_text = json.JSONEncoder(ensure_ascii=False).encode


def _jsonl_article(article_id, title, url, sha256, publisher, published_on):
    return (
        f'"article_id": {article_id}, "article_title": {_json_text(title)}, '
        f'"article_url": {_json_text(url)}, "article_content_sha256": {_json_text(sha256)}, '
        f'"article_publisher": {_nullable(publisher, "null", _json_text)}, '
        f'"article_published_on": {_nullable(published_on, "null", _json_text)}'
    )


def _jsonl_sentence(sentence_id, position, start, end, text):
    return (
        f'"sentence_id": {sentence_id}, "sentence_position": {position}, '
        f'"sentence_start": {start}, "sentence_end": {end}, "sentence_text": {_json_text(text)}'
    )


_NO_SOURCE_JSON = (
    '"source_name": null, "source_slug": null, "source_kind": null, "source_reliability": null'
)


def _jsonl_line(
    annotation_id, article, sentence, label, phrase_start, phrase_end, quote, source_name,
    source_slug, source_kind, source_reliability, reviewer, note, status, status_reason,
    created_at, updated_at, status_set_by, status_set_at,
):  # fmt: skip
    if source_name is None:  # no source: all four are null
        source = _NO_SOURCE_JSON
    else:
        source = (
            f'"source_name": {_json_text(source_name)}, '
            f'"source_slug": {_json_text(source_slug)}, '
            f'"source_kind": {_json_text(source_kind)}, '
            f'"source_reliability": {_json_text(source_reliability)}'
        )
    return (
        f'{{"annotation_id": {annotation_id}, {article}, {sentence}, '
        f'"label": {_json_text(label)}, "phrase_start": {_nullable(phrase_start, "null")}, '
        f'"phrase_end": {_nullable(phrase_end, "null")}, "quote": {_json_text(quote)}, '
        f'{source}, "reviewer": {_json_text(reviewer)}, "note": {_json_text(note)}, '
        f'"status": {_json_text(status)}, "status_reason": {_json_text(status_reason)}, '
        f'"created_at": {_json_text(created_at)}, '
        f'"updated_at": {_json_text(updated_at)}, '
        f'"status_set_by": {_nullable(status_set_by, "null", _json_text)}, '
        f'"status_set_at": {_nullable(status_set_at, "null", _json_text)}}}\n'
    )


def jsonl_lines(rows: Iterable[tuple]) -> Iterator[str]:
    """One JSON object per line, keys in the order of FIELDS."""
    return _lines(rows, _jsonl_article, _jsonl_sentence, _jsonl_line)


# What makes csv.writer (QUOTE_MINIMAL, lineterminator "\r\n") quote a cell.
_CSV_QUOTED = re.compile('[",\r\n]').search


def _csv_text(text):
    """A text cell: formula-looking text shown as text (the apostrophe is the documented
    escape), then quoted as csv.writer quotes it."""
    text = spreadsheet_safe(text)
    if _CSV_QUOTED(text) is None:
        return text
    return '"' + text.replace('"', '""') + '"'


def _csv_article(article_id, title, url, sha256, publisher, published_on):
    return (
        f"{article_id},{_csv_text(title)},{_csv_text(url)},{_csv_text(sha256)},"
        f"{_nullable(publisher, '', _csv_text)},{_nullable(published_on, '')}"
    )


def _csv_sentence(sentence_id, position, start, end, text):
    return f"{sentence_id},{position},{start},{end},{_csv_text(text)}"


def _csv_line(
    annotation_id, article, sentence, label, phrase_start, phrase_end, quote, source_name,
    source_slug, source_kind, source_reliability, reviewer, note, status, status_reason,
    created_at, updated_at, status_set_by, status_set_at,
):  # fmt: skip
    # Labels, statuses, source kinds and reliabilities are choices the database checks,
    # timestamps are ours: never quoted, never formula-looking.
    if source_name is None:
        source = ",,,"
    else:
        source = (
            f"{_csv_text(source_name)},{_csv_text(source_slug)},{source_kind},{source_reliability}"
        )
    return (
        f"{annotation_id},{article},{sentence},{label},{_nullable(phrase_start, '')},"
        f"{_nullable(phrase_end, '')},{_csv_text(quote)},{source},{_csv_text(reviewer)},"
        f"{_csv_text(note)},{status},{_csv_text(status_reason)},"
        f"{created_at},{updated_at},{_nullable(status_set_by, '', _csv_text)},"
        f"{_nullable(status_set_at, '')}\r\n"
    )


def csv_lines(rows: Iterable[tuple]) -> Iterator[str]:
    """UTF-8 CSV with a byte-order mark (so Excel reads it as UTF-8), a header row, RFC 4180
    quoting and formula-looking text cells prefixed with an apostrophe."""
    yield "\ufeff" + ",".join(FIELDS) + "\r\n"
    yield from _lines(rows, _csv_article, _csv_sentence, _csv_line)


def jsonld_opening(*, base_url: str, total: int) -> str:
    """The collection and its page up to the first item: what comes before the items."""
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
    return opening + json.dumps(page, ensure_ascii=False)[:-1] + ', "items": [\n'


def jsonld_lines(rows: Iterable[tuple], *, base_url: str, total: int) -> Iterator[str]:
    """An AnnotationCollection with one embedded AnnotationPage, one W3C Web Annotation
    (https://www.w3.org/TR/annotation-model/) per line, written as it streams (the header
    needs only the total). Each is what json.dumps(ensure_ascii=False) writes of

        {"id": "<base_url>/api/annotations/<id>/", "type": "Annotation",
         "motivation": "classifying", "created": ..., "modified": ...,
         "creator": {"type": "Person", "name": <reviewer>, "nickname": <reviewer>},
         "generator": {"id": "<base_url>/", "type": "Software", "name": "Provenance"},
         "body": [<the label>, <the cited source, if any>, <the note, if any>],
         "target": {"type": "SpecificResource", "source": <the article>,
                    "selector": [<TextQuoteSelector>, <TextPositionSelector>]}}

    for each row of export_rows(with_context=True).
    """
    yield jsonld_opening(base_url=base_url, total=total)
    writer = _WebAnnotations(base_url)
    separator = ""
    for item in _lines(rows, writer.article, writer.sentence, writer.line):
        yield separator + item
        separator = ",\n"
    yield "\n]}}\n"


class _WebAnnotations:
    """The parts of jsonld_lines()'s items, for _lines(): an article's target source, a
    sentence's offsets, and the line of an annotation."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.generator = json.dumps(
            {"id": f"{base_url}/", "type": "Software", "name": "Provenance"}, ensure_ascii=False
        )
        # JSON strings still open, for an id and "/" to close: '"<base_url>/articles/'
        self.annotations_iri = _json_text(f"{base_url}/api/annotations/")[:-1]
        self.articles_iri = _json_text(f"{base_url}/articles/")[:-1]

    def article(self, article_id, title, *_):
        return (
            f'{{"id": {self.articles_iri}{article_id}/", "type": "Text", '
            f'"format": "text/plain", "title": {_json_text(title)}}}'
        )

    def sentence(self, sentence_id, position, start, end, text):
        return start, end

    def line(
        self, annotation_id, article, sentence, label, phrase_start, phrase_end, quote,
        source_name, source_slug, source_kind, source_reliability, reviewer, note, status,
        status_reason, created_at, updated_at, status_set_by, status_set_at, context, quote_at,
    ):  # fmt: skip
        start = phrase_start if phrase_start is not None else sentence[0]
        end = phrase_end if phrase_end is not None else sentence[1]
        prefix, suffix = context[:quote_at], context[quote_at + end - start :]
        creator = _json_text(reviewer)
        return (
            f'{{"id": {self.annotations_iri}{annotation_id}/", "type": "Annotation", '
            f'"motivation": "classifying", "created": {_json_text(created_at)}, '
            f'"modified": {_json_text(updated_at)}, '
            f'"creator": {{"type": "Person", "name": {creator}, "nickname": {creator}}}, '
            f'"generator": {self.generator}, '
            f'"body": [{self.bodies(label, source_slug, source_name, note)}], '
            f'"target": {{"type": "SpecificResource", "source": {article}, '
            f'"selector": [{{"type": "TextQuoteSelector", "exact": {_json_text(quote)}, '
            f'"prefix": {_json_text(prefix)}, "suffix": {_json_text(suffix)}}}, '
            f'{{"type": "TextPositionSelector", "start": {start}, "end": {end}}}]}}}}'
        )

    def bodies(self, label, source_slug, source_name, note) -> str:
        """The label, the cited source if any, the note if any."""
        bodies = (
            '{"type": "TextualBody", "purpose": "classifying", '
            f'"value": {_json_text(label)}, "format": "text/plain"}}'
        )
        if source_slug:
            source_iri = _json_text(f"{self.base_url}/sources/{source_slug}/")
            bodies += (
                ', {"type": "SpecificResource", "purpose": "linking", '
                f'"source": {{"id": {source_iri}, "type": "Text", "format": "text/html", '
                f'"title": {_json_text(source_name)}}}}}'
            )
        if note:
            bodies += (
                ', {"type": "TextualBody", "purpose": "commenting", '
                f'"value": {_json_text(note)}, "format": "text/plain"}}'
            )
        return bodies


def pieces(fmt: str, queryset, *, base_url: str) -> Iterator[bytes]:
    """The export of `queryset` (export_rows() of an ordered queryset) in one of FORMATS: UTF-8
    in pieces of whole lines. Closing it early stops the database's work."""
    if fmt == "jsonl":
        return _pieces(jsonl_lines(rows(queryset)))
    if fmt == "csv":
        return _pieces(csv_lines(rows(queryset)))
    if fmt == "jsonld":
        total = queryset.count()
        return _pieces(jsonld_lines(rows(queryset), base_url=base_url, total=total))
    raise ValueError(f"Unknown export format {fmt!r}; use one of {', '.join(FORMATS)}.")
