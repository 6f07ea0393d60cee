from django.urls import path

from . import views

app_name = "suggestions"

urlpatterns = [
    path("suggestions/report/", views.report, name="report"),
]
