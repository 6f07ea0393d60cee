"""The admin is the editors' desk: sources, articles and assignments, annotations and
agreement. Every change it makes goes through the same services as the pages and the API."""

from django.contrib import admin

from . import annotations, corpus  # noqa: F401  (each module registers its models)

admin.site.site_header = "Provenance administration"
admin.site.site_title = "Provenance admin"
admin.site.index_title = "Sources, articles and the review"
