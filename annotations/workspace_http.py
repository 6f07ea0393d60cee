"""The workspace endpoints' one shape: what they answer, and how every failure looks.

views.py describes the design; this module keeps it in one place so no endpoint can answer
differently: `endpoint` turns every failure (signed out, CSRF, wrong method, not found,
refused by a service, stale version) into {"detail", "errors"}, and `redraw` /
`redraw_blocks` render what changed from the page's own partials.
"""

import functools
import re

from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.template.loader import render_to_string
from django.views.decorators.csrf import csrf_exempt

from . import selectors, services
from .locks import Conflict
from .models import SentenceReview

_ETAG = re.compile(r'^(?:W/)?"?(\d+)-(\d+)"?$')


class Refusal(Exception):
    """An answer in the error shape, raised from anywhere inside an endpoint."""

    def __init__(self, detail, status=400, errors=None, **context):
        super().__init__(detail)
        self.detail, self.status, self.errors, self.context = detail, status, errors, context


def error(detail, status=400, errors=None, **context) -> JsonResponse:
    """{"detail": one readable sentence, "errors": {field: [messages]}} and any context."""
    return JsonResponse({"detail": detail, "errors": errors or {}, **context}, status=status)


def _messages(errors: dict) -> str:
    return " ".join(str(m) for messages in errors.values() for m in messages)


def form_refusal(form) -> Refusal:
    errors = {name: [str(m) for m in messages] for name, messages in form.errors.items()}
    return Refusal(_messages(errors), errors={k: v for k, v in errors.items() if k != "__all__"})


def _validation_error(exc: ValidationError) -> JsonResponse:
    # 409 when what the page showed changed meanwhile (a join, split or merge), as the API.
    status = 409 if isinstance(exc, Conflict) else 400
    if hasattr(exc, "error_dict"):
        errors = {name: [str(m) for m in msgs] for name, msgs in exc.message_dict.items()}
        return error(_messages(errors), status,
                     errors={k: v for k, v in errors.items() if k != "__all__"})
    return error(" ".join(exc.messages), status)


def annotation_json(annotation) -> dict:
    """An annotation as the conflict box shows it (a 412's "current")."""
    source = annotation.source
    return {
        "id": annotation.pk, "version": annotation.version, "etag": annotation.etag,
        "label": annotation.label, "note": annotation.note,
        "source": {"id": source.pk, "name": source.name} if source else None,
    }


def expected_version(request, annotation) -> int:
    """The version the page drew (its If-Match ETag); 428 without one, 412 for another's."""
    header = request.headers.get("If-Match", "").strip()
    if not header:
        raise Refusal(
            "Send the version you are changing: an If-Match header with the annotation's ETag.",
            428,
        )
    match = _ETAG.match(header)
    if not match or int(match[1]) != annotation.pk:
        raise services.StaleVersion(annotation)
    return int(match[2])


def stale(request, annotation, detail) -> JsonResponse:
    """412: the annotation as it is now ("current", for the conflict box), with its sentence
    and panel redrawn, so taking the other version needs no further request."""
    drawn = redrawn(request, annotation.sentence)
    return error(detail, 412, current=annotation_json(annotation), **drawn)


# The middleware's own check, run inside `endpoint` so that a refusal is answered in JSON
# rather than by the HTML failure page (CsrfViewMiddleware skips views marked exempt).
_csrf = CsrfViewMiddleware(lambda request: None)


def _guard(request, methods):
    """The refusal owed before the view runs, or None."""
    if request.method not in methods:
        response = error(f"Use {' or '.join(methods)} here.", 405)
        response["Allow"] = ", ".join(methods)
        return response
    if not request.user.is_authenticated:
        return error("You were signed out. Sign in again in another tab, then try again.", 401)
    if request.method == "POST" and _csrf.process_view(request, None, (), {}) is not None:
        return error("The page's security token is missing or stale; reload the page.", 403)
    return None


def endpoint(*methods):
    """A workspace endpoint: signed-in users only, CSRF-checked, failures in one shape."""

    def decorate(view):
        @csrf_exempt
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            refused = _guard(request, methods)
            if refused is not None:
                return refused
            try:
                return view(request, *args, **kwargs)
            except Http404:
                return error("Not found: it may have been removed meanwhile; reload the article.",
                             404)
            except ValidationError as exc:
                return _validation_error(exc)
            except services.StaleVersion as exc:
                return stale(request, exc.current, str(exc))
            except Refusal as exc:
                return error(exc.detail, exc.status, exc.errors, **exc.context)

        return wrapper

    return decorate


def _panel(request, sentence, annotations) -> str:
    return render_to_string(
        "annotations/_panel.html", {"sentence": sentence, "annotations": annotations}, request
    )


def redrawn(request, sentence, *, with_sentence=True) -> dict:
    """The panel of `sentence` and (unless only the panel is asked for) the sentence itself,
    as they are now: one query for the panel's annotations, one for the no-label mark.
    Only the user's own annotations while the review is independent (access.py)."""
    annotations = list(selectors.sentence_annotations(
        [sentence.pk], reviewer_id=selectors.only_by(request.user, sentence.article)))
    drawn = {"sentence": sentence.pk, "panel": _panel(request, sentence, annotations)}
    if with_sentence:
        no_label = SentenceReview.objects.filter(sentence=sentence, reviewer=request.user).exists()
        view = selectors.sentence_view(sentence, annotations, user=request.user, no_label=no_label)
        view.markers = selectors.sentence_markers([sentence.pk]).get(sentence.pk, [])
        html = render_to_string("annotations/_sentence.html", {"sv": view}, request)
        drawn["sentences"] = [{"id": sentence.pk, "html": html}]
    return drawn


def redraw(request, sentence, *, status=200, with_sentence=True, **extra) -> JsonResponse:
    return JsonResponse(
        {**redrawn(request, sentence, with_sentence=with_sentence), **extra}, status=status
    )


def redraw_blocks(request, article, sentence, changed, *, removed=(), **extra) -> JsonResponse:
    """After a join or split: the paragraphs holding the `changed` sentence ids, and the
    panel of `sentence`. A boundary change can regroup paragraphs and renumbers the
    sentences after it, so whole blocks are sent (the script shifts later numbers); laying
    them out needs the article's sentences: four queries whatever its size."""
    layout = selectors.workspace(article, request.user)
    blocks = [b for b in layout.blocks if any(v.sentence.pk in changed for v in b.items)]
    annotations = list(selectors.sentence_annotations(
        [sentence.pk], reviewer_id=selectors.only_by(request.user, article)))
    return JsonResponse({
        "sentence": sentence.pk,
        "blocks": render_to_string("annotations/_blocks.html", {"blocks": blocks}, request),
        "removed": list(removed),
        "panel": _panel(request, sentence, annotations),
        **extra,
    })


def source_json(source) -> dict:
    return {
        "id": source.pk,
        "name": source.name,
        "kind": source.get_kind_display(),
        "reliability": source.get_reliability_display(),
        "needs_review": source.needs_review,
        "aliases": [a.alias for a in source.aliases.all()],
    }
