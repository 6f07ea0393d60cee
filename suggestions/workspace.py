"""The suggestions' part of the reviewer workspace: endpoints in the workspace's one shape
(annotations/views.py describes it), drawn by suggestions/static/suggestions/workspace.js.

Accepting answers like the workspace's own label save (the sentence and panel redrawn), so
the page shows the reviewer's new annotation exactly as if they had pressed the label key.
"""

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404

from annotations.labels import info
from annotations.models import Label
from annotations.workspace_http import Refusal, endpoint, redraw, redrawn
from provenance.models import Article, Sentence

from . import selectors, services
from .models import Suggestion


def _suggestion_json(s: Suggestion) -> dict:
    label = info(s.label)
    return {
        "id": s.pk, "sentence": s.sentence_id, "label": s.label, "labelName": label.name,
        "initial": label.initial, "rule": s.rule, "explanation": s.explanation,
        "phraseStart": s.phrase_start, "phraseEnd": s.phrase_end,
        "source": s.source.name if s.source else s.source_name, "newSource": s.is_new_source,
    }


@endpoint("GET")
def article_suggestions(request, pk):
    """What this reviewer is offered on the article, whether their switch is on, and whether
    the worker has yet to compute them (the page says so and asks again)."""
    article = get_object_or_404(Article, pk=pk)
    enabled = services.suggestions_enabled_for(request.user)
    rows = selectors.suggestions_for_reviewer(article=article, reviewer=request.user)
    return JsonResponse({"enabled": enabled,
                         "computing": selectors.suggestions_pending(article=article),
                         "suggestions": [_suggestion_json(s) for s in rows]})


def _get_suggestion(pk):
    return get_object_or_404(Suggestion.objects.visible().select_related("sentence"), pk=pk)


@endpoint("POST")
def suggestion_accept(request, pk):
    suggestion = _get_suggestion(pk)
    services.suggestion_accept(suggestion=suggestion, reviewer=request.user)
    return redraw(request, suggestion.sentence, status=201, answered=[suggestion.pk],
                  message=f"Accepted: {info(suggestion.label).name}.")


@endpoint("POST")
def suggestion_dismiss(request, pk):
    suggestion = _get_suggestion(pk)
    services.suggestion_dismiss(suggestion=suggestion, reviewer=request.user)
    return JsonResponse({"answered": [suggestion.pk], "message": "Suggestion dismissed."})


@endpoint("POST")
def accept_label(request, pk):
    """Accept every suggestion of one label in the article (the page asks first)."""
    article = get_object_or_404(Article, pk=pk)
    label = request.POST.get("label", "")
    if label not in Label.values:
        raise Refusal("Choose a label to accept.", errors={"label": ["Unknown label."]})
    try:
        result = services.suggestions_accept_label(article=article, label=label,
                                                   reviewer=request.user)
    except ValidationError as exc:
        raise Refusal(" ".join(exc.messages)) from exc
    changed = {a.sentence_id for a in result.accepted}
    sentences = []
    for sentence in Sentence.objects.filter(pk__in=changed).order_by("position"):
        sentences += redrawn(request, sentence)["sentences"]
    name = info(label).name
    return JsonResponse({
        "sentences": sentences, "answered": [a.suggestion_decision.suggestion_id
                                             for a in result.accepted],
        "message": f"Accepted {len(result.accepted)} “{name}” suggestion"
                   f"{'' if len(result.accepted) == 1 else 's'}"
                   + (f"; {result.skipped} already labelled." if result.skipped else "."),
    }, status=201)


@endpoint("POST")
def preference(request):
    enabled = request.POST.get("enabled") in ("1", "true", "on")
    services.preference_set(reviewer=request.user, enabled=enabled)
    return JsonResponse({"enabled": enabled,
                         "message": f"Suggestions {'shown' if enabled else 'hidden'}."})
