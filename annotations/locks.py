"""The row locks the annotation write path takes, always in one order: sources, then the
article (a share lock, so it cannot be closed meanwhile: access.require_open), then
sentences (by id), then annotations (by id).

Why sentences: a join or split moves annotations between sentence rows and moves the rows'
boundaries. A writer that checked a phrase against a sentence it had not locked could store
it outside the sentence it ends up on, or insert it on a sentence a join has just deleted
(a foreign key failure at commit: a 500). So every annotation write locks the annotation's
sentence before the annotation, and boundaries.py locks all of the article's sentences
before it reads a single annotation. Why sources: a merge deletes the duplicate sources, so
a citation locks its source first, and a merge (which locks its sources first) waits for it
or makes it wait. Taking the locks in one order everywhere is what keeps two writers from
deadlocking on PostgreSQL.

Rows are read again once locked, never taken from the caller: the caller's copy may predate
the change that the lock waited for. On SQLite `select_for_update` does nothing, but every
transaction begins IMMEDIATE, holding the database's write lock from its first statement,
so the reads inside it are fresh all the same.
"""

import copy

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Subquery

from provenance.bulk import ids_in
from provenance.models import Sentence, Source

from .models import Annotation, Label

# A row moved (a join) between reading where it is and locking it there; reading again
# finds it. Bounded so that a pathological stream of joins cannot keep a request forever.
_ATTEMPTS = 3


class Conflict(ValidationError):
    """What the caller read changed meanwhile (a join, a split or a merge), so the change
    no longer applies as asked. Reloading shows the new state; the API answers 409."""


def lock_source(source: Source | None) -> None:
    """Keep `source` from being merged away until this transaction ends.

    FOR KEY SHARE is the lock PostgreSQL's own foreign key check takes: it stops a merge
    (which deletes the row) but not an editor rating the source, nor other citations.
    """
    if source is None:
        return
    quote = connection.ops.quote_name
    table, pk = quote(Source._meta.db_table), quote(Source._meta.pk.column)
    lock = " FOR KEY SHARE" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {table} WHERE {pk} = %s{lock}", [source.pk])  # noqa: S608
        if cursor.fetchone() is None:
            raise Conflict(
                f"“{source.name}” is no longer in the registry ({_why_gone(Source, source.pk)});"
                " choose the source again.",
                code="source_gone",
            )


def lock_sentence(pk: int) -> Sentence:
    """The sentence, locked and read again; Conflict if a join removed it meanwhile."""
    # Ordered by pk: Sentence's default ordering joins the article, and FOR UPDATE would lock
    # the article's row too, serialising every write to the article and deadlocking with
    # access.require_open's share lock on it.
    sentence = Sentence.objects.select_for_update().filter(pk=pk).order_by("pk").first()
    if sentence is None:
        raise Conflict(
            f"This sentence no longer exists ({_why_gone(Sentence, pk)}); reload the article.",
            code="sentence_gone",
        )
    return sentence


def lock_annotation(pk: int) -> Annotation:
    """The annotation and its sentence, both locked, sentence first, read again."""
    where = Annotation.objects.filter(pk=pk).values("sentence_id")
    for _ in range(_ATTEMPTS):
        # One query: the sentence the annotation is on as this statement starts. If a join
        # or split moves it meanwhile, the annotation read below names another sentence
        # (or this one is gone), and the loop locks again.
        # (Ordered by pk so the article is not joined, and so not locked: see lock_sentence.)
        sentence = (
            Sentence.objects.select_for_update().filter(pk=Subquery(where)).order_by("pk").first()
        )
        # The reviewer and source come along for the response; only the annotation row is
        # locked (PostgreSQL refuses FOR UPDATE on the nullable side of the source join).
        annotation = (
            Annotation.objects.select_for_update(of=("self",))
            .select_related("reviewer", "source")
            .get(pk=pk)
        )
        if sentence is not None and annotation.sentence_id == sentence.pk:
            annotation.sentence = sentence
            return _locked(annotation)
    raise Conflict(
        "The sentences around this annotation kept changing; reload and try again.", code="busy"
    )


def lock_annotations_on(sentences) -> list[Annotation]:
    """Every annotation on `sentences` (which the caller has locked), live and deleted,
    locked and read again, in id order.

    Each one's `.sentence` is a copy of its sentence as locked, so that after the caller
    moves the sentence's boundaries it still says which text the annotation covered.
    """
    homes = {s.pk: copy.copy(s) for s in sentences}
    rows = list(
        Annotation.objects.select_for_update(of=("self",))
        .select_related("reviewer")
        .filter(sentence_id__in=homes)
        .order_by("id")
    )
    for annotation in rows:
        annotation.sentence = homes[annotation.sentence_id]
        _locked(annotation)
    return rows


def lock_citations(source_ids) -> list[Annotation]:
    """Every citation of the sources (live and deleted), with its sentence, locked and read
    again, oldest first. The caller has locked the sources, so no citation of them can be
    made or re-pointed meanwhile."""
    citations = Annotation.objects.filter(label=Label.CITED_SOURCE, source_id__in=source_ids)
    return _lock_with_sentences(citations, ("created_at", "id"), "these citations")


def lock_annotations(ids) -> list[Annotation]:
    """The annotations `ids` (live and deleted), with their sentences, locked and read
    again, in id order; ValidationError naming the ids that do not exist."""
    ids = sorted(set(ids))
    rows = _lock_with_sentences(
        Annotation.objects.filter(pk__in=ids_in(ids)), ("id",), "these annotations"
    )
    if len(rows) != len(ids):
        missing = sorted(set(ids) - {a.pk for a in rows})
        raise ValidationError(
            f"No annotation has the id {', '.join(map(str, missing[:10]))}.", code="not_found"
        )
    return rows


def _lock_with_sentences(annotations, order, what: str) -> list[Annotation]:
    """`annotations` locked after their sentences (each sentence in id order). A join can
    move one to another sentence between finding its sentence and locking it; then the
    sentences are locked again."""
    for _ in range(_ATTEMPTS):
        homes = {
            s.pk: s
            for s in Sentence.objects.select_for_update()
            .filter(pk__in=annotations.values("sentence_id"))
            .order_by("id")
        }
        rows = list(
            annotations.select_for_update(of=("self",)).select_related("reviewer").order_by(*order)
        )
        if all(a.sentence_id in homes for a in rows):
            for annotation in rows:
                annotation.sentence = homes[annotation.sentence_id]
                _locked(annotation)
            return rows
    raise Conflict(f"The sentences of {what} kept changing; try again.", code="busy")


def require_locked(annotation: Annotation) -> None:
    """Refuse a row that was not read by one of the functions above: a change written from
    the caller's own copy is the lost update this module exists to prevent."""
    in_transaction = transaction.get_connection().in_atomic_block
    if not (in_transaction and getattr(annotation, "_locked", False)):
        raise RuntimeError(
            f"Annotation {annotation.pk} must be read with annotations.locks, inside the "
            "writing transaction, before it is changed."
        )


def _locked(annotation: Annotation) -> Annotation:
    annotation._locked = True
    return annotation


def _why_gone(model, pk) -> str:
    """What removed the row, from the change reason on its last history row."""
    last = model.history.filter(id=pk).order_by("-history_date", "-history_id").first()
    if last is None or last.history_type != "-":
        return "it was removed"
    who = f" by {last.history_user}" if last.history_user_id else ""
    return f"{last.history_change_reason or 'removed'}{who}"
