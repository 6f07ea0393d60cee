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
    source = SourceBriefSerializer(read_only=True)

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
