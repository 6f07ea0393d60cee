"""Who may do what. One helper per rule, so pages, the API and the admin agree.

The role groups and their model permissions are defined here once: the data migrations
and the test fixtures both call `sync_role_groups`, so a fresh database, a flushed test
database and a long-lived one all hold the same groups.
"""

REVIEWER_GROUP = "Reviewer"
EDITOR_GROUP = "Editor"
# Integrations and researchers: read adjudicated articles' claims and exports through the
# API, with a token like everyone else; no workspace, no review pages.
READER_GROUP = "Reader"

# Model permissions per group, by app label. The pages and the API check roles with the
# helpers below; these grants are what the admin shows each group.
ROLE_PERMISSIONS = {
    REVIEWER_GROUP: {
        "provenance": ["view_source", "add_source", "view_sourcealias", "view_article",
                       "view_sentence"],
        "annotations": ["view_annotation", "add_annotation", "change_annotation",
                        "view_sentencereview", "add_sentencereview"],
        "review": ["view_assignment"],
        "suggestions": ["view_suggestion"],
    },
    EDITOR_GROUP: {
        "provenance": ["view_source", "add_source", "change_source", "delete_source",
                       "view_sourcealias", "add_sourcealias", "change_sourcealias",
                       "delete_sourcealias", "view_article", "add_article", "change_article",
                       "view_sentence", "change_sentence"],
        "annotations": ["view_annotation", "add_annotation", "change_annotation",
                        "adjudicate_annotation", "view_sentencereview"],
        "review": ["view_assignment", "add_assignment", "change_assignment",
                   "delete_assignment"],
        "suggestions": ["view_suggestion", "view_suggestiondecision", "view_rulesetting",
                        "change_rulesetting", "view_mutingpolicy", "change_mutingpolicy",
                        "view_cuephrase", "add_cuephrase", "delete_cuephrase"],
    },
    READER_GROUP: {
        "provenance": ["view_source", "view_sourcealias", "view_article", "view_sentence"],
    },
}


def sync_role_groups(*, group_model, permission_model) -> None:
    """Create the role groups and give each exactly its permissions.

    Takes the models so a migration can pass its historical ones; missing permissions are
    skipped (a migration may run before a later app's permissions exist) and added by the
    next call.
    """
    for name, grants in ROLE_PERMISSIONS.items():
        group, _ = group_model.objects.get_or_create(name=name)
        wanted = []
        for app_label, codenames in grants.items():
            wanted += permission_model.objects.filter(
                content_type__app_label=app_label, codename__in=codenames
            )
        group.permissions.set(wanted)


def is_editor(user) -> bool:
    """Editors (and superusers) run the review: sources, assignments, adjudication."""
    return bool(
        user and user.is_authenticated and user.is_active
        and user.has_perm("annotations.adjudicate_annotation")
    )


def is_reader(user) -> bool:
    """A Reader only: may read articles but not annotate them (the Reader group gives
    view_article without add_annotation; a reviewer, an editor or a superuser has both).

    Read from the permission cache that is_editor() fills, so asking costs no query more.
    A user in no group at all is not a reader: accounts made before the role keep working.
    """
    return bool(
        user and user.is_authenticated
        and user.has_perm("provenance.view_article")
        and not user.has_perm("annotations.add_annotation")
    )


def can_edit_annotation(user, annotation) -> bool:
    """Reviewers change only their own annotations."""
    return bool(user and user.is_authenticated and annotation.reviewer_id == user.pk)
