"""/api/sources/ and /api/articles/: the registry and the imported texts."""

import json

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Prefetch
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, parsers, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from annotations.access import visible_articles
from annotations.selectors import articles_with_counts, sources_with_counts
from provenance.domains import source_domain_add
from provenance.ingestion import parsers as article_parsers
from provenance.ingestion.parsers import InputError
from provenance.ingestion.services import article_import
from provenance.models import Article, NearDuplicate, Reliability, Source, SourceKind
from provenance.services import source_create

from .exceptions import PayloadTooLarge
from .filters import ArticleFilter, SourceFilter
from .pagination import NumberedPagination
from .permissions import EditorWrites, ReadersOnlyRead
from .schema import ProvenanceAutoSchema
from .serializers import SourceBriefSerializer
from .url_imports import UrlImportRequestSerializer, UrlImportSerializer, import_urls_response


class SourceSerializer(serializers.ModelSerializer):
    # CharField, not URLField: the schema's "uri" format would refuse the empty string.
    homepage = serializers.CharField(read_only=True, help_text="A URL, or empty.")
    aliases = serializers.SlugRelatedField(many=True, read_only=True, slug_field="alias")
    domains = serializers.SlugRelatedField(
        many=True, read_only=True, slug_field="domain",
        help_text="Web domains it publishes under (subdomains included).",
    )
    article_count = serializers.IntegerField(read_only=True, help_text="Articles published.")
    citation_count = serializers.IntegerField(
        read_only=True, help_text="Live annotations citing this source."
    )

    class Meta:
        model = Source
        fields = [
            "id", "name", "slug", "kind", "reliability", "reliability_note", "homepage",
            "country", "needs_review", "aliases", "domains", "article_count", "citation_count",
            "created_at", "updated_at",
        ]
        read_only_fields = fields


class SourceCreateSerializer(serializers.Serializer):
    """Shape only: provenance.services.source_create applies the registry's rules."""

    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=SourceKind.choices, default=SourceKind.OTHER)
    reliability = serializers.ChoiceField(
        choices=Reliability.choices, default=Reliability.UNRATED
    )
    reliability_note = serializers.CharField(
        required=False, allow_blank=True, max_length=5000,
        help_text="Why the rating: required with any rating but unrated.",
    )
    homepage = serializers.URLField(required=False, allow_blank=True, max_length=200)
    country = serializers.CharField(required=False, allow_blank=True, max_length=100)
    aliases = serializers.ListField(
        child=serializers.CharField(max_length=200), required=False, max_length=50,
        help_text="Other names; each must be new to the registry (no source's name or "
        "alias) and given once.",
    )
    domains = serializers.ListField(
        child=serializers.CharField(max_length=253), required=False, max_length=50,
        help_text="Web domains, e.g. bbc.co.uk; pages from their subdomains count too.",
    )


