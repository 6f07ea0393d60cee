"""What reviewers write about sentences, and the review around it."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from simple_history.models import HistoricalRecords

from . import labels
from .labels import Label  # defined beside everything else known about each label


class Status(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


# The order labels are listed in wherever a claim names several.
LABEL_ORDER = tuple(Label.values)

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

    def claim_sentences(self):
        """The content sentences these annotations are on: claims, one row per sentence.

        Rows are dicts (sentence, article and publisher columns in one join); pass a page
        of them to `claims()` for their annotations.
        """
        from provenance.models import Sentence

        matching = self.filter(sentence=OuterRef("pk"))
        return (
            Sentence.objects.filter(is_boilerplate=False)
            .filter(Exists(matching))
            .values(*CLAIM_SENTENCE_COLUMNS, *CLAIM_ARTICLE_COLUMNS)
        )

    def newest_per_sentence(self):
        """Of these annotations, each sentence's newest: claims ordered by when they were
        last annotated are these rows ordered by (created_at, id), which the live-created
        index walks from the newest end. Sorting sentences by a max(created_at) subquery
        instead meant computing it for every claim first: 4.4 s at a million annotations.
        """
        newer = self.filter(sentence_id=OuterRef("sentence_id")).filter(
            Q(created_at__gt=OuterRef("created_at"))
            | Q(created_at=OuterRef("created_at"), id__gt=OuterRef("id"))
        )
        return self.filter(~Exists(newer))

    def claims(self, sentence_rows):
        """Claims for a page of `claim_sentences()` rows: each sentence with its article,
        the annotations of this queryset on it (oldest first), its labels, cited sources
        and reviewer count. One query, however long the page.

        Plain dicts, not model instances: a page holds up to 500 claims, and building
        instances and nested serializers for each took several times as long as the
        queries themselves (issue 7's profile).
        """
        by_sentence = {row["id"]: [] for row in sentence_rows}
        rows = (
            self.filter(sentence_id__in=list(by_sentence))
            .order_by("created_at", "id")
            .values_list("sentence_id", *CLAIM_ANNOTATION_COLUMNS)
        )
        for (sentence_id, pk, label, phrase_start, phrase_end, quote, note, reviewer_id,
             reviewer, status, created_at, updated_at, *source) in rows:
            by_sentence[sentence_id].append({
                "id": pk, "label": label, "phrase_start": phrase_start,
                "phrase_end": phrase_end, "quote": quote,
                "source": _brief_source(*source), "note": note, "reviewer": reviewer,
                "status": status, "created_at": created_at, "updated_at": updated_at,
                "reviewer_id": reviewer_id,
            })
        return [_claim(row, by_sentence[row["id"]]) for row in sentence_rows]


CLAIM_SENTENCE_COLUMNS = ["id", "article_id", "position", "start", "end", "text"]
CLAIM_ARTICLE_COLUMNS = [
    "article__title", "article__url", "article__published_on", "article__publisher_id",
    "article__publisher__name", "article__publisher__slug", "article__publisher__kind",
    "article__publisher__reliability", "article__adjudicated_at",
]
CLAIM_ANNOTATION_COLUMNS = [
    "id", "label", "phrase_start", "phrase_end", "quote", "note", "reviewer_id",
    "reviewer__username", "status", "created_at", "updated_at", "source_id", "source__name",
    "source__slug", "source__kind", "source__reliability",
]


def _brief_source(pk, name, slug, kind, reliability):
    if pk is None:
        return None
    return {"id": pk, "name": name, "slug": slug, "kind": kind, "reliability": reliability}


def _claim(row, annotations):
    labels, sources, reviewers = set(), {}, set()
    for a in annotations:
        labels.add(a["label"])
        reviewers.add(a.pop("reviewer_id"))
        if a["source"]:
            sources[a["source"]["id"]] = a["source"]
    return {
        "sentence": {k: row[k] for k in ("id", "position", "start", "end", "text")},
        "article": {
            "id": row["article_id"],
            "title": row["article__title"],
            "publisher": _brief_source(
                row["article__publisher_id"], row["article__publisher__name"],
                row["article__publisher__slug"], row["article__publisher__kind"],
                row["article__publisher__reliability"],
            ),
            "url": row["article__url"],
            "published_on": row["article__published_on"],
            "adjudicated_at": row["article__adjudicated_at"],
        },
        "labels": [label for label in LABEL_ORDER if label in labels],
        "annotations": annotations,
        "cited_sources": sorted(sources.values(), key=lambda s: (s["name"].lower(), s["id"])),
        "reviewer_count": len(reviewers),
    }


class Annotation(models.Model):
    sentence = models.ForeignKey("provenance.Sentence", models.PROTECT, related_name="annotations")
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
    def label_info(self):
        """Initial, colour, key and definition: annotations.labels."""
        return labels.info(self.label)

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
