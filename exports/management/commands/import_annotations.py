from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from exports.restore import ImportFailed, import_jsonl


class Command(BaseCommand):
    help = (
        "Load a JSONL export of annotations into this database. Articles must already be "
        "here (matched by content hash); missing reviewers and sources are created. One "
        "transaction: a bad row is reported with its line number and nothing is written. "
        "Re-running adds nothing. A verdict without an editor here who set it is imported "
        "as submitted (listed). Every history row written reads 'restored from <file>', "
        "by the --as user (default: none, i.e. the history names no user, only the file)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="A .jsonl file written by export_annotations.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every row, then write nothing."
        )
        parser.add_argument(
            "--as", dest="as_user", metavar="USERNAME",
            help="The account recorded as having restored the file (history_user).",
        )

    def handle(self, *args, path, dry_run, as_user=None, **options):
        by = None
        if as_user is not None:
            User = get_user_model()
            by = User.objects.filter(**{User.USERNAME_FIELD: as_user}, is_active=True).first()
            if by is None:
                raise CommandError(f"--as {as_user!r}: no active user of that name.")
        try:
            with open(path, "rb") as handle:
                report = import_jsonl(handle, by=by, origin=Path(path).name, dry_run=dry_run)
        except OSError as exc:
            raise CommandError(f"{path}: cannot be read ({exc.strerror})") from None
        except ImportFailed as exc:
            for line, reason in exc.errors:
                self.stderr.write(self.style.ERROR(f"{path}, line {line}: {reason}"))
            raise CommandError(
                f"{len(exc.errors)} bad row(s) in {path}; nothing was imported."
            ) from None
        if report.reviewers_created:
            self.stdout.write(f"reviewers created: {', '.join(report.reviewers_created)}")
        if report.sources_created:
            self.stdout.write(f"sources created: {', '.join(report.sources_created)}")
        for message in report.messages:
            self.stdout.write(self.style.WARNING(f"{path}, {message}"))
        verb = "would import" if dry_run else "imported"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {report.created} annotation(s); {report.skipped} already present"
                f" ({report.rows} rows)"
            )
        )
