from contextlib import closing

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict

from exports import formats as exports
from exports.selection import InvalidFilters, export_queryset

# Command option → the API's query parameter; both go through the same FilterSet.
FILTER_OPTIONS = {
    "label": "label",
    "status": "status",
    "source": "source",
    "publisher": "publisher",
    "article": "article",
    "reviewer": "reviewer",
    "created_after": "created_after",
    "created_before": "created_before",
    "q": "q",
    "ordering": "ordering",
    "include_rejected": "include_rejected",
}


class Command(BaseCommand):
    help = (
        "Export live annotations as JSONL, CSV or W3C Web Annotation JSON-LD: the same bytes "
        "as /api/export/annotations with the same filters."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=list(exports.FORMATS), default="jsonl")
        parser.add_argument(
            "--output", "-o", default="-", help="File to write (default: standard output)."
        )
        parser.add_argument(
            "--base-url",
            default=settings.PROVENANCE_PUBLIC_URL,
            help="Address the JSON-LD IRIs start with (default: PROVENANCE_PUBLIC_URL).",
        )
        parser.add_argument("--label", action="append")
        parser.add_argument("--status", action="append")
        for name in ("source", "publisher", "article", "reviewer", "q", "ordering"):
            parser.add_argument(f"--{name.replace('_', '-')}", dest=name)
        parser.add_argument("--created-after", dest="created_after", help="YYYY-MM-DD")
        parser.add_argument("--created-before", dest="created_before", help="YYYY-MM-DD")
        parser.add_argument(
            "--include-rejected", dest="include_rejected", action="store_const", const="true",
            help="Also annotations an editor rejected (left out by default).",
        )

    def handle(self, *args, format, output, base_url, **options):
        if format == "jsonld" and not base_url:
            # The API can fall back on the address a request came to; a command has none.
            raise CommandError(
                "JSON-LD ids are absolute IRIs: pass --base-url https://your.host "
                "or set PROVENANCE_PUBLIC_URL."
            )
        params = QueryDict(mutable=True)
        for option, param in FILTER_OPTIONS.items():
            value = options.get(option)
            if value not in (None, [], ""):
                params.setlist(param, value if isinstance(value, list) else [value])
        try:
            queryset = export_queryset(params, with_context=format == "jsonld")
        except InvalidFilters as exc:
            raise CommandError(str(exc)) from None
        if output == "-":
            # The bytes as they are to a binary stream under the text one (sys.stdout's
            # buffer; self.stdout passes attributes through), else decoded to the text
            # stream itself (call_command(stdout=StringIO())).
            out = getattr(self.stdout, "buffer", None)
            if out is not None:
                write = out.write
            else:

                def write(data):
                    self.stdout.write(data.decode("utf-8"), ending="")

            self._write(write, exports.pieces(format, queryset, base_url=base_url.rstrip("/")))
            if out is not None:
                out.flush()
            return
        with open(output, "wb") as handle:
            count = self._write(
                handle.write, exports.pieces(format, queryset, base_url=base_url.rstrip("/"))
            )
        self.stderr.write(self.style.SUCCESS(f"wrote {output} ({count:,} bytes)"))

    def _write(self, write, pieces):
        count = 0
        # A reader that goes away (`| head`) stops the export's query, not just the loop.
        with closing(pieces):
            for data in pieces:
                write(data)
                count += len(data)
        return count
