from django.apps import AppConfig


class CrossclaimsConfig(AppConfig):
    name = "crossclaims"
    verbose_name = "Claims across articles"

    def ready(self):
        from annotations.selectors import register_sentence_markers

        from . import selectors

        # The workspace marks a sentence whose claim is in a group (annotations cannot
        # import this app: it is a lower layer).
        register_sentence_markers(selectors.sentence_markers)
