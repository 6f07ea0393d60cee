import re

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from annotations import services
from annotations.access import visible_annotations
from annotations.models import Annotation
from provenance.roles import can_edit_annotation, is_editor

from .exceptions import PreconditionFailed, PreconditionRequired
from .filters import AnnotationListFilter
from .pagination import NumberedPagination
from .permissions import IsOwnerForWrites, ReadersOnlyRead
from .schema import ProvenanceAutoSchema
from .serializers import AnnotationSerializer, AnnotationUpdateSerializer, AnnotationWriteSerializer

_ETAG = re.compile(r'^(?:W/)?"?(\d+)-(\d+)"?$')


def _expected_version(request, annotation) -> int:
    """The version the client read, from If-Match or a "version" field; 428 without one."""
    header = request.headers.get("If-Match", "").strip()
    if header:
        match = _ETAG.match(header)
        if not match or int(match.group(1)) != annotation.pk:
            raise PreconditionFailed(
                {"detail": "If-Match does not name this annotation's ETag.",
                 "current": AnnotationSerializer(annotation).data}
            )
        return int(match.group(2))
    raw = request.data.get("version") if hasattr(request.data, "get") else None
    raw = raw if raw not in (None, "") else request.query_params.get("version")
    if raw in (None, ""):
        raise PreconditionRequired()
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise PreconditionRequired('"version" must be a whole number.') from None


def _respond(annotation, status_code=status.HTTP_200_OK):
    response = Response(AnnotationSerializer(annotation).data, status=status_code)
    response["ETag"] = annotation.etag
    return response


ANNOTATION_ERRORS = {
    400: OpenApiResponse(description="Invalid input; the body names each problem."),
    401: OpenApiResponse(description="Not signed in."),
    403: OpenApiResponse(description="Not your annotation."),
    404: OpenApiResponse(description="No such annotation."),
    409: OpenApiResponse(description=(
        "What the request was based on changed meanwhile (a join, a split or a merge: the "
        "sentence is gone or moved, the source was merged away, a split went through the "
        "annotation to restore); `detail` says what. Reload and try again."
    )),
}
PRECONDITION_ERRORS = {
    412: OpenApiResponse(description="Stale version; the body carries the current annotation."),
    428: OpenApiResponse(description="No If-Match header and no version field."),
}
IF_MATCH = OpenApiParameter(
    "If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER,
    description='The ETag from the last read, e.g. "12-3" (or send "version" instead).',
)


