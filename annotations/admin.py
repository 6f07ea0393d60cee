from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import Annotation, Assignment, SentenceReview


class DeletedFilter(admin.SimpleListFilter):
    title = "deleted"
    parameter_name = "deleted"

    def lookups(self, request, model_admin):
        return [("no", "Live"), ("yes", "Deleted")]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.live()
        if self.value() == "yes":
            return queryset.deleted()
        return queryset


@admin.register(Annotation)
class AnnotationAdmin(SimpleHistoryAdmin):
    """Annotations are written in the workspace; here editors inspect, delete and restore.

    Content fields are read-only so every change goes through the annotation service.
    """

    list_display = ["quote_short", "label", "reviewer", "source", "status", "is_deleted",
                    "updated_at"]
    list_filter = ["label", "status", DeletedFilter, "reviewer", "source__kind"]
    search_fields = ["quote", "note", "sentence__article__title", "source__name",
                     "reviewer__username"]
    list_select_related = ["reviewer", "source"]
    readonly_fields = [f.name for f in Annotation._meta.fields]
    actions = ["soft_delete", "restore"]

    @admin.display(description="quote")
    def quote_short(self, obj):
        return obj.quote[:80]

    @admin.display(boolean=True, description="deleted")
    def is_deleted(self, obj):
        return obj.deleted_at is not None

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the "soft delete" action keeps the row

    @admin.action(description="Delete selected annotations (recoverable)",
                  permissions=["change"])
    def soft_delete(self, request, queryset):
        for annotation in queryset.live():
            services.annotation_delete(annotation=annotation, expected_version=None,
                                       by=request.user)
        self.message_user(request, "Deleted; use “Restore” to bring them back.")

    @admin.action(description="Restore selected deleted annotations", permissions=["change"])
    def restore(self, request, queryset):
        restored = 0
        for annotation in queryset.deleted():
            try:
                services.annotation_restore(annotation=annotation, by=request.user)
                restored += 1
            except ValidationError as exc:
                self.message_user(request, f"{annotation.pk}: {' '.join(exc.messages)}",
                                  messages.ERROR)
        self.message_user(request, f"Restored {restored} annotation(s).")


@admin.register(Assignment)
class AssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["article", "reviewer", "status", "due_on", "created_at", "finished_at"]
    list_filter = ["status", "reviewer"]
    search_fields = ["article__title", "reviewer__username"]
    list_select_related = ["article", "reviewer"]
    autocomplete_fields = ["article"]


@admin.register(SentenceReview)
class SentenceReviewAdmin(admin.ModelAdmin):
    list_display = ["sentence", "reviewer", "created_at"]
    list_filter = ["reviewer"]
    list_select_related = ["sentence", "reviewer"]
    readonly_fields = ["sentence", "reviewer", "created_at"]
