"""/api/articles/import-urls/ and /api/url-imports/: web pages imported by URL in the
background, and their per-URL progress for the editor who asked."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.reverse import reverse

from provenance.ingestion.batches import url_import_create
from provenance.models import UrlImport, UrlImportItem, UrlImportStatus

from .permissions import IsEditor
from .schema import ProvenanceAutoSchema


class UrlImportRequestSerializer(serializers.Serializer):
    """Shape only; provenance.ingestion.batches checks each URL and the count."""

    urls = serializers.ListField(
        child=serializers.CharField(allow_blank=True, trim_whitespace=False), allow_empty=False,
        help_text="Web page addresses (http or https).",
    )


class UrlImportItemSerializer(serializers.ModelSerializer):
    article = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    article_title = serializers.CharField(source="article.title", read_only=True,
                                          allow_null=True, default=None)

    class Meta:
        model = UrlImportItem
        fields = ["position", "url", "status", "message", "article", "article_title",
                  "updated_at"]
        read_only_fields = fields


class UrlImportSerializer(serializers.ModelSerializer):
    items = UrlImportItemSerializer(many=True, read_only=True)
    done = serializers.SerializerMethodField(help_text="No URL is queued or importing.")

    class Meta:
        model = UrlImport
        fields = ["id", "created_at", "done", "items"]
        read_only_fields = fields

    def get_done(self, batch) -> bool:
        pending = (UrlImportStatus.QUEUED, UrlImportStatus.RUNNING)
        return not any(item.status in pending for item in batch.items.all())


def own_batches(user):
    items = UrlImportItem.objects.select_related("article").order_by("position")
    return (UrlImport.objects.filter(created_by=user)
            .prefetch_related(Prefetch("items", queryset=items)).order_by("-id"))


def import_urls_response(request):
    """POST /api/articles/import-urls/: queue the URLs; 202 with the batch to poll."""
    serializer = UrlImportRequestSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    batch = url_import_create(urls=serializer.validated_data["urls"], created_by=request.user)
    batch = own_batches(request.user).get(pk=batch.pk)
    location = reverse("url-import-detail", args=[batch.pk], request=request)
    return Response(UrlImportSerializer(batch).data, status=status.HTTP_202_ACCEPTED,
                    headers={"Location": location})


@extend_schema_view(
    list=extend_schema(summary="Your URL imports, newest first (editors)"),
    retrieve=extend_schema(summary="One URL import with each URL's progress (editors)"),
)
class UrlImportViewSet(viewsets.ReadOnlyModelViewSet):
    """Batches of URLs an editor queued; each row says queued, running, imported,
    unchanged or failed, with the message the import gave. Only your own batches."""

    schema = ProvenanceAutoSchema()
    serializer_class = UrlImportSerializer
    permission_classes = [permissions.IsAuthenticated, IsEditor]
    queryset = UrlImport.objects.none()

    def get_queryset(self):
        return own_batches(self.request.user)
