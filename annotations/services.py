"""Every write to annotations goes through here: the browser, the API, the admin, importers.

One place checks what the database cannot (offsets inside the sentence, the quote equal
to the text, stale versions), so all writers share one rule and one message.
"""


from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from provenance.bulk import insert_many
from provenance.models import Article, Sentence, Source

from .models import Annotation, Assignment, AssignmentStatus, Label, SentenceReview, Status


class StaleVersion(Exception):
    """The annotation changed since the caller read it; carries the current row."""

    def __init__(self, current: Annotation):
        self.current = current
        super().__init__(
            f"Annotation {current.pk} is at version {current.version}; reload and try again."
        )


# Enum .values builds a new list on every access; importers check these once per row.
LABELS = frozenset(Label.values)
STATUSES = frozenset(Status.values)

_UNIQUE_MESSAGES = {
    "annotation_one_live_label_per_reviewer": (
        "You already gave this sentence that label; edit the existing annotation instead."
    ),
    "annotation_one_live_citation_per_reviewer_source": (
        "You already cited this source on this sentence."
    ),
}


def _check_fields(*, sentence: Sentence, label, phrase, source, quote) -> tuple:
    """Validate label, phrase and source against the sentence; return (start, end, quote)."""
    if label not in LABELS:
        raise ValidationError(
            {"label": f"Unknown label {label!r}; use one of {', '.join(Label.values)}."},
            code="invalid_label",
        )
    if label == Label.CITED_SOURCE and source is None:
        raise ValidationError(
            {"source": "A cited source annotation needs the source it cites."},
            code="source_required",
        )
    if label != Label.CITED_SOURCE and source is not None:
        raise ValidationError(
            {"source": "Only a cited source annotation names a source."}, code="source_forbidden"
        )
    if sentence.is_boilerplate:
        raise ValidationError(
            {"sentence": "This sentence is boilerplate; it is not annotated."},
            code="boilerplate",
        )
    start, end = phrase if phrase else (None, None)
    if (start is None) != (end is None):
        raise ValidationError(
            {"phrase": "Give both phrase_start and phrase_end, or neither."}, code="phrase_half"
        )
    if start is not None:
        if not (sentence.start <= start < end <= sentence.end):
            raise ValidationError(
                {
                    "phrase": (
                        f"The phrase {start}–{end} must lie inside the sentence "
                        f"({sentence.start}–{sentence.end}) and not be empty."
                    )
                },
                code="phrase_outside",
            )
        if start == sentence.start and end == sentence.end:
            start = end = None  # the whole sentence, stored the one way
    expected = (
        sentence.text
        if start is None
        else sentence.text[start - sentence.start : end - sentence.start]
    )
    if quote not in (None, "") and quote != expected:
        raise ValidationError(
            {"quote": f"The quote does not match the text at those offsets ({expected!r})."},
            code="quote_mismatch",
        )
    return start, end, expected


def _save(annotation: Annotation, *, update_fields=None):
    """Save, letting the database enforce the constraints, and word a violation for people.

    _check_fields has already checked everything the check constraints say, so only a
    duplicate can fail here. Asking first with validate_constraints() cost a query per
    constraint on every save, and still lost races to concurrent requests.
    """
    try:
        with transaction.atomic():
            annotation.save(update_fields=update_fields)
    except IntegrityError as exc:
        raise _integrity_message(exc) from None


def _integrity_message(exc: IntegrityError) -> ValidationError:
    # PostgreSQL names the violated constraint; SQLite lists the unique index's columns.
    text = str(exc)
    if "citation" in text or "source_id" in text:
        name = "annotation_one_live_citation_per_reviewer_source"
    elif "one_live_label" in text or "UNIQUE" in text:
        name = "annotation_one_live_label_per_reviewer"
    else:
        return ValidationError(f"The database refused this annotation: {text}", code="invalid")
    return ValidationError(_UNIQUE_MESSAGES[name], code="duplicate")


def _touch_assignment(*, reviewer, article_id):
    """First annotation on an article moves the reviewer's assignment to in progress."""
    Assignment.objects.filter(
        article_id=article_id, reviewer=reviewer, status=AssignmentStatus.ASSIGNED
    ).update(status=AssignmentStatus.IN_PROGRESS)


