from django.urls import path

from . import adjudication

app_name = "review"
urlpatterns = [
    path("articles/<int:pk>/adjudicate/", adjudication.adjudicate, name="adjudicate"),
    path("articles/<int:pk>/adjudicate/close/", adjudication.close, name="close"),
    path("annotations/<int:pk>/verdict/", adjudication.verdict, name="verdict"),
    path("sentences/<int:pk>/join/", adjudication.sentence_join_view, name="sentence-join"),
    path("sentences/<int:pk>/split/", adjudication.sentence_split_view, name="sentence-split"),
]
