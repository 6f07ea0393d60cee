"""The cast and builders every test shares.

alice and bob are reviewers, carol is an editor, root is a superuser. Builders make real
rows through the same services the app uses.
"""

import os
import tempfile
from pathlib import Path

import pytest

from provenance.roles import EDITOR_GROUP, READER_GROUP, REVIEWER_GROUP, sync_role_groups

# Playwright's sync API runs an event loop in the test thread; Django would otherwise refuse
# ORM calls from it (SynchronousOnlyOperation) once the test database exists.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def pytest_configure(config):
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        # A file, as in production: the in-memory test database shares one cache between
        # connections, where two overlapping transactions (test_concurrency's threads) fail
        # at once with "database table is locked" instead of queueing on the busy timeout.
        # Changed in place: the connection handler already holds this dict.
        database.setdefault("TEST", {})["NAME"] = os.path.join(
            tempfile.gettempdir(), f"provenance-test-{os.getpid()}.sqlite3"
        )
    # Manifest storage needs collectstatic; tests serve static files from the finders.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.STATIC_ROOT = None
    settings.WHITENOISE_USE_FINDERS = True
    # Every fixture user has a password; the production hasher's deliberate slowness
    # (hundreds of milliseconds a hash) would dominate the suite.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def roles(db):
    """The Reviewer and Editor groups with their permissions, whatever ran before.

    The data migration made them once, but a transactional test's flush empties auth_group
    (post_migrate brings back permissions, not groups), so every test that needs them calls
    the migration's own function instead of depending on the order tests run in.
    """
    from django.contrib.auth.models import Group, Permission

    sync_role_groups(group_model=Group, permission_model=Permission)


def _user(username, group=None, **extra):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(username, password=f"{username}-pw", **extra)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def alice(roles):
    return _user("alice", REVIEWER_GROUP)


@pytest.fixture
def bob(roles):
    return _user("bob", REVIEWER_GROUP)


@pytest.fixture
def carol(roles):
    return _user("carol", EDITOR_GROUP, is_staff=True)


@pytest.fixture
def rita(roles):
    """A Reader: the API's claims and exports of adjudicated articles, nothing else."""
    return _user("rita", READER_GROUP)


@pytest.fixture
def root(db):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser("root", password="root-pw")


@pytest.fixture
def people(alice, bob, carol, root):
    """The whole cast by name, for permission matrices (anonymous is None)."""
    return {"anonymous": None, "alice": alice, "bob": bob, "carol": carol, "root": root}


@pytest.fixture
def tasks_run_at_once(settings):
    """django-tasks' immediate backend: each task runs in this process as it is queued
    (inside the test's transaction). Transactional tests run the real worker process
    instead (tests/worker.py)."""
    settings.TASKS = {"default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"],
    }}


@pytest.fixture
def make_article(db):
    """Import `text` through the real importer and return the Article."""
    from provenance.ingestion.parsers import ArticleInput
    from provenance.ingestion.services import article_import

    counter = iter(range(1, 10_000))

    def make(text="Headline Here\nThe first sentence. The second sentence.\n", **fields):
        n = next(counter)
        fields.setdefault("title", f"Article {n}")
        fields.setdefault("origin", f"test-{n}.txt")
        return article_import(data=ArticleInput(text=text, **fields)).article

    return make


@pytest.fixture
def seeded(db):
    """The five seed articles, imported by the real command."""
    from django.core.management import call_command

    from provenance.models import Article

    call_command("import_articles", str(SEEDS), quiet=True)
    return list(Article.objects.order_by("origin"))


@pytest.fixture
def make_annotation(db):
    from annotations import services

    def make(reviewer, sentence, label="unverified_claim", **kwargs):
        return services.annotation_create(
            reviewer=reviewer, sentence=sentence, label=label, **kwargs
        )

    return make


@pytest.fixture
def assign(db):
    """Put articles in a reviewer's queue, as an editor's assignment does."""
    from review.models import Assignment

    def make(reviewer, *articles):
        for article in articles:
            Assignment.objects.get_or_create(article=article, reviewer=reviewer)

    return make


@pytest.fixture
def api(db):
    """A DRF test client; `api.as_user(user)` signs in with session auth."""
    from rest_framework.test import APIClient

    class Client(APIClient):
        def as_user(self, user):
            self.force_authenticate(user)
            return self

    return Client()


def pytest_terminal_summary(terminalreporter):
    """The hostile-input count (tests/test_hostile_properties.py), when any were tried."""
    import json

    from .hostile import TALLY

    if not TALLY.tried:
        return
    terminalreporter.write_line(TALLY.summary())
    if path := os.environ.get("HOSTILE_TALLY_FILE"):
        Path(path).write_text(json.dumps(
            {"tried": TALLY.tried, "server_errors": TALLY.server_errors,
             "wrote": TALLY.wrote, "by_target": TALLY.by_target}, indent=1))
