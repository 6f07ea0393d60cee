from django.urls import include, path
from rest_framework.routers import SimpleRouter

from . import review

router = SimpleRouter()
router.register("review/assignments", review.AssignmentViewSet, basename="assignment")
router.register("review", review.ReviewViewSet, basename="review")

urlpatterns = [path("", include(router.urls))]
