"""What reviewers write about sentences, and the review around it."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce, Greatest, Substr
from simple_history.models import HistoricalRecords


class Label(models.TextChoices):
    SENSATIONAL_FRAMING = "sensational_framing", "Sensational framing"
    UNVERIFIED_CLAIM = "unverified_claim", "Unverified claim"
    CITED_SOURCE = "cited_source", "Cited source"


class Status(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


# Characters of surrounding text a TextQuoteSelector carries to tell repeated quotes apart.
CONTEXT_CHARS = 32


class AnnotationQuerySet(models.QuerySet):
    def live(self):
        return self.filter(deleted_at__isnull=True)

    def deleted(self):
        return self.filter(deleted_at__isnull=False)

    def for_article(self, article):
        return self.filter(sentence__article=article)

    def with_related(self):
        return self.select_related("reviewer", "source", "sentence")

    def for_export(self, *, with_context=False):
        """Self-contained export rows' joins in one query: sentence, article, publisher,
        source and reviewer, without the article body.

        `with_context` adds up to 32 characters of body before and after the quoted text
        (quote_prefix, quote_suffix) for W3C TextQuoteSelectors, cut in the database so
        bodies never travel to Python.
        """
        qs = self.select_related(
            "sentence__article__publisher", "source", "reviewer"
        ).defer("sentence__article__body")
        if with_context:
            start = Coalesce("phrase_start", "sentence__start")
            end = Coalesce("phrase_end", "sentence__end")
            before = Greatest(start - CONTEXT_CHARS, Value(0))
            qs = qs.annotate(
                quote_prefix=Substr("sentence__article__body", before + 1, start - before),
                quote_suffix=Substr("sentence__article__body", end + 1, CONTEXT_CHARS),
            )
        return qs

    def claim_sentences(self):
        """The content sentences these annotations are on: claims, one row per sentence.

        Each sentence carries `claim_annotations` (the matching annotations, prefetched in
        one query, so a page of 500 claims costs what a page of 10 does) and
        `last_annotated_at` for ordering by recency.
        """
        from provenance.models import Sentence

        matching = self.filter(sentence=OuterRef("pk"))
        return (
            Sentence.objects.filter(is_boilerplate=False)
            .filter(Exists(matching))
            .annotate(
                last_annotated_at=Subquery(
                    matching.order_by("-created_at").values("created_at")[:1]
                )
            )
            .select_related("article__publisher")
            .defer("article__body")
            .prefetch_related(
                Prefetch(
                    "annotations",
                    queryset=self.select_related("reviewer", "source").order_by(
                        "created_at", "id"
                    ),
                    to_attr="claim_annotations",
                )
            )
        )


class Annotation(models.Model):
    sentence = models.ForeignKey(
        "provenance.Sentence", models.PROTECT, related_name="annotations"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="annotations"
    )
    label = models.CharField(max_length=32, choices=Label)
    # Absolute offsets into article.body, so W3C TextPositionSelectors need no arithmetic
    # and a sentence join keeps them valid. Both null: the whole sentence.
    phrase_start = models.PositiveIntegerField(null=True, blank=True)
    phrase_end = models.PositiveIntegerField(null=True, blank=True)
    quote = models.TextField(help_text="The annotated text: the phrase, or the whole sentence.")
    source = models.ForeignKey(
        "provenance.Source", models.PROTECT, null=True, blank=True, related_name="citations"
    )
    note = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=Status, default=Status.SUBMITTED)
    status_reason = models.TextField(blank=True)
    status_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status_set_at = models.DateTimeField(null=True, blank=True)
    # Bumped on every change; clients send it back (If-Match) so a stale edit is refused
    # instead of silently overwriting a newer one.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = AnnotationQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["sentence_id", "created_at", "id"]
        permissions = [("adjudicate_annotation", "Can accept or reject annotations")]
        constraints = [
            # choices alone don't constrain the database
            models.CheckConstraint(
                condition=Q(label__in=Label.values), name="annotation_label_known"
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="annotation_status_known"
            ),
            models.CheckConstraint(
                condition=Q(label=Label.CITED_SOURCE, source__isnull=False)
                | (~Q(label=Label.CITED_SOURCE) & Q(source__isnull=True)),
                name="annotation_source_iff_cited",
            ),
            models.CheckConstraint(
                condition=Q(phrase_start__isnull=True, phrase_end__isnull=True)
                | Q(
                    phrase_start__isnull=False,
                    phrase_end__isnull=False,
                    phrase_start__lt=F("phrase_end"),
                ),
                name="annotation_phrase_both_or_neither",
            ),
            models.UniqueConstraint(
                fields=["sentence", "reviewer", "label"],
                condition=Q(deleted_at__isnull=True) & ~Q(label=Label.CITED_SOURCE),
                name="annotation_one_live_label_per_reviewer",
            ),
            models.UniqueConstraint(
                fields=["sentence", "reviewer", "source"],
                condition=Q(deleted_at__isnull=True, label=Label.CITED_SOURCE),
                name="annotation_one_live_citation_per_reviewer_source",
            ),
        ]
        indexes = [
            models.Index(
                fields=["sentence", "reviewer"],
                condition=Q(deleted_at__isnull=True),
                name="annotation_live_sentence_idx",
            ),
            models.Index(fields=["label", "sentence"], name="annotation_label_idx"),
            models.Index(fields=["source", "sentence"], name="annotation_source_idx"),
            models.Index(fields=["reviewer", "sentence"], name="annotation_reviewer_idx"),
            # Claims and exports filter live annotations by status and by a created range,
            # and page "most recent first".
            models.Index(
                fields=["status", "sentence"],
                condition=Q(deleted_at__isnull=True),
                name="annotation_live_status_idx",
            ),
            models.Index(
                fields=["created_at", "id"],
                condition=Q(deleted_at__isnull=True),
                name="annotation_live_created_idx",
            ),
        ]

    def __str__(self):
        return f"{self.get_label_display()} on {self.quote[:50]!r}"

    @property
    def is_phrase(self):
        return self.phrase_start is not None

    @property
    def is_deleted(self):
        return self.deleted_at is not None

    @property
    def etag(self):
        return f'"{self.pk}-{self.version}"'


class SentenceReview(models.Model):
    """A reviewer looked at a sentence and found nothing to label ("no label").

    A sentence counts as reviewed by someone when it has one of these or a live annotation
    of theirs; agreement statistics need the "nothing here" answers too.
    """

    sentence = models.ForeignKey(
        "provenance.Sentence", models.CASCADE, related_name="no_label_marks"
    )
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["sentence", "reviewer"], name="sentencereview_one_per_reviewer"
            )
        ]

    def __str__(self):
        return f"no label: {self.sentence_id} by {self.reviewer_id}"


class AssignmentStatus(models.TextChoices):
    ASSIGNED = "assigned", "Assigned"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"


class Assignment(models.Model):
    """One reviewer's work on one article: assigned by an editor, or started on their own."""

    article = models.ForeignKey("provenance.Article", models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="assignments"
    )
    status = models.CharField(
        max_length=16, choices=AssignmentStatus, default=AssignmentStatus.ASSIGNED
    )
    due_on = models.DateField(null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article", "reviewer"], name="assignment_one_per_reviewer"
            ),
            models.CheckConstraint(
                condition=Q(status__in=AssignmentStatus.values), name="assignment_status_known"
            ),
        ]

    def __str__(self):
        return f"{self.article} → {self.reviewer} ({self.get_status_display()})"
