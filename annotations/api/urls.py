from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("annotations", views.AnnotationViewSet, basename="annotation")

urlpatterns = [
    path("", include(router.urls)),
]
