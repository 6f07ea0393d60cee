"""The editors' side of the review: who reviews which article, how far they got, and what
each sentence was finally decided to be."""

from itertools import combinations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from annotations.labels import Label


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


# Every set of labels a sentence can end up with, each spelt one way: its labels in codebook
# order, joined by commas ("" is "no label"). The check constraint lists them all (eight for
# three labels), so the database refuses an unknown label or a set spelt another way, which
# would make two equal decisions compare unequal.
LABEL_SETS = tuple(
    ",".join(group)
    for size in range(len(Label.values) + 1)
    for group in combinations(Label.values, size)
)


def label_set(values) -> str:
    """`values` (labels, any order, repeats allowed) spelt as SentenceDecision.labels."""
    present = set(values)
    unknown = present - set(Label.values)
    if unknown:
        raise ValueError(f"Unknown label(s): {', '.join(sorted(unknown))}")
    return ",".join(label for label in Label.values if label in present)


class DecisionBasis(models.TextChoices):
    EDITOR = "editor", "Set by the editor"
    VERDICTS = "verdicts", "From the verdicts"


class SentenceDecision(models.Model):
    """A sentence's final labels after adjudication ("" is "no label").

    Written only by review.services: an editor sets the labels directly (basis "editor"),
    or they follow from the verdicts once every annotation on the sentence has one, or all
    reviewers marked it "no label" (basis "verdicts"). Closing an article asks for one on
    every content sentence.
    """

    # CASCADE: a decision belongs to its sentence; a boundary join that removes a sentence
    # removes its decision with it, and history keeps the row.
    sentence = models.OneToOneField(
        "provenance.Sentence", models.CASCADE, related_name="decision"
    )
    labels = models.CharField(max_length=200, blank=True)
    basis = models.CharField(max_length=16, choices=DecisionBasis, default=DecisionBasis.EDITOR)
    note = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField()
    # Bumped on every change; the adjudication page sends back the one it drew, so two
    # editors on one sentence cannot silently overwrite each other.
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(labels__in=LABEL_SETS), name="sentencedecision_labels_known"
            ),
            models.CheckConstraint(
                condition=Q(basis__in=DecisionBasis.values), name="sentencedecision_basis_known"
            ),
        ]

    def __str__(self):
        return f"{self.sentence_id}: {self.labels or 'no label'}"

    @property
    def label_values(self) -> list[str]:
        return self.labels.split(",") if self.labels else []

    @property
    def etag(self):
        return f'"d{self.sentence_id}-{self.version}"'
