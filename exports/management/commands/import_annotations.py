from django.core.management.base import BaseCommand, CommandError

from exports.restore import ImportFailed, import_jsonl


class Command(BaseCommand):
    help = (
        "Load a JSONL export of annotations into this database. Articles must already be "
        "here (matched by content hash); missing reviewers and sources are created. One "
        "transaction: a bad row is reported with its line number and nothing is written. "
        "Re-running adds nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="A .jsonl file written by export_annotations.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every row, then write nothing."
        )

    def handle(self, *args, path, dry_run, **options):
        try:
            with open(path, "rb") as handle:
                report = import_jsonl(handle, dry_run=dry_run)
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
        verb = "would import" if dry_run else "imported"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {report.created} annotation(s); {report.skipped} already present"
                f" ({report.rows} rows)"
            )
        )
