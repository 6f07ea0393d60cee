"""Every write to annotations goes through here: the browser, the API, the admin, importers,
and the boundary changes and merges that move annotations.

One place (annotations.checks) checks what the database cannot (offsets inside the
sentence, the quote equal to the text), so all writers share one rule and one message. Each change
reads its rows locked (annotations.locks, which says in what order and why), bumps
`version` once and writes one history row naming who made it and why.

Longer than the house's ~400 lines on purpose: issue 11 asks for one module through which
every change to an annotation goes (one row or many, the moves a join, split or merge
makes, a revert), so that a reader finds them all here. What needs no write is already
apart: the rules in annotations.checks, the row locks in annotations.locks, a restore's
inserts in bulk.py / bulk_fast.py.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from provenance.bulk import ids_in
from provenance.models import Sentence, Source
from provenance.text import clean_text

from . import bulk, bulk_fast, signals
from .access import require_open
from .checks import NOTE_MAX, STATUSES, annotation_check, check_fields, integrity_message
from .locks import (
    Conflict,
    lock_annotation,
    lock_annotations,
    lock_sentence,
    lock_source,
    require_locked,
)
from .models import Annotation, Label, SentenceReview, Status


class StaleVersion(Exception):
    """The annotation changed since the caller read it; carries the current row."""

    def __init__(self, current: Annotation):
        self.current = current
        super().__init__(
            f"Annotation {current.pk} is at version {current.version}; reload and try again."
        )


def _save(annotation: Annotation, *, update_fields=None):
    """Save, letting the database enforce the constraints, and word a violation for people.

    check_fields has already checked everything the check constraints say, so only a
    duplicate can fail here. Asking first with validate_constraints() cost a query per
    constraint on every save, and still lost races to concurrent requests.
    """
    try:
        with transaction.atomic():
            annotation.save(update_fields=update_fields)
    except IntegrityError as exc:
        raise integrity_message(exc) from None


def _write(annotation: Annotation, *, by, reason: str, fields, can_collide=False):
    """Save one change of a locked annotation: `version` bumped once, one history row
    saying who and why. `can_collide`: the change may make a live twin (an edit, a restore),
    so the save runs in a savepoint and a duplicate is answered with a message."""
    require_locked(annotation)
    annotation.version += 1
    annotation._history_user = by
    annotation._change_reason = reason
    update_fields = [*fields, "version", "updated_at"]
    if can_collide:
        _save(annotation, update_fields=update_fields)
    else:
        annotation.save(update_fields=update_fields)
    return annotation


def _answered(*, reviewer, article_id):
    """Tell the review (an assignment moves to "in progress") within this transaction."""
    signals.reviewer_answered.send(sender=Annotation, reviewer=reviewer, article_id=article_id)


def _span(annotation: Annotation, sentence: Sentence) -> tuple[int, int]:
    """The body offsets the annotation covers; a whole-sentence one covers `sentence`."""
    if annotation.phrase_start is None:
        return sentence.start, sentence.end
    return annotation.phrase_start, annotation.phrase_end


def _check_unchanged(*, seen: Sentence, current: Sentence, phrase) -> None:
    """Refuse a new annotation whose sentence a join or split changed after the caller read
    it, unless the phrase still lies inside it (offsets are absolute, so they still name
    the same text). A whole-sentence label would silently cover other text than the
    reviewer saw."""
    if (seen.start, seen.end) == (current.start, current.end):
        return
    if phrase is not None and current.start <= phrase[0] < phrase[1] <= current.end:
        return
    raise Conflict(
        f"This sentence changed since the page was loaded; it now reads “{current.text}”. "
        "Reload the article and annotate it again.",
        code="sentence_changed",
    )


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
    """Create an annotation after checking what the database cannot.

    The source and then the sentence are locked and read again first: the caller's copies
    may predate a merge that removed the source or a join that removed the sentence (the
    row would fail its foreign key at commit: a 500), or a split that moved the phrase
    out of the sentence.
    """
    lock_source(source)
    require_open(by=reviewer, sentence_id=sentence.pk)
    current = lock_sentence(sentence.pk)
    _check_unchanged(seen=sentence, current=current, phrase=phrase)
    annotation = annotation_check(
        reviewer=reviewer, sentence=current, label=label, phrase=phrase, source=source,
        note=note, quote=quote,
    )
    annotation._history_user = reviewer
    annotation._change_reason = "created"
    _save(annotation)
    # A label supersedes an earlier "no label" answer on the same sentence.
    SentenceReview.objects.filter(sentence=current, reviewer=reviewer).delete()
    _answered(reviewer=reviewer, article_id=current.article_id)
    return annotation


def _lock_current(annotation: Annotation, expected_version: int | None) -> Annotation:
    current = lock_annotation(annotation.pk)
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
    """Change an annotation; refuses a stale version and keeps the old one in history.

    An edit by its reviewer of an annotation that has a verdict takes the verdict back:
    the annotation is "submitted" again, so the editor sees it anew, and the sentence's
    decision no longer follows a verdict that was given on other content.
    """
    lock_source(None if source is _UNSET else source)
    require_open(by=by, sentence_id=annotation.sentence_id)
    current = _lock_current(annotation, expected_version)
    if current.deleted_at is not None:
        raise Conflict("This annotation was deleted; restore it first.", code="deleted")
    before = _content(current)
    new_label = current.label if label is _UNSET else label
    new_source = current.source if source is _UNSET else source
    if label is not _UNSET and label != Label.CITED_SOURCE and source is _UNSET:
        new_source = None  # switching away from cited_source drops the source
    if phrase is _UNSET:
        phrase = (
            (current.phrase_start, current.phrase_end) if current.phrase_start is not None else None
        )
    start, end, new_quote = check_fields(
        sentence=current.sentence, label=new_label, phrase=phrase, source=new_source, quote=quote
    )
    current.label = new_label
    current.source = new_source
    current.phrase_start, current.phrase_end, current.quote = start, end, new_quote
    if note is not _UNSET:
        current.note = clean_text(note, field="note", max_length=NOTE_MAX)
    fields = ["label", "source", "phrase_start", "phrase_end", "quote", "note"]
    reason = "edited"
    verdict_taken_back = (
        current.status != Status.SUBMITTED and by is not None
        and by.pk == current.reviewer_id and _content(current) != before
    )
    if verdict_taken_back:
        reason = f"edited; {current.status} verdict taken back"
        current.status, current.status_reason = Status.SUBMITTED, ""
        current.status_set_by, current.status_set_at = None, None
        fields += ["status", "status_reason", "status_set_by", "status_set_at"]
    _write(current, by=by, reason=reason, can_collide=True, fields=fields)
    if verdict_taken_back:
        signals.verdict_taken_back.send(sender=Annotation, sentence=current.sentence, by=by)
    return current


def _content(annotation: Annotation) -> tuple:
    """What a reviewer says with an annotation (a verdict judges these)."""
    return (annotation.label, annotation.source_id, annotation.phrase_start,
            annotation.phrase_end, annotation.note)


@transaction.atomic
def annotation_delete(*, annotation: Annotation, expected_version: int | None, by) -> Annotation:
    """Soft-delete: the row stays, marked deleted, and can be restored."""
    require_open(by=by, sentence_id=annotation.sentence_id)
    current = _lock_current(annotation, expected_version)
    if current.deleted_at is not None:
        return current
    current.deleted_at = timezone.now()
    return _write(current, by=by, reason="deleted", fields=["deleted_at"])


def _check_restorable(annotation: Annotation, *, phrase=_UNSET, label=None, source=_UNSET):
    """The checks a deleted annotation passes to come back (as it is, or as `phrase`,
    `label` and `source` say): its text must still lie inside the sentence it is on, which
    a split since the delete may have narrowed. Returns (start, end, quote)."""
    sentence = annotation.sentence
    if phrase is _UNSET:
        start, end = _span(annotation, sentence)
        text_now = annotation.quote if annotation.phrase_start is not None else sentence.text
        if not (sentence.start <= start < end <= sentence.end) or text_now != annotation.quote:
            raise Conflict(
                f"This {annotation.get_label_display().lower()} annotation on "
                f"“{annotation.quote}” cannot come back as it was: since it was deleted the "
                f"sentence was split, and it now reads “{sentence.text}”. Annotate the text "
                "again instead.",
                code="restore_conflict",
            )
        phrase = (start, end)
    return check_fields(
        sentence=sentence, label=label or annotation.label, phrase=phrase,
        source=annotation.source if source is _UNSET else source, quote=None,
    )


@transaction.atomic
def annotation_restore(
    *, annotation: Annotation, expected_version: int | None = None, by
) -> Annotation:
    """Bring a deleted annotation back, unless its sentence no longer holds its text or a
    live twin has taken its place since."""
    require_open(by=by, sentence_id=annotation.sentence_id)
    current = _lock_current(annotation, expected_version)
    if current.deleted_at is None:
        return current
    current.phrase_start, current.phrase_end, _ = _check_restorable(current)
    current.deleted_at = None
    return _write(current, by=by, reason="restored", can_collide=True,
                  fields=["deleted_at", "phrase_start", "phrase_end"])


@transaction.atomic
def annotation_set_status(
    *, annotation: Annotation, status: str, by, reason: str = "", expected_version=None
) -> Annotation:
    """An editor's verdict on an annotation (adjudication)."""
    if status not in STATUSES:
        raise ValidationError({"status": f"Unknown status {status!r}."}, code="invalid_status")
    current = _lock_current(annotation, expected_version)
    if current.deleted_at is not None:
        raise Conflict("This annotation was deleted meanwhile; it takes no verdict.",
                       code="deleted")
    current.status = status
    current.status_reason = clean_text(reason, field="reason", max_length=NOTE_MAX)
    current.status_set_by = by
    current.status_set_at = timezone.now()
    return _write(current, by=by, reason=f"status: {status}",
                  fields=["status", "status_reason", "status_set_by", "status_set_at"])


