from django.urls import path

from . import adjudication_views, imports, views

app_name = "review"
urlpatterns = [
    # The home page is the reviewer's queue.
    path("", views.queue, name="queue"),
    path("articles/<int:pk>/finish/", views.article_finish, name="article-finish"),
    path("sources/<slug:slug>/", views.source_detail, name="source-detail"),
    path("review/overview/", views.overview_team, name="overview"),
    path("review/overview/articles/<int:pk>/", views.overview_article, name="overview-article"),
    path("review/overview/reviewers/<int:pk>/", views.overview_reviewer,
         name="overview-reviewer"),
    path("review/articles/<int:pk>/adjudicate/", adjudication_views.adjudicate,
         name="adjudicate"),
    path("review/articles/<int:pk>/adjudicate/close/", adjudication_views.close, name="close"),
    # The adjudication script's endpoints: JSON in the workspace's one shape.
    path("review/adjudicate/annotations/<int:pk>/verdict/", adjudication_views.verdict,
         name="verdict"),
    path("review/adjudicate/articles/<int:pk>/verdicts/", adjudication_views.verdicts,
         name="verdicts"),
    path("review/adjudicate/articles/<int:pk>/accept-agreed/", adjudication_views.accept_agreed,
         name="accept-agreed"),
    path("review/adjudicate/sentences/<int:pk>/decision/", adjudication_views.decision,
         name="decision"),
    # Import by URL (editors)
    path("review/imports/", imports.url_import_new, name="url-import-new"),
    path("review/imports/<int:pk>/", imports.url_import_detail, name="url-import"),
    path("review/imports/<int:pk>/rows/", imports.url_import_rows, name="url-import-rows"),
]
