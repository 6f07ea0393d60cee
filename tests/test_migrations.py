"""Upgrading a database made before the renovation keeps every assignment and permission."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("annotations", "0003_claim_filter_indexes"), ("provenance", "0004_cache_table")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_assignments_made_before_the_review_app_existed_survive_the_upgrade():
    old = _migrate(BEFORE)
    User = old.get_model("auth", "User")
    Article = old.get_model("provenance", "Article")
    OldAssignment = old.get_model("annotations", "Assignment")
    reviewer = User.objects.create(username="dora")
    article = Article.objects.create(title="Before", body="Text.", content_sha256="x" * 64)
    OldAssignment.objects.create(article=article, reviewer=reviewer, status="in_progress")

    latest = _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    Assignment = latest.get_model("review", "Assignment")
    moved = Assignment.objects.get()
    assert (moved.article_id, moved.reviewer_id, moved.status) == (
        article.pk, reviewer.pk, "in_progress"
    )
    Group = latest.get_model("auth", "Group")
    editor_perms = set(
        Group.objects.get(name="Editor").permissions.values_list(
            "content_type__app_label", "codename"
        )
    )
    assert ("review", "change_assignment") in editor_perms
    assert not any(app == "annotations" and "assignment" in code for app, code in editor_perms)
