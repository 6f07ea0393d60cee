"""The one write path for the review: assignments, finishing articles, adjudication
(verdicts, each sentence's final decision, closing) and merging sources in the registry
(which re-points articles and citations).

Service functions, each one transaction. Callers check that the user is an editor
(`provenance.roles.is_editor`); these functions check what the data itself forbids.

Longer than the house's ~400 lines on purpose: issue 11 asks for one module of write
functions per part of the app, so that a reader finds every write of the review here;
the rules that decide a sentence are already apart (decisions.py), and what is left is
writes.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.defaultfilters import pluralize
from django.utils import timezone

from annotations import locks as annotation_locks
from annotations import services as annotation_services
from annotations.models import Annotation, SentenceReview, Status
from provenance.domains import source_domains_move
from provenance.models import Article, Sentence, Source, SourceAlias
from provenance.text import clean_text

from .decisions import agreed_labels, derived_labels
from .models import Assignment, AssignmentStatus, DecisionBasis, SentenceDecision, label_set
from .selectors import article_reviewer_ids

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


NOT_ASSIGNED = (
    "You are not assigned to this article; only its assigned reviewers can finish it."
)


@transaction.atomic
def article_finish(*, reviewer, article: Article) -> Assignment:
    """The reviewer is done with the article. Only an assigned reviewer: an unassigned
    one marking it done would move it to "awaiting adjudication" behind the team's back."""
    assignment = (
        Assignment.objects.select_for_update().filter(article=article, reviewer=reviewer).first()
    )
    if assignment is None:
        raise PermissionDenied(NOT_ASSIGNED)
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


class DecisionStale(Exception):
    """The sentence's decision changed since the caller drew it; carries it (or None)."""

    def __init__(self, sentence, current):
        self.sentence, self.current = sentence, current
        super().__init__(
            "Someone changed this sentence's final labels meanwhile; they are shown as they "
            "are now. Nothing was overwritten."
        )


# Reasons the review records with the verdicts it gives on the editor's behalf.
AGREED = "Reviewers agree."
IN_FINAL = "Among the sentence's final labels."
NOT_IN_FINAL = "Not among the sentence's final labels."


def _lock_sentences(ids):
    """Lock the sentences, in id order (the one order of annotations/locks.py, so writers
    cannot deadlock): every write to a sentence's verdicts or decision holds its row, so
    the decision never reads verdicts another editor is halfway through changing."""
    return list(Sentence.objects.select_for_update().filter(pk__in=ids).order_by("pk"))


def _answers(sentence_ids) -> tuple[dict, dict]:
    """({sentence_id: [live annotations]}, {sentence_id: {reviewer_id: set(labels)}})."""
    annotations, answers = {}, {}
    for a in Annotation.objects.live().filter(sentence_id__in=sentence_ids).order_by("id"):
        annotations.setdefault(a.sentence_id, []).append(a)
        answers.setdefault(a.sentence_id, {}).setdefault(a.reviewer_id, set()).add(a.label)
    marks = SentenceReview.objects.filter(sentence_id__in=sentence_ids)
    for sentence_id, reviewer_id in marks.values_list("sentence_id", "reviewer_id"):
        answers.setdefault(sentence_id, {}).setdefault(reviewer_id, set())
    return annotations, answers


def _write_decision(sentence, labels, *, by, basis, current=None, note=None, reason):
    """Create or change the decision; unchanged values write nothing (and no history)."""
    if current is None:
        decision = SentenceDecision(sentence=sentence, labels=labels, basis=basis,
                                    note=note or "", decided_by=by, decided_at=timezone.now())
    else:
        decision = current
        if (decision.labels, decision.basis) == (labels, basis) and note in (None, decision.note):
            return decision
        decision.labels, decision.basis = labels, basis
        if note is not None:
            decision.note = note
        decision.decided_by, decision.decided_at = by, timezone.now()
        decision.version += 1
    decision._history_user = by
    decision._change_reason = reason
    decision.save()
    return decision


def _verdict(annotation, status, *, by, reason):
    return annotation_services.annotation_set_status(
        annotation=annotation, status=status, by=by, reason=reason
    )


