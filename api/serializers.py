from django.utils import timezone
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

from annotations.models import Annotation, Label
from provenance.models import Sentence, Source


class SourceBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["id", "name", "slug", "kind", "reliability"]


class AnnotationSerializer(serializers.ModelSerializer):
    """An annotation as every reader sees it."""

    article = serializers.IntegerField(source="sentence.article_id", read_only=True)
    reviewer = serializers.CharField(source="reviewer.username", read_only=True)
    source = SourceBriefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Annotation
        fields = [
            "id", "article", "sentence", "reviewer", "label", "phrase_start", "phrase_end",
            "quote", "source", "note", "status", "status_reason", "version", "created_at",
            "updated_at", "deleted_at",
        ]
        read_only_fields = fields


class AnnotationWriteSerializer(serializers.Serializer):
    """Shape checks only; the service decides whether the annotation makes sense."""

    sentence = serializers.PrimaryKeyRelatedField(queryset=Sentence.objects.all())
    label = serializers.ChoiceField(choices=Label.choices)
    phrase_start = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    phrase_end = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    quote = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    source = serializers.PrimaryKeyRelatedField(
        queryset=Source.objects.all(), required=False, allow_null=True
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    version = serializers.IntegerField(required=False, min_value=1, write_only=True)

    def phrase(self):
        data = self.validated_data
        start, end = data.get("phrase_start"), data.get("phrase_end")
        if start is None and end is None:
            return None
        return (start, end)


class AnnotationUpdateSerializer(AnnotationWriteSerializer):
    sentence = None  # an annotation never moves to another sentence through the API

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("partial", True)
        super().__init__(*args, **kwargs)


class ClaimArticleSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    publisher = SourceBriefSerializer(allow_null=True)
    url = serializers.CharField()
    published_on = serializers.DateField(allow_null=True)
    adjudicated_at = serializers.DateTimeField(
        allow_null=True, help_text="When an editor closed it as adjudicated; null while open."
    )


class ClaimAnnotationSerializer(serializers.ModelSerializer):
    """One annotation inside a claim; everything comes from the prefetched rows."""

    reviewer = serializers.CharField(source="reviewer.username")
    source = SourceBriefSerializer(allow_null=True)

    class Meta:
        model = Annotation
        fields = [
            "id", "label", "phrase_start", "phrase_end", "quote", "source", "note", "reviewer",
            "status", "created_at", "updated_at",
        ]
        read_only_fields = fields


ClaimSentenceSerializer = inline_serializer(
    "ClaimSentence",
    fields={
        "id": serializers.IntegerField(),
        "position": serializers.IntegerField(),
        "start": serializers.IntegerField(),
        "end": serializers.IntegerField(),
        "text": serializers.CharField(),
    },
)


ClaimDecisionSerializer = inline_serializer(
    "ClaimDecision",
    fields={
        "labels": serializers.ListField(
            child=serializers.ChoiceField(Label.choices),
            help_text="The sentence's final labels; empty: no label.",
        ),
        "basis": serializers.ChoiceField(
            choices=[("editor", "Set by the editor"), ("verdicts", "From the verdicts")]
        ),
        "decided_at": serializers.DateTimeField(allow_null=True),
    },
    allow_null=True,
    help_text="Once the article is adjudicated, the sentence's final labels (from the "
    "editor's decision, or the accepted annotations); null before.",
)


class ClaimSerializer(serializers.Serializer):
    """A content sentence with at least one live annotation (passing the filters).

    The fields declare the shape for the OpenAPI schema; the claims themselves arrive as
    plain dicts from `AnnotationQuerySet.claims()`, and only their dates need translating.
    Running DRF's field machinery over 500 claims and their annotations took most of a
    page's time (issue 7's profile).
    """

    sentence = ClaimSentenceSerializer
    article = ClaimArticleSerializer()
    labels = serializers.ListField(child=serializers.ChoiceField(Label.choices))
    annotations = ClaimAnnotationSerializer(many=True)
    cited_sources = SourceBriefSerializer(many=True)
    reviewer_count = serializers.IntegerField()
    decision = ClaimDecisionSerializer

    def to_representation(self, claim):
        article = claim["article"]
        if article["published_on"] is not None:
            article["published_on"] = article["published_on"].isoformat()
        if article["adjudicated_at"] is not None:
            article["adjudicated_at"] = self.datetime(article["adjudicated_at"])
        decision = claim.get("decision")
        if decision is not None and decision["decided_at"] is not None:
            decision["decided_at"] = self.datetime(decision["decided_at"])
        for a in claim["annotations"]:
            a["created_at"] = self.datetime(a["created_at"])
            a["updated_at"] = self.datetime(a["updated_at"])
        return claim

    def datetime(self, value):
        """What DRF's DateTimeField writes (ISO 8601 in the current time zone, UTC as Z),
        with the time zone looked up once per page instead of once per value."""
        if not hasattr(self, "_zone"):
            self._zone = timezone.get_current_timezone()
        text = value.astimezone(self._zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text
