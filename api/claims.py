"""/api/claims/, /api/export/annotations and /api/import/annotations."""

from django.conf import settings
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import parsers, permissions, serializers, viewsets
from rest_framework.exceptions import NotFound, ParseError, ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.access import visible_annotations
from exports import formats as exports
from exports.restore import ImportFailed, import_jsonl
from exports.selection import AnnotationFilter, InvalidFilters, claim_annotations, export_queryset
from review.selectors import final_decisions

from .exceptions import PayloadTooLarge
from .pagination import Key, KeysetPagination
from .permissions import IsEditor
from .schema import filter_parameters
from .serializers import ClaimSerializer


def _iso(value):
    return value.isoformat()


@extend_schema_view(
    list=extend_schema(
        summary="Claims: content sentences with at least one live annotation",
        description=(
            "Annotation filters (label, status, source, reviewer, created range) choose both "
            "which sentences are claims and which annotations each claim lists; publisher, "
            "article and q narrow the sentences. Rejected annotations are left out unless "
            "`include_rejected=true` or a `status` asks for them. Until an article is "
            "adjudicated a reviewer sees only their own annotations on it (independent "
            "review); readers see adjudicated articles only. `decision` is the sentence's "
            "final labels once its article is adjudicated. Cursor pagination: follow `next`."
        ),
    ),
    retrieve=extend_schema(summary="One claim (by sentence id), with the same filters"),
)
class ClaimViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ClaimSerializer
    filterset_class = AnnotationFilter
    pagination_class = KeysetPagination
    queryset = claim_annotations()
    readers_allowed = True

    def get_queryset(self):
        return visible_annotations(claim_annotations(), self.request.user)

    def recent_first(self):
        return self.request.query_params.get("ordering") == "recent"

    def claim_sentences(self, annotations):
        # The filters select annotations; the rows are the sentences they are on.
        sentences = annotations.claim_sentences()
        if q := self.request.query_params.get("q", "").strip():
            # Said of the sentence as well as inside the EXISTS, so PostgreSQL can start
            # from the trigram index on sentence text instead of testing every claim.
            sentences = sentences.filter(text__icontains=q)
        return sentences

    def page_of_sentences(self, annotations):
        if not self.recent_first():
            return self.paginate_queryset(self.claim_sentences(annotations))
        # Most recent first: page through each sentence's newest annotation, then fetch
        # those sentences.
        newest = self.paginate_queryset(
            annotations.newest_per_sentence().values("id", "sentence_id", "created_at")
        )
        ids = [row["sentence_id"] for row in newest]
        rows = {row["id"]: row for row in self.claim_sentences(annotations).filter(id__in=ids)}
        return [rows[pk] for pk in ids]

    def list(self, request, *args, **kwargs):
        annotations = self.filter_queryset(self.get_queryset())
        page = self.page_of_sentences(annotations)
        data = self.get_serializer(with_decisions(annotations.claims(page)), many=True).data
        return self.get_paginated_response(data)

    def retrieve(self, request, *args, **kwargs):
        annotations = self.filter_queryset(self.get_queryset())
        pk = self.kwargs["pk"]
        rows = list(self.claim_sentences(annotations).filter(pk=pk)) if pk.isdigit() else []
        if not rows:
            raise NotFound("No claim with this sentence id matches these filters.")
        return Response(self.get_serializer(with_decisions(annotations.claims(rows))[0]).data)

    def cursor_keys(self):
        if self.recent_first():
            # Keys of the newest-annotation rows (see page_of_sentences).
            return [
                Key("created_at", descending=True, parse=parse_datetime, dump=_iso),
                Key("id", descending=True),
            ]
        return [Key("article_id"), Key("position")]


def with_decisions(claims):
    """Each claim with its sentence's final decision once its article is adjudicated
    (None before): one query for a page, none when no article on it is adjudicated."""
    closed = [c["sentence"]["id"] for c in claims if c["article"]["adjudicated_at"]]
    decisions = final_decisions(closed) if closed else {}
    for claim in claims:
        claim["decision"] = decisions.get(claim["sentence"]["id"])
    return claims


FORMAT = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    enum=list(exports.FORMATS),
    description="jsonl (default): one self-contained row per line; csv: UTF-8 with BOM; "
    "jsonld: a W3C Web Annotation AnnotationCollection.",
)


