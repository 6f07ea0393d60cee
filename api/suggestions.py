"""/api/suggestions/: the rules' suggestions, reviewers' answers, and the editors' report.

Listing shows every suggestion of unmuted rules (filter by article, label, rule); a
reviewer's `mine=true` leaves out what they answered and honours their switch. Accepting
goes through suggestions.services.suggestion_accept, which creates the reviewer's own
annotation through the annotation service.
"""

import django_filters as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from annotations.models import Label
from exports.selection import ChoicesFilter, IdFilter
from provenance.models import Article, Source
from provenance.roles import is_editor
from suggestions import services
from suggestions.engine.rules import RULES
from suggestions.models import RULE_CHOICES, Suggestion
from suggestions.report import suggestion_report

from .pagination import NumberedPagination
from .permissions import ReadersOnlyRead
from .schema import ProvenanceAutoSchema
from .serializers import SourceBriefSerializer


class SuggestionFilter(filters.FilterSet):
    article = IdFilter(field_name="article_id", help_text="Only this article.")
    label = ChoicesFilter(choices=Label.choices, help_text="Only these labels.")
    rule = ChoicesFilter(choices=RULE_CHOICES, help_text="Only these rules.")
    mine = filters.BooleanFilter(
        method="filter_mine",
        help_text="Only what you have not answered, and nothing if you switched suggestions off.",
    )

    class Meta:
        model = Suggestion
        fields = []

    def filter_mine(self, queryset, name, value):
        user = self.request.user
        if not value:
            return queryset
        if not services.suggestions_enabled_for(user):
            return queryset.none()
        return queryset.undecided_by(user)


class SuggestionSerializer(serializers.ModelSerializer):
    position = serializers.IntegerField(source="sentence.position", read_only=True)
    source = SourceBriefSerializer(read_only=True, allow_null=True)
    new_source = serializers.BooleanField(
        source="is_new_source", read_only=True,
        help_text="A citation whose source is not in the registry: the name as written.",
    )
    rule_name = serializers.SerializerMethodField()

    class Meta:
        model = Suggestion
        fields = ["id", "article", "sentence", "position", "label", "rule", "rule_name",
                  "explanation", "phrase_start", "phrase_end", "source", "source_name",
                  "new_source", "created_at"]
        read_only_fields = fields

    def get_rule_name(self, obj) -> str:
        return RULES[obj.rule].name


