"""Claims read from articles, the groups that link them across articles, and the
reviewers' and editors' decisions about those links."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords


class ClaimKind(models.TextChoices):
    QUANTITY = "quantity", "Quantity"
    ASSERTION = "assertion", "Assertion"


class ClaimStatus(models.TextChoices):
    OUTCOME = "outcome", "Outcome"
    TARGET = "target", "Target"
    FORECAST = "forecast", "Forecast"


class PeriodBasis(models.TextChoices):
    NONE = "", "Not stated"
    STATED = "stated", "Stated"
    CONTEXT = "context", "From the sentence before"
    ARTICLE = "article", "From the article's date"


class Relation(models.TextChoices):
    AGREES = "agrees", "Agrees"
    COMPATIBLE = "compatible", "Compatible"
    CONFLICTS = "conflicts", "Conflicts"


class Decision(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmed link"
    SPLIT = "split", "Split"
    MERGED = "merged", "Merged groups"


class ClaimQuerySet(models.QuerySet):
    def current(self):
        return self.filter(retired_at__isnull=True)


class Claim(models.Model):
    """One checkable quantity or assertion of a content sentence.

    Derived from the text by `services.claims_extract`. Its identity is its span (absolute
    offsets into the immutable article body), so a re-run updates it in place and the
    decisions about it survive; a sentence join or split only moves `sentence`.
    """

    article = models.ForeignKey("provenance.Article", models.CASCADE, related_name="claims")
    # SET_NULL, not CASCADE: joining two sentences deletes one of them, and the claim (with
    # any decision about it) must outlive that; the next extraction re-anchors it.
    sentence = models.ForeignKey(
        "provenance.Sentence", models.SET_NULL, null=True, blank=True, related_name="claims"
    )
    kind = models.CharField(max_length=16, choices=ClaimKind)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    as_written = models.TextField()
    subject = models.CharField(max_length=300, blank=True)
    # The grouping key of a quantity: measure|goods|parties|dimension.
    measure = models.CharField(max_length=300, blank=True)
    value = models.FloatField(null=True, blank=True)
    low = models.FloatField(null=True, blank=True)
    high = models.FloatField(null=True, blank=True)
    unit = models.CharField(max_length=32, blank=True)
    comparator = models.CharField(max_length=16, blank=True)
    direction = models.CharField(max_length=8, blank=True)
    status = models.CharField(max_length=16, choices=ClaimStatus, default=ClaimStatus.OUTCOME)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    period_text = models.CharField(max_length=100, blank=True)
    period_basis = models.CharField(max_length=16, choices=PeriodBasis, blank=True)
    parties = models.CharField(max_length=300, blank=True)
    # The attributing words as written ("according to Chinese customs data").
    attribution = models.CharField(max_length=300, blank=True)
    # The registry source the sentence cites (a reviewer's cited_source annotation, else a
    # registry name or alias in the attributing words); SET_NULL so a source merge never
    # waits on derived rows.
    source = models.ForeignKey(
        "provenance.Source", models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Roots of an assertion, space-separated ("~alli" when negated).
    terms = models.TextField(blank=True)
    group = models.ForeignKey(
        "ClaimGroup", models.SET_NULL, null=True, blank=True, related_name="claims"
    )
    # Set when extraction no longer finds the claim but a decision still names it.
    retired_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["article_id", "start", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "start", "end", "kind"], name="claim_one_per_span_and_kind"
            ),
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="claim_span_ordered"),
            models.CheckConstraint(
                condition=Q(kind__in=ClaimKind.values), name="claim_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(status__in=ClaimStatus.values), name="claim_status_known"
            ),
        ]
        indexes = [
            # The workspace and the API ask "which groups are this article's sentences in?"
            models.Index(fields=["sentence", "group"], name="claim_sentence_group_idx"),
            models.Index(fields=["group", "article"], name="claim_group_article_idx"),
        ]

    def __str__(self):
        return f"{self.as_written[:60]} ({self.subject})"


class ClaimGroupQuerySet(models.QuerySet):
    def conflicts_first(self):
        return self.order_by("-has_conflict", "-article_count", "-member_count", "id")


class ClaimGroup(models.Model):
    """Claims about one measure of one subject, from more than one article. Rebuilt by
    `services.groups_rebuild`, which keeps a group's id while most of its claims stay."""

    kind = models.CharField(max_length=16, choices=ClaimKind)
    subject = models.CharField(max_length=300)
    measure = models.CharField(max_length=300, blank=True)
    unit = models.CharField(max_length=32, blank=True)
    has_conflict = models.BooleanField(default=False)
    member_count = models.PositiveIntegerField(default=0)
    article_count = models.PositiveIntegerField(default=0)
    built_at = models.DateTimeField()

    objects = ClaimGroupQuerySet.as_manager()

    class Meta:
        ordering = ["-has_conflict", "-article_count", "-member_count", "id"]
        indexes = [
            models.Index(fields=["has_conflict", "id"], name="claimgroup_conflict_idx"),
        ]

    def __str__(self):
        return f"#{self.pk} {self.subject}"

    def get_absolute_url(self):
        return reverse("crossclaims:group-detail", args=[self.pk])


class ClaimLink(models.Model):
    """A judged pair inside a group: one of the pairs that linked it, or a conflict."""

    group = models.ForeignKey(ClaimGroup, models.CASCADE, related_name="links")
    claim_a = models.ForeignKey(Claim, models.CASCADE, related_name="+")
    claim_b = models.ForeignKey(Claim, models.CASCADE, related_name="+")
    relation = models.CharField(max_length=16, choices=Relation)
    reason = models.CharField(max_length=200)
    # "measure" (the same measure key), "similarity" (assertions alike) or "decision".
    basis = models.CharField(max_length=16)
    score = models.FloatField(default=1.0)

    class Meta:
        ordering = ["group_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(claim_a__lt=F("claim_b")), name="claimlink_pair_ordered"
            ),
            models.UniqueConstraint(
                fields=["group", "claim_a", "claim_b"], name="claimlink_one_per_pair"
            ),
            models.CheckConstraint(
                condition=Q(relation__in=Relation.values), name="claimlink_relation_known"
            ),
        ]

    def __str__(self):
        return f"{self.claim_a_id} {self.relation} {self.claim_b_id}"


class LinkDecision(models.Model):
    """A person's word on whether two claims belong together: a reviewer confirms or splits
    a link, an editor merges two groups (recorded as a link between one claim of each).
    Automatic runs apply these before any rule, so they outlive every rebuild."""

    claim_a = models.ForeignKey(Claim, models.PROTECT, related_name="+")
    claim_b = models.ForeignKey(Claim, models.PROTECT, related_name="+")
    decision = models.CharField(max_length=16, choices=Decision)
    note = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(claim_a__lt=F("claim_b")), name="linkdecision_pair_ordered"
            ),
            # One standing decision per pair; a later one replaces it (history keeps both).
            models.UniqueConstraint(
                fields=["claim_a", "claim_b"], name="linkdecision_one_per_pair"
            ),
            models.CheckConstraint(
                condition=Q(decision__in=Decision.values), name="linkdecision_known"
            ),
        ]

    def __str__(self):
        return f"{self.get_decision_display()}: {self.claim_a_id} – {self.claim_b_id}"

    @property
    def version(self) -> str:
        """What a page that showed this decision sends back, so a decision made since is
        not silently overwritten: the row and when it last changed."""
        return f"{self.pk}@{self.updated_at.isoformat()}"
