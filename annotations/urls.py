from django.urls import path

from . import views

app_name = "annotations"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("guide/", views.guide, name="guide"),
    path("labels.css", views.label_styles, name="label-styles"),
    path("articles/<int:pk>/review/", views.article_review, name="article-review"),
    path("articles/<int:pk>/finish/", views.article_finish, name="article-finish"),
    # Fragments and small JSON endpoints for the workspace script (annotations themselves
    # are written through /api/annotations/).
    path("workspace/sentences/<int:pk>/", views.sentence_fragment, name="sentence-fragment"),
    path("workspace/sentences/<int:pk>/panel/", views.sentence_panel, name="sentence-panel"),
    path("workspace/sentences/<int:pk>/no-label/", views.sentence_no_label, name="no-label"),
    path(
        "workspace/sentences/<int:pk>/no-label/clear/",
        views.sentence_no_label_clear,
        name="no-label-clear",
    ),
    path("workspace/sources/suggest/", views.source_suggest, name="source-suggest"),
    path("workspace/sources/", views.source_propose, name="source-propose"),
]
