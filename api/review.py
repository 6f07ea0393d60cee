"""The review workflow over the API: assignments, verdicts, adjudication, merging, agreement,
and sentence boundaries. The same services and the same rules as the admin and the pages."""

from django.contrib.auth import get_user_model
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from annotations import boundaries
from annotations.models import Annotation, Status
from provenance.models import Article, Sentence, Source
from provenance.roles import is_editor
from provenance.services import article_update
from review import agreement
from review import selectors as review_selectors
from review import services as review_services
from review.models import Assignment

from .permissions import ReadersOnlyRead
from .serializers import AnnotationSerializer

User = get_user_model()

ERRORS = {
    400: OpenApiResponse(description="Refused; `detail` says why."),
    401: OpenApiResponse(description="Not signed in."),
    403: OpenApiResponse(description="Only editors may do this."),
    404: OpenApiResponse(description="Not found."),
    409: OpenApiResponse(description=(
        "Changed meanwhile (the sentence was joined or split, the annotation deleted, a "
        "source merged away); `detail` says what. Reload and try again."
    )),
}


class IsEditor(permissions.BasePermission):
    message = "Only editors manage the review."

    def has_permission(self, request, view):
        return is_editor(request.user)


class AssignmentSerializer(serializers.ModelSerializer):
    reviewer = serializers.SlugRelatedField(slug_field="username", queryset=User.objects.all())
    assigned_by = serializers.CharField(source="assigned_by.username", read_only=True,
                                        default=None)

    class Meta:
        model = Assignment
        fields = ["id", "article", "reviewer", "status", "due_on", "assigned_by", "created_at",
                  "finished_at"]
        read_only_fields = ["status", "assigned_by", "created_at", "finished_at"]
        validators = []  # the service answers a repeat assignment by updating its due date


class AssignmentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
    mixins.UpdateModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet,
):
    """Editors assign (POST), reassign (PATCH reviewer), change due dates and unassign
    (DELETE); reviewers read their own assignments."""

    queryset = Assignment.objects.select_related("reviewer", "assigned_by").order_by("id")
    serializer_class = AssignmentSerializer

    def get_permissions(self):
        if self.request.method in permissions.SAFE_METHODS:
            return [permissions.IsAuthenticated(), ReadersOnlyRead()]
        return [permissions.IsAuthenticated(), IsEditor()]

    def get_queryset(self):
        qs = super().get_queryset()
        if not is_editor(self.request.user):
            qs = qs.filter(reviewer=self.request.user)
        article = self.request.query_params.get("article")
        if article is not None:
            qs = qs.filter(article_id=article) if article.isdigit() else qs.none()
        return qs

    def perform_create(self, serializer):
        data = serializer.validated_data
        serializer.instance = review_services.assignment_create(
            article=data["article"], reviewer=data["reviewer"], by=self.request.user,
            due_on=data.get("due_on"),
        )

    def perform_update(self, serializer):
        data = serializer.validated_data
        assignment = serializer.instance
        if "reviewer" in data:
            assignment = review_services.assignment_reassign(
                assignment=assignment, reviewer=data["reviewer"], by=self.request.user
            )
        if "due_on" in data:
            assignment = review_services.assignment_create(
                article=assignment.article, reviewer=assignment.reviewer, by=self.request.user,
                due_on=data["due_on"],
            )
        serializer.instance = assignment

    def perform_destroy(self, instance):
        review_services.assignment_delete(assignment=instance, by=self.request.user)


class VerdictSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class AgreementSerializer(serializers.Serializer):
    label = serializers.CharField()
    independent = serializers.SerializerMethodField(
        help_text="Whether the reviewers worked blind to each other (independent review); "
        "false: agreement may measure imitation."
    )
    sentences = serializers.IntegerField()
    reviewers = serializers.IntegerField()
    percent = serializers.FloatField(allow_null=True)
    kappa = serializers.FloatField(allow_null=True)
    alpha = serializers.FloatField(allow_null=True)

    def get_independent(self, row) -> bool:
        return self.context["independent"]


class ReviewStatusSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    review_status = serializers.ChoiceField(choices=review_selectors.ReviewStatus.choices)
    adjudicated_at = serializers.DateTimeField(allow_null=True)


class IndependenceSerializer(serializers.Serializer):
    independent = serializers.BooleanField(
        allow_null=True,
        help_text="true: reviewers see only their own annotations until adjudication; "
        "false: they see each other's; null: the site's setting.",
    )


class IndependenceResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    independent_review = serializers.BooleanField(allow_null=True)
    independent = serializers.BooleanField(source="is_independent",
                                           help_text="What applies now.")


class MergeSerializer(serializers.Serializer):
    duplicates = serializers.PrimaryKeyRelatedField(
        queryset=Source.objects.all(), many=True, allow_empty=False
    )


class MergeResultSerializer(serializers.Serializer):
    articles = serializers.IntegerField()
    citations = serializers.IntegerField()
    collapsed = serializers.IntegerField()
    aliases = serializers.IntegerField()


class JoinSerializer(serializers.Serializer):
    """The sentence's offsets as the client read them: a join or split asked of a sentence
    that has changed since (a request sent twice joins no third sentence) is refused, 409."""

    start = serializers.IntegerField(
        min_value=0, required=False,
        help_text="The sentence's start as you read it; send it with `end`.")
    end = serializers.IntegerField(
        min_value=0, required=False,
        help_text="The sentence's end as you read it; a changed sentence is refused (409).")

    def validate(self, attrs):
        if ("start" in attrs) != ("end" in attrs):
            raise serializers.ValidationError("Send both start and end, or neither.")
        return attrs

    def expected(self):
        data = self.validated_data
        return (data["start"], data["end"]) if "start" in data else None


