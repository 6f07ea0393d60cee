from django.urls import path

from . import views

app_name = "annotations"
urlpatterns = [
    path("guide/", views.guide, name="guide"),
    path("labels.css", views.label_styles, name="label-styles"),
    path("articles/<int:pk>/review/", views.article_review, name="article-review"),
    # The workspace script's one server surface: JSON in one shape (see views.py).
    path("workspace/sentences/<int:pk>/", views.sentence_state, name="sentence"),
    path(
        "workspace/sentences/<int:pk>/annotations/",
        views.annotation_create,
        name="annotation-create",
    ),
    path("workspace/sentences/<int:pk>/no-label/", views.sentence_no_label, name="no-label"),
    path(
        "workspace/sentences/<int:pk>/no-label/clear/",
        views.sentence_no_label_clear,
        name="no-label-clear",
    ),
    path("workspace/sentences/<int:pk>/join/", views.sentence_join, name="sentence-join"),
    path("workspace/sentences/<int:pk>/split/", views.sentence_split, name="sentence-split"),
    path("workspace/annotations/<int:pk>/", views.annotation_update, name="annotation-update"),
    path(
        "workspace/annotations/<int:pk>/delete/",
        views.annotation_delete,
        name="annotation-delete",
    ),
    path(
        "workspace/annotations/<int:pk>/restore/",
        views.annotation_restore,
        name="annotation-restore",
    ),
    path("workspace/sources/suggest/", views.source_suggest, name="source-suggest"),
    path("workspace/sources/", views.source_propose, name="source-propose"),
]
