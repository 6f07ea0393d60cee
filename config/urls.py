from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api import token_page


def favicon(request):
    """Browsers fetch /favicon.ico for pages that link no icon (JSON replies, files).

    A redirect, not a copy: the static URL carries the file's hash in production, so it is
    resolved per request (at import time the manifest may not exist yet).
    """
    return redirect(static("favicon.svg"))


urlpatterns = [
    path("favicon.ico", favicon),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("account/token/", token_page.token, name="account-token"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("api/", include("api.urls")),
    path("api/", include("api.review_urls")),
    path("", include("review.urls")),
    path("", include("exports.urls")),
    path("", include("crossclaims.urls")),
    path("", include("suggestions.urls")),
    path("", include("annotations.urls")),
    path("", include("provenance.urls")),
]

# /api/ URLs that match no route get a JSON 404 like every other API error.
handler404 = "api.exceptions.not_found"
