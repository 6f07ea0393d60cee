"""Suggestions and what reviewers and editors do with them.

Suggestions are derived rows: recomputed from the article and the registry, never edited,
and kept apart from annotations so that nothing that counts reviewers (agreement, claims,
exports) can mistake one for human work. A reviewer who accepts one creates an ordinary
annotation of their own through the annotation service; `SuggestionDecision` records which
suggestion and rule it came from.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower

from annotations.models import Label

from .engine.lexicon import EDITABLE_LISTS
from .engine.rules import RULES

RULE_CHOICES = [(code, rule.name) for code, rule in RULES.items()]
LIST_CHOICES = [(name, name.replace("_", " ")) for name in EDITABLE_LISTS]


class SuggestionQuerySet(models.QuerySet):
    def visible(self):
        """What reviewers see: rules an editor (or the muting policy) has not muted."""
        muted = RuleSetting.objects.filter(muted=True).values("rule")
        return self.exclude(rule__in=muted)

    def undecided_by(self, reviewer):
        return self.exclude(decisions__reviewer=reviewer)


class Suggestion(models.Model):
    # No index of their own: (article, label) and the one-per-label constraint (sentence
    # first) serve both. Every index costs each imported article ~25 row insertions.
    article = models.ForeignKey(
        "provenance.Article", models.CASCADE, related_name="suggestions", db_index=False
    )
    sentence = models.ForeignKey(
        "provenance.Sentence", models.CASCADE, related_name="suggestions", db_index=False
    )
    label = models.CharField(max_length=32, choices=Label)
    rule = models.CharField(max_length=64, choices=RULE_CHOICES)
    explanation = models.CharField(max_length=300)
    # Absolute offsets into article.body, as for annotations; both null: the whole sentence.
    phrase_start = models.PositiveIntegerField(null=True, blank=True)
    phrase_end = models.PositiveIntegerField(null=True, blank=True)
    # The registry entry for a citation, or null with `source_name` as written ("new
    # source?"). SET_NULL: deleting a source must not delete reviewers' decisions, and the
    # next refresh resolves the name again.
    source = models.ForeignKey(
        "provenance.Source", models.SET_NULL, null=True, blank=True, related_name="+",
        db_index=False,
    )
    source_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        ordering = ["sentence_id", "label", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(label__in=Label.values), name="suggestion_label_known"
            ),
            models.CheckConstraint(
                condition=Q(phrase_start__isnull=True, phrase_end__isnull=True)
                | Q(phrase_start__isnull=False, phrase_end__isnull=False,
                    phrase_start__lt=F("phrase_end")),
                name="suggestion_phrase_both_or_neither",
            ),
            models.CheckConstraint(
                condition=Q(label=Label.CITED_SOURCE) | (Q(source__isnull=True)
                                                         & Q(source_name="")),
                name="suggestion_source_only_on_citations",
            ),
            # One per label and sentence (one per source for citations): a recompute
            # that produced a duplicate would show the reviewer the same offer twice.
            models.UniqueConstraint(
                fields=["sentence", "label", "source_name"], name="suggestion_one_per_label"
            ),
        ]
        indexes = [
            models.Index(fields=["article", "label"], name="suggestion_article_idx"),
            # A registry change re-resolves the citations that name the changed source (by
            # name, or by id when a source is deleted). Partial: only citations carry one.
            models.Index(Lower("source_name"), condition=Q(label=Label.CITED_SOURCE),
                         name="suggestion_source_name_idx"),
            models.Index(fields=["source"], condition=Q(source__isnull=False),
                         name="suggestion_source_idx"),
        ]

    def __str__(self):
        return f"{self.get_label_display()} ({self.rule}) on {self.sentence_id}"

    @property
    def is_new_source(self):
        return self.label == Label.CITED_SOURCE and self.source_id is None

    def identity(self) -> tuple:
        """What makes two computations the same suggestion (decisions stay attached)."""
        return (self.sentence_id, self.label, self.source_name, self.rule, self.phrase_start,
                self.phrase_end)


class ArticleSuggestionState(models.Model):
    """Whether an article's suggestions are up to date, for the queue's worker and the
    workspace's "being computed" status.

    A generation count, not a flag: every request (an import, a registry change) adds one
    to `requested` in the same transaction that enqueues a task; the task, holding this row
    locked, computes and records the generation it saw in `computed`. A task that finds
    nothing requested since the last computation does nothing, so duplicate tasks cost a
    query, and a request made while a computation runs gets one of its own afterwards (a
    flag cleared by the first task would lose it).
    """

    article = models.OneToOneField(
        "provenance.Article", models.CASCADE, primary_key=True,
        related_name="suggestion_state",
    )
    requested = models.PositiveIntegerField(default=0)
    computed = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"suggestions of {self.article_id}: {'ready' if self.is_ready else 'queued'}"

    @property
    def is_ready(self) -> bool:
        return self.computed >= self.requested


class Decision(models.TextChoices):
    ACCEPTED = "accepted", "Accepted"
    DISMISSED = "dismissed", "Dismissed"


class SuggestionDecision(models.Model):
    """A reviewer accepted (creating their own annotation) or dismissed a suggestion."""

    suggestion = models.ForeignKey(Suggestion, models.CASCADE, related_name="decisions")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    decision = models.CharField(max_length=16, choices=Decision)
    # Kept here so the record outlives the suggestion's recomputation: which rule, on which
    # annotation. SET_NULL: the annotation's own history keeps it after a hard delete.
    rule = models.CharField(max_length=64, choices=RULE_CHOICES)
    annotation = models.OneToOneField(
        "annotations.Annotation", models.SET_NULL, null=True, blank=True,
        related_name="suggestion_decision",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion", "reviewer"], name="suggestiondecision_one_per_reviewer"
            ),
            models.CheckConstraint(
                condition=Q(decision__in=Decision.values), name="suggestiondecision_known"
            ),
        ]

    def __str__(self):
        return f"{self.decision} {self.suggestion_id} by {self.reviewer_id}"


class RuleSetting(models.Model):
    """An editor's switch for one rule, or the muting policy's."""

    rule = models.CharField(max_length=64, choices=RULE_CHOICES, unique=True)
    muted = models.BooleanField(default=False)
    muted_automatically = models.BooleanField(
        default=False, help_text="Muted by the policy because its precision fell too low."
    )
    precision_when_muted = models.FloatField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.rule}{' (muted)' if self.muted else ''}"


class MutingPolicy(models.Model):
    """One row: below this precision, over at least this many decided suggestions, a rule
    is muted automatically when the report is computed."""

    min_precision = models.FloatField(default=0.5)
    min_decisions = models.PositiveIntegerField(default=20)
    enabled = models.BooleanField(default=True)

    class Meta:
        verbose_name_plural = "muting policy"
        constraints = [
            models.CheckConstraint(
                condition=Q(min_precision__gte=0) & Q(min_precision__lte=1),
                name="mutingpolicy_precision_fraction",
            ),
        ]

    def __str__(self):
        return f"mute below {self.min_precision:.2f} over {self.min_decisions} decisions"


class CueAction(models.TextChoices):
    ADD = "add", "Add"
    REMOVE = "remove", "Remove"


class CuePhrase(models.Model):
    """An editor's change to one of the lexicon's lists, applied on top of lexicon.toml."""

    list_name = models.CharField(max_length=32, choices=LIST_CHOICES)
    phrase = models.CharField(max_length=100)
    action = models.CharField(max_length=8, choices=CueAction, default=CueAction.ADD)
    note = models.CharField(max_length=300, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                "list_name", Lower("phrase"), name="cuephrase_unique_per_list"
            ),
            models.CheckConstraint(
                condition=Q(action__in=CueAction.values), name="cuephrase_action_known"
            ),
        ]

    def __str__(self):
        return f"{self.action} {self.phrase!r} ({self.list_name})"


class SuggestionPreference(models.Model):
    """A reviewer's switch: suggestions shown or not."""

    reviewer = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="suggestion_preference"
    )
    enabled = models.BooleanField(default=True)

    def __str__(self):
        return f"suggestions {'on' if self.enabled else 'off'} for {self.reviewer_id}"
