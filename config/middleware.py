"""Bad input that reaches a page view unchecked answers 400, not 500.

The API has its own net (api/exceptions.py); this one covers the pages and the admin,
where a URL id past 2**63 raised OverflowError on SQLite and a lone surrogate in a form
raised UnicodeEncodeError. Each is logged with the request so the missing check can be
written where it belongs.
"""

import logging

from django.db import DataError
from django.http import HttpResponseBadRequest

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
