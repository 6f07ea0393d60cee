import csv

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from annotations import services
from annotations.models import Annotation, Status
from provenance.models import Article, Sentence
from provenance.roles import is_editor
from provenance.text import spreadsheet_safe
from review import agreement
from review import services as review_services
from review.models import Assignment

from .widgets import SafeAutocomplete


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
    actions = ["accept", "reject", "soft_delete", "restore"]

    def get_urls(self):
        return [
            path("agreement/", self.admin_site.admin_view(self.agreement_view),
                 name="annotations_annotation_agreement"),
            *super().get_urls(),
        ]

    def agreement_view(self, request):
        """Agreement per reviewer pair and label, over one article or all of them."""
        if not is_editor(request.user):
            raise PermissionDenied
        articles = Article.objects.order_by("title")
        article_id = request.GET.get("article")
        sentences = Sentence.objects.all()
        article = None
        if article_id and article_id.isdigit():
            article = articles.filter(pk=article_id).first()
            sentences = sentences.filter(article=article)
        users = {u.pk: u for u in get_user_model().objects.all()}
        rows = agreement.pairwise_agreement(sentences, users)
        if request.GET.get("format") == "csv":
            response = HttpResponse(content_type="text/csv; charset=utf-8")
            stamp = timezone.now().date().isoformat()
            response["Content-Disposition"] = f'attachment; filename="agreement-{stamp}.csv"'
            response.write("\ufeff")
            writer = csv.writer(response)
            writer.writerow(["article", "reviewer_1", "reviewer_2", "label", "sentences",
                             "percent_agreement", "cohens_kappa", "krippendorff_alpha"])
            for r in rows:
                # Usernames may start with "@", "+" or "-": cells a spreadsheet would run.
                writer.writerow([
                    article.pk if article else "all", spreadsheet_safe(str(r.first)),
                    spreadsheet_safe(str(r.second)), r.label, r.sentences,
                    _fmt(r.percent), _fmt(r.kappa), _fmt(r.alpha),
                ])
            return response
        return render(request, "admin/annotations/agreement.html", {
            **self.admin_site.each_context(request),
            "title": "Agreement between reviewers",
            "rows": rows,
            "articles": articles,
            "article": article,
            "opts": self.model._meta,
        })

    @admin.action(description="Accept selected annotations", permissions=["adjudicate"])
    def accept(self, request, queryset):
        self._set_status(request, queryset, Status.ACCEPTED)

    @admin.action(description="Reject selected annotations", permissions=["adjudicate"])
    def reject(self, request, queryset):
        self._set_status(request, queryset, Status.REJECTED)

    def _set_status(self, request, queryset, status):
        # The review's service, so each sentence's final decision follows the verdicts;
        # one call per row (see _each), so each sentence follows its own article's reviewers.
        def verdict(annotation):
            review_services.annotations_verdict(annotations=[(annotation, None)],
                                                status=status, by=request.user)

        self._each(request, queryset.live(), verdict, f"Marked {{}} annotation(s) {status}.")

    def _each(self, request, rows, write, done: str) -> None:
        """`write` each row through its service, each in its own transaction: a row the
        service refuses (a closed article, a row changed or deleted meanwhile) is listed
        in an error message and left as it is, and the others are still changed. Per row
        rather than all or nothing: the rows of a selection are independent edits, and one
        another editor just touched should not cost the editor the rest of the page."""
        rows = list(rows)
        if not rows:
            self.message_user(request, "No annotation to change among those selected.",
                              messages.WARNING)
            return
        refused = []
        for annotation in rows:
            try:
                write(annotation)
            except ValidationError as exc:
                refused.append(f"#{annotation.pk} ({' '.join(exc.messages)})")
        if len(refused) < len(rows):
            self.message_user(request, done.format(len(rows) - len(refused)))
        if refused:
            self.message_user(request, f"Refused {len(refused)} annotation(s), left as they "
                              f"were: {'; '.join(refused)}", messages.ERROR)

    def has_adjudicate_permission(self, request):
        return is_editor(request.user)

    @admin.display(description="quote")
    def quote_short(self, obj):
        return obj.quote[:80]

    @admin.display(boolean=True, description="deleted")
    def is_deleted(self, obj):
        return obj.deleted_at is not None

    # The admin is the editors' desk. A reviewer's account made staff keeps its group's
    # change_annotation permission, which alone would let it list every reviewer's labels
    # (independent review) and soft-delete or restore them: only editors get in here.
    def has_module_permission(self, request):
        return is_editor(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return is_editor(request.user) and super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return is_editor(request.user) and super().has_change_permission(request, obj)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the "soft delete" action keeps the row

    def save_model(self, request, obj, form, change):
        """Every field is read-only here, so a save is a revert from the history page.

        It is replayed through the annotation services rather than saved as it stands.
        """
        current = Annotation.objects.get(pk=obj.pk)
        try:
            services.annotation_revert(annotation=current, to=obj, by=request.user)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)

    @admin.action(description="Delete selected annotations (recoverable)",
                  permissions=["change"])
    def soft_delete(self, request, queryset):
        def delete(annotation):
            services.annotation_delete(annotation=annotation, expected_version=None,
                                       by=request.user)

        self._each(request, queryset.live(), delete,
                   "Deleted {}; use “Restore” to bring them back.")

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


def _fmt(value):
    return "" if value is None else f"{value:.4f}"


@admin.register(Assignment)
class AssignmentAdmin(SafeAutocomplete, SimpleHistoryAdmin):
    list_display = ["article", "reviewer", "status", "due_on", "created_at", "finished_at"]
    list_filter = ["status", "reviewer"]
    search_fields = ["article__title", "reviewer__username"]
    list_select_related = ["article", "reviewer"]
    autocomplete_fields = ["article"]