@transaction.atomic
def sentence_decide(*, sentence, labels, by, note: str = "", expected_version=None):
    """The editor sets the sentence's final labels (none: "no label"); the verdicts follow.

    An accepted annotation always agrees with the final labels: annotations whose label is
    not among them are rejected, and those still awaiting a verdict whose label is among
    them are accepted. An annotation the editor already rejected stays rejected (its label
    may stand on another reviewer's annotation). `expected_version` is the version the
    caller drew (0: no decision yet); another one raises DecisionStale.
    """
    _lock_sentences([sentence.pk])
    if sentence.is_boilerplate:
        raise ValidationError("Boilerplate is not annotated, so it needs no decision.",
                              code="boilerplate")
    try:
        wanted = label_set(labels)
    except ValueError as exc:
        raise ValidationError({"labels": str(exc)}, code="invalid_label") from None
    note = clean_text(note, field="note", max_length=annotation_services.NOTE_MAX)
    current = SentenceDecision.objects.filter(sentence=sentence).first()
    if expected_version is not None and (current.version if current else 0) != expected_version:
        raise DecisionStale(sentence, current)
    decision = _write_decision(sentence, wanted, by=by, basis=DecisionBasis.EDITOR,
                               current=current, note=note, reason="decided")
    final = set(decision.label_values)
    for annotation in Annotation.objects.live().filter(sentence=sentence).order_by("id"):
        if annotation.label not in final and annotation.status != Status.REJECTED:
            _verdict(annotation, Status.REJECTED, by=by, reason=NOT_IN_FINAL)
        elif annotation.label in final and annotation.status == Status.SUBMITTED:
            _verdict(annotation, Status.ACCEPTED, by=by, reason=IN_FINAL)
    return decision


def _follow_verdicts(sentence, *, by, accepted_labels, reviewer_ids):
    """After verdicts on `sentence`: its decision follows them.

    A decision the editor set stays, but gains the label of an annotation accepted since
    (an accepted annotation always agrees with the final labels). Otherwise the decision is
    whatever the verdicts settle now: written, changed, or removed when a verdict was taken
    back and they settle nothing any more.
    """
    decision = SentenceDecision.objects.filter(sentence=sentence).first()
    if decision is not None and decision.basis == DecisionBasis.EDITOR:
        labels = label_set([*decision.label_values, *accepted_labels])
        _write_decision(sentence, labels, by=by, basis=DecisionBasis.EDITOR, current=decision,
                        reason="label accepted")
        return
    annotations, answers = _answers([sentence.pk])
    derived = derived_labels(annotations.get(sentence.pk, []), answers.get(sentence.pk, {}),
                             reviewer_ids)
    if derived is not None:
        _write_decision(sentence, derived, by=by, basis=DecisionBasis.VERDICTS,
                        current=decision, reason="from the verdicts")
    elif decision is not None:
        decision._history_user = by
        decision._change_reason = "verdict taken back"
        decision.delete()


@transaction.atomic(savepoint=False)
def decision_follow_taken_back(*, sentence, by) -> None:
    """A reviewer's edit took a verdict on `sentence` back (annotations.services): a
    decision that followed the verdicts goes, since they settle nothing now; one the
    editor set stays. Runs inside the edit's transaction, which holds the sentence."""
    _follow_verdicts(sentence, by=by, accepted_labels=(),
                     reviewer_ids=article_reviewer_ids(sentence.article_id))


@transaction.atomic
def annotations_verdict(*, annotations, status: str, by, reason: str = "") -> list:
    """An editor's verdict on annotations (one, or a bulk selection), each with the version
    the caller drew: [(annotation, expected_version), ...]. All or nothing: one stale
    version (StaleVersion) writes none. Each sentence's decision follows (_follow_verdicts).
    """
    if status not in Status.values:
        raise ValidationError({"status": f"Unknown status {status!r}."}, code="invalid_status")
    if not annotations:
        raise ValidationError("Choose at least one annotation.", code="empty")
    sentences = _lock_sentences({a.sentence_id for a, _ in annotations})
    # Annotations lock in id order, after their sentences (annotations/locks.py).
    done = [
        annotation_services.annotation_set_status(
            annotation=a, status=status, by=by, reason=reason, expected_version=version
        )
        for a, version in sorted(annotations, key=lambda pair: pair[0].pk)
    ]
    accepted = {a.sentence_id: {x.label for x in done if x.sentence_id == a.sentence_id}
                for a in done} if status == Status.ACCEPTED else {}
    reviewer_ids = article_reviewer_ids(sentences[0].article_id)
    for sentence in sentences:
        _follow_verdicts(sentence, by=by, accepted_labels=accepted.get(sentence.pk, ()),
                         reviewer_ids=reviewer_ids)
    return done


