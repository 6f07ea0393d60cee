import multiprocessing
import sys
import time
from collections import deque

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from provenance.ingestion import encoding as encodings
from provenance.ingestion import parsers, segment
from provenance.ingestion.parsers import InputError
from provenance.ingestion.services import article_import, read_path_inputs, sentence_rows
from provenance.ingestion.web import import_url


def _messages(exc: ValidationError) -> str:
    return "; ".join(exc.messages)


class _MetadataByFolder(dict):
    """Each folder's metadata.json, read once: reading it again for every file made an
    import of a folder of n files read n entries n times."""

    def __missing__(self, folder):
        try:
            metadata = self[folder] = parsers.read_metadata(folder)
        except InputError as exc:  # a traceback would hide which file and why
            raise CommandError(str(exc)) from None
        return metadata


class Command(BaseCommand):
    help = (
        "Import articles from .txt/.md, .html and .jsonl files or folders, or from web pages "
        "(--url). A metadata.json beside the files supplies titles and publishers. "
        "Re-importing the same text or URL adds nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="Files or folders to import.")
        parser.add_argument(
            "--url", nargs="+", default=[], metavar="URL", dest="urls",
            help="Fetch these web pages and import their articles (one at a time, here; "
            "the import page and the API queue them for the worker instead).",
        )
        parser.add_argument(
            "--encoding",
            help="The encoding of the .txt/.md files (default: they must be UTF-8). Web "
            "pages need none: their encoding is read or detected.",
        )
        parser.add_argument(
            "--max-bytes",
            type=int,
            default=settings.PROVENANCE_MAX_IMPORT_BYTES,
            help="Refuse articles larger than this (default: %(default)s).",
        )
        parser.add_argument("--quiet", action="store_true", help="Print only the summary.")
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help="Segment articles in this many processes while this one writes to the "
            "database (default: 1, no extra processes).",
        )

    def handle(self, *args, paths, max_bytes, quiet, workers=1, urls=(), encoding=None,
               **options):
        self.quiet = quiet or options["verbosity"] == 0
        if not paths and not urls:
            raise CommandError("Name files or folders to import, or --url URL [URL ...].")
        if encoding and encodings.codec_for(encoding) is None:
            raise CommandError(f"--encoding {encoding!r} is not an encoding Python knows.")
        self.encoding = encoding
        try:
            files = parsers.expand_paths(paths)
        except InputError as exc:
            raise CommandError(str(exc)) from None
        counts = {"imported": 0, "unchanged": 0, "failed": 0, "sentences": 0, "boilerplate": 0}
        started = time.perf_counter()
        for url in urls:
            self._import_url(url, counts)
        show_bar = not self.quiet and sys.stderr.isatty() and len(files) > 1
        if workers < 1:
            raise CommandError("--workers must be 1 or more.")
        if workers == 1:
            metadata = _MetadataByFolder()
            for n, path in enumerate(files, start=1):
                inputs = read_path_inputs(path, max_bytes=max_bytes, encoding=encoding,
                                          metadata=metadata[path.parent])
                for item in inputs:
                    self._import_one(item, counts)
                if show_bar:
                    self._bar(n, len(files))
        else:
            self._import_parallel(
                files, counts, max_bytes=max_bytes, workers=workers, show_bar=show_bar
            )
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
            self.stdout.write(f"{elapsed:.2f} s, {counts['sentences'] / elapsed:,.0f} sentences/s")

    def _bar(self, n, total):
        done = int(30 * n / total)
        sys.stderr.write(f"\r[{'#' * done}{'.' * (30 - done)}] {n}/{total} files")
        sys.stderr.flush()

    def _import_parallel(self, files, counts, *, max_bytes, workers, show_bar):
        """Segment in worker processes, write here: pysbd is the slow step of an import.

        Results come back in input order, so the output and the database are the same as
        with one process; each article still gets its own transaction in this process.
        """
        pending = deque()  # (file number, item) in input order, waiting for its sentences

        def jobs():
            metadata = _MetadataByFolder()
            for n, path in enumerate(files, start=1):
                inputs = read_path_inputs(path, max_bytes=max_bytes, encoding=self.encoding,
                                          metadata=metadata[path.parent])
                for item in inputs:
                    pending.append((n, item))
                    yield None if isinstance(item, InputError) else (item.text, item.title)

        # Forked workers only segment: they never touch the database connection they
        # inherit, and they leave through os._exit, so it is not closed under this process.
        context = multiprocessing.get_context("fork")
        with context.Pool(workers) as pool:
            shown = 0
            for sentences in pool.imap(_segment_job, jobs(), chunksize=4):
                n, item = pending.popleft()
                self._import_one(item, counts, sentences=sentences)
                if show_bar and n != shown:
                    self._bar(n, len(files))
                    shown = n
        if show_bar and shown != len(files):
            self._bar(len(files), len(files))

    def _import_url(self, url, counts):
        try:
            result = import_url(url=url)
        except InputError as exc:
            counts["failed"] += 1
            self.stderr.write(self.style.ERROR(f"failed: {exc}"))
            return
        except ValidationError as exc:
            counts["failed"] += 1
            self.stderr.write(self.style.ERROR(f"failed: {url}: {_messages(exc)}"))
            return
        self._count(result, url, counts)

    def _import_one(self, item, counts, sentences=None):
        if isinstance(item, InputError):
            counts["failed"] += 1
            self.stderr.write(self.style.ERROR(f"failed: {item}"))
            return
        where = f"{item.origin}, line {item.line}" if item.line else item.origin
        try:
            result = article_import(data=item, sentences=sentences)
        except ValidationError as exc:
            counts["failed"] += 1
            self.stderr.write(self.style.ERROR(f"failed: {where}: {_messages(exc)}"))
            return
        self._count(result, where, counts)

    def _count(self, result, where, counts):
        if result.created:
            counts["imported"] += 1
            counts["sentences"] += result.sentence_count
            counts["boilerplate"] += result.boilerplate_count
            if not self.quiet:
                self.stdout.write(
                    f"imported: {where}: {result.article.title[:70]!r} ({result.describe()})"
                )
        else:
            counts["unchanged"] += 1
            if not self.quiet:
                self.stdout.write(f"unchanged: {where}: {result.describe()}")


def _segment_job(job):
    """In a worker process: the sentence rows article_import would build for this text."""
    if job is None:
        return None
    text, title = job
    body = segment.normalise(text)
    if not body.strip():
        return None  # article_import reports the empty text itself
    return sentence_rows(body, title=title) or None
