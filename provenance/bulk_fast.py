"""Bulk writes that go around Django's and simple_history's per-row machinery, for the
annotation restore (annotations/bulk_fast.py, where the measured gain is).

- `insert_rows`: COPY on PostgreSQL, a prepared INSERT run for every row on SQLite.
  Plain counterpart: `Model.objects.bulk_create`. It reaches psycopg's cursor through
  Django's cursor wrapper (`cursor.cursor`); COPY writes all rows or none.
- `copy_to_history`: the "+" rows simple_history would write for rows just inserted,
  copied inside the database (INSERT … SELECT) for exactly the ids given. Plain
  counterpart: simple_history's own `bulk_history_create`. It knows how simple_history
  lays out a historical table, so `history_columns` checks that layout the first time it
  sees a model and refuses to write when it differs: a simple_history upgrade that
  changes it fails tests/test_fast_paths.py and stops the restore, rather than writing
  incomplete history.

The importer of articles no longer copies its article's history row this way: on 100
articles imported in one transaction (7 interleaved runs, 2026-11-28) it gained 1.13x in
wall time and 1.12x in CPU on SQLite, 1.00x and 1.08x on PostgreSQL, so article_import
saves through simple_history's post_save.
"""

import functools

from django.conf import settings
from django.db import connection
from simple_history.signals import post_create_historical_record, pre_create_historical_record
from simple_history.utils import get_history_model_for_model

from .bulk import ids_condition

# The columns simple_history (3.x) adds to the model's own in a historical table.
HISTORY_COLUMNS = (
    "history_id",
    "history_date",
    "history_change_reason",
    "history_type",
    "history_user_id",
)


class HistoryLayoutChanged(RuntimeError):
    """simple_history's historical table is not the one copy_to_history knows how to fill."""


def insert_rows(model, columns: list[str], rows) -> None:
    """Insert rows of values already adapted for the database (see bulk.Adapted): COPY on
    PostgreSQL, one prepared INSERT run for every row elsewhere.

    For tens of thousands of rows (an annotation restore): COPY skips parsing and planning
    an INSERT per row, which is most of PostgreSQL's work for a narrow row. `rows` may be a
    generator: COPY sends rows as they come, so the server stores the first while the
    caller makes the last. No signals run and no ids come back; raises IntegrityError as
    Django does.
    """
    ops = connection.ops
    table = ops.quote_name(model._meta.db_table)
    names = ", ".join(ops.quote_name(c) for c in columns)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Binary rows cost a third of text ones to make, given each column's type.
            cursor.execute(
                "SELECT attname, atttypid FROM pg_attribute"
                " WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
                [table],
            )
            types = dict(cursor.fetchall())
            sql = f"COPY {table} ({names}) FROM STDIN (FORMAT BINARY)"  # noqa: S608
            with connection.wrap_database_errors, cursor.cursor.copy(sql) as copy:
                copy.set_types([types[c] for c in columns])
                for row in rows:
                    copy.write_row(row)
        return
    rows = list(rows)  # Django's query log counts them
    if rows:
        marks = ", ".join(["%s"] * len(columns))
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # noqa: S608


def copy_to_history(model, ids: list[int], *, when, reason, user_id) -> None:
    """The "+" rows django-simple-history would write for the rows of `model` with these
    ids, just inserted: copied inside the database (INSERT … SELECT) with one date,
    change reason and user.

    For importers: simple_history builds a manager class, a historical instance and an
    INSERT per row, which cost an article import ~0.5 ms and a restore more than its own
    inserts. Raises (and the caller's transaction rolls back) unless exactly one row was
    copied per id. Writes nothing while SIMPLE_HISTORY_ENABLED is off, as simple_history.
    """
    if not ids or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    quoted = connection.ops.quote_name
    history, tracked = history_columns(model)
    names = ", ".join(quoted(c) for c in tracked)
    extra = ", ".join(quoted(c) for c in HISTORY_COLUMNS[1:])
    ours, params = ids_condition(quoted(model._meta.pk.column), ids)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quoted(history._meta.db_table)} ({names}, {extra})"  # noqa: S608
            f" SELECT {names}, %s, %s, %s, %s FROM {quoted(model._meta.db_table)}"
            f" WHERE {ours}",
            [connection.ops.adapt_datetimefield_value(when), reason, "+", user_id, *params],
        )
        copied = cursor.rowcount
    if copied != len(ids):
        raise RuntimeError(f"{len(ids)} {model.__name__} rows written, {copied} copied to history")


@functools.cache
def history_columns(model) -> tuple:
    """(historical model, the columns it shares with `model`), once the historical table
    is checked to be what copy_to_history fills: the model's tracked columns plus
    simple_history's five, no signal receivers that a hand-written row would skip, no
    many-to-many history. Raises HistoryLayoutChanged otherwise."""
    history = get_history_model_for_model(model)
    tracked = [f.column for f in history.tracked_fields]
    own = {f.column for f in model._meta.concrete_fields}
    found = {f.column for f in history._meta.concrete_fields}
    expected = {*tracked, *HISTORY_COLUMNS}
    problems = []
    if found != expected:
        problems.append(
            f"columns differ (unexpected: {sorted(found - expected)}, "
            f"missing: {sorted(expected - found)})"
        )
    if not set(tracked) <= own:
        problems.append(f"tracks columns the model lacks: {sorted(set(tracked) - own)}")
    if history._meta.pk.column != "history_id":
        problems.append(f"its primary key is {history._meta.pk.column}")
    if getattr(history, "_history_m2m_fields", None):
        problems.append("it keeps many-to-many history")
    for signal in (pre_create_historical_record, post_create_historical_record):
        if signal.has_listeners(history):
            problems.append("a receiver listens for its history rows being created")
    if problems:
        raise HistoryLayoutChanged(
            f"{history.__name__}: {'; '.join(problems)}. copy_to_history would write "
            "incomplete history rows; use simple_history's bulk_history_create (the plain "
            "path) until provenance/bulk_fast.py is updated."
        )
    return history, tuple(tracked)
