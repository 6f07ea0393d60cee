"""Pagination for the API: numbered pages for small lists, keyset cursors for claims.

DRF's CursorPagination compares only the first ordering field and skips ties with an
OFFSET; claims order by (article, position) or (latest annotation, id), where one article
can hold hundreds of claims, so the cursor here carries the whole key and each page is one
indexed range scan however deep the client pages.
"""

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination, PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

MAX_PAGE_SIZE = 500


class NumberedPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    page_size_query_description = f"Results per page (default 50, at most {MAX_PAGE_SIZE})."
    max_page_size = MAX_PAGE_SIZE

    def get_schema_operation_parameters(self, view):
        params = super().get_schema_operation_parameters(view)
        for param in params:
            param["schema"]["minimum"] = 1
        return params

    def paginate_queryset(self, queryset, request, view=None):
        # DRF answers a page past the end with 404, as if the list did not exist; it is a
        # bad parameter.
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound as exc:
            raise ValidationError({self.page_query_param: [str(exc.detail)]}) from None


# The range of the database's 64-bit integer columns: a cursor or filter outside it is
# bad input (SQLite raises OverflowError binding it, a 500 before).
BIGINT = (-(2**63), 2**63 - 1)


def bounded_int(value) -> int:
    """A whole number the database can compare, from a cursor's JSON value."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{value!r} is not a whole number")
    if not BIGINT[0] <= value <= BIGINT[1]:
        raise ValueError(f"{value} is out of range")
    return value


@dataclass(frozen=True)
class Key:
    """One column of a keyset ordering."""

    field: str
    descending: bool = False
    parse: Callable[[Any], Any] = bounded_int
    dump: Callable[[Any], Any] = lambda value: value


class KeysetPagination(CursorPagination):
    """Cursor pagination over a composite, unique key given by `view.cursor_keys()`."""

    page_size = 50
    page_size_query_param = "page_size"
    page_size_query_description = f"Results per page (default 50, at most {MAX_PAGE_SIZE})."
    cursor_query_description = "Opaque cursor from a previous page's next or previous link."
    max_page_size = MAX_PAGE_SIZE
    template = None

    def get_schema_operation_parameters(self, view):
        params = super().get_schema_operation_parameters(view)
        for param in params:
            if param["name"] == self.page_size_query_param:
                param["schema"]["minimum"] = 1
        return params

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.base_url = request.build_absolute_uri()
        self.page_size = self.get_page_size(request)
        self.keys = view.cursor_keys()
        values, backwards = self._decode(request.query_params.get(self.cursor_query_param))
        self.had_cursor = values is not None

        order = [("-" if k.descending != backwards else "") + k.field for k in self.keys]
        queryset = queryset.order_by(*order)
        if values is not None:
            queryset = queryset.filter(self._after(values, backwards=backwards))
        rows = list(queryset[: self.page_size + 1])
        more = len(rows) > self.page_size
        rows = rows[: self.page_size]
        if backwards:
            rows.reverse()
            self.has_next, self.has_previous = True, more
        else:
            self.has_next, self.has_previous = more, self.had_cursor
        self.page = rows
        return rows

    def _after(self, values, *, backwards):
        """Rows strictly after `values` in the (possibly reversed) key order."""
        condition = Q()
        equal = Q()
        for key, value in zip(self.keys, values, strict=True):
            ascending = key.descending == backwards
            step = Q(**{f"{key.field}__{'gt' if ascending else 'lt'}": value})
            condition |= equal & step
            equal &= Q(**{key.field: value})
        # The same rows, plus a bound on the first key alone: "a >= x AND (a > x OR (a = x
        # AND b > y))". An OR alone made SQLite scan from the start of the index on every
        # page after the first (75-90 ms a page at 40k annotations instead of ~10).
        first, value = self.keys[0], values[0]
        ascending = first.descending == backwards
        return Q(**{f"{first.field}__{'gte' if ascending else 'lte'}": value}) & condition

    def _encode(self, row, *, backwards):
        values = [k.dump(row[k.field]) for k in self.keys]
        raw = json.dumps({"k": values, "b": backwards}, separators=(",", ":"))
        token = base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")
        return replace_query_param(self.base_url, self.cursor_query_param, token)

    def _decode(self, token):
        if not token:
            return None, False
        try:
            padded = token + "=" * (-len(token) % 4)
            data = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
            values = [k.parse(v) for k, v in zip(self.keys, data["k"], strict=True)]
            backwards = data.get("b", False)
            if not isinstance(backwards, bool) or None in values:
                raise ValueError
        except (binascii.Error, UnicodeError, ValueError, TypeError, KeyError, AttributeError,
                RecursionError, OverflowError):
            raise ValidationError({"cursor": ["Invalid cursor."]}) from None
        return values, backwards

    def get_next_link(self):
        if not self.has_next or not self.page:
            return None
        return self._encode(self.page[-1], backwards=False)

    def get_previous_link(self):
        if not self.has_previous:
            return None
        if not self.page:
            return remove_query_param(self.base_url, self.cursor_query_param)
        return self._encode(self.page[0], backwards=True)

    def get_paginated_response(self, data):
        return Response(
            {"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data}
        )
