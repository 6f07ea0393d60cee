from django.apps import AppConfig


class ReviewConfig(AppConfig):
    """The editors' side: assignments, the queue, adjudication and agreement."""

    name = "review"
    verbose_name = "Review"

    def ready(self):
        from . import receivers  # noqa: F401  (connects the annotation signals)
