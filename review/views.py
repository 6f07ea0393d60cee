"""The review's pages: the reviewer's queue, finishing an article, the editors'
adjudication page (every reviewer's annotations side by side), and a source's record."""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from annotations import labels
from annotations import services as annotation_services
from annotations.models import Annotation, Label, SentenceReview, Status
from annotations.selectors import percent
from provenance.models import Article, Sentence, Source
from provenance.roles import is_editor

from . import agreement, selectors, services


def _require_editor(request):
    if not is_editor(request.user):
        raise PermissionDenied("Only editors adjudicate.")


@login_required
def adjudicate(request, pk):
    _require_editor(request)
    article = get_object_or_404(
        selectors.with_review_status(Article.objects.select_related("publisher")), pk=pk
    )
    sentences = list(article.sentences.order_by("position"))
    annotations = (
        Annotation.objects.live().for_article(article)
        .select_related("reviewer", "source", "status_set_by")
        .order_by("reviewer__username", "id")
    )
    by_sentence = defaultdict(lambda: defaultdict(list))
    reviewers = {}
    for a in annotations:
        by_sentence[a.sentence_id][a.reviewer_id].append(a)
        reviewers[a.reviewer_id] = a.reviewer
    no_label = defaultdict(set)
    for mark in SentenceReview.objects.filter(sentence__article=article).select_related(
        "reviewer"
    ):
        no_label[mark.sentence_id].add(mark.reviewer_id)
        reviewers[mark.reviewer_id] = mark.reviewer
    columns = sorted(reviewers.values(), key=lambda u: u.username)
    answers = agreement.reviewed_answers(article.sentences.all())
    disagreements = agreement.sentences_with_disagreement(answers)
    rows = []
    for s in sentences:
        if s.is_boilerplate:
            continue
        cells = [
            {
                "reviewer": r,
                "annotations": by_sentence[s.pk].get(r.pk, []),
                "no_label": r.pk in no_label[s.pk],
            }
            for r in columns
        ]
        rows.append({"sentence": s, "cells": cells, "disagree": s.pk in disagreements})
    pending = annotations.filter(status=Status.SUBMITTED).count()
    return render(request, "review/adjudicate.html", {
        "article": article,
        "rows": rows,
        "columns": columns,
        "agreement": agreement.label_agreement(answers),
        "disagreement_count": len(disagreements),
        "pending": pending,
        "status_label": selectors.ReviewStatus.labels[article.review_status],
    })


@require_POST
@login_required
def verdict(request, pk):
    """Accept or reject one annotation, with an optional reason."""
    _require_editor(request)
    annotation = get_object_or_404(Annotation.objects.live().select_related("sentence"), pk=pk)
    status = request.POST.get("status", "")
    if status not in (Status.ACCEPTED, Status.REJECTED, Status.SUBMITTED):
        messages.error(request, "Choose accept or reject.")
    else:
        try:
            annotation_services.annotation_set_status(
                annotation=annotation, status=status, by=request.user,
                reason=request.POST.get("reason", ""),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"{annotation.get_label_display()} by "
                                      f"{annotation.reviewer}: {status}.")
    url = redirect("review:adjudicate", annotation.sentence.article_id).url
    return redirect(f"{url}#s{annotation.sentence_id}")


@require_POST
@login_required
def close(request, pk):
    _require_editor(request)
    article = get_object_or_404(Article, pk=pk)
    try:
        if request.POST.get("reopen"):
            services.article_reopen_adjudication(article=article, by=request.user)
            messages.success(request, "Adjudication reopened.")
        else:
            services.article_close_adjudication(article=article, by=request.user)
            messages.success(request, "Article closed as adjudicated.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("review:adjudicate", article.pk)


# The queue and finishing --------------------------------------------------------------


@login_required
def queue(request):
    status = request.GET.get("status", "")
    if status not in selectors.ReviewStatus.labels:
        status = ""
    articles = selectors.queue_articles(request.user, review_status=status or None)
    page = Paginator(articles, 20).get_page(request.GET.get("page"))
    for article in page:
        article.percent = percent(article.reviewed_count, article.content_sentence_count)
        article.review_status_label = selectors.ReviewStatus.labels[article.review_status]
    return render(request, "review/queue.html", {
        "page": page,
        "statuses": selectors.ReviewStatus.choices,
        "status": status,
        "is_editor": is_editor(request.user),
        "page_query": f"status={status}&" if status else "",
    })


@require_POST
@login_required
def article_finish(request, pk):
    article = get_object_or_404(Article, pk=pk)
    services.article_finish(reviewer=request.user, article=article)
    messages.success(request, f"Marked “{article.title}” as done.")
    return redirect("review:queue")


# Sources ----------------------------------------------------------------------------------


@login_required
def source_detail(request, slug):
    """A source's record: rating and rationale, aliases, what it published, who cites it."""

    from annotations.models import Annotation

    source = get_object_or_404(
        Source.objects.select_related("reliability_set_by").prefetch_related("aliases"),
        slug=slug,
    )
    published = source.published_articles.order_by("-published_on", "-created_at")[:50]
    citing = (
        Sentence.objects.filter(
            annotations__source=source, annotations__deleted_at__isnull=True,
            annotations__label=Label.CITED_SOURCE,
        )
        .distinct()
        .select_related("article")
        .prefetch_related(
            Prefetch(
                "annotations",
                queryset=Annotation.objects.live().select_related("reviewer", "source"),
                to_attr="live_annotations",
            )
        )
        .order_by("article__title", "position")
    )
    page = Paginator(citing, 25).get_page(request.GET.get("page"))
    mix = selectors.label_mix(source)
    return render(request, "review/source_detail.html", {
        "source": source,
        "published": published,
        "page": page,
        "label_mix": [(labels.info(label), n) for label, n in mix.items()],
        "mix_total": sum(mix.values()),
    })
