from django.urls import path

from . import views

app_name = "exports"
urlpatterns = [
    # Beside the editors' import by URL (/review/imports/).
    path("review/uploads/", views.upload, name="upload"),
    path("review/export/", views.export, name="export"),
]
