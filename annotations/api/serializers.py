from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from provenance.models import Sentence, Source

from ..models import Annotation, Label


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


class ClaimSerializer(serializers.Serializer):
    """A content sentence with at least one live annotation (passing the filters)."""

    sentence = serializers.SerializerMethodField()
    article = ClaimArticleSerializer()
    labels = serializers.SerializerMethodField()
    annotations = ClaimAnnotationSerializer(source="claim_annotations", many=True)
    cited_sources = serializers.SerializerMethodField()
    reviewer_count = serializers.SerializerMethodField()

    @extend_schema_field(
        inline_serializer(
            "ClaimSentence",
            fields={
                "id": serializers.IntegerField(),
                "position": serializers.IntegerField(),
                "start": serializers.IntegerField(),
                "end": serializers.IntegerField(),
                "text": serializers.CharField(),
            },
        )
    )
    def get_sentence(self, obj):
        return {"id": obj.pk, "position": obj.position, "start": obj.start, "end": obj.end,
                "text": obj.text}

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(Label.choices)))
    def get_labels(self, obj):
        present = {a.label for a in obj.claim_annotations}
        return [label for label in Label.values if label in present]

    @extend_schema_field(SourceBriefSerializer(many=True))
    def get_cited_sources(self, obj):
        sources = {a.source_id: a.source for a in obj.claim_annotations if a.source_id}
        ordered = sorted(sources.values(), key=lambda s: (s.name.lower(), s.pk))
        return SourceBriefSerializer(ordered, many=True).data

    @extend_schema_field(serializers.IntegerField())
    def get_reviewer_count(self, obj):
        return len({a.reviewer_id for a in obj.claim_annotations})
