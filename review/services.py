"""The one write path for the review: assignments, finishing and closing articles, and
merging sources in the registry (which re-points articles and citations).

Service functions, each one transaction. Callers check that the user is an editor
(`provenance.roles.is_editor`); these functions check what the data itself forbids.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from annotations import locks as annotation_locks
from annotations import services as annotation_services
from annotations.models import Annotation
from provenance.domains import source_domains_move
from provenance.models import Article, Source, SourceAlias

from .models import Assignment, AssignmentStatus

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


# No savepoint: it runs inside every first save of a reviewer's answer, where a failure
# rolls back the whole save anyway, and a savepoint costs two round trips per save.
@transaction.atomic(savepoint=False)
def assignment_start(*, reviewer, article_id) -> Assignment | None:
    """A reviewer's first label or "no label" on an article moves their assignment from
    assigned to in progress. Locked, so two first saves at once record one change."""
    assignment = (
        Assignment.objects.select_for_update()
        .filter(article_id=article_id, reviewer=reviewer, status=AssignmentStatus.ASSIGNED)
        .first()
    )
    if assignment is None:
        return None
    assignment.status = AssignmentStatus.IN_PROGRESS
    assignment._history_user = reviewer
    assignment._change_reason = "started"
    assignment.save(update_fields=["status"])
    return assignment


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

    # Deleted citations follow too, so restoring one later points at the survivor.
    kept, moved, collapsed = {}, [], []
    for annotation in annotation_locks.lock_citations([survivor.pk, *dup_ids]):
        key = (annotation.sentence_id, annotation.reviewer_id)
        if annotation.deleted_at is None and key in kept:
            collapsed.append((annotation, kept[key]))
            continue
        if annotation.deleted_at is None:
            kept[key] = annotation.pk
            counts["citations"] += annotation.source_id != survivor.pk
        moved.append(annotation)
    # Collapse first: re-pointing the kept citation while its younger twin on the survivor
    # is still live would break the one-live-citation-per-source rule.
    for annotation, twin in collapsed:
        annotation_services.annotation_repoint_source(
            annotation=annotation, source=survivor, by=by, duplicate_of=twin
        )
    counts["collapsed"] = len(collapsed)
    for annotation in moved:
        annotation_services.annotation_repoint_source(annotation=annotation, source=survivor, by=by)

    existing = {a.lower() for a in survivor.aliases.values_list("alias", flat=True)}
    existing.add(survivor.name.lower())
    carried = []
    for duplicate in duplicates:
        carried.append(duplicate.name)
        carried.extend(duplicate.aliases.values_list("alias", flat=True))
    SourceAlias.objects.filter(source_id__in=dup_ids).delete()
    counts["domains"] = source_domains_move(from_ids=dup_ids, to=survivor)
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


