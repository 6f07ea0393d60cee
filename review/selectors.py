"""Reads for the editors' side and the reviewers' queue: review status, who reviews what,
and how far they got. QuerySet-returning functions; no writes."""

from django.contrib.auth import get_user_model
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from annotations.models import Annotation, SentenceReview
from provenance.models import Article, Sentence, Source
from provenance.roles import is_editor

from .models import Assignment, AssignmentStatus, DecisionBasis, SentenceDecision, label_set


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


def article_reviewers(article_id):
    """The article's reviewers: assigned to it, or with an answer (a live annotation or a
    "no label") on one of its sentences. One query, ordered by username."""
    user = OuterRef("pk")
    return get_user_model().objects.filter(
        Q(Exists(Assignment.objects.filter(article_id=article_id, reviewer=user)))
        | Q(Exists(Annotation.objects.live().filter(sentence__article_id=article_id,
                                                    reviewer=user)))
        | Q(Exists(SentenceReview.objects.filter(sentence__article_id=article_id,
                                                 reviewer=user)))
    ).order_by("username")


def article_reviewer_ids(article_id) -> set[int]:
    return set(article_reviewers(article_id).values_list("pk", flat=True))


def final_decisions(sentence_ids) -> dict:
    """{sentence_id: {"labels", "basis", "decided_at"}}: the final labels of these sentences
    (of adjudicated articles), in codebook order. A sentence closed before decisions were
    recorded has none; its accepted annotations' labels stand in (basis "verdicts",
    decided_at null). One query, two when some sentence has no decision."""
    found = {
        sentence_id: {"labels": labels.split(",") if labels else [], "basis": basis,
                      "decided_at": decided_at}
        for sentence_id, labels, basis, decided_at in SentenceDecision.objects.filter(
            sentence_id__in=sentence_ids
        ).values_list("sentence_id", "labels", "basis", "decided_at")
    }
    missing = [pk for pk in sentence_ids if pk not in found]
    if missing:
        accepted = {pk: [] for pk in missing}
        for sentence_id, label in Annotation.objects.live().filter(
            sentence_id__in=missing, status="accepted"
        ).values_list("sentence_id", "label"):
            accepted[sentence_id].append(label)
        for pk, given in accepted.items():
            labels = label_set(given)
            found[pk] = {"labels": labels.split(",") if labels else [],
                         "basis": DecisionBasis.VERDICTS.value, "decided_at": None}
    return found


def active_reviewers():
    return get_user_model().objects.filter(is_active=True).filter(
        Q(groups__name="Reviewer") | Q(groups__name="Editor") | Q(is_superuser=True)
    ).distinct().order_by("username")


def label_mix(source: Source, annotations=None):
    """How the claims citing `source` are labelled: {label: count of `annotations`} (by
    default the live ones), over the sentences where one of `annotations` cites it."""
    annotations = Annotation.objects.live() if annotations is None else annotations
    sentences = annotations.filter(source=source).values("sentence")
    rows = (
        annotations
        .filter(sentence__in=sentences)
        .values("label")
        .annotate(n=Count("id"))
        .order_by("label")
    )
    return {row["label"]: row["n"] for row in rows}


# The queue -----------------------------------------------------------------------------


def _reviewed_by(user):
    """Q for sentences `user` has reviewed: a live annotation of theirs, or a no-label mark."""
    annotated = Annotation.objects.live().filter(sentence=OuterRef("pk"), reviewer=user)
    marked = SentenceReview.objects.filter(sentence=OuterRef("pk"), reviewer=user)
    return Q(Exists(annotated)) | Q(Exists(marked))


def reviewer_progress(article, user) -> tuple[int, int]:
    """(content sentences, of them reviewed by `user`) on `article`: one query."""
    content = Sentence.objects.filter(article=article, is_boilerplate=False)
    counts = content.aggregate(
        total=Count("pk"), reviewed=Count("pk", filter=_reviewed_by(user))
    )
    return counts["total"], counts["reviewed"]


def _count(queryset):
    """A correlated COUNT over `queryset` (already filtered on OuterRef), 0 when empty."""
    return Coalesce(
        Subquery(
            queryset.order_by().values("article").annotate(n=Count("pk")).values("n"),
            output_field=IntegerField(),
        ),
        Value(0),
    )


def queue_articles(user, *, review_status=None):
    """The articles waiting for `user`, with their progress and review status, in one query.

    Reviewers see the articles assigned to them; editors run the review and see every
    article, filterable by its derived review status.
    """
    content = Sentence.objects.filter(article=OuterRef("pk"), is_boilerplate=False)
    mine = Assignment.objects.filter(article=OuterRef("pk"), reviewer=user)
    articles = Article.objects.select_related("publisher")
    if not is_editor(user):
        articles = articles.filter(Exists(mine))
    articles = with_review_status(articles)
    if review_status:
        articles = articles.filter(review_status=review_status)
    return articles.annotate(
        content_sentence_count=_count(content),
        boilerplate_count=_count(
            Sentence.objects.filter(article=OuterRef("pk"), is_boilerplate=True)
        ),
        reviewed_count=_count(content.filter(_reviewed_by(user))),
        my_status=Subquery(mine.values("status")[:1]),
        my_due_on=Subquery(mine.values("due_on")[:1]),
        is_done=Exists(mine.filter(status=AssignmentStatus.DONE)),
    ).order_by("is_done", F("my_due_on").asc(nulls_last=True), "-created_at", "-id")
