"""The editors' side of the review: assignments, adjudication, and the source registry.

Service functions, each one transaction. Callers check that the user is an editor
(`roles.is_editor`); these functions check what the data itself forbids.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from provenance.models import Article, Reliability, Source, SourceAlias

from .models import Annotation, Assignment, AssignmentStatus, Label


class ReviewStatus:
    NEW = "new"
    IN_REVIEW = "in_review"
    AWAITING_ADJUDICATION = "awaiting_adjudication"
    ADJUDICATED = "adjudicated"

    choices = [
        (NEW, "New"),
        (IN_REVIEW, "In review"),
        (AWAITING_ADJUDICATION, "Awaiting adjudication"),
        (ADJUDICATED, "Adjudicated"),
    ]
    labels = dict(choices)


def with_review_status(articles):
    """Annotate `review_status` on an Article queryset, derived, never stored.

    adjudicated: an editor closed it; awaiting adjudication: it has assignments and all
    are done; in review: some assignment is not done; new: nobody is assigned.
    """
    from django.db.models import Case, CharField, Value, When

    open_assignments = Assignment.objects.filter(article=OuterRef("pk")).exclude(
        status=AssignmentStatus.DONE
    )
    any_assignment = Assignment.objects.filter(article=OuterRef("pk"))
    return articles.annotate(
        review_status=Case(
            When(adjudicated_at__isnull=False, then=Value(ReviewStatus.ADJUDICATED)),
            When(Exists(open_assignments), then=Value(ReviewStatus.IN_REVIEW)),
            When(Exists(any_assignment), then=Value(ReviewStatus.AWAITING_ADJUDICATION)),
            default=Value(ReviewStatus.NEW),
            output_field=CharField(),
        )
    )


def filter_review_status(articles, status):
    return with_review_status(articles).filter(review_status=status)


# Assignments ---------------------------------------------------------------------------


def _reviewer(user):
    if user is None or not user.is_active:
        raise ValidationError({"reviewer": "Choose an active user."}, code="inactive")
    return user


@transaction.atomic
def assignment_create(*, article: Article, reviewer, by, due_on=None) -> Assignment:
    """Assign `article` to `reviewer`; assigning again only updates the due date."""
    _reviewer(reviewer)
    assignment, created = Assignment.objects.select_for_update().get_or_create(
        article=article, reviewer=reviewer,
        defaults={"assigned_by": by, "due_on": due_on},
    )
    if not created and due_on != assignment.due_on:
        assignment.due_on = due_on
        assignment._history_user = by
        assignment.save(update_fields=["due_on"])
    if article.adjudicated_at is not None:
        # New review work reopens a closed article rather than hiding behind its verdict.
        article.adjudicated_at = None
        article.adjudicated_by = None
        article._history_user = by
        article.save(update_fields=["adjudicated_at", "adjudicated_by"])
    return assignment


@transaction.atomic
def assignment_reassign(*, assignment: Assignment, reviewer, by) -> Assignment:
    """Hand an assignment to another reviewer; the first reviewer's annotations stay."""
    _reviewer(reviewer)
    if reviewer.pk == assignment.reviewer_id:
        return assignment
    if Assignment.objects.filter(article=assignment.article_id, reviewer=reviewer).exists():
        raise ValidationError(
            f"{reviewer} is already assigned to this article.", code="already_assigned"
        )
    assignment.reviewer = reviewer
    assignment.status = AssignmentStatus.ASSIGNED
    assignment.finished_at = None
    assignment.assigned_by = by
    assignment._history_user = by
    assignment._change_reason = "reassigned"
    assignment.save()
    return assignment


@transaction.atomic
def assignment_delete(*, assignment: Assignment, by) -> None:
    """Unassign. History keeps the row; the reviewer's annotations are untouched."""
    assignment._history_user = by
    assignment._change_reason = "unassigned"
    assignment.delete()


# Adjudication --------------------------------------------------------------------------


@transaction.atomic
def article_close_adjudication(*, article: Article, by) -> Article:
    """Close the article as adjudicated. Refused while annotations await a verdict."""
    pending = (
        Annotation.objects.live()
        .for_article(article)
        .filter(status="submitted")
        .count()
    )
    if pending:
        raise ValidationError(
            f"{pending} annotation(s) still await a verdict; accept or reject them first.",
            code="pending",
        )
    article.adjudicated_at = timezone.now()
    article.adjudicated_by = by
    article._history_user = by
    article._change_reason = "adjudicated"
    article.save(update_fields=["adjudicated_at", "adjudicated_by"])
    return article


@transaction.atomic
def article_reopen_adjudication(*, article: Article, by) -> Article:
    article.adjudicated_at = None
    article.adjudicated_by = None
    article._history_user = by
    article._change_reason = "adjudication reopened"
    article.save(update_fields=["adjudicated_at", "adjudicated_by"])
    return article


# Source registry -----------------------------------------------------------------------


@transaction.atomic
def source_set_reliability(*, source: Source, reliability: str, note: str, by) -> Source:
    """An editor rates a source; a rating needs its rationale."""
    if reliability not in Reliability.values:
        raise ValidationError({"reliability": f"Unknown rating {reliability!r}."})
    note = (note or "").strip()
    if reliability != Reliability.UNRATED and not note:
        raise ValidationError(
            {"reliability_note": "Say why: a rating needs its rationale."}, code="required"
        )
    source.reliability = reliability
    source.reliability_note = note
    source.reliability_set_by = by
    source.reliability_set_at = timezone.now()
    source._history_user = by
    source._change_reason = f"reliability: {reliability}"
    source.save()
    return source