@extend_schema_view(
    list=extend_schema(summary="Sources, with how often each is cited"),
    retrieve=extend_schema(summary="One source"),
    create=extend_schema(
        summary="Add a source (editors)",
        request=SourceCreateSerializer,
        responses={201: SourceSerializer},
    ),
)
class SourceViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The source registry. Search covers names and aliases."""

    schema = ProvenanceAutoSchema()
    serializer_class = SourceSerializer
    permission_classes = [permissions.IsAuthenticated, ReadersOnlyRead, EditorWrites]
    readers_allowed = True
    filterset_class = SourceFilter
    pagination_class = NumberedPagination
    queryset = Source.objects.all()

    def get_queryset(self):
        sources = sources_with_counts(Source.objects.all())
        return sources.prefetch_related("aliases", "domains").order_by("name", "id")

    def create(self, request, *args, **kwargs):
        serializer = SourceCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        domains = data.pop("domains", [])
        # The service refuses names and aliases already in the registry, an alias given
        # twice and a rating without its rationale, each as a 400 naming the field; a
        # refused domain leaves no source behind.
        with transaction.atomic():
            source = source_create(created_by=request.user, **data)
            for domain in domains:
                source_domain_add(source=source, domain=domain, by=request.user)
        source = self.get_queryset().get(pk=source.pk)
        return Response(SourceSerializer(source).data, status=status.HTTP_201_CREATED)


class ArticleSerializer(serializers.ModelSerializer):
    url = serializers.CharField(read_only=True, help_text="Where it was published, or empty.")
    publisher = SourceBriefSerializer(read_only=True, allow_null=True)
    sentence_count = serializers.IntegerField(read_only=True)
    boilerplate_count = serializers.IntegerField(read_only=True)
    annotation_count = serializers.IntegerField(
        read_only=True, help_text="Live annotations on the article."
    )

    class Meta:
        model = Article
        fields = [
            "id", "title", "url", "author", "published_on", "publication_kind", "language",
            "origin", "content_sha256", "publisher", "created_at", "sentence_count",
            "boilerplate_count", "annotation_count",
        ]
        read_only_fields = fields


class NearDuplicateSerializer(serializers.Serializer):
    twin = serializers.IntegerField(source="twin_id", help_text="The earlier article.")
    twin_title = serializers.CharField(source="twin.title")
    shared = serializers.FloatField(
        help_text="Share of this article's text (4-word sequences) the twin also has."
    )


class ArticleDetailSerializer(ArticleSerializer):
    body = serializers.CharField(
        read_only=True, help_text="The plain text every offset indexes into."
    )
    near_duplicates = NearDuplicateSerializer(
        source="twins", many=True, read_only=True,
        help_text="Earlier articles whose text this one nearly repeats (syndication).",
    )

    class Meta(ArticleSerializer.Meta):
        fields = [*ArticleSerializer.Meta.fields, "body", "near_duplicates"]
        read_only_fields = fields


class ArticleImportedSerializer(ArticleSerializer):
    created = serializers.BooleanField(
        read_only=True,
        help_text="False when an article with the same text or URL already existed.",
    )
    message = serializers.CharField(
        read_only=True,
        help_text="What the import did: sentences, publisher, a near-duplicate twin, and "
        "whether the whole page was kept because no article was found on it.",
    )

    class Meta(ArticleSerializer.Meta):
        fields = [*ArticleSerializer.Meta.fields, "created", "message"]
        read_only_fields = fields


class SentenceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    position = serializers.IntegerField()
    start = serializers.IntegerField(help_text="Offset of the first character in the body.")
    end = serializers.IntegerField(help_text="Offset just past the last character.")
    text = serializers.CharField()
    is_boilerplate = serializers.BooleanField()
    boilerplate_reason = serializers.CharField()
    is_heading = serializers.BooleanField()
    starts_paragraph = serializers.BooleanField()


class ArticleJSONImportSerializer(serializers.Serializer):
    """Documentation of the JSON import; the article parser checks it (same as JSONL files)."""

    title = serializers.CharField(required=False)
    text = serializers.CharField(required=False, help_text="Plain text; or give html.")
    html = serializers.CharField(required=False, help_text="HTML; markup is removed.")
    url = serializers.URLField(required=False)
    publisher = serializers.CharField(required=False, max_length=200)
    publisher_kind = serializers.ChoiceField(choices=SourceKind.choices, required=False)
    author = serializers.CharField(required=False, max_length=300)
    published_on = serializers.DateField(required=False)
    publication_kind = serializers.CharField(required=False, max_length=100)
    language = serializers.CharField(required=False, max_length=16)


class ArticleUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=".txt, .md, .html or a one-line .jsonl file.")
    title = serializers.CharField(required=False)
    url = serializers.URLField(required=False)
    publisher = serializers.CharField(required=False, max_length=200)
    publisher_kind = serializers.ChoiceField(choices=SourceKind.choices, required=False)
    author = serializers.CharField(required=False, max_length=300)
    published_on = serializers.DateField(required=False)
    publication_kind = serializers.CharField(required=False, max_length=100)
    language = serializers.CharField(required=False, max_length=16)


def _refuse(exc_message, code):
    if code == "too_large":
        raise PayloadTooLarge(exc_message)
    raise DjangoValidationError(exc_message, code=code)


def _no_nul(value):
    """PostgreSQL text cannot hold NUL; refuse it as bad input instead of failing to store."""
    if isinstance(value, str):
        return "\x00" not in value
    if isinstance(value, dict):
        return all(_no_nul(k) and _no_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_no_nul(v) for v in value)
    return True


@extend_schema_view(
    list=extend_schema(summary="Articles with sentence, boilerplate and annotation counts"),
    retrieve=extend_schema(summary="One article, with its body", responses=ArticleDetailSerializer),
    create=extend_schema(
        summary="Import an article (editors)",
        description=(
            "JSON like one line of a .jsonl import file, or a multipart upload of one file. "
            "Validation and messages are those of `manage.py import_articles`. 201 with the "
            "new article; 200 with the existing one when the same text was imported before."
        ),
        request={
            "application/json": ArticleJSONImportSerializer,
            "multipart/form-data": ArticleUploadSerializer,
        },
        responses={
            201: ArticleImportedSerializer,
            200: OpenApiResponse(ArticleImportedSerializer, description="Already imported."),
        },
    ),
)
class ArticleViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    schema = ProvenanceAutoSchema()
    serializer_class = ArticleSerializer
    permission_classes = [permissions.IsAuthenticated, ReadersOnlyRead, EditorWrites]
    readers_allowed = True  # the adjudicated articles only (get_queryset)
    filterset_class = ArticleFilter
    pagination_class = NumberedPagination
    parser_classes = [parsers.JSONParser, parsers.MultiPartParser]
    queryset = Article.objects.all()

    @property
    def schema_extra_errors(self):
        return ["413"] if self.request is None or self.request.method == "POST" else []

    def get_queryset(self):
        articles = visible_articles(Article.objects.all(), self.request.user)
        qs = articles_with_counts(articles).select_related("publisher").order_by("-id")
        if self.action != "retrieve":
            qs = qs.defer("body")
        else:
            qs = qs.prefetch_related(
                Prefetch("twins", queryset=NearDuplicate.objects.select_related("twin"))
            )
        return qs

    def get_serializer_class(self):
        return ArticleDetailSerializer if self.action == "retrieve" else ArticleSerializer

    def create(self, request, *args, **kwargs):
        limit = settings.PROVENANCE_MAX_IMPORT_BYTES
        # Refuse before reading: a multi-gigabyte upload must not be buffered to say no.
        if int(request.META.get("CONTENT_LENGTH") or 0) > limit + 64 * 1024:
            raise PayloadTooLarge(f"The request is larger than the limit of {limit:,} bytes.")
        item = self._article_input(request, limit)
        try:
            result = article_import(data=item, imported_by=request.user)
        except DjangoValidationError as exc:
            where = f"{item.origin}, line {item.line}" if item.line else item.origin
            _refuse(f"{where}: {'; '.join(exc.messages)}", getattr(exc, "code", None))
        article = self.get_queryset().get(pk=result.article.pk)
        article.created = result.created
        article.message = result.describe()
        return Response(
            ArticleImportedSerializer(article).data,
            status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
        )

    def _article_input(self, request, limit):
        """One ArticleInput from a JSON body or an uploaded file, through the file parsers."""
        data = request.data
        name = "request.jsonl"
        if request.content_type.startswith("multipart/"):
            upload = data.get("file")
            if not hasattr(upload, "read"):
                raise DjangoValidationError({"file": ["Upload the article as \"file\"."]})
            name = upload.name
            if upload.size > limit:
                _refuse(
                    f"{name}: is {upload.size:,} bytes, larger than the limit of {limit:,} bytes",
                    "too_large",
                )
            meta = {k: data[k] for k in data if k != "file"}
            raw = upload.read()
        else:
            # One JSON value is exactly one line of a .jsonl import file.
            meta, raw = None, json.dumps(data).encode()
        if b"\x00" in raw or not _no_nul(data if meta is None else meta):
            _refuse(f"{name}: looks like a binary file, not text", "binary")
        try:
            items = list(article_parsers.parse_bytes(raw, name, max_bytes=limit, meta=meta))
        except InputError as exc:
            _refuse(str(exc), exc.code)
        if meta is None:  # a JSON body has no file name or line; say "request body" instead
            items = [
                InputError("request body", i.reason, code=i.code)
                if isinstance(i, InputError) else i
                for i in items
            ]
            for i in items:
                if not isinstance(i, InputError):
                    i.origin, i.line = "request body", None
        if len(items) != 1:
            _refuse(
                f"{name}: holds {len(items)} articles; upload one per request, or use "
                "manage.py import_articles for batches",
                "one_article",
            )
        if isinstance(items[0], InputError):
            _refuse(str(items[0]), items[0].code)
        return items[0]

    @extend_schema(
        summary="Import web pages by URL, in the background (editors)",
        description=(
            "Each URL is fetched and imported by the task queue's worker; poll the "
            "`Location` (`/api/url-imports/{id}/`) for each URL's status and message. "
            "A bad URL in the list refuses the whole request (400, naming it); a page "
            "that cannot be fetched or read fails only its own row."
        ),
        request=UrlImportRequestSerializer,
        responses={202: UrlImportSerializer},
    )
    @action(detail=False, methods=["post"], url_path="import-urls", filterset_class=None,
            pagination_class=None, parser_classes=[parsers.JSONParser])
    def import_urls(self, request):
        return import_urls_response(request)

    @extend_schema(
        summary="The article's sentences in reading order",
        responses=SentenceSerializer(many=True),
    )
    @action(detail=True, methods=["get"], filterset_class=None)
    def sentences(self, request, pk=None):
        article = self.get_object()
        sentences = article.sentences.order_by("position")
        page = self.paginate_queryset(sentences)
        return self.get_paginated_response(SentenceSerializer(page, many=True).data)
