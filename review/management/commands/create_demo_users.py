from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from provenance.models import Article
from provenance.roles import EDITOR_GROUP, REVIEWER_GROUP
from review import services as review_services

# Demo accounts for a local checkout only: the command refuses to run with DEBUG off, so
# these well-known passwords never reach a server.
DEMO_USERS = [
    ("alice", "alice-reviews", REVIEWER_GROUP, "reviewer"),
    ("bob", "bob-reviews", REVIEWER_GROUP, "reviewer"),
    ("carol", "carol-edits", EDITOR_GROUP, "editor (admin)"),
]


class Command(BaseCommand):
    help = "Create the demo reviewer and editor accounts (DEBUG only) and print them."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (for tests)."
        )

    @transaction.atomic
    def handle(self, *args, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Demo accounts are for local development only (DEBUG is off).")
        User = get_user_model()
        # No sign-in address: the server's port is not known here (start.sh prints it).
        self.stdout.write("Demo accounts:")
        for username, password, group_name, role in DEMO_USERS:
            user, created = User.objects.get_or_create(username=username)
            if created:
                user.set_password(password)
            user.is_staff = group_name == EDITOR_GROUP
            user.save()
            user.groups.add(Group.objects.get(name=group_name))
            self.stdout.write(f"  {role:<16} {username} / {password}")
        # The demo reviewers find every article in their queue, assigned by the editor.
        editor = User.objects.get(username="carol")
        reviewers = User.objects.filter(username__in=["alice", "bob"])
        for article in Article.objects.all():
            for reviewer in reviewers:
                if not article.assignments.filter(reviewer=reviewer).exists():
                    review_services.assignment_create(article=article, reviewer=reviewer, by=editor)
        self.stdout.write(self.style.SUCCESS("Demo accounts ready."))
