"""Multi-row writes for importers, through Django's public database API only.

The history-keeping fast paths (COPY, history rows copied in the database) are in
bulk_fast.py; this module holds what they and the plain implementations share.
"""

import datetime as dt
import json
import sqlite3

from django.db import connection
from django.db.models import BigIntegerField
from django.db.models.expressions import RawSQL


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


def ids_condition(column: str, ids: list[int]) -> tuple[str, list]:
    """SQL (and its parameters) true for exactly the rows whose `column` (quoted) is one
    of `ids`, in one parameter however many there are.

    For "the rows just written" in bulk: unlike a range from the smallest id to the
    largest, it cannot take in another writer's rows, and unlike `IN (%s, %s, …)` it
    never runs into the backend's limit on parameters. PostgreSQL takes an array; SQLite
    reads a JSON array (json_each, built in since SQLite 3.38, which Django's JSONField
    needs too).
    """
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [list(ids)]
    return f"{column} IN (SELECT value FROM json_each(%s))", [json.dumps(list(ids))]  # noqa: S608


def ids_in(ids: list[int]) -> RawSQL:
    """The same for a queryset, as a subquery: `Model.objects.filter(pk__in=ids_in(ids))`."""
    if connection.vendor == "postgresql":
        sql, params = "SELECT unnest(%s::bigint[])", [list(ids)]
    else:
        sql, params = "SELECT value FROM json_each(%s)", [json.dumps(list(ids))]
    return RawSQL(sql, params, output_field=BigIntegerField())  # noqa: S611 (fixed SQL)
