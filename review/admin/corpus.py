from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.shortcuts import render
from simple_history.admin import SimpleHistoryAdmin

from annotations.selectors import articles_with_counts, sources_with_counts
from provenance import services as registry
from provenance.models import Article, Sentence, Source, SourceAlias
from review import selectors as review_selectors
from review import services as review_services
from review.models import Assignment

from .refusals import ServiceRefusalsAsFormErrors, copy_row
from .widgets import SafeAutocomplete


class SourceAliasFormSet(forms.BaseInlineFormSet):
    def clean(self):
        """The same alias twice in one save is a typo; say so before the registry would
        refuse the second as taken (by the first)."""
        super().clean()
        seen = set()
        for form in self.forms:
            alias = " ".join((form.cleaned_data.get("alias") or "").split())
            if not alias or form in self.deleted_forms:
                continue
            if alias.lower() in seen:
                raise ValidationError(f"“{alias}” is given twice.", code="duplicate")
            seen.add(alias.lower())


class SourceAliasForm(forms.ModelForm):
    def clean_alias(self):
        """Say beside the field which source holds the alias already (the model form's
        own check knows only the alias table, and names a constraint). The service checks
        again when saving; it alone decides about this source's own names."""
        alias = " ".join(self.cleaned_data["alias"].split())
        if "alias" in self.changed_data:
            holder = registry.source_find(alias)
            if holder is not None and holder.pk != self.instance.source_id:
                said = registry.name_refusal(alias, as_alias=True)
                raise ValidationError(said, code="duplicate")
        return alias


class SourceAliasInline(admin.TabularInline):
    model = SourceAlias
    form = SourceAliasForm
    formset = SourceAliasFormSet
    extra = 1


def _alias_changes(formset) -> tuple[list[str], list[str]]:
    """(aliases to remove, aliases to add) as the editor asked; an edited alias is both."""
    deleted = set(formset.deleted_forms)
    removed, added = [], []
    for form in formset.forms:
        known = form.instance.pk is not None
        if form in deleted:
            if known:
                removed.append(form.initial["alias"])
        elif form.has_changed():
            if known:
                removed.append(form.initial["alias"])
            added.append(form.cleaned_data["alias"])
    return removed, added


class SourceAdminForm(forms.ModelForm):
    homepage = forms.URLField(required=False, assume_scheme="https")

    class Meta:
        model = Source
        fields = ["name", "slug", "kind", "homepage", "country", "reliability",
                  "reliability_note", "needs_review"]


class MergeForm(forms.Form):
    survivor = forms.ModelChoiceField(
        queryset=Source.objects.none(), widget=forms.RadioSelect,
        help_text="The source that remains; the others become its aliases.",
    )


