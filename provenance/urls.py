from django.urls import path

from . import views

app_name = "provenance"
urlpatterns = [
    # The home page is the reviewer's queue (review:queue); an article opens in the
    # workspace, and this older address keeps working.
    path("articles/<int:pk>/", views.article_detail, name="article-detail"),
]
