"""Page middleware: bad input that reaches a page view unchecked answers 400, not 500;
readers are kept to the API.

For bad input the API has its own net (api/exceptions.py); this one covers the pages and the admin,
where a URL id past 2**63 raised OverflowError on SQLite and a lone surrogate in a form
raised UnicodeEncodeError. Each is logged with the request so the missing check can be
written where it belongs.
"""

import logging

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import DataError
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect

from provenance.roles import is_reader

logger = logging.getLogger("provenance.bad_input")

BAD_INPUT = (RecursionError, OverflowError, UnicodeError, DataError)


class BadInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, BAD_INPUT):
            return None
        logger.warning("Bad input reached %s %s: %r", request.method, request.path, exception,
                       exc_info=exception)
        return HttpResponseBadRequest(
            "Bad request: a value in it is out of range or not valid text.",
            content_type="text/plain; charset=utf-8",
        )


READER_PAGES_MESSAGE = (
    "Your account is a Reader: it reads adjudicated articles through the API "
    "(/api/claims/ and /api/export/annotations, with a token from this page). The "
    "workspace and the review pages are for reviewers and editors."
)

# What a Reader may open in the browser: the API (whose views check what readers may do
# there), the token page, signing in and out, static files.
READER_PATHS = ("/api/", "/account/token/", "/accounts/", "/static/", "/favicon.ico")


class ReaderPagesMiddleware:
    """Readers (provenance.roles.is_reader) get no workspace and no review pages: the home
    page (their queue) sends them to their token, anything else answers 403 saying why.
    One place, so a page added later cannot forget the rule."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(READER_PATHS) or not is_reader(request.user):
            return self.get_response(request)
        if request.path == "/":
            messages.info(request, READER_PAGES_MESSAGE)
            return redirect("account-token")
        raise PermissionDenied(READER_PAGES_MESSAGE)
