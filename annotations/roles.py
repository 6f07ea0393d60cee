"""Who may do what. One helper per rule, so views, the API and the admin agree."""

REVIEWER_GROUP = "Reviewer"
EDITOR_GROUP = "Editor"


def is_editor(user) -> bool:
    """Editors (and superusers) run the review: sources, assignments, adjudication."""
    return bool(
        user and user.is_authenticated and user.is_active
        and user.has_perm("annotations.adjudicate_annotation")
    )


def can_edit_annotation(user, annotation) -> bool:
    """Reviewers change only their own annotations."""
    return bool(user and user.is_authenticated and annotation.reviewer_id == user.pk)