@transaction.atomic
def article_accept_agreed(*, article: Article, by) -> dict:
    """Accept every annotation on the sentences that all the article's reviewers answered
    alike, and record those sentences' final labels. Sentences with a decision, or with an
    annotation the editor already rejected, are left for the editor.

    Returns {"annotations": how many were accepted, "sentence_ids": the sentences settled}.
    """
    undecided = [
        s.pk for s in article.sentences.filter(is_boilerplate=False, decision__isnull=True)
    ]
    sentences = _lock_sentences(undecided)
    annotations, answers = _answers(undecided)
    reviewer_ids = article_reviewer_ids(article.pk)
    counts = {"annotations": 0, "sentence_ids": []}
    for sentence in sentences:
        agreed = agreed_labels(answers.get(sentence.pk, {}), reviewer_ids)
        mine = annotations.get(sentence.pk, [])
        if agreed is None or any(a.status == Status.REJECTED for a in mine):
            continue
        for annotation in mine:
            if annotation.status == Status.SUBMITTED:
                _verdict(annotation, Status.ACCEPTED, by=by, reason=AGREED)
                counts["annotations"] += 1
        _write_decision(sentence, agreed, by=by, basis=DecisionBasis.VERDICTS,
                        reason="reviewers agree")
        counts["sentence_ids"].append(sentence.pk)
    return counts


def _derive_missing(article, *, by) -> int:
    """Write the decisions the verdicts already settle, on sentences that have none."""
    undecided = list(article.sentences.filter(is_boilerplate=False, decision__isnull=True))
    annotations, answers = _answers([s.pk for s in undecided])
    reviewer_ids = article_reviewer_ids(article.pk)
    written = 0
    for sentence in undecided:
        derived = derived_labels(annotations.get(sentence.pk, []), answers.get(sentence.pk, {}),
                                 reviewer_ids)
        if derived is not None:
            _write_decision(sentence, derived, by=by, basis=DecisionBasis.VERDICTS,
                            reason="from the verdicts")
            written += 1
    return written


@transaction.atomic
def article_close_adjudication(*, article: Article, by) -> Article:
    """Close the article as adjudicated: every content sentence needs its final decision.

    Decisions the verdicts already settle are written first, so verdicts given through the
    API or the admin count as well; a refusal writes nothing.
    """
    caller, article = article, _lock_open_article(article.pk)
    _derive_missing(article, by=by)
    content = article.sentences.filter(is_boilerplate=False)
    missing = content.filter(decision__isnull=True).count()
    if missing:
        total = content.count()
        raise ValidationError(
            f"{missing} of {total} content sentence{pluralize(total)} "
            f"{'has' if missing == 1 else 'have'} no final decision yet: set "
            f"{'its' if missing == 1 else 'their'} final labels, or accept what the "
            "reviewers agree on, before closing.",
            code="undecided",
        )
    article.adjudicated_at = timezone.now()
    article.adjudicated_by = by
    article._history_user = by
    article._change_reason = "adjudicated"
    article.save(update_fields=["adjudicated_at", "adjudicated_by"])
    caller.adjudicated_at, caller.adjudicated_by = article.adjudicated_at, by
    return article


