from django.apps import AppConfig


class ExportsConfig(AppConfig):
    """Annotations out (JSONL, CSV, W3C Web Annotation) and back in (restore): the writers
    that the API and the management commands share."""

    name = "exports"
    verbose_name = "Exports"
