from django.apps import AppConfig


class CrossclaimsConfig(AppConfig):
    name = "crossclaims"
    verbose_name = "Claims across articles"