def _lock_open_article(pk) -> Article:
    """The article, locked FOR UPDATE and read again (the caller's copy may predate a
    close in another tab); Conflict (409) if it is gone or already closed. Ordered by pk:
    the default ordering would join, and lock, other tables."""
    article = Article.objects.select_for_update().filter(pk=pk).order_by("pk").first()
    if article is None:
        raise annotation_locks.Conflict("This article no longer exists.", code="article_gone")
    if article.adjudicated_at is not None:
        who = article.adjudicated_by.get_username() if article.adjudicated_by else "someone"
        raise annotation_locks.Conflict(
            f"This article was already closed as adjudicated by {who} at "
            f"{timezone.localtime(article.adjudicated_at):%Y-%m-%d %H:%M}; reload the page.",
            code="already_closed",
        )
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
    survivor, duplicates = _lock_sources(survivor, duplicates)
    dup_ids = [d.pk for d in duplicates]
    counts = {"articles": _move_publisher(dup_ids, survivor, by=by)}
    counts["citations"], counts["collapsed"] = _move_citations(dup_ids, survivor, by=by)
    counts["aliases"] = 0  # (the order of the keys, for the API's answer)
    names = _names_of(duplicates)
    SourceAlias.objects.filter(source_id__in=dup_ids).delete()
    counts["domains"] = source_domains_move(from_ids=dup_ids, to=survivor)
    for duplicate in duplicates:
        duplicate._history_user = by
        duplicate._change_reason = f"merged into {survivor.name}"
        duplicate.delete()
    counts["aliases"] = _add_aliases(survivor, names)
    survivor._history_user = by
    survivor._change_reason = "merged " + ", ".join(d.name for d in duplicates)
    survivor.save(update_fields=["updated_at"])
    return counts


def _lock_sources(survivor: Source, duplicates) -> tuple[Source, list[Source]]:
    """The survivor and the duplicates, locked in id order and read again: another merge
    may have folded one of them away (or renamed it) since the caller read it. Conflict
    (409) naming a source that is gone, and nothing is written."""
    wanted = [survivor, *duplicates]
    locked = Source.objects.select_for_update().filter(pk__in=[s.pk for s in wanted])
    fresh = {s.pk: s for s in locked.order_by("pk")}
    gone = [s.name for s in wanted if s.pk not in fresh]
    if gone:
        raise annotation_locks.Conflict(
            f"{', '.join(f'“{name}”' for name in gone)} {'is' if len(gone) == 1 else 'are'} "
            "no longer in the registry (merged into another source or deleted meanwhile); "
            "reload and choose again.",
            code="source_gone",
        )
    return fresh[survivor.pk], [fresh[d.pk] for d in duplicates]


def _move_publisher(dup_ids, survivor: Source, *, by) -> int:
    """The duplicates' articles name the survivor as publisher; how many moved."""
    articles = list(Article.objects.filter(publisher_id__in=dup_ids))
    for article in articles:
        article.publisher = survivor
        article._history_user = by
        article._change_reason = f"publisher merged into {survivor.name}"
        article.save(update_fields=["publisher"])
    return len(articles)


def _move_citations(dup_ids, survivor: Source, *, by) -> tuple[int, int]:
    """Citations of the duplicates cite the survivor; a reviewer's second live citation
    on one sentence is deleted as a duplicate of the older. (live citations moved,
    collapsed)."""
    # Deleted citations follow too, so restoring one later points at the survivor.
    kept, moved, collapsed, count = {}, [], [], 0
    for annotation in annotation_locks.lock_citations([survivor.pk, *dup_ids]):
        key = (annotation.sentence_id, annotation.reviewer_id)
        if annotation.deleted_at is None and key in kept:
            collapsed.append((annotation, kept[key]))
            continue
        if annotation.deleted_at is None:
            kept[key] = annotation.pk
            count += annotation.source_id != survivor.pk
        moved.append(annotation)
    # Collapse first: re-pointing the kept citation while its younger twin on the survivor
    # is still live would break the one-live-citation-per-source rule.
    for annotation, twin in collapsed:
        annotation_services.annotation_repoint_source(
            annotation=annotation, source=survivor, by=by, duplicate_of=twin
        )
    for annotation in moved:
        annotation_services.annotation_repoint_source(annotation=annotation, source=survivor, by=by)
    return count, len(collapsed)


def _names_of(duplicates) -> list[str]:
    """The duplicates' names and aliases, read before they go."""
    names = []
    for duplicate in duplicates:
        names.append(duplicate.name)
        names.extend(duplicate.aliases.values_list("alias", flat=True))
    return names


def _add_aliases(survivor: Source, names) -> int:
    """Each name the survivor and no other source goes by yet becomes its alias."""
    existing = {a.lower() for a in survivor.aliases.values_list("alias", flat=True)}
    existing.add(survivor.name.lower())
    added = 0
    for name in names:
        taken = SourceAlias.objects.filter(alias__iexact=name).exists()
        if name.lower() not in existing and not taken:
            SourceAlias.objects.create(source=survivor, alias=name)
            existing.add(name.lower())
            added += 1
    return added
