from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Import the sample articles in seeds/ (idempotent)."

    def handle(self, *args, **options):
        call_command(
            "import_articles", str(settings.BASE_DIR / "seeds"), quiet=True, stdout=self.stdout,
            stderr=self.stderr,
        )
