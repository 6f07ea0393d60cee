from django.apps import AppConfig


class SuggestionsConfig(AppConfig):
    """Suggestions: the first pass done for the reviewer, explained and measured."""

    name = "suggestions"
    verbose_name = "Suggestions"

    def ready(self):
        from . import receivers  # noqa: F401  (imports and registry changes recompute)
