from django.urls import path

from . import imports, views

app_name = "review"
urlpatterns = [
    # The home page is the reviewer's queue.
    path("", views.queue, name="queue"),
    path("articles/<int:pk>/finish/", views.article_finish, name="article-finish"),
    path("sources/<slug:slug>/", views.source_detail, name="source-detail"),
    path("review/articles/<int:pk>/adjudicate/", views.adjudicate, name="adjudicate"),
    path("review/articles/<int:pk>/adjudicate/close/", views.close, name="close"),
    path("review/annotations/<int:pk>/verdict/", views.verdict, name="verdict"),
    # Import by URL (editors)
    path("review/imports/", imports.url_import_new, name="url-import-new"),
    path("review/imports/<int:pk>/", imports.url_import_detail, name="url-import"),
    path("review/imports/<int:pk>/rows/", imports.url_import_rows, name="url-import-rows"),
]
