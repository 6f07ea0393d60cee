"""The reviewer workspace: its pages (queue, article, guide) and the endpoints its script
talks to.

One server surface. The workspace script talks only to the endpoints below, under
/workspace/ (annotations/urls.py); /api/ stays as it is, for API clients. Each endpoint:

- takes a form-encoded POST (or a GET) carrying the CSRF token; a change to an existing
  annotation also sends the ETag it was drawn with in If-Match: 428 without one, 412 when
  someone changed it since;
- writes only through the service functions (services.py, boundaries.py and
  provenance.services), like the API and the admin, so all writers share one rule;
- answers JSON that redraws what changed, in HTML rendered here from the page's own
  partials, so one save is one request, with no follow-up GETs:
      {"sentence": id, "sentences": [{"id": id, "html": ...}], "panel": html}
  "sentences" replace the drawn ones in place; "panel" is the side panel of "sentence".
  A join or split answers "blocks" (the paragraphs around the change) and "removed" (the
  sentence joined away) instead of "sentences", since paragraphs can regroup. "message"
  is for the toast, and "undo" is where to POST to take a delete back;
- fails in one shape, whatever went wrong (signed out, CSRF, wrong method, not found,
  refused by a service, stale version): {"detail": "...", "errors": {field: [...]}} with
  a 4xx status. A 412 adds "current" (the annotation as it is now, for the conflict box)
  and the redraw of its sentence and panel, so taking the other version costs no request;
  a proposed source already in the registry adds "existing". The script shows "detail" in
  one place, the error bar along the bottom of the screen.

workspace_http.py holds the decorator and the renderers that keep every endpoint to this.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse
from django.views.decorators.http import require_GET

from provenance.models import Article, Sentence, Source, SourceKind
from provenance.roles import is_editor
from provenance.services import source_create, source_find

from . import boundaries, labels, selectors, sentence_html, services
from .forms import (
    AnnotationEditForm,
    AnnotationForm,
    BoundaryForm,
    SourceProposalForm,
    SourceSearchForm,
    SplitForm,
)
from .models import Annotation
from .workspace_http import (
    Refusal,
    endpoint,
    expected_version,
    form_refusal,
    redraw,
    redraw_blocks,
    render_around,
    source_json,
)

SUGGESTIONS = 8


def _get_sentence(pk):
    """Any signed-in reviewer may read any sentence: every article is in every queue.
    (Readers never get here: config.middleware.ReaderPagesMiddleware.)"""
    return get_object_or_404(Sentence.objects.select_related("article"), pk=pk)


def _get_own_annotation(request, pk):
    """An annotation of the signed-in reviewer's, deleted or not; 404 if it isn't theirs."""
    # The article comes along (without its body) for the redraw, which asks whether the
    # reviewer sees everyone's annotations on it (access.py).
    return get_object_or_404(
        Annotation.objects.select_related("sentence__article").defer("sentence__article__body"),
        pk=pk, reviewer=request.user,
    )


def _valid(form):
    if not form.is_valid():
        raise form_refusal(form)
    return form.cleaned_data


def _safe_url(url):
    """Only web links become clickable; anything else (javascript:, data:) stays text."""
    return url if url.lower().startswith(("http://", "https://")) else ""


@login_required
def article_review(request, pk):
    article = get_object_or_404(Article.objects.select_related("publisher"), pk=pk)
    workspace = selectors.workspace(article, request.user)
    return render_around(
        request,
        "annotations/workspace.html",
        {
            "article": article,
            "article_url": _safe_url(article.url),
            "workspace": workspace,
            "labels": labels.LABELS,
            "label_data": labels.script_data(),
            "kinds": SourceKind.choices,
            "is_editor": is_editor(request.user),
            # Partials of higher layers (settings.WORKSPACE_EXTENSIONS), e.g. suggestions.
            "extensions": getattr(settings, "WORKSPACE_EXTENSIONS", []),
        },
        name="blocks_html", html=sentence_html.blocks(workspace.blocks),
    )


# ---- Workspace endpoints (see the top of this module) -------------------------------------


@endpoint("GET")
def sentence_state(request, pk):
    """The panel of a sentence as it is now: what choosing a sentence shows. (The sentence
    itself is not redrawn: that would undo a selection the reviewer is making in it.)"""
    return redraw(request, _get_sentence(pk), with_sentence=False)


@endpoint("POST")
def annotation_create(request, pk):
    sentence = _get_sentence(pk)
    form = AnnotationForm(request.POST)
    data = _valid(form)
    services.annotation_create(
        reviewer=request.user, sentence=sentence, label=data["label"], phrase=form.phrase(),
        source=data["source"], note=data["note"], quote=data["quote"] or None,
    )
    return redraw(request, sentence, status=201)


@endpoint("POST")
def annotation_update(request, pk):
    annotation = _get_own_annotation(request, pk)
    version = expected_version(request, annotation)
    data = _valid(AnnotationEditForm(request.POST))
    services.annotation_update(
        annotation=annotation, expected_version=version, by=request.user,
        label=data["label"], source=data["source"], note=data["note"],
    )
    return redraw(request, annotation.sentence)


@endpoint("POST")
def annotation_delete(request, pk):
    annotation = _get_own_annotation(request, pk)
    version = expected_version(request, annotation)
    services.annotation_delete(annotation=annotation, expected_version=version, by=request.user)
    return redraw(
        request, annotation.sentence,
        message=f"Deleted {annotation.label_info.name}.",
        undo=reverse("annotations:annotation-restore", args=[annotation.pk]),
    )


@endpoint("POST")
def annotation_restore(request, pk):
    """The workspace's undo: the author brings back an annotation they deleted."""
    annotation = _get_own_annotation(request, pk)
    services.annotation_restore(annotation=annotation, by=request.user)
    return redraw(request, annotation.sentence, message="Annotation restored.")


