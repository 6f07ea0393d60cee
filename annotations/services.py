"""Every write to annotations goes through here: the browser, the API, the admin, importers.

One place checks what the database cannot (offsets inside the sentence, the quote equal
to the text, stale versions), so all writers share one rule and one message.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from provenance.bulk import ids_in
from provenance.models import Sentence, Source

from . import bulk, bulk_fast, signals
from .models import Annotation, Label, SentenceReview, Status


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


def _answered(*, reviewer, article_id):
    """Tell the review (an assignment moves to "in progress") within this transaction."""
    signals.reviewer_answered.send(sender=Annotation, reviewer=reviewer, article_id=article_id)


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
    _answered(reviewer=reviewer, article_id=sentence.article_id)
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
    _answered(reviewer=reviewer, article_id=sentence.article_id)
    return mark


@transaction.atomic
def sentence_unmark_no_label(*, reviewer, sentence: Sentence) -> None:
    SentenceReview.objects.filter(sentence=sentence, reviewer=reviewer).delete()


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
    """An unsaved annotation that passed annotation_create's checks, made without selectors."""
    start, end, quote, note = annotation_values(
        sentence=sentence, label=label, phrase=phrase, source=source, note=note, quote=quote
    )
    return Annotation(
        reviewer=reviewer,
        sentence=sentence,
        label=label,
        phrase_start=start,
        phrase_end=end,
        quote=quote,
        source=source,
        note=note,
    )


def annotation_values(
    *, sentence, label: str, phrase=None, source=None, note: str = "", quote=None
) -> tuple:
    """The rules every annotation passes, and its normalised values: (phrase_start,
    phrase_end, quote, note). annotation_check() builds an unsaved Annotation from them;
    bulk writers (the JSONL importer) pass them to annotation_bulk_create() as they are.

    `sentence` needs only is_boilerplate, start, end and text, and `source` only to be None
    or not, so an importer can pass rows it read as tuples: building model instances cost
    a restore more than all of its checks.
    """
    start, end, quote = _check_fields(
        sentence=sentence, label=label, phrase=phrase, source=source, quote=quote
    )
    return start, end, quote, (note or "").strip()


@transaction.atomic
def annotation_bulk_create(*, rows, by=None, reason: str = "imported") -> list[int]:
    """Insert live annotations whose values passed annotation_values()'s rules, keeping
    their timestamps, with their first history rows; return their ids, in order.

    `rows` is an iterable (a generator, for one that checks rows as they are written) of
    dicts from Annotation attnames (sentence_id, reviewer_id, label, …) to values; a
    missing field takes the model's default, a missing created_at is now and a missing
    updated_at is created_at. A restore writes hundreds of thousands, so they go through
    bulk_fast.py (rows as tuples, history copied in the database); bulk.py writes the same
    rows with Django's and simple_history's own bulk methods. A batch that breaks a unique
    constraint (a twin already live) fails as a whole.
    """
    now = timezone.now()
    try:
        with transaction.atomic():
            ids = bulk_fast.insert_annotations(
                bulk.completed(rows, now=now), by=by, reason=reason, now=now
            )
    except IntegrityError:
        raise ValidationError(
            "Some of these annotations already exist; nothing was written.", code="duplicate"
        ) from None
    if ids:
        _clear_no_label_marks(ids)
    return ids


def _clear_no_label_marks(ids: list[int]) -> None:
    """As in annotation_create: a label supersedes the reviewer's "no label" on the
    sentence. Deleted through the ORM, which writes their history."""
    ours = Annotation.objects.filter(pk__in=ids_in(ids))
    SentenceReview.objects.filter(
        Exists(
            ours.filter(sentence_id=OuterRef("sentence_id"), reviewer_id=OuterRef("reviewer_id"))
        ),
        sentence_id__in=ours.values("sentence_id"),
    ).delete()


# Reverting to an earlier version ----------------------------------------------------------

_REVERTED_FIELDS = ("label", "phrase_start", "phrase_end", "source_id", "note", "status",
                    "deleted_at")


@transaction.atomic
def annotation_revert(*, annotation: Annotation, to: Annotation, by) -> Annotation:
    """Bring an annotation back to an earlier version `to` (from its history).

    Replayed through the annotation services, so the usual checks apply (a revert that
    would duplicate a live label is refused) and the revert is itself a new version.
    """
    current = Annotation.objects.select_for_update().get(pk=annotation.pk)
    if all(getattr(current, f) == getattr(to, f) for f in _REVERTED_FIELDS):
        return current
    if current.deleted_at is not None and to.deleted_at is None:
        current = annotation_restore(annotation=current, by=by)
    if to.deleted_at is None:
        phrase = (to.phrase_start, to.phrase_end) if to.phrase_start is not None else None
        current = annotation_update(
            annotation=current, expected_version=None, by=by, label=to.label, phrase=phrase,
            source=to.source, note=to.note,
        )
        if current.status != to.status:
            current = annotation_set_status(
                annotation=current, status=to.status, by=by, reason="reverted"
            )
    elif current.deleted_at is None:
        current = annotation_delete(annotation=current, expected_version=None, by=by)
    return current