class _AnyFormat:
    """Content negotiation that ignores ?format= (it names the export file format here)
    and answers errors as JSON."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return JSONRenderer(), JSONRenderer.media_type


class ExportView(APIView):
    """Every live annotation passing the claim filters, streamed as it is read."""

    content_negotiation_class = _AnyFormat
    readers_allowed = True

    @extend_schema(
        summary="Download annotations (JSONL, CSV or JSON-LD)",
        parameters=[FORMAT, *filter_parameters(AnnotationFilter)],
        responses={
            (200, "application/x-ndjson"): OpenApiResponse(OpenApiTypes.STR),
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR),
            (200, "application/ld+json"): OpenApiResponse(OpenApiTypes.OBJECT),
        },
    )
    def get(self, request):
        fmt = request.query_params.get("format") or "jsonl"
        if fmt not in exports.FORMATS:
            raise ValidationError({"format": [f"Use one of {', '.join(exports.FORMATS)}."]})
        try:
            queryset = export_queryset(
                request.query_params, with_context=fmt == "jsonld", user=request.user
            )
        except InvalidFilters as exc:
            raise ValidationError(exc.errors) from None
        # The server closes the pieces when the client goes away, which stops the query.
        base_url = settings.PROVENANCE_PUBLIC_URL or request.build_absolute_uri("/").rstrip("/")
        pieces = exports.pieces(fmt, queryset, base_url=base_url)
        response = StreamingHttpResponse(pieces, content_type=exports.FORMATS[fmt])
        name = exports.filename(fmt, timezone.localdate())
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class JSONLinesParser(parsers.BaseParser):
    """The raw bytes of a JSONL body; annotations/imports.py reads them line by line."""

    media_type = "application/x-ndjson"

    def parse(self, stream, media_type=None, parser_context=None):
        return stream.read() if stream is not None else b""


class JSONLParser(JSONLinesParser):
    media_type = "application/jsonl"


ImportReportSerializer = inline_serializer(
    "AnnotationImportReport",
    fields={
        "rows": serializers.IntegerField(),
        "created": serializers.IntegerField(),
        "skipped": serializers.IntegerField(help_text="Already present; left as they are."),
        "reviewers_created": serializers.ListField(child=serializers.CharField()),
        "sources_created": serializers.ListField(child=serializers.CharField()),
        "messages": serializers.ListField(
            child=serializers.CharField(),
            help_text="What was imported differently from the file, by line (e.g. a "
            "verdict without its editor, imported as submitted).",
        ),
    },
)


class ImportView(APIView):
    """Load a JSONL export (editors): all rows or, on any bad row, none."""

    permission_classes = [permissions.IsAuthenticated, IsEditor]
    parser_classes = [JSONLinesParser, JSONLParser, parsers.MultiPartParser]
    schema_extra_errors = ["413"]

    @extend_schema(
        summary="Import a JSONL export of annotations (editors)",
        request={
            "application/x-ndjson": OpenApiTypes.STR,
            "multipart/form-data": inline_serializer(
                "AnnotationImportUpload", fields={"file": serializers.FileField()}
            ),
        },
        responses={
            200: ImportReportSerializer,
            400: OpenApiResponse(
                inline_serializer(
                    "AnnotationImportErrors",
                    fields={
                        "detail": serializers.CharField(),
                        "errors": serializers.ListField(
                            child=inline_serializer(
                                "AnnotationImportError",
                                fields={
                                    "line": serializers.IntegerField(),
                                    "reason": serializers.CharField(),
                                },
                            ),
                            required=False,
                        ),
                    },
                ),
                description="Bad rows (each with its line); nothing was imported.",
            ),
        },
    )
    def post(self, request):
        limit = settings.PROVENANCE_MAX_ANNOTATION_IMPORT_BYTES
        if int(request.META.get("CONTENT_LENGTH") or 0) > limit:
            raise PayloadTooLarge(f"The upload is larger than the limit of {limit:,} bytes.")
        if request.content_type.startswith("multipart/"):
            upload = request.data.get("file")
            if not hasattr(upload, "read"):
                raise ParseError('Upload the JSONL export as "file".')
            lines, origin = upload, getattr(upload, "name", None) or "an upload"
        else:
            lines = request.data.split(b"\n") if isinstance(request.data, bytes) else []
            origin = "the body of POST /api/import/annotations"
        try:
            report = import_jsonl(lines, by=request.user, origin=origin)
        except ImportFailed as exc:
            return Response(
                {
                    "detail": str(exc),
                    "errors": [{"line": line, "reason": reason} for line, reason in exc.errors],
                },
                status=400,
            )
        return Response(report.__dict__)
