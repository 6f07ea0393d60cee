import logging

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import JsonResponse
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.views import exception_handler

from annotations import locks

logger = logging.getLogger("provenance.bad_input")


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_detail = (
        "Send the version you are changing: an If-Match header with the annotation's ETag, "
        'or a "version" field.'
    )
    default_code = "precondition_required"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The data changed meanwhile; reload and try again."
    default_code = "conflict"


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request is too large."
    default_code = "too_large"


# What hostile input raises below the API when no check caught it first: answered as a
# 400 naming the problem (and logged, so the missing check gets written), never a 500.
BAD_INPUT = {
    RecursionError: "The request is nested too deeply.",
    OverflowError: "A number in the request is out of range.",
    UnicodeError: "The request contains text that is not valid Unicode.",
    DataError: "The database refused a value in the request as out of range or malformed.",
}


def api_exception_handler(exc, context):
    """Services raise Django's ValidationError; answer it as DRF's 400, never a 500, or as
    409 when what the request was based on changed meanwhile (a join, split or merge)."""
    for kind, message in BAD_INPUT.items():
        if isinstance(exc, kind):
            request = context.get("request")
            logger.warning(
                "Bad input reached %s %s: %r", getattr(request, "method", "?"),
                getattr(request, "path", "?"), exc, exc_info=exc,
            )
            exc = exceptions.ValidationError({"detail": message})
            break
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail = {field: [str(m) for m in msgs] for field, msgs in exc.message_dict.items()}
        else:
            detail = {"detail": " ".join(exc.messages)}
        exc = Conflict(detail) if isinstance(exc, locks.Conflict) else (
            exceptions.ValidationError(detail)
        )
    return exception_handler(exc, context)


def not_found(request, exception):
    """URLs under /api/ that match no route answer in the API's JSON shape, not HTML."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return defaults.page_not_found(request, exception)
