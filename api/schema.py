"""OpenAPI: every operation documents the errors it can really answer with.

drf-spectacular documents only success responses by default; a client (or schemathesis)
reading the schema would then treat our 400/401/403/404/429 answers as contract breaches.
"""

import django_filters
from django import forms
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, inline_serializer
from rest_framework import permissions, serializers

ErrorSerializer = inline_serializer(
    "Error", fields={"detail": serializers.CharField(help_text="What went wrong.")}
)

ERRORS = {
    "400": OpenApiResponse(
        OpenApiTypes.OBJECT,
        description='Invalid input: {"detail": "..."} or {"field": ["message", ...]}.',
    ),
    "401": OpenApiResponse(ErrorSerializer, description="Not signed in (no or a bad token)."),
    "403": OpenApiResponse(
        ErrorSerializer, description="Signed in but not allowed (or a missing CSRF token)."
    ),
    "404": OpenApiResponse(ErrorSerializer, description="No such object (or not visible to you)."),
    "413": OpenApiResponse(ErrorSerializer, description="The upload is larger than the limit."),
    "429": OpenApiResponse(ErrorSerializer, description="Too many attempts; wait and retry."),
}


class ProvenanceAutoSchema(AutoSchema):
    """Adds the error responses each operation can produce, unless the view declared them.

    Views list extra codes (413) in `schema_extra_errors`.
    """

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code in self._error_codes():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    ERRORS[code], code, media_types=("application/json",), direction=direction
                )
        return responses

    def _error_codes(self):
        view = self.view
        codes = []
        safe = self.method in permissions.SAFE_METHODS
        is_list = self._is_list_view() and safe
        has_params = bool(self._get_filter_parameters() or self._get_pagination_parameters())
        if not safe or is_list or has_params or self.get_override_parameters():
            codes.append("400")
        perms = view.get_permissions()
        if not all(isinstance(p, permissions.AllowAny) for p in perms):
            codes.append("401")
            if not safe:
                codes.append("403")  # CSRF for session users, roles for everyone
        if "{" in self.path:
            codes.append("404")
        codes.extend(getattr(view, "schema_extra_errors", ()))
        if view.get_throttles():
            codes.append("429")
        return codes


def filter_parameters(filterset_class):
    """OpenAPI query parameters for a FilterSet used outside a list view (the export)."""
    params = []
    for name, f in filterset_class.base_filters.items():
        description = f.extra.get("help_text", "")
        if isinstance(f, django_filters.DateFilter):
            params.append(OpenApiParameter(name, OpenApiTypes.DATE, description=description))
        elif isinstance(f, django_filters.BooleanFilter):
            params.append(OpenApiParameter(name, OpenApiTypes.BOOL, description=description))
        elif isinstance(f, django_filters.MultipleChoiceFilter):
            params.append(
                OpenApiParameter(
                    name, OpenApiTypes.STR, many=True, explode=True, description=description,
                    enum=[value for value, _ in f.extra["choices"]],
                )
            )
        elif isinstance(f, django_filters.ChoiceFilter):
            params.append(
                OpenApiParameter(
                    name, OpenApiTypes.STR, description=description,
                    enum=[value for value, _ in f.extra["choices"]],
                )
            )
        else:
            integer = issubclass(f.field_class, forms.IntegerField)
            kind = OpenApiTypes.INT if integer else OpenApiTypes.STR
            params.append(OpenApiParameter(name, kind, description=description))
    return params