# Moves that come with sentence and registry changes ----------------------------------------


def annotation_rehome(*, annotation: Annotation, to: Sentence, by, reason: str) -> Annotation:
    """Move an annotation onto sentence `to` after a join or split, keeping the text it
    covers: a whole-sentence annotation becomes a phrase over the text it covered, and a
    phrase that is now a whole sentence is stored as one. No change, no new version.

    `annotation` comes from locks.lock_annotations_on(), whose `.sentence` is its sentence
    as it was before the boundaries moved. A live annotation must fit inside `to` (the
    boundary functions refuse changes that would cut one); a deleted one may not fit, and
    restoring it is then refused.
    """
    require_locked(annotation)
    start, end = _span(annotation, annotation.sentence)
    if start == to.start and end == to.end:
        start = end = None
    elif not (to.start <= start < end <= to.end) and annotation.deleted_at is None:
        raise ValidationError(
            f"Annotation {annotation.pk} ({start}–{end}) does not fit in sentence {to.pk} "
            f"({to.start}–{to.end}).",
            code="phrase_outside",
        )
    if (to.pk, start, end) == (
        annotation.sentence_id, annotation.phrase_start, annotation.phrase_end
    ):
        return annotation
    annotation.sentence = to
    annotation.phrase_start, annotation.phrase_end = start, end
    return _write(annotation, by=by, reason=reason,
                  fields=["sentence", "phrase_start", "phrase_end"])