@endpoint("POST")
def sentence_no_label(request, pk):
    """Mark the sentence as read with nothing to label ("0")."""
    sentence = _get_sentence(pk)
    services.sentence_mark_no_label(reviewer=request.user, sentence=sentence)
    return redraw(request, sentence)


@endpoint("POST")
def sentence_no_label_clear(request, pk):
    sentence = _get_sentence(pk)
    services.sentence_unmark_no_label(reviewer=request.user, sentence=sentence)
    return redraw(request, sentence)


@endpoint("POST")
def sentence_join(request, pk):
    """Join the sentence with the next one; answers the regrouped paragraphs."""
    sentence = _get_sentence(pk)
    form = BoundaryForm(request.POST)
    _valid(form)
    expected = form.expected()
    with transaction.atomic():
        # The sentence to be joined away, for the page to remove. Read in the join's
        # transaction, which on SQLite already holds the write lock; on PostgreSQL a boundary
        # change could slip in before the join locks the article, and the page would keep
        # a stale sentence until it reloads (the data stays right either way).
        following = (
            Sentence.objects.filter(article_id=sentence.article_id, position=sentence.position + 1)
            .values_list("pk", flat=True)
            .first()
        )
        joined = boundaries.sentence_join(sentence=sentence, by=request.user, expected=expected)
    return redraw_blocks(
        request, sentence.article, joined, {joined.pk}, removed=[following],
        message="Joined with the next sentence.",
    )


@endpoint("POST")
def sentence_split(request, pk):
    """Split the sentence at an absolute body offset; answers the regrouped paragraphs."""
    sentence = _get_sentence(pk)
    form = SplitForm(request.POST)
    at = _valid(form)["at"]
    left, right = boundaries.sentence_split(sentence=sentence, at=at, by=request.user,
                                            expected=form.expected())
    return redraw_blocks(
        request, sentence.article, left, {left.pk, right.pk},
        message=f"Split into sentences {left.position + 1} and {right.position + 1}.",
    )


@endpoint("GET")
def source_suggest(request):
    """Type-ahead over source names and aliases; names that start with the text come first.

    The source whose name or alias is exactly the text (ignoring case) leads the list and is
    named in "exact", so the page never offers to add a source the registry already has,
    however many others match.
    """
    form = SourceSearchForm(request.GET)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    if not q:
        return JsonResponse({"results": [], "exact": None})
    exact = source_find(q)
    sources = (
        Source.objects.search(q)
        .annotate(
            rank=Case(When(pk=getattr(exact, "pk", None), then=Value(0)),
                      When(name__istartswith=q, then=Value(1)), default=Value(2),
                      output_field=IntegerField())
        )
        .order_by("rank", "name")
        .prefetch_related("aliases")[:SUGGESTIONS]
    )
    results = [source_json(s) for s in sources]
    return JsonResponse({"results": results, "exact": exact.pk if exact else None})


@endpoint("POST")
def source_propose(request):
    """Add a missing source while citing it: unrated, and flagged for an editor's review."""
    data = _valid(SourceProposalForm(request.POST))
    try:
        source = source_create(
            name=data["name"], kind=data["kind"], needs_review=True, created_by=request.user,
            reason="proposed while citing",
        )
    except ValidationError:
        existing = source_find(data["name"])
        if existing is None:
            raise
        # The page offers to cite the existing source instead of retyping.
        message = f"“{existing.name}” is already in the registry; pick it from the list."
        raise Refusal(message, errors={"name": [message]}, existing=source_json(existing)) from None
    return JsonResponse({"source": source_json(source)}, status=201)


# ---- Pages around the workspace -------------------------------------------------------------


def _guide_examples(item):
    """A label's examples, when the guide has them: a new label shows its definition alone."""
    name = f"annotations/guide/_{item.value}.html"
    try:
        get_template(name)
    except TemplateDoesNotExist:
        return None
    return name


@login_required
def guide(request):
    sections = [{"label": item, "examples": _guide_examples(item)} for item in labels.LABELS]
    return render(request, "annotations/guide.html", {"sections": sections})


@require_GET
def label_styles(request):
    """labels.css: every label's colours, from annotations/labels.py (see label_styles.py).

    Served from this origin, so the Content-Security-Policy's style-src 'self' allows it.
    """
    response = HttpResponse(labels.stylesheet(), content_type="text/css; charset=utf-8")
    current = request.GET.get("v") == labels.stylesheet_version()
    response["Cache-Control"] = "public, max-age=31536000, immutable" if current else "no-cache"
    return response
