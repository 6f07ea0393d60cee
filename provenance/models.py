"""Sources, articles and their sentences: the text that reviewers annotate."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Lower
from django.urls import reverse
from simple_history.models import HistoricalRecords


class SourceKind(models.TextChoices):
    NEWS_OUTLET = "news_outlet", "News outlet"
    WIRE_AGENCY = "wire_agency", "Wire agency"
    GOVERNMENT_BODY = "government_body", "Government body"
    OFFICIAL_PERSON = "official_person", "Official or spokesperson"
    THINK_TANK_OR_NGO = "think_tank_or_ngo", "Think tank, NGO or university"
    DATA_SOURCE = "data_source", "Data source"
    COMPANY = "company", "Company"
    SOCIAL_OR_VIDEO = "social_or_video", "Social media or video channel"
    BLOG = "blog", "Blog"
    OTHER = "other", "Other"


class Reliability(models.TextChoices):
    UNRATED = "unrated", "Unrated"
    HIGH = "high", "High"
    MIXED = "mixed", "Mixed"
    LOW = "low", "Low"


class SourceQuerySet(models.QuerySet):
    def search(self, text):
        """Sources whose name or any alias contains `text`, case-insensitively."""
        text = (text or "").strip()
        if not text:
            return self
        alias_match = SourceAlias.objects.filter(source=OuterRef("pk"), alias__icontains=text)
        return self.filter(Q(name__icontains=text) | Exists(alias_match))


class Source(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    kind = models.CharField(max_length=32, choices=SourceKind, default=SourceKind.OTHER)
    homepage = models.URLField(blank=True)
    country = models.CharField(max_length=100, blank=True)
    reliability = models.CharField(max_length=16, choices=Reliability, default=Reliability.UNRATED)
    reliability_note = models.TextField(blank=True)
    reliability_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reliability_set_at = models.DateTimeField(null=True, blank=True)
    # Sources proposed by reviewers from the workspace wait for an editor.
    needs_review = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SourceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="source_name_unique_ci"),
            models.CheckConstraint(
                condition=Q(kind__in=SourceKind.values), name="source_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(reliability__in=Reliability.values), name="source_reliability_known"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("review:source-detail", args=[self.slug])


class SourceAlias(models.Model):
    source = models.ForeignKey(Source, models.CASCADE, related_name="aliases")
    alias = models.CharField(max_length=200)

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "source aliases"
        ordering = ["alias"]
        constraints = [
            models.UniqueConstraint(Lower("alias"), name="sourcealias_alias_unique_ci"),
        ]

    def __str__(self):
        return self.alias


class Article(models.Model):
    title = models.CharField(max_length=500)
    # The plain text every offset in the project indexes into. Never edited after import:
    # changing it would invalidate every sentence and annotation offset.
    body = models.TextField()
    content_sha256 = models.CharField(max_length=64, unique=True)
    publisher = models.ForeignKey(
        Source, models.PROTECT, null=True, blank=True, related_name="published_articles"
    )
    url = models.URLField(max_length=1000, blank=True)
    author = models.CharField(max_length=300, blank=True)
    published_on = models.DateField(null=True, blank=True)
    publication_kind = models.CharField(
        max_length=100, blank=True, help_text="For example: video transcript, blog post."
    )
    origin = models.CharField(max_length=500, blank=True, help_text="File or upload name.")
    language = models.CharField(max_length=16, default="en")
    created_at = models.DateTimeField(auto_now_add=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Set when an editor closes the article's adjudication; the rest of the review status
    # (new, in review, awaiting adjudication) is derived from assignments.
    adjudicated_at = models.DateTimeField(null=True, blank=True)
    adjudicated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Whether reviewers see only their own annotations until the article is adjudicated:
    # None follows the site (settings.PROVENANCE_INDEPENDENT_REVIEW); an editor may set it
    # for one article (review.services.article_set_independent_review).
    independent_review = models.BooleanField(
        null=True, blank=True,
        help_text="Reviewers see only their own annotations until adjudication. "
        "Empty: the site's setting.",
    )

    history = HistoricalRecords(excluded_fields=["body"])

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # Re-importing a URL adds nothing: the importer looks the URL up first.
            models.Index(fields=["url"], condition=~Q(url=""), name="article_url"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("annotations:article-review", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        """Adjudicated: it takes no more answers until an editor reopens it."""
        return self.adjudicated_at is not None

    @property
    def is_independent(self) -> bool:
        """Whether its reviewers work blind to each other (until it is adjudicated)."""
        if self.independent_review is None:
            return settings.PROVENANCE_INDEPENDENT_REVIEW
        return self.independent_review


class Sentence(models.Model):
    article = models.ForeignKey(Article, models.CASCADE, related_name="sentences")
    position = models.PositiveIntegerField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    # Always article.body[start:end]; stored so lists and searches need not load bodies.
    text = models.TextField()
    is_boilerplate = models.BooleanField(default=False)
    boilerplate_reason = models.CharField(max_length=100, blank=True)
    is_heading = models.BooleanField(default=False)
    # The sentence starts a new paragraph (a blank line, or any line break, precedes it).
    starts_paragraph = models.BooleanField(default=False)

    history = HistoricalRecords(excluded_fields=["text"])

    class Meta:
        ordering = ["article", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "position"], name="sentence_position_unique_per_article"
            ),
            models.CheckConstraint(
                condition=Q(start__gte=0) & Q(start__lt=F("end")), name="sentence_offsets_ordered"
            ),
            models.CheckConstraint(
                condition=Q(is_boilerplate=True) | Q(boilerplate_reason=""),
                name="sentence_reason_only_on_boilerplate",
            ),
        ]

    def __str__(self):
        # Numbered from 1, as every page numbers sentences; `position` counts from 0.
        return f"{self.article_id}#{self.position + 1}: {self.text[:60]}"


class SourceDomain(models.Model):
    """A web domain a source publishes under. A page from the domain or any of its
    subdomains (news.bbc.co.uk under bbc.co.uk) is published by the source."""

    source = models.ForeignKey(Source, models.CASCADE, related_name="domains")
    # Lower-case, no scheme, port or "www."; services.normalise_domain makes it so.
    domain = models.CharField(max_length=253)

    history = HistoricalRecords()

    class Meta:
        ordering = ["domain"]
        constraints = [
            # One owner per domain: otherwise a page's publisher would depend on which
            # row the database returned first.
            models.UniqueConstraint(fields=["domain"], name="sourcedomain_domain_unique"),
            # The lookup compares lower-case host names; a stored "BBC.co.uk" would
            # never match and would dodge the unique constraint above.
            models.CheckConstraint(
                condition=Q(domain=Lower("domain")) & ~Q(domain=""),
                name="sourcedomain_domain_lowercase",
            ),
        ]

    def __str__(self):
        return self.domain


class ArticleBucket(models.Model):
    """One band of an article's MinHash signature, hashed: articles sharing a bucket are
    candidate near-duplicates (locality-sensitive hashing kept in the database, so the
    check is an index lookup however large the corpus grows). See ingestion/twins.py."""

    article = models.ForeignKey(Article, models.CASCADE, related_name="+")
    bucket = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["bucket"], name="articlebucket_bucket")]
        constraints = [
            models.UniqueConstraint(fields=["article", "bucket"], name="articlebucket_unique"),
        ]

    def __str__(self):
        return f"{self.article_id}: {self.bucket}"


class NearDuplicate(models.Model):
    """An article whose text is nearly that of one imported before it (a syndicated copy,
    a light rewrite): imported all the same, and flagged to editors with its twin."""

    article = models.ForeignKey(Article, models.CASCADE, related_name="twins")
    twin = models.ForeignKey(Article, models.CASCADE, related_name="+")
    # The share of the article's word sequences (4-word shingles) that the twin also has.
    shared = models.FloatField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-shared", "twin_id"]
        constraints = [
            models.UniqueConstraint(fields=["article", "twin"], name="nearduplicate_unique"),
            models.CheckConstraint(
                condition=Q(shared__gte=0) & Q(shared__lte=1), name="nearduplicate_share_0_1"
            ),
            models.CheckConstraint(
                condition=~Q(article=F("twin")), name="nearduplicate_not_itself"
            ),
        ]

    def __str__(self):
        return f"{self.article_id} ≈ {self.twin_id} ({self.shared:.0%})"


class UrlImportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Fetching"
    IMPORTED = "imported", "Imported"
    UNCHANGED = "unchanged", "Already imported"
    FAILED = "failed", "Failed"


class UrlImport(models.Model):
    """URLs an editor asked to import at once; each is fetched and imported by the task
    queue's worker (ingestion/tasks.py), and the editor watches their progress."""

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"URL import {self.pk}"

    def get_absolute_url(self):
        return reverse("review:url-import", args=[self.pk])


class UrlImportItem(models.Model):
    batch = models.ForeignKey(UrlImport, models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    url = models.URLField(max_length=2000)
    status = models.CharField(
        max_length=16, choices=UrlImportStatus, default=UrlImportStatus.QUEUED
    )
    # What the editor reads: the failure in plain words, or what the import found.
    message = models.TextField(blank=True)
    article = models.ForeignKey(Article, models.SET_NULL, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["batch", "position"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "position"], name="urlimportitem_position"),
            models.CheckConstraint(
                condition=Q(status__in=UrlImportStatus.values), name="urlimportitem_status_known"
            ),
        ]

    def __str__(self):
        return self.url
