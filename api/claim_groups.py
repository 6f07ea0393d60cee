"""/api/claim-groups/ and /api/export/claim-groups: claims across articles, grouped."""

import django_filters as filters
from django.http import StreamingHttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from crossclaims import selectors
from crossclaims.models import ClaimGroup, ClaimKind, ClaimStatus, Decision, Relation
from exports import claim_groups as writers
from exports.selection import IdFilter

from .claims import _AnyFormat
from .schema import filter_parameters

# Groups per query while an export streams: each chunk is four queries.
EXPORT_CHUNK = 200


class ClaimGroupFilter(filters.FilterSet):
    subject = filters.CharFilter(method="filter_subject",
                                 help_text="Words in the group's subject (case-insensitive).")
    # field_name only tells the schema it is a whole number; the method does the filtering.
    article = IdFilter(field_name="id", method="filter_article",
                       help_text="Groups with a claim from this article.")
    source = filters.CharFilter(method="filter_source",
                                help_text="Groups with a claim citing this source (id or slug).")
    conflict = filters.BooleanFilter(method="filter_conflict",
                                     help_text="Only groups with (true) or without (false) a "
                                               "conflict.")

    class Meta:
        model = ClaimGroup
        fields = []

    def filter_subject(self, queryset, name, value):
        return selectors.filter_groups(queryset, subject=value)

    def filter_article(self, queryset, name, value):
        return selectors.filter_groups(queryset, article=value)

    def filter_source(self, queryset, name, value):
        return selectors.filter_groups(queryset, source=value.strip())

    def filter_conflict(self, queryset, name, value):
        return selectors.filter_groups(queryset, conflict=value)


class _Article(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    published_on = serializers.DateField(allow_null=True)


class _Sentence(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True)
    text = serializers.CharField(allow_null=True)


class _Period(serializers.Serializer):
    start = serializers.DateField(allow_null=True)
    end = serializers.DateField(allow_null=True)
    as_written = serializers.CharField()
    basis = serializers.CharField(help_text="stated, context (the sentence before), article "
                                            "(from the article's date) or empty.")


class _Source(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.CharField()
    reliability = serializers.CharField()


class ClaimMemberSerializer(serializers.Serializer):
    claim = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=ClaimKind.choices)
    article = _Article()
    sentence = _Sentence()
    as_written = serializers.CharField(help_text="The quantity's words; empty for assertions.")
    value = serializers.FloatField(allow_null=True, help_text="In base units (USD, percent, …).")
    unit = serializers.CharField()
    normalised = serializers.CharField()
    comparator = serializers.CharField()
    direction = serializers.CharField()
    status = serializers.ChoiceField(choices=ClaimStatus.choices)
    period = _Period()
    attribution = serializers.CharField()
    source = _Source(allow_null=True)
    conflicts_with = serializers.ListField(child=serializers.IntegerField())


class _Decision(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Decision.choices)
    by = serializers.CharField()
    note = serializers.CharField()
    at = serializers.DateTimeField()


class ClaimLinkSerializer(serializers.Serializer):
    claim_a = serializers.IntegerField()
    claim_b = serializers.IntegerField()
    relation = serializers.ChoiceField(choices=Relation.choices)
    reason = serializers.CharField()
    basis = serializers.CharField(help_text="measure, similarity or decision.")
    score = serializers.FloatField()
    decision = _Decision(allow_null=True)


class ClaimGroupSerializer(serializers.Serializer):
    """A group as plain data (crossclaims.selectors.group_data): no query per row."""

    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=ClaimKind.choices)
    subject = serializers.CharField()
    unit = serializers.CharField()
    has_conflict = serializers.BooleanField()
    member_count = serializers.IntegerField()
    article_count = serializers.IntegerField()
    built_at = serializers.DateTimeField()
    members = ClaimMemberSerializer(many=True)
    links = ClaimLinkSerializer(many=True)


@extend_schema_view(
    list=extend_schema(summary="Claim groups: one measure of one subject across articles, "
                               "conflicts first"),
    retrieve=extend_schema(summary="One claim group with its members, links and decisions"),
)
class ClaimGroupViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ClaimGroupSerializer
    filterset_class = ClaimGroupFilter
    queryset = ClaimGroup.objects.conflicts_first()

    def get_queryset(self):
        return ClaimGroup.objects.conflicts_first()

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(
            self.get_serializer(selectors.group_data(page), many=True).data
        )

    def retrieve(self, request, *args, **kwargs):
        group = self.get_object()
        return Response(self.get_serializer(selectors.group_data([group])[0]).data)


FORMAT = OpenApiParameter(
    "format", OpenApiTypes.STR, enum=list(writers.FORMATS),
    description="json (default): an array of groups as the list gives them; csv: one row per "
                "claim, UTF-8 with BOM, text cells neutralised against spreadsheet formulas.",
)


def _chunks(queryset):
    ids = list(queryset.values_list("pk", flat=True))
    for i in range(0, len(ids), EXPORT_CHUNK):
        chunk = ids[i:i + EXPORT_CHUNK]
        groups = {g.pk: g for g in ClaimGroup.objects.filter(pk__in=chunk)}
        yield from selectors.group_data([groups[pk] for pk in chunk if pk in groups])


class ClaimGroupExportView(APIView):
    """Every claim group passing the filters, streamed."""

    content_negotiation_class = _AnyFormat

    @extend_schema(
        summary="Download claim groups (JSON or CSV)",
        parameters=[FORMAT, *filter_parameters(ClaimGroupFilter)],
        responses={
            (200, "application/json"): OpenApiResponse(ClaimGroupSerializer(many=True)),
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR),
        },
    )
    def get(self, request):
        fmt = request.query_params.get("format") or "json"
        if fmt not in writers.FORMATS:
            raise ValidationError({"format": [f"Use one of {', '.join(writers.FORMATS)}."]})
        filterset = ClaimGroupFilter(request.query_params, queryset=ClaimGroup.objects
                                     .conflicts_first())
        if not filterset.is_valid():
            raise ValidationError(filterset.errors)
        pieces = writers.pieces(fmt, _chunks(filterset.qs))
        response = StreamingHttpResponse(pieces, content_type=writers.FORMATS[fmt])
        name = f"claim-groups-{timezone.localdate():%Y-%m-%d}.{fmt}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
