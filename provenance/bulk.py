"""Fast multi-row inserts for importers, and the history rows that go with them."""

import datetime as dt
import functools
import sqlite3

from django.db import connection


def insert_rows(model, columns: list[str], rows) -> None:
    """Insert rows of values already adapted for the database (see Adapted): COPY on
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


class Adapted(dict):
    """Values adapted for the database by `adapt` (e.g. connection.ops.
    adapt_datetimefield_value), each distinct one once: Django's adapters cost
    microseconds a call, and restored rows repeat their timestamps."""

    def __init__(self, adapt):
        super().__init__()
        self.adapt = adapt

    def __missing__(self, value):
        adapted = self[value] = self.adapt(value)
        return adapted


def pk_where(model, column: str, value):
    """The primary key of a row whose `column` equals `value`, or None.

    For an importer's once-per-item lookup on a unique column: a queryset spends ~0.5 ms
    compiling the same SELECT every time, longer than the database takes to answer.
    """
    ops = connection.ops
    table = ops.quote_name(model._meta.db_table)
    pk = ops.quote_name(model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {pk} FROM {table} WHERE {ops.quote_name(column)} = %s", [value])  # noqa: S608
        row = cursor.fetchone()
    return None if row is None else row[0]


def insert_values(model, columns: list[str], rows: list[tuple]) -> None:
    """One INSERT carrying many rows (VALUES (…), (…), …), datetimes adapted.

    For a few dozen rows at a time (an article's sentences): psycopg's executemany still
    runs a statement per row on the server, which makes it twice as slow as one statement
    on PostgreSQL; SQLite gains a quarter. Rows go in as few statements as the backend's
    limit on parameters allows.
    """
    if not rows:
        return
    ops = connection.ops
    table = ops.quote_name(model._meta.db_table)
    names = ", ".join(ops.quote_name(c) for c in columns)
    row_marks = "(" + ", ".join(["%s"] * len(columns)) + ")"
    per_statement = max(1, _max_parameters() // len(columns))
    adapt = ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        for first in range(0, len(rows), per_statement):
            chunk = rows[first : first + per_statement]
            values = ", ".join([row_marks] * len(chunk))
            params = [adapt(v) if isinstance(v, dt.datetime) else v for row in chunk for v in row]
            cursor.execute(f"INSERT INTO {table} ({names}) VALUES {values}", params)  # noqa: S608


def _max_parameters() -> int:
    if connection.vendor == "sqlite":
        # Django says 999, the limit of SQLite before 3.32; ask the library itself.
        connection.ensure_connection()
        return connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return connection.features.max_query_params or 65535  # PostgreSQL's protocol limit


def copy_to_history(model, *, where: str, params: list, when, reason, user_id) -> int:
    """The "+" rows django-simple-history would write for rows of `model` just inserted,
    copied inside the database (INSERT … SELECT) with one date, change reason and user.

    For importers: simple_history builds a manager class, a historical instance and an
    INSERT per row, which cost an article import ~0.5 ms and a restore more than its own
    inserts. `where` (SQL on the model's table, with `params`) picks the rows; returns how
    many were copied, so a caller can check it got them all.
    """
    quoted = connection.ops.quote_name
    history = _history_model(model)
    names = ", ".join(quoted(f.column) for f in history.tracked_fields)
    extra = ", ".join(
        quoted(c)
        for c in ("history_date", "history_change_reason", "history_type", "history_user_id")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quoted(history._meta.db_table)} ({names}, {extra})"  # noqa: S608
            f" SELECT {names}, %s, %s, %s, %s FROM {quoted(model._meta.db_table)}"
            f" WHERE {where}",
            [connection.ops.adapt_datetimefield_value(when), reason, "+", user_id, *params],
        )
        return cursor.rowcount


@functools.cache
def _history_model(model):
    return model.history.model  # each access to Model.history builds a manager class