@admin.register(Source)
class SourceAdmin(ServiceRefusalsAsFormErrors, SimpleHistoryAdmin):
    form = SourceAdminForm
    list_display = [
        "name", "kind", "reliability", "needs_review", "article_count", "citation_count",
        "reliability_set_by", "updated_at",
    ]
    list_filter = ["needs_review", "kind", "reliability"]
    search_fields = ["name", "aliases__alias"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [SourceAliasInline]
    readonly_fields = ["reliability_set_by", "reliability_set_at", "created_by", "created_at",
                       "updated_at"]
    actions = ["approve", "merge"]

    def get_queryset(self, request):
        return sources_with_counts(super().get_queryset(request))

    @admin.display(ordering="article_count", description="articles")
    def article_count(self, obj):
        return obj.article_count

    @admin.display(ordering="citation_count", description="citations")
    def citation_count(self, obj):
        return obj.citation_count

    def save_model(self, request, obj, form, change):
        """Through the registry services: one save, one history row naming the editor.

        Every field of the form goes to the service, which compares them with the stored
        row: on the history page's "revert" the form's own idea of what changed is
        relative to the old version, not to the row.
        """
        fields = {f: form.cleaned_data[f] for f in SourceAdminForm.Meta.fields if f in form.fields}
        if change:
            source = registry.source_update(source=obj, by=request.user, **fields)
        else:
            source = registry.source_create(created_by=request.user, **fields)
        copy_row(source, obj)

    def save_formset(self, request, form, formset, change):
        """Aliases through the registry services, removals first (so an alias can move
        from one row to another in one save); each checked against every source's names."""
        if formset.model is not SourceAlias:
            return super().save_formset(request, form, formset, change)
        removed, added = _alias_changes(formset)
        for alias in removed:
            registry.source_alias_remove(source=form.instance, alias=alias, by=request.user)
        formset.new_objects = [
            registry.source_alias_add(source=form.instance, alias=alias, by=request.user)
            for alias in added
        ]
        # What the admin's log entry reports (formset.save() would have set these).
        formset.changed_objects = []
        formset.deleted_objects = [f.instance for f in formset.deleted_forms if f.instance.pk]
        return None

    @admin.action(description="Approve selected sources (clear “needs review”)",
                  permissions=["change"])
    def approve(self, request, queryset):
        for source in queryset.filter(needs_review=True):
            registry.source_approve(source=source, by=request.user)
        self.message_user(request, "Approved.")

    @admin.action(description="Merge selected sources into one…", permissions=["delete"])
    def merge(self, request, queryset):
        sources = list(queryset.order_by("needs_review", "name"))
        if len(sources) < 2:
            self.message_user(request, "Choose at least two sources to merge.", messages.ERROR)
            return None
        form = MergeForm(request.POST if "confirm" in request.POST else None)
        form.fields["survivor"].queryset = Source.objects.filter(pk__in=[s.pk for s in sources])
        if "confirm" in request.POST and form.is_valid():
            survivor = form.cleaned_data["survivor"]
            try:
                counts = review_services.source_merge(
                    survivor=survivor, duplicates=[s for s in sources if s.pk != survivor.pk],
                    by=request.user,
                )
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
                return None
            self.message_user(
                request,
                f"Merged into {survivor}: {counts['articles']} article(s) and "
                f"{counts['citations']} citation(s) re-pointed, {counts['collapsed']} duplicate "
                f"citation(s) deleted (recoverable), {counts['aliases']} alias(es) added.",
            )
            return None
        return render(request, "admin/provenance/source/merge_confirmation.html", {
            **self.admin_site.each_context(request),
            "title": "Merge sources",
            "sources": sources,
            "form": form,
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        })


class ReviewStatusFilter(admin.SimpleListFilter):
    title = "review status"
    parameter_name = "review_status"

    def lookups(self, request, model_admin):
        return review_selectors.ReviewStatus.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(review_status=self.value())
        return queryset


class SentenceInline(admin.TabularInline):
    """The article's sentences, read-only: boundaries change only through the workspace."""

    model = Sentence
    fields = ["number", "start", "end", "text", "is_heading", "is_boilerplate",
              "boilerplate_reason"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    # Sentences are numbered from 1 on every page; `position` (from 0) is storage.
    @admin.display(description="sentence", ordering="position")
    def number(self, obj):
        return obj.position + 1

    def has_add_permission(self, request, obj=None):
        return False


class AssignmentInline(admin.TabularInline):
    """Assign, reassign (change the reviewer) or unassign (delete) on the article's page."""

    model = Assignment
    fk_name = "article"
    fields = ["reviewer", "due_on", "status", "assigned_by", "finished_at"]
    readonly_fields = ["status", "assigned_by", "finished_at"]
    extra = 1

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "reviewer":
            kwargs["queryset"] = review_selectors.active_reviewers()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class AssignForm(forms.Form):
    reviewers = forms.ModelMultipleChoiceField(
        queryset=get_user_model().objects.none(), widget=forms.CheckboxSelectMultiple
    )
    due_on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))


