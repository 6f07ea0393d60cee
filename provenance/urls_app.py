from django.urls import path

from . import views

app_name = "provenance"
urlpatterns = [
    path("", views.article_list, name="article-list"),
    path("articles/<int:pk>/", views.article_detail, name="article-detail"),
    path("sources/<slug:slug>/", views.source_detail, name="source-detail"),
]
