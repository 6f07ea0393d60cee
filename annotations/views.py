"""The reviewer workspace: queue, article page, guide, and the small endpoints its script uses.

Annotations themselves are written through /api/annotations/; these views only add what the
page needs around them: HTML fragments to redraw one sentence or its panel, the "no label"
mark, finishing an article, and the source type-ahead. Errors from the JSON endpoints are
{"detail": ...} or {"errors": {field: [...]}} with a 4xx status.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_POST

from provenance.models import Article, Sentence, Source, SourceKind
from provenance.roles import is_editor
from provenance.services import source_create, source_find

from . import selectors, services
from .forms import SourceProposalForm, SourceSearchForm
from .models import Label

# The legend, the buttons and the guide share these words. Keys follow the codebook order.
LEGEND = [
    {
        "value": Label.SENSATIONAL_FRAMING,
        "name": Label.SENSATIONAL_FRAMING.label,
        "code": "sf",
        "initial": "S",
        "key": "1",
        "definition": (
            "The writer's own wording makes events bigger, more emotional or more "
            "adversarial than the facts given support: capitals, superlatives, loaded "
            "adjectives, certainty markers, clickbait."
        ),
    },
    {
        "value": Label.UNVERIFIED_CLAIM,
        "name": Label.UNVERIFIED_CLAIM.label,
        "code": "uc",
        "initial": "U",
        "key": "2",
        "definition": (
            "A checkable assertion (event, number, intention, cause, trend or a confident "
            "prediction) with no traceable source, or only a vague one such as "
            '"experts say".'
        ),
    },
    {
        "value": Label.CITED_SOURCE,
        "name": Label.CITED_SOURCE.label,
        "code": "cs",
        "initial": "C",
        "key": "3",
        "definition": (
            "The sentence attributes information to a specific, named person, outlet, "
            "agency, organisation, document or dataset. Record each source."
        ),
    },
]

SUGGESTIONS = 8


def _error(message, status=400, **extra):
    return JsonResponse({"detail": message, **extra}, status=status)


def _validation_error(exc: ValidationError, status=400):
    if hasattr(exc, "error_dict"):
        errors = {name: [str(m) for m in msgs] for name, msgs in exc.message_dict.items()}
        detail = " ".join(m for msgs in errors.values() for m in msgs)
        return JsonResponse({"detail": detail, "errors": errors}, status=status)
    return _error(" ".join(exc.messages), status)


def _get_sentence(pk):
    """Any signed-in reviewer may read any sentence: every article is in every queue."""
    return get_object_or_404(Sentence.objects.select_related("article"), pk=pk)


def _safe_url(url):
    """Only web links become clickable; anything else (javascript:, data:) stays text."""
    return url if url.lower().startswith(("http://", "https://")) else ""


@login_required
def article_review(request, pk):
    article = get_object_or_404(Article.objects.select_related("publisher"), pk=pk)
    workspace = selectors.workspace(article, request.user)
    return render(
        request,
        "annotations/workspace.html",
        {
            "article": article,
            "article_url": _safe_url(article.url),
            "workspace": workspace,
            "legend": LEGEND,
            "kinds": SourceKind.choices,
            "is_editor": is_editor(request.user),
        },
    )


def _render_sentence(request, sentence, status=200):
    view = selectors.one_sentence_view(sentence, request.user)
    return render(request, "annotations/_sentence.html", {"sv": view}, status=status)


@require_GET
@login_required
def sentence_fragment(request, pk):
    """One sentence with its highlights, to replace the old one after a save."""
    return _render_sentence(request, _get_sentence(pk))


@require_GET
@login_required
def sentence_panel(request, pk):
    """The side panel for one sentence: every reviewer's annotations, own ones editable."""
    sentence = _get_sentence(pk)
    annotations = selectors.sentence_annotations([sentence.pk])
    return render(
        request,
        "annotations/_panel.html",
        {"sentence": sentence, "annotations": annotations, "legend": LEGEND},
    )


@require_POST
@login_required
def sentence_no_label(request, pk):
    """Mark the sentence as read with nothing to label ("0"); answers the redrawn sentence."""
    sentence = _get_sentence(pk)
    try:
        services.sentence_mark_no_label(reviewer=request.user, sentence=sentence)
    except ValidationError as exc:
        return _validation_error(exc)
    return _render_sentence(request, sentence)


@require_POST
@login_required
def sentence_no_label_clear(request, pk):
    sentence = _get_sentence(pk)
    services.sentence_unmark_no_label(reviewer=request.user, sentence=sentence)
    return _render_sentence(request, sentence)


def _source_json(source):
    return {
        "id": source.pk,
        "name": source.name,
        "kind": source.get_kind_display(),
        "reliability": source.get_reliability_display(),
        "needs_review": source.needs_review,
        "aliases": [a.alias for a in source.aliases.all()],
    }


@require_GET
@login_required
def source_suggest(request):
    """Type-ahead over source names and aliases; names that start with the text come first."""
    form = SourceSearchForm(request.GET)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    if not q:
        return JsonResponse({"results": []})
    sources = (
        Source.objects.search(q)
        .annotate(
            rank=Case(When(name__istartswith=q, then=Value(0)), default=Value(1),
                      output_field=IntegerField())
        )
        .order_by("rank", "name")
        .prefetch_related("aliases")[:SUGGESTIONS]
    )
    return JsonResponse({"results": [_source_json(s) for s in sources]})


@require_POST
@login_required
def source_propose(request):
    """Add a missing source while citing it: unrated, and flagged for an editor's review."""
    form = SourceProposalForm(request.POST)
    if not form.is_valid():
        errors = {name: [str(m) for m in msgs] for name, msgs in form.errors.items()}
        detail = " ".join(m for msgs in errors.values() for m in msgs)
        return JsonResponse({"detail": detail, "errors": errors}, status=400)
    try:
        source = source_create(
            name=form.cleaned_data["name"],
            kind=form.cleaned_data["kind"],
            needs_review=True,
            created_by=request.user,
            reason="proposed while citing",
        )
    except ValidationError as exc:
        response = _validation_error(exc)
        existing = source_find(form.cleaned_data["name"])
        if existing is not None:
            # The page offers to cite the existing source instead of retyping.
            response = _error(
                f"“{existing.name}” is already in the registry; pick it from the list.",
                existing=_source_json(existing),
            )
        return response
    return JsonResponse(_source_json(source), status=201)


@login_required
def guide(request):
    return render(request, "annotations/guide.html", {"legend": LEGEND})