@admin.register(Article)
class ArticleAdmin(SafeAutocomplete, ServiceRefusalsAsFormErrors, SimpleHistoryAdmin):
    list_display = ["title", "publisher_display", "review_status_display", "sentence_count",
                    "annotation_count", "created_at"]
    list_filter = [ReviewStatusFilter, "publication_kind", "language", "publisher"]
    search_fields = ["title", "origin", "url", "publisher__name"]
    list_select_related = ["publisher"]
    autocomplete_fields = ["publisher"]
    readonly_fields = ["body", "content_sha256", "origin", "created_at", "imported_by",
                       "adjudicated_at", "adjudicated_by"]
    inlines = [AssignmentInline, SentenceInline]
    actions = ["assign"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request):
        articles = articles_with_counts(super().get_queryset(request))
        return review_selectors.with_review_status(articles)

    # A missing publisher reads the same here as on every page (templates/_publisher.html).
    @admin.display(ordering="publisher__name", description="publisher", empty_value="not named")
    def publisher_display(self, obj):
        return obj.publisher.name if obj.publisher else None

    @admin.display(ordering="review_status", description="review status")
    def review_status_display(self, obj):
        return review_selectors.ReviewStatus.labels[obj.review_status]

    @admin.display(ordering="sentence_count", description="sentences")
    def sentence_count(self, obj):
        return obj.sentence_count

    @admin.display(ordering="annotation_count", description="annotations")
    def annotation_count(self, obj):
        return obj.annotation_count

    def has_add_permission(self, request):
        # Articles come in through the importer, which segments them.
        return False

    def save_model(self, request, obj, form, change):
        """Through the corpus service: one save of the fields that changed, one history
        row naming the editor; the body and its offsets stay as imported. (Every field
        goes, as for sources: see SourceAdmin.save_model.)"""
        fields = {f: form.cleaned_data[f] for f in registry.ARTICLE_EDITABLE if f in form.fields}
        copy_row(registry.article_update(article=obj, by=request.user, **fields), obj)

    @transaction.atomic
    def save_formset(self, request, form, formset, change):
        if formset.model is not Assignment:
            return super().save_formset(request, form, formset, change)
        # Through the services, so history names the editor and reassignments keep work.
        deleted = set(formset.deleted_forms)
        for inline_form in formset.forms:
            original = inline_form.instance if inline_form.instance.pk else None
            if inline_form in deleted:
                if original is not None:
                    review_services.assignment_delete(assignment=original, by=request.user)
                continue
            if not inline_form.has_changed():
                continue
            data = inline_form.cleaned_data
            if original is None:
                review_services.assignment_create(article=form.instance, reviewer=data["reviewer"],
                                           by=request.user, due_on=data.get("due_on"))
                continue
            original = Assignment.objects.get(pk=original.pk)
            if original.reviewer_id != data["reviewer"].pk:
                original = review_services.assignment_reassign(
                    assignment=original, reviewer=data["reviewer"], by=request.user
                )
            if "due_on" in inline_form.changed_data:
                review_services.assignment_create(article=form.instance, reviewer=original.reviewer,
                                           by=request.user, due_on=data.get("due_on"))
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        return None

    @admin.action(description="Assign selected articles to reviewers…",
                  permissions=["change"])
    def assign(self, request, queryset):
        form = AssignForm(request.POST if "confirm" in request.POST else None)
        form.fields["reviewers"].queryset = review_selectors.active_reviewers()
        if "confirm" in request.POST and form.is_valid():
            count = 0
            with transaction.atomic():
                for article in queryset:
                    for reviewer in form.cleaned_data["reviewers"]:
                        review_services.assignment_create(
                            article=article, reviewer=reviewer, by=request.user,
                            due_on=form.cleaned_data["due_on"],
                        )
                        count += 1
            self.message_user(request, f"Made {count} assignment(s).")
            return None
        return render(request, "admin/provenance/article/assign.html", {
            **self.admin_site.each_context(request),
            "title": "Assign articles",
            "articles": queryset,
            "form": form,
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        })
