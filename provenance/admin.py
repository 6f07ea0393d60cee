from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Sentence


@admin.register(Sentence)
class SentenceAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "article", "position", "is_heading", "is_boilerplate",
                    "boilerplate_reason"]
    list_filter = ["is_boilerplate", "is_heading", "boilerplate_reason"]
    search_fields = ["text", "article__title"]
    list_select_related = ["article"]
    # Boundaries change through the workspace's join and split, and the importer decides
    # what is boilerplate: flipping it here would strand annotations on boilerplate.
    readonly_fields = ["article", "position", "start", "end", "text", "is_heading",
                       "is_boilerplate", "boilerplate_reason", "starts_paragraph"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
