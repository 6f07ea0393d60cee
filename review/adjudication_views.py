"""The adjudication page and the endpoints its script talks to.

The reviewer workspace's design (annotations/views.py), for editors: form-encoded POSTs
with the CSRF token; a change to something drawn carries the version it was drawn with (an
annotation's ETag in If-Match, or a decision's, "d<sentence>-<version>"; 428 without one,
412 when it changed meanwhile); writes only through review.services; answers redraw what
changed from the page's own partials, so one action is one request and no reload:

    {"rows": [{"id": sentence_id, "html": ...}], "summary": html, "message": ...}

"rows" replace the drawn sentences in place; "summary" is the header's counts and
actions. Every failure has the workspace's one shape, {"detail", "errors"} with a 4xx
status (annotations.workspace_http.endpoint), and a 412 adds the rows involved as they are
now, so the page shows the other editor's change beside the message.
"""

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from annotations import labels
from annotations.models import Annotation
from annotations.services import StaleVersion
from annotations.workspace_http import Refusal, endpoint, expected_version, form_refusal
from provenance.models import Article, Sentence
from provenance.roles import is_editor

from . import selectors, services
from .adjudication import adjudication
from .forms import BulkVerdictForm, DecisionForm, VerdictForm

_DECISION_ETAG = re.compile(r'^(?:W/)?"?d(\d+)-(\d+)"?$')


def _require_editor(request):
    if not is_editor(request.user):
        raise PermissionDenied("Only editors adjudicate.")


def _editor_endpoint(request):
    if not is_editor(request.user):
        raise Refusal("Only editors adjudicate.", 403)


def _valid(form):
    if not form.is_valid():
        raise form_refusal(form)
    return form.cleaned_data


def _context(view):
    return {"adj": view, "labels": labels.LABELS}


def _redrawn(request, article, sentence_ids, **extra) -> dict:
    """The rows of `sentence_ids` and the summary as they are now (five queries)."""
    view = adjudication(article)
    context = _context(view)
    rows = [
        {"id": row.sentence.pk,
         "html": render_to_string("review/_adj_row.html", {**context, "row": row}, request)}
        for row in view.rows_for(sentence_ids)
    ]
    summary = render_to_string("review/_adj_summary.html", context, request)
    return {"rows": rows, "summary": summary, **extra}


def _stale(request, article, sentence_ids, detail):
    return Refusal(detail, 412, **_redrawn(request, article, sentence_ids))


@login_required
def adjudicate(request, pk):
    _require_editor(request)
    article = get_object_or_404(
        selectors.with_review_status(Article.objects.select_related("publisher")), pk=pk
    )
    view = adjudication(article)
    return render(request, "review/adjudicate.html", {
        **_context(view),
        "article": article,
        "agreement": view.agreement(),
        "status_label": selectors.ReviewStatus.labels[article.review_status],
        "label_data": labels.script_data(),
    })


@endpoint("POST")
def verdict(request, pk):
    """Accept or reject one annotation (or take its verdict back: status=submitted)."""
    _editor_endpoint(request)
    annotation = get_object_or_404(
        Annotation.objects.live().select_related("sentence__article"), pk=pk
    )
    data = _valid(VerdictForm(request.POST))
    article = annotation.sentence.article
    try:
        version = expected_version(request, annotation)
        services.annotations_verdict(
            annotations=[(annotation, version)], status=data["status"], by=request.user,
            reason=data["reason"],
        )
    except StaleVersion as exc:
        raise _stale(request, article, [annotation.sentence_id], str(exc)) from None
    return JsonResponse(_redrawn(request, article, [annotation.sentence_id]))


@endpoint("POST")
def verdicts(request, pk):
    """One verdict on the selected annotations of the article: all or none."""
    _editor_endpoint(request)
    article = get_object_or_404(Article, pk=pk)
    data = _valid(BulkVerdictForm(request.POST))
    wanted = dict(data["annotation"])
    found = list(
        Annotation.objects.live().filter(pk__in=wanted, sentence__article=article)
        .select_related("sentence")
    )
    if len(found) != len(wanted):
        raise Refusal("Some of the selected annotations were deleted meanwhile; reload the "
                      "page to see the article as it is now.", 404)
    sentence_ids = sorted({a.sentence_id for a in found})
    try:
        done = services.annotations_verdict(
            annotations=[(a, wanted[a.pk]) for a in found], status=data["status"],
            by=request.user, reason=data["reason"],
        )
    except StaleVersion as exc:
        raise _stale(request, article, sentence_ids, str(exc)) from None
    word = {"accepted": "Accepted", "rejected": "Rejected"}.get(data["status"], "Reopened")
    message = f"{word} {len(done)} annotation{'s' if len(done) != 1 else ''}."
    return JsonResponse(_redrawn(request, article, sentence_ids, message=message))


def _decision_version(request, sentence) -> int:
    header = request.headers.get("If-Match", "").strip()
    if not header:
        raise Refusal("Send the version you are changing: an If-Match header with the "
                      "decision's ETag.", 428)
    match = _DECISION_ETAG.match(header)
    if not match or int(match[1]) != sentence.pk:
        raise Refusal("That ETag belongs to another sentence; reload the page.", 412)
    return int(match[2])


@endpoint("POST")
def decision(request, pk):
    """Set the sentence's final labels (none given: "no label"); its verdicts follow."""
    _editor_endpoint(request)
    sentence = get_object_or_404(Sentence.objects.select_related("article"), pk=pk)
    data = _valid(DecisionForm(request.POST))
    try:
        services.sentence_decide(
            sentence=sentence, labels=data["label"], note=data["note"], by=request.user,
            expected_version=_decision_version(request, sentence),
        )
    except (services.DecisionStale, StaleVersion) as exc:
        raise _stale(request, sentence.article, [sentence.pk], str(exc)) from None
    return JsonResponse(_redrawn(request, sentence.article, [sentence.pk]))


@endpoint("POST")
def accept_agreed(request, pk):
    """Accept every annotation on the sentences all reviewers answered alike."""
    _editor_endpoint(request)
    article = get_object_or_404(Article, pk=pk)
    done = services.article_accept_agreed(article=article, by=request.user)
    n, s = done["annotations"], len(done["sentence_ids"])
    message = (
        f"Accepted {n} annotation{'s' if n != 1 else ''} and settled {s} "
        f"sentence{'s' if s != 1 else ''} where the reviewers agree."
    )
    return JsonResponse(_redrawn(request, article, done["sentence_ids"], message=message))


@require_POST
@login_required
def close(request, pk):
    """Close (or reopen) the adjudication: a page action, answered with a reload."""
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
