"""The review's pages: the reviewer's queue, finishing an article, the editors' overview
and a source's record. (Adjudication: adjudication_views.py.)"""


from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from annotations import labels
from annotations.access import visible_annotations
from annotations.models import Label
from annotations.selectors import percent, standing
from provenance.models import Article, Sentence, Source
from provenance.roles import is_editor

from . import overview, selectors, services
from .models import Assignment, AssignmentStatus

# The queue and finishing --------------------------------------------------------------


@login_required
def queue(request):
    status = request.GET.get("status", "")
    if status not in selectors.ReviewStatus.labels:
        status = ""
    editor = is_editor(request.user)
    articles = selectors.queue_articles(request.user, review_status=status or None)
    page = Paginator(articles, 20).get_page(request.GET.get("page"))
    # Editors run the review rather than review: their queue shows the team's progress.
    team = overview.team_progress([a.pk for a in page]) if editor else {}
    for article in page:
        article.percent = percent(article.reviewed_count, article.content_sentence_count)
        article.review_status_label = selectors.ReviewStatus.labels[article.review_status]
        article.team = team.get(article.pk, [])
    return render(request, "review/queue.html", {
        "page": page,
        "statuses": selectors.ReviewStatus.choices,
        "status": status,
        "is_editor": editor,
        "page_query": f"status={status}&" if status else "",
    })


@require_POST
@login_required
def article_finish(request, pk):
    """Mark the reviewer's work on the article done; with sentences still unreviewed, ask
    first (naming how many), so "Done" at 16 of 38 is a choice, not a slip."""
    article = get_object_or_404(Article, pk=pk)
    if not Assignment.objects.filter(article=article, reviewer=request.user).exists():
        raise PermissionDenied(services.NOT_ASSIGNED)
    total, reviewed = selectors.reviewer_progress(article, request.user)
    if reviewed < total and request.POST.get("confirm") != "yes":
        return render(request, "review/finish_confirm.html", {
            "article": article, "total": total, "reviewed": reviewed,
            "unreviewed": total - reviewed,
        })
    services.article_finish(reviewer=request.user, article=article)
    messages.success(request, f"Marked “{article.title}” as done.")
    return redirect("review:queue")


# Sources ----------------------------------------------------------------------------------


@login_required
def source_detail(request, slug):
    """A source's record: rating and rationale, aliases, what it published, who cites it."""


    source = get_object_or_404(
        Source.objects.select_related("reliability_set_by").prefetch_related("aliases"),
        slug=slug,
    )
    published = source.published_articles.order_by("-published_on", "-created_at")[:50]
    # What counts: annotations not rejected, and of those only what this user may see
    # (independent review: a reviewer's own, until the article is adjudicated).
    shown = visible_annotations(standing(), request.user)
    citing = (
        Sentence.objects.filter(
            Exists(shown.filter(sentence=OuterRef("pk"), source=source,
                                label=Label.CITED_SOURCE))
        )
        .select_related("article")
        .prefetch_related(
            Prefetch(
                "annotations",
                queryset=shown.select_related("reviewer", "source"),
                to_attr="live_annotations",
            )
        )
        .order_by("article__title", "position")
    )
    page = Paginator(citing, 25).get_page(request.GET.get("page"))
    mix = selectors.label_mix(source, shown)
    return render(request, "review/source_detail.html", {
        "source": source,
        "published": published,
        "page": page,
        "label_mix": [(labels.info(label), n) for label, n in mix.items()],
        "mix_total": sum(mix.values()),
    })


# The editors' overview -------------------------------------------------------------------


def _require_editor(request):
    if not is_editor(request.user):
        raise PermissionDenied("Only editors see the overview.")


def _charts(days, mixes, *, scope):
    return {
        "days": days,
        "days_total": sum(n for _, n in days),
        "throughput_chart": overview.throughput_chart(
            days, title=f"Answers per day {scope}, last {len(days)} days"),
        "mixes": mixes,
        "mix_chart": overview.mix_chart(mixes, title=f"Labels per reviewer {scope}"),
        "labels": labels.LABELS,
    }


@login_required
def overview_team(request):
    """The whole team: each reviewer's workload, overdue assignments, throughput, labels."""
    _require_editor(request)
    today = timezone.localdate()
    open_ = ~Q(status=AssignmentStatus.DONE)
    reviewers = (
        Assignment.objects.order_by("reviewer__username")
        .values("reviewer_id", "reviewer__username")
        .annotate(
            open=Count("pk", filter=open_),
            done=Count("pk", filter=Q(status=AssignmentStatus.DONE)),
            overdue=Count("pk", filter=open_ & Q(due_on__lt=today)),
        )
    )
    overdue = overview.progress(
        Assignment.objects.filter(open_, due_on__lt=today).order_by("due_on")
    )
    return render(request, "review/overview_team.html", {
        "reviewers": reviewers,
        "overdue": overdue,
        **_charts(overview.throughput(), overview.label_mix(), scope="across all articles"),
    })


@login_required
def overview_article(request, pk):
    """One article: each assigned reviewer's progress and due date, throughput, labels and
    agreement per label."""
    _require_editor(request)
    article = get_object_or_404(
        selectors.with_review_status(Article.objects.select_related("publisher")), pk=pk
    )
    results = overview.article_agreement(article)
    return render(request, "review/overview_article.html", {
        "article": article,
        "status_label": selectors.ReviewStatus.labels[article.review_status],
        "progress": overview.progress(Assignment.objects.filter(article=article)),
        "agreement": results,
        "agreement_chart": overview.agreement_chart(
            results, title="Share of sentences on which reviewers agree, per label"),
        **_charts(overview.throughput(article=article), overview.label_mix(article=article),
                  scope="on this article"),
    })


@login_required
def overview_reviewer(request, pk):
    """One reviewer: their assignments (progress, due dates, overdue), throughput, labels,
    and agreement per label with each other reviewer."""
    _require_editor(request)
    reviewer = get_object_or_404(get_user_model(), pk=pk)
    pairs = overview.reviewer_agreement(reviewer)
    names = dict(get_user_model().objects.filter(pk__in=[o for o, _ in pairs])
                 .values_list("pk", "username"))
    return render(request, "review/overview_reviewer.html", {
        "reviewer": reviewer,
        "progress": overview.progress(Assignment.objects.filter(reviewer=reviewer)),
        "agreement": [(names.get(other, other), results) for other, results in pairs],
        **_charts(overview.throughput(reviewer=reviewer), overview.label_mix(reviewer=reviewer),
                  scope=f"by {reviewer.username}"),
    })
