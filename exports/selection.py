"""Which annotations a claims page or an export holds: one FilterSet serves the claims
list, the API export and the export_annotations command, so the three always select the
same annotations; and the rows an export reads for them."""

import datetime as dt

import django_filters as filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Subquery, Value
from django.db.models.functions import Coalesce, Greatest, Substr

from annotations.access import visible_annotations
from annotations.models import CONTEXT_CHARS, Annotation, Label, Status

from .columns import COLUMNS


class IdField(forms.IntegerField):
    """A row id: a positive whole number the database's 64-bit columns can hold (SQLite
    raised OverflowError on a larger one: a 500)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


class IdFilter(filters.Filter):
    """A whole-number id; "abc", "1.5" or one past 2**63 is a 400, not an empty list."""

    field_class = IdField


class ChoicesFilter(filters.MultipleChoiceFilter):
    """Several values of one column of the row itself ("label=a&label=b").

    No join, so no duplicate rows: django-filter's default DISTINCT would only make
    PostgreSQL collect and hash every matching row before returning the first (1.7 s for
    a page of claims by label at a million annotations).
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("distinct", False)
        super().__init__(*args, **kwargs)


# The review states that still count: an editor's rejection takes an annotation out.
STANDING = (Status.SUBMITTED, Status.ACCEPTED)


def _day_start(day):
    return dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)


def id_or_slug(field):
    def method(queryset, name, value):
        value = value.strip()
        if value.isdigit():
            return queryset.filter(**{f"{field}_id": int(value)})
        return queryset.filter(**{f"{field}__slug": value})

    return method


class AnnotationFilter(filters.FilterSet):
    """Annotation-level filters: they decide which annotations a claim shows, and a
    sentence is a claim when at least one of its live annotations passes them."""

    label = ChoicesFilter(
        choices=Label.choices, help_text="Only these labels (repeat for several)."
    )
    status = ChoicesFilter(
        choices=Status.choices,
        help_text="Only annotations in these review states. Without it, rejected "
        "annotations are left out (see include_rejected).",
    )
    include_rejected = filters.BooleanFilter(
        method="filter_include_rejected",
        help_text="true: also annotations an editor rejected, which are left out by default.",
    )
    source = filters.CharFilter(
        method="filter_source", help_text="Only annotations citing this source (id or slug)."
    )
    publisher = filters.CharFilter(
        method="filter_publisher", help_text="Only articles from this publisher (id or slug)."
    )
    article = IdFilter(field_name="sentence__article_id", help_text="Only this article (id).")
    reviewer = filters.CharFilter(
        method="filter_reviewer", help_text="Only this reviewer's annotations (username)."
    )
    created_after = filters.DateFilter(
        method="filter_created_after",
        help_text="Annotations created on or after this day (YYYY-MM-DD, UTC).",
    )
    created_before = filters.DateFilter(
        method="filter_created_before",
        help_text="Annotations created on or before this day (YYYY-MM-DD, UTC).",
    )
    q = filters.CharFilter(
        field_name="sentence__text",
        lookup_expr="icontains",
        help_text="Free text the sentence contains (case-insensitive).",
    )
    ordering = filters.ChoiceFilter(
        choices=[("position", "Article, then position in it"), ("recent", "Most recent first")],
        method="filter_ordering",
        empty_label=None,
        help_text="position (default): article by article in reading order; recent: the "
        "most recently annotated first.",
    )

    class Meta:
        model = Annotation
        fields = []

    filter_source = staticmethod(id_or_slug("source"))
    filter_publisher = staticmethod(id_or_slug("sentence__article__publisher"))

    def filter_reviewer(self, queryset, name, value):
        # The user's id as a scalar subquery rather than a join on the user table, so the
        # (reviewer, sentence) index answers "does this sentence have one of theirs?"
        # (a join made PostgreSQL probe every annotation of every sentence it walked).
        User = get_user_model()
        user_id = User.objects.filter(**{User.USERNAME_FIELD: value}).values("pk")[:1]
        return queryset.filter(reviewer_id=Subquery(user_id))

    # Whole UTC days as a half-open datetime range, so the created_at index serves it
    # (a __date lookup would wrap the column in a function).
    def filter_created_after(self, queryset, name, value):
        return queryset.filter(created_at__gte=_day_start(value))

    def filter_created_before(self, queryset, name, value):
        return queryset.filter(created_at__lt=_day_start(value + dt.timedelta(days=1)))

    def filter_include_rejected(self, queryset, name, value):
        return queryset  # read by filter_queryset, which leaves rejected ones out otherwise

    def filter_queryset(self, queryset):
        """A verdict counts: rejected annotations stay out of claims and exports unless
        asked for, by include_rejected=true or by naming a status."""
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        if not data.get("status") and not data.get("include_rejected"):
            queryset = queryset.filter(status__in=STANDING)
        return queryset

    def filter_ordering(self, queryset, name, value):
        # Claims order sentences, not annotations (see ClaimViewSet.cursor_keys); exports
        # order their rows with `export_order()`.
        return queryset


def export_order(queryset, ordering):
    if ordering == "recent":
        return queryset.order_by("-created_at", "-id")
    return queryset.order_by("sentence__article_id", "sentence__position", "created_at", "id")


def claim_annotations():
    """Live annotations on content sentences: what claims and exports are made of."""
    return Annotation.objects.live().filter(sentence__is_boilerplate=False)


def export_queryset(data, *, with_context=False, columns=COLUMNS, user=None):
    """Annotations selected by `data` (query parameters), ordered, ready for exports.rows().
    With `user`, only those they may see (annotations.access: independent review, readers);
    without (the command), all.

    Raises django_filters' errors as a dict {param: [messages]} in ValueError's args.
    """
    annotations = claim_annotations()
    if user is not None:
        annotations = visible_annotations(annotations, user)
    filterset = AnnotationFilter(
        data=data,
        queryset=export_rows(annotations, with_context=with_context, columns=columns),
    )
    if not filterset.is_valid():
        raise InvalidFilters(filterset.errors)
    return export_order(filterset.qs, filterset.form.cleaned_data.get("ordering"))


class InvalidFilters(ValueError):
    def __init__(self, errors):
        self.errors = {field: list(messages) for field, messages in errors.items()}
        super().__init__(
            "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in self.errors.items())
        )


def export_rows(queryset, *, with_context=False, columns=COLUMNS):
    """Self-contained export rows of an annotation queryset, in one query: tuples of
    formats.FIELDS (sentence, article, publisher, source and reviewer joined in), without
    the article body.

    `with_context` adds the quoted text with up to 32 characters of body either side,
    then where the quote starts in it, for W3C TextQuoteSelectors' prefix and suffix:
    cut in the database so bodies never travel to Python, and in one cut, as every
    read of a body costs (PostgreSQL fetches and decompresses it). `columns` are
    columns.COLUMNS, or plain.COLUMNS for the plain reference.
    """
    if not with_context:
        return queryset.values_list(*columns)
    start = Coalesce("phrase_start", "sentence__start")
    end = Coalesce("phrase_end", "sentence__end")
    before = Greatest(start - CONTEXT_CHARS, Value(0))
    return queryset.values_list(
        *columns,
        Substr("sentence__article__body", before + 1, end + CONTEXT_CHARS - before),
        start - before,
    )
