from django.urls import path

from . import views

app_name = "crossclaims"
urlpatterns = [
    path("claims/", views.group_list, name="group-list"),
    path("claims/groups/<int:pk>/", views.group_detail, name="group-detail"),
    path("claims/groups/<int:pk>/decide/", views.link_decide, name="link-decide"),
    path("claims/groups/<int:pk>/merge/", views.group_merge, name="group-merge"),
]
