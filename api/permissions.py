from rest_framework import permissions

from provenance.roles import can_edit_annotation, is_editor, is_reader

READER_MESSAGE = (
    "Reader accounts read adjudicated articles' claims (/api/claims/), exports "
    "(/api/export/annotations), articles and sources; nothing else."
)


class ReadersOnlyRead(permissions.BasePermission):
    """Readers (provenance.roles.is_reader) may only read, and only views that say
    `readers_allowed = True`; those views show them adjudicated articles only."""

    message = READER_MESSAGE

    def has_permission(self, request, view):
        if not is_reader(request.user):
            return True
        return request.method in permissions.SAFE_METHODS and getattr(
            view, "readers_allowed", False
        )


class EditorWrites(permissions.BasePermission):
    """Anyone signed in reads; only editors write (sources, article imports, restores)."""

    message = "Only editors can do this."

    def has_permission(self, request, view):
        return request.method in permissions.SAFE_METHODS or is_editor(request.user)


class IsEditor(permissions.BasePermission):
    message = "Only editors can do this."

    def has_permission(self, request, view):
        return is_editor(request.user)


class IsOwnerForWrites(permissions.BasePermission):
    """Anyone signed in reads; only the author writes. Editors may also restore a deleted
    annotation (undoing a reviewer's mistake) but never edit one."""

    message = "You can change only your own annotations."

    def has_object_permission(self, request, view, obj):
        if request.method in permissions.SAFE_METHODS:
            return True
        if getattr(view, "action", None) == "restore" and is_editor(request.user):
            return True
        return can_edit_annotation(request.user, obj)
