from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Article, Sentence, Source, SourceAlias


class SourceAliasInline(admin.TabularInline):
    model = SourceAlias
    extra = 1


@admin.register(Source)
class SourceAdmin(SimpleHistoryAdmin):
    list_display = [
        "name", "kind", "reliability", "needs_review", "article_count", "citation_count",
        "updated_at",
    ]
    list_filter = ["kind", "reliability", "needs_review"]
    search_fields = ["name", "aliases__alias"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [SourceAliasInline]
    readonly_fields = ["reliability_set_by", "reliability_set_at", "created_by", "created_at",
                       "updated_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_counts()

    @admin.display(ordering="article_count", description="articles")
    def article_count(self, obj):
        return obj.article_count

    @admin.display(ordering="citation_count", description="citations")
    def citation_count(self, obj):
        return obj.citation_count


class SentenceInline(admin.TabularInline):
    """The article's sentences, read-only: boundaries change only through the workspace."""

    model = Sentence
    fields = ["position", "start", "end", "text", "is_heading", "is_boilerplate",
              "boilerplate_reason"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    list_display = ["title", "publisher", "publication_kind", "sentence_count",
                    "annotation_count", "created_at"]
    list_filter = ["publication_kind", "language", "publisher"]
    search_fields = ["title", "origin", "url", "publisher__name"]
    list_select_related = ["publisher"]
    autocomplete_fields = ["publisher"]
    readonly_fields = ["body", "content_sha256", "origin", "created_at", "imported_by"]
    inlines = [SentenceInline]

    def get_queryset(self, request):
        return super().get_queryset(request).with_counts()

    @admin.display(ordering="sentence_count", description="sentences")
    def sentence_count(self, obj):
        return obj.sentence_count

    @admin.display(ordering="annotation_count", description="annotations")
    def annotation_count(self, obj):
        return obj.annotation_count

    def has_add_permission(self, request):
        # Articles come in through the importer, which segments them.
        return False


@admin.register(Sentence)
class SentenceAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "article", "position", "is_heading", "is_boilerplate",
                    "boilerplate_reason"]
    list_filter = ["is_boilerplate", "is_heading", "boilerplate_reason"]
    search_fields = ["text", "article__title"]
    list_select_related = ["article"]
    readonly_fields = ["article", "position", "start", "end", "text"]

    def has_add_permission(self, request):
        return False