@transaction.atomic
def source_approve(*, source: Source, by) -> Source:
    source.needs_review = False
    source._history_user = by
    source._change_reason = "approved"
    source.save(update_fields=["needs_review", "updated_at"])
    return source


@transaction.atomic
def source_merge(*, survivor: Source, duplicates, by) -> dict:
    """Fold `duplicates` into `survivor`: articles, citations and names all move over.

    Where a reviewer cited both the survivor and a duplicate on one sentence, the two
    citations would collide; the older one is kept and the other deleted (recoverable)
    with a history note, so nothing a reviewer wrote disappears.
    """
    duplicates = [d for d in duplicates if d.pk != survivor.pk]
    if not duplicates:
        raise ValidationError("Choose at least one duplicate besides the survivor.")
    dup_ids = [d.pk for d in duplicates]
    list(Source.objects.select_for_update().filter(pk__in=[survivor.pk, *dup_ids]))
    counts = {"articles": 0, "citations": 0, "collapsed": 0, "aliases": 0}

    counts["articles"] = Article.objects.filter(publisher_id__in=dup_ids).count()
    for article in Article.objects.filter(publisher_id__in=dup_ids):
        article.publisher = survivor
        article._history_user = by
        article._change_reason = f"publisher merged into {survivor.name}"
        article.save(update_fields=["publisher"])

    citations = (
        Annotation.objects.live()
        .filter(label=Label.CITED_SOURCE, source_id__in=[survivor.pk, *dup_ids])
        .order_by("created_at", "id")
    )
    kept = {}
    for annotation in citations.select_for_update():
        key = (annotation.sentence_id, annotation.reviewer_id)
        if key in kept:
            annotation.deleted_at = timezone.now()
            annotation.source = survivor
            annotation.version += 1
            annotation._history_user = by
            annotation._change_reason = (
                f"merged duplicate of annotation {kept[key]} ({survivor.name})"
            )
            annotation.save(update_fields=["deleted_at", "source", "version", "updated_at"])
            counts["collapsed"] += 1
            continue
        kept[key] = annotation.pk
        if annotation.source_id != survivor.pk:
            annotation.source = survivor
            annotation.version += 1
            annotation._history_user = by
            annotation._change_reason = f"source merged into {survivor.name}"
            annotation.save(update_fields=["source", "version", "updated_at"])
            counts["citations"] += 1
    # Deleted citations follow too, so restoring one later points at the survivor.
    for annotation in Annotation.objects.deleted().filter(source_id__in=dup_ids):
        annotation.source = survivor
        annotation._history_user = by
        annotation._change_reason = f"source merged into {survivor.name}"
        annotation.save(update_fields=["source", "updated_at"])

    existing = {a.lower() for a in survivor.aliases.values_list("alias", flat=True)}
    existing.add(survivor.name.lower())
    carried = []
    for duplicate in duplicates:
        carried.append(duplicate.name)
        carried.extend(duplicate.aliases.values_list("alias", flat=True))
    SourceAlias.objects.filter(source_id__in=dup_ids).delete()
    for duplicate in duplicates:
        duplicate._history_user = by
        duplicate._change_reason = f"merged into {survivor.name}"
        duplicate.delete()
    for name in carried:
        taken = SourceAlias.objects.filter(alias__iexact=name).exists()
        if name.lower() not in existing and not taken:
            SourceAlias.objects.create(source=survivor, alias=name)
            existing.add(name.lower())
            counts["aliases"] += 1
    survivor._history_user = by
    survivor._change_reason = "merged " + ", ".join(d.name for d in duplicates)
    survivor.save(update_fields=["updated_at"])
    return counts


def label_mix(source: Source):
    """How the claims citing `source` are labelled: {label: count of live annotations}."""
    sentences = Annotation.objects.live().filter(source=source).values("sentence")
    rows = (
        Annotation.objects.live()
        .filter(sentence__in=sentences)
        .values("label")
        .annotate(n=Count("id"))
        .order_by("label")
    )
    return {row["label"]: row["n"] for row in rows}


def active_reviewers():
    return get_user_model().objects.filter(is_active=True).filter(
        Q(groups__name="Reviewer") | Q(groups__name="Editor") | Q(is_superuser=True)
    ).distinct().order_by("username")


# History -------------------------------------------------------------------------------

_REVERTED_FIELDS = ("label", "phrase_start", "phrase_end", "source_id", "note", "status",
                    "deleted_at")


@transaction.atomic
def annotation_revert(*, annotation: Annotation, to: Annotation, by) -> Annotation:
    """Bring an annotation back to an earlier version `to` (from its history).

    Replayed through the annotation services, so the usual checks apply (a revert that
    would duplicate a live label is refused) and the revert is itself a new version.
    """
    from . import services

    current = Annotation.objects.select_for_update().get(pk=annotation.pk)
    if all(getattr(current, f) == getattr(to, f) for f in _REVERTED_FIELDS):
        return current
    if current.deleted_at is not None and to.deleted_at is None:
        current = services.annotation_restore(annotation=current, by=by)
    if to.deleted_at is None:
        phrase = (to.phrase_start, to.phrase_end) if to.phrase_start is not None else None
        current = services.annotation_update(
            annotation=current, expected_version=None, by=by, label=to.label, phrase=phrase,
            source=to.source, note=to.note,
        )
        if current.status != to.status:
            current = services.annotation_set_status(
                annotation=current, status=to.status, by=by, reason="reverted"
            )
    elif current.deleted_at is None:
        current = services.annotation_delete(annotation=current, expected_version=None, by=by)
    return current