@extend_schema_view(
    list=extend_schema(summary="Annotations (live ones; deleted=true for the restorable)"),
    create=extend_schema(
        request=AnnotationWriteSerializer,
        responses={201: AnnotationSerializer, 400: ANNOTATION_ERRORS[400],
                   401: ANNOTATION_ERRORS[401], 409: ANNOTATION_ERRORS[409]},
    ),
    update=extend_schema(
        request=AnnotationUpdateSerializer, parameters=[IF_MATCH],
        responses={200: AnnotationSerializer, **ANNOTATION_ERRORS, **PRECONDITION_ERRORS},
    ),
    partial_update=extend_schema(
        request=AnnotationUpdateSerializer, parameters=[IF_MATCH],
        responses={200: AnnotationSerializer, **ANNOTATION_ERRORS, **PRECONDITION_ERRORS},
    ),
    destroy=extend_schema(
        parameters=[IF_MATCH, OpenApiParameter("version", int)],
        responses={200: AnnotationSerializer, **ANNOTATION_ERRORS, **PRECONDITION_ERRORS},
    ),
)
class AnnotationViewSet(
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    """Annotations: create, read, update and (soft) delete through the one service.

    Updates and deletes must name the version they change; a stale one is refused with 412.
    """

    schema = ProvenanceAutoSchema()
    queryset = Annotation.objects.all()  # for the schema; get_queryset() scopes it
    serializer_class = AnnotationSerializer
    permission_classes = [permissions.IsAuthenticated, ReadersOnlyRead, IsOwnerForWrites]
    filterset_class = AnnotationListFilter
    pagination_class = NumberedPagination

    def get_queryset(self):
        qs = Annotation.objects.with_related().order_by("id")
        params = self.request.query_params
        if self.action == "list":
            if params.get("deleted") in ("1", "true", "True"):
                qs = qs.deleted()
                if not is_editor(self.request.user):
                    qs = qs.filter(reviewer=self.request.user)
            else:
                qs = qs.live()
        if self.request.method in permissions.SAFE_METHODS:
            # Independent review: another reviewer's annotations on an article still under
            # review are not listed, and reading one by id is a 404, as if it did not
            # exist (annotations.access). Writes need no filter: only the author may
            # change an annotation (IsOwnerForWrites), and the check costs a save nothing.
            qs = visible_annotations(qs, self.request.user)
        return qs

    def get_object(self):
        # DRF's get_object_or_404 answers a malformed id ("null,null") with 404, not 500.
        annotation = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        # Deleted rows are visible to their author (for undo) and to editors. Asked after
        # the fetch, so an author's save skips the permission lookups is_editor() costs;
        # anyone else gets the 404 of a missing id.
        if annotation.is_deleted and not (
            can_edit_annotation(self.request.user, annotation) or is_editor(self.request.user)
        ):
            raise Http404("No Annotation matches the given query.")
        self.check_object_permissions(self.request, annotation)
        return annotation

    def retrieve(self, request, *args, **kwargs):
        return _respond(self.get_object())

    def create(self, request, *args, **kwargs):
        serializer = AnnotationWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        annotation = services.annotation_create(
            reviewer=request.user,
            sentence=data["sentence"],
            label=data["label"],
            phrase=serializer.phrase(),
            source=data.get("source"),
            note=data.get("note", ""),
            quote=data.get("quote"),
        )
        return _respond(annotation, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        annotation = self.get_object()
        expected = _expected_version(request, annotation)
        serializer = AnnotationUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        changes = {}
        if "label" in data:
            changes["label"] = data["label"]
        if "source" in data:
            changes["source"] = data["source"]
        if "note" in data:
            changes["note"] = data["note"]
        if "phrase_start" in data or "phrase_end" in data:
            changes["phrase"] = serializer.phrase()
        try:
            annotation = services.annotation_update(
                annotation=annotation, expected_version=expected, by=request.user,
                quote=data.get("quote"), **changes,
            )
        except services.StaleVersion as exc:
            raise PreconditionFailed(
                {"detail": str(exc), "current": AnnotationSerializer(exc.current).data}
            ) from None
        return _respond(annotation)

    def destroy(self, request, *args, **kwargs):
        annotation = self.get_object()
        expected = _expected_version(request, annotation)
        try:
            annotation = services.annotation_delete(
                annotation=annotation, expected_version=expected, by=request.user
            )
        except services.StaleVersion as exc:
            raise PreconditionFailed(
                {"detail": str(exc), "current": AnnotationSerializer(exc.current).data}
            ) from None
        return _respond(annotation)

    @extend_schema(
        request=None,
        responses={200: AnnotationSerializer, **ANNOTATION_ERRORS, 412: PRECONDITION_ERRORS[412]},
    )
    @action(detail=True, methods=["post"])
    def restore(self, request, pk=None):
        """Undo a delete: the author (the workspace's undo) or an editor."""
        annotation = self.get_object()
        if not (can_edit_annotation(request.user, annotation) or is_editor(request.user)):
            raise PermissionDenied("Only the author or an editor can restore an annotation.")
        try:
            annotation = services.annotation_restore(annotation=annotation, by=request.user)
        except services.StaleVersion as exc:  # pragma: no cover - no version is passed
            raise PreconditionFailed({"detail": str(exc)}) from None
        return _respond(annotation)
