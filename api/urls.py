from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import annotations, auth, catalog, claim_groups, claims, suggestions, url_imports

router = DefaultRouter()
router.register("annotations", annotations.AnnotationViewSet, basename="annotation")
router.register("claims", claims.ClaimViewSet, basename="claim")
router.register("claim-groups", claim_groups.ClaimGroupViewSet, basename="claim-group")
router.register("sources", catalog.SourceViewSet, basename="source")
router.register("articles", catalog.ArticleViewSet, basename="article")
router.register("url-imports", url_imports.UrlImportViewSet, basename="url-import")
router.register("suggestions", suggestions.SuggestionViewSet, basename="suggestion")

urlpatterns = [
    path("auth/token/", auth.TokenView.as_view(), name="api-token"),
    path("export/annotations", claims.ExportView.as_view(), name="export-annotations"),
    path("import/annotations", claims.ImportView.as_view(), name="import-annotations"),
    path("export/claim-groups", claim_groups.ClaimGroupExportView.as_view(),
         name="export-claim-groups"),
    path("", include(router.urls)),
]