@transaction.atomic
def annotation_create(
    *,
    reviewer,
    sentence: Sentence,
    label: str,
    phrase: tuple[int, int] | None = None,
    source: Source | None = None,
    note: str = "",
    quote: str | None = None,
) -> Annotation:
    """Create an annotation after checking what the database cannot."""
    annotation = annotation_check(
        reviewer=reviewer, sentence=sentence, label=label, phrase=phrase, source=source,
        note=note, quote=quote,
    )
    annotation._history_user = reviewer
    annotation._change_reason = "created"
    _save(annotation)
    # A label supersedes an earlier "no label" answer on the same sentence.
    SentenceReview.objects.filter(sentence=sentence, reviewer=reviewer).delete()
    _touch_assignment(reviewer=reviewer, article_id=sentence.article_id)
    return annotation


def _lock_current(annotation: Annotation, expected_version: int | None) -> Annotation:
    # The reviewer and source come along for the response; only the annotation row is
    # locked (PostgreSQL refuses FOR UPDATE on the nullable side of the source join).
    current = (
        Annotation.objects.select_for_update(of=("self",))
        .select_related("sentence", "reviewer", "source")
        .get(pk=annotation.pk)
    )
    if expected_version is not None and current.version != expected_version:
        raise StaleVersion(current)
    return current


_UNSET = object()


@transaction.atomic
def annotation_update(
    *,
    annotation: Annotation,
    expected_version: int | None,
    by,
    label=_UNSET,
    phrase=_UNSET,
    source=_UNSET,
    note=_UNSET,
    quote=None,
) -> Annotation:
    """Change an annotation; refuses a stale version and keeps the old one in history."""
    current = _lock_current(annotation, expected_version)
    if current.deleted_at is not None:
        raise ValidationError("This annotation was deleted; restore it first.", code="deleted")
    new_label = current.label if label is _UNSET else label
    new_source = current.source if source is _UNSET else source
    if label is not _UNSET and label != Label.CITED_SOURCE and source is _UNSET:
        new_source = None  # switching away from cited_source drops the source
    if phrase is _UNSET:
        phrase = (
            (current.phrase_start, current.phrase_end) if current.phrase_start is not None else None
        )
    start, end, new_quote = _check_fields(
        sentence=current.sentence, label=new_label, phrase=phrase, source=new_source, quote=quote
    )
    current.label = new_label
    current.source = new_source
    current.phrase_start, current.phrase_end, current.quote = start, end, new_quote
    if note is not _UNSET:
        current.note = (note or "").strip()
    current.version += 1
    current._history_user = by
    current._change_reason = "edited"
    _save(current)
    return current


@transaction.atomic
def annotation_delete(*, annotation: Annotation, expected_version: int | None, by) -> Annotation:
    """Soft-delete: the row stays, marked deleted, and can be restored."""
    current = _lock_current(annotation, expected_version)
    if current.deleted_at is not None:
        return current
    current.deleted_at = timezone.now()
    current.version += 1
    current._history_user = by
    current._change_reason = "deleted"
    current.save(update_fields=["deleted_at", "version", "updated_at"])
    return current


@transaction.atomic
def annotation_restore(
    *, annotation: Annotation, expected_version: int | None = None, by
) -> Annotation:
    """Bring a deleted annotation back, unless a live twin has taken its place since."""
    current = _lock_current(annotation, expected_version)
    if current.deleted_at is None:
        return current
    current.deleted_at = None
    current.version += 1
    current._history_user = by
    current._change_reason = "restored"
    _save(current, update_fields=["deleted_at", "version", "updated_at"])
    return current


@transaction.atomic
def annotation_set_status(
    *, annotation: Annotation, status: str, by, reason: str = "", expected_version=None
) -> Annotation:
    """An editor's verdict on an annotation (adjudication)."""
    if status not in STATUSES:
        raise ValidationError({"status": f"Unknown status {status!r}."}, code="invalid_status")
    current = _lock_current(annotation, expected_version)
    current.status = status
    current.status_reason = (reason or "").strip()
    current.status_set_by = by
    current.status_set_at = timezone.now()
    current.version += 1
    current._history_user = by
    current._change_reason = f"status: {status}"
    current.save()
    return current


@transaction.atomic
def sentence_mark_no_label(*, reviewer, sentence: Sentence) -> SentenceReview:
    """Record that the reviewer read the sentence and found nothing to label."""
    if sentence.is_boilerplate:
        raise ValidationError("Boilerplate sentences are not reviewed.", code="boilerplate")
    if Annotation.objects.live().filter(sentence=sentence, reviewer=reviewer).exists():
        raise ValidationError(
            "You have labels on this sentence; delete them before marking it as no label.",
            code="has_labels",
        )
    mark, _ = SentenceReview.objects.get_or_create(sentence=sentence, reviewer=reviewer)
    _touch_assignment(reviewer=reviewer, article_id=sentence.article_id)
    return mark


