"""annotation_bulk_create's rows, and the plain way to write them: Django's bulk_create and
simple_history's bulk_history_create, public APIs only.

This is the reference the fast path (bulk_fast.py) is checked against
(tests/test_fast_paths.py) and measured against (`python -m bench.fastpaths`); the
services use the fast one.
"""

from .models import Annotation

_FIELDS = [f for f in Annotation._meta.concrete_fields if not f.primary_key]
# The attnames of the annotation's columns, in table order: the same as the column names.
COLUMNS = [f.attname for f in _FIELDS]
DATETIMES = [f.attname for f in _FIELDS if f.get_internal_type() == "DateTimeField"]
BATCH = 2000


def completed(rows, *, now):
    """Each row (a dict from Annotation attnames to values) with every column: a missing
    field takes the model's default, a missing created_at is `now` and a missing
    updated_at is created_at (auto_now would stamp both with the time of the restore)."""
    defaults = {f.attname: f.get_default() for f in _FIELDS}
    for row in rows:
        row = defaults | row
        row["created_at"] = created = row["created_at"] or now
        row["updated_at"] = row["updated_at"] or created
        yield row


def insert_annotations(rows, *, by, reason: str, now) -> list[int]:
    """Insert complete rows (see `completed`) with their "+" history rows; their ids, in
    order. Raises IntegrityError when a row breaks a constraint."""
    rows = list(rows)
    annotations = [Annotation(**row) for row in rows]
    Annotation.objects.bulk_create(annotations, batch_size=BATCH)
    # bulk_create stamps created_at and updated_at (auto_now_add, auto_now); a restore
    # keeps the exported times, which bulk_update writes as given.
    for annotation, row in zip(annotations, rows, strict=True):
        annotation.created_at, annotation.updated_at = row["created_at"], row["updated_at"]
    Annotation.objects.bulk_update(annotations, ["created_at", "updated_at"], batch_size=BATCH)
    Annotation.history.bulk_history_create(
        annotations,
        batch_size=BATCH,
        default_user=by,
        default_change_reason=reason,
        default_date=now,
    )
    return [a.pk for a in annotations]
