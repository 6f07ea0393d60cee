from rest_framework import permissions

from provenance.roles import can_edit_annotation, is_editor


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
