import sys
import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from provenance.ingestion import parsers
from provenance.ingestion.parsers import InputError
from provenance.ingestion.services import article_import, read_path_inputs


def _messages(exc: ValidationError) -> str:
    return "; ".join(exc.messages)


class Command(BaseCommand):
    help = (
        "Import articles from .txt/.md, .html and .jsonl files or folders. A metadata.json "
        "beside the files supplies titles and publishers. Re-importing the same text adds "
        "nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Files or folders to import.")
        parser.add_argument(
            "--max-bytes",
            type=int,
            default=settings.PROVENANCE_MAX_IMPORT_BYTES,
            help="Refuse articles larger than this (default: %(default)s).",
        )
        parser.add_argument("--quiet", action="store_true", help="Print only the summary.")

    def handle(self, *args, paths, max_bytes, quiet, **options):
        self.quiet = quiet or options["verbosity"] == 0
        try:
            files = parsers.expand_paths(paths)
        except InputError as exc:
            raise CommandError(str(exc)) from None
        counts = {"imported": 0, "unchanged": 0, "failed": 0, "sentences": 0, "boilerplate": 0}
        started = time.perf_counter()
        show_bar = not self.quiet and sys.stderr.isatty() and len(files) > 1
        for n, path in enumerate(files, start=1):
            for item in read_path_inputs(path, max_bytes=max_bytes):
                self._import_one(item, counts)
            if show_bar:
                done = int(30 * n / len(files))
                sys.stderr.write(f"\r[{'#' * done}{'.' * (30 - done)}] {n}/{len(files)} files")
                sys.stderr.flush()
        if show_bar:
            sys.stderr.write("\n")
        elapsed = time.perf_counter() - started
        summary = (
            f"imported {counts['imported']}, unchanged {counts['unchanged']}, "
            f"failed {counts['failed']}; {counts['sentences']} sentences "
            f"({counts['boilerplate']} boilerplate)"
        )
        if counts["failed"]:
            self.stdout.write(self.style.ERROR(summary))
            raise CommandError(f"{counts['failed']} article(s) failed to import.")
        self.stdout.write(self.style.SUCCESS(summary))
        if not self.quiet and counts["sentences"]:
            self.stdout.write(
                f"{elapsed:.2f} s, {counts['sentences'] / elapsed:,.0f} sentences/s"
            )

    def _import_one(self, item, counts):
        if isinstance(item, InputError):
            counts["failed"] += 1
            self.stderr.write(self.style.ERROR(f"failed: {item}"))
            return
        where = f"{item.origin}, line {item.line}" if item.line else item.origin
        try:
            result = article_import(data=item)
        except ValidationError as exc:
            counts["failed"] += 1
            self.stderr.write(self.style.ERROR(f"failed: {where}: {_messages(exc)}"))
            return
        if result.created:
            counts["imported"] += 1
            counts["sentences"] += result.sentence_count
            counts["boilerplate"] += result.boilerplate_count
            if not self.quiet:
                self.stdout.write(
                    f"imported: {where}: {result.article.title[:70]!r} "
                    f"({result.sentence_count} sentences, {result.boilerplate_count} boilerplate)"
                )
        else:
            counts["unchanged"] += 1
            if not self.quiet:
                self.stdout.write(f"unchanged: {where} (article {result.article.pk})")
