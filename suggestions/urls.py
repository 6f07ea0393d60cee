from django.urls import path

from . import views, workspace

app_name = "suggestions"

urlpatterns = [
    path("suggestions/report/", views.report, name="report"),
    # The workspace's suggestion endpoints (suggestions/workspace.py).
    path("workspace/articles/<int:pk>/suggestions/", workspace.article_suggestions,
         name="article-suggestions"),
    path("workspace/articles/<int:pk>/suggestions/accept-all/", workspace.accept_label,
         name="accept-label"),
    path("workspace/suggestions/<int:pk>/accept/", workspace.suggestion_accept, name="accept"),
    path("workspace/suggestions/<int:pk>/dismiss/", workspace.suggestion_dismiss,
         name="dismiss"),
    path("workspace/suggestions/preference/", workspace.preference, name="preference"),
]