@transaction.atomic
def sentence_unmark_no_label(*, reviewer, sentence: Sentence) -> None:
    SentenceReview.objects.filter(sentence=sentence, reviewer=reviewer).delete()


@transaction.atomic
def article_finish(*, reviewer, article: Article) -> Assignment:
    """The reviewer is done with the article; creates their assignment if there was none."""
    assignment, _ = Assignment.objects.select_for_update().get_or_create(
        article=article, reviewer=reviewer
    )
    assignment.status = AssignmentStatus.DONE
    assignment.finished_at = timezone.now()
    assignment.save()
    return assignment


def annotation_check(
    *,
    reviewer,
    sentence: Sentence,
    label: str,
    phrase: tuple[int, int] | None = None,
    source: Source | None = None,
    note: str = "",
    quote: str | None = None,
) -> Annotation:
    """An unsaved annotation that passed annotation_create's checks, made without queries.

    For bulk writers (the JSONL importer), which check uniqueness for the whole batch at
    once and then call annotation_bulk_create().
    """
    start, end, quote = _check_fields(
        sentence=sentence, label=label, phrase=phrase, source=source, quote=quote
    )
    return Annotation(
        reviewer=reviewer,
        sentence=sentence,
        label=label,
        phrase_start=start,
        phrase_end=end,
        quote=quote,
        source=source,
        note=(note or "").strip(),
    )


def _assign_ids(annotations: list[Annotation]) -> None:
    """Read back the new rows' ids by their live-unique key (sentence, reviewer, label,
    source): a handful of queries, where RETURNING per row is not portable."""
    by_key = {(a.sentence_id, a.reviewer_id, a.label, a.source_id): a for a in annotations}
    sentence_ids = sorted({a.sentence_id for a in annotations})
    for i in range(0, len(sentence_ids), 900):  # SQLite caps the parameters of one query
        rows = Annotation.objects.live().filter(sentence_id__in=sentence_ids[i : i + 900])
        for pk, *key in rows.values_list("pk", "sentence_id", "reviewer_id", "label", "source_id"):
            annotation = by_key.get(tuple(key))
            if annotation is not None:
                annotation.pk = pk


@transaction.atomic
def annotation_bulk_create(
    *, annotations: list[Annotation], by=None, reason: str = "imported"
) -> list[Annotation]:
    """Insert annotations checked by annotation_check(), keeping their timestamps, with
    their first history rows.

    A batch that breaks a unique constraint (a twin already live) fails as a whole.
    """
    if not annotations:
        return []
    now = timezone.now()
    for annotation in annotations:
        annotation.created_at = annotation.created_at or now
        annotation.updated_at = annotation.updated_at or annotation.created_at
    fields = [f for f in Annotation._meta.concrete_fields if not f.primary_key]
    try:
        with transaction.atomic():
            insert_many(
                Annotation,
                [f.column for f in fields],
                [tuple(getattr(a, f.attname) for f in fields) for a in annotations],
            )
    except IntegrityError:
        raise ValidationError(
            "Some of these annotations already exist; nothing was written.", code="duplicate"
        ) from None
    _assign_ids(annotations)
    # The history a one-by-one create would have written: one "+" row per annotation.
    fields = [Annotation._meta.pk, *fields]
    user_id = by.pk if by is not None else None
    insert_many(
        Annotation.history.model,
        [f.column for f in fields]
        + ["history_date", "history_change_reason", "history_type", "history_user_id"],
        [
            (*(getattr(a, f.attname) for f in fields), now, reason, "+", user_id)
            for a in annotations
        ],
    )
    # As in annotation_create: a label supersedes the reviewer's "no label" on the sentence.
    pairs = {(a.sentence_id, a.reviewer_id) for a in annotations}
    sentence_ids = sorted({s for s, _ in pairs})
    for i in range(0, len(sentence_ids), 900):  # SQLite caps the parameters of one query
        marks = SentenceReview.objects.filter(sentence_id__in=sentence_ids[i : i + 900])
        stale = [pk for pk, s, r in marks.values_list("pk", "sentence_id", "reviewer_id")
                 if (s, r) in pairs]
        if stale:
            SentenceReview.objects.filter(pk__in=stale).delete()
    return annotations
