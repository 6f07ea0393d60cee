"""Query-string filters of the API's lists. The claims filters (shared with the exports
and the export_annotations command) live in exports/selection.py."""


import django_filters as filters
from django.db.models import Q

from annotations.models import Annotation, Label, Status
from exports.selection import ChoicesFilter, IdFilter, id_or_slug
from provenance.models import Article, Reliability, Source, SourceKind


class AnnotationListFilter(filters.FilterSet):
    """Filters of /api/annotations/ (the workspace reads its own rows through these)."""

    article = IdFilter(field_name="sentence__article_id", help_text="Only this article.")
    sentence = IdFilter(field_name="sentence_id", help_text="Only this sentence.")
    reviewer = filters.CharFilter(
        field_name="reviewer__username", help_text="Only this reviewer's (username)."
    )
    label = ChoicesFilter(choices=Label.choices, help_text="Only these labels.")
    status = ChoicesFilter(
        choices=Status.choices, help_text="Only these review states."
    )
    source = filters.CharFilter(
        method="filter_source", help_text="Citing this source (id or slug)."
    )
    deleted = filters.BooleanFilter(
        method="filter_deleted",
        help_text="Deleted annotations instead of live ones (yours; editors: all).",
    )

    class Meta:
        model = Annotation
        fields = []

    filter_source = staticmethod(id_or_slug("source"))

    def filter_deleted(self, queryset, name, value):
        return queryset  # applied in AnnotationViewSet.get_queryset(): it depends on the user


class SourceFilter(filters.FilterSet):
    search = filters.CharFilter(
        method="filter_search", help_text="Text in the name or any alias (case-insensitive)."
    )
    kind = ChoicesFilter(choices=SourceKind.choices, help_text="Only these kinds.")
    reliability = ChoicesFilter(
        choices=Reliability.choices, help_text="Only these reliability ratings."
    )
    needs_review = filters.BooleanFilter(help_text="Proposed by a reviewer, awaiting an editor.")

    class Meta:
        model = Source
        fields = []

    def filter_search(self, queryset, name, value):
        return queryset.search(value)


class ArticleFilter(filters.FilterSet):
    publisher = filters.CharFilter(
        method="filter_publisher", help_text="Only this publisher's articles (id or slug)."
    )
    q = filters.CharFilter(method="filter_q", help_text="Text in the title or URL.")

    class Meta:
        model = Article
        fields = []

    filter_publisher = staticmethod(id_or_slug("publisher"))

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(url__icontains=value))