def annotation_repoint_source(
    *, annotation: Annotation, source: Source, by, duplicate_of: int | None = None
) -> Annotation:
    """Point a citation at `source`, the survivor of a merge of its old source. With
    `duplicate_of`, the citation repeats that (kept) one now that both cite one source,
    and is deleted too, recoverably. `annotation` comes from locks.lock_citations()."""
    require_locked(annotation)
    if annotation.label != Label.CITED_SOURCE:
        raise ValidationError("Only a cited source annotation names a source.",
                              code="source_forbidden")
    fields = ["source"]
    if duplicate_of is not None:
        reason = f"merged duplicate of annotation {duplicate_of} ({source.name})"
        if annotation.deleted_at is None:
            annotation.deleted_at = timezone.now()
            fields.append("deleted_at")
    elif annotation.source_id == source.pk:
        return annotation
    else:
        reason = f"source merged into {source.name}"
    annotation.source = source
    return _write(annotation, by=by, reason=reason, fields=fields)


# "No label" answers ------------------------------------------------------------------------


@transaction.atomic
def sentence_mark_no_label(*, reviewer, sentence: Sentence) -> SentenceReview:
    """Record that the reviewer read the sentence and found nothing to label."""
    # Locked like an annotation's sentence: a mark on a sentence a join is deleting would
    # fail its foreign key at commit, and a label created meanwhile would sit beside it.
    require_open(by=reviewer, sentence_id=sentence.pk)
    sentence = lock_sentence(sentence.pk)
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
    require_open(by=reviewer, sentence_id=sentence.pk)
    SentenceReview.objects.filter(sentence=sentence, reviewer=reviewer).delete()


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