class AcceptSerializer(serializers.Serializer):
    source = serializers.PrimaryKeyRelatedField(
        queryset=Source.objects.all(), required=False, allow_null=True,
        help_text="For a citation: the registry entry to cite instead of the suggested one.",
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class AcceptAllSerializer(serializers.Serializer):
    article = serializers.PrimaryKeyRelatedField(queryset=Article.objects.all())
    label = serializers.ChoiceField(choices=Label.choices)


class AcceptedSerializer(serializers.Serializer):
    annotation = serializers.IntegerField(help_text="The annotation created for you.")


class AcceptedAllSerializer(serializers.Serializer):
    accepted = serializers.ListField(child=serializers.IntegerField(),
                                     help_text="Annotations created.")
    skipped = serializers.IntegerField(help_text="Sentences you had already labelled so.")


class PreferenceSerializer(serializers.Serializer):
    enabled = serializers.BooleanField()


class ReportRowSerializer(serializers.Serializer):
    label = serializers.CharField()
    rule = serializers.CharField(allow_blank=True)
    name = serializers.CharField(allow_blank=True)
    tp = serializers.IntegerField()
    fp = serializers.IntegerField()
    fn = serializers.IntegerField()
    precision = serializers.FloatField(allow_null=True)
    recall = serializers.FloatField(allow_null=True)
    muted = serializers.BooleanField()
    muted_automatically = serializers.BooleanField()


class ReportSerializer(serializers.Serializer):
    articles = serializers.IntegerField(help_text="Adjudicated articles measured.")
    labels = ReportRowSerializer(many=True)
    rules = ReportRowSerializer(many=True)
    sources_found = serializers.IntegerField()
    sources_right = serializers.IntegerField()
    source_accuracy = serializers.FloatField(allow_null=True)
    newly_muted = serializers.ListField(child=serializers.CharField())


@extend_schema_view(
    list=extend_schema(summary="Suggestions, by article, label and rule"),
    retrieve=extend_schema(summary="One suggestion"),
)
class SuggestionViewSet(viewsets.ReadOnlyModelViewSet):
    """Suggestions computed by the rules when an article is imported. They are not
    annotations: they count for no reviewer and are never exported."""

    schema = ProvenanceAutoSchema()
    serializer_class = SuggestionSerializer
    permission_classes = [permissions.IsAuthenticated, ReadersOnlyRead]
    filterset_class = SuggestionFilter
    pagination_class = NumberedPagination

    def get_queryset(self):
        return (Suggestion.objects.visible().select_related("sentence", "source")
                .order_by("article_id", "sentence__position", "label", "id"))

    @extend_schema(summary="Accept: create your own annotation from it", request=AcceptSerializer,
                   responses={201: AcceptedSerializer})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        serializer = AcceptSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        annotation = services.suggestion_accept(
            suggestion=self.get_object(), reviewer=request.user,
            source=serializer.validated_data.get("source"),
            note=serializer.validated_data.get("note", ""),
        )
        return Response({"annotation": annotation.pk}, status=status.HTTP_201_CREATED)

    @extend_schema(summary="Dismiss it (for you only)", request=None,
                   responses={204: OpenApiResponse(description="Dismissed.")})
    @action(detail=True, methods=["post"])
    def dismiss(self, request, pk=None):
        services.suggestion_dismiss(suggestion=self.get_object(), reviewer=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(summary="Accept every suggestion of one label in an article",
                   request=AcceptAllSerializer, responses={201: AcceptedAllSerializer})
    @action(detail=False, methods=["post"], url_path="accept-all")
    def accept_all(self, request):
        serializer = AcceptAllSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = services.suggestions_accept_label(reviewer=request.user,
                                                   **serializer.validated_data)
        return Response({"accepted": [a.pk for a in result.accepted], "skipped": result.skipped},
                        status=status.HTTP_201_CREATED)

    @extend_schema(summary="Your switch: suggestions on or off", request=PreferenceSerializer,
                   responses={200: PreferenceSerializer})
    @action(detail=False, methods=["get", "put"])
    def preference(self, request):
        if request.method == "PUT":
            serializer = PreferenceSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            services.preference_set(reviewer=request.user, **serializer.validated_data)
        return Response({"enabled": services.suggestions_enabled_for(request.user)})

    @extend_schema(
        summary="Precision and recall per label and rule (editors)",
        description="Against the final decisions on adjudicated articles. Computing it mutes "
                    "rules below the editors' precision threshold.",
        responses={200: ReportSerializer},
    )
    @action(detail=False, methods=["get"])
    def report(self, request):
        if not is_editor(request.user):
            self.permission_denied(request, message="Only editors can do this.")
        report = suggestion_report()
        newly = services.rules_apply_muting(report=report)
        if newly:
            report = suggestion_report()
        return Response(_report_data(report, newly))


def _row(row) -> dict:
    return {"label": row.label, "rule": row.rule, "name": row.name, "tp": row.tp, "fp": row.fp,
            "fn": row.fn, "precision": row.precision, "recall": row.recall,
            "muted": row.muted, "muted_automatically": row.muted_automatically}


def _report_data(report, newly) -> dict:
    return {"articles": report.articles, "labels": [_row(r) for r in report.labels],
            "rules": [_row(r) for r in report.rules], "sources_found": report.sources_found,
            "sources_right": report.sources_right, "source_accuracy": report.source_accuracy,
            "newly_muted": newly}
