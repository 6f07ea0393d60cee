"""Request body parsers that answer hostile JSON with a 400, never a crash.

Python's json module recurses once per nesting level, so `[[[[…]]]]` 50,000 deep raises
RecursionError: a 500 before this, even on the anonymous token endpoint.
"""

from rest_framework import parsers
from rest_framework.exceptions import ParseError

TOO_DEEP = "JSON parse error - nested too deeply."


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, with too-deep nesting refused as a parse error."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(TOO_DEEP) from None
