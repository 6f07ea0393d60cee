from django.contrib import admin

from .models import SentenceReview


@admin.register(SentenceReview)
class SentenceReviewAdmin(admin.ModelAdmin):
    list_display = ["sentence", "reviewer", "created_at"]
    list_filter = ["reviewer"]
    list_select_related = ["sentence", "reviewer"]
    readonly_fields = ["sentence", "reviewer", "created_at"]
