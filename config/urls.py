from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api import token_page

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("account/token/", token_page.token, name="account-token"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("api/", include("api.urls")),
    path("api/", include("api.review_urls")),
    path("", include("review.urls")),
    path("", include("suggestions.urls")),
    path("", include("annotations.urls")),
    path("", include("provenance.urls")),
]

# /api/ URLs that match no route get a JSON 404 like every other API error.
handler404 = "api.exceptions.not_found"
