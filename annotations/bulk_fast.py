"""annotation_bulk_create's fast path: rows as tuples through COPY (PostgreSQL) or one
prepared INSERT (SQLite), ids read back in one query, history rows copied in the database.

The plain reference is bulk.py (Django's bulk_create, bulk_update for the kept
timestamps, simple_history's bulk_history_create); tests/test_fast_paths.py checks that
both write the same annotations and history rows. What this leans on, and what guards it:
- simple_history's historical table layout: provenance.bulk_fast.history_columns checks it
  and refuses to write when it differs;
- psycopg's COPY, reached through Django's cursor wrapper: an upgrade that changes either
  fails the tests (they run on PostgreSQL too), not the data: COPY writes all rows or none.
Ids are never assumed to be consecutive: they are read back by the rows' live-unique key,
and history rows are copied for exactly those ids.

Measured restoring the M export (40,805 annotations, import_jsonl end to end, medians of
5 interleaved runs; `python -m bench.fastpaths restore`, 2026-11-28, 2 cores shared with
other work): SQLite 5.3 s against 38.5 s for bulk.py (7.3x wall, 6.9x CPU); PostgreSQL
11.4 s against 88.6 s (7.8x wall, 12.7x CPU in this process). Choosing the history rows by
their exact ids instead of the range between the smallest and the largest (which assumed
SQLite gives one batch consecutive ids) costs 5% more on that one query on SQLite.
"""

from operator import itemgetter

from django.db import connection

from provenance.bulk import Adapted
from provenance.bulk_fast import copy_to_history, insert_rows
from provenance.bulk_fast import history_columns as _history_columns

from .bulk import COLUMNS, DATETIMES
from .models import Annotation

# The live-unique key of an annotation: the constraints annotation_one_live_label_per_
# reviewer and annotation_one_live_citation_per_reviewer_source (source is null for the
# other labels) allow one live row per key, so a key names one live annotation.
KEY = ("sentence_id", "reviewer_id", "label", "source_id")


def insert_annotations(rows, *, by, reason: str, now) -> list[int]:
    """Insert complete rows (see bulk.completed) with their "+" history rows; their ids,
    in order. `rows` may be a generator: on PostgreSQL the first rows are stored while the
    last are made. Raises IntegrityError when a row breaks a constraint."""
    adapted = Adapted(connection.ops.adapt_datetimefield_value)
    as_tuple = itemgetter(*COLUMNS)

    def values():
        for row in rows:
            for name in DATETIMES:
                row[name] = adapted[row[name]]
            yield as_tuple(row)

    _history_columns(Annotation)  # before any row is written: refuse an unknown layout
    ids = _insert_returning_ids(values())
    copy_to_history(Annotation, ids, when=now, reason=reason, user_id=_history_user_id(by))
    return ids


def _insert_returning_ids(values) -> list[int]:
    """Insert the tuples (in COLUMNS order) and return their ids, in order, without a
    query per row.

    The rows are live, so each one's key (KEY) is unique among live rows: they are read
    back by key among the live rows above the largest id before the insert. That is exact
    even when another writer adds annotations meanwhile (theirs have other keys, or the
    insert would have failed), and it lets COPY take the rows as they come.
    """
    quoted = connection.ops.quote_name
    table, pk_column = quoted(Annotation._meta.db_table), quoted(Annotation._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX({pk_column}) FROM {table}")  # noqa: S608
        last = cursor.fetchone()[0] or 0
        written = []
        insert_rows(Annotation, COLUMNS, _kept(values, written))
        keys = ", ".join(quoted(c) for c in KEY)
        cursor.execute(
            f"SELECT {pk_column}, {keys} FROM {table}"  # noqa: S608
            f" WHERE {pk_column} > %s AND deleted_at IS NULL",
            [last],
        )
        by_key = {tuple(key): pk for pk, *key in cursor.fetchall()}
    key = itemgetter(*map(COLUMNS.index, KEY))
    try:
        return [by_key[key(row)] for row in written]
    except KeyError:
        # Ids below the largest one: a sequence behind rows inserted with explicit ids.
        raise RuntimeError(
            "Annotations just written were not found above the largest id before them; "
            "is the id sequence behind the table?"
        ) from None


def _kept(values, into: list):
    """`values` as they come, each also kept in `into` (the insert reads them once)."""
    for row in values:
        into.append(row)
        yield row


def _history_user_id(by):
    """Who bulk_history_create records when no row names its user: `by`, else whom
    simple_history finds (the signed-in user of the request being served), else nobody."""
    if by is None:
        history, _ = _history_columns(Annotation)
        by = history.get_default_history_user(Annotation())
    return None if by is None else by.pk
