from django.urls import path

from . import adjudication

app_name = "review"
urlpatterns = [
    path("articles/<int:pk>/adjudicate/", adjudication.adjudicate, name="adjudicate"),
    path("articles/<int:pk>/adjudicate/close/", adjudication.close, name="close"),
    path("annotations/<int:pk>/verdict/", adjudication.verdict, name="verdict"),
]
