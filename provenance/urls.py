from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import account_views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("account/token/", account_views.token, name="account-token"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("api/", include("annotations.api.urls")),
    path("api/", include("annotations.api.review_urls")),
    path("review/", include("annotations.urls_review")),
    path("", include("annotations.urls")),
    path("", include("provenance.urls_app")),
]

# /api/ URLs that match no route get a JSON 404 like every other API error.
handler404 = "annotations.api.exceptions.not_found"
