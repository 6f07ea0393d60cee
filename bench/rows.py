"""Rows the benchmark loader inserts itself, with the history rows their writers would
leave: articles, sentences and assignments (the services have no bulk form that keeps the
corpus's timestamps). bulk_create on SQLite, COPY on PostgreSQL; a historical table other
than the one checked by provenance.bulk_fast.history_columns is refused.
"""

import copy
import datetime as dt

from django.db import connection

from provenance.bulk_fast import history_columns


def snapshot(obj, user, when, reason, kind):
    snap = copy.copy(obj)
    snap._history_user, snap._history_date, snap._change_reason = user, when, reason
    snap._history_type, snap._row = kind, obj
    return snap


class Writer:
    """Inserts rows: bulk_create on SQLite, COPY on PostgreSQL.

    bulk_create spends most of its time preparing values in Python (a million annotations
    and their history would take the better part of an hour); COPY takes the same values
    as psycopg adapts them, so ids are assigned here and the sequences moved past them at
    the end (`finish`). Both write the same columns and values.
    """

    def __init__(self):
        self.copy = connection.vendor == "postgresql"
        self.next_id: dict[str, int] = {}

    def insert(self, model, objs):
        if not objs:
            return
        if not self.copy:
            model.objects.bulk_create(objs, batch_size=2000)
            return
        table = model._meta.db_table
        if table not in self.next_id:
            with connection.cursor() as cursor:
                cursor.execute(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{table}"')  # noqa: S608
                self.next_id[table] = cursor.fetchone()[0]
        for obj in objs:
            obj.pk, self.next_id[table] = self.next_id[table], self.next_id[table] + 1
        fields = model._meta.concrete_fields
        self._copy(table, [f.column for f in fields],
                   ([getattr(o, f.attname) for f in fields] for o in objs))

    def history(self, model, snapshots):
        """History rows from snapshots taken before the rows had primary keys."""
        for snap in snapshots:
            snap.pk = snap._row.pk
        if not self.copy:
            for kind in ("+", "~"):
                batch = [s for s in snapshots if s._history_type == kind]
                if batch:
                    model.history.bulk_history_create(
                        batch, batch_size=2000, update=(kind == "~"), default_change_reason=None
                    )
            return
        history_columns(model)  # refuses a historical table other than the one written here
        historical = model.history.model
        tracked = historical.tracked_fields
        columns = [f.attname for f in tracked] + [
            "history_date", "history_change_reason", "history_type", "history_user_id"
        ]
        self._copy(historical._meta.db_table, columns, (
            [getattr(s, f.attname) for f in tracked] + [
                getattr(s, "_history_date", None) or dt.datetime.now(dt.UTC),
                getattr(s, "_change_reason", None), s._history_type,
                getattr(getattr(s, "_history_user", None), "pk", None),
            ] for s in snapshots
        ))

    def _copy(self, table, columns, rows):
        names = ", ".join(f'"{c}"' for c in columns)
        sql = f'COPY "{table}" ({names}) FROM STDIN'
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as out:
            for row in rows:
                out.write_row(row)

    def finish(self, models):
        if not self.copy:
            return
        from django.core.management.color import no_style

        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)


def plus(objs, **_):
    """Snapshots for objects written once, as bulk_create_with_history records them."""
    out = []
    for obj in objs:
        snap = copy.copy(obj)
        snap._history_type, snap._row = "+", obj
        out.append(snap)
    return out