class SplitSerializer(JoinSerializer):
    at = serializers.IntegerField(min_value=0, help_text="Absolute offset into the body.")


class SentenceBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sentence
        fields = ["id", "article", "position", "start", "end", "text"]


class ReviewViewSet(viewsets.GenericViewSet):
    """Editors' verdicts and adjudication; boundary corrections for reviewers too."""

    permission_classes = [permissions.IsAuthenticated, ReadersOnlyRead]
    queryset = Annotation.objects.none()
    # Nothing here is paged: without this, the schema described the agreement list (a GET
    # with detail=False) as a page of the default paginator, which it never was.
    pagination_class = None
    # Request bodies per action, for OPTIONS and the browsable API.
    request_serializers = {"verdict": VerdictSerializer, "merge": MergeSerializer,
                           "split": SplitSerializer, "independence": IndependenceSerializer}

    def get_serializer_class(self):
        return self.request_serializers.get(self.action, serializers.Serializer)

    def _editor_only(self):
        if not is_editor(self.request.user):
            raise PermissionDenied("Only editors manage the review.")

    @extend_schema(request=VerdictSerializer, responses={200: AnnotationSerializer, **ERRORS})
    @action(detail=False, methods=["post"], url_path=r"annotations/(?P<pk>\d+)/verdict")
    def verdict(self, request, pk=None):
        """Accept or reject an annotation (editors)."""
        self._editor_only()
        annotation = get_object_or_404(Annotation.objects.live(), pk=pk)
        body = VerdictSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        # Through the review's service, so the sentence's final decision follows the
        # verdict here as it does on the adjudication page.
        (annotation,) = review_services.annotations_verdict(
            annotations=[(annotation, None)], status=body.validated_data["status"],
            by=request.user, reason=body.validated_data.get("reason", ""),
        )
        return Response(AnnotationSerializer(annotation).data)

    def _article(self, pk):
        return get_object_or_404(review_selectors.with_review_status(Article.objects.all()), pk=pk)

    @extend_schema(request=None, responses={200: ReviewStatusSerializer, **ERRORS})
    @action(detail=False, methods=["post"], url_path=r"articles/(?P<pk>\d+)/close")
    def close(self, request, pk=None):
        """Close an article as adjudicated (editors); refused while a content sentence has no
        final decision."""
        self._editor_only()
        article = self._article(pk)
        review_services.article_close_adjudication(article=article, by=request.user)
        return Response(ReviewStatusSerializer(self._article(pk)).data)

    @extend_schema(request=IndependenceSerializer,
                   responses={200: IndependenceResultSerializer, **ERRORS})
    @action(detail=False, methods=["post"], url_path=r"articles/(?P<pk>\d+)/independence")
    def independence(self, request, pk=None):
        """Set whether this article's reviewers work blind to each other (editors); the
        article's history records who changed it."""
        self._editor_only()
        article = get_object_or_404(Article, pk=pk)
        body = IndependenceSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        article = article_update(article=article, by=request.user,
                                 independent_review=body.validated_data["independent"])
        return Response(IndependenceResultSerializer(article).data)

    @extend_schema(request=None, responses={200: AssignmentSerializer, **ERRORS})
    @action(detail=False, methods=["post"], url_path=r"articles/(?P<pk>\d+)/finish")
    def finish(self, request, pk=None):
        """Mark your review of the article done (its assigned reviewers only)."""
        article = get_object_or_404(Article, pk=pk)
        assignment = review_services.article_finish(reviewer=request.user, article=article)
        return Response(AssignmentSerializer(assignment).data)

    @extend_schema(responses={200: AgreementSerializer(many=True), **ERRORS})
    @action(detail=False, methods=["get"], url_path=r"articles/(?P<pk>\d+)/agreement")
    def agreement(self, request, pk=None):
        """Agreement per label over sentences two or more reviewers reviewed (editors)."""
        self._editor_only()
        article = self._article(pk)
        rows = agreement.article_agreement(article)
        context = {"independent": article.is_independent}
        return Response(AgreementSerializer(rows, many=True, context=context).data)

    @extend_schema(request=MergeSerializer, responses={200: MergeResultSerializer, **ERRORS})
    @action(detail=False, methods=["post"], url_path=r"sources/(?P<pk>\d+)/merge")
    def merge(self, request, pk=None):
        """Merge `duplicates` into this source (editors)."""
        self._editor_only()
        survivor = get_object_or_404(Source, pk=pk)
        body = MergeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        counts = review_services.source_merge(
            survivor=survivor, duplicates=body.validated_data["duplicates"], by=request.user
        )
        return Response(MergeResultSerializer(counts).data)

    @extend_schema(request=JoinSerializer, responses={200: SentenceBriefSerializer, **ERRORS})
    @action(detail=False, methods=["post"], url_path=r"sentences/(?P<pk>\d+)/join")
    def join(self, request, pk=None):
        """Join a sentence with the next one; with `start` and `end`, only if the sentence
        still has them (else 409)."""
        sentence = get_object_or_404(Sentence, pk=pk)
        body = JoinSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        joined = boundaries.sentence_join(sentence=sentence, by=request.user,
                                          expected=body.expected())
        return Response(SentenceBriefSerializer(joined).data)

    @extend_schema(request=SplitSerializer, responses={200: SentenceBriefSerializer(many=True),
                                                       **ERRORS})
    @action(detail=False, methods=["post"], url_path=r"sentences/(?P<pk>\d+)/split")
    def split(self, request, pk=None):
        """Split a sentence at an absolute body offset."""
        sentence = get_object_or_404(Sentence, pk=pk)
        body = SplitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        parts = boundaries.sentence_split(
            sentence=sentence, at=body.validated_data["at"], by=request.user,
            expected=body.expected(),
        )
        return Response(SentenceBriefSerializer(parts, many=True).data)
