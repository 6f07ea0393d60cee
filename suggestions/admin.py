"""The editors' desk for suggestions: cue phrases, rule switches, the muting policy.

Saves go through suggestions.services, like every other write.
"""

from django.contrib import admin

from . import services
from .models import CuePhrase, MutingPolicy, RuleSetting


@admin.register(CuePhrase)
class CuePhraseAdmin(admin.ModelAdmin):
    list_display = ["phrase", "list_name", "action", "added_by", "created_at"]
    list_filter = ["list_name", "action"]
    search_fields = ["phrase"]
    fields = ["list_name", "phrase", "action", "note"]

    def has_change_permission(self, request, obj=None):
        return False  # delete and add again: each row is one editor's decision, with its date

    def save_model(self, request, obj, form, change):
        cue = services.cue_phrase_create(list_name=obj.list_name, phrase=obj.phrase,
                                         action=obj.action, by=request.user, note=obj.note)
        obj.pk = cue.pk

    def delete_model(self, request, obj):
        services.cue_phrase_delete(cue=obj)

    def delete_queryset(self, request, queryset):
        for cue in queryset:
            services.cue_phrase_delete(cue=cue)


@admin.register(RuleSetting)
class RuleSettingAdmin(admin.ModelAdmin):
    list_display = ["rule", "muted", "muted_automatically", "precision_when_muted", "updated_at"]
    list_filter = ["muted", "muted_automatically"]
    fields = ["rule", "muted", "note", "muted_automatically", "precision_when_muted"]
    readonly_fields = ["muted_automatically", "precision_when_muted"]

    def save_model(self, request, obj, form, change):
        saved = services.rule_set_muted(rule=obj.rule, muted=obj.muted, note=obj.note)
        obj.pk = saved.pk


@admin.register(MutingPolicy)
class MutingPolicyAdmin(admin.ModelAdmin):
    list_display = ["min_precision", "min_decisions", "enabled"]

    def has_add_permission(self, request):
        return not MutingPolicy.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False