@transaction.atomic
def annotation_bulk_set_status(*, ids, status: str, by, reason: str = "") -> list[Annotation]:
    """annotation_set_status() for many annotations at once, as one change: the same
    checks (all refused if one is deleted), `version` bumped once each, and one "~"
    history row each naming `by` and "status: <status>", written by simple_history's
    bulk_history_create. For writers that already hold the editor's choice for many rows
    (the benchmark loader); the review's annotations_verdict() also moves decisions."""
    if status not in STATUSES:
        raise ValidationError({"status": f"Unknown status {status!r}."}, code="invalid_status")
    reason = clean_text(reason, field="reason", max_length=NOTE_MAX)
    rows = lock_annotations(ids)
    deleted = [a.pk for a in rows if a.deleted_at is not None]
    if deleted:
        raise Conflict(f"Annotation {deleted[0]} was deleted meanwhile; it takes no verdict.",
                       code="deleted")
    now = timezone.now()
    return _bulk_write(rows, by=by, reason=f"status: {status}", now=now, values={
        "status": status, "status_reason": reason, "status_set_by": by, "status_set_at": now,
    })


@transaction.atomic
def annotation_bulk_delete(*, ids, by) -> list[Annotation]:
    """annotation_delete() for many annotations at once: each live one soft-deleted, its
    `version` bumped, one "~" history row each naming `by` and "deleted"; those already
    deleted are left as they are. Returns the annotations deleted now. A reviewer's delete
    on a closed article is refused, as annotation_delete's is."""
    articles = Sentence.objects.filter(
        pk__in=Annotation.objects.filter(pk__in=ids_in(list(ids))).values("sentence_id")
    ).values_list("article_id", flat=True)
    for article_id in sorted(set(articles)):
        require_open(by=by, article_id=article_id)
    rows = [a for a in lock_annotations(ids) if a.deleted_at is None]
    now = timezone.now()
    return _bulk_write(rows, by=by, reason="deleted", now=now, values={"deleted_at": now})


def _bulk_write(rows: list[Annotation], *, by, reason: str, now, values: dict):
    """One UPDATE giving the locked `rows` the same `values`, and their history rows."""
    if not rows:
        return rows
    for annotation in rows:
        require_locked(annotation)
        for name, value in values.items():
            setattr(annotation, name, value)
        annotation.version += 1
        annotation.updated_at = now
    Annotation.objects.filter(pk__in=ids_in([a.pk for a in rows])).update(
        **values, version=F("version") + 1, updated_at=now
    )
    Annotation.history.bulk_history_create(
        rows, update=True, default_user=by, default_change_reason=reason, default_date=now
    )
    return rows


# Reverting to an earlier version ----------------------------------------------------------

_REVERTED_FIELDS = ("label", "phrase_start", "phrase_end", "source_id", "note", "status",
                    "deleted_at")


@transaction.atomic
def annotation_revert(*, annotation: Annotation, to: Annotation, by) -> Annotation:
    """Bring an annotation back to an earlier version `to` (from its history), as one new
    version.

    The usual checks apply to the state it returns to: its phrase must lie inside the
    sentence the annotation is on now, and a revert that would duplicate a live label is
    refused.
    """
    source = Source.objects.filter(pk=to.source_id).first() if to.source_id else None
    if to.source_id and source is None:
        raise Conflict(
            f"Version {to.version} cites a source that has left the registry since (merged "
            "into another); edit the annotation instead.",
            code="source_gone",
        )
    lock_source(source)
    require_open(by=by, sentence_id=annotation.sentence_id)
    current = _lock_current(annotation, None)
    if all(getattr(current, f) == getattr(to, f) for f in _REVERTED_FIELDS):
        return current
    fields = ["deleted_at"]
    if to.deleted_at is not None:
        current.deleted_at = current.deleted_at or timezone.now()
    else:
        phrase = (to.phrase_start, to.phrase_end) if to.phrase_start is not None else None
        current.phrase_start, current.phrase_end, current.quote = _check_restorable(
            current, phrase=phrase, label=to.label, source=source
        )
        current.deleted_at = None
        current.label, current.source, current.note = to.label, source, to.note
        fields += ["label", "source", "phrase_start", "phrase_end", "quote", "note"]
        if current.status != to.status:
            current.status, current.status_reason = to.status, "reverted"
            current.status_set_by, current.status_set_at = by, timezone.now()
            fields += ["status", "status_reason", "status_set_by", "status_set_at"]
    return _write(current, by=by, reason=f"reverted to version {to.version}", fields=fields,
                  can_collide=True)
