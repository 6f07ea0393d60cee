"""Rows out of the database for an export: the columns it reads (in the order of
formats.FIELDS), with dates and timestamps written as text by the database, and the rows
read as the database sends them.

The database writes the text (TimestampText, DateText) because doing it in Python cost
1.7x the CPU on SQLite and 2.9-3.1x on PostgreSQL (plain.py is the reference; see its
docstring).
"""

import datetime as dt
from collections.abc import Iterator

from django.db import connections
from django.db.models import CharField, Func
from django.utils.dateparse import parse_datetime

from . import stream_fast

CHUNK_SIZE = 2000  # rows per database read


def timestamp(value: dt.datetime | None) -> str | None:
    """UTC with a Z, microseconds kept, so an import restores the exact instant.

    isoformat, not strftime("%Y…"), which writes the year 999 as "999" on Linux: neither
    ISO 8601 nor what TimestampText has the database write.
    """
    if value is None:
        return None
    return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def _utc_text(text):
    """timestamp() of a SQLite timestamp in a form Django does not write (see below)."""
    value = parse_datetime(text) if text is not None else None
    if value is None:
        return None
    return timestamp(value if value.tzinfo else value.replace(tzinfo=dt.UTC))


class DateText(Func):
    """A date column as YYYY-MM-DD, written by the database."""

    output_field = CharField()
    # SQLite stores dates as that text already. An expression, unlike a bare column, has
    # no declared type, so sqlite3 hands the text over instead of parsing it.
    template = "CAST(%(expressions)s AS TEXT)"

    def as_postgresql(self, compiler, connection, **extra):
        # to_char, not a cast: a cast's form follows the session's DateStyle.
        return self.as_sql(
            compiler, connection, template="to_char(%(expressions)s, 'YYYY-MM-DD')", **extra
        )


class TimestampText(Func):
    """A timestamp column as `timestamp()` writes it, written by the database."""

    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra):
        template = (
            """to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')"""
        )
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_sqlite(self, compiler, connection, **extra):
        # Django stores a SQLite timestamp as str() of the naive UTC datetime: to the
        # second, or to the microsecond when it has any. Text in any other form was written
        # by other software and goes to Python (a per-row converter would cost ~10% of an
        # export).
        connection.ensure_connection()
        connection.connection.create_function("provenance_utc_text", 1, _utc_text)
        x = "%(expressions)s"
        template = (
            f"CASE WHEN length({x}) = 19 AND substr({x}, 11, 1) = ' '"
            f" THEN substr({x}, 1, 10) || 'T' || substr({x}, 12) || '.000000Z'"
            f" WHEN length({x}) = 26 AND substr({x}, 11, 1) = ' ' AND substr({x}, 20, 1) = '.'"
            f" THEN substr({x}, 1, 10) || 'T' || substr({x}, 12) || 'Z'"
            f" ELSE provenance_utc_text({x}) END"
        )
        return self.as_sql(compiler, connection, template=template, **extra)


# Where each of FIELDS is read from, in order: what selection.export_rows() selects.
COLUMNS = [
    "id",
    "sentence__article_id",
    "sentence__article__title",
    "sentence__article__url",
    "sentence__article__content_sha256",
    "sentence__article__publisher__name",
    DateText("sentence__article__published_on"),
    "sentence_id",
    "sentence__position",
    "sentence__start",
    "sentence__end",
    "sentence__text",
    "label",
    "phrase_start",
    "phrase_end",
    "quote",
    "source__name",
    "source__slug",
    "source__kind",
    "source__reliability",
    "reviewer__username",
    "note",
    "status",
    "status_reason",
    TimestampText("created_at"),
    TimestampText("updated_at"),
    "status_set_by__username",
    TimestampText("status_set_at"),
]


def rows(queryset) -> Iterator[tuple]:
    """Export rows from `selection.export_rows()`, read as the database sends them: streamed
    on PostgreSQL (stream_fast.py), through iterator() elsewhere."""
    if connections[queryset.db].vendor == "postgresql":
        return stream_fast.rows(queryset, CHUNK_SIZE)
    return queryset.iterator(chunk_size=CHUNK_SIZE)
